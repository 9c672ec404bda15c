"""Which organisations a question names, read once at the door: each mention with the documents it
fits, and every organisation-like mention that fits none kept, never dropped.

A mention is found from where organisation names end (a head noun: 局, 委员会, 大学, 政协 …): every
run of name characters before that end is parsed (domain.orgnames) and matched against the
catalogue's departments by the structure of official names, not against a generated list. The
longest fitting run wins; a run fitting some department exactly keeps only the exact fits (公安局
is 北京市公安局, not also its 交通管理局). A sub-unit the tables print (a 预算单位's block, a 单位名称
row) is looked up by its own name and scopes to the documents printing it.

What fits nothing and is shaped like an organisation is `unknown`: the pipeline says it is not in
the index and names the nearest it holds (rapidfuzz), never answering from another document.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from juesuan_qa.domain.aliases import agency_aliases
from juesuan_qa.domain.orgnames import HEADS, fit, index_keys, parse, second_name, surest, typed_keys
from juesuan_qa.domain.places import gazetteer, is_place, leading_places
from juesuan_qa.records import Document
from juesuan_qa.textutil import fold

_NAME_CHAR = re.compile(r"[\u4e00-\u9fff（）()]")
_ENDS = frozenset(h[-1] for h in HEADS) | {"协", "大", "）", ")"}
_LONGEST = 30  # characters an organisation name with its places and scope can take
_PARTICLES = "的是了"  # never inside an agency's name: a span runs up to them, not across
# words that open a question or join names: a mention never starts with them
_OPENER_WORDS = (r"请问|请|问|查询|查一下|列出|对比|比较|关于|和|与|及|跟|同|比|在|的|是|为|给|向|对|从|按|据|各|每个|所有|"
                 r"下属单位|下属|所属|单位|机构|部门|本|该|其|我市|全市|我省|全省")
_OPENERS = re.compile(f"^(?:{_OPENER_WORDS})")
_AFTER_OPENER = re.compile(f"(?:{_OPENER_WORDS}|\\d[年月日]|年度)$")  # where a name may start


@dataclass(frozen=True)
class OrgMention:
    """A span of the question naming an organisation, and what it fits."""

    text: str
    start: int
    end: int
    departments: tuple[str, ...]  # the official department names it fits (one when resolved)
    doc_ids: frozenset[str]
    exact: bool  # the official name (places, party words or scope may be left out)
    unit: bool = False  # a unit printed in a document's tables, not a publishing department
    printed: str = ""  # a unit's name as its document prints it, where the question put it otherwise


@dataclass(frozen=True)
class Resolution:
    mentions: tuple[OrgMention, ...] = ()
    unknown: tuple[tuple[int, int, str], ...] = ()  # organisation-like spans no document fits
    spans: tuple[tuple[int, int], ...] = field(default=())

    @property
    def doc_ids(self) -> set[str]:
        return {d for m in self.mentions for d in m.doc_ids}


@dataclass(frozen=True)
class _Entry:
    name: str  # an official name or a form of it (data aliases, a bracketed second name)
    department: str


class Catalogue:
    """The departments of a set of documents, indexed for matching typed names by structure."""

    def __init__(self, documents: list[Document]) -> None:
        self.doc_ids: dict[str, set[str]] = defaultdict(set)
        self.by_key: dict[tuple[str, str], list[_Entry]] = defaultdict(list)
        for document in documents:
            self.doc_ids[document.department].add(document.doc_id)
        self.places = frozenset(p for department in self.doc_ids for p in surest(department).places)
        for department in self.doc_ids:
            names = {fold(a) for a in agency_aliases(department)}
            if second_name(department):
                names.add(second_name(department))
            for name in names:
                entry = _Entry(name, department)
                local = {r.places[-1] for r in parse(name).readings if r.places}
                for key in index_keys(name):
                    self.by_key[(key, "")].append(entry)
                    for place in local:  # a typed name that names places fits only where one is this
                        self.by_key[(key, place)].append(entry)

    def fits(self, typed: str) -> dict[str, int]:
        """department → how the typed name fits it (2 exactly, 1 as a short form). A name that names
        places is matched only against departments whose most local place it names: an index key,
        so ten thousand departments cost a question a few hundred comparisons."""
        found: dict[str, int] = {}
        readings = parse(typed).readings
        places = {""} if any(not r.places for r in readings) else {p for r in readings for p in r.places}
        buckets = {(key, place) for key in typed_keys(typed) for place in places}
        entries = {entry for bucket in buckets for entry in self.by_key.get(bucket, ())}
        for entry in entries:
            score = fit(typed, entry.name)
            if score > found.get(entry.department, 0):
                found[entry.department] = score
        return found

    def nearest(self, name: str, limit: int = 3) -> list[str]:
        """The departments whose names are closest to one the index does not hold: the body weighs
        most (深圳市审计局 → 苏州市审计局 before 深圳市统计局), the whole name breaks ties."""
        body = surest(name).body

        def score(department: str) -> float:
            return 0.7 * fuzz.ratio(body, surest(department).body) + 0.3 * fuzz.ratio(name, fold(department))

        scored = sorted(((score(d), d) for d in self.doc_ids), key=lambda item: (-item[0], item[1]))
        return [department for value, department in scored[:limit] if value >= 50]


@lru_cache(maxsize=8)
def _catalogue(key: tuple[tuple[str, str], ...]) -> Catalogue:
    return Catalogue([Document(doc_id, "", department, None, "", "", "") for doc_id, department in key])


def catalogue(documents: list[Document]) -> Catalogue:
    return _catalogue(tuple(sorted((d.doc_id, d.department) for d in documents)))


def _candidates(folded: str) -> list[tuple[int, int]]:
    """Spans that could be organisation names: runs of name characters ending where a head
    noun ends, longest first."""
    spans = []
    for end in range(2, len(folded) + 1):
        if folded[end - 1] not in _ENDS:
            continue
        start = end
        while start > 0 and end - start < _LONGEST and _NAME_CHAR.match(folded[start - 1]) \
                and folded[start - 1] not in _PARTICLES:
            start -= 1
        spans += [(s, end) for s in range(start, end - 1)]
    return sorted(spans, key=lambda s: (s[0] - s[1], s[0]))


_JOINS = re.compile(r"[和与及跟同、的是比对在为向从按下所直]")
_HEAD_WORDS = tuple(sorted(HEADS, key=len, reverse=True))


def _continued(folded: str, start: int, end: int) -> int:
    """Where a longer organisation name goes on after a fitting one (卫健委 + 办公室, 审计局 +
    审计中心), or 0: the characters after it end in a head noun where the name ends (at a particle,
    a year, the question's end), joining nothing to it. A project named after its department
    (…应用局城市云平台运维服务费用项目) goes on past its head nouns and is no organisation."""
    at = end
    while at < len(folded) and at - end < 12 and _NAME_CHAR.match(folded[at]) and not _JOINS.match(folded[at]):
        at += 1
        tail = folded[end:at]
        boundary = at == len(folded) or not _NAME_CHAR.match(folded[at]) or _JOINS.match(folded[at])
        if len(tail) >= 2 and boundary and tail.endswith(_HEAD_WORDS):
            return at
    return 0


def _place_led(text: str, held: frozenset[str]) -> bool:
    """A run that opens with a place and ends with a head noun, two characters of name between:
    shaped like an organisation even when no rule of ours knows its body. The place is sure (a
    division in full, a province's or city's short name) or one the indexed departments are of
    (普陀): a county's short name alone is too often a word (合作, 公安)."""
    places = leading_places(text)
    if not places:
        return False
    first = text[:places[0][1]]
    if not (is_place(first) or places[0][0] in held):
        return False
    body = text[places[-1][1]:]
    return len(body) >= 3 and body.endswith(_HEAD_WORDS)


def names_place(text: str) -> bool:
    """Whether a name opens with a place for sure (a division in full, a province's or city's short name)."""
    places = leading_places(text)
    return bool(places) and (places[0][2] or is_place(text[:places[0][1]]))


# the head nouns a name without a place is taken as an agency's by (格局, 怎么办, 平台 end otherwise)
_AGENCY_HEADS = ("委员会", "办公室", "办公厅", "管理局", "中心", "支队", "大队", "总队", "检察院", "法院", "大学", "学院",
                 "医院", "研究院", "政协", "人大", "局", "委", "厅", "署")
_ITEM_WORDS = re.compile(r"费|支出|收入|资金|经费|项目|预算|决算|合计|总计|结余|结转|格局|布局|开局")


def _agency_shaped(folded: str, start: int, end: int) -> bool:
    """A whole run of name characters (not a piece of one) ending in an agency's head noun, three to
    twelve characters, naming no item: 卫健委, 发改委, 国家统计局."""
    text = folded[start:end]
    whole = (start == 0 or not _NAME_CHAR.match(folded[start - 1]) and folded[start:start + 1] != "年"
             or folded[start - 1] in _PARTICLES or _AFTER_OPENER.search(folded[:start]) is not None)
    after = end == len(folded) or not _NAME_CHAR.match(folded[end]) or folded[end] in _PARTICLES \
        or _JOINS.match(folded[end]) is not None
    return (whole and after and 3 <= len(text) <= 12 and text.endswith(_AGENCY_HEADS)
            and not _ITEM_WORDS.search(text) and not _OPENERS.match(text))


def _cut_from_place(folded: str, start: int, held: frozenset[str]) -> bool:
    """Whether the name run a span starts inside opens with a place (太原市 + 大数据应用局, 北京市人民
    + 检察院, 普陀 + 经济和信息化局): a span cut from a name that named its place cannot stand for
    a department without it."""
    run = start
    while run > 0 and _NAME_CHAR.match(folded[run - 1]) and not _JOINS.match(folded[run - 1]):
        run -= 1
    for at in range(run, start):
        for size in range(2, 8):
            word = folded[at:at + size]
            if at + size <= start + 1 and (is_place(word) or word in held
                                           or (word[-1:] in "省市区县" and (is_place(word[:-1]) or word[:-1] in held))):
                return True
    return False


def resolve(folded: str, documents: list[Document], units=None) -> Resolution:
    """The organisations a folded question names. `units(texts)` gives text → documents printing it
    as a sub-unit (the store's vocabulary); None where no store is at hand. Department names and
    printed units compete alike: the longest span that fits either wins."""
    table = catalogue(documents)
    taken: list[tuple[int, int]] = []
    mentions: list[OrgMention] = []
    unknown: list[tuple[int, int, str]] = []
    candidates = _candidates(folded)
    printed = units({folded[s:e] for s, e in candidates if e - s >= 4}) if units is not None else {}
    for start, end in candidates:
        if any(start < e and s < end for s, e in taken):
            continue
        text = folded[start:end]
        if _OPENERS.match(text) and start + 1 < end:
            continue  # the shorter span without the opener is tried too
        if _cut_from_place(folded, start, table.places):
            continue  # 太原市大数据应用局: 大数据应用局 of another city is not what was named
        found = table.fits(text)
        if text in printed and (not found or max(found.values()) < 2 or not names_place(text)):
            # 西安市社会经济调查中心, printed in 西安市统计局（汇总）; a department's own full name wins, but
            # 退役军人服务中心 is 上海's department and 北京's unit alike: both are candidates
            exact = {d for d, score in found.items() if score == 2}
            doc_ids = frozenset(printed[text]) | {i for d in exact for i in table.doc_ids[d]}
            departments = tuple(sorted({d.department for d in documents if d.doc_id in doc_ids}))
            if departments:
                mentions.append(OrgMention(text, start, end, departments, doc_ids, True, unit=not exact))
                taken.append((start, end))
                continue
        if not found:
            continue
        best = max(found.values())
        departments = tuple(sorted(d for d, score in found.items() if score == best))
        doc_ids = frozenset(d for department in departments for d in table.doc_ids[department])
        longer = _continued(folded, start, end)
        if longer:
            printed_as, unit = _unit_under(folded[end:longer], departments, doc_ids, units)
            if unit:  # 杭州市公安局机动车驾驶员考试服务中心: the unit 杭州市公安局 names, asked with its parent
                mentions.append(OrgMention(folded[start:longer], start, longer, departments, unit, True, unit=True,
                                           printed=printed_as))
            else:  # 卫健委办公室: an office inside the department, not the department
                unknown.append((start, longer, folded[start:longer]))
            taken.append((start, longer))
            continue
        mentions.append(OrgMention(text, start, end, departments, doc_ids, best == 2))
        taken.append((start, end))
    for start, end in candidates:  # 佛山海洋牧场服务站: shaped like a place's body the index lacks
        if not any(start < e and s < end for s, e in taken) and _place_led(folded[start:end], table.places):
            unknown.append((start, end, folded[start:end]))
            taken.append((start, end))
    for start, end in candidates:  # 卫健委, 发改委 where the index holds none: an agency's short form
        text = folded[start:end]
        if not any(start < e and s < end for s, e in taken) and _agency_shaped(folded, start, end):
            unknown.append((start, end, text))
            taken.append((start, end))
    mentions = _places_shared(folded, sorted(mentions, key=lambda m: m.start), table)
    spans = tuple(sorted((m.start, m.end) for m in mentions))
    return Resolution(tuple(mentions), tuple(unknown), spans)


def _unit_under(tail: str, departments: tuple[str, ...], doc_ids: frozenset[str], units
                ) -> tuple[str, frozenset[str]]:
    """(the unit's printed name, the documents of `departments` naming it) for a unit `tail` asked
    after its parent department, with or without its place; ("", ∅) when none names it."""
    if units is None or len(tail) < 4:
        return "", frozenset()
    texts = {place + tail for d in departments for place in _place_words(d)} | {tail}
    for text, docs in sorted(units(texts).items(), key=lambda item: -len(item[0])):
        if set(docs) & doc_ids:
            return text, frozenset(set(docs) & doc_ids)
    return "", frozenset()


def _place_words(department: str) -> set[str]:
    """How a department's places open its units' names: 杭州市, 上海市普陀区."""
    name = fold(department)
    reading = surest(department)
    if not reading.places:
        return set()
    end = name.find(reading.body) if reading.body in name else 0
    return {name[:end]} if end else set()


_LIST_JOIN = re.compile(r"^[、，,和与及跟同]$")


def _places_shared(folded: str, mentions: list[OrgMention], table: Catalogue) -> list[OrgMention]:
    """北京统计局、审计局、水务局: a place said once before a list of bodies is the place of each. A
    mention fitting several departments, joined to the one before it by 、/和, keeps those of that
    one's place when that leaves one."""
    out: list[OrgMention] = []
    for mention in mentions:
        before = out[-1] if out else None
        if (before is not None and len(mention.departments) > 1 and len(before.departments) == 1
                and _LIST_JOIN.match(folded[before.end:mention.start])):
            place = surest(before.departments[0]).places[-1:]
            same = tuple(d for d in mention.departments if place and surest(d).places[-1:] == place)
            if len(same) == 1:
                mention = OrgMention(mention.text, mention.start, mention.end, same,
                                     frozenset(table.doc_ids[same[0]]) & mention.doc_ids, mention.exact)
        out.append(mention)
    return out


def unknown_place(folded: str, documents: list[Document]) -> str:
    """A province or city the question names that no document in scope is of (深圳 where the index
    holds no 深圳 document): asked about, it is not in the index."""
    held = "".join(d.department + d.title for d in documents)
    table = gazetteer()
    for size in (4, 3, 2):
        for start in range(len(folded) - size + 1):
            word = folded[start:start + size]
            places = table.get(word)
            if not places or not all(p.depth <= 2 for p in places):
                continue
            if any(p.short in held or p.name in held for p in places):
                continue
            if size == 2 and not any(p.name == word for p in places) and len({p.code for p in places}) != 1:
                continue
            return word
    return ""
