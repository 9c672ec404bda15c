"""index/facts.sqlite: documents, table facts, project sheets, text figures and passages.

Parameterised SQL only. Records are written per document (delete then insert) so a
re-ingested file replaces its old rows and nothing else.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from juesuan_qa.records import (
    Disclosure,
    Document,
    Fact,
    Indicator,
    Locator,
    Passage,
    Project,
    TableRecord,
    TextFigure,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, title TEXT, department TEXT, year INTEGER, kind TEXT,
    source TEXT, sha256 TEXT, notes TEXT, pages INTEGER);
CREATE TABLE IF NOT EXISTS facts (
    doc_id TEXT, tbl TEXT, title TEXT, part TEXT, row TEXT, code TEXT, col TEXT,
    value REAL, unit TEXT, empty INTEGER, loc_table TEXT, section TEXT, line INTEGER, page INTEGER, quote TEXT,
    file TEXT, status TEXT, role TEXT);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc_id);
CREATE TABLE IF NOT EXISTS tables (
    doc_id TEXT, tbl TEXT, title TEXT, type TEXT, unit TEXT, facts INTEGER, page INTEGER, line INTEGER,
    note TEXT, file TEXT, status TEXT, checks INTEGER, failed INTEGER);
CREATE INDEX IF NOT EXISTS tables_doc ON tables(doc_id);
CREATE TABLE IF NOT EXISTS projects (
    doc_id TEXT, name TEXT, section TEXT, budget REAL, executed REAL, rate REAL, score REAL,
    grade TEXT, indicators TEXT, line INTEGER, page INTEGER, quote TEXT);
CREATE TABLE IF NOT EXISTS figures (
    doc_id TEXT, value REAL, unit TEXT, context TEXT, sentence TEXT, heading TEXT,
    section TEXT, line INTEGER, page INTEGER, file TEXT);
CREATE TABLE IF NOT EXISTS passages (
    passage_id TEXT PRIMARY KEY, doc_id TEXT, heading TEXT, text TEXT,
    line_start INTEGER, line_end INTEGER, kind TEXT, tokens TEXT, page INTEGER, file TEXT);
CREATE TABLE IF NOT EXISTS files (source TEXT PRIMARY KEY, sha256 TEXT, doc_id TEXT);
CREATE INDEX IF NOT EXISTS figures_doc ON figures(doc_id);
CREATE INDEX IF NOT EXISTS projects_doc ON projects(doc_id);
CREATE INDEX IF NOT EXISTS files_doc ON files(doc_id);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
"""

# Bumped whenever a table gains a column: an index of another version is rebuilt, never patched.
SCHEMA_VERSION = "3"

_PER_DOC_TABLES = ("documents", "facts", "tables", "projects", "figures", "passages", "files")


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.executescript(SCHEMA)
    return connection


def require_schema(connection: sqlite3.Connection, index_dir: Path | str) -> None:
    """An index written by another version of the tables is rebuilt by the user, never patched or
    silently rebuilt from whatever files one ingest happens to be given."""
    if get_meta(connection, "schema") != SCHEMA_VERSION:
        raise ValueError(f"the index in {index_dir} was built by another version of juesuan-qa; "
                         "rebuild it: juesuan-qa ingest --rebuild corpus/")


def get_meta(connection: sqlite3.Connection, key: str) -> str | None:
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(connection: sqlite3.Connection, key: str, value: str) -> None:
    connection.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))


def delete_document(connection: sqlite3.Connection, doc_id: str) -> None:
    for table in _PER_DOC_TABLES:
        connection.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))  # noqa: S608 (fixed names)


def save_disclosure(connection: sqlite3.Connection, disclosure: Disclosure, tokens: list[str]) -> None:
    """Replace one document's rows. `tokens` are the BM25 tokens of each passage, in order."""
    doc = disclosure.document
    delete_document(connection, doc.doc_id)
    connection.execute(
        "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (doc.doc_id, doc.title, doc.department, doc.year, doc.kind, doc.source, doc.sha256,
         json.dumps(disclosure.notes, ensure_ascii=False), disclosure.pages),
    )
    connection.executemany(
        "INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(doc.doc_id, f.table, f.title, f.part, f.row, f.code, f.column, f.value, f.unit, int(f.empty),
          f.loc.table, f.loc.section, f.loc.line, f.loc.page, f.loc.quote, f.loc.file, f.status, f.role)
         for f in disclosure.facts],
    )
    connection.executemany(
        "INSERT INTO tables VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(doc.doc_id, t.table, t.title, t.type, t.unit, t.facts, t.page, t.line, t.note, t.file, t.status,
          t.checks, t.failed) for t in disclosure.tables],
    )
    connection.executemany(
        "INSERT INTO projects VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(doc.doc_id, p.name, p.section, p.budget, p.executed, p.rate, p.score, p.grade,
          json.dumps([i.__dict__ for i in p.indicators], ensure_ascii=False), p.loc.line, p.loc.page, p.loc.quote)
         for p in disclosure.projects],
    )
    connection.executemany(
        "INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(doc.doc_id, f.value, f.unit, f.context, f.sentence, json.dumps(f.heading, ensure_ascii=False),
          f.loc.section, f.loc.line, f.loc.page, f.loc.file) for f in disclosure.figures],
    )
    connection.executemany(
        "INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(p.passage_id, doc.doc_id, json.dumps(p.heading, ensure_ascii=False), p.text, p.line_start,
          p.line_end, p.kind, t, p.page, p.file) for p, t in zip(disclosure.passages, tokens, strict=True)],
    )
    connection.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?)",
                           [(source, digest, doc.doc_id) for source, digest in disclosure.files])


