"""Consistency audit (勾稽关系): the seed's real findings, injected errors, a consistent document, rounding."""

from __future__ import annotations

import json
from dataclasses import replace
from textwrap import dedent

import pytest

from juesuan_qa.audit import Finding, audit, audit_document, citations, render_markdown, render_text, to_json
from juesuan_qa.audit_rules import table_findings
from juesuan_qa.ingest.document import build_disclosure
from juesuan_qa.ingest.markdown import parse_markdown
from juesuan_qa.records import Fact, Locator, TextFigure


def fact(facts: list[Fact], table: str, column: str, row: str | None = None, code: str | None = None,
         part: str | None = None) -> Fact:
    hits = [f for f in facts if f.table == table and f.column == column and (row is None or f.row == row)
            and (code is None or f.code == code) and (part is None or f.part == part)]
    assert hits, (table, column, row, code)
    return hits[0]


def of(findings: list[Finding], status: str, rule: str | None = None) -> list[Finding]:
    return [f for f in findings if f.status == status and (rule is None or f.rule == rule)]


@pytest.fixture(scope="module")
def seed_findings(seed) -> list[Finding]:
    return audit_document(seed.facts, seed.figures, seed.passages, seed.tables, seed.document.year)


# ---- (1) the seed as published ----


def test_seed_tables_agree_except_rounding(seed_findings):
    """Hand-checked: no table figure of the seed contradicts another beyond 0.01 万元."""
    table_rules = [f for f in seed_findings if not f.rule.startswith("prose_") and f.rule not in ("wording", "heading_year")]
    assert len(table_rules) > 100
    assert not of(table_rules, "mismatch")
    assert {f.rule for f in of(table_rules, "rounding")} == {"code_sum", "year_items"}
    assert all(abs(f.difference) == pytest.approx(0.01) for f in of(table_rules, "rounding"))


@pytest.mark.parametrize("table,code,column,printed,summed", [
    # 21011 行政事业单位医疗 13.76 ≠ 2101101 行政单位医疗 9.42 + 2101103 公务员医疗补助 4.35 = 13.77
    ("公开02表", "21011", "本年收入合计", 13.76, 13.77),
    ("公开03表", "21011", "本年支出合计", 13.76, 13.77),
    ("公开05表", "21011", "本年支出", 13.76, 13.77),
    # 301 工资福利支出 257.99, its ten 款 add up to 257.98
    ("公开06表", "301", "决算数", 257.99, 257.98),
])
def test_seed_rounding_in_subject_sums(seed, seed_findings, table, code, column, printed, summed):
    total = fact(seed.facts, table, column, code=code)
    hits = [f for f in of(seed_findings, "rounding", "code_sum") if f.sources[0] is total]
    assert len(hits) == 1
    assert (hits[0].actual, hits[0].expected) == pytest.approx((printed, summed))
    assert all(f.code.startswith(code) and len(f.code) == len(code) + 2 for f in hits[0].sources[1:])


def test_seed_total_is_rounded_against_its_classes(seed, seed_findings):
    """合计 7,176.23 vs 201 + 208 + 210 + 221 = 7,123.60 + 19.17 + 13.76 + 19.69 = 7,176.22."""
    total = fact(seed.facts, "公开03表", "本年支出合计", row="合计")
    hit = next(f for f in seed_findings if f.sources[0] is total and f.rule == "code_sum")
    assert hit.status == "rounding"
    assert hit.expected == pytest.approx(7176.22)
    assert [f.code for f in hit.sources[1:]] == ["201", "208", "210", "221"]


def test_seed_consistent_checks_are_ok(seed, seed_findings):
    ok = of(seed_findings, "ok")
    basic = fact(seed.facts, "公开05表", "本年支出/基本支出", row="合计")
    detail = next(f for f in ok if f.rule == "basic_detail")
    assert detail.sources[0] is basic and detail.expected == pytest.approx(258.05 + 35.11)
    assert any(f.rule == "balance" for f in ok)
    assert {round(f.actual, 2) for f in ok if f.rule == "prose_share"} >= {4.09, 95.91, 99.27, 0.27, 0.19}
    assert {round(f.actual, 2) for f in ok if f.rule == "prose_growth"} >= {14.98, 147.37, 69.42}
    assert {round(f.actual, 2) for f in ok if f.rule == "prose_completion"} >= {73.86, 73.71}
    amounts = {round(f.actual, 2) for f in ok if f.rule == "prose_amount"}
    assert {7176.23, 293.16, 6883.07, 35.11} <= amounts


