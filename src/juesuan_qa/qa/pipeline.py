"""ask(question) → Answer: the router's decision tree.

Order matters and follows the product's first rule, a number is never invented:
  1. an organisation or year the index does not hold → only a sentence that states
     exactly that may answer; otherwise abstain;
  2. list questions over project sheets;
  3. a named project → its sheet's table, else its prose;
  4. numeric → table facts, or a prose figure when the question asks what only prose
     states (比上年, 占比, 年初预算 …) or no table matches; nothing good enough → abstain;
  5. narrative → hybrid retrieval and quoted sentences; too little overlap → abstain.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace

from juesuan_qa.domain.vocabulary import COMPARABLE_ITEMS, never_disclosed
from juesuan_qa.ingest.projects import SHEET_TABLE
from juesuan_qa.qa import across, causes, compose, items, lists
from juesuan_qa.qa.arithmetic import compute
from juesuan_qa.qa.figures import best_figure, question_terms, score_figures
from juesuan_qa.qa.lexicon import Vocabulary
from juesuan_qa.qa.narrative import MIN_COVERAGE, extract, retrieve
from juesuan_qa.qa.numeric import (
    best_readings,
    part_rows_to_sum,
    related_cells,
    score_facts,
    subject_codes,
    unmet,
)
from juesuan_qa.qa.projects import find_project, resolve, wants_grade
from juesuan_qa.qa.resolve import catalogue, names_place
from juesuan_qa.qa.router import Slots, longest_common, project_core, route, without_name
from juesuan_qa.records import Answer, Citation, Document, Fact, Project, TextFigure, Value
from juesuan_qa.store.passages import HybridSearch
from juesuan_qa.store.sql import SqlStore
from juesuan_qa.textutil import fold, format_amount, norm_label

STRICT_COVERAGE = 0.6
ROUNDING = 0.011  # a stated 95.91% and a recomputed 95.905…% are the same figure
_STATES_SHARE = re.compile(r"占|比重|比例")
_STATES_DIFFERENCE = re.compile(r"多|少|差|增加|减少")


@dataclass
class Corpus:
    """What a question reads: the catalogue of documents (one small record each) in memory; a
    document's facts, figures, projects and passages read from the store when a question is
    about it (store.sql caches the recently asked ones)."""

    documents: dict[str, Document]
    vocabulary: Vocabulary
    search: HybridSearch
    store: SqlStore

    def facts_in(self, doc_ids: set[str]) -> list[Fact]:
        return self.store.facts(doc_ids)

    def figures_in(self, doc_ids: set[str]) -> list[TextFigure]:
        return self.store.figures(doc_ids)

    def projects_in(self, doc_ids: set[str]) -> list[Project]:
        return self.store.projects(doc_ids)


MAX_CAUSE_DOCUMENTS = 3  # a why-question is about a department: read its passages, not the corpus's


def ask(corpus: Corpus, question: str, scope: set[str] | None = None) -> Answer:
    """Answer one question; `scope` (document ids) narrows it, as the web chat's filters do."""
    started = time.perf_counter()
    answer = compose.with_confidence(_answer(corpus, question.strip(), scope))
    answer.elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
    return answer


def _answer(corpus: Corpus, question: str, scope: set[str] | None = None) -> Answer:
    coverage = compose.coverage_text(corpus.documents)
    if not question:
        return compose.abstain(question, "问题为空。", coverage)
    if not corpus.documents:
        return compose.abstain(question, "索引中还没有任何公开文件。", coverage)
    kind = never_disclosed(question)
    if kind:
        return compose.abstain(question, f"部门预算、决算公开文件不披露{kind}；可以问的是收支、预算或决算表中的数字、"
                                         "三公经费、项目支出和绩效，以及文字说明中的原因和用途。", coverage)
    documents = [d for d in corpus.documents.values() if scope is None or d.doc_id in scope]
    if not documents:
        return compose.abstain(question, "所选范围内没有公开文件。", coverage)
    slots = route(question, documents, corpus.vocabulary)
    if slots.unknown_org or slots.unknown_year:
        return _outside_index(corpus, slots, coverage, documents)
    if slots.unknown_kind:
        held = "、".join(sorted({f"{d.year}年度{d.kind}" for d in documents if d.doc_id in slots.doc_ids}))
        return compose.abstain(question, f"索引中没有所问的{slots.unknown_kind}文件（所问部门在索引中的是：{held}）。", coverage)
    if slots.missing:
        return _missing_edition(slots, corpus.documents, coverage)
    which = _which_one(slots, corpus.documents)
    if which:
        return which
    if slots.intent == "list":
        return _list_projects(corpus, slots, coverage)
    if slots.intent == "enumerate":
        answer = _enumeration(corpus, slots)
        if answer:
            return answer
        slots = replace(slots, intent="narrative")  # no printed list: the passages that answer it
    project = find_project(slots, corpus.projects_in(slots.doc_ids))
    if project is not None and _row_named_not_project(corpus, slots, project):
        project = None
    if project is not None and (slots.intent != "narrative" or wants_grade(slots.content)):
        answer = _project_numeric(corpus, slots, project)
        if answer:
            return answer
    if slots.intent == "numeric" and len(slots.doc_ids) > 1 and project is None:
        answer = across.answer(question, slots, corpus.documents, lambda one: _numeric(corpus, one), coverage,
                               stored=_stored_items(corpus), vocabulary=corpus.vocabulary)
        if answer:
            return answer
    if slots.intent == "numeric":
        answer = _numeric(corpus, slots)
        if answer:
            return answer
        return compose.abstain(question, "公开文件中没有找到这个数字。", coverage,
                               related=related_cells(slots, corpus.facts_in(slots.doc_ids)),
                               documents=corpus.documents)
    return _narrative(corpus, slots, project, coverage)


