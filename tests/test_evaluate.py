"""Each eval metric on hand-made records."""

from __future__ import annotations

from juesuan_qa.evaluate import (
    citation_correct,
    is_correct,
    percentile,
    relevant_rank,
    summarise,
    value_correct,
)


def record(values=(), quote="", abstained=False, table=None, section=""):
    return {"answer": "", "abstained": abstained, "route": "none" if abstained else "table",
            "values": [{"value": v, "unit": u, "label": ""} for v, u in values],
            "citations": [{"quote": quote, "table": table, "section": section, "doc": "d"}], "elapsed_ms": 1.0}


def test_value_with_unit_conversion():
    case = {"kind": "table", "expect_value": 6500, "expect_unit": "元"}
    assert value_correct(case, record([(0.65, "万元")]))
    assert not value_correct(case, record([(0.66, "万元")]))
    assert not value_correct({"expect_value": 1, "expect_unit": "辆"}, record([(1, "台")]))


def test_text_matches_answer_or_quote_ignoring_space():
    case = {"kind": "text", "expect_text": ["特定目标类 项目"]}
    assert is_correct(case, record(quote="主要原因是特定目标类项目较上年预算减少"))
    assert not is_correct(case, record(quote="无关"))


def test_abstention_cases():
    assert is_correct({"kind": "none"}, record(abstained=True))
    assert not is_correct({"kind": "none"}, record([(1, "万元")]))
    assert not is_correct({"kind": "table", "expect_value": 0, "expect_unit": "万元"}, record(abstained=True))


def test_citation_check():
    case = {"expect_source": {"table": "公开01表"}}
    assert citation_correct(case, record(table="公开01表")) is True
    assert citation_correct(case, record(table="公开02表")) is False
    assert citation_correct({"expect_source": {"section": "三、支出决算情况说明"}},
                            record(section="三、支出决算情况说明")) is True
    assert citation_correct({}, record()) is None


def test_rank_and_percentile():
    assert relevant_rank({"expect_text": ["基本支出"]}, ["无", "基本支出：指"]) == 2
    assert relevant_rank({"expect_text": ["基本支出"]}, ["无"]) is None
    assert percentile([1, 2, 3, 4, 100], 50) == 3 and percentile([], 95) == 0.0


def test_summary_counts_abstention_precision_and_recall():
    cases = [{"id": "a", "kind": "none", "question": "q"}, {"id": "b", "kind": "table", "question": "q",
             "expect_value": 1, "expect_unit": "万元"}]
    report = summarise(cases, [record(abstained=True), record(abstained=True)], {})
    assert report["abstention"]["recall"] == 1.0 and report["abstention"]["precision"] == 0.5
    assert report["abstention"]["false_abstention_rate"] == 1.0
    assert report["accuracy_per_kind"]["table"]["accuracy"] == 0.0


def test_compare_lists_improved_and_regressed():
    from juesuan_qa.evaluate import compare

    def report(flags):
        return {"accuracy": sum(flags.values()) / len(flags), "accuracy_per_kind": {},
                "results": [{"id": i, "correct": ok} for i, ok in flags.items()]}

    diff = compare(report({"a": True, "b": False, "c": True}), report({"a": False, "b": True, "d": True}))
    assert diff["improved"] == ["a"] and diff["regressed"] == ["b"]
    assert diff["new_cases"] == ["c"] and diff["dropped_cases"] == ["d"]


def test_strict_scoring_takes_the_first_figure_only():
    from juesuan_qa.evaluate import is_correct, summarise, wrong_figure

    case = {"id": "s1", "question": "q", "kind": "table", "expect_value": 5.0, "expect_unit": "万元"}
    second = {"abstained": False, "route": "table", "values": [{"value": 9.0, "unit": "万元", "label": "a"},
                                                                {"value": 5.0, "unit": "万元", "label": "b"}]}
    assert not is_correct(case, second) and is_correct(case, second, lenient=True)
    assert wrong_figure(case, second) is True
    assert is_correct({**case, "kind": "ambiguous"}, second)
    abstained = {"abstained": True, "route": "none", "values": []}
    assert wrong_figure(case, abstained) is None
    report = summarise([case, {**case, "id": "s2"}], [second, abstained], {})
    assert report["wrong_figure_rate"] == {"n": 1, "rate": 1.0}
    assert report["abstention_rate"] == 0.5 and report["accuracy_lenient"] == 0.5


def test_a_ranking_case_needs_its_figure_its_department_and_its_count():
    case = {"kind": "table", "expect_value": 27.6, "expect_unit": "万元", "expect_text": ["深圳市气象局"],
            "expect_count": 2}
    record = {"abstained": False, "answer": "最高：深圳市气象局（27.60万元）", "citations": [],
              "values": [{"value": 27.6, "unit": "万元"}, {"value": 3.5, "unit": "万元"}]}
    assert is_correct(case, record)
    assert not is_correct({**case, "expect_count": 3}, record)
    assert not is_correct({**case, "expect_text": ["深圳市审计局"]}, record)
