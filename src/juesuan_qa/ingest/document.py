"""One file → one Disclosure: identity, table facts, project sheets, passages, text figures."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from juesuan_qa.audit_rules import MISMATCH, table_findings
from juesuan_qa.domain.vocabulary import column_role, table_type
from juesuan_qa.ingest.blocks import Block, heading_paths
from juesuan_qa.ingest.identity import read_identity
from juesuan_qa.ingest.markdown import read_markdown
from juesuan_qa.ingest.office import read_docx, read_xlsx
from juesuan_qa.ingest.pdf import is_table_title, read_pdf
from juesuan_qa.ingest.positioned import read_rows
from juesuan_qa.ingest.projects import SHEET_TITLE, read_project
from juesuan_qa.ingest.prose import extract_figures, make_passages
from juesuan_qa.ingest.selfcheck import self_check
from juesuan_qa.ingest.tables import TABLE_CODE, UNIT, TableSection, collect_section, read_table
from juesuan_qa.ingest.units import named_units
from juesuan_qa.records import Disclosure, Document, Fact, Passage, TableRecord
from juesuan_qa.textutil import fold, parse_number

READERS = {".md": read_markdown, ".markdown": read_markdown, ".txt": read_markdown, ".pdf": read_pdf,
           ".docx": read_docx, ".xlsx": read_xlsx}
_SKIP_HEADINGS = {"目录"}


class IngestError(Exception):
    """A file that cannot be ingested; the message is the one-line reason shown to the user."""


def supported(path: Path) -> bool:
    return path.suffix.lower() in READERS


@dataclass
class SourceFile:
    """One file's blocks, read once, with what its text says about who published it."""

    path: Path
    sha256: str
    blocks: list[Block]
    identity: tuple[str, int | None, str, str]

    @property
    def complete(self) -> bool:
        department, year, _, _ = self.identity
        return bool(department) and year is not None


def read_source(path: Path) -> SourceFile:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise IngestError(f"{path.name}: unsupported format {path.suffix or '(none)'}; "
                          f"supported: {', '.join(sorted(READERS))}")
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(f"{path.name}: empty file")
    try:
        blocks = reader(path)
    except UnicodeDecodeError as error:
        raise IngestError(f"{path.name}: not UTF-8 text ({error.reason})") from error
    except ValueError as error:  # readers say why a file is unreadable in one line
        raise IngestError(str(error)) from error
    return SourceFile(path, hashlib.sha256(data).hexdigest(), blocks, read_identity(blocks))


def read_disclosure(path: Path) -> Disclosure:
    return build_group([read_source(path)])


def build_group(sources: list[SourceFile]) -> Disclosure:
    """One disclosure from one file, or from the files of a split publication (text + tables)."""
    if len(sources) > 1:
        for source in sources:
            for block in source.blocks:
                block.file = source.path.name
                for row in block.rows:
                    row.file = source.path.name
    blocks = [block for source in sources for block in source.blocks]
    stems = [s.path.stem for s in sources]
    doc_id = os.path.commonprefix(stems).rstrip("-_ ") if len(stems) > 1 else stems[0]
    digest = hashlib.sha256("".join(s.sha256 for s in sources).encode()).hexdigest()
    disclosure = build_disclosure(blocks, doc_id=doc_id or stems[0], source="; ".join(str(s.path) for s in sources),
                                  sha256=digest)
    disclosure.files = [(str(s.path), s.sha256) for s in sources]
    disclosure.units = named_units(blocks, disclosure.document.department)
    disclosure.pages = sum(max((b.page or 0 for b in s.blocks), default=0) for s in sources)
    names = ", ".join(s.path.name for s in sources)
    if not disclosure.facts and not disclosure.passages:
        raise IngestError(f"{names}: no tables or prose found; is this a disclosure?")
    if not disclosure.document.department or disclosure.document.year is None:
        raise IngestError(f"{names}: no department or year found; is it a disclosure?")
    reason = not_a_disclosure(disclosure)
    if reason:
        raise IngestError(f"{names}: {reason}")
    return disclosure


_OTHER_DOCUMENT = re.compile(r"通知|公告|公报|通报|评价报告|审计报告|工作报告|工作总结")


