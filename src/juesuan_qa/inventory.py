"""What the index holds, one row per document: for `juesuan-qa docs`, evaluators and the web overview.

Read from the store's tables only (no embedder; the vector index is opened, not read), so it answers in a blink however large
the model is. The self-check rate is the share of a document's checked tables that passed every
accounting identity at ingest (ingest.selfcheck); a document with no checkable table has none.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from juesuan_qa.config import Settings
from juesuan_qa.domain.vocabulary import type_name
from juesuan_qa.store.backend import open_store


@dataclass(frozen=True)
class TableSummary:
    type: str | None  # canonical key, None for a table of no standard type
    name: str  # the canonical name in the document's kind (收支总表 / 收入支出决算总表)
    title: str  # as printed
    page: int | None
    facts: int
    status: str  # verified | failed | unchecked
    note: str = ""


@dataclass(frozen=True)
class DocumentSummary:
    doc_id: str
    department: str
    year: int | None
    kind: str
    title: str
    files: list[str]
    pages: int
    facts: int
    tables: list[TableSummary] = field(default_factory=list)

    @property
    def checks(self) -> tuple[int, int]:
        """(tables that passed, tables checked)."""
        checked = [t for t in self.tables if t.status != "unchecked"]
        return sum(t.status == "verified" for t in checked), len(checked)

    def to_dict(self) -> dict:
        passed, checked = self.checks
        return {**asdict(self), "checks": {"passed": passed, "checked": checked,
                                           "rate": round(passed / checked, 4) if checked else None}}


def summaries(settings: Settings) -> list[DocumentSummary]:
    store = open_store(settings)
    try:
        tables = store.tables
        documents = tables.documents()
        printed = tables.tables()
        files = tables.document_files()
        pages = tables.document_pages()
        counts = dict(tables.rows("SELECT doc_id, COUNT(*) FROM facts GROUP BY doc_id"))
    finally:
        store.close()
    out = []
    for doc in documents:
        rows = [TableSummary(t.type, type_name(t.type, doc.kind), t.title, t.page, t.facts, t.status, t.note)
                for t in printed.get(doc.doc_id, [])]
        out.append(DocumentSummary(doc.doc_id, doc.department, doc.year, doc.kind, doc.title,
                                   [Path(f).name for f in files.get(doc.doc_id, [])], pages.get(doc.doc_id, 0),
                                   counts.get(doc.doc_id, 0), rows))
    return out


def render_text(docs: list[DocumentSummary]) -> str:
    """One line per document, then its canonical tables (facts per table, ✓ checked / ✗ failed / · unchecked)."""
    mark = {"verified": "✓", "failed": "✗", "unchecked": "·"}
    lines = [f"{len(docs)} 份公开文件"]
    for doc in docs:
        passed, checked = doc.checks
        rate = f"{passed}/{checked} 表通过勾稽校验" if checked else "无可校验的表"
        lines.append(f"{doc.doc_id}  {doc.department} {doc.year or '?'}年 {doc.kind}  {doc.pages}页 "
                     f"{doc.facts}个数字  {rate}  [{', '.join(doc.files)}]")
        for t in doc.tables:
            name = t.name or f"（非标准表）{t.title}"
            empty = f" 空表：{t.note}" if not t.facts and t.note else ""
            lines.append(f"    {mark.get(t.status, '·')} {name}  p{t.page or '-'}  {t.facts}{empty}")
    return "\n".join(lines)
