"""Questions over many departments: one cited figure per document, then a list, a ranking
or a comparison, with every computation shown.

Each document is asked the question on its own, under the same answer policy as a single
department, so a figure enters the comparison only when it carries every qualifier asked.
Amounts are compared in 万元 (元 converted, the conversion shown); figures of other units are
compared only with the same unit. Documents of another kind or year are said to differ.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from juesuan_qa.domain.units import MONEY, convert
from juesuan_qa.qa.compose import COMPUTED, abstain
from juesuan_qa.qa.items import STORED_FROM, canonical_item, from_record
from juesuan_qa.qa.lexicon import Vocabulary
from juesuan_qa.qa.router import ACROSS, Slots
from juesuan_qa.records import Answer, Citation, Comparison, Document, Value
from juesuan_qa.textutil import format_amount

# A ranking lists at most this many departments in its table (the rest are counted, not printed):
# ten thousand rows are no answer a reader can use, nor a page a browser should draw.
MAX_LISTED = 50

_CHINESE_ORDINALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_TOP = re.compile(r"前([一二两三四五六七八九十]|\d{1,2})(?:个|名|位|家)?")
_NTH = re.compile(r"(?:(?:排名?|位列)第|第(?=[一二两三四五六七八九十\d]{1,2}(?:位|名|多|高|大)))"
                  r"([一二两三四五六七八九十]|\d{1,2})")
_MOST = re.compile(r"最多|最高|最大|最贵|最大方|第一|花得最多|排名第一|最少|最低|最小|最省")
_LEAST = re.compile(r"最少|最低|最小|最省")
_WHO = re.compile(r"谁|哪个|哪家|哪一个|哪")
_RATIO = re.compile(r"几倍|多少倍|倍数")
_DIFFERENCE = re.compile(r"多多少|少多少|差多少|相差|差距|差额|多出|少了多少|高多少|低多少|多少万元")
_ASKING = re.compile(r"列一下|列出|列示了?|哪些|哪几个|是哪个|的是|谁|[、，,和与及]|三家|两家|几家|之间")
_OF_ALL = re.compile(r"占(?:各部门|所有部门|全部部门|各单位|所有单位|全部单位|各家)?(?:的)?(?:合计|总和|总额|总计|总数)?"
                     r"(?:的)?(?:比例|比重|份额|百分之几|百分比|多少)?")
_SHARE = re.compile(r"占|比重|份额|比例")
_EXECUTION = re.compile(r"执行率|完成率|执行情况|执行了多少|完成了多少")
_COMPARE = re.compile(r"谁|哪个|哪家|比较|对比|相比|差|倍|多多少|少多少|更多|更少|更高|更低|高于|低于|多出|哪个多|哪个高")


@dataclass(frozen=True)
class Entry:
    doc_id: str
    value: Value
    citation: Citation
    compared: float  # in 万元 for money, else as printed


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _CHINESE_ORDINALS.get(text, 1)


def answer(question: str, slots: Slots, documents: dict[str, Document],
           ask_one: Callable[[Slots], Answer | None], coverage: str,
           stored: Callable[[str, list[str]], dict[str, str | None]] | None = None,
           vocabulary: Vocabulary | None = None) -> Answer | None:
    """A question naming no department (or a place, or several departments) over every document
    in scope; None when the question is about one document after all.

    `stored` gives each document's stored answer for a compared item (qa.items): over many
    documents, a question asking only that item reads them instead of asking each document."""
    doc_ids = sorted(slots.doc_ids, key=lambda d: (documents[d].department, documents[d].year or 0))
    if len(doc_ids) < 2:
        return None
    entries: list[Entry] = []
    unclear: list[str] = []
    several: list[str] = []
    # each document is asked what is asked of all: the item, without the words that rank or compare
    content = _ASKING.sub("", ACROSS.sub("", _OF_ALL.sub("", slots.content)))
    # an execution rate is computed from each document's amount, so each is asked for the amount
    computed_from_amounts = _EXECUTION.search(slots.content) or (slots.focus and _SHARE.search(slots.content))
    unit_class = "money" if computed_from_amounts else slots.unit_class
    content = _EXECUTION.sub("", content) if unit_class != slots.unit_class else content
    records = _stored(slots, doc_ids, documents, stored, vocabulary, bool(computed_from_amounts))
    for doc_id in doc_ids:
        if doc_id in records:  # this document's stored answer to the item (None: it prints none)
            if records[doc_id] is None:
                continue
            value, citation, has_several = from_record(records[doc_id])
        else:
            one = replace(slots, doc_ids={doc_id}, departments=frozenset({documents[doc_id].department}),
                          content=content, unit_class=unit_class)
            found = ask_one(one)
            if found is None or found.abstained or not found.values:
                continue
            value, citation, has_several = found.values[0], found.citations[0], len(found.values) > 1
        if value.label.endswith(COMPUTED):
            unclear.append(doc_id)  # a figure computed there is not one cited cell
            continue
        if has_several:
            several.append(doc_id)  # its first reading is the one its own answer states first
        compared = convert(value.value, value.unit, "万元") if value.unit in MONEY else value.value
        entries.append(Entry(doc_id, value, citation, compared))
    if not entries:
        return abstain(question, f"所查{len(doc_ids)}份公开文件都没有列示这一项。", coverage)
    units = {"万元" if e.value.unit in MONEY else e.value.unit for e in entries}
    if len(units) > 1:
        return abstain(question, "各文件列示这一项的单位不同（" + "、".join(sorted(units)) + "），不能直接比较。", coverage)
    content = slots.content
    if slots.focus and _SHARE.search(content):
        return _share(question, entries, slots.focus, doc_ids, documents, unclear)
    if len({documents[e.doc_id].department for e in entries}) == 1 and len(entries) >= 2:
        return _one_department(question, content, entries, documents)
    if slots.named and len(doc_ids) == 2 and len(entries) == 2 and (_RATIO.search(content) or _COMPARE.search(content)):
        return _compare(question, content, entries, documents, slots)
    answer = _ranked(question, content, entries, doc_ids, documents, unclear)
    if several:
        answer.answer += ("\n以下文件对该项另有其他口径的数字（表中列的是其首个读法，可单独询问该部门）："
                          + "、".join(documents[d].department for d in several) + "。")
        answer.needs_review = True
    return answer


def _stored(slots: Slots, doc_ids: list[str], documents: dict[str, Document], stored, vocabulary,
            computed: bool) -> dict[str, str | None]:
    """The stored answers a question over many documents may read: only for a question asking a
    compared item and nothing more, and only for documents of the year asked."""
    if stored is None or vocabulary is None or len(doc_ids) < STORED_FROM:
        return {}
    item = canonical_item(slots, vocabulary, computed=computed)
    if item is None:
        return {}
    of_year = [d for d in doc_ids if not slots.years or documents[d].year in slots.years]
    return stored(item, of_year)


def _shown(entry: Entry) -> str:
    value = entry.value
    printed = format_amount(value.value, value.unit, entry.citation.quote)
    if value.unit in MONEY and value.unit != "万元":
        return f"{printed}（={format_amount(entry.compared, '万元')}）"
    return printed


def _unit(entries: list[Entry]) -> str:
    unit = entries[0].value.unit
    return "万元" if unit in MONEY else unit


def _rows(entries: list[Entry], documents: dict[str, Document], start: int = 1) -> tuple[list[str], list[Comparison]]:
    lines, rows = ["| 排名 | 部门 | 年度 | 类型 | 数字 | 来源 |", "|---|---|---|---|---|---|"], []
    for n, entry in enumerate(entries, start=start):
        doc = documents[entry.doc_id]
        place = " ".join(filter(None, [entry.citation.table, entry.citation.section]))
        lines.append(f"| {n} | {doc.department} | {doc.year or ''} | {doc.kind} | **{_shown(entry)}** | [{n}] {place} |")
        rows.append(Comparison(doc.department, doc.year, doc.kind, entry.value.value, entry.value.unit, entry.compared, n))
    return lines, rows


def _differences(entries: list[Entry], documents: dict[str, Document]) -> str:
    kinds = {(documents[e.doc_id].year, documents[e.doc_id].kind) for e in entries}
    if len(kinds) > 1:
        named = "、".join(f"{y or '?'}年度{k}" for y, k in sorted(kinds, key=lambda x: (x[0] or 0, x[1])))
        return f"\n注意：这些文件的年度或类型不同（{named}），数字口径不同，比较仅供参考。"
    return ""


def _ranked(question: str, content: str, entries: list[Entry], doc_ids: list[str],
            documents: dict[str, Document], unclear: list[str]) -> Answer:
    least = bool(_LEAST.search(content))
    order = sorted(entries, key=lambda e: (e.compared if least else -e.compared, documents[e.doc_id].department))
    nth = _NTH.search(content)
    top = _TOP.search(content) if not nth else None  # 排前三…第三名是多少: the third is what is asked
    if nth:
        asked = order[_number(nth.group(1)) - 1:_number(nth.group(1))]
    elif top:
        asked = order[:_number(top.group(1))]
    elif _MOST.search(content):
        asked = order[:1]
    else:
        asked = []
    shown = order[:MAX_LISTED]
    if asked and asked[-1] not in shown:
        shown = order[:order.index(asked[-1]) + 1]
    lines, rows = _rows(shown, documents)
    listed = {e.doc_id for e in entries}
    missing = [documents[d].department for d in doc_ids if d not in listed and d not in unclear]
    label = entries[0].value.label
    header = (f"{len(doc_ids)}份公开文件中有{len(entries)}份列示了该项（{label}），按{'从低到高' if least else '从高到低'}排列：")
    lead = ""
    if asked:
        names = "、".join(f"{documents[e.doc_id].department}（{_shown(e)}）" for e in asked)
        lead = f"{'最低' if least and not top and not nth else ('排第' + str(_number(nth.group(1))) if nth else ('前' + str(len(asked)) if top else '最高'))}：{names}。\n"
    text = lead + header + "\n" + "\n".join(lines)
    if len(order) > len(shown):
        text += (f"\n（以上是前{len(shown)}份，共{len(order)}份；问“前N名”或限定地区、年度可看到其余部门。）")
    if len(missing) > MAX_LISTED:
        text += f"\n未列示该项的文件共{len(missing)}份，例如：" + "、".join(missing[:10]) + "。"
    elif missing:
        text += "\n未列示该项的文件：" + "、".join(missing) + "。"
    if unclear:
        text += ("\n该项需由几个数字计算得出、未计入排名的文件：" + "、".join(documents[d].department for d in unclear)
                 + "（请单独询问）。")
    text += _differences(entries, documents)
    first = [e for e in asked] + [e for e in shown if e not in asked]
    values = [replace(e.value, label=f"{documents[e.doc_id].department}·{e.value.label}") for e in first]
    citations = [e.citation for e in shown]
    return Answer(question, "table", False, text, values, citations, comparison=rows)


def _share(question: str, entries: list[Entry], focus: frozenset[str], doc_ids: list[str],
           documents: dict[str, Document], unclear: list[str]) -> Answer | None:
    """The named departments' share of the item over all departments that print it, the sum shown."""
    mine = [e for e in entries if e.doc_id in focus]
    total = sum(e.compared for e in entries)
    if not mine or not total:
        return None
    unit = _unit(entries)
    part = sum(e.compared for e in mine)
    share = part / total * 100
    order = sorted(entries, key=lambda e: -e.compared)
    lines, rows = _rows(order, documents)
    names = "、".join(documents[e.doc_id].department for e in mine)
    text = (f"{names}占{len(entries)}个列示该项的部门合计的 **{share:.2f}%**。\n"
            f"计算：{format_amount(part, unit)} ÷ ({' + '.join(format_amount(e.compared, unit) for e in order)} = "
            f"{format_amount(total, unit)}) × 100% = {share:.2f}%\n" + "\n".join(lines))
    listed = {e.doc_id for e in entries}
    missing = [documents[d].department for d in doc_ids if d not in listed]
    if missing or unclear:
        text += "\n未计入（未列示该项或需另行计算）：" + "、".join(missing + [documents[d].department for d in unclear]) + "。"
    values = [Value(round(share, 2), "%", f"{names}占各部门合计的比例（计算）"), *[e.value for e in mine]]
    return Answer(question, "table", False, text, values, [e.citation for e in order], comparison=rows,
                  needs_review=bool(missing or unclear))


