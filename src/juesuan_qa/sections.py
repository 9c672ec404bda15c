"""Consecutive passages of one section, read as one text.

Passages are cut to a retrievable length, so a list, a change and its reason, or a sentence may
straddle their cut; they are joined again only within their section (same document and heading),
never across into the next section, the glossary or a project sheet.
"""

from __future__ import annotations

from juesuan_qa.records import Passage


def sections(passages: list[Passage]) -> list[list[Passage]]:
    groups: list[list[Passage]] = []
    for passage in passages:
        last = groups[-1][-1] if groups else None
        if last is not None and (last.doc_id, last.heading, last.kind) == (passage.doc_id, passage.heading, passage.kind):
            groups[-1].append(passage)
        else:
            groups.append([passage])
    return groups


def joined(group: list[Passage]) -> tuple[str, list[tuple[int, Passage]]]:
    """The section's text, and where each passage starts in it (for citing the passage a span is in)."""
    text, starts = "", []
    for passage in group:
        starts.append((len(text), passage))
        text += passage.text
    return text, starts


def passage_at(starts: list[tuple[int, Passage]], offset: int) -> Passage:
    return next(p for start, p in reversed(starts) if start <= offset)
