"""Passage retrieval: Chroma (dense) and BM25 (jieba), fused by reciprocal rank.

Chroma is created without an embedding function and always given our own vectors,
so it never loads its default model (which would download one).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from juesuan_qa.records import Passage
from juesuan_qa.store.bm25 import BM25, tokenize
from juesuan_qa.store.embedding import Embedder

COLLECTION = "passages"
# RRF's k = 60 is the constant of Cormack et al. (2009): it damps the head of each list so a
# passage ranked well by both retrievers beats one ranked first by only one of them.
RRF_K = 60
CANDIDATES = 30  # each retriever's depth before fusion


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float
    bm25_rank: int | None
    dense_rank: int | None


def open_collection(chroma_dir: Path, model_name: str):
    import chromadb
    from chromadb.config import Settings

    client = chromadb.PersistentClient(path=str(chroma_dir), settings=Settings(anonymized_telemetry=False))
    collection = client.get_or_create_collection(
        COLLECTION, embedding_function=None, metadata={"hnsw:space": "cosine", "model": model_name})
    built_with = (collection.metadata or {}).get("model")
    if built_with != model_name:
        raise ValueError(
            f"the index's vectors were built with {built_with!r}, the configured model is {model_name!r}; "
            "vectors of two models cannot be mixed: rebuild with `juesuan-qa ingest --rebuild corpus/`"
        )
    return client, collection


def add_passages(collection, embedder: Embedder, passages: list[Passage]) -> None:
    if not passages:
        return
    vectors = embedder.embed_passages([p.indexed_text() for p in passages])
    for start in range(0, len(passages), 1000):
        batch = passages[start:start + 1000]
        collection.upsert(
            ids=[p.passage_id for p in batch],
            embeddings=vectors[start:start + len(batch)].tolist(),
            metadatas=[{"doc": p.doc_id} for p in batch],
        )


def delete_document(collection, doc_id: str) -> None:
    collection.delete(where={"doc": doc_id})


class HybridSearch:
    """BM25 + dense over the same passages; either channel alone is available for benchmarks."""

    def __init__(self, passages: list[Passage], tokens: list[list[str]], collection, embedder: Embedder) -> None:
        self.passages = passages
        self.by_id = {p.passage_id: i for i, p in enumerate(passages)}
        self.by_doc: dict[str, list[int]] = {}
        for index, passage in enumerate(passages):
            self.by_doc.setdefault(passage.doc_id, []).append(index)
        self.bm25 = BM25(tokens)
        self.collection = collection
        self.embedder = embedder

    def _allowed(self, doc_ids: set[str] | None, within: set[int] | None) -> set[int] | None:
        if doc_ids is None:
            return within
        allowed = {i for doc in doc_ids for i in self.by_doc.get(doc, ())}
        return allowed & within if within is not None else allowed

    def bm25_ranking(self, query: str, k: int = CANDIDATES, doc_ids: set[str] | None = None,
                     within: set[int] | None = None) -> list[int]:
        return [i for i, _ in self.bm25.search(tokenize(query), k, self._allowed(doc_ids, within))]

    def dense_ranking(self, query: str, k: int = CANDIDATES, doc_ids: set[str] | None = None,
                      within: set[int] | None = None) -> list[int]:
        """Nearest passages by vector; `within` narrows to given passages (one project's sheet)."""
        if self.collection is None or not self.passages:
            return []
        count = self.collection.count()
        if count == 0:
            return []
        vector = self.embedder.embed_query(query)
        where = {"doc": {"$in": sorted(doc_ids)}} if doc_ids else None
        depth = min(count, k if within is None else max(k * 10, 300))
        result = self.collection.query(query_embeddings=[np.asarray(vector).tolist()], n_results=depth, where=where)
        ranked = [self.by_id[pid] for pid in result["ids"][0] if pid in self.by_id]
        return [i for i in ranked if within is None or i in within][:k]

    def search(self, query: str, k: int = 5, doc_ids: set[str] | None = None, mode: str = "hybrid",
               within: set[int] | None = None) -> list[Hit]:
        bm25 = self.bm25_ranking(query, CANDIDATES, doc_ids, within) if mode in ("hybrid", "bm25") else []
        dense = self.dense_ranking(query, CANDIDATES, doc_ids, within) if mode in ("hybrid", "dense") else []
        fused = reciprocal_rank_fusion([bm25, dense])
        bm25_rank = {index: r for r, index in enumerate(bm25, start=1)}
        dense_rank = {index: r for r, index in enumerate(dense, start=1)}
        return [Hit(self.passages[i], score, bm25_rank.get(i), dense_rank.get(i)) for i, score in fused[:k]]


def reciprocal_rank_fusion(rankings: list[list[int]], k: int = RRF_K) -> list[tuple[int, float]]:
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, index in enumerate(ranking, start=1):
            scores[index] = scores.get(index, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
