"""Prose → passages for retrieval, and the figures its sentences state.

Chunks follow sentence boundaries and never cross a heading; each glossary entry
(名词解释) is its own chunk so a definition is retrieved whole. Sentences that state
figures (增减额, 增长率, 占比, 年初预算 …) also become TextFigures, so a figure that lives
only in the prose is answered exactly and cited to its sentence.
"""

from __future__ import annotations

import re

from juesuan_qa.domain.units import FIGURE, parse_figure
from juesuan_qa.ingest.blocks import Block
from juesuan_qa.records import Locator, Passage, TextFigure
from juesuan_qa.textutil import split_sentences

CHUNK_CHARS = 260  # about two or three disclosure sentences: one idea, still quotable
GLOSSARY_HEADING = "名词解释"
_CLAUSE_BREAK = re.compile(r"(?<!\d)[，,](?!\d)|[，；;：:。、]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
LABEL_CHARS = 30  # a list item's name alone (（一）因公出国（境）费用。), not a sentence about it
_LIST_LABEL = re.compile(r"^\s*(?:其中[:：]?)?(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．](?!\d))")
CONTEXT_CJK = 6  # a figure's context reaches back until it names something (占比 alone does not)


def chunk_text(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Group whole sentences into chunks of about `limit` characters."""
    chunks: list[str] = []
    current, last = "", ""
    for sentence in split_sentences(text):
        if current and len(current) + len(sentence) > limit:
            if _is_label(last) and len(current) > len(last):  # a list item's name goes with what it names
                chunks.append(current[:-len(last)])
                current = last
            else:
                chunks.append(current)
                current = ""
        current += sentence
        last = sentence
    if current:
        chunks.append(current)
    return chunks


def make_passages(doc_id: str, heading: tuple[str, ...], paragraphs: list[Block],
                  kind: str = "prose") -> list[Passage]:
    """Passages from consecutive paragraphs under one heading; glossary entries stay single."""
    passages: list[Passage] = []
    if GLOSSARY_HEADING in "".join(heading):
        for block in paragraphs:
            passages.append(_passage(doc_id, heading, block.text, block, block, 0, "glossary"))
        return passages
    buffer: list[Block] = []

    def flush() -> None:
        if not buffer:
            return
        joined = "".join(b.text for b in buffer)
        for k, chunk in enumerate(chunk_text(joined)):
            passages.append(_passage(doc_id, heading, chunk, _block_of(buffer, joined, chunk), buffer[-1], k, kind))
        buffer.clear()

    for block in paragraphs:
        buffer.append(block)
        if sum(len(b.text) for b in buffer) > CHUNK_CHARS:
            flush()
    flush()
    return passages


def _passage(doc_id: str, heading: tuple[str, ...], text: str, first: Block, last: Block, k: int,
             kind: str) -> Passage:
    pid = f"{doc_id}:{first.file}:{first.page}:{first.line}:{k}"
    return Passage(pid, doc_id, heading, text, first.line, last.line, kind=kind, page=first.page, file=first.file)


def _block_of(buffer: list[Block], joined: str, chunk: str) -> Block:
    """The paragraph where a chunk starts, so its citation points at the right line or page."""
    start = joined.find(chunk)
    offset = 0
    for block in buffer:
        if offset + len(block.text) > start:
            return block
        offset += len(block.text)
    return buffer[-1]


def _is_label(sentence: str) -> bool:
    return bool(_LIST_LABEL.match(sentence)) and len(sentence) <= LABEL_CHARS and not FIGURE.search(sentence)


# a sentence that opens with its comparison (与上年相比增加740.84万元) continues the subject of the one
# before it (（二）社会保障和就业（类）支出3,061.29万元。): they are read, and quoted, as one
_CONTINUES = re.compile(r"^\s*(?:与上年度?相比|与20\d{2}年(?:度|预算|年初预算)?相比|比上年|较上年|同比|"
                        r"比20\d{2}年|较20\d{2}年)")


def _joined_continuations(sentences: list[str]) -> list[str]:
    out: list[str] = []
    for sentence in sentences:
        if out and _CONTINUES.match(sentence) and not _is_label(out[-1]):
            out[-1] += sentence
        else:
            out.append(sentence)
    return out


def extract_figures(passage: Passage) -> list[TextFigure]:
    """Every figure with a unit stated in a passage, with the clauses that say what it is."""
    figures: list[TextFigure] = []
    label = ""
    for sentence in _joined_continuations(split_sentences(passage.text)):
        matches = list(FIGURE.finditer(sentence))
        if _LIST_LABEL.match(sentence):
            # （一）因公出国（境）费用。 — a list item's name, said once for the sentences under it
            label = sentence if _is_label(sentence) else ""
            if label:
                continue
        quoted = label + sentence  # contiguous in the source, so still an exact quote
        for match in matches:
            value, unit = parse_figure(match)  # as printed: 1.2亿元 stays 1.2亿元
            clauses = _CLAUSE_BREAK.split(sentence[: match.start()])
            before = ""
            for clause in reversed(clauses[-3:]):
                before = clause + before
                if len(_CJK.findall(before)) >= CONTEXT_CJK:
                    break
            after = _CLAUSE_BREAK.split(sentence[match.end():])[0]
            if label and len(_CJK.findall(before)) < CONTEXT_CJK * 2:
                before = label + before  # 2026年预算数159.00万元 under （一）因公出国（境）费用。
            context = f"{before}|{after}"  # the clause that names the figure may follow it (6个项目自评为优)
            figures.append(TextFigure(
                value=value, unit=unit, context=context.strip(), sentence=quoted, heading=passage.heading,
                loc=Locator(passage.doc_id, None, passage.section, line=passage.line_start, page=passage.page,
                            quote=quoted, file=passage.file),
            ))
    return figures