def test_seed_sangong_prose_contradicts_itself(seed_findings):
    """三公 total 比上年度减少2.41万元, while its items say 运行维护费 −6.45 and 接待费 −0.70 (−7.15); the
    only figure that disagrees. The seed's two other mismatches are words printed twice (进行进行, 的建设的建设)."""
    [mismatch] = [f for f in of(seed_findings, "mismatch") if f.rule != "wording"]
    assert mismatch.rule == "prose_sangong"
    assert sorted(f.message for f in of(seed_findings, "mismatch", "wording")) == ["“的建设的建设”重复", "“进行进行”重复"]
    assert (mismatch.actual, mismatch.expected) == pytest.approx((-2.41, -7.15))
    assert all(isinstance(s, TextFigure) for s in mismatch.sources)
    assert "2.41" in mismatch.message and "7.15" in mismatch.message and "4.74" in mismatch.message


# ---- (2) injected errors ----


def test_injected_class_row_is_a_mismatch_citing_both_sides(seed):
    row = fact(seed.facts, "公开03表", "本年支出合计", code="201")
    wrong = replace(row, value=7100.00)
    facts = [wrong if f is row else f for f in seed.facts]
    findings = audit_document(facts, seed.figures)
    total = fact(facts, "公开03表", "本年支出合计", row="合计")
    sums = [f for f in of(findings, "mismatch", "code_sum") if f.sources[0] is total]
    assert len(sums) == 1 and wrong in sums[0].sources
    assert sums[0].difference == pytest.approx(7176.23 - 7152.62)
    assert "7,176.23" in sums[0].message and "7,152.62" in sums[0].message and "23.61" in sums[0].message
    cross = [f for f in of(findings, "mismatch", "cross_table") if wrong in f.sources]
    assert {s.table for f in cross for s in f.sources} >= {"公开01表", "公开03表", "公开05表"}
    assert any(f.rule == "row_sum" and f.sources[0] is wrong for f in of(findings, "mismatch"))


def test_injected_sangong_item_is_a_mismatch(seed):
    item = fact(seed.facts, "公开09表", "决算数", row="公务接待费")
    wrong = replace(item, value=0.5, empty=False)
    facts = [wrong if f is item else f for f in seed.facts]
    [hit] = [f for f in of(audit_document(facts, seed.figures), "mismatch", "sangong")]
    assert hit.sources[0].row == "合计" and hit.sources[0].column == "决算数" and wrong in hit.sources
    assert (hit.actual, hit.expected) == (0.0, 0.5)


# ---- (3) a consistent synthetic document ----

SYNTHETIC = dedent("""\
    测试局

    2024年度部门决算公开

    ## 收入支出决算总表

    公开01表

    金额单位：万元

    收入\t\t\t支出\t\t
    项目\t行次\t金额\t项目\t行次\t金额
    一、一般公共预算财政拨款收入\t1\t110.00\t一、一般公共服务支出\t32\t100.00
    二、事业收入\t2\t\t二、社会保障和就业支出\t33\t10.00
    本年收入合计\t3\t110.00\t本年支出合计\t34\t110.00
    年初结转和结余\t4\t5.00\t年末结转和结余\t35\t5.00
    总计\t5\t115.00\t总计\t36\t115.00

    ## 支出决算表

    公开03表

    金额单位：万元

    项目\t\t本年支出合计\t基本支出\t项目支出
    科目代码\t科目名称\t\t\t
    合计\t\t110.00\t60.00\t50.00
    201\t一般公共服务支出\t100.00\t50.00\t50.00
    20101\t人大事务\t100.00\t50.00\t50.00
    2010101\t行政运行\t50.00\t50.00\t
    2010102\t一般行政管理事务\t50.00\t\t50.00
    208\t社会保障和就业支出\t10.00\t10.00\t
    20805\t行政事业单位养老支出\t10.00\t10.00\t
    2080505\t机关事业单位基本养老保险缴费支出\t10.00\t10.00\t

    ## 一般公共预算财政拨款支出决算表

    公开05表

    金额单位：万元

    项目\t\t本年支出\t\t
    科目代码\t科目名称\t小计\t基本支出\t项目支出
    合计\t\t110.00\t60.00\t50.00
    201\t一般公共服务支出\t100.00\t50.00\t50.00
    208\t社会保障和就业支出\t10.00\t10.00\t

    ## 一般公共预算财政拨款基本支出决算明细表

    公开06表

    金额单位：万元

    人员经费\t\t\t公用经费\t\t
    科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数
    301\t工资福利支出\t45.00\t302\t商品和服务支出\t10.00
    30101\t基本工资\t30.00\t30201\t办公费\t4.00
    30102\t津贴补贴\t15.00\t30202\t印刷费\t6.00
    303\t对个人和家庭的补助\t5.00\t\t\t
    30302\t退休费\t5.00\t\t\t
    人员经费合计\t\t50.00\t公用经费合计\t\t10.00

    ## 财政拨款“三公”经费支出决算表

    公开09表

    金额单位：万元

    预算数\t\t\t\t\t\t决算数\t\t\t\t\t
    合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\t合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费
    \t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t\t小计\t公务用车购置费\t公务用车运行维护费\t
    1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12
    8.00\t1.00\t5.00\t2.00\t3.00\t2.00\t7.00\t1.00\t4.50\t2.00\t2.50\t1.50

    ## 政府性基金预算财政拨款收入支出决算表

    公开07表

    金额单位：万元

    项目\t年初结转和结余\t本年收入\t本年支出\t年末结转和结余
    合计\t\t\t\t

    注：本表无数据。

    ## 第三部分 情况说明

    ### 一、收入支出决算总体情况说明

    2024年度收入总计115.00万元，支出总计115.00万元。与上年相比，收入总计增加15.00万元，增长15.00%。

    ### 三、支出决算情况说明

    2024年度支出合计110.00万元，其中：

    基本支出60.00万元，占比54.55%；

    项目支出50.00万元，占比45.45%。

    ### 四、一般公共预算财政拨款支出决算情况说明

    社会保障和就业支出（类）10.00万元，主要用于养老保险缴费。一般公共服务支出100.00万元，比上年90.00万元增加。

    ### 五、“三公”经费财政拨款支出决算情况说明

    2024年度“三公”经费财政拨款支出决算7.00万元。
    """)


