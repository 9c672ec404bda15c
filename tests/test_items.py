"""Each document's stored answers for the compared items (qa.items): what a ranking over many
departments reads instead of asking each one. A stored answer must be exactly what asking that
document gives, and is read only for a question that asks that item and nothing more."""

from __future__ import annotations

import pytest

from conftest import SEED, hashing_settings
from juesuan_qa.domain.vocabulary import COMPARABLE_ITEMS
from juesuan_qa.kb import KnowledgeBase
from juesuan_qa.qa import across, items


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    folder = tmp_path_factory.mktemp("three")
    text = SEED.read_text(encoding="utf-8")
    for n, (city, scale) in enumerate((("长治市", "7,1"), ("大同市", "6,1"), ("晋城市", "7,1"))):
        (folder / f"d{n}.md").write_text(text.replace("晋城市", city).replace("7,176.23", scale + "76.23"),
                                         encoding="utf-8")
    index = tmp_path_factory.mktemp("index-three")
    KnowledgeBase.ingest([folder], index, settings=hashing_settings(index))
    return KnowledgeBase.open(index, settings=hashing_settings(index))


def _records(kb):
    return {(d, i): r for d, i, r in kb.store.tables.rows("SELECT doc_id, item, record FROM item_figures")}


def test_every_document_stores_each_compared_item_as_its_own_answer(three):
    stored = _records(three)
    assert len(stored) == 3 * len(COMPARABLE_ITEMS)
    for doc in three.documents:
        answer = three.ask(items.ITEM_QUESTION.format(department=doc.department, year=doc.year, item="三公经费"))
        value, citation, _ = items.from_record(stored[(doc.doc_id, "三公经费")])
        assert (value, citation) == (answer.values[0], answer.citations[0])


@pytest.mark.parametrize("question", ["哪个部门2023年的基本支出最多？", "各部门2023年三公经费分别是多少？",
                                      "2023年项目支出排名前两位的部门", "哪个部门收支总计最少？"])
def test_a_ranking_over_stored_answers_is_the_ranking_asked_live(three, monkeypatch, question):
    live = three.ask(question).to_dict()
    reads = []
    monkeypatch.setattr(across, "STORED_FROM", 2)
    monkeypatch.setattr(across, "from_record", lambda r: reads.append(r) or items.from_record(r))
    stored = three.ask(question).to_dict()
    live.pop("elapsed_ms"), stored.pop("elapsed_ms")
    assert reads and stored == live


@pytest.mark.parametrize("question", ["哪个部门2023年财政拨款的基本支出最多？", "哪个部门2023年决算的三公经费最多？",
                                      "各部门2023年基本支出中的人员经费分别是多少？", "哪个部门三公经费的执行率最高？"])
def test_a_ranking_with_another_qualifier_asks_each_document(three, monkeypatch, question):
    monkeypatch.setattr(across, "STORED_FROM", 2)
    monkeypatch.setattr(across, "from_record", lambda r: pytest.fail(f"stored answer read for {question}"))
    three.ask(question)


def test_answers_of_other_code_are_not_read_and_the_next_ingest_replaces_them(tmp_path, monkeypatch):
    index = tmp_path / "index"
    KnowledgeBase.ingest([SEED], index, settings=hashing_settings(index))
    kb = KnowledgeBase.open(index, settings=hashing_settings(index))
    doc = kb.documents[0].doc_id
    assert kb.store.tables.item_figures("三公经费", [doc], items.policy())
    monkeypatch.setattr(items, "policy", lambda: "other-code")
    assert kb.store.tables.item_figures("三公经费", [doc], items.policy()) == {}
    assert kb.store.tables.documents_without_items(items.policy()) == [doc]
    KnowledgeBase.ingest([SEED], index, settings=hashing_settings(index))  # the file is unchanged
    assert kb.store.tables.item_figures("三公经费", [doc], "other-code")


def test_a_ranking_over_many_departments_lists_the_first_fifty_and_counts_the_rest(three, monkeypatch):
    monkeypatch.setattr(across, "MAX_LISTED", 2)
    answer = three.ask("各部门2023年基本支出分别是多少？")
    assert len(answer.comparison) == 2 and len(answer.citations) == 2 and len(answer.values) == 2
    assert "以上是前2份，共3份" in answer.answer
    third = three.ask("2023年基本支出排第三的是哪个部门？")  # the one asked is listed, past the limit
    assert len(third.comparison) == 3 and third.values[0].label.startswith(third.comparison[2].department)
