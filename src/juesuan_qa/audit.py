"""Consistency audit of a disclosure (勾稽关系检查): do its tables and its prose add up?

Budget and final-account disclosures repeat the same figures across a dozen tables and the
情况说明 prose; a wrong total, a mistyped class row or a stale percentage shows up as a
disagreement between two printed figures. The checks follow the spirit of the public
GovBudgetChecker rules:

- table rules (audit_rules): 合计 = Σ 类 = Σ 款 = Σ 项 per column; 合计 = 基本支出 + 项目支出 per
  row; 收入总计 = 支出总计; 总计 = 本年合计 + 结转结余; 基本支出 = 人员经费 + 公用经费;
  三公 = 出国 + 公务用车 + 接待; the same figure across tables;
- prose rules (here): an amount stated in prose against the table; 占比 recomputed from the
  amounts; 增长率 recomputed from the change and the current amount; 完成预算的 X%.

Every finding carries the facts and figures it used, so a report can cite both sides. A
difference within the printed precision (0.01 万元, 0.1 for a one-decimal %) is "rounding",
never a mismatch: the disclosures themselves warn of 尾数误差 after unit conversion.
Pure functions over facts and figures; no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

from juesuan_qa.audit_rules import (
    GRAND_ROWS,
    MISMATCH,
    OK,
    ROUNDING,
    Finding,
    columns,
    group_tables,
    judge,
    kind,
    label,
    lead,
    main_column,
    name,
    sangong_item,
    segments,
    side_rows,
    spread,
    table_findings,
)
from juesuan_qa.audit_wording import Said, directions, empty_tables, heading_years, subject_names, wording
from juesuan_qa.domain.units import FIGURE, MONEY, convert
from juesuan_qa.qa.compose import cite_fact, cite_figure, cite_passage, place_of
from juesuan_qa.records import Citation, Document, Fact, Passage, TableRecord, TextFigure
from juesuan_qa.sections import joined, sections
from juesuan_qa.textutil import figure_text, fold, norm_label

if TYPE_CHECKING:
    from juesuan_qa.kb import KnowledgeBase

__all__ = ["Finding", "audit", "audit_document", "render_markdown", "render_text", "to_json"]

RULE_NAMES = {
    "code_sum": "科目合计", "row_sum": "同行合计", "column_group": "栏目小计", "year_items": "本年合计",
    "total_composition": "总计构成", "balance": "收支平衡", "sangong": "三公经费", "basic_detail": "基本支出明细",
    "cross_table": "跨表一致", "basic_split": "人员与公用经费", "prose_amount": "文字与表格", "prose_share": "占比", "prose_growth": "增减率",
    "prose_completion": "预算完成率", "prose_sangong": "三公增减", "prose_name": "科目名称",
    "prose_direction": "增减表述", "empty_table": "空表说明", "heading_year": "标题年份", "wording": "文字表述",
}
STATUS_NAMES = {OK: "一致", ROUNDING: "尾数误差", MISMATCH: "不一致"}
_LEAD = re.compile(r"^(?:其中|\d{4}年度?|全年|本年度|本年)+")
_CHANGE = ("增加", "减少", "增长", "下降", "上升")
MIN_KEY = 4  # a label shorter than 基本支出 names nothing on its own


def audit_document(facts: list[Fact], figures: list[TextFigure], passages: Sequence[Passage] = (),
                   tables: Sequence[TableRecord] = (), year: int | None = None) -> list[Finding]:
    """Every check for one document: table rules first, then prose against tables, then the
    prose's words (audit_wording: names, directions, empty tables, heading years, slips).

    Callers pass one document's records (filter by doc id); findings come back in rule order,
    each with status ok / rounding / mismatch.
    """
    passages, tables = list(passages), list(tables)
    found = table_findings(facts) + list(prose_findings(facts, figures)) + list(subject_names(facts, figures)) \
        + list(directions(figures)) + list(empty_tables(tables, facts, passages)) \
        + list(heading_years(year, facts, passages)) + list(wording(passages))
    unique: dict[object, Finding] = {}
    for finding in found:  # row and column rules can meet on the same cells; a table repeats its 合计 per page
        key = frozenset(map(id, finding.sources))
        repeated = all(isinstance(s, Fact) for s in finding.sources) and finding.message in unique
        if key not in unique and not repeated:
            unique[key] = unique[finding.message] = finding
    return list({id(f): f for f in unique.values()}.values())


def audit(kb: KnowledgeBase, doc_id: str | None = None) -> dict[str, list[Finding]]:
    """Findings per document id of a KnowledgeBase (every document when doc_id is None)."""
    corpus = kb.corpus
    if doc_id is not None and doc_id not in corpus.documents:
        raise ValueError(f"unknown document {doc_id!r}; known: {', '.join(corpus.documents)}")
    ids = [doc_id] if doc_id else list(corpus.documents)
    results = {}
    for d in ids:
        passages = [row.passage for row in kb.store.tables.passages([d])]
        findings = audit_document(corpus.facts_in({d}), corpus.figures_in({d}), passages,
                                  kb.store.tables.tables([d]).get(d, []), corpus.documents[d].year)
        texts = [joined(group)[0] for group in sections(passages)]
        results[d] = [whole_sentences(f, texts) for f in findings]
    return results


_SENTENCE_END = re.compile(r"[。！？!?]")


def whole_sentence(clause: str, texts: list[str]) -> str:
    """The sentence a clause stands in: a figure's `sentence` is cut at ；, so that each clause
    states one figure, but a reviewer is shown what the document says, from 。 to 。 — across the
    end of its passage when a page break cut the sentence there (`texts`: each section's text)."""
    text = next((t for t in texts if clause in t), "")
    start = text.find(clause)
    if start < 0:
        return clause
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, start + len(clause.rstrip("。！？!?")))
    return text[before[-1] if before else 0:after.end() if after else len(text)].strip()


