"""The answer policy on small hand-made documents: a cell answers only when it carries every
qualifier the question names; otherwise a prose figure of exactly that item, or an abstention.
Each test is one class of wrong figure seen on real disclosures."""

from __future__ import annotations

import pytest

from conftest import Rows
from juesuan_qa.qa.lexicon import build_vocabulary
from juesuan_qa.qa.pipeline import Corpus, ask
from juesuan_qa.records import Document, Fact, Locator, TextFigure

DOC = "test-2026-yusuan"
DEPARTMENT = "示范市测试局"


def _fact(title: str, row: str, column: str, value: float | None, *, part: str = "", code: str = "") -> Fact:
    return Fact(title, title, part, row, code, column, value or 0.0, "万元", value is None,
                Locator(DOC, title, title, page=1, quote=row), status="verified")


def _figures(sentence: str) -> list[TextFigure]:
    from juesuan_qa.ingest.prose import extract_figures
    from juesuan_qa.records import Passage

    return extract_figures(Passage("p1", DOC, ("情况说明",), sentence, 1, 1, page=2))


def _corpus(facts: list[Fact], prose: str = "") -> Corpus:
    document = Document(DOC, f"{DEPARTMENT}2026年部门预算", DEPARTMENT, 2026, "预算", "test.pdf", "0")
    return Corpus({DOC: document}, build_vocabulary(facts), None, Rows(facts, _figures(prose) if prose else []))


def _first(corpus: Corpus, question: str) -> float | None:
    answer = ask(corpus, f"{DEPARTMENT}2026年{question}")
    return None if answer.abstained or not answer.values else answer.values[0].value


def test_a_part_of_a_whole_is_not_answered_with_the_whole():
    facts = [_fact("一般公共预算拨款支出预算表", "合计", "基本支出", 100.0),
             _fact("一般公共预算拨款支出预算表", "合计", "项目支出", 50.0)]
    without_prose = _corpus(facts)
    assert _first(without_prose, "一般公共预算拨款基本支出中人员经费是多少？") is None
    with_prose = _corpus(facts, "2026年度一般公共预算拨款基本支出100.00万元，其中：人员经费80.00万元，公用经费20.00万元。")
    assert _first(with_prose, "一般公共预算拨款基本支出中人员经费是多少？") == 80.0
    assert _first(with_prose, "一般公共预算拨款基本支出是多少？") == 100.0


def test_the_whole_of_an_item_wins_over_its_basic_expenditure_row():
    facts = [_fact("一般公共预算基本支出经济分类情况表", "因公出国（境）费用", "预算数", None, code="30212"),
             _fact("一般公共预算基本支出经济分类情况表", "办公费", "预算数", 3.0, code="30201"),
             _fact("一般公共预算三公经费支出预算表", "1、因公出国（境）费用", "预算数", 70.0)]
    corpus = _corpus(facts)
    answer = ask(corpus, f"{DEPARTMENT}2026年因公出国（境）费用安排了多少？")
    assert [v.value for v in answer.values] == [70.0]
    assert _first(corpus, "办公费是多少？") == 3.0  # printed only in the 基本支出 table: still that row


def test_the_row_of_a_funding_source_answers_its_revenue_not_a_spending_sentence():
    facts = [_fact("财务收支预算总表", "一、财政拨款收入", "预算数", 520.0, part="本年收入"),
             _fact("财务收支预算总表", "1、一般公共预算", "预算数", 500.0, part="本年收入"),
             _fact("财务收支预算总表", "2、政府性基金预算", "预算数", 20.0, part="本年收入"),
             _fact("财务收支预算总表", "收入总计", "预算数", 520.0, part="本年收入")]
    corpus = _corpus(facts, "财政拨款支出预算中，一般公共预算拨款支出预算5万元，比2025年预算减少1万元。")
    assert _first(corpus, "一般公共预算财政拨款收入是多少？") == 500.0


