"""Reading classes found on real documents nobody tuned on, each tested on a small synthetic case.

Each class was counted on ../shared/corpus-dev with benchmarks/bench_fidelity.py; these tests pin
the mechanism, the fidelity test pins the effect on real pages.
"""

from __future__ import annotations

from juesuan_qa.domain.vocabulary import table_type, type_key
from juesuan_qa.ingest.blocks import Block, Row
from juesuan_qa.ingest.coded import groups, header_rows, unit_blocks
from juesuan_qa.ingest.grid import rows_to_blocks
from juesuan_qa.ingest.identity import org_name, read_identity
from juesuan_qa.ingest.pages import drop_repeated_headers, join_grids
from juesuan_qa.ingest.pdf import is_table_title
from juesuan_qa.qa.compose import UNVERIFIED_NOTE, with_confidence
from juesuan_qa.records import Answer, Value


def rows(*lines: list[str], page: int = 1) -> list[Row]:
    return [Row(None, cells, "\t".join(cells), page=page) for cells in lines]


# ---- identity ----


def test_agency_names_are_the_longest_run_ending_in_an_agency_word():
    assert org_name("北京市人力资源和社会保障局 2026 年度部门预算信息公开") == "北京市人力资源和社会保障局"
    assert org_name("中国共产党北京市委员会宣传部") == "中国共产党北京市委员会宣传部"
    assert org_name("中共上海市普陀区委社会工作部2026年度部门预算") == "中共上海市普陀区委社会工作部"
    assert org_name("福州市公安局交通管理支队单位预算") == "福州市公安局交通管理支队"
    assert org_name("北京市统计局部门 2026 年度") == "北京市统计局"
    assert org_name("深圳市审计局（本级）部") == "深圳市审计局（本级）"
    assert org_name("2026年度部门预算") == ""


def test_a_title_wrapped_inside_a_word_is_read_as_one_line():
    blocks = [Block("para", "北京市信访办公室部", 1, 1), Block("para", "门 2026 年度预算信息公开", 2, 1),
              Block("heading", "一、部门情况说明", 3, 1)]
    department, year, kind, _ = read_identity(blocks)
    assert (department, year, kind) == ("北京市信访办公室", 2026, "预算")


def test_a_label_glued_after_the_name_line_is_cut():
    blocks = [Block("para", "2026年度部门预算", 1, 1), Block("heading", "收支总表", 2, 1),
              Block("para", "部门名称：杭州市交通运输局单位：万元", 3, 1)]
    assert read_identity(blocks)[0] == "杭州市交通运输局"


def test_a_cover_printed_as_an_image_leaves_the_duties_sentence():
    blocks = [Block("heading", "一、部门情况说明", 1, 1),
              Block("para", "北京市人民政府办公厅主要职责包括：1.协助市政府领导同志处理日常工作。2026年度…", 2, 1)]
    assert read_identity(blocks)[0] == "北京市人民政府办公厅"


# ---- canonical tables ----


def test_printed_titles_map_to_canonical_types():
    assert table_type("2026年预算单位财务收支预算总表") == "totals"
    assert table_type("收入支出决算总表") == "totals"
    assert table_type("预算单位一般公共预算基本支出部门预算经济分类预算表") == "gpb_basic"
    assert table_type("财政拨款基本支出表(经济科目)") == "fiscal_basic"
    assert table_type("单位“三公”经费和机关运行经费预算表") == "sangong"
    assert table_type("一般公共预算机关运行经费支出预算表") == "operating_costs"
    assert table_type("政府性基金预算支出表") == "gov_fund"
    assert table_type("一般公共预算支出表(按经济分类)") == "economic"
    assert table_type("基本支出总表") == "basic"
    assert table_type("部门收入预算总表") == "revenue"
    assert table_type("主要职能") is None
    # 西安's 部门综合预算 names project spending 专项业务经费; a title naming one fund is that fund's table
    assert table_type("部门综合预算专项业务经费支出表(不含上年结转)") == "projects"
    assert table_type("2022年部门预算专项业务经费绩效目标表") == "performance"
    assert table_type("2020年部门综合预算政府性基金收支总表") == "gov_fund"
    assert table_type("政府性基金预算财政拨款收入支出决算表") == "gov_fund"
    assert table_type("一般公共预算和政府性基金收支总表") == "totals"
    assert type_key("一般公共预算支出表") == "gpb_expenditure" and type_key("三公经费表") == "sangong"


