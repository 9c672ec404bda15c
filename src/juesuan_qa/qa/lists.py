"""List questions (主要职能有哪些, 包括哪几个预算单位, 内设机构有哪些): the whole list, quoted once.

A list in a disclosure is a sentence that introduces it (主要职能包括：, 预算单位4个，分别为：,
设立9个内设机构，包括…) followed by its items, numbered (1. 2. …, （一）（二）…) or run on with
、 in the same sentence. Passages are cut to a retrievable length, so a long list spans several of
them: the document's passages are read as one text, the list is followed from its opening to the
last item that continues the numbering, and quoted whole with the citation of the passage it
starts in. Sentences are never picked one by one from a list: that is how a list of nine duties
came back as two of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from juesuan_qa.records import Passage
from juesuan_qa.sections import joined, passage_at, sections
from juesuan_qa.store.bm25 import tokenize
from juesuan_qa.textutil import fold

# what asks for a list; 哪些项目 (project sheets) is the router's own list intent
ENUMERATE = re.compile(r"有哪些|包括哪些|包含哪些|是哪些|哪几(?:个|家|项|类|方面)|分别是|分别有|都有什么|有什么职能|"
                       r"主要职能|主要职责|职责是什么|职能是什么|机构设置")
_ASK_WORDS = re.compile(r"有哪些|包括哪些|包含哪些|是哪些|哪几(?:个|家|项|类|方面)?|分别是什么|分别是|分别有|都有什么|"
                        r"有什么|是什么|列出|写明|列明|中|里|的|了|包括|包含|(?:部门|单位)[预决]算|[预决]算公开|公开|说明|情况|"
                        r"[？?。，,：:（）()“”\s]")
# 1. / 1、 / （一） / 一、: an item's number, in either numbering
_MARKER = re.compile(r"(?<![\d.])(\d{1,2})[.．、](?!\d)|[（(]([一二三四五六七八九十]{1,3})[)）]|(?<![\u4e00-\u9fff])([一二三四五六七八九十]{1,3})、")
_OPENS = re.compile(r"包括|分别为|分别是|如下|设有|设立|下设|主要职[能责]|职责是|职能是|[：:]")
_END = re.compile(r"[。！？]")
_CHINESE_NUMBERS = "一二三四五六七八九十"
MAX_ITEMS = 40
MAX_ITEM_CHARS = 400  # one item of a list of duties runs to a few sentences, not a page
_EVERYWHERE = {"预算", "决算", "部门", "单位", "本部门", "本单位"}  # in every sentence: they name no list


@dataclass(frozen=True)
class Listing:
    passage: Passage  # where the list starts: its citation
    text: str  # the opening sentence and every item, as printed
    items: int


def subject_terms(content: str) -> list[str]:
    """What the list is of (职能, 内设机构, 预算单位): the question without its asking words."""
    rest = _ASK_WORDS.sub(" ", content)
    return [w for w in rest.split() if len(w) >= 2 and w not in _EVERYWHERE]


def _names(term: str, text: str) -> bool:
    """Whether a sentence names the term, its words perhaps apart (下属预算单位 printed 下属8个预算单位)."""
    if term in text:
        return True
    words = [w for w in tokenize(term) if w.strip()]
    return len(words) > 1 and re.search(".{0,6}".join(map(re.escape, words)), text) is not None


def _number(match: re.Match[str]) -> int:
    arabic, bracketed, plain = match.groups()
    if arabic:
        return int(arabic)
    word = bracketed or plain
    if word == "十":
        return 10
    if word.startswith("十"):
        return 10 + _CHINESE_NUMBERS.index(word[1]) + 1
    if word.endswith("十"):
        return (_CHINESE_NUMBERS.index(word[0]) + 1) * 10
    if "十" in word:
        tens, ones = word.split("十")
        return (_CHINESE_NUMBERS.index(tens) + 1) * 10 + _CHINESE_NUMBERS.index(ones) + 1
    return _CHINESE_NUMBERS.index(word) + 1 if len(word) == 1 else 0


def _style(match: re.Match[str]) -> int:
    return next(i for i, g in enumerate(match.groups()) if g)


def _items_after(text: str, start: int) -> int:
    """Where a numbered list that begins within a few characters of `start` ends (its last item's
    sentence), or -1 when no item 1 follows."""
    first = next((m for m in _MARKER.finditer(text, start, start + 12) if _number(m) == 1), None)
    if first is None:
        return -1
    style, expected, last = _style(first), 2, first
    for match in _MARKER.finditer(text, first.end()):
        if match.start() - last.end() > MAX_ITEM_CHARS:
            break  # too far from the last item to be the next one
        if _style(match) == style and _number(match) == expected:
            last, expected = match, expected + 1
            if expected > MAX_ITEMS:
                break
        elif _style(match) == style and _number(match) == 1:
            break  # a second list begins
    end = _END.search(text, last.end())
    return end.end() if end else len(text)


def find_list(passages: list[Passage], terms: list[str]) -> Listing | None:
    """The list the terms name, in one document's passages (in document order): of the sentences
    that name the subject and open a list, the one naming most of it (the first, on a tie)."""
    if not passages or not terms:
        return None
    best: tuple[int, int, int, str, list] | None = None
    for group in sections(passages):
        best = _best_in(group, terms, best)
    if best is None:
        return None
    _, start, stop, text, starts = best
    quoted = text[start:stop].strip()
    return Listing(passage_at(starts, start), quoted, max(1, len(list(_MARKER.finditer(quoted)))))


def _best_in(group: list[Passage], terms: list[str], best):
    """The best list opening in one section, if it beats `best` (score, start, stop, text, starts)."""
    text, starts = joined(group)
    begin = 0
    for end_match in [*_END.finditer(text), None]:
        end = end_match.end() if end_match else len(text)
        sentence = text[begin:end]
        folded = fold(sentence)
        found = [t for t in terms if _names(t, folded)]
        opens = list(_OPENS.finditer(sentence))
        if found and opens:
            items_end = max(_items_after(text, begin + o.end()) for o in opens)
            listed = sentence[opens[0].end():]
            if items_end > 0 or listed.count("、") + (1 if re.search("[及和与]", listed) else 0) >= 2:
                score = sum(len(t) for t in found) * 10 + (5 if items_end > 0 else 0)
                if best is None or score > best[0]:
                    best = (score, begin, items_end if items_end > 0 else end, text, starts)
        begin = end
    return best


def layout(listing: Listing) -> str:
    """The list for reading: each numbered item on its own line, the words as printed."""
    return _MARKER.sub(lambda m: "\n" + m.group(0), listing.text).strip()
