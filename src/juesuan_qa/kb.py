"""KnowledgeBase: the one door the CLI, the web app, the eval runner and tests go through.

    kb = KnowledgeBase.open("index")         # or KnowledgeBase.ingest(paths, "index")
    kb.ask("2023年三公经费是多少？").to_dict()
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from juesuan_qa.config import Settings
from juesuan_qa.ingest.document import (
    IngestError,
    SourceFile,
    build_group,
    group_sources,
    read_source,
    supported,
    unique_sources,
)
from juesuan_qa.qa import items
from juesuan_qa.qa.lexicon import StoredVocabulary, document_terms, load_synonyms
from juesuan_qa.qa.pipeline import Corpus, ask, item_records
from juesuan_qa.records import Answer, Disclosure, Document
from juesuan_qa.store.backend import Store, open_store
from juesuan_qa.store.bm25 import add_terms, tokenize
from juesuan_qa.store.embedding import make_embedder
from juesuan_qa.store.passages import HybridSearch
from juesuan_qa.store.sql import PassageRow, StoredTerm
from juesuan_qa.store.vectors import vector_id

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]


@dataclass
class IngestReport:
    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    removed: list[str] = field(default_factory=list)  # doc_ids a rebuild found no file for
    # (document, what was not read): printed standard tables that gave no figure, said by name, so a
    # disclosure whose tables the readers missed never passes as read
    unread: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Ingest fails only when nothing at all could be used."""
        return bool(self.ingested or self.unchanged) or not self.skipped

    def summary(self) -> str:
        lines = [f"ingested {len(self.ingested)}, unchanged {len(self.unchanged)}, skipped {len(self.skipped)}"
                 + (f", removed {len(self.removed)}" if self.removed else "")]
        lines += [f"  ingested: {name}" for name in self.ingested]
        lines += [f"  skipped: {reason}" for _, reason in self.skipped]
        lines += [f"  not read: {doc}: {what}" for doc, what in self.unread]
        return "\n".join(lines)


def unread_tables(disclosure: Disclosure) -> str:
    """The printed standard tables of a disclosure that gave no figure and print no 本表无数据 note,
    or "" when every one was read."""
    missed = [t.title for t in disclosure.tables if t.type and t.type != "performance" and not t.facts
              and not t.note]
    if not missed:
        return ""
    printed = sum(1 for t in disclosure.tables if t.type and t.type != "performance")
    return f"{len(missed)} of {printed} printed standard tables gave no figure: " + "、".join(missed[:5])


def _domain_terms() -> None:
    """jieba learns the lexicon before any tokenising, identically at ingest and query time."""
    add_terms(t.text for t in load_synonyms())
    add_terms(t.target for t in load_synonyms() if t.target)


# A disclosure is a few megabytes (the 100 documents measured: 2.2 MB at most); a file far larger
# is not one, and reading it would hold the whole ingest.
MAX_FILE_MB = float(os.environ.get("JUESUAN_MAX_FILE_MB") or 100)


def expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files to read, and a one-line reason for every path that is not one."""
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            before = len(files) + len(skipped)
            for child in sorted(path.rglob("*")):
                if child.name.startswith(".") or (child.is_dir() and not supported(child)):
                    continue
                reason = unusable(child)
                if reason:
                    skipped.append((str(child), reason))
                elif supported(child):
                    files.append(child)
                else:
                    skipped.append((str(child), f"{child.name}: unsupported format {child.suffix or '(none)'}"))
            if len(files) + len(skipped) == before:
                skipped.append((str(path), f"{path}: a folder with no files in it"))
        elif path.exists() or path.is_symlink():
            reason = unusable(path)
            if reason:
                skipped.append((str(path), reason))
            else:
                files.append(path)
        else:
            skipped.append((str(path), f"{path}: no such file or folder"))
    return files, skipped


def unusable(path: Path) -> str | None:
    """Why a path found by name cannot be read as a file, or None."""
    if path.is_symlink() and not path.exists():
        return f"{path.name}: a link to a file that does not exist"
    if path.is_dir():
        return f"{path.name}: a folder, not a file (its files are read as a folder's)"
    if not path.is_file():
        return f"{path.name}: not a regular file"
    size = path.stat().st_size / 1e6
    if size > MAX_FILE_MB:
        return f"{path.name}: {size:.0f} MB, larger than a disclosure ({MAX_FILE_MB:.0f} MB, JUESUAN_MAX_FILE_MB)"
    return None


# Bumped when the readers change what they extract: an index read by other readers is re-read
# from its files at the next ingest (no file counts as unchanged), never served half old.
READER_VERSION = "11"


class KnowledgeBase:
    """One store, and the catalogue of its documents; notices an ingest made by another process."""

    def __init__(self, settings: Settings, store: Store) -> None:
        from juesuan_qa.qa.polish import configured_model

        self.settings = settings
        self.store = store
        self.embedder = make_embedder(settings.model_dir, settings.model_name, settings.query_prefix,
                                      settings.passage_prefix)  # the model itself loads at its first use
        self.llm = configured_model(settings)  # None unless an endpoint is configured
        self._lock = threading.Lock()
        self.generation = ""
        self.corpus = self._load()

    def _load(self) -> Corpus:
        self.generation = self.store.tables.generation()
        documents = {d.doc_id: d for d in self.store.tables.documents()}
        search = HybridSearch(self.store.tables, self.store.vectors, self.embedder, documents)
        return Corpus(documents, StoredVocabulary(self.store.tables), search, self.store.tables)

    def refresh(self) -> bool:
        """Pick up a completed ingest (by this process or another): the catalogue is re-read when
        the store's generation has moved. One indexed read per question."""
        if self.store.tables.generation() == self.generation:
            return False
        with self._lock:
            if self.store.tables.generation() != self.generation:
                self.corpus = self._load()
        return True

    # ---- reading ----

    @classmethod
    def open(cls, index_dir: str | Path | None = None, settings: Settings | None = None) -> KnowledgeBase:
        settings = settings or Settings.from_env(index_dir)
        store = open_store(settings)
        _domain_terms()
        return cls(settings, store)

    def close(self) -> None:
        self.store.close()

    def warm_in_background(self) -> None:
        """For a server: load the vector index while the first visitor types."""
        threading.Thread(target=self.store.vectors.warm, name="warm-vectors", daemon=True).start()

    @property
    def documents(self) -> list[Document]:
        return list(self.corpus.documents.values())

    def ask(self, question: str, scope: set[str] | None = None) -> Answer:
        self.refresh()
        answer = ask(self.corpus, question, scope)
        if self.llm is not None and answer.route == "text":
            from juesuan_qa.qa.polish import polish

            answer = polish(answer, self.llm)
        return answer

    def table_facts(self, doc_id: str, table: str, title: str) -> list:
        """Every fact of one printed table, in print order (for showing a cited cell in its table)."""
        return [f for f in self.corpus.facts_in({doc_id}) if f.table == table and f.title == title]

    def source_file(self, doc_id: str, name: str = "") -> Path:
        """The file a document was read from (`name`: which, for a disclosure of several files), as
        long as it is the file that was ingested; a reader checking a citation must see those bytes."""
        files = self.store.tables.files_of(doc_id)
        chosen = [(s, d) for s, d in files if not name or Path(s).name == name] if files else []
        if len(chosen) != 1:
            raise LookupError(f"{doc_id}: no file {name!r} in the index")
        source, digest = chosen[0]
        path = Path(source)
        try:
            same = hashlib.sha256(path.read_bytes()).hexdigest() == digest
        except OSError as error:
            raise LookupError(f"{path.name}: cannot be read ({error.strerror})") from error
        if not same:
            raise LookupError(f"{path.name}: changed since it was ingested")
        return path

    # ---- writing ----

    @staticmethod
    def ingest(paths: Iterable[str | Path], index_dir: str | Path | None = None, *, rebuild: bool = False,
               settings: Settings | None = None, progress: Progress | None = None) -> IngestReport:
        """Add or update documents in place; a broken file is reported and skipped, the rest ingests.

        Each document is one transaction (store.sql) and its vectors are versioned (store.vectors),
        so an interrupted ingest leaves every document's previous version serving. With `rebuild`
        every file is read again and documents none of the given files produced are removed.
        """
        settings = settings or Settings.from_env(index_dir)
        files, skipped = expand(paths)
        report = IngestReport(skipped=skipped)
        store = open_store(settings, create=True)
        try:
            tables = store.tables
            fresh = rebuild or tables.get_meta("reader") != READER_VERSION
            known = {} if fresh else tables.file_hashes()
            todo: list[Path] = []
            for path in files:
                digest = _digest(path, report)
                if digest is None:
                    continue
                twin = None if fresh else tables.file_with_hash(digest)
                if known.get(str(path)) == digest:
                    report.unchanged.append(str(path))
                elif twin is not None and twin != str(path):
                    report.skipped.append((str(path), f"{path.name}: identical to {Path(twin).name}, "
                                                      "already in the index; ingested once"))
                else:
                    todo.append(path)
            _domain_terms()
            embedder = make_embedder(settings.model_dir, settings.model_name, settings.query_prefix,
                                     settings.passage_prefix)
            produced: set[str] = set()
            refused: set[str] = set()
            sources, duplicates = unique_sources(_read_all(todo, report, progress))
            report.skipped.extend(duplicates)
            for group in group_sources(sources):
                disclosure = _build(group, report)
                if disclosure is None:
                    continue
                try:
                    _store(store, embedder, disclosure, settings.model_name)
                except Exception as error:  # a document the store refuses must not lose the batch
                    log.exception("failed to store %s", disclosure.document.doc_id)
                    refused.add(disclosure.document.doc_id)  # its previous version stays, and is re-read next time
                    reason = str(error).strip().splitlines()[0][:120] if str(error).strip() else ""
                    report.skipped.extend((str(s.path), f"{s.path.name}: could not be stored "
                                                        f"({type(error).__name__}: {reason})") for s in group)
                    continue
                produced.add(disclosure.document.doc_id)
                report.ingested.extend(str(s.path) for s in group)
                unread = unread_tables(disclosure)
                if unread:
                    report.unread.append((disclosure.document.doc_id, unread))
            answer_items(store)
            if rebuild:
                for doc in tables.documents():  # a rebuild reads every file: what none produced is gone
                    if doc.doc_id not in produced | refused:
                        tables.delete_document(doc.doc_id)
                        store.vectors.drop_document(doc.doc_id)
                        report.removed.append(doc.doc_id)
            if not refused:  # a document still read by the old readers must be read again next time
                tables.set_meta("reader", READER_VERSION)
        finally:
            store.close()
        return report

    @staticmethod
    def remove(doc_ids: Iterable[str], index_dir: str | Path | None = None,
               settings: Settings | None = None) -> list[str]:
        """Delete documents from the index (tables in one transaction each, then their vectors)."""
        settings = settings or Settings.from_env(index_dir)
        store = open_store(settings)
        try:
            known = {d.doc_id for d in store.tables.documents()}
            removed = [d for d in doc_ids if d in known]
            for doc_id in removed:
                store.tables.delete_document(doc_id)
                store.vectors.drop_document(doc_id)
            return removed
        finally:
            store.close()


