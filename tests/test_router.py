"""Question → slots, and question → the right fact (table route) on the seed."""

from __future__ import annotations

import pytest

from juesuan_qa.qa.router import department_aliases, find_orgs, route, without_name
from juesuan_qa.textutil import fold


@pytest.mark.parametrize("question,intent,unit", [
    ("2023年收入总计是多少？", "numeric", "money"),
    ("三公经费花了多少", "numeric", "money"),
    ("项目支出占比多少", "numeric", "percent"),
    ("一共有几辆车？", "numeric", "count"),
    ("智库合作项目自评得了多少分？", "numeric", "score"),
    ("为什么收入比上年少了？", "narrative", "money"),
    ("什么是基本支出？", "narrative", "money"),
    ("哪些项目自评为差？", "list", "money"),
    ("信息事务2010504", "numeric", "money"),
])
def test_intent_and_unit(kb, question, intent, unit):
    slots = route(question, kb.documents, kb.corpus.vocabulary)
    assert (slots.intent, slots.unit_class) == (intent, unit)


@pytest.mark.parametrize("question,unknown_org,unknown_year", [
    ("晋城市大数据应用局2023年收入总计是多少？", "", None),
    ("大数据局2023年差旅费多少钱？", "", None),
    ("晋城市教育局2023年收入总计是多少？", "晋城市教育局", None),
    ("太原市大数据应用局2023年三公经费是多少？", "太原市大数据应用局", None),
    ("市数字政府服务中心2023年支出总计是多少？", "市数字政府服务中心", None),
    ("晋城市大数据应用局2021年的支出总计是多少？", "", 2021),
    ("智慧晋城运营指挥中心建设项目自评总分是多少？", "", None),  # a project, not an organisation
])
def test_departments_and_years(kb, question, unknown_org, unknown_year):
    slots = route(question, kb.documents, kb.corpus.vocabulary)
    assert slots.unknown_org == unknown_org
    assert slots.unknown_year == unknown_year


def test_aliases_and_org_names():
    assert "大数据应用局" in department_aliases("晋城市大数据应用局")
    assert [name for _, _, name in find_orgs("请问晋城市教育局2023年")] == ["晋城市教育局"]
    assert without_name("需付合同款项目2023年预算是多少", "需付合同款") == "项目2023年预算是多少"


@pytest.mark.parametrize("question,value,unit,table", [
    ("晋城市大数据应用局2023年一共收了多少钱？", 7176.23, "万元", "公开01表"),
    ("支出总计是多少？", 7176.23, "万元", "公开01表"),
    ("事业收入有多少？", 0.0, "万元", "公开01表"),
    ("2010504是多少？", 6568.19, "万元", "公开02表"),
    ("基本支出总共多少？", 293.16, "万元", "公开03表"),
    ("一般公共服务支出里面基本支出是多少？", 240.53, "万元", "公开03表"),
    ("财政拨款收入支出决算总表中，卫生健康支出的一般公共预算财政拨款是多少？", 13.76, "万元", "公开04表"),
    ("一般公共预算财政拨款的基本支出是多少？", 293.16, "万元", "公开05表"),
    ("差旅费多少钱？", 0.65, "万元", "公开06表"),
    ("人员经费合计多少？", 258.05, "万元", "公开06表"),
    ("政府性基金预算财政拨款支出是多少？", 0.0, "万元", "公开07表"),
    ("三公经费花了多少？", 0.0, "万元", "公开09表"),
    ("政府采购货物支出是多少？", 1.10, "万元", "公开10表"),
    ("一共有几辆车？", 1, "辆", "公开10表"),
])
def test_table_answers(kb, question, value, unit, table):
    answer = kb.ask(question)
    assert answer.route == "table" and not answer.abstained
    assert [(v.value, v.unit) for v in answer.values] == [(pytest.approx(value), unit)]
    assert answer.citations[0].table == table
    assert answer.citations[0].line and answer.citations[0].quote


def test_empty_cell_answer_says_zero(kb):
    answer = kb.ask("国防支出是多少？")
    assert answer.values[0].value == 0 and "为空" in answer.answer and "即为0" in answer.answer


def test_ambiguous_name_in_two_classifications(kb):
    answer = kb.ask("住房公积金是多少？")
    values = sorted(v.value for v in answer.values)
    assert values == [pytest.approx(19.69), pytest.approx(84.09)]
    assert {"公开02表", "公开06表"} <= {c.table for c in answer.citations}
    assert "功能分类" in answer.answer and "经济分类" in answer.answer


def test_stated_figure_preferred_to_a_computed_one(kb):
    answer = kb.ask("机关运行经费是多少？")  # the table prints no total; the prose states it
    assert answer.values[0].value == pytest.approx(35.11) and answer.route == "text"


def test_sum_of_rows_shows_the_computation(kb):
    from juesuan_qa.qa import compose
    from juesuan_qa.qa.numeric import part_rows_to_sum
    from juesuan_qa.qa.router import route

    slots = route("机关运行经费是多少？", kb.documents, kb.corpus.vocabulary)
    rows = part_rows_to_sum(slots, kb.corpus.facts_in(set(kb.corpus.documents)))
    assert [r.value for r in rows] == [35.11, 0.0]
    answer = compose.sum_answer(slots.question, rows[0].part, rows, kb.corpus.documents)
    assert answer.values[0].value == pytest.approx(35.11) and len(answer.citations) == 2
    assert "+" in answer.answer and "=" in answer.answer


