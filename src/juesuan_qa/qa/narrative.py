"""Narrative questions: retrieve passages, then quote the sentences that answer.

Extractive by design: the answer is the document's own words, each sentence with its
citation. Sentences are picked by the question terms they contain and by cue words
for the kind of question (原因/由于 for why, 指 for a definition, 负责 for duties).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from juesuan_qa.qa.figures import question_terms
from juesuan_qa.qa.router import Slots
from juesuan_qa.records import Passage
from juesuan_qa.store.passages import Hit, HybridSearch
from juesuan_qa.textutil import fold, split_sentences

TOP_K = 5
RERANK_K = 10  # rank damping of the fused order before the heuristic boosts
FIELD_BOOST = 0.05  # worth moving a field label match up about five places
CUE_BOOST = 0.02
MIN_COVERAGE = 0.34  # share of the question's terms the chosen sentences must contain
_WHY = re.compile(r"为什么|为何|原因|怎么回事|偏差")
_WHY_CUES = re.compile(r"主要原因|原因是|原因为|由于|因为|因|导致|致|偏差原因")
_DEFINE = re.compile(r"什么是|是什么|指什么|指的是|含义|意思|定义")
_DEFINE_CUES = re.compile(r"指|是指|反映")
_MEASURES = re.compile(r"措施|改进|下一步|建议")
_MEASURE_CUES = re.compile(r"改进|措施|建议|加强|提高|下一步")
# words that say nothing about what is asked; the departments' names and years are already out
# of the question's terms (router: names, years), so no document's own words need listing here
_GENERIC = {"项目", "单位", "部门"}
_ASKING = {"干什么", "做什么", "什么", "哪家", "哪些", "怎么", "怎样", "为什么", "意思", "是不是", "有没有",
           "是干", "干", "呢", "具体"}
# a demonstrative or question word with a count word (那辆, 这个, 哪两篇): it points, it does not name
_POINTING = re.compile(r"^[那这哪][一两二三四五六七八九十几]?[个辆篇项些家台次份条位]?$")
# Which field of a project sheet answers which kind of question.
_FIELD_CUES = (
    (re.compile(r"为什么|为何|原因|偏差|没付|没花|低"), re.compile(r"执行情况|偏差|问题|原因")),
    (re.compile(r"措施|改进|下一步|建议"), re.compile(r"改进|措施|建议")),
    (re.compile(r"问题"), re.compile(r"问题")),
    (re.compile(r"哪家|谁|合作|编制了|哪两"), re.compile(r"实际完成|产出")),
    (re.compile(r"做了什么|做了哪些|干什么|是干|完成了|具体做|内容"), re.compile(r"实际完成|实施|产出")),
    (re.compile(r"效益|效果"), re.compile(r"效益")),
    (re.compile(r"满意"), re.compile(r"满意")),
)
_GLOSSARY_HEAD = re.compile(r"^(?:[一二三四五六七八九十]+、)?(.+?)[：:]")


@dataclass(frozen=True)
class Quote:
    passage: Passage
    sentence: str
    score: float


def _cue(question: str) -> re.Pattern[str] | None:
    if _WHY.search(question):
        return _WHY_CUES
    if _DEFINE.search(question):
        return _DEFINE_CUES
    if _MEASURES.search(question):
        return _MEASURE_CUES
    return None


def retrieve(search: HybridSearch, slots: Slots, sections: set[str] | None = None, k: int = TOP_K) -> list[Hit]:
    """Hybrid search over the documents in scope, then the heuristic rerank.

    A named project narrows the search to its sheet; a definition question puts the
    glossary entry of its term first.
    """
    query = slots.content or slots.question
    hits: list[Hit] = []
    if sections:
        within = {p.passage_id for p in search.passages_of(slots.doc_ids) if any(s in p.heading for s in sections)}
        hits = search.search(query, k=max(k * 2, 20), doc_ids=slots.doc_ids, within=within)
    if not hits:
        hits = search.search(query, k=max(k * 2, 20), doc_ids=slots.doc_ids)
    looked_up = definitions(search.passages_of(slots.doc_ids), slots) if _DEFINE.search(slots.content) else []
    ids = {h.passage.passage_id for h in looked_up}
    rest = rerank([h for h in hits if h.passage.passage_id not in ids], slots, fields=bool(sections))
    return [*looked_up, *rest][:k]


def rerank(hits: list[Hit], slots: Slots, fields: bool = True) -> list[Hit]:
    """Fused rank, nudged by what kind of question it is: a project sheet's field that answers
    this kind of question (偏差原因 for why, 改进措施 for what next) and sentences with the
    question's cue words (主要原因是, 指…). Measured in benchmarks/bench_seed.py (MRR)."""
    labels = [field for asked, field in _FIELD_CUES if asked.search(slots.content)] if fields else []
    cue = _cue(slots.content)

    def score(item: tuple[int, Hit]) -> float:
        rank, hit = item
        value = 1.0 / (RERANK_K + rank)
        label = fold(hit.passage.heading[-1]) if hit.passage.heading else ""
        if hit.passage.kind == "project" and any(f.search(label) for f in labels):
            value += FIELD_BOOST
        if cue and cue.search(hit.passage.text):
            value += CUE_BOOST
        return value

    return [hit for _, hit in sorted(enumerate(hits), key=lambda item: -score(item))]


