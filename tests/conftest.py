"""Shared fixtures: the seed disclosure, parsed once, and indexes built once per session.

Most tests use the model-free hashing embedder (fast, deterministic); the tests that
judge retrieval quality use the real default model, which `make test` prepares first.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from juesuan_qa.config import Settings
from juesuan_qa.ingest.document import read_disclosure
from juesuan_qa.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "jincheng-bigdata-2023-juesuan.md"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed():
    return read_disclosure(SEED)


def hashing_settings(index: Path) -> Settings:
    return Settings(index, Path("."), "hashing", "", "", None, None, None)


@pytest.fixture(scope="session")
def hashing_index(tmp_path_factory) -> Path:
    index = tmp_path_factory.mktemp("index-hashing")
    report = KnowledgeBase.ingest([SEED], index, settings=hashing_settings(index))
    assert report.ingested == [str(SEED)]
    return index


@pytest.fixture(scope="session")
def kb(hashing_index) -> KnowledgeBase:
    return KnowledgeBase.open(hashing_index, settings=hashing_settings(hashing_index))


@pytest.fixture(scope="session")
def model_kb(tmp_path_factory) -> KnowledgeBase:
    """The seed indexed with the default embedding model (prepared by `make test`)."""
    settings = Settings.from_env(tmp_path_factory.mktemp("index-model"))
    if not (settings.model_dir / "modules.json").exists():
        pytest.fail(f"embedding model missing at {settings.model_dir}: run `juesuan-qa prepare-model`")
    KnowledgeBase.ingest([SEED], settings.index_dir, settings=settings)
    return KnowledgeBase.open(settings.index_dir, settings=settings)


@pytest.fixture()
def corpus_copy(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    return folder


@pytest.fixture(scope="session")
def corpus_kb(tmp_path_factory) -> KnowledgeBase:
    """The whole shipped corpus (the Jincheng markdown and the PDFs), hashing embedder."""
    index = tmp_path_factory.mktemp("corpus-index")
    settings = hashing_settings(index)
    KnowledgeBase.ingest([SEED.parent], index, settings=settings)
    return KnowledgeBase.open(index, settings=settings)


class Rows:
    """The store's per-document reads over records held in memory: a Corpus for hand-made documents."""

    def __init__(self, facts=(), figures=(), projects=()) -> None:
        self._facts, self._figures, self._projects = list(facts), list(figures), list(projects)

    def facts(self, doc_ids):
        return [f for f in self._facts if f.loc.doc_id in doc_ids]

    def figures(self, doc_ids):
        return [f for f in self._figures if f.loc.doc_id in doc_ids]

    def projects(self, doc_ids):
        return [p for p in self._projects if p.loc.doc_id in doc_ids]


@pytest.fixture(scope="session")
def servers():
    """A PostgreSQL and a Chroma server on 127.0.0.1 for the session, or a skip saying why not."""
    import tempfile

    from servers import start_chroma, start_postgres

    folder = Path(tempfile.mkdtemp(prefix="juesuan-servers-"))  # not under pytest's 0700 folder: postgres reads it
    folder.chmod(0o755)
    postgres, why = start_postgres(folder / "pg")
    if postgres is None:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"server backend not tested: {why}")
    chroma, why = start_chroma(folder)
    if chroma is None:
        postgres.close()
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"server backend not tested: {why}")
    yield postgres.url, chroma.url
    chroma.close()
    postgres.close()
    shutil.rmtree(folder, ignore_errors=True)


_databases = iter(range(1, 10_000))


def server_settings(servers, index: Path) -> Settings:
    """A fresh database and an empty vector collection on the session's servers."""
    import chromadb
    import psycopg
    from chromadb.config import Settings as ChromaSettings

    database_url, chroma_url = servers
    name = f"t{next(_databases)}"
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    host, port = chroma_url.removeprefix("http://").split(":")
    client = chromadb.HttpClient(host=host, port=int(port), settings=ChromaSettings(anonymized_telemetry=False))
    if any(c.name == "passages" for c in client.list_collections()):
        client.delete_collection("passages")
    return Settings(index, Path("."), "hashing", "", "", None, None, None,
                    database_url.rsplit("/", 1)[0] + "/" + name, chroma_url)


@pytest.fixture(params=["embedded", "server"])
def backend(request, tmp_path) -> Settings:
    """Settings for a new, empty index on each backend in turn."""
    if request.param == "embedded":
        return hashing_settings(tmp_path / "index")
    return server_settings(request.getfixturevalue("servers"), tmp_path / "index")