def not_a_disclosure(disclosure: Disclosure) -> str:
    """Why a readable document is no 预算/决算 disclosure (a notice, a gazette, an evaluation
    report), or "" when it is one: its title or headings name 预算 or 决算, and a title that names
    another kind of document still needs a standard table of its own to be taken."""
    doc = disclosure.document
    if not doc.kind:
        return "neither 预算 nor 决算 is named in its title or headings; not a budget or final-account disclosure"
    other = _OTHER_DOCUMENT.search(fold(doc.title).replace(fold(doc.department), ""))  # 市审计局 is no 审计报告
    if other and not any(t.type and t.type != "performance" for t in disclosure.tables):
        return f"its title names a {other.group()}, and it prints no standard budget table; not a disclosure"
    return ""


def unique_sources(sources: list[SourceFile]) -> tuple[list[SourceFile], list[tuple[str, str]]]:
    """Byte-identical files (the same sha256) are one document: the first is kept, the rest reported."""
    seen: dict[str, SourceFile] = {}
    kept, duplicates = [], []
    for source in sources:
        if source.sha256 in seen:
            duplicates.append((str(source.path), f"{source.path.name}: identical to {seen[source.sha256].path.name}; "
                                                 "ingested once"))
            continue
        seen[source.sha256] = source
        kept.append(source)
    return kept, duplicates


def group_sources(sources: list[SourceFile]) -> list[list[SourceFile]]:
    """Files that make one disclosure together.

    A file whose text names no department or year (Beijing prints its tables in a second
    file without a cover) joins the file beside it, in the same folder, whose text lists
    most of its table titles (the 目录 of the 情况说明 file) and whose department it names: two
    departments print the same 目录, so a shared table of contents alone is no evidence. Two files
    that each name the same department, year and kind (a 部门预算 text and its 预算公开表 tables) are
    one publication; files of different years or kinds never are.
    Content decides, not names.
    """
    groups: list[list[SourceFile]] = []
    for source in (s for s in sources if s.complete):
        # 部门预算 + 预算公开表 files of one department, year and kind, side by side: one publication
        twin = next((g for g in groups if g[0].path.parent == source.path.parent
                     and _edition(g[0].identity) == _edition(source.identity)), None)
        if twin is not None:
            twin.append(source)
        else:
            groups.append([source])
    for orphan in (s for s in sources if not s.complete):
        titles = {fold(b.text) for b in orphan.blocks if b.kind == "heading" and b.text.endswith("表")}
        best, best_share = None, 0.0
        for group in groups:
            head = group[0]
            if head.path.parent != orphan.path.parent or not same_edition(orphan.identity, head.identity):
                continue
            text = "".join(fold(b.text) for b in head.blocks if b.kind in ("heading", "para"))
            share = sum(1 for t in titles if _strip_code(t) in text) / len(titles) if titles else 0.0
            if not _names(orphan, head.identity[0]):
                continue
            if share > best_share:
                best, best_share = group, share
        if best is not None and best_share >= 0.5:
            best.append(orphan)
        else:
            groups.append([orphan])  # reported as "no department or year" when built
    return groups


def _edition(identity: tuple) -> tuple:
    department, year, kind, *_ = identity
    return re.sub(r"（(?:本级|汇总|本部)）$", "", fold(department).replace("(", "（").replace(")", "）")), year, kind


def same_edition(one: tuple, other: tuple) -> bool:
    """Whether two files' identities can be one publication: a year or a kind that both print and
    that differ (2023 and 2024, 预算 and 决算) make two documents, whatever else they share."""
    (_, year, kind, *_), (_, other_year, other_kind, *_) = one, other
    return not (year and other_year and year != other_year) and not (kind and other_kind and kind != other_kind)


def _names(source: SourceFile, department: str) -> bool:
    """The file's own text names the department (its 单位名称 lines, a stamp, a sentence)."""
    wanted = fold(department).replace("(", "（").replace(")", "）")
    wanted = re.sub(r"（(?:本级|汇总|本部)）$", "", wanted)
    return any(wanted in fold(b.text).replace("(", "（").replace(")", "）")
               or any(wanted in fold(r.raw) for r in b.rows) for b in source.blocks)


def _strip_code(title: str) -> str:
    return re.sub(r"^((?:公开|预算|部门预算)?\d{1,2}表|表\d{1,2})", "", title)


def attach_codes(blocks: list[Block]) -> list[Block]:
    """A table code printed on its own line just above a title (公开01表 / 收支总表) belongs to
    that title, not to the section before it."""
    result: list[Block] = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.kind == "para" and TABLE_CODE.fullmatch(fold(block.text)) and following is not None \
                and following.kind == "heading" and not following.code:
            following.code = fold(block.text)
            continue
        result.append(block)
    return result