def definitions(passages: list[Passage], slots: Slots) -> list[Hit]:
    """Glossary entries whose term the question asks about: looked up, not searched for."""
    if not _DEFINE.search(slots.content):
        return []
    found = []
    for passage in passages:
        if passage.doc_id not in slots.doc_ids or passage.kind != "glossary":
            continue
        head = _GLOSSARY_HEAD.match(fold(passage.text))
        if head and head.group(1) in slots.content:
            found.append(Hit(passage, 1.0, None, None))
    return found


def extract(slots: Slots, hits: list[Hit], project_name: str = "", max_sentences: int = 3
            ) -> tuple[list[Quote], float]:
    """The best sentences among the hits and how much of the question they cover.

    When the question names a project, its name says where to look but not what is
    asked, so its words do not count towards a sentence's score.
    """
    name = fold(project_name)
    asked = [t for t in question_terms(slots) if t not in _ASKING and not _POINTING.match(t)]
    terms = [t for t in asked if t not in _GENERIC and t not in name] or [t for t in asked if t not in name] or asked
    if not terms:
        return [], 0.0
    cue = _cue(slots.content)
    field_cues = [field for asked, field in _FIELD_CUES if asked.search(slots.content)]
    candidates: list[Quote] = []
    fielded: set[str] = set()
    for rank, hit in enumerate(hits):
        heading = fold("".join(hit.passage.heading))
        label = fold(hit.passage.heading[-1]) if hit.passage.heading else ""
        bonus = 0.0
        if hit.passage.kind == "glossary":
            head = _GLOSSARY_HEAD.match(fold(hit.passage.text))
            if head and head.group(1) in slots.content:
                bonus += 8
        if hit.passage.kind == "project" and any(field.search(label) for field in field_cues):
            bonus += 5
            fielded.add(hit.passage.passage_id)
        for sentence in split_sentences(hit.passage.text, semicolons=False):
            folded = fold(sentence)
            found = [t for t in terms if t in folded or t in heading]
            if not found and not bonus:
                continue
            score = sum(min(len(t), 4) for t in found) - 0.3 * rank + bonus
            if cue and cue.search(folded):
                score += 4
            candidates.append(Quote(hit.passage, sentence, score))
    if not candidates:
        return [], 0.0
    candidates.sort(key=lambda q: -q.score)
    chosen: list[Quote] = []
    for quote in candidates:
        if len(chosen) >= max_sentences:
            break
        if quote.score < candidates[0].score * 0.6 and chosen:
            break
        if all(quote.sentence != c.sentence for c in chosen):
            chosen.append(quote)
    text = fold("".join(q.passage.text + "".join(q.passage.heading) for q in chosen))
    weights = {t: min(len(t), 4) for t in terms}
    coverage = sum(w for t, w in weights.items() if t in text) / (sum(weights.values()) or 1)
    if name and any(q.passage.passage_id in fielded for q in chosen):
        coverage = 1.0  # the named project's field that answers this kind of question
    chosen.sort(key=lambda q: (q.passage.page or 0, q.passage.line_start or 0, q.passage.passage_id))
    return chosen, coverage