def _stored_items(corpus: Corpus):
    """Each document's stored answers for one compared item (qa.items), when the store keeps them."""
    if not hasattr(corpus.store, "item_figures"):
        return None
    return lambda item, doc_ids: corpus.store.item_figures(item, doc_ids, items.policy())


def item_records(corpus: Corpus, doc: Document) -> list[tuple[str, str | None]]:
    """One document's answers to "its {item}" for every compared item, to store beside it."""
    out = []
    for item in COMPARABLE_ITEMS:
        slots = route(items.ITEM_QUESTION.format(department=doc.department, year=doc.year or "", item=item),
                      [doc], corpus.vocabulary)
        out.append((item, items.to_record(_numeric(corpus, slots) if slots.intent == "numeric" else None)))
    return out


def _row_named_not_project(corpus: Corpus, slots: Slots, project: Project) -> bool:
    """The question names a table row in full but the project only in part (城乡医疗救助 is a row;
    城乡居民医疗救助 a project): the row is what was asked, so the project sheet does not answer."""
    name = fold(project_core(project.name))
    if name in slots.content:
        return False
    shared = longest_common(slots.content, name)
    return any(len(label) > shared and label in slots.content
               for label in {norm_label(f.row) for f in corpus.facts_in(slots.doc_ids) if f.table != SHEET_TABLE})


_DEFINITION = re.compile(r"什么是|是什么意思|指什么|指的是什么|含义|定义|名词解释|是指")
MAX_OFFERED = 12  # departments listed when a question is asked back


def _which_one(slots: Slots, documents: dict[str, Document]) -> Answer | None:
    """The precision gate: a question answers from the documents of the organisation, year and
    kind it names. A name fitting several departments, or no name over several departments, or one
    department's several years or kinds with none named, is asked back — unless the question asks
    across documents (a ranking, a comparison, a change over years) or what a term means."""
    if _DEFINITION.search(slots.content):
        return None
    if not slots.named and not slots.asks_across and slots.doc_ids:
        # 普陀区2026年三公经费: a place (or nothing) names no department, even where the year leaves one
        named = sorted({documents[d].department for d in slots.candidates})
        if len(named) > 1:
            return _ask_back(slots.question, f"问题没有指明部门，而{'所问地区' if slots.candidates != set(documents) else '索引中'}"
                             f"有{len(named)}个部门的公开文件", named,
                             "请写明是哪个部门；要比较或排名，可问“哪个部门……最多”或“各部门……分别是多少”。")
    if len(slots.doc_ids) < 2:
        return None
    for mention in slots.orgs:
        # 哪个卫健委最多 ranks the departments a short form fits; 信访办公室和福州市公安局…谁多 names two
        if len(mention.departments) > 1 and (not slots.asks_across or len(slots.orgs) > 1):
            return _ask_back(slots.question, f"问题中的“{mention.text}”对应索引中的多个部门", mention.departments,
                             "请写明是哪一个（例如加上城市或区名），或问“各部门……分别是多少”。")
    if slots.asks_across:
        return None
    in_scope = [documents[d] for d in slots.doc_ids]
    departments = sorted({d.department for d in in_scope})
    if len(departments) > 1:
        said = "问题没有指明部门" if not slots.named else "问题所指的部门不止一个"
        return _ask_back(slots.question, f"{said}，而索引中有{len(departments)}个部门的公开文件", departments,
                         "请写明是哪个部门；要比较或排名，可问“哪个部门……最多”或“各部门……分别是多少”。")
    editions = sorted({(d.year or 0, d.kind) for d in in_scope})
    if len(editions) > 1:
        named = [f"{year}年度{kind}" for year, kind in editions]
        return _ask_back(slots.question, f"{departments[0]}有{len(editions)}份公开文件", named,
                         "请写明年度，以及是预算还是决算；要看变化，可问“2024年比2023年……增加了多少”。")
    return None


