"""Settings from the environment, with defaults that work offline on a fresh machine.

Importing this module also pins the Hugging Face libraries offline: the tool must
never reach a model hub at run time, whoever calls it (CLI, web app, tests, API).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def cache_dir() -> Path:
    """Where prepared models live: outside the repo, shared by every checkout on the machine."""
    base = os.environ.get("JUESUAN_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "juesuan-qa"
    )
    return Path(base)


@dataclass(frozen=True)
class Settings:
    index_dir: Path
    model_dir: Path  # a local sentence-transformers directory
    model_name: str  # recorded in the index; vectors of two models never mix
    query_prefix: str
    passage_prefix: str
    llm_base_url: str | None
    llm_model: str | None
    llm_api_key: str | None
    # the server backend: PostgreSQL for the tables, a Chroma server for the vectors (both or neither)
    database_url: str | None = None
    chroma_url: str | None = None

    @classmethod
    def from_env(cls, index_dir: str | Path | None = None) -> Settings:
        from juesuan_qa.store.e5_prepare import E5_MODEL_NAME, E5_PASSAGE_PREFIX, E5_QUERY_PREFIX

        custom = os.environ.get("JUESUAN_EMBED_MODEL")
        if custom == "hashing":  # model-free vectors for tests and smoke runs
            model_dir, model_name, query_prefix, passage_prefix = Path("."), "hashing", "", ""
        elif custom:
            model_dir = Path(custom).expanduser()
            model_name = os.environ.get("JUESUAN_EMBED_NAME") or model_dir.name
            query_prefix = os.environ.get("JUESUAN_QUERY_PREFIX", "")
            passage_prefix = os.environ.get("JUESUAN_PASSAGE_PREFIX", "")
        else:
            model_dir = default_model_dir()
            model_name = E5_MODEL_NAME
            query_prefix = os.environ.get("JUESUAN_QUERY_PREFIX", E5_QUERY_PREFIX)
            passage_prefix = os.environ.get("JUESUAN_PASSAGE_PREFIX", E5_PASSAGE_PREFIX)
        return cls(
            index_dir=Path(index_dir or os.environ.get("JUESUAN_INDEX") or "index"),
            model_dir=model_dir,
            model_name=model_name,
            query_prefix=query_prefix,
            passage_prefix=passage_prefix,
            llm_base_url=os.environ.get("JUESUAN_LLM_BASE_URL") or None,
            llm_model=os.environ.get("JUESUAN_LLM_MODEL") or None,
            llm_api_key=os.environ.get("JUESUAN_LLM_API_KEY") or None,
            database_url=os.environ.get("JUESUAN_DATABASE_URL") or None,
            chroma_url=os.environ.get("JUESUAN_CHROMA_URL") or None,
        )


def default_model_dir() -> Path:
    from juesuan_qa.store.e5_prepare import E5_MODEL_NAME

    return cache_dir() / "models" / E5_MODEL_NAME