def test_a_subject_named_with_its_parent_is_the_row_under_that_parent():
    facts = [_fact("一般公共预算支出表", "一般公共服务支出", "合计", 30.0, code="201"),
             _fact("一般公共预算支出表", "行政运行", "合计", 10.0, code="2010101"),
             _fact("一般公共预算支出表", "公共安全支出", "合计", 60.0, code="204"),
             _fact("一般公共预算支出表", "行政运行", "合计", 40.0, code="2040101")]
    corpus = _corpus(facts)
    assert _first(corpus, "公共安全支出里的行政运行是多少？") == 40.0
    assert _first(corpus, "一般公共服务支出中行政运行支出是多少？") == 10.0


@pytest.mark.parametrize("question", ["共有多少辆车？", "一共有几辆车？", "截至2025年底有几辆车？"])
def test_a_vehicle_count_is_the_sentence_that_counts_vehicles(question):
    corpus = _corpus([_fact("支出总表", "合计", "合计", 900.0)],
                     "截至2025年12月31日，本部门共有车辆8辆，其中，执法执勤用车5辆、特种专业技术用车3辆。")
    assert _first(corpus, question) == 8.0


def test_a_named_column_of_a_receipts_and_payments_table_is_read_on_its_side_total():
    facts = [_fact("预算单位财务收支预算总表", "一、一般公共服务支出", "基本支出/人员经费", 60.0, part="本年支出"),
             _fact("预算单位财务收支预算总表", "支出总计", "基本支出/人员经费", 75.0, part="本年支出"),
             _fact("预算单位财务收支预算总表", "支出总计", "预算数/合计", 120.0, part="本年支出"),
             _fact("预算单位一般公共预算基本支出部门预算经济分类预算表", "合计", "一般公共预算基本支出/人员经费", None)]
    assert _first(_corpus(facts), "基本支出中的人员经费是多少？") == 75.0


def test_no_cell_carrying_every_qualifier_abstains_and_offers_related_cells():
    facts = [_fact("一般公共预算支出表", "一般公共服务支出", "合计", 30.0, code="201"),
             _fact("一般公共预算支出表", "行政运行", "合计", 10.0, code="2010101"),
             _fact("一般公共预算支出表", "公共安全支出", "合计", 60.0, code="204"),
             _fact("一般公共预算支出表", "公安", "合计", 60.0, code="20402")]
    answer = ask(_corpus(facts), f"{DEPARTMENT}2026年公共安全支出里的行政运行是多少？")
    assert answer.abstained and answer.values == []
    assert 10.0 in [r.value for r in answer.related] and len(answer.related) <= 3
    assert "相关数字" in answer.answer and all(r.citation.section for r in answer.related)
    assert 30.0 not in [r.value for r in answer.related]  # a total is never offered for an item


def test_an_item_no_table_prints_is_never_answered_with_a_total_or_another_item():
    facts = [_fact("一般公共预算基本支出表", "合计", "合计", 500.0), _fact("一般公共预算基本支出表", "会议费", "合计", 26.6)]
    corpus = _corpus(facts, "2026年度一般公共预算拨款安排的会议费预算支出26.6万元，比上年预算减少5万元。")
    assert _first(corpus, "一般公共预算基本支出中咨询费安排了多少？") is None
    assert _first(corpus, "一般公共预算基本支出中会议费安排了多少？") == 26.6


def test_a_units_block_answers_for_that_unit_not_for_the_department():
    facts = [_fact("收支总表", "四、节能环保支出", "2026年预算数", 441.0, part="支出"),
             _fact("支出总表", "节能环保支出", "支出总计", 117.0, part="示范市测试局（本级）", code="211"),
             _fact("支出总表", "节能环保支出", "支出总计", 324.0, part="示范市水源管理中心", code="211")]
    corpus = _corpus(facts)
    assert _first(corpus, "节能环保支出预算安排了多少？") == 441.0
    answer = ask(corpus, "示范市水源管理中心2026年节能环保支出是多少？")
    assert [v.value for v in answer.values] == [324.0]