def _missing_edition(slots: Slots, documents: dict[str, Document], coverage: str) -> Answer:
    """An organisation named with a year or kind it has no document of: said, with what it has."""
    asked = "".join(filter(None, [f"{slots.years[0]}年" if slots.years else "", slots.kind_asked]))
    lines = []
    for mention in slots.missing:
        held = sorted({(documents[d].year or 0, documents[d].kind) for d in mention.doc_ids})
        lines.append(f"“{mention.text}”没有{asked or '所问'}的公开文件（索引中有："
                     + "、".join(f"{y}年度{k}" for y, k in held) + "）")
    return compose.abstain(slots.question, "；".join(lines) + "。", coverage)


def _ask_back(question: str, why: str, options, how: str) -> Answer:
    options = list(options)
    shown = "、".join(options[:MAX_OFFERED]) + (f"等{len(options)}个" if len(options) > MAX_OFFERED else "")
    return Answer(question, "none", True, f"需要确认：{why}：{shown}。{how}", needs_review=True)


def _outside_index(corpus: Corpus, slots: Slots, coverage: str, documents: list[Document] | None = None) -> Answer:
    """Only a sentence that names the unknown organisation or year may answer."""
    required = []
    if slots.unknown_org:
        required.append(_known_suffix(slots.unknown_org, corpus.figures_in(slots.doc_ids)))
    if slots.unknown_year:
        required.append(f"{slots.unknown_year}年")
    if slots.intent == "numeric":
        if slots.unknown_year and not slots.unknown_org:
            answer = _cells_of_year(corpus, slots, slots.unknown_year)
            if answer:
                return answer
        project = find_project(slots, corpus.projects_in(slots.doc_ids))
        if project is not None and slots.unknown_org and not slots.unknown_year \
                and _party_to(corpus, slots.unknown_org, project):
            answer = _project_numeric(corpus, slots, project)  # 和中国信通院签的合同: the project's contractor
            if answer:
                return answer
        sections = {project.section} if project else None
        matches = score_figures(slots, corpus.figures_in(slots.doc_ids), sections=sections, required=required)
        if slots.unknown_year and not slots.unknown_org:  # the year must govern the figure (2025年预算数32.44), not merely be in its sentence
            year = f"{slots.unknown_year}年"
            matches = [m for m in matches if year in fold(m.figure.context.split("|")[0])]
        match = best_figure(matches, STRICT_COVERAGE)
        if match:
            return compose.figure_answer(slots.question, [match.figure], corpus.documents)
    what = "、".join(filter(None, [slots.unknown_org, f"{slots.unknown_year}年" if slots.unknown_year else ""]))
    reason = f"索引中没有“{what}”的公开文件或相关数据。"
    if slots.unknown_org:
        nearest = catalogue(documents or list(corpus.documents.values())).nearest(slots.unknown_org)
        if nearest:
            reason += "索引中名称最接近的是：" + "、".join(nearest) + "。"
    return compose.abstain(slots.question, reason, coverage)


def _party_to(corpus: Corpus, name: str, project: Project) -> bool:
    """Whether the project's own sheet names the organisation (a contractor, a partner): a question
    about the project may name it without asking about that organisation's disclosure."""
    if not hasattr(corpus.store, "passages"):
        return False
    return any(name in fold(row.passage.text) for row in corpus.store.passages([project.loc.doc_id])
               if project.section in row.passage.heading)


def _cells_of_year(corpus: Corpus, slots: Slots, year: int) -> Answer | None:
    """A year the documents are not of, printed in their tables (三公: 2025年 | 2026年 rows, a
    2025年预算数 column): only a cell that names that year, under the same policy."""
    facts = [f for f in corpus.facts_in(slots.doc_ids) if f"{year}年" in fold(f.row + f.column)]
    if not facts:
        return None
    asked = replace(slots, years=[year])
    codes = subject_codes(facts)
    readings = best_readings([r for r in score_facts(asked, facts) if not unmet(asked, r.fact, codes)])
    if len(readings) != 1:
        return None
    group = readings[0]
    return compose.table_answer(slots.question, [group[0].fact], corpus.documents, also=[[r.fact for r in group[1:]]])