def test_a_title_is_short_by_its_name_not_by_its_year_and_bracketed_scope():
    assert is_table_title("2022年部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表（不含上年结转）")
    assert is_table_title("2022年部门综合预算一般公共预算基本支出明细表（支出经济分类科目-不含上年结转）")
    assert not is_table_title("本部门2022年一般公共预算财政拨款安排的基本支出主要用于保障机构正常运转和完成日常工作任务的支出表")


# ---- tables over pages ----


def test_blank_columns_of_a_continuation_page_are_kept_when_the_table_has_them():
    first = rows(["项目", "一般公共预算", "政府性基金", "总计"], ["货物", "110.90", "", "110.90"],
                 ["服务", "5.00", "1.00", "6.00"])
    second = rows(["办公桌", "2.40", "", "2.40"], ["复印纸", "1.50", "", "1.50"], page=2)
    joined = join_grids([first, second])
    assert [r.cells for r in joined[3:]] == [["办公桌", "2.40", "", "2.40"], ["复印纸", "1.50", "", "1.50"]]


def test_an_edge_column_empty_on_every_page_is_dropped():
    first = rows(["项目", "金额", ""], ["合计", "3.00", ""])
    second = rows(["办公费", "3.00", ""], page=2)
    assert [r.cells for r in join_grids([first, second])] == [["项目", "金额"], ["合计", "3.00"], ["办公费", "3.00"]]


def test_header_rows_repeated_on_a_continuation_page_are_no_data():
    grid = rows(["支出项目类别", "总计", "财政拨款"], ["工资福利支出", "10.00", "10.00"],
                ["支出项目类别", "总计", "财政拨款"], ["差旅费", "2.00", "2.00"])
    assert [r.cells[0] for r in drop_repeated_headers(grid)] == ["支出项目类别", "工资福利支出", "差旅费"]


def test_a_title_and_its_unit_line_in_one_grid_cell_are_two_lines():
    grid = rows(["2026年预算单位财政拨款收支预算总表\n编制单位：上海市某中心 单位：元", "", ""],
                ["项目", "预算数", "合计"], ["一、一般公共预算", "100", "100"])
    blocks = rows_to_blocks(grid, 1, lift_any=False)
    assert [(b.kind, b.text) for b in blocks[:2]] == [("heading", "2026年预算单位财政拨款收支预算总表"),
                                                      ("para", "编制单位：上海市某中心 单位：元")]
    assert blocks[2].kind == "table"


def test_one_block_per_budget_unit_gives_each_unit_its_subjects():
    table = rows(["预算单位", "科目编码", "科目名称", "支出总计"],
                 ["某署", "", "", "30.00"], ["某署（本级）", "", "", "10.00"],
                 ["", "205", "教育支出", "10.00"], ["某中心", "", "", "20.00"], ["", "205", "教育支出", "20.00"])
    header, data = header_rows(table)
    owner = unit_blocks(data, groups(header, 4)[0])
    assert [owner.get(id(r), "") for r in data] == ["", "某署（本级）", "某署（本级）", "某中心", "某中心"]


def test_a_table_of_one_unit_keeps_no_parts():
    table = rows(["预算单位", "科目编码", "科目名称", "支出总计"], ["某局", "", "", "10.00"],
                 ["", "205", "教育支出", "10.00"])
    header, data = header_rows(table)
    assert unit_blocks(data, groups(header, 4)[0]) == {}


# ---- answers carry the check ----


def test_a_figure_from_a_failing_table_says_so_and_asks_for_review():
    answer = with_confidence(Answer("q", "table", False, "办公费1.00万元。", [Value(1.0, "万元", "办公费", False)]))
    assert answer.answer.endswith(UNVERIFIED_NOTE) and answer.needs_review and answer.confidence == "medium"


def test_confidence_bands():
    assert with_confidence(Answer("q", "table", False, "x", [Value(1.0, "万元", "a", True)])).confidence == "high"
    assert with_confidence(Answer("q", "text", False, "x", [Value(1.0, "万元", "a", None)])).confidence == "medium"
    assert with_confidence(Answer("q", "none", True, "x")).confidence == "low"