def test_an_item_is_found_under_either_spelling_of_its_name():
    facts = [_fact("一般公共预算三公经费支出预算表", "1、因公出国（境）费用", "预算数", 6.14),
             _fact("一般公共预算三公经费支出预算表", "合计", "预算数", 9.14)]
    assert _first(_corpus(facts), "因公出国（境）费预算安排了多少？") == 6.14


def test_the_total_of_a_table_covering_one_part_is_no_department_total():
    facts = [_fact("政府采购预算表", "合计", "合计", 177.4), _fact("收支预算总表", "收入合计", "预算数", 70109.24, part="收入")]
    corpus = _corpus(facts, "2026年，示范市测试局政府采购预算总额177.4万元，其中：政府采购货物预算34.4万元。")
    assert _first(corpus, "收支预算总额是多少？") == 70109.24
    assert _first(corpus, "政府采购预算总额是多少？") == 177.4


def test_a_list_items_name_says_what_the_figures_under_it_are():
    text = ("2026年财政拨款“三公”经费预算282.16万元。其中：（一）因公出国（境）费用。2026年预算数159.00万元，"
            "主要用于境外业务培训。（二）公务接待费。2026年预算数1.35万元，主要用于国内公务接待支出。")
    corpus = _corpus([_fact("支出总表", "合计", "合计", 900.0)], text)
    assert _first(corpus, "因公出国（境）费用预算数是多少？") == 159.0
    assert _first(corpus, "公务接待费预算数是多少？") == 1.35
    answer = ask(corpus, f"{DEPARTMENT}2026年公务接待费预算数是多少？")
    assert answer.citations[0].quote.startswith("（二）公务接待费。")  # the quote names what it is


def test_where_to_look_is_not_what_is_asked():
    corpus = _corpus([_fact("支出总表", "合计", "合计", 900.0)],
                     "截至2025年8月31日，示范市测试局共有车辆12辆，其中：其他用车12辆。单价100万元以上设备（不含车辆）0台（套）。")
    assert _first(corpus, "单位预算显示，截至2025年8月31日共有多少辆车？") == 12.0


def _two_departments() -> Corpus:
    def fact(doc, value, unit="万元"):
        return Fact("三公经费支出表", "三公经费支出表", "", "合计", "", "预算数", value, unit, False,
                    Locator(doc, "三公经费支出表", "三公经费支出表", page=3, quote=f"合计\t{value}"), status="verified")

    documents = {"a": Document("a", "甲市审计局2026年部门预算", "甲市审计局", 2026, "预算", "a.pdf", "1"),
                 "b": Document("b", "乙市气象局2026年部门预算", "乙市气象局", 2026, "预算", "b.pdf", "2"),
                 "c": Document("c", "丙市统计中心2026年单位预算", "丙市统计中心", 2026, "预算", "c.pdf", "3")}
    facts = [fact("a", 35.1), fact("b", 27.6), fact("c", 441000.0, "元")]
    return Corpus(documents, build_vocabulary(facts), None, Rows(facts))


def test_a_question_naming_no_department_lists_every_department_that_prints_it():
    answer = ask(_two_departments(), "2026年各部门的三公经费分别是多少？")
    assert [v.value for v in answer.values] == [441000.0, 35.1, 27.6]  # 44.1万元 first, compared in 万元
    assert "3份公开文件中有3份列示了该项" in answer.answer and "=44.10万元" in answer.answer
    assert [r.department for r in answer.comparison] == ["丙市统计中心", "甲市审计局", "乙市气象局"]


def test_rankings_and_comparisons_state_the_figure_asked_and_show_the_computation():
    corpus = _two_departments()
    assert ask(corpus, "2026年哪个部门的三公经费最少？").values[0].value == 27.6
    assert ask(corpus, "2026年三公经费排第二的是哪个部门？").values[0].value == 35.1
    answer = ask(corpus, "甲市审计局和乙市气象局2026年谁的三公经费多？多多少？")
    assert answer.values[0].value == pytest.approx(7.5) and "35.10万元 − 27.60万元" in answer.answer
    ratio = ask(corpus, "甲市审计局2026年的三公经费是乙市气象局的几倍？")
    assert ratio.values[0].unit == "倍" and ratio.values[0].value == pytest.approx(1.27)