def answer_items(store: Store, progress: Progress | None = None) -> int:
    """Store each document's answers for the compared items (qa.items) where they are missing or
    were answered by other code; after the documents' own transactions, so an interruption here
    costs only speed (a ranking asks such a document live). Returns how many documents."""
    tables = store.tables
    todo = tables.documents_without_items(items.policy())
    if not todo:
        return 0
    documents = {d.doc_id: d for d in tables.documents()}
    vocabulary = StoredVocabulary(tables)
    for number, doc_id in enumerate(todo, start=1):
        if progress:
            progress(number, len(todo), doc_id)
        corpus = Corpus({doc_id: documents[doc_id]}, vocabulary, None, tables)
        tables.save_item_figures(doc_id, items.policy(), item_records(corpus, documents[doc_id]))
    return len(todo)


def _digest(path: Path, report: IngestReport) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        report.skipped.append((str(path), f"{path.name}: cannot be read ({reason})"))
        return None


def _store(store: Store, embedder, disclosure: Disclosure, model_name: str) -> None:
    """Vectors of the new version first, then the tables in one transaction, then the old vectors
    go: a reader sees the old version or the new one, never half of each."""
    doc = disclosure.document
    version = hashlib.sha256("".join(sorted(d for _, d in disclosure.files)).encode() or doc.sha256.encode()
                             ).hexdigest()
    rows = [PassageRow(p, tuple(tokenize(p.indexed_text())), vector_id(p.passage_id, version), n)
            for n, p in enumerate(disclosure.passages)]
    served = {r.vector_id for r in store.tables.passages([doc.doc_id])}
    added = [r.vector_id for r in rows if r.vector_id not in served]
    try:
        if rows:
            vectors = embedder.embed_passages([p.indexed_text() for p in disclosure.passages])
            store.vectors.add([r.vector_id for r in rows], vectors, doc.doc_id, version)
        terms = [StoredTerm(t.kind, t.text, t.target)
                 for t in document_terms(disclosure.facts, [p.name for p in disclosure.projects], disclosure.units)]
        superseded = store.tables.replace_document(disclosure, rows, terms, model_name)
    except Exception:
        store.vectors.drop(added)  # the tables still point at the old version: its vectors stay
        raise
    store.vectors.drop_other_versions(doc.doc_id, version)
    for old in superseded:
        store.vectors.drop_document(old)