def build_disclosure(blocks: list[Block], *, doc_id: str, source: str, sha256: str) -> Disclosure:
    blocks = attach_codes(blocks)
    department, year, kind, title = read_identity(blocks)
    document = Document(doc_id, title, department, year, kind, source, sha256)
    result = Disclosure(document)
    paths = heading_paths(blocks)
    heads = [i for i, b in enumerate(blocks) if b.kind == "heading"]
    spans = [(start, heads[n + 1] if n + 1 < len(heads) else len(blocks)) for n, start in enumerate(heads)]
    # prose before the first heading is the cover: part of identity, not content
    for start, body in _join_continued(blocks, spans):
        title_block = blocks[start]
        if fold(title_block.text) in _SKIP_HEADINGS:
            continue
        if SHEET_TITLE.search(title_block.text):
            project, facts, passages = read_project(title_block, body, doc_id, paths[start][:-1])
            if not any(b.kind == "table" for b in body):
                _add_passages(result, make_passages(doc_id, paths[start], [b for b in body if b.kind == "para"]))
                continue  # a heading that names sheets (目录, 绩效目标表及说明), not a sheet
            result.projects.append(project)
            result.facts.extend(facts)
            _add_table(result, TableRecord(facts[0].table if facts else title_block.text, title_block.text,
                                           "performance", "万元", len(facts), page=title_block.page,
                                           line=title_block.line, file=title_block.file))
            _add_passages(result, passages)
            continue
        if _is_table_section(title_block, body):
            section, facts = _checked_reading(title_block, body, doc_id, result.notes)
            result.facts.extend(facts)
            result.notes.extend(f"{section.code or section.title}: {text}" for _, text in section.notes)
            _add_table(result, _record(section, title_block, facts))
            continue
        paragraphs = prose_of(body)
        standard = bool(table_type(title_block.text)) and is_table_title(fold(title_block.text))
        if standard and any(_EMPTY_NOTE.search(b.text) for b in paragraphs[:8]):
            section = collect_section(title_block, body)  # a standard table printed as a note only
            note = next(b.text for b in paragraphs[:8] if _EMPTY_NOTE.search(b.text))
            _add_table(result, _record(section, title_block, [], note))
        elif standard and any(UNIT.search(b.text) for b in paragraphs[:3]):
            # a table's title and 单位 line with no grid read under them: kept as a table that gave
            # no figure, so the ingest report names it (kb.unread_tables), never silently prose
            _add_table(result, _record(collect_section(title_block, body), title_block, []))
        _add_passages(result, make_passages(doc_id, paths[start], paragraphs))
    result.facts[:] = [replace(f, role=column_role(f.column)) for f in result.facts]
    self_check(result)
    return result


def _checked_reading(title: Block, body: list[Block], doc_id: str, notes: list[str]) -> tuple[TableSection, list[Fact]]:
    """A table's reading that satisfies its own identities. When the ruled grid's cells fail them
    (a merged cell cut, a figure split across cells, a row outside the rulings), the table is read
    again from where its words stand; that reading is kept only if it passes more of the same
    checks, and the switch is noted. What still fails is the document's own inconsistency, or a reading no
    alternative mends: the table keeps its failed mark either way."""
    section = collect_section(title, body)
    facts = read_table(section, doc_id)
    checks, failed = _checks(facts)
    if not failed or not any(b.kind == "table" and b.words for b in body):
        return section, facts
    again = [replace(b, rows=rows) if b.kind == "table" and (rows := read_rows(b.words, b.page)[0]) else b
             for b in body]
    other = collect_section(title, again)
    other_facts = read_table(other, doc_id)
    other_checks, other_failed = _checks(other_facts)
    # better only by passing more of the same checks: a reading that escapes them (fewer figures,
    # fewer identities that apply) is not one that satisfies them
    if other_failed >= failed or other_checks < checks or len(other_facts) < 0.9 * len(facts):
        return section, facts
    notes.append(f"{section.code or section.title}: 按文字位置重读（表格线读法有{failed}项勾稽不符，重读后{other_failed}项）")
    return other, other_facts


def _checks(facts: list[Fact]) -> tuple[int, int]:
    """(identities checked, identities failed) within one table."""
    findings = table_findings(facts)
    return len(findings), sum(f.status == MISMATCH for f in findings)


