"""Which store a knowledge base uses: embedded in the index folder (the default), or servers.

    embedded   index/juesuan.sqlite (tables, BM25 statistics, vocabulary) + index/chroma/ (vectors)
    server     JUESUAN_DATABASE_URL=postgresql://…  +  JUESUAN_CHROMA_URL=http://host:port

The two halves are one interface (store.sql.SqlStore and store.vectors.VectorIndex); the rest of
the tool never knows which it talks to.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from juesuan_qa.config import Settings
from juesuan_qa.store.sql import PostgresStore, SqliteStore, SqlStore
from juesuan_qa.store.vectors import VectorIndex

# the folder layout of versions before the in-place store; its index cannot be read, only rebuilt
_LEGACY = ("CURRENT", "CURRENT.tmp")


class IndexMissing(RuntimeError):
    pass


@dataclass
class Store:
    tables: SqlStore
    vectors: VectorIndex

    def close(self) -> None:
        self.tables.close()
        self.vectors.close()


def open_store(settings: Settings, *, create: bool = False) -> Store:
    """The configured store; `create` (ingest) makes and migrates it, else it must exist."""
    if bool(settings.database_url) != bool(settings.chroma_url):
        raise ValueError("the server backend needs both JUESUAN_DATABASE_URL and JUESUAN_CHROMA_URL "
                         "(PostgreSQL for the tables, a Chroma server for the vectors)")
    if settings.database_url:
        tables: SqlStore = PostgresStore(settings.database_url)
        if create:
            tables.migrate()
        elif not tables.current():
            raise IndexMissing(f"no index in {tables.describe}, or one of another version: build it with "
                               "`juesuan-qa ingest corpus/`")
        return Store(tables, VectorIndex.server(settings.chroma_url, settings.model_name))
    index = settings.index_dir
    path = index / SqliteStore.FILE
    if create:
        _drop_legacy(index)
    elif not path.exists():
        if (index / "CURRENT").exists():
            raise IndexMissing(f"the index in {index} was built by an earlier version of juesuan-qa; "
                               "rebuild it: juesuan-qa ingest --rebuild corpus/")
        raise IndexMissing(f"no index at {index}: build one with `juesuan-qa ingest corpus/`")
    tables = SqliteStore(path)
    if create:
        tables.migrate()
    elif not tables.current():
        raise IndexMissing(f"the index in {index} was built by another version of juesuan-qa; "
                           "rebuild it: juesuan-qa ingest --rebuild corpus/")
    return Store(tables, VectorIndex.persistent(index / "chroma", settings.model_name))


def _drop_legacy(index: Path) -> None:
    """An index folder of the earlier copy-and-swap layout (gen-*/ and CURRENT) holds nothing this
    version reads; an ingest replaces it."""
    for name in _LEGACY:
        (index / name).unlink(missing_ok=True)
    for child in index.glob("gen-*"):
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