def _read_one(path: Path) -> SourceFile | str:
    """One file's blocks, or the one-line reason it cannot be read (a worker returns, never raises)."""
    try:
        return read_source(path)
    except IngestError as error:
        return str(error)
    except Exception as error:  # a reader bug on one file must not lose the batch
        log.exception("failed to read %s", path)
        return f"{path.name}: could not be read ({type(error).__name__}: {error})"


def reading_jobs(files: int) -> int:
    """Worker processes for reading: one per core (JUESUAN_INGEST_JOBS overrides), never more than files."""
    configured = os.environ.get("JUESUAN_INGEST_JOBS")
    jobs = int(configured) if configured and configured.isdigit() else (os.cpu_count() or 1)
    return max(1, min(jobs, files))


def _read_all(paths: list[Path], report: IngestReport, progress: Progress | None) -> list[SourceFile]:
    """Every file's blocks, read in parallel worker processes (reading is most of a PDF's ingest
    and each file is independent); results keep the order of `paths`, and a file that cannot be
    read is reported while the rest go on."""
    jobs = reading_jobs(len(paths))
    results: dict[Path, SourceFile | str] = {}
    if jobs == 1:
        for number, path in enumerate(paths, start=1):
            if progress:
                progress(number, len(paths), path.name)
            results[path] = _read_one(path)
    else:
        # forkserver: workers start from a clean process, not a fork of one holding the store's threads
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            futures = {pool.submit(_read_one, path): path for path in paths}
            for number, future in enumerate(as_completed(futures), start=1):
                path = futures[future]
                if progress:
                    progress(number, len(paths), path.name)
                results[path] = future.result()
    sources = []
    for path in paths:
        result = results[path]
        if isinstance(result, str):
            report.skipped.append((str(path), result))
        else:
            sources.append(result)
    return sources


def _build(group: list[SourceFile], report: IngestReport) -> Disclosure | None:
    try:
        return build_group(group)
    except IngestError as error:
        report.skipped.extend((str(s.path), str(error)) for s in group)
    except Exception as error:
        log.exception("failed to build %s", [s.path for s in group])
        report.skipped.extend((str(s.path), f"{s.path.name}: could not be read ({type(error).__name__}: {error})")
                              for s in group)
    return None