def test_a_file_without_a_cover_joins_only_the_department_it_names():
    from pathlib import Path

    from juesuan_qa.ingest.document import SourceFile, group_sources

    def source(name: str, blocks: list[Block], identity) -> SourceFile:
        return SourceFile(Path("/corpus") / name, name, blocks, identity)

    toc = [Block("para", "一、收支总表 二、收入总表", 1, 1)]
    cover = source("a-text.pdf", toc, ("北京市甲局", 2026, "预算", "北京市甲局2026年部门预算"))
    tables = [Block("heading", "收支总表", 1, 1), Block("heading", "收入总表", 2, 2)]
    silent = source("b-tables.pdf", tables, ("", None, "", ""))
    assert [len(g) for g in group_sources([cover, silent])] == [1, 1]  # same 目录, names nobody
    named = source("c-tables.pdf", [*tables, Block("para", "部门名称：北京市甲局", 3, 2)], ("", None, "", ""))
    assert [len(g) for g in group_sources([cover, named])] == [2]


def test_a_figure_broken_by_a_page_break_is_glued_back():
    first = rows(["项目", "事业收入", "合计"], ["考试服务中心", "12,437.3", "12,437.36"])
    second = rows(["", "6", ""], ["培训中心", "3.00", "3.00"], page=2)
    joined = join_grids([first, second])
    assert [r.cells for r in joined] == [["项目", "事业收入", "合计"], ["考试服务中心", "12,437.36", "12,437.36"],
                                         ["培训中心", "3.00", "3.00"]]


def test_a_figure_with_all_its_decimals_takes_no_fragment():
    first = rows(["项目", "金额"], ["合计", "12.30"])
    second = rows(["", "6"], page=2)
    assert [r.cells for r in join_grids([first, second])][-1] == ["", "6"]


def test_a_funding_scope_in_the_question_must_hold_for_the_cited_cell():
    from juesuan_qa.domain.vocabulary import scope_named
    from juesuan_qa.qa.numeric import in_scope
    from juesuan_qa.records import Fact, Locator

    def cell(title: str, row: str = "合计", column: str = "合计") -> Fact:
        return Fact("t", title, "", row, "", column, 1.0, "万元", False, Locator("d", None, title))

    assert scope_named("2026年某局政府性基金预算支出是多少？") == "政府性基金"
    assert scope_named("一般公共预算基本支出中人员经费") == "一般公共预算"
    assert in_scope(cell("政府性基金预算支出表"), "政府性基金")
    assert not in_scope(cell("支出总表"), "政府性基金")
    assert in_scope(cell("收入总表", column="政府性基金预算"), "政府性基金")
    assert in_scope(cell("一般公共预算支出表"), "财政拨款")  # 财政拨款 holds 一般公共预算
    assert not in_scope(cell("财政拨款收支总表"), "一般公共预算")


def test_an_official_name_with_an_alias_in_brackets_is_one_department():
    from juesuan_qa.qa.router import match_documents
    from juesuan_qa.records import Document

    docs = [Document("a", "t", "上海市统计和大数据研究院（上海市统计数据管理中心）", 2026, "预算", "a.pdf", "0"),
            Document("b", "t", "深圳市统计局（本级）", 2026, "预算", "b.pdf", "1")]
    matched, unknown, _, _ = match_documents(
        "2026年上海市统计和大数据研究院(上海市统计数据管理中心)其他收入有多少?", docs)
    assert matched == {"a"} and unknown == ""


def test_a_date_inside_the_document_chooses_no_year():
    from juesuan_qa.qa.lexicon import build_vocabulary
    from juesuan_qa.qa.router import route
    from juesuan_qa.records import Document

    docs = [Document("a", "t", "杭州市司法局", 2026, "预算", "a.pdf", "0")]
    slots = route("截至2025年底杭州市司法局共有多少辆车？", docs, build_vocabulary([], []))
    assert slots.unknown_year is None and not slots.unknown_org and slots.doc_ids == {"a"}


def test_a_row_named_by_another_year_is_not_the_year_asked():
    from juesuan_qa.qa.numeric import _latest_row_years, _row_year
    from juesuan_qa.records import Fact, Locator

    assert _row_year("深圳市审计局 2026年") == ("深圳市审计局", 2026)
    assert _row_year("办公费") == ("办公费", None)
    facts = [Fact("表9", "三公", "", f"某局 {y}年", "", "因公出国(境)费", 1.0, "万元", False, Locator("d", None, "三公"))
             for y in (2025, 2026)]
    assert _latest_row_years(facts) == {("d", "表9"): 2026}


def test_a_change_asked_is_the_figure_the_change_word_governs():
    from juesuan_qa.qa.figures import _without_base

    assert _without_base("收入预算比年初预算增加了多少?") == "收入预算比增加了多少?"
    assert _without_base("收入比上年减少的原因") == "收入比减少的原因"