def _one_department(question: str, content: str, entries: list[Entry], documents: dict[str, Document]) -> Answer:
    """One department's documents: 决算 against 预算 of one year (执行率 = 决算数 ÷ 预算数), or the
    figure over its years, each change computed from the two cited figures."""
    unit = _unit(entries)
    by_year = sorted(entries, key=lambda e: (documents[e.doc_id].year or 0, documents[e.doc_id].kind != "预算"))
    lines, rows = _rows(by_year, documents)
    budget = [e for e in by_year if documents[e.doc_id].kind == "预算"]
    final = [e for e in by_year if documents[e.doc_id].kind == "决算"]
    paired = [(b, f) for b in budget for f in final if documents[b.doc_id].year == documents[f.doc_id].year]
    if _EXECUTION.search(content) and paired and paired[-1][0].compared:
        b, f = paired[-1]
        rate = f.compared / b.compared * 100
        text = (f"{documents[f.doc_id].department}{documents[f.doc_id].year}年：决算数 {_shown(f)}，预算数 {_shown(b)}，"
                f"执行率 **{rate:.2f}%**。\n计算：{format_amount(f.compared, unit)} ÷ {format_amount(b.compared, unit)} × 100% "
                f"= {rate:.2f}%\n" + "\n".join(lines))
        values = [Value(round(rate, 2), "%", "执行率（决算数÷预算数）"), f.value, b.value]
        return Answer(question, "table", False, text, values, [e.citation for e in by_year], comparison=rows)
    steps = []
    for before, after in itertools.pairwise(by_year):
        change = after.compared - before.compared
        rate = f"，{change / before.compared * 100:+.2f}%" if before.compared else ""
        steps.append(f"{documents[before.doc_id].year}年{documents[before.doc_id].kind}→{documents[after.doc_id].year}年"
                     f"{documents[after.doc_id].kind}：{format_amount(after.compared, unit)} − "
                     f"{format_amount(before.compared, unit)} = {change:+,.2f}{unit}{rate}")
    department = documents[by_year[0].doc_id].department
    text = (f"{department}各年度（{len(by_year)}份公开文件）：\n" + "\n".join(lines) + "\n变化（按所引数字计算）：\n"
            + "\n".join(steps) + _differences(entries, documents))
    return Answer(question, "table", False, text, [e.value for e in by_year], [e.citation for e in by_year],
                  comparison=rows)