def synthetic(text: str = SYNTHETIC):
    return build_disclosure(parse_markdown(text), doc_id="synthetic", source="synthetic.md", sha256="0")


def audited(doc) -> list[Finding]:
    return audit_document(doc.facts, doc.figures, doc.passages, doc.tables, doc.document.year)


def test_consistent_document_has_no_mismatch():
    doc = synthetic()
    findings = audited(doc)
    assert not of(findings, "mismatch") and not of(findings, "rounding")
    assert {"code_sum", "row_sum", "column_group", "year_items", "total_composition", "balance", "sangong",
            "basic_detail", "cross_table", "prose_amount", "prose_share", "prose_growth", "prose_name",
            "prose_direction", "empty_table"} <= {f.rule for f in findings}
    sangong = [f for f in findings if f.rule == "sangong"]
    assert {(f.sources[0].row, f.sources[0].column, f.actual) for f in sangong} == {
        ("合计", "预算数", 8.0), ("公务用车购置及运行维护费", "预算数", 5.0),
        ("合计", "决算数", 7.0), ("公务用车购置及运行维护费", "决算数", 4.5)}


def test_tables_are_recognised_by_their_words_not_their_numbers():
    renumbered = SYNTHETIC.replace("公开0", "表X")
    before = audit_document(synthetic().facts, synthetic().figures)
    after = audit_document(synthetic(renumbered).facts, synthetic(renumbered).figures)
    assert sorted(f.rule for f in after) == sorted(f.rule for f in before)


# ---- (3b) a document seeded with known errors, one of each kind ----

SEEDED_ERRORS = [  # (the kind of error, what is changed in the consistent document, the rule that must flag it)
    ("收入总计≠支出总计", "总计\t5\t115.00\t总计\t36\t115.00", "总计\t5\t115.00\t总计\t36\t116.00", "balance"),
    ("类行本年 ≠ 基本 + 项目", "208\t社会保障和就业支出\t10.00\t10.00\t\n20805", "208\t社会保障和就业支出\t12.00\t10.00\t\n20805",
     "row_sum"),
    ("款 ≠ Σ 项", "30101\t基本工资\t30.00", "30101\t基本工资\t31.00", "code_sum"),
    ("公用经费合计 ≠ 明细", "公用经费合计\t\t10.00", "公用经费合计\t\t12.00", "basic_detail"),
    ("三公合计 ≠ 分项", "2.00\t7.00\t1.00\t4.50", "2.00\t7.50\t1.00\t4.50", "sangong"),
    ("文字金额 ≠ 表格", "2024年度收入总计115.00万元", "2024年度收入总计125.00万元", "prose_amount"),
    ("文字占比 ≠ 重算", "占比54.55%", "占比56.55%", "prose_share"),
    ("文字增长率 ≠ 重算", "增长15.00%", "增长18.00%", "prose_growth"),
    ("科目名称 ≠ 表格", "社会保障和就业支出（类）10.00万元", "社会福利支出（类）10.00万元", "prose_name"),
    ("增减用词 ≠ 数字", "比上年90.00万元增加", "比上年90.00万元减少", "prose_direction"),
    ("空表未说明", "注：本表无数据。\n", "", "empty_table"),
    ("标题年份 ≠ 文件年度", "### 三、支出决算情况说明", "### 三、2023年度支出决算情况说明", "heading_year"),
    ("词语重复", "主要用于养老保险缴费", "主要用于养老保险缴费缴费", "wording"),
    ("三公说明 ≠ 三公表", "“三公”经费财政拨款支出决算7.00万元", "“三公”经费财政拨款支出决算7.60万元", "prose_amount"),
]