@pytest.mark.parametrize("question,value,unit", [
    ("收入总计比上年减少了多少？", 1264.10, "万元"),
    ("收入总计比上年下降了百分之几？", 14.98, "%"),
    ("一般公共预算财政拨款支出的年初预算是多少？", 9716.62, "万元"),
    ("一般公共服务支出完成年初预算的比例是多少？", 73.71, "%"),
    ("2023年三公经费比上年度减少了多少？", 2.41, "万元"),
    ("公务接待费比上年度减少了多少？", 0.70, "万元"),
    ("2022年下属市数字政府服务中心的机关运行经费是多少？", 79.81, "万元"),
])
def test_prose_figures(kb, question, value, unit):
    answer = kb.ask(question)
    assert answer.route == "text"
    assert (answer.values[0].value, answer.values[0].unit) == (pytest.approx(value), unit)
    assert answer.citations[0].quote and answer.citations[0].table is None


@pytest.mark.parametrize("question,value,unit", [
    ("电子政务外网运维服务费用项目自评打了几分？", 95, "分"),
    ("智库合作项目全年执行数多少？", 100, "万元"),
    ("城市云平台运维服务运维了多少台服务器？", 293, "台"),
    ("智慧人大项目“软件模块购置数量”这一指标得了几分？", 1.78, "分"),
    ("大数据应用平台运维服务费项目实际执行了多少？", 156.7, "万元"),
])
def test_project_sheet_answers(kb, question, value, unit):
    answer = kb.ask(question)
    assert not answer.abstained
    assert (answer.values[0].value, answer.values[0].unit) == (pytest.approx(value), unit)


def test_table_and_prose_disagreeing_gives_both(kb):
    answer = kb.ask("电子政务外网提速扩能试点项目的预算执行率是多少？")
    assert len(answer.values) == 2 and answer.needs_review
    assert 100 in [v.value for v in answer.values]


def test_project_lists(kb):
    answer = kb.ask("哪些项目自评为差？")
    assert answer.values[0].value == 3 and len(answer.citations) == 3
    assert "需付合同款" in answer.answer


@pytest.mark.parametrize("question", [
    "晋城市教育局2023年收入总计是多少？",
    "晋城市大数据应用局2021年的支出总计是多少？",
    "大数据局局长一个月工资多少？",
    "晋城明天天气怎么样？",
    "晋城市2023年GDP是多少？",
    "市数字政府服务中心2023年支出总计是多少？",
])
def test_abstains_and_says_what_is_covered(kb, question):
    answer = kb.ask(question)
    assert answer.abstained and answer.route == "none" and not answer.values
    assert "晋城市大数据应用局 2023年度决算" in answer.answer


def test_share_computed_from_two_cited_cells(kb):
    answer = kb.ask("差旅费占公用经费合计的比例是多少？")
    assert [(v.value, v.unit) for v in answer.values] == [(1.85, "%")]
    assert "0.65 ÷ 35.11 × 100% = 1.85%" in answer.answer and len(answer.citations) == 2


def test_stated_share_preferred_to_the_recomputed_one(kb):
    answer = kb.ask("基本支出占支出合计的比例是多少？")
    assert answer.route == "text" and answer.values[0].value == 4.09  # 293.16/7176.23 = 4.085…, stated 4.09


def test_difference_computed(kb):
    answer = kb.ask("项目支出比基本支出多多少？")
    assert [(v.value, v.unit) for v in answer.values] == [(pytest.approx(6589.91), "万元")]
    assert "6,883.07 − 293.16 = 6,589.91万元" in answer.answer


@pytest.mark.parametrize(("typed", "official"), [
    ("卫健委", "北京市卫生健康委员会"), ("深圳发改委", "深圳市发展和改革委员会"), ("上海人社局", "上海市人力资源和社会保障局"),
    ("规资局", "上海市规划和自然资源局"), ("住建局", "深圳市住房和建设局"), ("市场监管局", "北京市市场监督管理局"),
    ("交警支队", "福州市公安局交通警察支队"), ("宣传部", "中共北京市委宣传部"), ("北京市委宣传部", "中共北京市委宣传部"),
    ("交管局", "深圳市公安局交通管理局"), ("苏州应急局", "苏州市应急管理局"), ("医保局", "深圳市医疗保障局（本级）"),
])
def test_names_people_use_for_agencies(typed, official):
    from juesuan_qa.domain.aliases import agency_aliases
    from juesuan_qa.qa.router import names_department

    assert any(names_department(fold(typed), fold(alias)) for alias in agency_aliases(official))


@pytest.mark.parametrize(("typed", "official"), [("佛山交通局", "佛山市轨道交通局"), ("上海司法局", "上海市普陀区司法局"),
                                                 ("卫健委", "北京市发展和改革委员会")])
def test_short_forms_do_not_name_another_agency(typed, official):
    from juesuan_qa.domain.aliases import agency_aliases
    from juesuan_qa.qa.router import names_department

    assert not any(names_department(fold(typed), fold(alias)) for alias in agency_aliases(official))
