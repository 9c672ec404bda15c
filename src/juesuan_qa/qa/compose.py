"""Readings → the answer record: the markdown a person reads, its values and citations.

Every figure written here comes from a Fact or TextFigure passed in, and each gets
the citation number of its source. Nothing in this module invents a number.
"""

from __future__ import annotations

from dataclasses import replace

from juesuan_qa.domain.units import MONEY, asked_money_unit, convert
from juesuan_qa.domain.vocabulary import GRAND_ROWS, table_type, type_name
from juesuan_qa.ingest.projects import SHEET_TABLE
from juesuan_qa.qa.lists import layout
from juesuan_qa.records import Answer, Citation, Document, Fact, Passage, Related, TextFigure, Value
from juesuan_qa.textutil import format_amount, norm_label

COMPUTED = "（计算）"  # the label of a value computed from cited figures, not read from one cell
EMPTY_NOTE = "（表中该栏为空，按决算公开惯例即为0）"
MAX_ALSO = 3


def _doc_fields(documents: dict[str, Document], doc_id: str) -> dict:
    doc = documents.get(doc_id)
    return {"doc": doc_id, "title": doc.title if doc else "", "department": doc.department if doc else "",
            "year": doc.year if doc else None}


def cite_fact(fact: Fact, documents: dict[str, Document]) -> Citation:
    row = f"{fact.part}/{fact.row}" if fact.part and fact.table == SHEET_TABLE else fact.row
    return Citation(**_doc_fields(documents, fact.loc.doc_id), table=fact.loc.table, section=fact.loc.section,
                    row=row, column=fact.column, page=fact.loc.page, line=fact.loc.line, quote=fact.loc.quote,
                    file=fact.loc.file)


def cite_figure(figure: TextFigure, documents: dict[str, Document]) -> Citation:
    return Citation(**_doc_fields(documents, figure.loc.doc_id), table=None, section=figure.loc.section,
                    row=None, column=None, page=figure.loc.page, line=figure.loc.line, quote=figure.sentence,
                    file=figure.loc.file)


def cite_passage(passage: Passage, documents: dict[str, Document]) -> Citation:
    """A passage citation quotes the whole chunk, so the sentence can be read in its context."""
    return Citation(**_doc_fields(documents, passage.doc_id), table=None, section=passage.section, row=None,
                    column=None, page=passage.page, line=passage.line_start, quote=passage.text, file=passage.file)


def who(documents: dict[str, Document], doc_id: str) -> str:
    doc = documents.get(doc_id)
    if not doc:
        return ""
    return f"{doc.department}{doc.year or ''}年度{doc.kind or ''}"


def fact_label(fact: Fact) -> str:
    """How a fact is named in an answer: the row, with the column when it is not the total."""
    row = norm_label(fact.row)
    if fact.table == SHEET_TABLE:
        return f"{fact.part}·{row}·{fact.column}"
    column = fact.column.split("/")[-1]
    if row in GRAND_ROWS and fact.part not in ("收入", "支出"):
        # a bare 合计 says nothing: name what it totals (the part, or the table's subject)
        row = f"{fact.part or fact.title.removesuffix('表').removesuffix('决算')}{row}"
    if column in ("金额", "合计", "小计", "决算数", "统计数", "本年收入合计", "本年支出合计", "本年支出") \
            or column == row:
        return f"{fact.part}{row}" if fact.part in ("收入", "支出") and row in GRAND_ROWS else row
    return f"{row}·{column}"


_CHECKED = {"verified": True, "failed": False}


def fact_value(fact: Fact, label: str) -> Value:
    """A table cell as an answer value, carrying its table's self-check verdict."""
    return Value(fact.value, fact.unit, label, _CHECKED.get(fact.status))


CONFIDENCE_NOTES = {
    "high": "可信度：高（表格单元格，所在表通过勾稽校验，且符合问题的每个限定条件）",
    "medium": "可信度：中（数字来自文字说明、未能校验的表格或检索到的段落，请对照原文）",
    "low": "可信度：低（未能回答）",
}


def confidence_note(confidence: str) -> str:
    """The confidence band in words, as the chat and the terminal show it under an answer."""
    return CONFIDENCE_NOTES.get(confidence, "")


UNVERIFIED_NOTE = "（该表数字未通过勾稽校验，请核对原文。）"


