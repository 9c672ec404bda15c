"""The answer record (CONTRACT.md §1): fields, types, and no number without a source."""

from __future__ import annotations

import re

import pytest

FIELDS = {"question": str, "route": str, "abstained": bool, "answer": str, "values": list,
          "citations": list, "elapsed_ms": float}
CITATION = {"doc", "title", "department", "year", "table", "section", "row", "column", "page", "line", "quote"}
QUESTIONS = ["2023年度收入总计是多少？", "住房公积金是多少？", "为什么收入比上年少了？", "机关运行经费是多少？",
             "收入总计比上年下降了百分之几？", "哪些项目自评为优？", "晋城市教育局2023年收入总计是多少？",
             "智库合作项目的自评等级是什么？"]


@pytest.mark.parametrize("question", QUESTIONS)
def test_record_shape(kb, question):
    record = kb.ask(question).to_dict()
    for name, kind in FIELDS.items():
        assert isinstance(record[name], kind), name
    assert record["route"] in ("table", "text", "none")
    assert record["abstained"] == (record["route"] == "none")
    assert record["confidence"] in ("high", "medium", "low")
    assert (record["confidence"] == "low") == record["abstained"]
    for value in record["values"]:
        assert {"value", "unit", "label"} <= set(value) <= {"value", "unit", "label", "verified"} and value["unit"]
        assert value["verified"] in (True, False, None)
    for citation in record["citations"]:
        assert CITATION <= set(citation) and citation["quote"]
    if not record["abstained"]:
        assert record["citations"], "an answer always cites"


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_value_is_in_a_cited_source_or_computed_from_them(kb, question):
    record = kb.ask(question).to_dict()
    quoted = " ".join(c["quote"].replace(",", "") for c in record["citations"])
    cited_numbers = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", quoted)}
    for value in record["values"]:
        if "计算" in value["label"] or value["label"].startswith(("自评等级", "项目支出绩效")):
            assert "=" in record["answer"] or "共" in record["answer"]  # the computation is shown
            continue
        assert any(abs(value["value"] - n) < 0.005 for n in cited_numbers) or (
            value["value"] == 0 and "为空" in record["answer"]), value


def test_figures_are_printed_with_all_their_decimals():
    from juesuan_qa.textutil import format_amount

    assert format_amount(317.025, "万元") == "317.025万元"
    assert format_amount(7176.23, "万元") == "7,176.23万元"
    assert format_amount(29569.515638, "万元") == "29,569.515638万元"
    assert format_amount(0, "万元") == "0.00万元"
