"""HTML for the web chat: sources with the cited cell or sentence highlighted, and charts.

Pure functions from records to HTML strings, so they are tested without a browser and the
Gradio app only places them. Charts are plain HTML bars: no plotting library, no network.
"""

from __future__ import annotations

import html
import re

from juesuan_qa.domain.vocabulary import GRAND_ROWS
from juesuan_qa.ingest.tables import default_column
from juesuan_qa.original import Mark, original_link
from juesuan_qa.qa.compose import place_of
from juesuan_qa.records import Fact, Project
from juesuan_qa.textutil import format_amount, norm_label, parse_number

MAX_ROWS = 200  # a cited table is shown around its cited row; a 1,000-row 明细表 would stall the page
CSS = """
.src{margin:0 0 12px 0;padding:8px;border:1px solid #ddd;border-radius:6px}
.src .tbox{max-height:320px;overflow:auto;margin-top:6px;border:1px solid #ccc}
.src table{border-collapse:separate;border-spacing:0;font-size:12px}
.src td,.src th{border-right:1px solid #ccc;border-bottom:1px solid #ccc;padding:2px 6px;text-align:right;white-space:nowrap}
.src th{position:sticky;top:0;background:#eef1f5;z-index:1}
.src td:first-child,.src th:first-child{text-align:left;white-space:normal;min-width:9em}
.src .orig{margin-left:6px}
.src .hit{background:#ffe066;font-weight:bold}
.src .row{background:#fff8d6}
.quote{white-space:pre-wrap;font-size:13px;background:#f6f6f0;padding:6px;border-radius:4px}
.quote mark{background:#ffe066}
.bars{font-size:12px}.bars .b{display:flex;align-items:center;margin:2px 0;color:inherit;text-decoration:none}
.bars .l{width:45%;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.bars .v{height:12px;background:#4c78a8;margin:0 6px}
"""


def comparison_html(record: dict, title: str = "各部门对比", anchors: bool = True) -> str:
    """An answer over many departments as a table and a bar chart. With `anchors` (the chat, whose
    source panel lists the citations below) each bar and row links to its source (#source-N);
    without, each row says where its figure is printed."""
    rows = record.get("comparison") or []
    if not rows:
        return ""
    unit = "万元" if rows[0]["unit"] in ("元", "千元", "万元", "亿元") else rows[0]["unit"]
    top = max((abs(r["compared"]) for r in rows), default=0) or 1
    lines = ["<table><tr><th>部门</th><th>年度</th><th>类型</th><th>数字</th><th>来源</th></tr>"]
    bars = []
    for r in rows:
        citation = record["citations"][r["citation"] - 1]
        place = html.escape(" ".join(filter(None, [citation["table"] or citation["section"], place_of(citation)])))
        source = f"<a href='#source-{r['citation']}'>[{r['citation']}]</a>" if anchors else place
        lines.append(f"<tr><td>{html.escape(r['department'])}</td><td>{r['year'] or ''}</td>"
                     f"<td>{html.escape(r['kind'])}</td><td>{format_amount(r['value'], r['unit'])}</td><td>{source}</td></tr>")
        tag, target = ("a", f" href='#source-{r['citation']}'") if anchors else ("div", "")
        bars.append(f"<{tag} class='b'{target} title='{html.escape(r['department'])} — {place}'>"
                    f"<span class='l'>{html.escape(r['department'])}</span>"
                    f"<span class='v' style='width:{max(2, int(200 * abs(r['compared']) / top))}px'></span>"
                    f"{format_amount(r['compared'], unit)}</{tag}>")
    lines.append("</table>")
    return (f"<div class='src cmp'><b>{html.escape(title)}（单位：{html.escape(unit)}）</b>{''.join(lines)}"
            f"<div class='bars'>{''.join(bars)}</div></div>")


def sources_html(record: dict, table_facts) -> str:
    """Every citation of an answer record; `table_facts(doc, table, title)` gives a table's facts."""
    if not record["citations"]:
        return "<p>（无引用：未能在公开文件中找到答案）</p>"
    parts = [comparison_html(record)] if record.get("comparison") else []
    for n, citation in enumerate(record["citations"], start=1):
        where = " · ".join(html.escape(x) for x in [citation["table"] or "", citation["section"],
                                                    citation["row"] or "", citation["column"] or ""] if x)
        facts = table_facts(citation["doc"], citation["table"] or citation["section"], citation["section"]) \
            if citation.get("row") is not None else []
        head = (f"<div class='src' id='source-{n}'><b>[{n}]</b> {html.escape(citation['title'])} — {where} — "
                f"{html.escape(place_of(citation))}{original_anchor(citation, facts, record['answer'])}")
        body = table_html(facts, citation["row"], citation["column"]) if facts else \
            quote_html(citation["quote"], record["answer"])
        parts.append(f"{head}{body}</div>")
    return "\n".join(parts)