def _compare(question: str, content: str, entries: list[Entry], documents: dict[str, Document],
             slots: Slots) -> Answer:
    high, low = sorted(entries, key=lambda e: -e.compared)
    unit = _unit(entries)
    name_high, name_low = documents[high.doc_id].department, documents[low.doc_id].department
    lines, rows = _rows([high, low], documents)
    if _RATIO.search(content) and low.compared:
        first = min(entries, key=lambda e: _position(slots, e.doc_id))  # A是B的几倍: A is named first
        other = low if first is high else high
        ratio = first.compared / other.compared
        shown = f"{ratio:.2f}"
        computed = Value(round(ratio, 2), "倍", f"{documents[first.doc_id].department}÷{documents[other.doc_id].department}")
        text = (f"{documents[first.doc_id].department}是{documents[other.doc_id].department}的 **{shown}倍**。\n"
                f"计算：{format_amount(first.compared, unit)} ÷ {format_amount(other.compared, unit)} = {ratio:.4f} ≈ {shown}倍\n")
    else:
        difference = high.compared - low.compared
        computed = Value(round(difference, 6), unit, f"{name_high}−{name_low}")
        text = (f"{name_high}多，比{name_low}多 **{format_amount(difference, unit)}**。\n"
                f"计算：{format_amount(high.compared, unit)} − {format_amount(low.compared, unit)} = "
                f"{format_amount(difference, unit)}\n")
    text += "\n".join(lines) + _differences(entries, documents)
    values = [computed, high.value, low.value]
    return Answer(question, "table", False, text, values, [high.citation, low.citation], comparison=rows)


def _position(slots: Slots, doc_id: str) -> int:
    """Where the question names a document's organisation (the resolver's mention, read at the door)."""
    return min((m.start for m in slots.orgs if doc_id in m.doc_ids), default=len(slots.folded))