def test_every_error_seeded_in_a_consistent_document_is_flagged():
    text = SYNTHETIC
    for kind, before, after, _ in SEEDED_ERRORS:
        assert text.count(before) == 1, kind
        text = text.replace(before, after)
    flagged = {f.rule for f in of(audited(synthetic(text)), "mismatch")}
    expected = {rule for *_, rule in SEEDED_ERRORS}
    assert len({kind for kind, *_ in SEEDED_ERRORS}) >= 10 and expected <= flagged, expected - flagged


@pytest.mark.parametrize("kind, before, after, rule", SEEDED_ERRORS, ids=[rule for *_, rule in SEEDED_ERRORS])
def test_each_seeded_error_alone_is_flagged_by_its_rule(kind, before, after, rule):
    findings = of(audited(synthetic(SYNTHETIC.replace(before, after))), "mismatch")
    assert rule in {f.rule for f in findings}, kind
    assert all(citations(f, {}) for f in findings if f.rule == rule)  # each finding cites its sources


# ---- (4) rounding is not a mismatch ----


def test_a_cent_off_is_rounding_not_mismatch():
    doc = synthetic(SYNTHETIC.replace("合计\t\t110.00\t60.00\t50.00", "合计\t\t110.01\t60.00\t50.00", 1))
    findings = audit_document(doc.facts, doc.figures)
    assert not of(findings, "mismatch")
    total = fact(doc.facts, "公开03表", "本年支出合计", row="合计")
    rounded = [f for f in of(findings, "rounding") if total in f.sources]
    assert {f.rule for f in rounded} >= {"code_sum", "row_sum", "cross_table"}
    assert all(abs(f.difference) == pytest.approx(0.01) for f in rounded)
    assert "尾数误差" in rounded[0].message


def test_two_cents_off_one_figure_is_a_mismatch():
    doc = synthetic(SYNTHETIC.replace("2010102\t一般行政管理事务\t50.00\t\t50.00", "2010102\t一般行政管理事务\t50.02\t\t50.00"))
    findings = audit_document(doc.facts, doc.figures)
    wrong = fact(doc.facts, "公开03表", "本年支出合计", code="2010102")
    assert any(f.rule == "row_sum" and f.sources[0] is wrong for f in of(findings, "mismatch"))


def test_a_stated_share_off_by_its_last_digit_is_rounding():
    """60 ÷ 110 = 54.545…%: 54.55 is ok, 54.54 within 0.01 is rounding, 45.65 (for 45.45) is wrong."""
    doc = synthetic(SYNTHETIC.replace("占比54.55%", "占比54.54%").replace("占比45.45%", "占比45.65%"))
    shares = {round(f.actual, 2): f.status for f in audit_document(doc.facts, doc.figures) if f.rule == "prose_share"}
    assert shares == {54.54: "rounding", 45.65: "mismatch"}


def test_a_rate_is_judged_against_the_precision_of_the_figures_it_comes_from():
    """0.12 ÷ 0.50 is 24%, but 0.12 and 0.50 printed to 0.01 are 0.115 … 0.125 and 0.495 … 0.505: any
    rate from 22.8% to 25.3% agrees with them, so a stated 25.00% is rounding; 27.00% is beyond it."""
    def growth(stated: str) -> list[Finding]:
        text = SYNTHETIC.replace("与上年相比，收入总计增加15.00万元，增长15.00%。",
                                 f"公务接待费0.62万元，比上年0.50万元增加0.12万元，增长{stated}。")
        doc = synthetic(text)
        return [f for f in audit_document(doc.facts, doc.figures) if f.rule == "prose_growth" and f.actual == float(
            stated.rstrip("%"))]
    assert [f.status for f in growth("24.00%")] == ["ok"]
    close = growth("25.00%")  # 1 point from 24.00%: beyond its own last digit, within its inputs
    assert [f.status for f in close] == ["rounding"] and "印刷精度" in close[0].message
    assert [f.status for f in growth("27.00%")] == ["mismatch"]