def original_anchor(citation: dict, facts: list[Fact], answer: str) -> str:
    """A link to the printed page (webserver), marking the cited cell's printed text, or the
    start of the quoted sentence; none where the source has no pages (Markdown)."""
    if not citation.get("page"):
        return ""
    if facts:
        cell = cited_fact(facts, citation["row"], citation["column"])
        mark = Mark(printed_cell(citation["quote"], cell.value) if cell else "", citation["row"] or "",
                    citation["column"] or "")
    else:
        quoted = quoted_sentences(citation["quote"], answer)
        mark = Mark((quoted[0] if quoted else citation["quote"])[:12])
    href = original_link(citation["doc"], citation["page"], citation.get("file") or "", mark)
    return f"<a class='orig' href='{html.escape(href)}' target='_blank'>查看原文第{citation['page']}页</a>"


def cited_fact(facts: list[Fact], row: str | None, column: str | None) -> Fact | None:
    return next((f for f in facts if (f.row == row or f"{f.part}/{f.row}" == row) and f.column == column), None)


def printed_cell(row_quote: str, value: float) -> str:
    """The cell of a printed row (its quote, cells split by tabs) that prints `value`."""
    for cell in row_quote.split("\t"):
        number = parse_number(cell)
        if number is not None and abs(number - value) < 1e-9:
            return cell.strip()
    return ""


def table_html(facts: list[Fact], row: str | None, column: str | None) -> str:
    """The printed table around the cited row, the cited cell highlighted."""
    rows: list[tuple[str, str]] = []
    columns: list[str] = []
    cells: dict[tuple[str, str, str], Fact] = {}
    for fact in facts:
        key = (fact.part, fact.row)
        if key not in rows:
            rows.append(key)
        if fact.column not in columns:
            columns.append(fact.column)
        cells[(fact.part, fact.row, fact.column)] = fact
    cited = next((i for i, (part, label) in enumerate(rows) if label == row or f"{part}/{label}" == row), 0)
    start = max(0, min(cited - MAX_ROWS // 2, len(rows) - MAX_ROWS))
    header = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    lines = [f"<div class='tbox'><table><tr><th>项目</th>{header}</tr>"]
    for index, (part, label) in enumerate(rows[start:start + MAX_ROWS], start=start):
        hit_row = index == cited
        tds = []
        for c in columns:
            fact = cells.get((part, label, c))
            text = "" if fact is None or fact.empty else format_amount(fact.value, fact.unit, fact.loc.quote).removesuffix(fact.unit)
            css = "hit" if hit_row and c == column else ("row" if hit_row else "")
            tds.append(f"<td class='{css}'>{html.escape(text)}</td>")
        name = f"{part}·{label}" if part else label
        code = f"{cells.get((part, label, columns[0])).code} " if cells.get((part, label, columns[0])) and \
            cells[(part, label, columns[0])].code else ""
        lines.append(f"<tr><td class='{'row' if hit_row else ''}'>{html.escape(code + name)}</td>{''.join(tds)}</tr>")
    lines.append("</table></div>")
    return "".join(lines)


def quoted_sentences(quote: str, answer: str) -> list[str]:
    """The sentences of the answer that the passage holds, in the answer's order."""
    found = []
    for sentence in re.split(r"(?<=[。；！？])", answer):
        sentence = sentence.strip().lstrip(">").strip()
        sentence = re.sub(r"\[\d+\]$", "", sentence).strip()
        if len(sentence) >= 8 and sentence in quote:
            found.append(sentence)
    return found


def quote_html(quote: str, answer: str) -> str:
    """The cited passage, with the sentences the answer quotes highlighted."""
    text = html.escape(quote).replace("\t", " │ ")
    for sentence in quoted_sentences(quote, answer):
        text = text.replace(html.escape(sentence), f"<mark>{html.escape(sentence)}</mark>")
    return f"<div class='quote'>{text}</div>"


def bars_html(title: str, items: list[tuple[str, float]], unit: str) -> str:
    items = [(label, value) for label, value in items if value > 0]
    if not items:
        return ""
    top = max(value for _, value in items)
    rows = "".join(
        f"<div class='b'><span class='l' title='{html.escape(label)}'>{html.escape(label)}</span>"
        f"<span class='v' style='width:{max(2, int(200 * value / top))}px'></span>{format_amount(value, unit)}</div>"
        for label, value in items)
    return f"<div class='bars'><b>{html.escape(title)}</b>{rows}</div>"


def charts_html(facts: list[Fact], projects: list[Project]) -> str:
    """Spending by function (类), basic vs project spending, and the projects' execution."""
    parts = []
    spending = [f for f in facts if "支出" in f.title and len(f.code) == 3 and f.code.startswith("2")]
    if spending:
        title = spending[0].title
        table = [f for f in spending if f.title == title]
        column = default_column(list(dict.fromkeys(f.column for f in table)))
        parts.append(bars_html(f"支出结构（{title}，按功能分类“类”）",
                               [(f.row, f.value) for f in table if f.column == column], table[0].unit))
    totals = [f for f in facts if norm_label(f.row) in GRAND_ROWS and f.column.split("/")[-1] in ("基本支出", "项目支出")]
    if totals:
        title = totals[0].title
        parts.append(bars_html(f"基本支出与项目支出（{title}）",
                               [(f.column.split("/")[-1], f.value) for f in totals if f.title == title], totals[0].unit))
    executed = [(p.name, p.executed) for p in projects if p.executed is not None]
    if executed:
        parts.append(bars_html("项目执行数（绩效自评表）", executed, "万元"))
    return "\n".join(p for p in parts if p) or "<p>（该文件没有可画的数据）</p>"