def whole_sentences(finding: Finding, texts: list[str]) -> Finding:
    if not texts:
        return finding
    return replace(finding, sources=tuple(replace(s, sentence=whole_sentence(s.sentence, texts))
                                          if isinstance(s, TextFigure) else s for s in finding.sources))


# ---- prose against tables ----


def last_piece(figure: TextFigure) -> str:
    """What the figure is: the words between the previous figure and this one (收入总计, 基本支出 …)."""
    return fold(FIGURE.split(figure.context.split("|")[0])[-1])


def label_index(facts: list[Fact]) -> dict[str, list[Fact]]:
    """Table figures by the words prose uses for them: 收入总计, 基本支出, 人员经费, 一般公共服务支出 …"""
    index: dict[str, list[Fact]] = {}

    def add(key: str, fact: Fact) -> None:
        if len(key) >= 2:
            index.setdefault(key, []).append(fact)

    for (_, title), table in group_tables(facts).items():
        what, prefix = kind(title, table), "财政拨款" if "财政拨款" in title else ""
        main = main_column(columns(table))
        for f in table if what != "totals" else ():
            row = norm_label(f.row)
            if what == "sangong":
                item = sangong_item(f.row) or next((sangong_item(s) for s in segments(f.column) if sangong_item(s)), None)
                if item:
                    add(f"三公:{item}", f)
            elif not f.code and row in GRAND_ROWS:
                total = {"revenue": "收入合计", "expense": "支出合计", "basic": "基本支出"}.get(what, "")
                add(total if f.column == main else label(f.column), f)
            elif not f.code and row in ("人员经费合计", "公用经费合计"):
                add(row[:-2], f)
            elif len(f.code) == 3 and f.column == main:
                add(row, f)
        for side, lines in side_rows(table).items() if what == "totals" else ():
            for f in (f for f in lines if "/" not in f.row):
                key = norm_label(f.row)
                if not key.endswith(("支出", "收入", "结余", "结转", "合计", "总计")):
                    continue  # 统计管理, 行政运行: a project in the prose may share a 项's name, not its amount
                key = side + key if key in GRAND_ROWS else key
                alias = "收入支出总计" if key in ("收入总计", "支出总计") else key[2:] if key.startswith("本年") else key
                for k in {key, alias}:
                    add(k if k.startswith(prefix) else prefix + k, f)
    return index


