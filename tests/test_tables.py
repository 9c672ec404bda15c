"""Golden facts of the seed disclosure, hand-checked against the printed tables."""

from __future__ import annotations

import pytest

from juesuan_qa.ingest.markdown import parse_markdown
from juesuan_qa.ingest.tables import collect_section, default_column, read_table


def find(seed, table, row, column=None, part=None, code=None):
    hits = [f for f in seed.facts if f.table == table and f.row == row
            and (column is None or f.column == column) and (part is None or f.part == part)
            and (code is None or f.code == code)]
    assert hits, f"no fact {table} {row} {column} {part}"
    return hits[0]


def test_identity_from_content(seed):
    doc = seed.document
    assert (doc.department, doc.year, doc.kind) == ("晋城市大数据应用局", 2023, "决算")
    assert doc.title == "晋城市大数据应用局2023年度单位决算公开"


@pytest.mark.parametrize("table,row,column,part,value", [
    ("公开01表", "一、一般公共预算财政拨款收入", "金额", "收入", 7176.23),
    ("公开01表", "八、社会保障和就业支出", "金额", "支出", 19.17),
    ("公开01表", "总计", "金额", "支出", 7176.23),
    ("公开02表", "合计", "财政拨款收入", "", 7176.23),
    ("公开02表", "信息事务", "本年收入合计", "", 6568.19),
    ("公开03表", "合计", "基本支出", "", 293.16),
    ("公开03表", "合计", "项目支出", "", 6883.07),
    ("公开03表", "事业运行", "项目支出", "", 314.88),
    ("公开04表", "总计", "金额", "收入", 7176.23),
    ("公开04表", "九、卫生健康支出", "一般公共预算财政拨款", "支出", 13.76),
    ("公开05表", "合计", "本年支出/基本支出", "", 293.16),
    ("公开05表", "住房公积金", "本年支出", "", 19.69),
    ("公开06表", "住房公积金", "决算数", "人员经费", 84.09),
    ("公开06表", "办公费", "决算数", "公用经费", 5.58),
    ("公开06表", "其他交通费用", "决算数", "公用经费", 10.65),
    ("公开06表", "人员经费合计", "决算数", "人员经费", 258.05),
    ("公开06表", "公用经费合计", "决算数", "公用经费", 35.11),
    ("公开10表", "合计", "统计数", "政府采购情况", 207.70),
    ("公开10表", "货物", "统计数", "政府采购情况", 1.10),
    ("公开10表", "(一) 行政单位", "统计数", "机关运行经费", 35.11),
])
def test_golden_values(seed, table, row, column, part, value):
    fact = find(seed, table, row, column, part)
    assert fact.value == pytest.approx(value)
    assert not fact.empty
    assert fact.unit == "万元"
    assert fact.loc.line and str(value).rstrip("0").rstrip(".") in fact.loc.quote.replace(",", "")


def test_subject_codes_kept_on_rows(seed):
    assert find(seed, "公开02表", "信息事务").code == "2010504"
    assert find(seed, "公开06表", "住房公积金").code == "30113"
    assert find(seed, "公开05表", "住房公积金").code == "2210201"


def test_empty_cell_is_zero_and_marked(seed):
    fact = find(seed, "公开01表", "五、事业收入", "金额", "收入")
    assert (fact.value, fact.empty) == (0.0, True)
    fact = find(seed, "公开03表", "事业运行", "基本支出")
    assert (fact.value, fact.empty) == (0.0, True)


def test_not_applicable_cells_are_not_facts(seed):
    # 公开06表 prints "——" for 309 资本性支出（基本建设）: not a figure, not zero
    assert not [f for f in seed.facts if f.table == "公开06表" and f.code == "30901"]


def test_sub_row_repeating_a_label_is_qualified(seed):
    rows = {f.row for f in seed.facts if f.table == "公开04表" and f.part == "收入"}
    assert "年初财政拨款结转和结余/一般公共预算财政拨款" in rows