def test_columns_map_to_canonical_roles():
    from juesuan_qa.domain.vocabulary import column_role

    assert column_role("本年支出/基本支出/人员经费") == "本年数/基本支出/人员经费"
    assert column_role("日常公用支出") == "公用经费"
    assert column_role("财政拨款收入/一般公共预算") == "财政拨款/一般公共预算"
    assert column_role("上年决算数") == "上年数"
    assert column_role("2026年政府采购项目") == "政府采购"  # a measure of its own, not the plain figure


def test_a_continuation_as_wide_as_the_cleaned_first_page_keeps_its_blank_columns():
    first = rows(["项目", "合计", "基本支出", "项目支出", ""], ["办公费", "3.00", "3.00", "", ""])
    second = rows(["劳务费", "2,214.68", "", "2,214.68"], page=2)
    assert [r.cells for r in join_grids([first, second])][-1] == ["劳务费", "2,214.68", "", "2,214.68"]


def test_a_continuation_page_is_laid_onto_the_first_pages_columns_by_position():
    header = [Row(None, ["", "项目", "合计", "基本支出", "项目支出", ""], "", 1, "", (52, 59, 211, 346, 480, 783)),
              Row(None, ["", "办公费", "3.00", "3.00", "", ""], "", 1, "", (52, 59, 211, 346, 480, 783))]
    page2 = [Row(None, ["劳务费", "2,214.68", "", "2,214.68", ""], "", 2, "", (59, 211, 346, 480, 783))]
    joined = join_grids([header, page2])
    assert [r.cells for r in joined] == [["项目", "合计", "基本支出", "项目支出"], ["办公费", "3.00", "3.00", ""],
                                         ["劳务费", "2,214.68", "", "2,214.68"]]


def test_questions_about_what_disclosures_never_hold_are_recognised():
    from juesuan_qa.domain.vocabulary import never_disclosed

    assert never_disclosed("北京市统计局局长叫什么名字？") == "人员姓名"
    assert never_disclosed("财政局领导是谁") == "人员姓名"
    assert never_disclosed("审计局的联系电话是多少？") == "联系方式"
    assert never_disclosed("你怎么看三公经费下降？") == "观点评价"
    assert never_disclosed("明年三公经费会增加吗？") == "未来事项"
    for asked in ("2026年三公经费是多少？", "为什么收入比上年少了？", "电话费是多少？", "哪个部门的三公经费最多？",
                  "机关运行经费主要用于哪些方面？", "邮电费花了多少？", "明年会议费预算是多少？", "下一年能源支出是多少？",
                  "以后年度将安排多少？", "通讯费中的电话"):
        assert never_disclosed(asked) == "", asked


def test_a_never_disclosed_question_abstains_and_is_reviewed(kb):
    answer = kb.ask("晋城市大数据应用局局长叫什么名字？")
    assert answer.abstained and answer.needs_review and "不披露人员姓名" in answer.answer


# ---- figures exactly as printed ----

def test_one_figure_pattern_reads_units_as_printed():
    from juesuan_qa.domain.units import FIGURE, parse_figure

    found = [parse_figure(m) for m in FIGURE.finditer(
        "支出1.2亿元，比上年下降2.3个百分点，第3期工程完成，购置车辆5辆，合计12,345.60万元，占比5.20%。")]
    assert found == [(1.2, "亿元"), (2.3, "个百分点"), (5.0, "辆"), (12345.6, "万元"), (5.2, "%")]


def test_money_converts_only_between_money_units():
    from juesuan_qa.domain.units import convert

    assert convert(1.2, "亿元", "万元") == 12000 and convert(26054663, "元", "万元") == 2605.4663
    assert convert(500, "千元", "万元") == 50 and convert(5, "辆", "万元") is None


def test_figures_are_shown_with_the_decimals_printed():
    from juesuan_qa.textutil import format_amount

    assert format_amount(5.2, "%", "占比5.20%") == "5.20%"
    assert format_amount(2605, "万元", "一般公共预算拨款支出预算2,605万元") == "2,605万元"
    assert format_amount(2605, "万元") == "2,605.00万元"
    assert format_amount(317.025, "万元", "317.03") == "317.025万元"  # a decimal is never dropped
    assert format_amount(0.000012, "%") == "0.000012%" and "e" not in format_amount(1e-5, "分")
    assert format_amount(943, "辆") == "943辆"