# ---- the knowledge base and the reports ----


def test_audit_over_the_knowledge_base(kb, seed, seed_findings):
    results = audit(kb)
    assert list(results) == [seed.document.doc_id]
    got = sorted((f.rule, f.status, f.message) for f in results[seed.document.doc_id])
    assert got == sorted((f.rule, f.status, f.message) for f in seed_findings)
    assert audit(kb, seed.document.doc_id).keys() == results.keys()
    with pytest.raises(ValueError):
        audit(kb, "no-such-document")


def test_reports_cite_both_sides(seed, seed_findings):
    results, documents = {seed.document.doc_id: seed_findings}, {seed.document.doc_id: seed.document}
    text = render_text(results, documents)
    assert "不一致 3" in text and "尾数误差 15" in text  # the 三公 sentence, and two words printed twice
    assert "第502行" in text and "比上年度减少2.41万元" in text and "比上年度减少6.45万元" in text
    assert "公开02表 · 收入决算表 · 行“行政单位医疗” · 列“本年收入合计” · 第159行" in text
    markdown = render_markdown(results, [seed.document])
    assert markdown.startswith("# 勾稽关系检查") and "| 晋城市大数据应用局" in markdown
    data = json.loads(json.dumps(to_json(results, documents), ensure_ascii=False))
    [doc] = data["documents"]
    assert doc["counts"]["mismatch"] == 3 and doc["counts"]["rounding"] == 15
    assert len(doc["findings"]) == 18 and doc["findings"][0]["status"] == "mismatch"
    assert all(c["quote"] and (c["line"] or c["page"]) for f in doc["findings"] for c in f["citations"])


