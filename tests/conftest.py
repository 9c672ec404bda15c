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
