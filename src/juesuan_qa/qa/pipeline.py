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

import time
from dataclasses import dataclass

from juesuan_qa.qa import compose
from juesuan_qa.qa.figures import best_figure, score_figures
from juesuan_qa.qa.lexicon import Vocabulary
from juesuan_qa.qa.narrative import MIN_COVERAGE, extract, retrieve
from juesuan_qa.qa.numeric import best_readings, score_facts
from juesuan_qa.qa.projects import find_project, resolve
from juesuan_qa.qa.router import Slots, route
from juesuan_qa.records import Answer, Citation, Document, Fact, Project, TextFigure, Value
from juesuan_qa.store.passages import HybridSearch
from juesuan_qa.textutil import fold

STRICT_COVERAGE = 0.75  # a figure about an organisation or year outside the index must explain this much


@dataclass
class Corpus:
    documents: dict[str, Document]
    facts: list[Fact]
    projects: list[Project]
    figures: list[TextFigure]
    vocabulary: Vocabulary
    search: HybridSearch


def ask(corpus: Corpus, question: str) -> Answer:
    started = time.perf_counter()
    answer = _answer(corpus, question.strip())
    answer.elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
    return answer


def _answer(corpus: Corpus, question: str) -> Answer:
    coverage = compose.coverage_text(corpus.documents)
    if not question:
        return compose.abstain(question, "问题为空。", coverage)
    if not corpus.documents:
        return compose.abstain(question, "索引中还没有任何公开文件。", coverage)
    slots = route(question, list(corpus.documents.values()), corpus.vocabulary)
    if slots.unknown_org or slots.unknown_year:
        return _outside_index(corpus, slots, coverage)
    if slots.intent == "list":
        return _list_projects(corpus, slots, coverage)
    project = find_project(slots, corpus.projects)
    if project is not None and slots.intent != "narrative":
        answer = _project_numeric(corpus, slots, project)
        if answer:
            return answer
    if slots.intent == "numeric":
        answer = _numeric(corpus, slots)
        if answer:
            return answer
        return compose.abstain(question, "公开文件中没有找到这个数字。", coverage)
    return _narrative(corpus, slots, project, coverage)


def _outside_index(corpus: Corpus, slots: Slots, coverage: str) -> Answer:
    required = []
    if slots.unknown_org:
        required.append(slots.unknown_org)
    if slots.unknown_year:
        required.append(f"{slots.unknown_year}年")
    if slots.intent == "numeric":
        match = best_figure(score_figures(slots, corpus.figures, required=required), STRICT_COVERAGE)
        if match:
            return compose.figure_answer(slots.question, [match.figure], corpus.documents)
    what = "、".join(filter(None, [slots.unknown_org, f"{slots.unknown_year}年" if slots.unknown_year else ""]))
    return compose.abstain(slots.question, f"索引中没有“{what}”的公开文件或相关数据。", coverage)


def _numeric(corpus: Corpus, slots: Slots) -> Answer | None:
    readings = best_readings(score_facts(slots, corpus.facts))
    figure = best_figure(score_figures(slots, corpus.figures))
    if figure and (slots.prose_cue or not readings):
        return compose.figure_answer(slots.question, [figure.figure], corpus.documents)
    if readings:
        return compose.table_answer(slots.question, [r.fact for r in readings], corpus.documents)
    return None


def _project_numeric(corpus: Corpus, slots: Slots, project: Project) -> Answer | None:
    found = resolve(slots, project, corpus.facts)
    if found.grade and found.facts and project.grade:
        return compose.grade_answer(slots.question, project.name, project.grade, found.facts[0], corpus.documents)
    sections = {project.section}
    if found.facts:
        prose = []
        if found.prose_terms:
            match = best_figure(score_figures(slots, corpus.figures, sections=sections), 0.0)
            if match and all(abs(match.figure.value - f.value) > 0.005 for f in found.facts) \
                    and match.figure.unit == found.facts[0].unit and found.prose_terms in fold(match.figure.context):
                prose = [match.figure]
        if prose:
            return compose.figure_answer(slots.question, prose, corpus.documents, facts=found.facts)
        return compose.table_answer(slots.question, found.facts, corpus.documents)
    match = best_figure(score_figures(slots, corpus.figures, sections=sections), 0.3)
    if match:
        return compose.figure_answer(slots.question, [match.figure], corpus.documents)
    return None


def _list_projects(corpus: Corpus, slots: Slots, coverage: str) -> Answer:
    projects = [p for p in corpus.projects if p.loc.doc_id in slots.doc_ids]
    grade = next((g for g in ("优", "良", "中", "差") if g in slots.content), "")
    chosen = [p for p in projects if not grade or p.grade == grade]
    if not projects:
        return compose.abstain(slots.question, "索引中没有项目支出绩效自评表。", coverage)
    citations = [Citation(**compose._doc_fields(corpus.documents, p.loc.doc_id), table=None, section=p.section,
                          row="总分", column="等级", page=p.loc.page, line=p.loc.line, quote=p.loc.quote)
                 for p in chosen]
    lines = [f"{n}. {p.name}（总分{p.score:g}分，{p.grade}）[{n}]" for n, p in enumerate(chosen, 1)
             if p.score is not None]
    title = f"自评等级为“{grade}”的项目" if grade else "项目支出绩效自评表"
    text = f"{title}共{len(chosen)}个（逐一列出如下，计数即列表条数）：\n" + "\n".join(lines)
    return Answer(slots.question, "table", False, text, [Value(len(chosen), "个", title)], citations)


def retrieval_hits(corpus: Corpus, question: str, k: int = 5) -> list:
    """The passages the text route reads for a question, as the eval runner scores them."""
    slots = route(question, list(corpus.documents.values()), corpus.vocabulary)
    project = find_project(slots, corpus.projects)
    return retrieve(corpus.search, slots, {project.section} if project else None, k=k)


def _narrative(corpus: Corpus, slots: Slots, project: Project | None, coverage: str) -> Answer:
    sections = {project.section} if project else None
    hits = retrieve(corpus.search, slots, sections)
    quotes, covered = extract(slots, hits)
    if not quotes or covered < MIN_COVERAGE:
        return compose.abstain(slots.question, "公开文件中没有找到回答这个问题的段落。", coverage)
    return compose.passage_answer(slots.question, quotes, corpus.documents)