def load_documents(connection: sqlite3.Connection) -> list[Document]:
    rows = connection.execute(
        "SELECT doc_id, title, department, year, kind, source, sha256 FROM documents ORDER BY doc_id")
    return [Document(*row) for row in rows]


def load_facts(connection: sqlite3.Connection) -> list[Fact]:
    rows = connection.execute(
        "SELECT doc_id, tbl, title, part, row, code, col, value, unit, empty, loc_table, section, line, page, quote, "
        "file, status, role FROM facts ORDER BY rowid")
    return [Fact(tbl, title, part, row, code, col, value, unit, bool(empty),
                 Locator(doc_id, loc_table, section, line, page, quote, file), status or "", role or "")
            for doc_id, tbl, title, part, row, code, col, value, unit, empty, loc_table, section, line, page, quote,
            file, status, role in rows]


def load_tables(connection: sqlite3.Connection, doc_ids: list[str] | None = None) -> dict[str, list[TableRecord]]:
    """Every document's printed tables (with their check status), by doc_id, in print order."""
    query = ("SELECT doc_id, tbl, title, type, unit, facts, page, line, note, file, status, checks, failed "
             "FROM tables")
    params: tuple = ()
    if doc_ids is not None:
        query += f" WHERE doc_id IN ({', '.join('?' * len(doc_ids))})"
        params = tuple(doc_ids)
    out: dict[str, list[TableRecord]] = {}
    for doc_id, *fields in connection.execute(query + " ORDER BY rowid", params):
        out.setdefault(doc_id, []).append(TableRecord(*fields))
    return out


def document_pages(connection: sqlite3.Connection) -> dict[str, int]:
    return {doc_id: pages or 0 for doc_id, pages in connection.execute("SELECT doc_id, pages FROM documents")}


def document_files(connection: sqlite3.Connection) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for source, doc_id in connection.execute("SELECT source, doc_id FROM files ORDER BY source"):
        out.setdefault(doc_id, []).append(source)
    return out


def load_projects(connection: sqlite3.Connection) -> list[Project]:
    rows = connection.execute(
        "SELECT doc_id, name, section, budget, executed, rate, score, grade, indicators, line, page, quote "
        "FROM projects ORDER BY rowid")
    return [Project(name, section, budget, executed, rate, score, grade,
                    tuple(Indicator(**i) for i in json.loads(indicators)),
                    Locator(doc_id, None, section, line, page, quote))
            for doc_id, name, section, budget, executed, rate, score, grade, indicators, line, page, quote in rows]


def load_figures(connection: sqlite3.Connection) -> list[TextFigure]:
    rows = connection.execute(
        "SELECT doc_id, value, unit, context, sentence, heading, section, line, page, file FROM figures ORDER BY rowid")
    return [TextFigure(value, unit, context, sentence, tuple(json.loads(heading)),
                       Locator(doc_id, None, section, line, page, sentence, file))
            for doc_id, value, unit, context, sentence, heading, section, line, page, file in rows]


def load_passages(connection: sqlite3.Connection) -> tuple[list[Passage], list[list[str]]]:
    rows = connection.execute(
        "SELECT passage_id, doc_id, heading, text, line_start, line_end, kind, tokens, page, file FROM passages "
        "ORDER BY rowid")
    passages, tokens = [], []
    for pid, doc_id, heading, text, start, end, kind, toks, page, file in rows:
        passages.append(Passage(pid, doc_id, tuple(json.loads(heading)), text, start, end, kind, page, file))
        tokens.append(toks.split(" ") if toks else [])
    return passages, tokens


def document_hashes(connection: sqlite3.Connection) -> dict[str, str]:
    """Every ingested file's sha256, by the path it was ingested from."""
    return dict(connection.execute("SELECT source, sha256 FROM files"))