_MEASURE_TAIL = re.compile(r"(?:财政拨款|支出|决算数?|预算数?|为|共计|合计|安排)+$")


def lookup(index: dict[str, list[Fact]], words: str) -> list[Fact]:
    """Table figures named by the longest suffix of the words that is a known label."""
    words = _LEAD.sub("", fold(words).replace("(类)", ""))
    plain = words.replace("一般公共预算", "").replace("财政拨款", "")  # whose money, not which measure
    core = _MEASURE_TAIL.sub("", plain)  # “三公”经费支出决算 is the 三公 total's 决算数
    tail = plain[len(core):]
    measure = "决算" if "决算" in tail else "预算" if "预算" in tail else ""
    item = sangong_item(words.removesuffix("支出")) if len(words) <= 14 else None
    item = "total" if item is None and "三公" in core and core.endswith("经费") else item
    if item == "total" and "三公" not in words or item != "total" and not words.endswith(("费", "费支出")):
        item = None
    if item and f"三公:{item}" in index:
        cells = index[f"三公:{item}"]
        return ([f for f in cells if measure in f.column] or cells) if measure else cells
    for start in range(0, len(words) - MIN_KEY + 1):
        if words[start:] in index:  # the same label in the 财政拨款 tables is another reading of it
            return index[words[start:]] + index.get("财政拨款" + words[start:], [])
    return []


def best(options: list[Finding]) -> Finding | None:
    """Of several readings (the same label in several tables), the one that agrees best."""
    return min(options, key=lambda f: abs(f.difference)) if options else None


def to_wan(fact: Fact) -> float:
    return convert(fact.value, fact.unit, "万元")


def _in_wan(figure: TextFigure) -> TextFigure:
    """A money figure stated in 亿元 or 元, compared in the tables' 万元."""
    if figure.unit in MONEY and figure.unit != "万元":
        return replace(figure, value=convert(figure.value, figure.unit, "万元"), unit="万元")
    return figure


def prose_findings(facts: list[Fact], figures: list[TextFigure]) -> Iterator[Finding]:
    index = label_index(facts)
    figures = [_in_wan(g) for g in figures]
    years = Counter(int(y) for g in figures for y in re.findall(r"(20\d{2})年", g.sentence))
    year = years.most_common(1)[0][0] if years else 0  # the year the disclosure speaks of most
    sections: dict[tuple, list[TextFigure]] = {}
    for figure in figures:
        sections.setdefault((figure.loc.section, figure.heading, figure.loc.file), []).append(figure)
    for section in sections.values():
        for n, figure in enumerate(section):
            same = [g for g in section[:n] if g.sentence == figure.sentence and g.loc.line == figure.loc.line]
            earlier = section[:n]
            found = None
            if figure.unit == "万元":
                found = _amount(index, figure, year)
            elif figure.unit == "%" and same:
                piece = last_piece(figure)
                if "完成" in piece and "预算" in piece:
                    found = _completion(figure, same)
                elif any(w in piece for w in _CHANGE):
                    yield from _growth(figure, same, earlier)
                elif "占" in piece:
                    found = _share(index, figure, same, earlier)
            if found is not None:
                yield found
        if any("三公" in h for h in (section[0].loc.section, *section[0].heading)):
            yield from _sangong_changes(section)


def _prior(figure: TextFigure, year: int) -> bool:
    """A figure stated of an earlier year (上年, 2022年 in a 2023 disclosure) is not about these tables;
    what the sentence says after the figure (与2023年度相比…) is about another one."""
    said = lead(figure) + figure.context.split("|")[0]
    years = [int(y) for y in re.findall(r"(20\d{2})年", said)]
    return "上年" in said or any(y < year for y in years)