@pytest.mark.parametrize("table", ["公开07表", "公开08表", "公开09表"])
def test_no_data_tables_yield_zero_facts_and_a_note(seed, table):
    facts = [f for f in seed.facts if f.table == table]
    assert facts and all(f.empty and f.value == 0 for f in facts)
    assert any(note.startswith(table) and "本表无数据" in note for note in seed.notes)


def test_three_public_expenses_items_and_units(seed):
    items = {(f.row, f.column, f.unit) for f in seed.facts if f.table == "公开09表"}
    assert ("合计", "决算数", "万元") in items
    assert ("公务用车购置费", "预算数", "万元") in items
    assert ("公务接待费", "决算数", "万元") in items


def test_counts_carry_their_unit(seed):
    assert find(seed, "公开10表", "(一) 车辆数合计(辆)").unit == "辆"
    assert find(seed, "公开10表", "(一) 车辆数合计(辆)").value == 1
    assert find(seed, "公开10表", "(二) 单价100万元(含)以上设备(不含车辆)").unit == "台"


def test_projects_read_whole(seed):
    projects = {p.name: p for p in seed.projects}
    assert len(projects) == 13
    scores = {name: (p.score, p.grade) for name, p in projects.items()}
    assert scores["城市云平台运维服务费用"] == (90, "优")
    assert scores["晋城市智慧人大建设项目费用"] == (78.43, "中")
    assert scores["需付合同款"] == (0, "差")
    assert sorted(p.grade for p in projects.values()).count("优") == 6
    outer = projects["电子政务外网运维服务费用"]
    assert (outer.budget, outer.executed, outer.rate) == (198, 198, 100)
    assert projects["晋城市电子政务外网提速扩能试点项目费用"].budget == pytest.approx(317.025)
    cloud = {i.name: i for i in projects["城市云平台运维服务费用"].indicators}
    assert cloud["服务器运维数量"].actual == "=293台"
    assert (cloud["驻场人数"].weight, cloud["驻场人数"].score) == (5, 5)


def test_passages_glossary_and_dedup(seed):
    glossary = [p for p in seed.passages if p.kind == "glossary"]
    assert any(p.text.startswith("九、基本支出：指为保障机构正常运转") for p in glossary)
    duties = [p for p in seed.passages if "负责市长热线的运行和管理" in p.text]
    assert len(duties) == 1  # the duties section is printed twice in the source
    labels = {p.heading[-1] for p in seed.passages if p.kind == "project"}
    assert {"项目实施和预算执行情况", "实际完成情况", "下一步改进措施及管理建议"} <= labels


def test_text_figures_know_what_they_state(seed):
    decrease = [f for f in seed.figures if f.value == pytest.approx(1264.10) and "收入总计减少" in f.context]
    assert decrease and decrease[0].unit == "万元" and decrease[0].loc.section == "一、收入支出决算总体情况说明"
    share = [f for f in seed.figures if f.value == pytest.approx(99.27)]
    assert share and "一般公共服务支出" in share[0].context


def test_default_column_prefers_totals():
    assert default_column(["年初结转和结余", "本年收入", "本年支出", "本年支出/基本支出"]) == "本年支出"
    assert default_column(["预算数", "决算数"]) == "决算数"


def test_two_sided_table_from_text():
    text = "\n".join([
        "## 收入支出决算总表", "公开01表", "金额单位：元",
        "收入\t\t\t支出\t\t",
        "项目\t行次\t金额\t项目\t行次\t金额",
        "一、财政拨款收入\t1\t1200\t一、一般公共服务支出\t5\t1,000.5",
        "\t2\t\t二、教育支出\t6\t",
    ])
    blocks = parse_markdown(text)
    facts = read_table(collect_section(blocks[0], blocks[1:]), "doc")
    got = {(f.part, f.row, f.value, f.unit, f.empty) for f in facts}
    assert ("收入", "一、财政拨款收入", 1200.0, "元", False) in got
    assert ("支出", "一、一般公共服务支出", 1000.5, "元", False) in got
    assert ("支出", "二、教育支出", 0.0, "元", True) in got
