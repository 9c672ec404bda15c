"""China's administrative divisions, as data: which leading words of an agency's name are places.

An official name starts with its places, widest first (江苏省, 上海市普陀区, 福州经济技术开发区), and
people drop the level word (江苏高院), the parent place (普陀区财政局) or every place (卫健委). To
take a name apart we must know what a place is, and a hand list would cover only the cities we
have met. The divisions come from the adcodes table that the `cpca` package ships (province → city
→ county, each with its code); its file is read directly, since importing `cpca` loads pandas and an
Aho-Corasick automaton we do not need. Where the package is missing, the level-word rule alone
(two or three characters before 省/市/区/县) still reads the common names.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

LEVEL_WORDS = "省市区县"
# the suffixes a division's name ends with, longest first; the short name is what remains
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "新区", "省", "市", "区", "县", "盟", "旗")
_PROVINCE_SHORT = re.compile(r"^(内蒙古|黑龙江|[\u4e00-\u9fff]{2})")
# the national level, which no division table lists: 国家统计局 is no city's 统计局
NATIONAL = ("国务院", "国家", "中央", "全国", "中国")
_GENERIC = re.compile(r"([\u4e00-\u9fff]{2,3}?)([省市区县])")


@dataclass(frozen=True)
class Place:
    code: str  # the 12-digit division code: 2 digits province, 4 city, 6 county
    name: str  # as officially written: 江苏省, 普陀区
    short: str  # without its level word: 江苏, 普陀

    @property
    def depth(self) -> int:
        """1 province, 2 city (or a municipality's district when the city is the province), 3 county."""
        if self.code[2:] == "0" * 10:
            return 1
        return 2 if self.code[4:] == "0" * 8 else 3


def _short(name: str, code: str) -> str:
    if code[2:] == "0" * 10:  # 广西壮族自治区 → 广西, 内蒙古自治区 → 内蒙古
        found = _PROVINCE_SHORT.match(name)
        return found.group(1) if found else name
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return re.sub(r"(?:[\u4e00-\u9fff]{1,6}?族)+$", "", name[: -len(suffix)]) or name[: -len(suffix)]
    return name


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[Place, ...]]:
    """Every division by its full name and by its short name (普陀 is a district of 上海 and of 舟山)."""
    try:
        path = metadata.distribution("cpca").locate_file("cpca/resources/adcodes.csv")
        text = path.read_text(encoding="utf-8")
    except (metadata.PackageNotFoundError, FileNotFoundError):
        return {}
    table: dict[str, list[Place]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        name, code = row["name"].strip(), row["adcode"].strip()
        if not name or name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        place = Place(code, name, _short(name, code))
        for key in {place.name, place.short}:
            if len(key) >= 2:
                table.setdefault(key, []).append(place)
    return {key: tuple(places) for key, places in table.items()}


@lru_cache(maxsize=1)
def _longest() -> int:
    return max((len(k) for k in gazetteer()), default=4)


def place_at(text: str, start: int = 0) -> tuple[str, int, bool] | None:
    """The place a text names at `start`, as (short name, end, written in full): the longest
    division name there, in full (江苏省, 普陀区) or short (江苏); else the level-word rule (two or
    three characters before 省/市/区/县) when the divisions table is missing."""
    table = gazetteer()
    national = next((w for w in NATIONAL if text.startswith(w, start)), "")
    if national:
        return national, start + len(national), True
    for size in range(min(_longest(), len(text) - start), 1, -1):
        word = text[start:start + size]
        places = table.get(word)
        if not places:
            continue
        if any(p.name == word for p in places):
            return places[0].short, start + size, True
        end = start + size
        if end < len(text) and text[end] in LEVEL_WORDS:  # a short name written with a level word
            return word, end + 1, True
        return word, end, False
    generic = None if table else _GENERIC.match(text, start)
    return (generic.group(1), generic.end(), True) if generic else None


def leading_places(text: str) -> tuple[tuple[str, int, bool], ...]:
    """The places a name starts with, widest first, each with where it ends and whether it was
    written in full (上海市普陀区司法局 → 上海 … 3, 普陀 … 6). A place is taken only where at
    least two characters of name follow it."""
    found, at = [], 0
    while at < len(text):
        place = place_at(text, at)
        if place is None or len(text) - place[1] < 2:
            break
        found.append(place)
        at = place[1]
    return tuple(found)


def is_place(word: str) -> bool:
    """Whether a word names a place for sure: a division written in full (合作市, 普陀区), or the short
    name of a province or city (江苏, 深圳). A county's short name is too often a word (合作, 公安)."""
    if word in NATIONAL:
        return True
    places = gazetteer().get(word, ())
    return any(p.name == word or p.depth <= 2 for p in places)