def _amount(index: dict[str, list[Fact]], figure: TextFigure, year: int) -> Finding | None:
    piece = last_piece(figure)
    if any(w in piece for w in _CHANGE + ("预算", "比", "较")) or _prior(figure, year):
        return None
    qualified = "财政拨款" + _LEAD.sub("", piece)  # 财政拨款收入总计…，支出总计: the qualifier is said once
    facts = index[qualified] if "财政拨款" in figure.context and qualified in index else lookup(index, piece)
    return best([judge("prose_amount", name(figure), f"表中{name(f)}", figure.value, to_wan(f), [figure, f],
                       "万元", precision=[figure]) for f in facts])


def _amounts(figures: list[TextFigure]) -> list[TextFigure]:
    return [g for g in figures if g.unit == "万元"]


def _share(index, figure: TextFigure, same: list[TextFigure], earlier: list[TextFigure]) -> Finding | None:
    """占比 X% = item / total, the total stated earlier in the section (or named: 占本年支出合计的)."""
    items = _amounts(same)
    if not items or items[-1] is not same[-1]:
        return None
    item, named = items[-1], last_piece(figure).split("占", 1)[1].removesuffix("的")
    if named and named != "比":
        totals: list[Fact | TextFigure] = list(lookup(index, named))
    else:  # the whole: stated first in its sentence, before the items, not itself an item with a share
        shares = {id(g) for k, g in enumerate(earlier[:-1]) if earlier[k + 1].unit == "%"}
        firsts = {id(next(g for g in earlier if g.sentence == h.sentence and g.loc.line == h.loc.line))
                  for h in earlier}
        totals = [g for g in _amounts(earlier) if g is not item and id(g) not in shares and id(g) in firsts
                  and (g.value >= item.value > 0 or item.value == 0)][-1:]
    options = []
    for total in totals:
        base = to_wan(total) if isinstance(total, Fact) else total.value
        if base > 0:
            scale = base / total.value if total.value else 1.0  # a table cell in 元 is compared in 万元
            options.append(judge("prose_share", name(figure), f"{figure_text(item.value)}万元÷{figure_text(base)}万元",
                                 figure.value, item.value / base * 100, [figure, item, total], "%",
                                 precision=[figure],
                                 within=spread(lambda part, whole, k=scale: part / (whole * k) * 100, [item, total])))
    return best(options)


def _completion(figure: TextFigure, same: list[TextFigure]) -> Finding | None:
    """完成（年初）预算的 X% = 决算数 / 预算数, both stated before it in the sentence."""
    amounts = _amounts(same)
    budgets = [g for g in amounts[:-1] if "预算" in last_piece(g)]
    if len(amounts) < 2 or not budgets or budgets[-1].value <= 0:
        return None
    spent, budget = amounts[-1], budgets[-1]
    return judge("prose_completion", name(figure), f"{figure_text(spent.value)}万元÷{figure_text(budget.value)}万元", figure.value,
                 spent.value / budget.value * 100, [figure, spent, budget], "%", precision=[figure],
                 within=spread(lambda done, planned: done / planned * 100, [spent, budget]))


def _changes(figure: TextFigure) -> bool:
    return figure.unit == "万元" and any(w in last_piece(figure) for w in _CHANGE)


def _years(text: str) -> set[str]:
    return set(re.findall(r"20\d{2}", text)) | ({"上年"} if "上年" in text else set())