def _known_suffix(name: str, figures: list[TextFigure]) -> str:
    """The longest tail of an organisation name that the corpus prose mentions (市数字政府服务中心
    in 批复给下属单位市数字政府服务中心), so a sentence about it can still answer. A place the name
    opens with stays (深圳市审计局 is never 苏州's 审计局 in a sentence that says 审计局)."""
    if names_place(name):
        return name
    sentences = "".join({fold(f.sentence) for f in figures})
    for start in range(len(name) - 3):
        if name[start:] in sentences:
            return name[start:]
    return name


def _numeric(corpus: Corpus, slots: Slots) -> Answer | None:
    facts = corpus.facts_in(slots.doc_ids)
    figure = best_figure(score_figures(slots, corpus.figures_in(slots.doc_ids)))
    computed = compute(slots, facts, corpus.vocabulary)
    if computed is not None:
        says = _STATES_SHARE if computed.kind == "share" else _STATES_DIFFERENCE
        stated = figure.figure if figure and figure.figure.unit == computed.unit \
            and says.search(figure.figure.context) else None
        if stated is not None and abs(stated.value - computed.value) <= ROUNDING:
            return compose.figure_answer(slots.question, [stated], corpus.documents)  # the document says it
        return compose.computed_answer(slots.question, computed, corpus.documents, stated)
    rows = part_rows_to_sum(slots, facts)
    scored = score_facts(slots, facts)
    codes = subject_codes(facts)
    readings = best_readings([r for r in scored if not unmet(slots, r.fact, codes)])
    if figure and _prose_first(slots, figure.figure, readings):
        return compose.figure_answer(slots.question, [figure.figure], corpus.documents)
    if rows:
        return compose.sum_answer(slots.question, rows[0].part, rows, corpus.documents)
    if readings:
        facts = [group[0].fact for group in readings]
        if figure and _disagrees(slots, figure, facts):  # 1辆 in the table, 0辆 (财政拨款负担) in the prose
            return compose.figure_answer(slots.question, [figure.figure], corpus.documents, facts=facts)
        return compose.table_answer(slots.question, facts, corpus.documents,
                                    also=[[r.fact for r in group[1:]] for group in readings])
    return figure and compose.figure_answer(slots.question, [figure.figure], corpus.documents)


def _disagrees(slots: Slots, match, facts: list[Fact]) -> bool:
    """A sentence naming what the question names but stating another count than the table: a
    second reading, shown beside the table's (counts only: amounts differ by scope too often)."""
    figure = match.figure
    if slots.unit_class != "count" or match.coverage < 0.6 or len(facts) != 1 or figure.unit != facts[0].unit:
        return False
    named = [m for m in slots.mentions if not any(t.kind == "part" for t in m.terms)]
    return bool(named) and all(m.text in fold(figure.context) for m in named) and figure.value != facts[0].value


def _prose_first(slots: Slots, figure: TextFigure, readings: list) -> bool:
    """Whether a sentence answers better than the tables.

    Tables are the source of truth, so they win unless the sentence names more of what the
    question names (机关运行经费, 政府采购预算总额: stated in prose, not a table row), or the
    question asks what only prose says (比上年, 占比) and the tables explain no more of it.
    """
    if not readings:
        return True
    mentions = [m for m in slots.mentions if not any(t.kind == "part" for t in m.terms)]  # 收入/支出 say little
    if not mentions:
        return slots.prose_cue
    said = fold(figure.context + figure.sentence[:figure.sentence.find(figure.context.split("|")[0])])
    in_prose = sum(1 for m in mentions if m.text in said)

    def in_table(fact: Fact) -> int:
        text = fold(fact.title + fact.part + fact.row + fact.column)
        return sum(1 for m in mentions if any(w and w in text for t in m.terms for w in (t.text, t.target)))

    in_tables = max(in_table(r.fact) for group in readings for r in group)
    if in_prose >= in_tables and figure.value and all(r.fact.empty for group in readings for r in group):
        return True  # the tables leave it blank where the prose states an amount (e.g. one spent via projects)
    return in_prose > in_tables or (slots.prose_cue and in_prose >= in_tables)


