"""The index folder and its atomic swap.

    index/CURRENT            the name of the live generation, replaced atomically
    index/gen-<stamp>/facts.sqlite
    index/gen-<stamp>/chroma/

An ingest copies the live generation into a staging folder, writes there, and only
then points CURRENT at it (os.replace is atomic). An interrupted ingest leaves
CURRENT pointing at the old, complete generation; its staging folder is swept away
by the next ingest. A generation folder is the simplest shape that makes the swap
atomic for SQLite and Chroma together, which renaming two paths one by one is not.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

POINTER = "CURRENT"
STAGING_SUFFIX = ".staging"


class IndexMissing(RuntimeError):
    pass


def live_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / POINTER
    if not pointer.exists():
        return None
    generation = index_dir / pointer.read_text(encoding="utf-8").strip()
    return generation if generation.is_dir() else None


def require_live(index_dir: Path) -> Path:
    generation = live_generation(index_dir)
    if generation is None:
        raise IndexMissing(f"no index at {index_dir}: build one with `juesuan-qa ingest corpus/`")
    return generation


def new_staging(index_dir: Path, copy_live: bool) -> Path:
    """A staging folder, seeded with the live generation unless we rebuild from nothing."""
    index_dir.mkdir(parents=True, exist_ok=True)
    sweep(index_dir)
    staging = index_dir / f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}{STAGING_SUFFIX}"
    live = live_generation(index_dir)
    if copy_live and live is not None:
        shutil.copytree(live, staging)
    else:
        staging.mkdir()
    return staging


def publish(index_dir: Path, staging: Path) -> Path:
    """Make a finished staging folder the live generation, then drop the old ones."""
    final = staging.with_name(staging.name.removesuffix(STAGING_SUFFIX))
    staging.rename(final)
    temporary = index_dir / (POINTER + ".tmp")
    temporary.write_text(final.name, encoding="utf-8")
    os.replace(temporary, index_dir / POINTER)
    sweep(index_dir)
    return final


def sweep(index_dir: Path) -> None:
    """Remove generations that are not live (left by earlier swaps or interrupted ingests)."""
    live = live_generation(index_dir)
    for child in index_dir.glob("gen-*"):
        if child.is_dir() and child != live:
            shutil.rmtree(child, ignore_errors=True)
