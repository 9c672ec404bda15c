"""Question → slots: which documents, which intent, which unit, which mentions.

No LLM: regexes and dictionaries, in the manner of FinGLM's finalists. Department
names are matched against the indexed documents, colloquial short forms included
(大数据局 for 晋城市大数据应用局: the question's characters appear in order in the name);
an organisation or year the index does not hold is kept as `unknown_*`, so the
pipeline can abstain unless a sentence of the corpus states exactly that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from juesuan_qa.domain.orgnames import fit, surest
from juesuan_qa.domain.vocabulary import ITEM_ENDINGS, POINTER_WORDS
from juesuan_qa.qa.lexicon import UNIT_TERM_KINDS, Mention, Vocabulary, codes_in
from juesuan_qa.qa.lists import ENUMERATE
from juesuan_qa.qa.normalize import normalize
from juesuan_qa.qa.resolve import OrgMention, Resolution, resolve, unknown_place
from juesuan_qa.records import Document
from juesuan_qa.store.bm25 import tokenize
from juesuan_qa.textutil import fold

_ORG = re.compile(
    r"([\u4e00-\u9fff]{2,16}?(?:委员会|办公室|中心|局|厅|支队|大队|总队|宣传部|组织部|统战部|工作部|社工部|信访办|卫健委|卫计委|发改委|教委|经信委|"
    r"住建委|农委|国资委|交委|规自委|检察院|法院|研究院|大学|学院|医院|政协|人大常委会|人大))(?!建设|运营|项目|服务|平台|费|长|机房|大楼|系统|设备|网络)")
# where an organisation name can start; not at 和 (人力资源和社会保障局 is one name)
_ORG_START = re.compile(r".*(?:年度|年底|年末|[年月的了在是问给向对、，,？?：:“”\"（）()#])")
_ORG_PREFIX = re.compile(r"^(?:和|与|及|各|每个|所有|请问|列出|查询|查一下|下属单位|下属|所属|本|该|其|我市|全市)")
_YEAR = re.compile(r"(20\d{2})\s*年")
_SOURCE_CLAUSE = re.compile(r"^(?:根据|据|按照|从)[^，,？?]*[，,]|^[^，,？?]*(?:显示|表明|可知|来看|披露|列示|公布|提到|写明)[，,]")
# （2026年单位预算）/（部门决算公开）: the document named, not a measure asked for (a bare （预算） is one)
_SOURCE_BRACKETS = re.compile(r"[（(](?:20\d{2}年度?(?:部门|单位)?|(?:部门|单位))(?:预算|决算)(?:公开|说明)?[）)]")
_DATE = re.compile(r"(?:截至|截止|到)?20\d{2}年(?:\d{1,2}月(?:\d{1,2}日)?|底|末)(?:底|末)?|(?:截至|截止)20\d{2}年")
# 该单位 / 本部门 point at the department asked about: who, not what
_POINTERS = re.compile(r"[该本此](?:单位|部门|局|委|办|中心)")


def dates_in(text: str) -> set[tuple[int, int, int]]:
    """The dates a text states (截至2025年12月31日, 2025年底 = 12月31日), as (year, month, day)."""
    found = set()
    for match in re.finditer(r"(20\d{2})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?|(底|末))", text):
        year, month, day, end = match.groups()
        if end:
            found.add((int(year), 12, 31))
        elif month:
            found.add((int(year), int(month), int(day) if day else 0))
    return found


_NARRATIVE = re.compile(
    r"为什么|为何|原因|怎么回事|什么是|是什么|指什么|指的是|含义|意思|定义|做了什么|干什么|做什么|做了哪些|哪些工作|"
    r"职责|负责什么|有什么|措施|怎么改进|如何|问题|哪家|哪些|哪里|谁|介绍|说明一下|内容|什么")
_NUMERIC = re.compile(r"多少|几[个辆人次台套分项家篇]?|金额|数额|百分|比例|比重|占比|[^效]率|得分|总分|花了|钱|合计|总计")
_AMOUNT_ASKED = re.compile(r"多少|金额|数额|比例|占比|增长|减少|增加|下降|[^效]率")
_LIST = re.compile(r"哪些项目|哪几个项目|项目有哪些|项目是哪些|项目有哪几个|列出.{0,12}项目")
_PERCENT = re.compile(r"百分|比例|比重|占比|率|%|％|满意度|占[^，,。？?]{1,15}(?:多少|几)")
_COUNT = re.compile(r"几个|多少个|几辆|多少辆|几人|多少人|几次|多少次|几台|多少台|几套|几家|几篇|人次|批次|"
                    r"(?:多少|几)名?(?:在编|在职|编制内|实有)?(?:员工|职工|人员|工作人员|干部)")
# a figure asked of several departments: listed, ranked or compared (qa.across)
ACROSS = re.compile(r"各部门|各单位|各个部门|每个部门|所有部门|几个部门|哪些部门|哪个部门|哪些单位|哪个单位|"
                     r"分别|谁的|谁多|谁少|谁高|哪个多|哪个高|哪个少|最多|最少|最高|最低|前[一二两三四五六七八九十\d]|排名|排第|"
                     r"几倍|多少倍|多多少|差多少|相差")
# a question over a department's documents: its years (哪一年最多, 三年来, 历年), or its 决算 against
# its 预算 (执行率, 超支): several documents of one department answer it together
OVER_EDITIONS = re.compile(r"哪一?年|历年|各年|逐年|每年|近[两三四五几\d]年|[两三四五几\d]年来|这几年|趋势|怎么变|变化情况|"
                           r"20\d{2}\s*年?(?:至|到|-|—|~)\s*20\d{2}|执行率|完成率|执行情况|预算执行|完成.{0,6}预算|超支|超出预算")
# the kind of document named (部门决算, 预算公开), and the words that lean to one kind where a year has
# both (实际, 安排); a measure alone (年初预算, 预算数) names a column that either kind may print
_KIND_NAMED = {"决算": re.compile(r"(?:部门|单位|年度?|的)决算(?!数|执行|.{0,6}表)|决算(?:公开|文件|报告)"),
               "预算": re.compile(r"(?:部门|单位|年度|的)预算(?!数|执行|完成|.{0,6}表)|预算(?:公开|文件|报告)")}
_KIND_LEANS = {"决算": re.compile(r"实际|花了|支出了|决算|执行数"),
               "预算": re.compile(r"安排|预算|计划")}


def kind_named(folded: str) -> tuple[str, bool]:
    """(预算 | 决算 | "", whether the document's kind is named rather than leant to)."""
    for words, strong in ((_KIND_NAMED, True), (_KIND_LEANS, False)):
        named = [kind for kind, pattern in words.items() if pattern.search(folded)]
        if len(named) == 1:
            return named[0], strong
        if named:
            return "", False
    return "", False


_ALL_DEPARTMENTS = re.compile(r"各部门|所有部门|全部部门|各单位|所有单位|全部单位|各家")
_WHICH_ONES = re.compile(r"哪?几(?:个|家)(?:部门|单位)|哪几个|哪几家")
_BASE_YEAR = re.compile(r"(?:比|较|与|同|相比|对比)(20\d{2})\s*年")
_SCORE = re.compile(r"几分|多少分|得分|总分|分值|分数|打了")
PROSE_CUES = re.compile(
    r"比上年|较上年|上年|去年|比20\d{2}|增长|增加|减少|下降|年初预算|完成|占比|占支出|占总|占一般|比例|比重|百分之|"
    r"执行率|下达|合同|批复|支付|追加")
_PROJECT_NOISE = re.compile(r"项目(费用)?$|费用$")


@dataclass
class Slots:
    question: str
    folded: str
    doc_ids: set[str]
    years: list[int] = field(default_factory=list)
    dates: frozenset[tuple[int, int, int]] = frozenset()  # 截至2025年12月31日: the date a figure is asked at
    unknown_org: str = ""
    unknown_year: int | None = None
    intent: str = "numeric"  # numeric | narrative | list
    unit_class: str = ""  # percent | count | score | money | ""
    prose_cue: bool = False
    mentions: list[Mention] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    content: str = ""  # the question without department and year: what is asked
    names: frozenset[str] = frozenset()  # words of the indexed department names (who, not what)
    departments: frozenset[str] = frozenset()  # the department names of the documents in scope
    # item names in the question that no table of the index prints (咨询费 where no document has
    # that row): no cell carries them, so no total stands in for the item
    unknown_items: tuple[str, ...] = ()
    kinds: dict[str, str] = field(default_factory=dict)  # doc_id → 预算 | 决算, of the documents in scope
    doc_years: dict[str, int | None] = field(default_factory=dict)  # doc_id → its fiscal year, in scope
    named: bool = False  # the question names its departments (not only a place, not none)
    orgs: tuple[OrgMention, ...] = ()  # each organisation named, with the departments it fits
    asks_across: bool = False  # a ranking, list, comparison or change over several documents is asked
    kind_asked: str = ""  # 预算 | 决算 when the question names the kind of document
    unknown_kind: str = ""  # the kind named, when the documents in scope are all of the other kind
    missing: tuple[OrgMention, ...] = ()  # organisations named that have no document of the year or kind asked
    candidates: frozenset[str] = frozenset()  # the documents the names point at, before the year and kind
    focus: frozenset[str] = frozenset()  # departments named beside 各部门 (their share of all is asked)


@lru_cache(maxsize=65536)
def _name_words(department: str) -> tuple[str, ...]:
    return tuple(tokenize(department))


@lru_cache(maxsize=65536)
def department_aliases(department: str) -> list[str]:
    """Short forms people use: without the city (大数据应用局) and the name itself."""
    stripped = re.sub(r"^.{1,4}?[省市县区](?!场|长)", "", department)
    return [a for a in {department, stripped} if len(a) >= 3]


def names_department(short: str, official: str) -> bool:
    """Whether a name as people write it means the official department name (domain.orgnames)."""
    return fit(short, official) > 0


def find_orgs(folded: str) -> list[tuple[int, int, str]]:
    """Organisation names in a question: (start, end, name), the name cut at a word boundary."""
    found = []
    for match in _ORG.finditer(folded):
        text = match.group(1)
        head = _ORG_START.match(text)
        offset = head.end() if head else 0
        name = _ORG_PREFIX.sub("", text[offset:])
        if len(name) >= 3:  # the span starts after a leading verb (列出…) so what is asked keeps it
            found.append((match.end(1) - len(name), match.end(1), name))
    return found


def match_documents(folded: str, documents: list[Document], vocabulary: Vocabulary | None = None
                    ) -> tuple[set[str], str, list[tuple[int, int]], Resolution]:
    """Documents the question's organisation names point at (qa.resolve); an organisation-like
    name no document fits is returned as unknown, never dropped.

    A name the tables print as a row (a sub-unit such as 福州市医疗保障基金中心) is a subject
    of the question, not an organisation outside the index.
    """
    units = getattr(getattr(vocabulary, "store", None), "documents_printing", None)
    resolution = resolve(folded, documents, (lambda texts: units(texts, UNIT_TERM_KINDS)) if units else None)
    matched = resolution.doc_ids
    spans = list(resolution.spans)

    def subject(name: str) -> bool:
        return vocabulary is not None and vocabulary.names_subject(name)

    # 晋城运营指挥中心 of the project 智慧晋城运营指挥中心建设项目 is a subject, not an outside body
    unresolved = [u for u in resolution.unknown if not subject(u[2])]
    masked = folded
    for start, end in [*spans, *((s, e) for s, e, _ in unresolved)]:
        masked = masked[:start] + "#" * (end - start) + masked[end:]
    # 上海市司法局下属的上海市戒毒康复中心, 戒毒康复中心（上海市司法局所属）: the parent of a unit
    # the index holds says whose unit it is; it is no organisation outside the index
    others = sorted([*unresolved, *(org for org in find_orgs(masked) if not subject(org[2]))])
    unknown = next((name for start, end, name in others if not any(_parent_of(folded, (start, end), span)
                                                                  for span in spans)), "")
    if not matched and not unknown:  # the place stays in the question: 福州市医疗保障基金中心 is a row
        alone = masked
        for mention in vocabulary.match(masked) if vocabulary is not None else []:
            if any(t.kind in ("project", "row", "unit") for t in mention.terms):  # 智慧晋城…项目 names a project
                alone = alone[:mention.start] + "#" * (mention.end - mention.start) + alone[mention.end:]
        matched = _by_place(alone, documents)
        if not matched:
            unknown = unknown_place(alone, documents)  # 深圳 where no 深圳 document is indexed
    return matched, unknown, spans, resolution


_PARENT_BEFORE = re.compile(r"(?:下属|所属|直属|下设|主管)?(?:的)?(?:单位|机构)?")
_PARENT_AFTER = re.compile(r"[（(](?:系|为|是)?$")
_PARENT_CLOSE = re.compile(r"^(?:所属|下属|直属|主管)(?:单位|机构|事业单位)?[）)]")


def _parent_of(folded: str, parent: tuple[int, int], unit: tuple[int, int]) -> bool:
    """`parent` names the organisation a named unit belongs to: X下属的Y, X所属Y, Y（X所属）."""
    if parent[1] <= unit[0]:
        return _PARENT_BEFORE.fullmatch(folded[parent[1]:unit[0]]) is not None
    return (unit[1] <= parent[0] and _PARENT_AFTER.search(folded[unit[1]:parent[0]]) is not None
            and _PARENT_CLOSE.match(folded[parent[1]:]) is not None)


def _by_place(folded: str, documents: list[Document]) -> set[str]:
    """A place named alone (福州, 普陀区) scopes to its departments: those whose most specific
    place the question names, the most specific place named winning (普陀区 over 上海)."""
    depth_found, found = 0, set()
    for document in documents:
        # 上海交通职业技术学院 names no place level: its document's title does (上海市2026年市级单位预算)
        levels = place_levels(document.department) or place_levels(document.title)
        for depth, level in enumerate(levels, start=1):
            if level not in folded or depth < depth_found:
                continue
            if depth > depth_found:
                depth_found, found = depth, set()
            found.add(document.doc_id)
    return found


@lru_cache(maxsize=65536)
def place_levels(department: str) -> tuple[str, ...]:
    """The places a department name starts with, widest first (上海市普陀区司法局 → 上海, 普陀)."""
    return surest(department).places if department else ()


def route(question: str, documents: list[Document], vocabulary: Vocabulary) -> Slots:
    folded = fold(normalize(question))
    matched, unknown_org, spans, resolution = match_documents(folded, documents, vocabulary)
    by_place = bool(matched) and not spans
    focus = frozenset()
    if matched and not by_place and _ALL_DEPARTMENTS.search(folded):
        focus, matched = frozenset(matched), set()  # X占各部门合计的比例: X among all departments
    doc_ids = matched or {d.doc_id for d in documents}
    candidates = frozenset(doc_ids)  # what the names (or their absence) point at, before year and kind
    # 截至2025年底 / 2025年10月 date a figure inside the document; they choose no document
    years = [int(y) for y in _YEAR.findall(_DATE.sub("", folded))]
    covered = {d.year for d in documents if d.doc_id in doc_ids}
    in_scope = [y for y in years if y in covered]
    # 2026年 … 比2025年: a year beside a covered one is a comparison, not a request for another year
    bases = {int(y) for y in _BASE_YEAR.findall(folded)}  # 比2022年: what a change is measured from
    unknown_year = None if in_scope else next((y for y in years if y not in covered and y not in bases), None)
    if in_scope:
        doc_ids = {d.doc_id for d in documents if d.doc_id in doc_ids and d.year in in_scope}
    elif not years:
        doc_ids, years = _relative_year(folded, documents, doc_ids)
    # 执行率 reads a 决算 against its 预算: no kind is chosen for a question over both
    kind_asked, strong = kind_named(folded) if not OVER_EDITIONS.search(folded) else ("", False)
    of_kind = {d.doc_id for d in documents if d.doc_id in doc_ids and d.kind == kind_asked}
    unknown_kind = ""
    if of_kind and (strong or matched):  # 2023年决算 where a year has a 预算 and a 决算: only the one named
        doc_ids = of_kind
    elif strong and matched and not unknown_year:
        unknown_kind = kind_asked  # 部门决算 of a department whose 决算 is not indexed
    # 苏州市生态环境局和西南大学2026年…: a named organisation with no document of the year or kind asked
    missing = tuple(m for m in resolution.mentions if not (m.doc_ids & doc_ids)) if not unknown_kind else ()
    content = folded
    # a unit is also what is asked about: kept, in the words its document prints it
    units = {(m.start, m.end): m.printed or m.text for m in resolution.mentions if m.unit}
    for start, end in sorted(spans, reverse=True):
        content = content[:start] + units.get((start, end), "") + content[end:]
    dates = dates_in(content)
    content = _SOURCE_BRACKETS.sub("", content)
    content = _YEAR.sub("", _DATE.sub("", content))  # 截至2025年底 dates the figure; it is not what is asked
    content = _POINTERS.sub("", content)
    content = _SOURCE_CLAUSE.sub("", content)  # 根据…部门预算，/ 单位预算显示，: where to look, not what
    for document in documents:
        for alias in department_aliases(document.department):
            content = content.replace(alias, "")
    names = frozenset(t for d in documents for t in _name_words(d.department))
    departments = frozenset(d.department for d in documents if d.doc_id in doc_ids)
    slots = Slots(question=question, folded=folded, doc_ids=doc_ids, years=years, dates=frozenset(dates),
                  unknown_org=unknown_org,
                  unknown_year=unknown_year, content=content, names=names, departments=departments,
                  kinds={d.doc_id: d.kind for d in documents if d.doc_id in doc_ids},
                  doc_years={d.doc_id: d.year for d in documents if d.doc_id in doc_ids},
                  named=bool(matched) and not by_place, focus=focus & doc_ids, orgs=resolution.mentions,
                  asks_across=bool(ACROSS.search(folded) or OVER_EDITIONS.search(folded)), kind_asked=kind_asked,
                  unknown_kind=unknown_kind, missing=missing, candidates=candidates)
    asked = _WHICH_ONES.sub("", content)  # 哪几个部门 / 几个部门里 count departments, not the figure
    if _LIST.search(content):
        slots.intent = "list"
    elif ACROSS.search(content) and any(t.kind != "part" for m in vocabulary.match(content) for t in m.terms):
        slots.intent = "numeric"  # 哪个部门的三公经费最多, 各部门…分别是多少: a figure per department
    elif ENUMERATE.search(content) and not _AMOUNT_ASKED.search(content):
        slots.intent = "enumerate"  # 主要职能有哪些, 包括哪几个预算单位: a printed list, not a figure
    elif _NARRATIVE.search(content) and not _COUNT.search(asked):
        slots.intent = "narrative"
    elif _NUMERIC.search(content) or codes_in(content) or _names_an_item(vocabulary.match(content)):
        slots.intent = "numeric"  # 差旅费 alone, or a code: a figure is asked for
    else:
        slots.intent = "narrative"
    if _SCORE.search(content):
        slots.unit_class = "score"
    elif "百分点" in content:
        slots.unit_class = "points"  # 下降了几个百分点: a difference of rates, not a rate
    elif _PERCENT.search(content):
        slots.unit_class = "percent"
    elif _COUNT.search(asked):
        slots.unit_class = "count"
    else:
        slots.unit_class = "money"
    slots.prose_cue = bool(PROSE_CUES.search(content))
    slots.mentions = vocabulary.match(content)
    slots.codes = codes_in(content)
    slots.unknown_items = unknown_items(content, slots.mentions, vocabulary)
    return slots


# what joins the named parts of a question (基本支出中咨询费安排了多少): never part of an item's name
_GLUE = re.compile(r"[\s，,、。？?：:“”\"（）()]|的|中|里|内|和|与|及|是|了|有|为|在|按|安排|预算数?|决算数?|多少钱?|几|"
                   r"总额|金额|情况|共计|合计|一共|总共|其中|包括|用于|请问|查询|\d+")


def unknown_items(content: str, mentions: list[Mention], vocabulary: Vocabulary) -> tuple[str, ...]:
    """Phrases shaped like an item's name (ITEM_ENDINGS) that no vocabulary mention covers and
    no printed row or project name contains (管理维护费 of 管理维护费用项目 is a project's)."""
    rest = list(content)
    for mention in mentions:
        rest[mention.start:mention.end] = [" "] * (mention.end - mention.start)
    words = [w for w in (POINTER_WORDS.sub("", w) for w in _GLUE.split("".join(rest)) if w)
             if len(w) >= 3 and ITEM_ENDINGS.search(w)]
    # 管理维护费用项目 asks for the project 晋城市大数据应用局管理维护费用: 项目 said after its name
    return tuple(w for w in dict.fromkeys(words) if not vocabulary.names_subject(w)
                 and not (w.endswith("项目") and vocabulary.names_subject(w[:-2])))


_RELATIVE_YEAR = re.compile(r"(?<![比较同与])(今年|本年度|去年|上年度?)(?!结转|结余|数|预算数|决算数|末)")


def _relative_year(folded: str, documents: list[Document], doc_ids: set[str]) -> tuple[set[str], list[int]]:
    """今年 / 本年度 are the latest fiscal year the documents in scope are of; 去年 / 上年 the one
    before it, when the index holds that year's documents (else the documents' own 上年 columns
    and sentences answer). 比上年 is a comparison, not a year."""
    said = _RELATIVE_YEAR.search(folded)
    held = sorted({d.year for d in documents if d.doc_id in doc_ids and d.year})
    if not said or not held:
        return doc_ids, []
    year = held[-1] if said.group(1) in ("今年", "本年度") else held[-1] - 1
    chosen = {d.doc_id for d in documents if d.doc_id in doc_ids and d.year == year}
    return (chosen, [year]) if chosen else (doc_ids, [])


def _names_an_item(mentions: list[Mention]) -> bool:
    return any(t.kind in ("row", "synonym") for m in mentions for t in m.terms)


def project_core(name: str) -> str:
    """A project's name without the generic tail (项目费用), for matching what people type."""
    return _PROJECT_NOISE.sub("", name)


def longest_common(a: str, b: str) -> int:
    """Length of the longest common substring (dynamic programming; names are short)."""
    best = 0
    previous = [0] * (len(b) + 1)
    for ch in a:
        current = [0] * (len(b) + 1)
        for j, other in enumerate(b, start=1):
            if ch == other:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def without_name(content: str, name: str, minimum: int = 4) -> str:
    """The question with the part that names a project removed (its words say which project,
    not what is asked: 需付合同款 is a name, not a question about a 合同)."""
    best, where = 0, 0
    previous = [0] * (len(name) + 1)
    for i, ch in enumerate(content):
        current = [0] * (len(name) + 1)
        for j, other in enumerate(name, start=1):
            if ch == other:
                current[j] = previous[j - 1] + 1
                if current[j] > best:
                    best, where = current[j], i + 1
        previous = current
    return content[:where - best] + content[where:] if best >= minimum else content
