"""The forms of an agency's name that the structural rule (domain.orgnames) cannot reach, generated
from the official names by the irregular short forms kept as data (`data/aliases.tsv`: 生态环境局 →
环保局), with 中共 and （本级） left off as people do."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_PARTY = re.compile(r"^(?:中共)?(.+?[省市区县])委(.{2,6}部)$")


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[str, str], ...]:
    text = resources.files("juesuan_qa.data").joinpath("aliases.tsv").read_text(encoding="utf-8")
    rules = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            long, short = (cell.strip() for cell in line.split("\t")[:2])
            rules.append((long, short))
    return tuple(rules)


@lru_cache(maxsize=65536)
def agency_aliases(official: str) -> tuple[str, ...]:
    """The official name and every short form the rules give, the place kept (the router
    also drops the place, as people do)."""
    names = {official}
    bare = re.sub(r"[（(]本级[）)]$", "", official)
    names.add(bare)
    for name in list(names):
        if name.startswith("中共"):  # 中共北京市委宣传部 is also 北京市委宣传部
            names.add(name[2:])
        party = _PARTY.match(name)
        if party:  # …and 北京市宣传部, 宣传部
            names.add(party.group(1) + party.group(2))
    for name in list(names):
        for long, short in _rules():
            if long in name:
                names.add(name.replace(long, short))
    return tuple(sorted(names, key=len, reverse=True))