def prose_of(body: list[Block]) -> list[Block]:
    """The paragraphs of a prose section, with any table in it as one paragraph per row: a table
    that is no standard budget table (重点项目绩效目标情况 with a 绩效目标 column of sentences, a
    list of 预算单位) is read for its words, "header：cell" joined, or it would not be read at all."""
    out: list[Block] = []
    header: list[str] = []
    last_row = False  # whether the paragraph before is a table row's
    for block in body:
        if block.kind == "para" and block.text:
            out.append(block)
            last_row = False
        elif block.kind == "table":
            rows = [r for r in block.rows if any(c.strip() for c in r.cells)]
            first = [_flat(c) for c in rows[0].cells] if rows else []
            if first and first == header:
                rows = rows[1:]  # the header printed again on a continuation page
            elif first and _is_header(first):
                header, rows = first, rows[1:]  # a table of its own, with its own header
            for row in rows:
                cells = [_flat(c) for c in row.cells]
                if last_row and not cells[0] and any(cells):
                    out[-1].text = out[-1].text.removesuffix("。") + "".join(cells)  # a row the page break cut goes on
                    continue
                labels = (header + [""] * len(cells))[:len(cells)]
                named = [f"{h}：{c}" if h else c for h, c in zip(labels, cells, strict=True) if c]
                if named:
                    out.append(Block("para", "；".join(named).rstrip("。；") + "。", row.line or block.line, page=row.page or block.page,
                                     file=block.file))
                    last_row = True
    return out


def _is_header(cells: list[str]) -> bool:
    """Column labels: every cell short, filled and no number (a row cut by a page break has blanks)."""
    return all(cells) and all(len(c) <= 16 and parse_number(c) is None for c in cells)


def _flat(cell: str) -> str:
    return re.sub(r"\s*\n\s*", "", cell or "").strip()


_EMPTY_NOTE = re.compile(r"本表无数据|无数据|没有.{0,20}(?:收入|支出|经费|预算|资金)|未安排|不涉及|无.{0,12}(?:收入|支出|预算)")


def _record(section: TableSection, title: Block, facts: list[Fact], note: str = "") -> TableRecord:
    note = note or next((text for _, text in section.notes if _EMPTY_NOTE.search(text)), "")
    # a heading that names no table (“三公”经费…情况说明 over a list of meetings) types none
    kind = table_type(section.title) if is_table_title(fold(section.title)) or facts else None
    return TableRecord(section.code or section.title, section.title, kind, section.unit,
                       len(facts), page=title.page, line=title.line, note=note, file=title.file)


def _join_continued(blocks: list[Block], spans: list[tuple[int, int]]) -> list[tuple[int, list[Block]]]:
    """Sections with their bodies; a table whose title is printed again on each continuation page
    (深圳: 表3 / 支出总表 / 部门名称 on every page) is one section, so its rows are read as one
    table — blocks per 预算单位 and page-break totals only add up across the pages."""
    out: list[tuple[int, list[Block]]] = []
    last_title = None
    for start, end in spans:
        title = blocks[start]
        key = (fold(title.text), title.code, title.file)
        body = blocks[start + 1:end]
        if out and key == last_title and any(b.kind == "table" for b in body) and is_table_title(key[0]):
            out[-1][1].extend(body)
            continue
        out.append((start, list(body)))
        last_title = key
    return out


def _add_table(result: Disclosure, record: TableRecord) -> None:
    """A table whose title is printed again on its continuation page is still one table."""
    last = result.tables[-1] if result.tables else None
    if last is not None and (last.table, last.title, last.file) == (record.table, record.title, record.file):
        result.tables[-1] = replace(last, facts=last.facts + record.facts, note=last.note or record.note)
    else:
        result.tables.append(record)


def _is_table_section(title: Block, body: list[Block]) -> bool:
    has_rows = any(b.kind == "table" for b in body)
    labelled = any(b.kind == "para" and (TABLE_CODE.fullmatch(b.text.strip()) or UNIT.search(b.text))
                   for b in body[:8])
    standard = table_type(title.text) is not None and is_table_title(fold(title.text))
    return has_rows and (labelled or standard)


def _add_passages(result: Disclosure, passages: list[Passage]) -> None:
    """Keep one copy of a passage printed twice (converted files repeat sections); a passage id
    (file, page, line of its first block) taken already — two chunks starting on the rows of one
    table, which have no lines of their own — gets a suffix, in document order."""
    seen = {p.text for p in result.passages}
    ids = {p.passage_id for p in result.passages}
    for passage in passages:
        if passage.text in seen:
            continue
        seen.add(passage.text)
        n = 1
        while passage.passage_id in ids:
            passage = replace(passage, passage_id=f"{passage.passage_id.rsplit('~', 1)[0]}~{n}")
            n += 1
        ids.add(passage.passage_id)
        result.passages.append(passage)
        result.figures.extend(extract_figures(passage))
