"""KnowledgeBase: the one door the CLI, the web app, the eval runner and tests go through.

    kb = KnowledgeBase.open("index")         # or KnowledgeBase.ingest(paths, "index")
    kb.ask("2023年三公经费是多少？").to_dict()
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
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
from juesuan_qa.qa.lexicon import build_vocabulary, load_synonyms
from juesuan_qa.qa.pipeline import Corpus, ask
from juesuan_qa.records import Answer, Disclosure, Document
from juesuan_qa.store import facts as fact_store
from juesuan_qa.store import layout
from juesuan_qa.store import passages as passage_store
from juesuan_qa.store.bm25 import add_terms, tokenize
from juesuan_qa.store.embedding import make_embedder

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]


@dataclass
class IngestReport:
    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)

    @property
    def ok(self) -> bool:
        """Ingest fails only when nothing at all could be used."""
        return bool(self.ingested or self.unchanged) or not self.skipped

    def summary(self) -> str:
        lines = [f"ingested {len(self.ingested)}, unchanged {len(self.unchanged)}, skipped {len(self.skipped)}"]
        lines += [f"  ingested: {name}" for name in self.ingested]
        lines += [f"  skipped: {reason}" for _, reason in self.skipped]
        return "\n".join(lines)


def _domain_terms() -> None:
    """jieba learns the lexicon before any tokenising, identically at ingest and query time."""
    add_terms(t.text for t in load_synonyms())
    add_terms(t.target for t in load_synonyms() if t.target)


def expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not child.name.startswith("."):
                    if supported(child):
                        files.append(child)
                    else:
                        skipped.append((str(child), f"{child.name}: unsupported format {child.suffix or '(none)'}"))
        elif path.is_file():
            files.append(path)
        else:
            skipped.append((str(path), f"{path}: no such file or folder"))
    return files, skipped


class KnowledgeBase:
    def __init__(self, settings: Settings, corpus: Corpus) -> None:
        from juesuan_qa.qa.polish import configured_model

        self.settings = settings
        self.corpus = corpus
        self.llm = configured_model(settings)  # None unless an endpoint is configured

    # ---- reading ----

    @classmethod
    def open(cls, index_dir: str | Path | None = None, settings: Settings | None = None) -> KnowledgeBase:
        settings = settings or Settings.from_env(index_dir)
        generation = layout.require_live(settings.index_dir)
        _domain_terms()
        connection = fact_store.connect(generation / "facts.sqlite")
        try:
            fact_store.require_schema(connection, settings.index_dir)
            documents = {d.doc_id: d for d in fact_store.load_documents(connection)}
            facts = fact_store.load_facts(connection)
            projects = fact_store.load_projects(connection)
            figures = fact_store.load_figures(connection)
            passages, tokens = fact_store.load_passages(connection)
        finally:
            connection.close()
        embedder = make_embedder(settings.model_dir, settings.model_name, settings.query_prefix, settings.passage_prefix)
        _, collection = passage_store.open_collection(generation / "chroma", settings.model_name)
        search = passage_store.HybridSearch(passages, tokens, collection, embedder)
        vocabulary = build_vocabulary(facts, [p.name for p in projects])
        corpus = Corpus(documents, facts, projects, figures, vocabulary, search)
        return cls(settings, corpus)

    @property
    def documents(self) -> list[Document]:
        return list(self.corpus.documents.values())

    def ask(self, question: str, scope: set[str] | None = None) -> Answer:
        answer = ask(self.corpus, question, scope)
        if self.llm is not None and answer.route == "text":
            from juesuan_qa.qa.polish import polish

            answer = polish(answer, self.llm)
        return answer

    def table_facts(self, doc_id: str, table: str, title: str) -> list:
        """Every fact of one printed table, in print order (for showing a cited cell in its table)."""
        return [f for f in self.corpus.facts_in({doc_id}) if f.table == table and f.title == title]

    # ---- writing ----

    @staticmethod
    def ingest(paths: Iterable[str | Path], index_dir: str | Path | None = None, *, rebuild: bool = False,
               settings: Settings | None = None, progress: Progress | None = None) -> IngestReport:
        """Add or update documents; a broken file is reported and skipped, the rest still ingests.

        Work happens in a staging copy of the index; the live index changes only when the
        staging copy is complete (see store.layout), so an interrupted ingest loses nothing.
        """
        settings = settings or Settings.from_env(index_dir)
        files, skipped = expand(paths)
        report = IngestReport(skipped=skipped)
        live = layout.live_generation(settings.index_dir)
        known: dict[str, str] = {}
        known_docs: set[str] = set()
        if live is not None and not rebuild:
            connection = fact_store.connect(live / "facts.sqlite")
            try:
                fact_store.require_schema(connection, settings.index_dir)
            except ValueError:
                connection.close()
                raise
            known = fact_store.document_hashes(connection)
            known_docs = {d.doc_id for d in fact_store.load_documents(connection)}
            connection.close()
        todo: list[Path] = []
        indexed = {digest: source for source, digest in known.items()}
        for path in files:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if known.get(str(path)) == digest:
                report.unchanged.append(str(path))
            elif digest in indexed and indexed[digest] != str(path):
                report.skipped.append((str(path), f"{path.name}: identical to {Path(indexed[digest]).name}, "
                                                  "already in the index; ingested once"))
            else:
                todo.append(path)
        if not todo and live is not None:
            return report
        _domain_terms()
        staging = layout.new_staging(settings.index_dir, copy_live=not rebuild)
        embedder = make_embedder(settings.model_dir, settings.model_name, settings.query_prefix, settings.passage_prefix)
        connection = fact_store.connect(staging / "facts.sqlite")
        client, collection = passage_store.open_collection(staging / "chroma", settings.model_name)
        try:
            fact_store.set_meta(connection, "embedding_model", settings.model_name)
            fact_store.set_meta(connection, "schema", fact_store.SCHEMA_VERSION)
            sources, duplicates = unique_sources(_read_all(todo, report, progress))
            report.skipped.extend(duplicates)
            for group in group_sources(sources):
                disclosure = _build(group, report)
                if disclosure is None:
                    continue
                tokens = [" ".join(tokenize(p.indexed_text())) for p in disclosure.passages]
                fact_store.save_disclosure(connection, disclosure, tokens)
                if disclosure.document.doc_id in known_docs:  # a fresh document has no old vectors
                    passage_store.delete_document(collection, disclosure.document.doc_id)
                passage_store.add_passages(collection, embedder, disclosure.passages)
                connection.commit()
                report.ingested.extend(str(s.path) for s in group)
        finally:
            # an interrupted ingest leaves only a staging folder, swept by the next ingest;
            # SQLite is released before the folder is renamed (or it sees the file moved)
            connection.close()
            client.close()
        if report.ingested or live is None or rebuild:
            layout.publish(settings.index_dir, staging)
        else:
            layout.sweep(settings.index_dir)  # nothing new: keep the live generation
        return report


def _read_all(paths: list[Path], report: IngestReport, progress: Progress | None) -> list[SourceFile]:
    """Every file's blocks; a file that cannot be read is reported and the rest go on."""
    sources = []
    for number, path in enumerate(paths, start=1):
        if progress:
            progress(number, len(paths), path.name)
        try:
            sources.append(read_source(path))
        except IngestError as error:
            report.skipped.append((str(path), str(error)))
        except Exception as error:  # a reader bug on one file must not lose the batch
            log.exception("failed to read %s", path)
            report.skipped.append((str(path), f"{path.name}: could not be read ({type(error).__name__}: {error})"))
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
