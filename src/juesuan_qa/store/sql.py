"""Documents, facts, figures, projects, passages and the vocabulary in SQL: SQLite or PostgreSQL.

One class speaks to both through a two-line dialect (placeholders, connection). Parameterised
SQL only; table names are fixed words of this module. Nothing proportional to the corpus is read
at open: a question reads its documents' rows by index (doc_id is the first key of every table).
A document is replaced or deleted in one transaction, with BM25's statistics and the vocabulary's
counts, so a reader sees either its old rows or its new ones.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
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

MIGRATIONS = "juesuan_qa.store.migrations"
_PER_DOC_TABLES = ("facts", "tables", "projects", "figures", "passages", "files", "item_figures", "documents")
_CHUNK = 900  # SQLite's older builds cap a statement at 999 parameters
_CACHED_DOCUMENTS = 256  # rows of recently asked documents kept in memory (bounded, not the corpus)


@dataclass(frozen=True)
class StoredTerm:
    kind: str
    text: str
    target: str


@dataclass(frozen=True)
class PassageRow:
    passage: Passage
    tokens: tuple[str, ...]
    vector_id: str
    seq: int = 0  # position in its document: with doc_id, the order ties are broken in

    @property
    def key(self) -> tuple[str, int]:
        return self.passage.doc_id, self.seq


def migrations() -> list[tuple[str, str]]:
    folder = resources.files(MIGRATIONS)
    return sorted((entry.name, entry.read_text(encoding="utf-8"))
                  for entry in folder.iterdir() if entry.name.endswith(".sql"))


def _split_statements(script: str) -> list[str]:
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


class SqlStore:
    """The store's SQL half; `connect` opens one connection (one per thread is kept)."""

    paramstyle = "?"

    def __init__(self, describe: str) -> None:
        self.describe = describe  # for messages: a path or a server address without its password
        self._local = threading.local()
        self._cache: OrderedDict[tuple[str, str], list] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cached_generation: str | None = None

    # ---- connections ----

    def connect(self):  # pragma: no cover - each backend provides it
        raise NotImplementedError

    @property
    def connection(self):
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self.connect()
            self._local.connection = connection
        return connection

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def _sql(self, statement: str) -> str:
        return statement if self.paramstyle == "?" else statement.replace("?", "%s")

    def rows(self, statement: str, params: Sequence = ()) -> list[tuple]:
        cursor = self.connection.cursor()
        try:
            cursor.execute(self._sql(statement), tuple(params))
            return list(cursor.fetchall())
        finally:
            cursor.close()
            self._end_read()

    def _end_read(self) -> None:
        """A server connection outside autocommit would hold a snapshot: reads end their transaction."""

    @contextmanager
    def transaction(self) -> Iterator:
        connection = self.connection
        cursor = connection.cursor()
        try:
            self._begin(cursor)
            yield _Writer(cursor, self._sql)
            self._commit(connection, cursor)
        except BaseException:
            self._rollback(connection, cursor)
            raise
        finally:
            cursor.close()

    def _begin(self, cursor) -> None:
        """A server transaction begins at its first statement."""

    def _commit(self, connection, cursor) -> None:
        connection.commit()

    def _rollback(self, connection, cursor) -> None:
        connection.rollback()

    # ---- schema ----

    def migrate(self) -> None:
        """Apply the numbered migrations not yet applied, each in its own transaction."""
        with self.transaction() as tx:
            tx.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY)")
        applied = {v for (v,) in self.rows("SELECT version FROM schema_migrations")}
        for name, script in migrations():
            if name in applied:
                continue
            with self.transaction() as tx:
                for statement in _split_statements(script):
                    tx.execute(statement)
                tx.execute("INSERT INTO schema_migrations (version) VALUES (?)", (name,))

    def current(self) -> bool:
        """Whether every migration this version ships has been applied."""
        try:
            applied = {v for (v,) in self.rows("SELECT version FROM schema_migrations")}
        except Exception:  # no table yet: an empty or foreign database
            self._reset_after_error()
            return False
        return {name for name, _ in migrations()} <= applied

    def _reset_after_error(self) -> None:
        """PostgreSQL refuses every statement after a failed one until the transaction ends."""

    # ---- meta ----

    def get_meta(self, key: str) -> str | None:
        found = self.rows("SELECT value FROM meta WHERE key = ?", (key,))
        return found[0][0] if found else None

    def generation(self) -> str:
        """Changes with every committed document change: a reader compares it to notice an ingest."""
        return self.get_meta("generation") or "0"

    # ---- the catalogue ----

    # Text keys are ordered in Python, never by ORDER BY: a server's collation (zh_CN, en_US) would
    # order them otherwise than SQLite's bytes, and both backends must answer alike.

    def documents(self) -> list[Document]:
        return sorted((Document(*row) for row in self.rows(
            "SELECT doc_id, title, department, year, kind, source, sha256 FROM documents")), key=lambda d: d.doc_id)

    def document_pages(self) -> dict[str, int]:
        return {doc_id: pages or 0 for doc_id, pages in self.rows("SELECT doc_id, pages FROM documents")}

    def document_files(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for source, doc_id in sorted(self.rows("SELECT source, doc_id FROM files")):
            out.setdefault(doc_id, []).append(source)
        return out

    def files_of(self, doc_id: str) -> list[tuple[str, str]]:
        """(path ingested from, sha256) of each file of one document."""
        return sorted(self.rows("SELECT source, sha256 FROM files WHERE doc_id = ?", (doc_id,)))

    def file_hashes(self) -> dict[str, str]:
        """Every ingested file's sha256, by the path it was ingested from."""
        return dict(self.rows("SELECT source, sha256 FROM files"))

    def file_with_hash(self, digest: str) -> str | None:
        found = self.rows("SELECT source FROM files WHERE sha256 = ?", (digest,))
        return found[0][0] if found else None

    # ---- one document's rows, cached by generation ----

    def _per_document(self, kind: str, doc_ids: Iterable[str], load) -> list:
        generation = self.generation()
        out: list = []
        with self._cache_lock:
            if generation != self._cached_generation:
                self._cache.clear()
                self._cached_generation = generation
        for doc_id in sorted(set(doc_ids)):
            key = (kind, doc_id)
            with self._cache_lock:
                found = self._cache.get(key)
                if found is not None:
                    self._cache.move_to_end(key)
            if found is None:
                found = load(doc_id)
                with self._cache_lock:
                    self._cache[key] = found
                    while len(self._cache) > _CACHED_DOCUMENTS * 4:
                        self._cache.popitem(last=False)
            out.extend(found)
        return out

    def facts(self, doc_ids: Iterable[str]) -> list[Fact]:
        return self._per_document("facts", doc_ids, self._load_facts)

    def _load_facts(self, doc_id: str) -> list[Fact]:
        rows = self.rows(
            "SELECT tbl, title, part, row_label, code, col, value, unit, empty, loc_table, section, line, page, quote, "
            "file, status, role FROM facts WHERE doc_id = ? ORDER BY seq", (doc_id,))
        return [Fact(tbl, title, part, row, code, col, value, unit, bool(empty),
                     Locator(doc_id, loc_table, section, line, page, quote, file), status or "", role or "")
                for tbl, title, part, row, code, col, value, unit, empty, loc_table, section, line, page, quote,
                file, status, role in rows]

    def figures(self, doc_ids: Iterable[str]) -> list[TextFigure]:
        return self._per_document("figures", doc_ids, self._load_figures)

    def _load_figures(self, doc_id: str) -> list[TextFigure]:
        rows = self.rows("SELECT value, unit, context, sentence, heading, section, line, page, file FROM figures "
                         "WHERE doc_id = ? ORDER BY seq", (doc_id,))
        return [TextFigure(value, unit, context, sentence, tuple(json.loads(heading)),
                           Locator(doc_id, None, section, line, page, sentence, file))
                for value, unit, context, sentence, heading, section, line, page, file in rows]

    def projects(self, doc_ids: Iterable[str]) -> list[Project]:
        return self._per_document("projects", doc_ids, self._load_projects)

    def _load_projects(self, doc_id: str) -> list[Project]:
        rows = self.rows("SELECT name, section, budget, executed, rate, score, grade, indicators, line, page, quote "
                         "FROM projects WHERE doc_id = ? ORDER BY seq", (doc_id,))
        return [Project(name, section, budget, executed, rate, score, grade,
                        tuple(Indicator(**i) for i in json.loads(indicators)),
                        Locator(doc_id, None, section, line, page, quote))
                for name, section, budget, executed, rate, score, grade, indicators, line, page, quote in rows]

    def passages(self, doc_ids: Iterable[str]) -> list[PassageRow]:
        return self._per_document("passages", doc_ids, self._load_passages)

    def _load_passages(self, doc_id: str) -> list[PassageRow]:
        rows = self.rows("SELECT passage_id, heading, text, line_start, line_end, kind, tokens, page, file, vector_id, "
                         "seq FROM passages WHERE doc_id = ? ORDER BY seq", (doc_id,))
        return [PassageRow(Passage(pid, doc_id, tuple(json.loads(heading)), text, start, end, kind, page, file),
                           tuple(toks.split(" ")) if toks else (), vector_id, seq)
                for pid, heading, text, start, end, kind, toks, page, file, vector_id, seq in rows]

    def passages_by_vector(self, vector_ids: Sequence[str]) -> dict[str, PassageRow]:
        """The passages that vectors point at; a vector of an unfinished ingest points at none."""
        out: dict[str, PassageRow] = {}
        for chunk in _chunks(list(vector_ids)):
            marks = ", ".join("?" * len(chunk))
            rows = self.rows(f"SELECT DISTINCT doc_id FROM passages WHERE vector_id IN ({marks})", chunk)  # noqa: S608
            for row in self.passages(doc for (doc,) in rows):
                if row.vector_id in chunk:
                    out[row.vector_id] = row
        return out

    def tables(self, doc_ids: Sequence[str] | None = None) -> dict[str, list[TableRecord]]:
        """Every document's printed tables (with their check status), by doc_id, in print order."""
        query = ("SELECT doc_id, tbl, title, type, unit, facts, page, line, note, file, status, checks, failed "
                 "FROM tables")
        rows: list[tuple] = []
        if doc_ids is None:
            rows = self.rows(query.replace("SELECT doc_id,", "SELECT doc_id, seq,"))
        else:
            for chunk in _chunks(list(doc_ids)):
                rows += self.rows(query.replace("SELECT doc_id,", "SELECT doc_id, seq,")
                                  + f" WHERE doc_id IN ({', '.join('?' * len(chunk))})", chunk)
        out: dict[str, list[TableRecord]] = {}
        for doc_id, _, *fields in sorted(rows, key=lambda r: (r[0], r[1])):
            out.setdefault(doc_id, []).append(TableRecord(*fields))
        return out

    # ---- BM25 statistics ----

    def stream_tokens(self, doc_ids: Sequence[str] | None) -> Iterator[tuple[str, int, str]]:
        """(doc_id, seq, tokens) of every passage in scope, read in pages: a question over the whole
        corpus is scored without holding the corpus in memory."""
        if doc_ids is None:
            last = ("", -1)
            while True:
                page = self.rows("SELECT doc_id, seq, tokens FROM passages WHERE (doc_id, seq) > (?, ?) "
                                 "ORDER BY doc_id, seq LIMIT 20000", last)
                if not page:
                    return
                yield from page
                last = (page[-1][0], page[-1][1])
        for chunk in _chunks(sorted(doc_ids)):
            marks = ", ".join("?" * len(chunk))
            yield from self.rows(f"SELECT doc_id, seq, tokens FROM passages WHERE doc_id IN ({marks}) "  # noqa: S608
                                 "ORDER BY doc_id, seq", chunk)

    def bm25_totals(self) -> tuple[int, int]:
        """(passages, tokens) over the whole corpus."""
        return int(self.get_meta("passages") or 0), int(self.get_meta("tokens") or 0)

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in _chunks(sorted(set(terms))):
            marks = ", ".join("?" * len(chunk))
            out.update(self.rows(f"SELECT term, df FROM term_df WHERE term IN ({marks})", chunk))  # noqa: S608
        return out

    # ---- the vocabulary ----

    def terms_for(self, texts: Iterable[str]) -> list[StoredTerm]:
        out: list[StoredTerm] = []
        for chunk in _chunks(sorted(set(texts))):
            marks = ", ".join("?" * len(chunk))
            out += [StoredTerm(kind, text, target) for text, kind, target in self.rows(
                f"SELECT text, kind, target FROM terms WHERE text IN ({marks})", chunk)]  # noqa: S608
        return out

    def documents_printing(self, texts: Iterable[str], kinds: Sequence[str]) -> dict[str, set[str]]:
        """text → the documents whose tables print it as a term of those kinds (a sub-unit's name)."""
        out: dict[str, set[str]] = {}
        kind_marks = ", ".join("?" * len(kinds))
        for chunk in _chunks(sorted(set(texts))):
            marks = ", ".join("?" * len(chunk))
            for text, doc_id in self.rows(f"SELECT DISTINCT text, doc_id FROM doc_terms WHERE text IN ({marks}) "  # noqa: S608
                                          f"AND kind IN ({kind_marks})", (*chunk, *kinds)):
                out.setdefault(text, set()).add(doc_id)
        return out

    def longest_term(self) -> int:
        return int(self.get_meta("longest_term") or 1)

    def term_contains(self, name: str, kinds: Sequence[str]) -> bool:
        """Whether any term of those kinds contains `name` and is longer (a sub-unit inside a project name)."""
        marks = ", ".join("?" * len(kinds))
        pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        found = self.rows(f"SELECT 1 FROM terms WHERE kind IN ({marks}) AND text LIKE ? ESCAPE '\\' "  # noqa: S608
                          "AND LENGTH(text) > ? LIMIT 1", (*kinds, pattern, len(name)))
        return bool(found)

    # ---- each document's answers for the compared items (qa.items) ----

    def item_figures(self, item: str, doc_ids: Sequence[str], policy: str) -> dict[str, str | None]:
        """doc_id → stored record (None: the document prints no such figure), for rows of `policy`."""
        out: dict[str, str | None] = {}
        for chunk in _chunks(sorted(doc_ids)):
            marks = ", ".join("?" * len(chunk))
            out.update(self.rows(f"SELECT doc_id, record FROM item_figures WHERE item = ? AND policy = ? "  # noqa: S608
                                 f"AND doc_id IN ({marks})", (item, policy, *chunk)))
        return out

    def documents_without_items(self, policy: str) -> list[str]:
        """Documents whose compared items were answered by other code, or not yet."""
        current = {d for (d,) in self.rows("SELECT DISTINCT doc_id FROM item_figures WHERE policy = ?", (policy,))}
        return [d.doc_id for d in self.documents() if d.doc_id not in current]

    def save_item_figures(self, doc_id: str, policy: str, rows: list[tuple[str, str | None]]) -> None:
        with self.transaction() as tx:
            if not tx.fetch("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)):
                return  # removed meanwhile
            tx.execute("DELETE FROM item_figures WHERE doc_id = ?", (doc_id,))
            tx.executemany("INSERT INTO item_figures (doc_id, item, policy, record) VALUES (?, ?, ?, ?)",
                           [(doc_id, item, policy, record) for item, record in rows])

    # ---- writing ----

    def replace_document(self, disclosure: Disclosure, rows: list[PassageRow], terms: Iterable[StoredTerm],
                         model_name: str) -> list[str]:
        """Replace one document's rows, its BM25 statistics and its vocabulary in one transaction.

        A file read before under another identity (a reader that now finds the right year) takes
        its old document with it; those doc_ids are returned, so their vectors go too."""
        doc = disclosure.document
        terms = set(terms)
        with self.transaction() as tx:
            self._require_model(tx, model_name)
            sources = [source for source, _ in disclosure.files]
            superseded: list[str] = []
            for chunk in _chunks(sources):
                marks = ", ".join("?" * len(chunk))
                superseded += [d for (d,) in tx.fetch(
                    f"SELECT DISTINCT doc_id FROM files WHERE source IN ({marks}) AND doc_id <> ?",  # noqa: S608
                    (*chunk, doc.doc_id))]
            for old in superseded:
                self._delete(tx, old)
            self._delete(tx, doc.doc_id)
            tx.execute("INSERT INTO documents (doc_id, title, department, year, kind, source, sha256, notes, pages) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (doc.doc_id, doc.title, doc.department, doc.year, doc.kind, doc.source, doc.sha256,
                        json.dumps(disclosure.notes, ensure_ascii=False), disclosure.pages))
            tx.executemany(
                "INSERT INTO facts (doc_id, seq, tbl, title, part, row_label, code, col, value, unit, empty, "
                "loc_table, section, line, page, quote, file, status, role) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(doc.doc_id, n, f.table, f.title, f.part, f.row, f.code, f.column, f.value, f.unit, int(f.empty),
                  f.loc.table, f.loc.section, f.loc.line, f.loc.page, f.loc.quote, f.loc.file, f.status, f.role)
                 for n, f in enumerate(disclosure.facts)])
            tx.executemany(
                "INSERT INTO tables (doc_id, seq, tbl, title, type, unit, facts, page, line, note, file, status, "
                "checks, failed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(doc.doc_id, n, t.table, t.title, t.type, t.unit, t.facts, t.page, t.line, t.note, t.file,
                  t.status, t.checks, t.failed) for n, t in enumerate(disclosure.tables)])
            tx.executemany(
                "INSERT INTO projects (doc_id, seq, name, section, budget, executed, rate, score, grade, indicators, "
                "line, page, quote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(doc.doc_id, n, p.name, p.section, p.budget, p.executed, p.rate, p.score, p.grade,
                  json.dumps([i.__dict__ for i in p.indicators], ensure_ascii=False), p.loc.line, p.loc.page,
                  p.loc.quote) for n, p in enumerate(disclosure.projects)])
            tx.executemany(
                "INSERT INTO figures (doc_id, seq, value, unit, context, sentence, heading, section, line, page, "
                "file) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(doc.doc_id, n, f.value, f.unit, f.context, f.sentence, json.dumps(f.heading, ensure_ascii=False),
                  f.loc.section, f.loc.line, f.loc.page, f.loc.file) for n, f in enumerate(disclosure.figures)])
            tx.executemany(
                "INSERT INTO passages (passage_id, doc_id, seq, heading, text, line_start, line_end, kind, tokens, "
                "length, page, file, vector_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(r.passage.passage_id, doc.doc_id, n, json.dumps(r.passage.heading, ensure_ascii=False),
                  r.passage.text, r.passage.line_start, r.passage.line_end, r.passage.kind, " ".join(r.tokens),
                  len(r.tokens), r.passage.page, r.passage.file, r.vector_id) for n, r in enumerate(rows)])
            tx.executemany("INSERT INTO files (source, sha256, doc_id) VALUES (?, ?, ?) "
                           "ON CONFLICT (source) DO UPDATE SET sha256 = excluded.sha256, doc_id = excluded.doc_id",
                           [(source, digest, doc.doc_id) for source, digest in disclosure.files])
            self._count_terms(tx, rows, +1)
            self._add_vocabulary(tx, doc.doc_id, terms)
            self._bump(tx)
        return superseded

    def delete_document(self, doc_id: str) -> None:
        with self.transaction() as tx:
            self._delete(tx, doc_id)
            self._bump(tx)

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as tx:
            self._set_meta(tx, key, value)

    def _require_model(self, tx, model_name: str) -> None:
        """Vectors of two models never mix in one index."""
        found = tx.fetch("SELECT value FROM meta WHERE key = ?", ("embedding_model",))
        if found and found[0][0] != model_name:
            raise ValueError(f"the index's vectors were built with {found[0][0]!r}, the configured model is "
                             f"{model_name!r}; vectors of two models cannot be mixed: rebuild with "
                             "`juesuan-qa ingest --rebuild corpus/`")
        if not found:
            self._set_meta(tx, "embedding_model", model_name)

    def _delete(self, tx, doc_id: str) -> None:
        old = [PassageRow(Passage("", doc_id, (), "", None, None), tuple(t.split(" ")) if t else (), "")
               for (t,) in tx.fetch("SELECT tokens FROM passages WHERE doc_id = ?", (doc_id,))]
        self._count_terms(tx, old, -1)
        stored = tx.fetch("SELECT text, kind, target FROM doc_terms WHERE doc_id = ?", (doc_id,))
        tx.executemany("UPDATE terms SET docs = docs - 1 WHERE text = ? AND kind = ? AND target = ?", stored)
        tx.execute("DELETE FROM terms WHERE docs <= 0")
        tx.execute("DELETE FROM doc_terms WHERE doc_id = ?", (doc_id,))
        for table in _PER_DOC_TABLES:
            tx.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))  # noqa: S608 (fixed names)

    def _count_terms(self, tx, rows: list[PassageRow], sign: int) -> None:
        frequency: dict[str, int] = {}
        for row in rows:
            for term in set(row.tokens):
                frequency[term] = frequency.get(term, 0) + 1
        if sign > 0:
            tx.executemany("INSERT INTO term_df (term, df) VALUES (?, ?) "
                           "ON CONFLICT (term) DO UPDATE SET df = term_df.df + excluded.df", sorted(frequency.items()))
        else:
            tx.executemany("UPDATE term_df SET df = df - ? WHERE term = ?",
                           [(n, term) for term, n in sorted(frequency.items())])
            tx.execute("DELETE FROM term_df WHERE df <= 0")
        passages, tokens = (int(v) for v in (self._meta(tx, "passages"), self._meta(tx, "tokens")))
        self._set_meta(tx, "passages", str(passages + sign * len(rows)))
        self._set_meta(tx, "tokens", str(tokens + sign * sum(len(r.tokens) for r in rows)))

    def _add_vocabulary(self, tx, doc_id: str, terms: set[StoredTerm]) -> None:
        ordered = sorted((t.text, t.kind, t.target) for t in terms)
        tx.executemany("INSERT INTO doc_terms (doc_id, text, kind, target) VALUES (?, ?, ?, ?)",
                       [(doc_id, *t) for t in ordered])
        tx.executemany("INSERT INTO terms (text, kind, target, docs) VALUES (?, ?, ?, 1) "
                       "ON CONFLICT (text, kind, target) DO UPDATE SET docs = terms.docs + 1", ordered)
        longest = max((len(t.text) for t in terms), default=1)
        if longest > int(self._meta(tx, "longest_term", "1")):
            self._set_meta(tx, "longest_term", str(longest))

    def _bump(self, tx) -> None:
        self._set_meta(tx, "generation", str(int(self._meta(tx, "generation")) + 1))

    @staticmethod
    def _meta(tx, key: str, default: str = "0") -> str:
        found = tx.fetch("SELECT value FROM meta WHERE key = ?", (key,))
        return found[0][0] if found else default

    @staticmethod
    def _set_meta(tx, key: str, value: str) -> None:
        tx.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                   (key, value))