def _one_department_over_years() -> Corpus:
    def fact(doc, value, column):
        return Fact("三公经费支出表", "三公经费支出表", "", "合计", "", column, value, "万元", False,
                    Locator(doc, "三公经费支出表", "三公经费支出表", page=2, quote=f"合计\t{value}"), status="verified")

    documents = {"b24": Document("b24", "福州市医疗保障局2024年部门预算", "福州市医疗保障局", 2024, "预算", "1.pdf", "1"),
                 "f24": Document("f24", "福州市医疗保障局2024年部门决算", "福州市医疗保障局", 2024, "决算", "2.pdf", "2"),
                 "b25": Document("b25", "福州市医疗保障局2025年部门预算", "福州市医疗保障局", 2025, "预算", "3.pdf", "3")}
    facts = [fact("b24", 40.0, "预算数"), fact("f24", 30.0, "决算数"), fact("b25", 36.0, "预算数")]
    return Corpus(documents, build_vocabulary(facts), None, Rows(facts))


def test_one_department_over_its_years_and_its_execution_rate():
    corpus = _one_department_over_years()
    trend = ask(corpus, "福州医保局近几年三公经费怎么变的？")
    assert [v.value for v in trend.values] == [40.0, 30.0, 36.0] and "−" in trend.answer
    rate = ask(corpus, "福州市医疗保障局2024年三公经费预算执行率是多少？")
    assert rate.values[0].value == 75.0 and rate.values[0].unit == "%" and "30.00万元 ÷ 40.00万元" in rate.answer


def test_an_amount_is_never_answered_with_the_change_beside_it():
    corpus = _corpus([_fact("支出总表", "合计", "合计", 900.0)],
                     "2026年“三公”经费预算数为873.20万元，比上年预算数增加384.30万元。1.因公出国（境）费用：年初不编制。")
    assert _first(corpus, "因公出国（境）费用预算是多少？") != 384.3
    assert _first(corpus, "三公经费比上年增加了多少？") == 384.3


def test_a_final_account_is_not_answered_from_a_budget():
    facts = [_fact("三公经费支出表", "示范市测试局 2025年", "一般公共预算", 382.64),
             _fact("三公经费支出表", "示范市测试局 2026年", "一般公共预算", 469.17)]
    assert _first(_corpus(facts), "2025年度决算支出总额是多少？") is None


def test_the_nth_and_the_department_named_first():
    corpus = _two_departments()
    assert ask(corpus, "2026年三公经费排前三的是哪几个部门？第三名是多少？").values[0].value == 27.6
    ratio = ask(corpus, "乙市气象局2026年的三公经费是甲市审计局的几倍？")
    assert ratio.values[0].value == pytest.approx(0.79)  # 27.6 ÷ 35.1: the department named first is divided


def test_a_short_name_that_fits_several_departments_is_asked_back():
    documents = {"a": Document("a", "福州市人力资源和社会保障局2026年部门预算", "福州市人力资源和社会保障局", 2026, "预算", "a", "1"),
                 "b": Document("b", "厦门市人力资源和社会保障局2026年部门预算", "厦门市人力资源和社会保障局", 2026, "预算", "b", "2")}
    facts = [Fact("三公经费支出表", "三公经费支出表", "", "合计", "", "预算数", v, "万元", False,
                  Locator(d, "三公经费支出表", "三公经费支出表", page=1)) for d, v in (("a", 5.0), ("b", 7.0))]
    corpus = Corpus(documents, build_vocabulary(facts), None, Rows(facts))
    answer = ask(corpus, "人社局2026年三公经费是多少？")
    assert answer.abstained and "福州市人力资源和社会保障局" in answer.answer and "厦门市人力资源和社会保障局" in answer.answer
    assert ask(corpus, "各人社局2026年三公经费分别是多少？").values[0].value == 7.0


