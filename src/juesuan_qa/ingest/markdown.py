"""Reader for disclosures converted to markdown or plain text.

Headings are `#` lines; tables are runs of tab-separated lines (blank lines inside a
run are allowed, as converters leave them at page breaks); everything else is a
paragraph. Line numbers are 1-based so citations point at the source line.
"""

from __future__ import annotations

import re
from pathlib import Path

from juesuan_qa.ingest.blocks import Block, Row, heading_rank

_TAG = re.compile(r"</?(?:b|p|br|strong|span)[^>]*>", re.I)
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_LIST_MARK = re.compile(r"^\s*[-*]\s+")


def clean(text: str) -> str:
    """Drop the inline HTML converters leave behind (<b>, <p>).

    Trailing tabs are kept: a row of empty cells ("合计\t\t\t") is still a table row.
    """
    return _TAG.sub("", text).rstrip(" \r\n")


def read_markdown(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    return parse_markdown(text)


def parse_markdown(text: str) -> list[Block]:
    blocks: list[Block] = []
    table: Block | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = clean(raw)
        if not line.strip():
            continue  # a blank line does not end a table: converters leave them at page breaks
        if "\t" in line and not _HEADING.match(line):
            if table is None:
                table = Block("table", "", number)
                blocks.append(table)
            table.rows.append(Row(number, [c.strip() for c in line.split("\t")], raw.rstrip("\n")))
            continue
        table = None
        match = _HEADING.match(line)
        if match:
            title = match.group(2).strip()
            blocks.append(Block("heading", title, number, rank=heading_rank(title)))
        else:
            blocks.append(Block("para", _LIST_MARK.sub("", line).strip(), number))
    return blocks