def with_confidence(answer: Answer) -> Answer:
    """high: the first figure is a table cell whose table passed its self-checks; medium: an
    unchecked or failing table, a prose figure, a quoted passage; low: no answer. A figure from
    a table that failed its checks is still given, but the answer says so and asks for review."""
    if answer.abstained:
        answer.confidence = "low"
        return answer
    first = answer.values[0] if answer.values else None
    answer.confidence = "high" if first is not None and first.verified is True else "medium"
    if any(v.verified is False for v in answer.values):
        answer.answer += UNVERIFIED_NOTE
        answer.needs_review = True
    return answer


def where(fact: Fact) -> str:
    if fact.table == SHEET_TABLE:
        return f"《{fact.title}》"
    code = f"{fact.loc.table} " if fact.loc.table else ""
    return f"{code}{fact.title}"


def table_answer(question: str, facts: list[Fact], documents: dict[str, Document],
                 also: list[list[Fact]] | None = None) -> Answer:
    """One or several readings from tables; several means the question is ambiguous.

    `also` holds, per reading, the other tables that print the same figure: cited too,
    so a reader can check it wherever they look.
    """
    values, citations, lines = [], [], []
    also = also or [[] for _ in facts]
    several = len({f.loc.doc_id for f in facts}) > 1  # no department named: one line per department
    for fact, same in zip(facts, also, strict=True):
        label = fact_label(fact)
        values.append(fact_value(fact, label))
        citations.append(cite_fact(fact, documents))
        n = len(citations)
        code = f"（科目代码{fact.code}）" if fact.code else ""
        empty = EMPTY_NOTE if fact.empty else ""
        printed = format_amount(fact.value, fact.unit, fact.loc.quote)
        line = f"{label}{code}：**{printed}**{in_asked_unit(question, fact.value, fact.unit, printed)}{empty}，" \
               f"见{where(fact)}。[{n}]"
        tables = []
        for other in same[:MAX_ALSO]:
            if other.loc.table in {c.table for c in citations}:
                continue
            citations.append(cite_fact(other, documents))
            tables.append(f"{other.loc.table or other.title}[{len(citations)}]")
        if tables:
            line += f"（同一数字亦见于{'、'.join(tables)}）"
        lines.append(f"{who(documents, fact.loc.doc_id)}：{line}" if several else line)
    subject = who(documents, facts[0].loc.doc_id)
    if len(facts) == 1:
        text = f"{subject}{lines[0]}"
    elif several:
        text = "问题没有指明部门，以下按部门分别列出：\n" + "\n".join(f"{n}. {line}" for n, line in enumerate(lines, 1))
    else:
        text = (f"{subject}在不同口径下列示了{len(facts)}个数字：\n"
                + "\n".join(f"{n}. {measure(fact, _kind(documents, fact))}：{line}" for n, (fact, line) in enumerate(zip(facts, lines, strict=True), 1))
                + "\n" + _difference(facts))
    return Answer(question, "table", False, text, values, citations, needs_review=len(facts) > 1)


def _kind(documents: dict[str, Document], fact: Fact) -> str:
    doc = documents.get(fact.loc.doc_id)
    return doc.kind if doc else ""


def measure(fact: Fact, kind: str = "预算") -> str:
    """What a reading measures, as its label in a list of readings: the classification its
    subject code belongs to, else the canonical table it comes from."""
    if fact.code[:1] == "2":
        return "按功能分类（支出用途）"
    if fact.code[:1] in ("3", "5"):
        return "按经济分类（支出性质）"
    return type_name(table_type(fact.title), kind) or fact.title


def _difference(facts: list[Fact]) -> str:
    codes = [f.code for f in facts if f.code]
    if len(codes) == len(facts) and any(c.startswith("3") for c in codes) and any(not c.startswith("3") for c in codes):
        return "功能分类科目（2开头，按用途）与经济分类科目（3开头，按性质）是两套口径，数额不同。"
    tables = {f.title for f in facts}
    if len(tables) > 1:
        return "各数出自不同的表，统计口径不同。"
    return "同一项目在表格与文字说明中所列数额不同，请以原文为准并核对。"


