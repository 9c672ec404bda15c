"""The langchain retriever and the optional LLM polish (with a fake model: tests never need one)."""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import FakeListChatModel

from juesuan_qa.qa.polish import figures_supported, numbers, polish
from juesuan_qa.qa.retriever import DisclosureRetriever


def test_retriever_returns_cited_documents(kb):
    documents = DisclosureRetriever(kb=kb, k=3, mode="bm25").invoke("基本支出 保障机构正常运转")
    assert len(documents) == 3
    assert any("保障机构正常运转" in d.page_content for d in documents)
    assert documents[0].metadata["doc"] == "jincheng-bigdata-2023-juesuan" and documents[0].metadata["line"]


def test_polish_keeps_a_faithful_rewording(kb):
    answer = kb.ask("差旅费多少钱？")
    faithful = FakeListChatModel(responses=["晋城市大数据应用局2023年差旅费为0.65万元，见公开06表。[1]"])
    assert polish(answer, faithful).answer.startswith("晋城市大数据应用局2023年差旅费为0.65万元")


def test_polish_discards_a_changed_figure(kb):
    answer = kb.ask("差旅费多少钱？")
    original = answer.answer
    liar = FakeListChatModel(responses=["差旅费大约1万元。"])
    assert polish(answer, liar).answer == original


def test_numbers_ignore_separators():
    assert numbers("7,176.23万元，下降14.98%") == {"7176.23", "14.98"}
    assert numbers("100.00%") == {"100"}


def test_no_model_no_change(kb):
    answer = kb.ask("什么是基本支出？")
    assert polish(answer, None) is answer
    assert figures_supported(answer.answer, answer)
