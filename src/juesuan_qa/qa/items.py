"""Each document's answer to "its {item}" for the items people compare across departments,
stored when the document is, so that a ranking over thousands of departments reads one row per
document instead of asking each one (3–10 ms each: 1,250 documents of one year are 4–12 s).

A stored figure is that document's answer to the plain question (`ITEM_QUESTION`), cited as the
chat would cite it. A ranking uses it only when it asks exactly that item, with no other
qualifier, of documents of the year asked; anything else is asked live (qa.across).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from functools import lru_cache
from importlib import resources

from juesuan_qa.domain.vocabulary import COMPARABLE_ITEMS
from juesuan_qa.qa.lexicon import Vocabulary
from juesuan_qa.qa.router import Slots
from juesuan_qa.records import Answer, Citation, Value

ITEM_QUESTION = "{department}{year}年{item}是多少？"
# Below this many documents a ranking asks each one live (3–10 ms each: a quarter of a second
# at most); from it on, it reads their stored answers.
STORED_FROM = 50


@lru_cache(maxsize=1)
def policy() -> str:
    """A fingerprint of the code and data that answer: a stored answer of other code is not used."""
    digest = hashlib.sha256()
    package = resources.files("juesuan_qa")
    for folder in ("qa", "domain", "data"):
        for entry in sorted(package.joinpath(folder).iterdir(), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith((".py", ".tsv")):
                digest.update(entry.name.encode() + entry.read_bytes())
    return digest.hexdigest()[:16]


def to_record(answer: Answer | None) -> str | None:
    """The stored form of a document's answer: its first figure and citation, or None (not printed)."""
    if answer is None or answer.abstained or not answer.values or not answer.citations:
        return None
    return json.dumps({"value": asdict(answer.values[0]), "citation": asdict(answer.citations[0]),
                       "several": len(answer.values) > 1}, ensure_ascii=False)


def from_record(record: str) -> tuple[Value, Citation, bool]:
    data = json.loads(record)
    return Value(**data["value"]), Citation(**data["citation"]), data["several"]


def canonical_item(slots: Slots, vocabulary: Vocabulary, *, computed: bool) -> str | None:
    """The comparable item a question over many departments asks, when it asks only that: no
    code, unit other than money, funding scope, column, kind (决算/预算) or computation."""
    if computed or slots.codes or slots.focus or slots.unknown_items or slots.unit_class not in ("", "money") \
            or "决算" in slots.folded or "预算" in slots.folded:
        return None
    asked = {m.text for m in slots.mentions if not any(t.kind == "part" for t in m.terms)}
    for item in COMPARABLE_ITEMS:
        if asked and asked == {m.text for m in vocabulary.match(item)}:
            return item
    return None