def sum_answer(question: str, label: str, facts: list[Fact], documents: dict[str, Document]) -> Answer:
    """A total the table does not print, added up from its cited rows with the sum shown."""
    decimals = max(len(f"{f.value:.6f}".rstrip("0").split(".")[1]) for f in facts)
    total = round(sum(f.value for f in facts), max(decimals, 2))
    unit = facts[0].unit
    terms = " + ".join(f"{format_amount(f.value, unit, f.loc.quote)}[{n}]" for n, f in enumerate(facts, start=1))
    parts = "、".join(f"{norm_label(f.row)}" for f in facts)
    text = (f"{who(documents, facts[0].loc.doc_id)}{label}（{parts}之和，见{where(facts[0])}）：\n"
            f"{terms} = **{format_amount(total, unit)}**（表中未列合计，此数由所引各行相加得出）")
    return Answer(question, "table", False, text, [Value(total, unit, f"{label}{COMPUTED}")],
                  [cite_fact(f, documents) for f in facts])


def figure_answer(question: str, figures: list[TextFigure], documents: dict[str, Document],
                  facts: list[Fact] = ()) -> Answer:
    """Figures stated in prose (optionally beside a table reading that disagrees)."""
    values, citations, lines = [], [], []
    n = 0
    for fact in facts:
        n += 1
        values.append(fact_value(fact, fact_label(fact)))
        citations.append(cite_fact(fact, documents))
        lines.append(f"表格所列：{fact_label(fact)} **{format_amount(fact.value, fact.unit, fact.loc.quote)}**，见{where(fact)}。[{n}]")
    for figure in figures:
        n += 1
        values.append(Value(figure.value, figure.unit, figure.context.replace("|", "…").strip("…")))
        citations.append(cite_figure(figure, documents))
        prefix = "文字说明：" if facts else ""
        lines.append(f"{prefix}**{format_amount(figure.value, figure.unit, figure.sentence)}**{converted(figure)}。原文：“{figure.sentence}”[{n}]")
    subject = who(documents, (facts[0].loc.doc_id if facts else figures[0].loc.doc_id))
    if len(lines) == 1:
        text = f"{subject}：{lines[0]}"
    else:
        text = f"{subject}对此有{len(lines)}个数：\n" + "\n".join(f"{k}. {line}" for k, line in enumerate(lines, 1))
        text += "\n各处数额不同，请以原文为准并核对。"
    route = "table" if facts else "text"
    return Answer(question, route, False, text, values, citations, needs_review=len(lines) > 1)


def in_asked_unit(question: str, value: float, unit: str, printed: str) -> str:
    """A money figure printed in one unit, asked for in another (多少万元 of a table in 元): the
    figure in the unit asked, with the conversion, beside the figure as printed."""
    asked = asked_money_unit(question)
    if asked is None or asked == unit or unit not in MONEY:
        return ""
    factor = MONEY[unit] / MONEY[asked]
    operation = f"× {factor:,.0f}" if factor >= 1 else f"÷ {1 / factor:,.0f}"
    return f"（{printed} {operation} = {format_amount(convert(value, unit, asked), asked)}）"  # every digit: nothing rounded


def converted(figure: TextFigure) -> str:
    """A money figure printed in 亿元 or 千元, also in 万元, the tables' unit, with the conversion."""
    if figure.unit not in ("亿元", "千元"):
        return ""
    wan = convert(figure.value, figure.unit, "万元")
    return f"（{format_amount(figure.value, figure.unit, figure.sentence)} = {format_amount(wan, '万元')}）"


def grade_answer(question: str, project_name: str, grade: str, fact: Fact, documents: dict[str, Document]) -> Answer:
    text = (f"{who(documents, fact.loc.doc_id)}：{project_name}的绩效自评等级为**{grade}**"
            f"（总分{format_amount(fact.value, '分', fact.loc.quote)}），见《{fact.title}》。[1]")
    return Answer(question, "table", False, text, [Value(fact.value, "分", "总分")], [cite_fact(fact, documents)])


def passage_answer(question: str, quotes: list, documents: dict[str, Document]) -> Answer:
    """Quoted sentences, one citation per passage, sentences in the order the document has them."""
    by_passage: dict[str, list] = {}
    for quote in quotes:
        by_passage.setdefault(quote.passage.passage_id, []).append(quote)
    citations, lines = [], []
    for group in by_passage.values():
        passage = group[0].passage
        citations.append(cite_passage(passage, documents))
        sentences = sorted({q.sentence for q in group}, key=passage.text.find)
        lines.append(f"> {''.join(sentences)}[{len(citations)}]")
    subject = who(documents, quotes[0].passage.doc_id)
    text = f"据{subject}公开文件“{quotes[0].passage.section}”：\n" + "\n".join(lines)
    return Answer(question, "text", False, text, [], citations)


