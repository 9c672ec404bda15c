"""Why-questions (为什么三公经费比上年减少, 收入增加的原因): the sentence that states the change of
the item asked, with the reason the document attaches to it.

A disclosure states a change and then its cause, in the same sentence (…减少15.37万元，主要原因是…)
or in the next one (…减少6.43%。主要原因是… / 减少的主要原因是…). The answer is that pair, quoted
whole from the section about the item: never a definition from the glossary (a glossary says what
an item is, not why it moved), and never a cause attached to another item's change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from juesuan_qa.domain.vocabulary import DIRECTION_WORDS
from juesuan_qa.records import Passage
from juesuan_qa.sections import joined, passage_at, sections
from juesuan_qa.textutil import fold

ASKS_WHY = re.compile(r"为什么|为何|原因|怎么回事|缘何|何故")
CHANGE = re.compile("|".join(sorted(DIRECTION_WORDS, key=len, reverse=True)) + r"|完成(?:年初)?预算")
REASON = re.compile(r"主要原因[是为：:]?|原因[是为：:]|主要是由于|主要是因为|主要是|由于|因为|系因|主要用于")
_REASON_OPENS = re.compile(r"^(?:其中[，,]?)?(?:(?:增加|减少|增长|下降|上升|降低|变化|变动|差异|增减变动)的?)?"
                           r"(?:主要)?(?:原因|情况)|^(?:主要是|由于|因为)")
# a statement that opens with its comparison (比上年执行数减少…) is about the subject of the one before
_COMPARISON_ONLY = re.compile(r"^\s*(?:[，,]?(?:与上年度?|与20\d{2}年度?)?(?:相比|比|较|同比)[^，,；。]{0,16}|其中[，,：:]?)\s*$")
_LEVELS = re.compile(r"[（(][类款项][）)]")  # 一般公共服务（类）支出 is 一般公共服务支出
_NOT_ITEM = {"为什么", "为何", "原因", "主要原因", "主要", "什么", "上年", "比上年", "去年", "大幅", "明显", "较大",
             "增加", "减少", "增长", "下降", "上升", "降低", "变化", "情况", "是什么", "多少"}
NEXT_SENTENCES = 2  # how far after the change its reason may be stated
_FULL_STOP = re.compile(r"[。！？!?]")
_STATEMENT = re.compile(r"[；;]")


@dataclass(frozen=True)
class Cause:
    passage: Passage  # the passage the change is stated in: the citation
    text: str  # the sentences from the change through its reason, as printed
    score: float


def item_terms(terms: list[str]) -> list[str]:
    """The question's words that name the item (公务接待费, 一般公共预算拨款收入), not its asking words."""
    return [t for t in terms if t not in _NOT_ITEM and not CHANGE.fullmatch(t) and not ASKS_WHY.search(t)]


def direction(content: str) -> str:
    """增 or 减 when the question says which way the item moved."""
    said = {way for word, way in DIRECTION_WORDS.items() if word in content}
    said |= {"增"} if "多了" in content else set()
    said |= {"减"} if "少了" in content else set()
    said.discard("平")
    return said.pop() if len(said) == 1 else ""


def _plain(text: str) -> str:
    return _LEVELS.sub("", fold(text))


def find_cause(passages: list[Passage], terms: list[str], way: str = "") -> Cause | None:
    """The best change-and-reason pair naming the item: the item named before the change word in
    its own statement counts most (longer names more), a reason must follow in that sentence or
    open one of the next two, and the direction asked must match."""
    items = item_terms(terms)
    if not items:
        return None
    best: Cause | None = None
    for group in sections([p for p in passages if p.kind != "glossary"]):
        text, starts = joined(group)
        bounds = [0, *(m.end() for m in _FULL_STOP.finditer(text))]
        if bounds[-1] < len(text):
            bounds.append(len(text))
        sentences = [(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1)]
        previous_subject = ""
        for n, (begin, end) in enumerate(sentences):
            sentence = text[begin:end]
            offset = 0
            for statement in _STATEMENT.split(sentence):
                at = offset
                offset += len(statement) + 1
                changes = list(CHANGE.finditer(statement))
                if not changes:
                    previous_subject = statement
                    continue
                since = 0
                for change in changes:  # 公务接待费…减少2万元，公务用车运行维护费比上年增加3万元: two items' changes
                    own, since = statement[since:change.start()], change.end()
                    subject = _plain(previous_subject + own if _COMPARISON_ONLY.match(own) else own)
                    if not _COMPARISON_ONLY.match(own):
                        previous_subject = own
                    named = sum(len(t) for t in items if _plain(t) in subject)
                    if not named:
                        continue
                    went = DIRECTION_WORDS.get(change.group(), "")
                    if way and went and went != way:
                        continue  # the question says which way the item moved: a change the other way is another's
                    last = _reason_end(text, sentences, n, begin + at + change.end())
                    if last is None:
                        continue
                    score = named * 2.0 + (3 if way else 0)
                    quote = text[begin:sentences[last][1]].strip()
                    if not re.search(r"原因|由于|因为|主要是|情况", quote[quote.find(change.group()):]):
                        score -= 2  # what it is spent on (主要用于) says why less than a stated cause does
                    if best is None or score > best.score:
                        best = Cause(passage_at(starts, begin + at), quote, score)
    return best


_CLAUSE = re.compile(r"[；;，,]")


def _names_a_change(clause: str) -> bool:
    """A clause stating another item's change (公务用车运行维护费比上年增加3万元), not the same
    change again as a rate (下降80.2%)."""
    change = CHANGE.search(clause)
    if change is None:
        return False
    subject = _COMPARISON_WORDS.sub("", clause[:change.start()])
    return len(re.findall(r"[\u4e00-\u9fff]", subject)) >= 2


_COMPARISON_WORDS = re.compile(r"与上年度?相比|与20\d{2}年度?相比|比上年度?|较上年度?|同比|比20\d{2}年度?|较20\d{2}年度?|"
                               r"年初预算数?|预算数?|执行数|决算数?|相比|比|较|[\d.\s%万元]")


def _reason_end(text: str, sentences: list[tuple[int, int]], n: int, after: int) -> int | None:
    """The sentence the reason of a change (ending at `after`) is stated in, or None."""
    rest = text[after:sentences[n][1]]
    reason = REASON.search(rest)
    if reason:
        later = _CLAUSE.split(rest[:reason.start()])[1:]
        if not any(_names_a_change(clause) for clause in later):
            return n  # not a reason that another item's change, stated between, owns
    for k in range(n + 1, min(n + 1 + NEXT_SENTENCES, len(sentences))):
        following = fold(text[sentences[k][0]:sentences[k][1]])
        if _REASON_OPENS.search(following):
            return k
        if CHANGE.search(following):
            return None  # another change is stated first: what follows is its reason
    return None
