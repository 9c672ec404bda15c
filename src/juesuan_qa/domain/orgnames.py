"""The structure of an official agency name, and whether a name as people type it means it.

An official name is parts in a fixed order: a party prefix (中共, 中国共产党), places widest first
(上海市普陀区), a party committee word (区委, 市委员会) for a party organ, the body with its head
noun (卫生健康委员会, 人民检察院, 大学), and a bracketed scope (（汇总）（本级）) or second name.
People keep some parts and shorten the body: 卫健委, 区委社工部, 省检察院, 江苏高院, 西安市统计局
for 西安市统计局（汇总）. So a typed name fits an official one when, part by part:

- every place it names is one of the official places, and if it names any, it names the most
  local one (上海司法局 is not 上海市普陀区司法局); a level word alone (省, 区) stands for the
  most local place of that level;
- its body starts with the official body's first character, keeps the rest in order (a short
  form drops characters, never adds or reorders them), and ends as the head noun does (卫健委:
  委 of 委员会; 人社局 never means a 人社厅); 人民 may be dropped (人民检察院 → 检察院);
- an office of an institution (人大常委会办公厅, 政协办公厅, 人民政府办公厅) may be named by
  the institution (省人大, 省政协); a unit named under its parent (公安局交通管理局) by its own part
  (交管局, 交警支队); a court or procuratorate by its head noun and place (省法院, 市检察院).

Only the truly irregular forms (环保局 for 生态环境局: no character of the body kept in order) stay as
data in `data/aliases.tsv`; the rule gives the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from juesuan_qa.domain.places import LEVEL_WORDS, leading_places

# A bracket after a name that says which part of the department the document covers.
SCOPE_WORDS = ("本级", "汇总", "本部", "机关", "机关本级", "本级机关", "部门", "部门汇总", "单位", "合并")
_BRACKET = re.compile(r"（([^（）]{1,40})）$")
_PARTY = re.compile(r"^(?:中国共产党|中共)")
_COMMITTEE = re.compile(r"^委(?:员会)?")
# head nouns an agency name ends with, longest first; the short form a typed name may end with
HEADS = ("委员会", "办公厅", "办公室", "管理局", "管理处", "管委会", "检察院", "法院", "研究院", "研究所", "大学", "学院",
         "学校", "医院", "监狱", "中心", "支队", "大队", "总队", "分局", "局", "厅", "委", "办", "部", "院", "队", "所", "站",
         "馆", "会", "社", "处", "室", "署", "台", "校", "园", "场", "团", "府")
_HEAD_SHORT = {"委员会": "委会", "办公厅": "办厅", "办公室": "办室", "管委会": "委会"}
# a court or procuratorate is asked by its head noun and its place (省法院, 市检察院)
_BARE_HEADS = ("法院", "检察院")
# a unit named under its parent agency (公安局交通管理局): asked without the parent (交管局)
_PARENT = re.compile(r"^.{2,8}?[局委厅]")
# institutions whose office publishes for them: 江苏省人大常委会办公厅 is asked as 省人大
_OFFICES = re.compile(r"^(人大常委会|人大常务委员会|人民代表大会常务委员会|政协|人民政府|政府|市委|区委|县委|省委)(办公厅|办公室|机关)$")


@dataclass(frozen=True)
class Reading:
    """One way to take a name apart: the places at its start and the rest (the body)."""

    places: tuple[str, ...]
    body: str
    levels: str = ""  # the level words the places were written with (市, 区), in order
    committee: bool = False  # a party committee word followed the places (区委社会工作部)
    alternative: bool = False  # the level word read as the body's (北京 + 市场监督管理局), tried last


@dataclass(frozen=True)
class OrgName:
    official: str  # as printed, scope included
    readings: tuple[Reading, ...]  # the most places first; a place written in full is always taken
    scope: str = ""  # 汇总, 本级 …


def clean(name: str) -> str:
    """Full-width brackets, no spaces: how names are compared."""
    return re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")


def split_scope(name: str) -> tuple[str, str, str]:
    """(name without its bracket, scope word, second name): 西安市统计局（汇总） → (…, 汇总, "");
    上海市统计和大数据研究院（上海市统计数据管理中心） → (…, "", 上海市统计数据管理中心)."""
    name = clean(name)
    found = _BRACKET.search(name)
    if not found or found.start() < 2:
        return name, "", ""
    inner = found.group(1)
    if inner in SCOPE_WORDS:
        return name[:found.start()], inner, ""
    return name[:found.start()], "", inner


def _readings(text: str) -> tuple[Reading, ...]:
    places = leading_places(text)
    out = []
    # every prefix of the places read: a short place name may be the body's own first word
    # (公安 is a county: 北京市公安局 is 北京 + 公安局), so the shorter readings stay
    for count in range(len(places), -1, -1):
        taken = places[:count]
        end = taken[-1][1] if taken else 0
        levels = "".join(text[p[1] - 1] for p in taken if p[2] and text[p[1] - 1] in LEVEL_WORDS)
        rest = text[end:]
        committee = bool(taken) and bool(_COMMITTEE.match(rest)) and len(rest) > 3
        if committee:
            rest = _COMMITTEE.sub("", rest)
        out.append(Reading(tuple(p[0] for p in taken), rest, levels, committee))
        if count and taken[-1][2]:
            if text[end - 1] in LEVEL_WORDS and not committee:  # 北京市场监督管理局: 北京 + 市场…
                out.append(Reading(tuple(p[0] for p in taken), text[end - 1:], levels[:-1], alternative=True))
            break  # a place written in full is a place: no reading without it
    return tuple(out)


@lru_cache(maxsize=65536)
def parse(official: str) -> OrgName:
    name, scope, _ = split_scope(official)
    return OrgName(clean(official), _readings(_PARTY.sub("", name)), scope)


@lru_cache(maxsize=65536)
def surest(official: str) -> Reading:
    """The reading whose places are all sure: 北京市公安局 is 北京 + 公安局, not 北京 + 公安 (a county) + 局."""
    readings = [r for r in parse(official).readings if not r.alternative]
    return next((r for r in readings if r.places and r.body == readings[-1].body), readings[-1])


@lru_cache(maxsize=65536)
def second_name(official: str) -> str:
    """The name in a trailing bracket that is not a scope word (上海市统计数据管理中心)."""
    return split_scope(official)[2]


def _head(body: str) -> str:
    return next((h for h in HEADS if body.endswith(h) and len(body) > len(h)), body[-1:])


def _is_subsequence(short: str, name: str) -> bool:
    it = iter(name)
    return all(ch in it for ch in short)


def body_fit(typed: str, body: str, placed: bool = False) -> int:
    """2 when a typed body is the official one (人民 may be dropped), 1 when it is a short form
    of it by the rule above, 0 otherwise. `placed`: the typed name named its place or level."""
    if not typed or not body:
        return 0
    plain = body.replace("人民", "") if len(body) > 4 else body
    if typed in (body, plain):
        return 2
    office = _OFFICES.match(body)
    if office:  # 政协办公厅 asked as 政协, 人大常委会办公厅 as 人大
        institution = office.group(1)
        if typed == institution or (len(typed) >= 2 and institution.startswith(typed)):
            return 1
    head = _head(plain)
    if placed and typed == head and head in _BARE_HEADS:
        return 1
    parent = _PARENT.match(body)
    if parent and len(body) - parent.end() >= 3 and body_fit(typed, body[parent.end():]):
        return 1
    head = _head(body)
    ends = typed[-1] == body[-1] or typed[-1] in _HEAD_SHORT.get(head, "")
    for official in (body, plain):
        if len(typed) >= 2 and typed[0] == official[0] and ends and _is_subsequence(typed, official):
            return 1
    return 0


def _places_fit(typed: Reading, official: Reading) -> bool:
    if not typed.places:
        return True
    if any(p not in official.places for p in typed.places):
        return False
    return official.places[-1] in typed.places  # the most local place, when places are named


def fit(typed: str, official: str) -> int:
    """How a typed organisation name fits an official one: 2 exactly (places, party words and
    scope may be left out), 1 as a short form, 0 not at all."""
    org, said = parse(official), parse(typed)
    if said.scope and org.scope and said.scope != org.scope:
        return 0
    best = 0
    for mine in said.readings:
        for theirs in org.readings:
            if not _places_fit(mine, theirs) or (mine.committee and not theirs.committee):
                continue
            variants = [mine.body]
            # a level word alone for the most local place (省检察院, 区委社工部, 市大数据局), unless
            # the body itself starts with it (市场监管局)
            if not mine.places and mine.body[:1] in LEVEL_WORDS and theirs.places:
                rest = mine.body[1:]
                if theirs.committee and _COMMITTEE.match(rest):
                    rest = _COMMITTEE.sub("", rest)
                if theirs.levels.endswith(mine.body[0]) or not theirs.levels:
                    variants.append(rest)
            best = max([best] + [body_fit(v, theirs.body, placed=bool(mine.places) or v != mine.body)
                                 for v in variants])
            if best == 2:
                return 2
    return best


def _first_chars(body: str) -> set[str]:
    plain = body.replace("人民", "") if len(body) > 4 else body
    keys = {body[:1], plain[:1]}
    office = _OFFICES.match(body)
    if office:
        keys.add(office.group(1)[0])
    parent = _PARENT.match(body)
    if parent and len(body) - parent.end() >= 3:
        keys |= _first_chars(body[parent.end():])
    head = _head(plain)
    if head in _BARE_HEADS:
        keys.add(head[0])
    return keys - {""}


@lru_cache(maxsize=65536)
def index_keys(official: str) -> frozenset[str]:
    """The characters a typed name fitting `official` can start its body with: an index key, so a
    question is matched against a few departments, not the whole catalogue."""
    return frozenset(k for reading in parse(official).readings for k in _first_chars(reading.body))


@lru_cache(maxsize=65536)
def typed_keys(typed: str) -> frozenset[str]:
    """The characters a typed name's body starts with, a level word (市, 区委) dropped or not."""
    keys = set()
    for reading in parse(typed).readings:
        keys.add(reading.body[:1])
        if reading.body[:1] in LEVEL_WORDS:
            keys.add(_COMMITTEE.sub("", reading.body[1:])[:1])
    return frozenset(keys - {""})