def _project_numeric(corpus: Corpus, slots: Slots, project: Project) -> Answer | None:
    found = resolve(slots, project, corpus.facts_in({project.loc.doc_id}))
    if found.grade:
        if found.facts and project.grade:
            return compose.grade_answer(slots.question, project.name, project.grade, found.facts[0], corpus.documents)
        return None
    asked = replace(slots, content=without_name(slots.content, fold(project_core(project.name))))
    matches = score_figures(asked, corpus.figures_in({project.loc.doc_id}), sections={project.section})
    if found.prose is not None:  # prefer figures the prose names as this field, if there are any
        matches = [m for m in matches if found.prose.search(fold(m.figure.context))] or matches
    readings = _close_readings(matches)
    if found.facts:
        differing = [m.figure for m in readings if found.prose is not None
                     and m.figure.unit == found.facts[0].unit
                     and all(abs(m.figure.value - f.value) > 0.005 for f in found.facts)]
        if differing:
            return compose.figure_answer(slots.question, differing[:1], corpus.documents, facts=found.facts)
        return compose.table_answer(slots.question, found.facts, corpus.documents)
    if readings and (found.prose is not None or readings[0].coverage >= 0.3):
        return compose.figure_answer(slots.question, [m.figure for m in readings], corpus.documents)
    return None


def _close_readings(matches: list, spread: float = 0.25, most: int = 3) -> list:
    """The best figure and any with a different value scoring within `spread` of it: readings
    of a genuinely ambiguous question (a budget before and after adjustment)."""
    if not matches:
        return []
    top = matches[0].score
    chosen, values = [], set()
    for match in matches:
        if match.score < top - abs(top) * spread or len(chosen) >= most:
            break
        key = (round(match.figure.value, 6), match.figure.unit)
        if key not in values:
            values.add(key)
            chosen.append(match)
    return chosen


def _list_projects(corpus: Corpus, slots: Slots, coverage: str) -> Answer:
    projects = corpus.projects_in(slots.doc_ids)
    grade = next((g for g in ("优", "良", "中", "差") if g in slots.content), "")
    chosen = [p for p in projects if not grade or p.grade == grade]
    if not projects:
        return compose.abstain(slots.question, "索引中没有项目支出绩效自评表。", coverage)
    citations = [Citation(**compose._doc_fields(corpus.documents, p.loc.doc_id), table=None, section=p.section,
                          row="总分", column="等级", page=p.loc.page, line=p.loc.line, quote=p.loc.quote)
                 for p in chosen]
    lines = [f"{n}. {p.name}（总分{format_amount(p.score, '分', p.loc.quote)}，{p.grade}）[{n}]" for n, p in enumerate(chosen, 1)
             if p.score is not None]
    title = f"自评等级为“{grade}”的项目" if grade else "项目支出绩效自评表"
    text = f"{title}共{len(chosen)}个（逐一列出如下，计数即列表条数）：\n" + "\n".join(lines)
    return Answer(slots.question, "table", False, text, [Value(len(chosen), "个", title)], citations)


def retrieval_hits(corpus: Corpus, question: str, k: int = 5) -> list:
    """The passages the text route reads for a question, as the eval runner scores them."""
    slots = route(question, list(corpus.documents.values()), corpus.vocabulary)
    project = find_project(slots, corpus.projects_in(slots.doc_ids))
    return retrieve(corpus.search, slots, {project.section} if project else None, k=k)


def _enumeration(corpus: Corpus, slots: Slots) -> Answer | None:
    """A list question about one document: its printed list, whole, with one citation."""
    if len(slots.doc_ids) != 1:
        return None
    (doc_id,) = slots.doc_ids
    passages = [row.passage for row in corpus.store.passages([doc_id])] if hasattr(corpus.store, "passages") else []
    listing = lists.find_list([p for p in passages if p.kind == "prose"], lists.subject_terms(slots.content))
    if listing is None:
        return None
    return compose.list_answer(slots.question, listing, corpus.documents)


def _cause(corpus: Corpus, slots: Slots) -> Answer | None:
    """A why-question about one department: the change of the item asked and its stated reason."""
    if not causes.ASKS_WHY.search(slots.content) or not slots.named or len(slots.doc_ids) > MAX_CAUSE_DOCUMENTS:
        return None
    passages = [row.passage for row in corpus.store.passages(sorted(slots.doc_ids))]
    found = causes.find_cause(passages, question_terms(slots), causes.direction(slots.content))
    return compose.cause_answer(slots.question, found, corpus.documents) if found else None


def _narrative(corpus: Corpus, slots: Slots, project: Project | None, coverage: str) -> Answer:
    if project is None:
        answer = _cause(corpus, slots)
        if answer:
            return answer
    sections = {project.section} if project else None
    hits = retrieve(corpus.search, slots, sections)
    quotes, covered = extract(slots, hits, project.name if project else "")
    if not quotes or covered < MIN_COVERAGE:
        return compose.abstain(slots.question, "公开文件中没有找到回答这个问题的段落。", coverage)
    return compose.passage_answer(slots.question, quotes, corpus.documents)