def list_answer(question: str, listing, documents: dict[str, Document]) -> Answer:
    """A printed list quoted whole: its opening and every item, one citation (qa.lists)."""
    citation = replace(cite_passage(listing.passage, documents), quote=listing.text)
    body = "\n".join(f"> {line}" for line in layout(listing).splitlines() if line.strip())
    text = f"据{who(documents, listing.passage.doc_id)}公开文件“{listing.passage.section}”：\n{body}[1]"
    return Answer(question, "text", False, text, [], [citation])


def cause_answer(question: str, cause, documents: dict[str, Document]) -> Answer:
    """A change and the reason the document gives for it, quoted whole, one citation (qa.causes)."""
    citation = replace(cite_passage(cause.passage, documents), quote=cause.text)
    text = f"据{who(documents, cause.passage.doc_id)}公开文件“{cause.passage.section}”：\n> {cause.text}[1]"
    return Answer(question, "text", False, text, [], [citation])


def place_of(citation: dict) -> str:
    """第3页第12行, 第3页 or 第131行: where to look, in the file the citation names."""
    page = f"第{citation['page']}页" if citation.get("page") else ""
    line = f"第{citation['line']}行" if citation.get("line") else ""
    file = f"{citation['file']} " if citation.get("file") else ""
    return f"{file}{page}{line}"


def computed_answer(question: str, computed, documents: dict[str, Document],
                    stated: TextFigure | None = None) -> Answer:
    """A share or difference of two cited table figures, the formula shown; beside it the figure
    the prose states when that differs."""
    left, right = computed.left, computed.right
    what = "占" if computed.kind == "share" else "与"
    label = f"{fact_label(left)}{what}{fact_label(right)}{'的比例' if computed.kind == 'share' else '之差'}{COMPUTED}"
    text = (f"{who(documents, left.loc.doc_id)}：{fact_label(left)} {format_amount(left.value, left.unit, left.loc.quote)}[1]，"
            f"{fact_label(right)} {format_amount(right.value, right.unit, right.loc.quote)}[2]。\n"
            f"计算：{computed.formula}，即 **{format_amount(computed.value, computed.unit)}**"
            f"（由所引两数计算得出）。")
    values = [Value(computed.value, computed.unit, label)]
    citations = [cite_fact(left, documents), cite_fact(right, documents)]
    if stated is not None:
        citations.append(cite_figure(stated, documents))
        values.append(Value(stated.value, stated.unit, "文字说明所列"))
        text += (f"\n文字说明所列为 **{format_amount(stated.value, stated.unit, stated.sentence)}**，与计算结果不一致，"
                 f"请核对原文：“{stated.sentence}”[3]")
    return Answer(question, "table", False, text, values, citations, needs_review=stated is not None)


def abstain(question: str, reason: str, coverage: str, *, related: list[Fact] = (),
            documents: dict[str, Document] | None = None) -> Answer:
    """No answer; `related` cells (the asked item under another column, scope or table) are
    listed with their citations as what the document does print, never as the answer."""
    text = f"无法回答：{reason}"
    offered = [Related(f.value, f.unit, fact_label(f), cite_fact(f, documents or {})) for f in related]
    if offered:
        lines = [f"- {who(documents or {}, f.loc.doc_id)} {r.label}：{format_amount(f.value, f.unit, f.loc.quote)}，见{where(f)}"
                 for r, f in zip(offered, related, strict=True)]
        text += "\n相关数字（口径与所问不同，不是答案，仅供查阅）：\n" + "\n".join(lines)
    text += f"\n目前可查询的公开文件：{coverage}"
    return Answer(question, "none", True, text, needs_review=True, related=offered)


def coverage_text(documents: dict[str, Document]) -> str:
    if not documents:
        return "（索引为空，请先运行 juesuan-qa ingest）"
    return "；".join(f"{d.department} {d.year or '?'}年度{d.kind}" for d in documents.values())