def _growth(figure: TextFigure, same: list[TextFigure], earlier: list[TextFigure]) -> list[Finding]:
    """增长/下降 X% = 增减额 / 上年数. 上年数 is stated (比上年…X万元) or is 本年数 ∓ 增减额, 本年数 stated
    before the change (in the sentence, or just before a sentence opening with 比上年…); when 本年数,
    上年数 and 增减额 are all stated, 本年 − 上年 = 增减额 is checked too."""
    change = same[-1] if _changes(same[-1]) else None
    amounts = [g for g in _amounts(same) if g is not change]
    down = any(w in last_piece(figure) + (last_piece(change) if change else "") for w in ("减少", "下降"))
    sign = -1 if down else 1
    if change is None:  # 上年 X 万元，本年 Y 万元，比上年增加 Z%: no change amount, two amounts
        bases = [g for g in amounts if _years(last_piece(figure)) & _years(last_piece(g))]
        if not bases or amounts[-1] is bases[-1] or bases[-1].value <= 0:
            return []
        base, now = bases[-1], amounts[-1]
        return [judge("prose_growth", name(figure), f"({figure_text(now.value)}−{figure_text(base.value)})÷{figure_text(base.value)}万元",
                      figure.value, sign * (now.value - base.value) / base.value * 100, [figure, now, base], "%",
                      precision=[figure],
                      within=spread(lambda current, before: sign * (current - before) / before * 100, [now, base]))]
    bases = [g for g in amounts if last_piece(g).startswith(("比", "较"))]
    current = [g for g in amounts if g not in bases and not _changes(g)]
    before_sentence = [g for g in earlier if g.sentence != change.sentence]
    if not current and not bases and fold(change.sentence).startswith(("比", "较", "与上年", "同比")):
        current = [g for g in before_sentence[-1:] if g.unit == "万元" and not _changes(g)]
    if not current and not bases:
        subject = re.sub(r"^(与上年相比|比上年度?|较上年度?|同比)|(增加|减少|增长|下降|上升)$", "",
                         last_piece(change)).replace("决算", "")
        current = [g for g in _amounts(earlier) if len(subject) >= 2 and _same_subject(g, subject)]
    found = []
    if bases and current:
        now, base = current[-1], bases[-1]
        found.append(judge("prose_growth", name(change), f"本年{figure_text(now.value)}万元−上年{figure_text(base.value)}万元",
                           change.value, sign * (now.value - base.value), [change, now, base], "万元",
                           precision=[change, now, base]))
    before = bases[-1].value if bases else current[-1].value - sign * change.value if current else 0
    if before > 0:
        reference = (bases or current)[-1]
        if bases:
            rate = spread(lambda delta, old: delta / old * 100, [change, reference])
        else:  # 上年 = 本年 ∓ 增减额
            rate = spread(lambda delta, now: delta / (now - sign * delta) * 100, [change, reference])
        found.append(judge("prose_growth", name(figure), f"{figure_text(change.value)}万元÷上年{figure_text(before)}万元",
                           figure.value, change.value / before * 100, [figure, change, reference], "%",
                           precision=[figure], within=rate))
    return found


def _same_subject(figure: TextFigure, subject: str) -> bool:
    """收入总计 ~ 2023年度收入总计; 财政拨款支出总计 ~ …支出总计 (the qualifier said once before)."""
    piece = _LEAD.sub("", last_piece(figure).replace("决算", ""))
    return piece.endswith(subject) or len(piece) >= 4 and subject.endswith(piece)


def _sangong_changes(section: list[TextFigure]) -> Iterator[Finding]:
    """The change of the 三公 total stated in prose = Σ the changes stated for its items."""
    changes: dict[str, TextFigure] = {}
    for figure in section:
        head = re.split(r"\d", _LEAD.sub("", fold(figure.sentence)))[0]
        item = "total" if "三公" in head else sangong_item(head)
        if figure.unit == "万元" and item and any(w in last_piece(figure) for w in _CHANGE):
            changes.setdefault(item, figure)
    items = [changes[i] for i in ("abroad", "car", "reception") if i in changes]
    items += [changes[i] for i in ("car_buy", "car_run") if i in changes and "car" not in changes]
    if "total" in changes and items:
        total = changes["total"]

        def signed(g: TextFigure) -> float:
            return -g.value if any(w in last_piece(g) for w in ("减少", "下降")) else g.value
        yield judge("prose_sangong", name(total), "各项经费增减额之和（未说明增减的项目按0计）", signed(total),
                    sum(map(signed, items)), [total, *items], "万元", precision=[total, *items])


# ---- reports ----


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    findings = list(findings)
    return {"checks": len(findings), **{s: sum(f.status == s for f in findings) for s in (OK, ROUNDING, MISMATCH)}}