def test_the_report_groups_by_section_most_serious_first_and_exports_word_and_excel(tmp_path):
    from docx import Document as Word
    from openpyxl import load_workbook

    from juesuan_qa.audit_report import grouped, to_markdown, write_docx, write_xlsx

    text = SYNTHETIC
    for _, before, after, _ in SEEDED_ERRORS:
        text = text.replace(before, after)
    doc = synthetic(text)
    reports = grouped({"synthetic": audited(doc)}, {"synthetic": doc.document})
    [report] = reports
    ranks = [(item.finding.status != "mismatch", item.severity) for section in report.sections for item in section.items[:1]]
    assert ranks == sorted(ranks) and ranks[0] == (False, 1)  # sections in the order of their most serious finding
    assert all(item.cited for section in report.sections for item in section.items)
    markdown = to_markdown(reports)
    assert markdown.index("| 文件 |") < markdown.index("### ") and "不一致（严重）" in markdown
    write_docx(reports, tmp_path / "r.docx")
    write_xlsx(reports, tmp_path / "r.xlsx")
    word = Word(str(tmp_path / "r.docx"))
    assert word.tables[0].rows[1].cells[4].text == str(report.counts["mismatch"])  # the count summary first
    assert any(p.text.startswith("【不一致（严重）】") for p in word.paragraphs)
    book = load_workbook(tmp_path / "r.xlsx")
    rows = list(book["问题清单"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(len(s.items) for s in report.sections) and rows[0][2] == "不一致（严重）"
    assert book["汇总"]["E2"].value == report.counts["mismatch"]


def test_a_share_of_figures_printed_in_another_unit_has_no_precision_range():
    from juesuan_qa.audit_rules import spread

    doc = synthetic(SYNTHETIC.replace("2024年度支出合计110.00万元，其中：", "2024年度支出合计1,100,000.00元，其中："))
    amounts = [f for f in doc.figures if f.unit == "元"]
    assert amounts and all(v != v for v in spread(lambda a: a, [replace(amounts[0], value=110.0, unit="万元")]))


# ---- (5) column groups: each time group adds up on its own ----


def _row_of(title: str, row: str, cells: dict[str, float], line: int) -> list[Fact]:
    loc = Locator("g", title, title, line=line, page=1, quote=row)
    return [Fact(title, title, "", row, "", column, value, "元", False, loc) for column, value in cells.items()]


def _sangong_groups(now_reception: float = 10000.0) -> list[Fact]:
    """西安's 表13: 上年 | 当年 | 增减变化情况, each over 三公 (出国, 接待, 公务用车 (小计 → 购置, 运行)),
    会议费 and 培训费, its 合计 the sum of all five."""
    def group(name: str, abroad: float, reception: float, buy: float, run: float, meeting: float, training: float):
        sangong = f"{name}/一般公共预算拨款安排的三公经费预算"
        car = buy + run
        return {f"{name}/合计": abroad + reception + car + meeting + training,
                sangong: abroad + reception + car,
                f"{sangong}/因公出国(境)费用": abroad, f"{sangong}/公务接待费": reception,
                f"{sangong}/公务用车购置及运行维护费": car,
                f"{name}/公务用车购置及运行维护费/公务用车购置费": buy,
                f"{name}/公务用车购置及运行维护费/公务用车运行维护费": run,
                f"{name}/会议费": meeting, f"{name}/培训费": training}
    last = group("上年", 0, 20000, 0, 100000, 0, 122000)
    now = group("当年", 0, 10000, 0, 91000, 0, 219800)
    change = {k.replace("上年", "增减变化情况", 1): now[k.replace("上年", "当年", 1)] - v for k, v in last.items()}
    now["当年/一般公共预算拨款安排的三公经费预算/公务接待费"] = now_reception
    title = "部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表"
    return _row_of(title, "合计", {**last, **now, **change}, 1)


def test_side_by_side_time_groups_add_up_within_their_group():
    findings = table_findings(_sangong_groups())
    assert not of(findings, "mismatch"), [f.message for f in of(findings, "mismatch")]
    checked = {f.sources[0].column for f in findings}
    assert {"当年/合计", "上年/一般公共预算拨款安排的三公经费预算", "增减变化情况/合计"} <= checked
    sangong = {f.sources[0].column for f in findings if f.rule == "sangong"}
    assert "当年/一般公共预算拨款安排的三公经费预算" in sangong and "当年/合计" not in sangong  # 合计 holds 会议费, 培训费


def test_an_error_in_one_time_group_is_found_in_that_group():
    findings = of(table_findings(_sangong_groups(now_reception=12000.0)), "mismatch")
    assert findings and all(f.sources[0].column.startswith("当年/") for f in findings)


def test_a_column_over_only_its_memo_items_is_a_part_and_a_memo_column_is_not():
    title = "部门综合预算收入总表"
    cells = {"部门预算/合计": 300.0, "部门预算/一般公共预算拨款": 280.0,  # its 小计, with 其中 under it
             "一般公共预算拨款/其中:专项资金列入部门预算项目": 55.0, "部门预算/事业收入": 20.0,
             "2026年政府采购项目": 40.0, "2026年政府采购项目/其中:预留给中小企业的项目资金规模": 30.0}
    findings = table_findings(_row_of(title, "合计", cells, 1))
    assert not of(findings, "mismatch") and of(findings, "ok", "row_sum")
    wrong = table_findings(_row_of(title, "合计", {**cells, "部门预算/事业收入": 25.0}, 1))
    assert of(wrong, "mismatch", "row_sum")


def test_figures_printed_without_separators_or_trailing_zeros_read_and_add_up():
    """Jiangsu's 2019 tables: 1276.7, 80, 4335.3 — no thousands separator, trailing zeros dropped."""
    plain = SYNTHETIC.replace("110.00\t60.00\t50.00", "1276.7\t80\t1196.7").replace(
        "201\t一般公共服务支出\t100.00\t50.00\t50.00", "201\t一般公共服务支出\t1266.7\t70\t1196.7").replace(
        "20101\t人大事务\t100.00\t50.00\t50.00", "20101\t人大事务\t1266.7\t70\t1196.7").replace(
        "2010101\t行政运行\t50.00\t50.00\t", "2010101\t行政运行\t70\t70\t").replace(
        "2010102\t一般行政管理事务\t50.00\t\t50.00", "2010102\t一般行政管理事务\t1196.7\t\t1196.7")
    doc = synthetic(plain)
    total = fact(doc.facts, "公开03表", "本年支出合计", row="合计")
    assert (total.value, fact(doc.facts, "公开03表", "基本支出", row="合计").value) == (1276.7, 80.0)
    within = [f for f in table_findings([f for f in doc.facts if f.table == "公开03表"])]
    assert within and not of(within, "mismatch")
