"""Passage vectors in Chroma: persistent in the index folder, or a Chroma server over HTTP.

Chroma is created without an embedding function and always given our own vectors, so it never
loads its default model (which would download one). A vector's id names its document's version
(`passage@sha`): an ingest adds the new version's vectors before the tables point at them and
drops the old ones after, so an interrupted ingest leaves the old vectors serving and at worst
some unreferenced new ones, which the next ingest of that document removes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

COLLECTION = "passages"
_BATCH = 1000


def vector_id(passage_id: str, version: str) -> str:
    return f"{passage_id}@{version[:16]}"


class VectorIndex:
    def __init__(self, client, model_name: str, describe: str) -> None:
        self.client = client
        self.describe = describe
        self.collection = client.get_or_create_collection(
            COLLECTION, embedding_function=None, metadata={"hnsw:space": "cosine", "model": model_name})
        built_with = (self.collection.metadata or {}).get("model")
        if built_with != model_name:
            raise ValueError(
                f"the index's vectors were built with {built_with!r}, the configured model is {model_name!r}; "
                "vectors of two models cannot be mixed: rebuild with `juesuan-qa ingest --rebuild corpus/`")

    @classmethod
    def persistent(cls, folder: Path, model_name: str) -> VectorIndex:
        import chromadb
        from chromadb.config import Settings

        client = chromadb.PersistentClient(path=str(folder), settings=Settings(anonymized_telemetry=False))
        return cls(client, model_name, str(folder))

    @classmethod
    def server(cls, url: str, model_name: str) -> VectorIndex:
        from urllib.parse import urlsplit

        import chromadb
        from chromadb.config import Settings

        parts = urlsplit(url)
        client = chromadb.HttpClient(host=parts.hostname or "127.0.0.1", port=parts.port or 8000,
                                     ssl=parts.scheme == "https",
                                     settings=Settings(anonymized_telemetry=False))
        return cls(client, model_name, f"{parts.scheme}://{parts.hostname}:{parts.port or 8000}")

    def count(self) -> int:
        return self.collection.count()

    def add(self, ids: list[str], vectors, doc_id: str, version: str) -> None:
        for start in range(0, len(ids), _BATCH):
            batch = ids[start:start + _BATCH]
            self.collection.upsert(ids=batch, embeddings=vectors[start:start + len(batch)].tolist(),
                                   metadatas=[{"doc": doc_id, "version": version[:16]}] * len(batch))

    def drop_other_versions(self, doc_id: str, version: str) -> None:
        self.collection.delete(where={"$and": [{"doc": doc_id}, {"version": {"$ne": version[:16]}}]})

    def drop(self, ids: list[str]) -> None:
        for start in range(0, len(ids), _BATCH):
            self.collection.delete(ids=ids[start:start + _BATCH])

    def drop_document(self, doc_id: str) -> None:
        self.collection.delete(where={"doc": doc_id})

    def nearest(self, vector, k: int, doc_ids: set[str] | None) -> list[str]:
        count = self.count()
        if count == 0:
            return []
        where = {"doc": {"$in": sorted(doc_ids)}} if doc_ids else None
        result = self.collection.query(query_embeddings=[list(map(float, vector))], n_results=min(count, k),
                                       where=where, include=[])
        return list(result["ids"][0])

    def warm(self) -> None:
        """Load the collection's segments (1.5 s at 650,000 vectors), so no question pays for it."""
        self.collection.get(limit=1, include=["embeddings"])

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of `ids` (a missing id is absent)."""
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(ids), _BATCH):
            got = self.collection.get(ids=ids[start:start + _BATCH], include=["embeddings"])
            found.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32), strict=True))
        return found

    def close(self) -> None:
        close = getattr(self.client, "close", None)
        if close is not None:
            close()
