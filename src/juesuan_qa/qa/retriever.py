"""The hybrid passage search as a langchain-core retriever, for people who build their own chains.

    from juesuan_qa.kb import KnowledgeBase
    from juesuan_qa.qa.retriever import DisclosureRetriever
    retriever = DisclosureRetriever(kb=KnowledgeBase.open("index"), k=5)
    retriever.invoke("为什么收入比上年少了？")   # → list[langchain_core.documents.Document]

Each Document carries the citation fields (doc, title, department, year, section, page,
line, file) in its metadata, so a chain can still say where a passage came from.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict


class DisclosureRetriever(BaseRetriever):
    kb: Any
    k: int = 5
    mode: str = "hybrid"  # hybrid | bm25 | dense
    doc_ids: set[str] | None = None

    model_config = ConfigDict(arbitrary_types_allowed=True)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        documents = self.kb.corpus.documents
        hits = self.kb.corpus.search.search(query, k=self.k, doc_ids=self.doc_ids, mode=self.mode)
        result = []
        for hit in hits:
            passage = hit.passage
            doc = documents.get(passage.doc_id)
            result.append(Document(
                page_content=passage.text,
                metadata={
                    "doc": passage.doc_id, "title": doc.title if doc else "", "department": doc.department if doc else "",
                    "year": doc.year if doc else None, "section": passage.section, "heading": " > ".join(passage.heading),
                    "page": passage.page, "line": passage.line_start, "file": passage.file, "score": hit.score,
                    "bm25_rank": hit.bm25_rank, "dense_rank": hit.dense_rank,
                },
            ))
        return result