class _Writer:
    """The statements of one transaction, with the dialect's placeholders."""

    def __init__(self, cursor, sql) -> None:
        self.cursor = cursor
        self.sql = sql

    def execute(self, statement: str, params: Sequence = ()) -> None:
        self.cursor.execute(self.sql(statement), tuple(params))

    def executemany(self, statement: str, rows: Sequence[Sequence]) -> None:
        if rows:
            self.cursor.executemany(self.sql(statement), [tuple(r) for r in rows])

    def fetch(self, statement: str, params: Sequence = ()) -> list[tuple]:
        self.cursor.execute(self.sql(statement), tuple(params))
        return list(self.cursor.fetchall())


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class SqliteStore(SqlStore):
    """The embedded backend's tables: one file, WAL so the chat reads while an ingest writes."""

    FILE = "juesuan.sqlite"

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path

    def connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    # isolation_level=None: BEGIN, COMMIT and ROLLBACK are statements we issue; BEGIN IMMEDIATE
    # takes the write lock at once rather than at the first write

    def _begin(self, cursor) -> None:
        cursor.execute("BEGIN IMMEDIATE")

    def _commit(self, connection, cursor) -> None:
        cursor.execute("COMMIT")

    def _rollback(self, connection, cursor) -> None:
        if connection.in_transaction:
            cursor.execute("ROLLBACK")


class PostgresStore(SqlStore):
    """The server backend's tables (psycopg 3). The password never appears in messages."""

    paramstyle = "%s"

    def __init__(self, url: str) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        super().__init__(f"{parts.scheme}://{parts.hostname}:{parts.port or 5432}{parts.path}")
        self.url = url

    def connect(self):
        try:
            import psycopg
        except ImportError as error:  # pragma: no cover - psycopg is a dependency
            raise RuntimeError("JUESUAN_DATABASE_URL is set but psycopg is not installed") from error
        return psycopg.connect(self.url, autocommit=False)

    def _end_read(self) -> None:
        self.connection.rollback()

    def _reset_after_error(self) -> None:
        self.connection.rollback()