def notable(findings: Iterable[Finding]) -> list[Finding]:
    """Mismatches first, then rounding; ok findings are only counted."""
    return [f for s in (MISMATCH, ROUNDING) for f in findings if f.status == s]


def citations(finding: Finding, documents: Mapping[str, Document]) -> list[Citation]:
    """Citations of the printed sources, each place once (three figures of one sentence cite it once);
    blank cells (zeros by convention) are counted, not cited."""
    cited = [cite_fact(s, dict(documents)) if isinstance(s, Fact) else
             replace(cite_passage(s.passage, dict(documents)), quote=s.sentence) if isinstance(s, Said) else
             cite_figure(s, dict(documents))
             for s in finding.sources if not (isinstance(s, Fact) and s.empty)]
    return list(dict.fromkeys(cited))


def blanks(finding: Finding) -> str:
    n = sum(isinstance(s, Fact) and s.empty for s in finding.sources)
    return f"（另有{n}个空栏按0计，未逐一引用）" if n else ""


def _docs(documents: Mapping[str, Document] | Iterable[Document]) -> dict[str, Document]:
    return dict(documents) if isinstance(documents, Mapping) else {d.doc_id: d for d in documents}


def _title(doc_id: str, documents: dict[str, Document]) -> str:
    doc = documents.get(doc_id)
    return f"{doc.title or doc.department}（{doc_id}）" if doc else doc_id


def cited_text(citation: Citation) -> str:
    where = " · ".join(x for x in (citation.table, citation.section if citation.section != citation.table else "",
                                   citation.row and f"行“{citation.row}”", citation.column and f"列“{citation.column}”",
                                   place_of(asdict(citation))) if x)
    return f"{where}：“{citation.quote.strip()}”"


def summary(c: Mapping[str, int]) -> str:
    return f"检查 {c['checks']} 项：一致 {c[OK]}，尾数误差 {c[ROUNDING]}，不一致 {c[MISMATCH]}"


def render_text(results: Mapping[str, list[Finding]], documents: Mapping[str, Document] | Iterable[Document]) -> str:
    """Plain text for the terminal: per document the counts, then each mismatch and rounding with citations."""
    documents, lines = _docs(documents), []
    for doc_id, findings in results.items():
        lines += [_title(doc_id, documents), f"  {summary(counts(findings))}"]
        for finding in notable(findings):
            lines.append(f"  [{STATUS_NAMES[finding.status]}] {RULE_NAMES.get(finding.rule, finding.rule)}："
                         f"{finding.message}{blanks(finding)}")
            lines += [f"      [{n}] {cited_text(c)}" for n, c in enumerate(citations(finding, documents), start=1)]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_markdown(results: Mapping[str, list[Finding]],
                    documents: Mapping[str, Document] | Iterable[Document]) -> str:
    """Markdown for the web page or a file: the report of audit_report (by section, most serious first)."""
    from juesuan_qa.audit_report import grouped, to_markdown

    return to_markdown(grouped(results, _docs(documents)))


def to_json(results: Mapping[str, list[Finding]],
            documents: Mapping[str, Document] | Iterable[Document]) -> dict[str, Any]:
    """JSON-ready report: per document its counts and every mismatch/rounding with its citations."""
    documents = _docs(documents)
    out = []
    for doc_id, findings in results.items():
        doc = documents.get(doc_id)
        out.append({
            "doc_id": doc_id, "title": doc.title if doc else "", "department": doc.department if doc else "",
            "year": doc.year if doc else None, "kind": doc.kind if doc else "", "counts": counts(findings),
            "findings": [{"rule": f.rule, "rule_name": RULE_NAMES.get(f.rule, f.rule), "status": f.status,
                          "message": f.message + blanks(f), "expected": f.expected, "actual": f.actual,
                          "difference": f.difference,
                          "citations": [asdict(c) for c in citations(f, documents)]} for f in notable(findings)],
        })
    return {"documents": out, "counts": counts(f for fs in results.values() for f in fs)}
