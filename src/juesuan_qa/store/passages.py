"""Passage retrieval: BM25 (jieba tokens, statistics in the store) and dense (the vector index),
fused by reciprocal rank.

Both channels read only the documents in scope. BM25's idf and average length are the whole
corpus's, kept exact in the store at every ingest, so a passage scores the same whichever
documents a question names and whichever backend holds it.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from juesuan_qa.records import Passage
from juesuan_qa.store.bm25 import K1, B, tokenize
from juesuan_qa.store.embedding import Embedder
from juesuan_qa.store.sql import SqlStore
from juesuan_qa.store.vectors import VectorIndex

# RRF's k = 60 is the constant of Cormack et al. (2009): it damps the head of each list so a
# passage ranked well by both retrievers beats one ranked first by only one of them.
RRF_K = 60
CANDIDATES = 30  # each retriever's depth before fusion
# Up to this many documents, a question's passages are read (and cached) whole; beyond, their
# tokens are streamed and only the best are read.
IN_MEMORY_DOCUMENTS = 200

Key = tuple[str, int]  # (doc_id, seq): a passage's place, the order ties are broken in


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float
    bm25_rank: int | None
    dense_rank: int | None


class HybridSearch:
    """BM25 + dense over the same passages; either channel alone is available for benchmarks."""

    def __init__(self, store: SqlStore, vectors: VectorIndex | None, embedder: Embedder,
                 all_documents: Iterable[str]) -> None:
        self.store = store
        self.vectors = vectors
        self.embedder = embedder
        self.all_documents = frozenset(all_documents)

    def passages_of(self, doc_ids: Iterable[str]) -> list[Passage]:
        return [row.passage for row in self.store.passages(doc_ids)]

    def _scope(self, doc_ids: set[str] | None) -> set[str] | None:
        """None means every document: no filter is sent to either channel."""
        if doc_ids is None or self.all_documents <= doc_ids:
            return None
        return set(doc_ids)

    def bm25_ranking(self, query: str, k: int = CANDIDATES, doc_ids: set[str] | None = None,
                     within: set[str] | None = None) -> list[Key]:
        terms = set(tokenize(query))
        passages, tokens = self.store.bm25_totals()
        frequencies = self.store.document_frequencies(terms)
        if not terms or not passages or not frequencies:
            return []
        idf = {t: math.log(1 + (passages - df + 0.5) / (df + 0.5)) for t, df in frequencies.items()}
        average = tokens / passages
        scope = self._scope(doc_ids)
        if within is not None or (scope is not None and len(scope) <= IN_MEMORY_DOCUMENTS):
            rows = ((r.passage.doc_id, r.seq, r.tokens) for r in self.store.passages(scope or self.all_documents)
                    if within is None or r.passage.passage_id in within)
        else:
            rows = ((doc, seq, tuple(text.split(" ")) if text else ()) for doc, seq, text in
                    self.store.stream_tokens(None if scope is None else sorted(scope)))
        scored = []
        for doc, seq, toks in rows:
            value = okapi(toks, idf, average)
            if value > 0:
                scored.append((-value, (doc, seq)))
        return [key for _, key in heapq.nsmallest(k, scored)]

    def dense_ranking(self, query: str, k: int = CANDIDATES, doc_ids: set[str] | None = None,
                      within: set[str] | None = None) -> list[Key]:
        """Nearest passages by vector; `within` narrows to given passages (one project's sheet)."""
        if self.vectors is None:
            return []
        vector = np.asarray(self.embedder.embed_query(query), dtype=np.float32)
        scope = self._scope(doc_ids)
        exact = scope if scope is not None else set(self.all_documents)
        if len(exact) <= IN_MEMORY_DOCUMENTS:
            # a few documents: every one of their passages scored exactly, in memory (an index-wide
            # nearest-neighbour search filtered to them costs more than reading their vectors), and
            # the same on every backend and every build: an approximate graph is not
            rows = [r for r in self.store.passages(exact) if within is None or r.passage.passage_id in within]
            stored = self.vectors.vectors([r.vector_id for r in rows])
            scored = [(-float(stored[r.vector_id] @ vector), r.key) for r in rows if r.vector_id in stored]
            return [key for _, key in heapq.nsmallest(k, scored)]
        depth = k if within is None else max(k * 10, 300)
        ids = self.vectors.nearest(vector, depth, scope)
        found = self.store.passages_by_vector(ids)
        ranked = [found[i] for i in ids if i in found]  # a vector of an unfinished ingest names no passage
        return [r.key for r in ranked if within is None or r.passage.passage_id in within][:k]

    def search(self, query: str, k: int = 5, doc_ids: set[str] | None = None, mode: str = "hybrid",
               within: set[str] | None = None) -> list[Hit]:
        bm25 = self.bm25_ranking(query, CANDIDATES, doc_ids, within) if mode in ("hybrid", "bm25") else []
        dense = self.dense_ranking(query, CANDIDATES, doc_ids, within) if mode in ("hybrid", "dense") else []
        fused = reciprocal_rank_fusion([bm25, dense])[:k]
        bm25_rank = {key: r for r, key in enumerate(bm25, start=1)}
        dense_rank = {key: r for r, key in enumerate(dense, start=1)}
        rows = {r.key: r for r in self.store.passages({doc for (doc, _), _ in fused})}
        return [Hit(rows[key].passage, score, bm25_rank.get(key), dense_rank.get(key))
                for key, score in fused if key in rows]


def okapi(tokens: tuple[str, ...], idf: dict[str, float], average: float) -> float:
    """BM25 of one passage for the query terms in `idf`."""
    if not tokens:
        return 0.0
    counts = Counter(t for t in tokens if t in idf)
    if not counts:
        return 0.0
    norm = K1 * (1 - B + B * len(tokens) / (average or 1))
    return sum(idf[t] * n * (K1 + 1) / (n + norm) for t, n in counts.items())


def reciprocal_rank_fusion(rankings: list[list[Key]], k: int = RRF_K) -> list[tuple[Key, float]]:
    scores: dict[Key, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