def test_a_departments_share_of_all_departments():
    answer = ask(_two_departments(), "甲市审计局2026年的三公经费占各部门合计的比例是多少？")
    assert answer.values[0].unit == "%" and answer.values[0].value == pytest.approx(32.87)
    assert "35.10万元 ÷ (44.10万元 + 35.10万元 + 27.60万元 = 106.80万元)" in answer.answer


def test_a_figure_asked_in_another_money_unit_is_shown_in_both_with_the_conversion():
    facts = [Fact("支出总表", "支出总表", "", "合计", "", "基本支出", 25741666.44, "元", False,
                  Locator(DOC, "支出总表", "支出总表", page=1, quote="合计\t25741666.44"), status="verified")]
    corpus = _corpus(facts)
    asked = ask(corpus, f"{DEPARTMENT}2026年基本支出是多少万元？")
    assert asked.values[0].value == 25741666.44 and asked.values[0].unit == "元"  # the figure as printed comes first
    assert "25,741,666.44元 ÷ 10,000 = 2,574.166644万元" in asked.answer
    from juesuan_qa.domain.units import asked_money_unit

    assert asked_money_unit("三明市三元区2026年基本支出是多少？") is None  # a place, not a unit
    plain = ask(corpus, f"{DEPARTMENT}2026年基本支出是多少？")
    assert "÷" not in plain.answer


def test_a_class_of_projects_inside_a_row_is_the_sentence_that_names_it_never_the_rows_total():
    facts = [_fact("项目支出表", "福利彩票公益金项目", "合计", 19336.15)]
    prose = ("2026年福利彩票公益金项目安排19,336.15万元。其中：老年人福利类项目 1,522.10 万元，用于银龄行动项目；"
             "儿童福利类项目 800.00 万元，用于儿童之家建设。")
    asked = "福利彩票公益金项目中，老年人福利类项目安排了多少万元？"
    assert _first(_corpus(facts), asked) is None  # no table prints it: not the total of the row it is in
    assert _first(_corpus(facts, prose), asked) == 1522.10


def test_the_document_named_in_brackets_is_where_to_look_not_what_is_asked():
    from juesuan_qa.qa.router import route

    corpus = _corpus([])
    slots = route(f"截至2025年8月31日，{DEPARTMENT}（2026年单位预算）共有多少辆车？", list(corpus.documents.values()),
                  corpus.vocabulary)
    assert "预算" not in slots.content and "共有" in slots.content  # (2026年单位预算) would score 预算 sentences


def test_a_sentence_opening_with_its_comparison_continues_the_subject_before_it():
    prose = ("（二）社会保障和就业（类）支出 3,061.29 万元。与上年相比增加 740.84 万元，增长 31.93%。"
             "1.行政事业单位养老支出（款）行政单位离退休（项）支出155.66 万元，与上年相比增加 22.12 万元，增长 16.56%。")
    figures = _figures(prose)
    rate = next(f for f in figures if f.value == 31.93)
    assert rate.sentence.startswith("（二）社会保障和就业（类）支出") and rate.sentence.endswith("增长 31.93%。")
    assert _first(_corpus([], prose), "社会保障和就业支出比上年增长了百分之几？") == 31.93


def test_the_stock_on_the_date_asked_is_not_the_purchase_planned():
    from juesuan_qa.qa.router import dates_in, route

    assert dates_in("截至2025年12月31日") == {(2025, 12, 31)} and dates_in("截至 2025 年底") == {(2025, 12, 31)}
    prose = ("截至2025年12月31日，示范市测试局共有车辆5辆，其中：执法执勤用车5辆。"
             "2026年单位预算安排购置车辆0辆，其中：执法执勤用车0辆。")
    corpus = _corpus([], prose)
    slots = route(f"{DEPARTMENT}2026年单位预算披露，截至2025年12月31日该单位共有多少辆车？", list(corpus.documents.values()),
                  corpus.vocabulary)
    assert "单位" not in slots.content and slots.dates == {(2025, 12, 31)}  # 该单位 is who; the date is when
