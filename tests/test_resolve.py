"""Which document a question is about: names as people type them, every document kept apart, and
never another department's figure. One test per class of wrong document seen on held-out questions;
each failed on the code before the resolver."""

from __future__ import annotations

import pytest

from conftest import Rows
from juesuan_qa.domain.orgnames import fit
from juesuan_qa.qa.lexicon import build_vocabulary
from juesuan_qa.qa.pipeline import Corpus, ask
from juesuan_qa.qa.router import route
from juesuan_qa.records import Document, Fact, Locator


def _doc(doc_id: str, department: str, year: int = 2026, kind: str = "预算") -> Document:
    return Document(doc_id, f"{department}{year}年部门{kind}", department, year, kind, f"{doc_id}.pdf", doc_id)


def _corpus(documents: list[Document], part: dict[str, str] | None = None) -> Corpus:
    """One figure per document: 三公经费 合计 = 10 + its position, so a figure says whose it is."""
    facts = [Fact("三公经费支出表", "三公经费支出表", (part or {}).get(d.doc_id, ""), "合计", "", "合计", 10.0 + n, "万元",
                  False, Locator(d.doc_id, "三公经费支出表", "三公经费支出表", page=1, quote="合计"), status="verified")
             for n, d in enumerate(documents)]
    return Corpus({d.doc_id: d for d in documents}, build_vocabulary(facts), None, Rows(facts))


def _figure(corpus: Corpus, question: str) -> float | None:
    answer = ask(corpus, question)
    return None if answer.abstained or not answer.values else answer.values[0].value


CITY = [_doc("wj", "西安市卫生健康委员会（汇总）"), _doc("tj", "西安市统计局（汇总）"), _doc("xf", "长春市信访局（本级）"),
        _doc("sg", "中共上海市普陀区委社会工作部"), _doc("sf", "上海市普陀区司法局"), _doc("rd", "江苏省人大常委会办公厅"),
        _doc("zx", "江苏省政协办公厅"), _doc("jc", "江苏省人民检察院"), _doc("fy", "江苏省高级人民法院"),
        _doc("sj", "苏州市审计局"), _doc("dx", "西南大学", 2024, "决算"), _doc("fg", "深圳市发展和改革委员会（本级）"),
        _doc("rs", "深圳市人力资源和社会保障局"), _doc("gj", "深圳市公安局交通管理局（本级）"), _doc("ga", "深圳市公安局（本级）")]


@pytest.mark.parametrize(("typed", "doc_id"), [
    ("西安市卫健委", "wj"), ("西安卫健委", "wj"), ("西安市统计局", "tj"), ("长春市信访局", "xf"),  # a bracketed scope
    ("普陀区委社会工作部", "sg"), ("区委社工部", "sg"), ("普陀区社会工作部", "sg"),  # a party organ
    ("省人大办公厅", "rd"), ("省政协", "zx"), ("省检察院", "jc"), ("江苏高院", "fy"), ("省法院", "fy"),
    ("西南大学", "dx"), ("发改委", "fg"), ("深圳发改委", "fg"), ("人社局", "rs"), ("交管局", "gj"),
    ("深圳市公安局", "ga"), ("苏州审计局", "sj"), ("蘇州市審計局", "sj"),
])
def test_a_name_as_people_type_it_reaches_its_document(typed, doc_id):
    corpus = _corpus(CITY)
    year = corpus.documents[doc_id].year
    slots = route(f"{typed}{year}年三公经费是多少？", list(corpus.documents.values()), corpus.vocabulary)
    assert slots.doc_ids == {doc_id} and not slots.unknown_org
    assert _figure(corpus, f"{typed}{year}年三公经费是多少？") == 10.0 + list(corpus.documents).index(doc_id)


@pytest.mark.parametrize("typed", ["深圳市审计局", "太原市审计局", "卫健委办公室", "普陀区财政局", "上海市司法局",
                                   "西安市星际资源管理局", "北京市人民检察院", "深圳市教育局"])
def test_an_organisation_not_indexed_is_never_answered_with_a_figure(typed):
    corpus = _corpus(CITY)
    answer = ask(corpus, f"{typed}2026年三公经费是多少？")
    assert answer.abstained and not answer.values, answer.answer
    assert "索引中没有" in answer.answer


def test_the_nearest_indexed_names_are_offered():
    answer = ask(_corpus(CITY), "深圳市审计局2026年三公经费是多少？")
    assert "苏州市审计局" in answer.answer


def test_a_short_form_fitting_several_departments_is_asked_back():
    corpus = _corpus([_doc("a", "北京市卫生健康委员会"), _doc("b", "上海市卫生健康委员会")])
    answer = ask(corpus, "卫健委2026年三公经费是多少？")
    assert answer.abstained and not answer.values and "北京市卫生健康委员会" in answer.answer
    assert "上海市卫生健康委员会" in answer.answer
    across = ask(corpus, "哪个卫健委2026年三公经费最多？")  # asked across: compared, not asked back
    assert not across.abstained and across.answer.startswith("上海市卫生健康委员会")


def test_no_department_named_over_several_is_asked_back():
    corpus = _corpus([_doc("a", "苏州市审计局"), _doc("b", "上海市普陀区司法局")])
    answer = ask(corpus, "2026年三公经费是多少？")
    assert answer.abstained and "苏州市审计局" in answer.answer and "上海市普陀区司法局" in answer.answer
    assert _figure(corpus, "2026年哪个部门的三公经费最多？") == 11.0


def test_two_years_of_one_department_stay_apart():
    corpus = _corpus([_doc("y23", "西南大学", 2023, "决算"), _doc("y24", "西南大学", 2024, "决算")])
    assert _figure(corpus, "西南大学2023年三公经费是多少？") == 10.0
    assert _figure(corpus, "西南大学2024年三公经费是多少？") == 11.0
    asked = ask(corpus, "西南大学三公经费是多少？")
    assert asked.abstained and "2023年度决算" in asked.answer and "2024年度决算" in asked.answer
    assert ask(corpus, "西南大学2022年三公经费是多少？").abstained


def test_a_budget_and_a_final_account_of_one_year_stay_apart():
    corpus = _corpus([_doc("b", "西南大学", 2023, "预算"), _doc("f", "西南大学", 2023, "决算")])
    assert _figure(corpus, "西南大学2023年部门预算三公经费是多少？") == 10.0
    assert _figure(corpus, "西南大学2023年决算三公经费是多少？") == 11.0
    assert ask(corpus, "西南大学2023年三公经费是多少？").abstained  # which of the two is asked back
    only_budget = _corpus([_doc("b", "西南大学", 2023, "预算")])
    answer = ask(only_budget, "西南大学2023年部门决算三公经费是多少？")
    assert answer.abstained and not answer.values


class _Printed:
    """The store's look-up of the units documents name (sql.documents_printing)."""

    def __init__(self, units: dict[str, str]) -> None:
        self.units = units

    def documents_printing(self, texts, kinds):
        return {t: {self.units[t]} for t in texts if t in self.units}


def test_a_unit_named_inside_a_department_is_that_document_and_never_its_total():
    from juesuan_qa.qa.lexicon import Term

    documents = [_doc("tj", "西安市统计局（汇总）"), _doc("sf", "西安市司法局（汇总）")]
    corpus = _corpus(documents)
    corpus.vocabulary.add(Term("unit", "西安市社会经济调查中心", "西安市社会经济调查中心"))
    corpus.vocabulary.store = _Printed({"西安市社会经济调查中心": "tj"})
    slots = route("西安市社会经济调查中心2026年三公经费是多少？", documents, corpus.vocabulary)
    assert slots.doc_ids == {"tj"} and not slots.unknown_org
    answer = ask(corpus, "西安市社会经济调查中心2026年三公经费是多少？")
    assert answer.abstained and not answer.values  # the department's 合计 is not the unit's


def test_the_units_a_disclosure_names_are_read_from_its_list_and_its_tables():
    from juesuan_qa.ingest.blocks import Block, Row
    from juesuan_qa.ingest.units import named_units

    blocks = [Block("para", "从预算单位构成看，杭州市司法局部门预算包括：杭州市司法局本级预算（行政单位）、杭州市东郊监狱"
                            "（行政单位）、杭州市法律援助中心（参公事业单位）预算和杭州市政府法制建设服务中心（事业单位，", 1, 1),
              Block("para", "合并在市司法局本级核算）预算。", 2, 1),
              Block("para", "部门本级内设机构有：综合计划处、法规审理处。我们将坚决贯彻市委部署，开好局。", 3, 2)]
    assert named_units(blocks, "杭州市司法局") == ["杭州市东郊监狱", "杭州市法律援助中心", "杭州市政府法制建设服务中心"]
    table = Block("table", "", 4, 3, rows=[Row(None, ["单位编码", "单位名称", "合计"], ""),
                                           Row(None, ["101001", "西安市统计局（本级）", "10.00"], ""),
                                           Row(None, ["101002", "西安市社会经济调查中心", "5.00"], "")])
    assert named_units([table], "西安市统计局（汇总）") == ["西安市社会经济调查中心"]


def test_a_place_not_indexed_is_not_answered_from_another():
    corpus = _corpus([_doc("a", "苏州市审计局"), _doc("b", "苏州市交通运输局")])
    answer = ask(corpus, "深圳2026年各部门三公经费分别是多少？")
    assert answer.abstained and not answer.values


@pytest.mark.parametrize(("typed", "official"), [("上海司法局", "上海市普陀区司法局"), ("人社厅", "深圳市人力资源和社会保障局"),
                                                 ("交通局", "佛山市轨道交通局"), ("市委社工部", "中共上海市普陀区委社会工作部"),
                                                 ("数据局", "晋城市大数据应用局"), ("深圳市审计局", "苏州市审计局")])
def test_a_short_form_never_means_another_body(typed, official):
    assert fit(typed, official) == 0


# ---- a document is (department, year, kind) ----

def _source(name: str, blocks, identity):
    from pathlib import Path

    from juesuan_qa.ingest.document import SourceFile

    return SourceFile(Path("/corpus") / name, name, blocks, identity)


def test_files_of_two_years_or_two_kinds_are_never_one_document():
    from juesuan_qa.ingest.blocks import Block
    from juesuan_qa.ingest.document import group_sources

    toc = [Block("para", "一、收支总表 二、收入总表", 1, 1), Block("para", "西南大学", 2, 1)]
    tables = [Block("heading", "收支总表", 1, 1), Block("heading", "收入总表", 2, 2), Block("para", "单位：西南大学", 3, 2)]
    cover = _source("2024-juesuan.pdf", toc, ("西南大学", 2024, "决算", "西南大学2024年度部门决算"))
    other_year = _source("2023-juesuan.pdf", tables, ("", 2023, "决算", "2023年度部门决算"))
    other_kind = _source("2024-yusuan.pdf", tables, ("", 2024, "预算", "2024年度部门预算"))
    same = _source("2024-tables.pdf", tables, ("", 2024, "决算", ""))
    assert [len(g) for g in group_sources([cover, other_year])] == [1, 1]
    assert [len(g) for g in group_sources([cover, other_kind])] == [1, 1]
    assert [len(g) for g in group_sources([cover, same])] == [2]  # one publication: text + tables


def test_an_agency_without_a_bureau_word_is_identified_from_its_cover():
    from juesuan_qa.ingest.blocks import Block
    from juesuan_qa.ingest.identity import read_identity

    blocks = [Block("para", "西南大学 2023 年度部门决算", 1, 1), Block("para", "2024 年 8 月", 2, 1),
              Block("heading", "一、学校概况", 3, 2)]
    assert read_identity(blocks)[:3] == ("西南大学", 2023, "决算")
    court = [Block("para", "江苏省高级人民法院2019年部门预算", 1, 1), Block("heading", "一、部门基本情况", 2, 1)]
    assert read_identity(court)[:3] == ("江苏省高级人民法院", 2019, "预算")


def test_a_year_printed_apart_from_the_title_dates_the_document():
    from juesuan_qa.ingest.blocks import Block
    from juesuan_qa.ingest.identity import read_identity

    blocks = [Block("para", "重庆市水利局 年部门预算情况说明", 1, 1), Block("heading", "一、单位基本情况", 2, 1),
              Block("para", "收入比2025年减少100万元，截至2025年12月底共有车辆3辆，比2025年增加。", 3, 1),
              Block("para", "2026", 4, 2), Block("heading", "年部门收支总体情况表", 5, 2)]
    assert read_identity(blocks)[1] == 2026


# ---- the gold-free benchmark on a slice (benchmarks/bench_resolve.py runs it whole) ----

def test_generated_name_forms_resolve_and_absent_names_get_no_figure():
    import json
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_resolve import measure

    catalogue = json.loads((ROOT / "benchmarks" / "resolve" / "catalogue.json").read_text(encoding="utf-8"))
    result = measure(catalogue, limit=40)
    assert result["resolution"] >= 0.98, result["misses"][:10]
    assert result["false_answers"] == []
    assert sum(c.get("refused", 0) for c in result["absent"].values()) >= 150


def test_the_benchmark_catalogue_reads_as_ingest_does(corpus_kb):
    import json

    from conftest import ROOT

    catalogue = json.loads((ROOT / "benchmarks" / "resolve" / "catalogue.json").read_text(encoding="utf-8"))
    saved = {tuple(r["files"]): (r["department"], r["year"], r["kind"]) for r in catalogue if "doc_id" in r}
    for document in corpus_kb.documents:
        files = tuple(sorted(p.rsplit("/", 1)[-1] for p in document.source.split("; ")))
        assert saved.get(files) == (document.department, document.year, document.kind), files


def test_a_place_said_once_before_a_list_of_bodies_is_the_place_of_each():
    documents = [_doc("bt", "北京市统计局"), _doc("bs", "北京市审计局"), _doc("bw", "北京市水务局"), _doc("ss", "深圳市审计局")]
    corpus = _corpus(documents)
    slots = route("北京统计局、审计局、水务局三家，谁的三公经费最多？", documents, corpus.vocabulary)
    assert slots.doc_ids == {"bt", "bs", "bw"}
    assert ask(corpus, "审计局和水务局2026年三公经费谁多？").abstained  # no place said: which 审计局 is asked


def test_a_unit_asked_with_its_parent_department_is_that_department_s_unit():
    documents = [_doc("hg", "杭州市公安局"), _doc("hs", "杭州市司法局")]
    corpus = _corpus(documents)
    corpus.vocabulary.store = _Printed({"杭州市机动车驾驶员考试服务中心": "hg"})
    slots = route("2026年杭州市公安局机动车驾驶员考试服务中心的事业收入预算是多少？", documents, corpus.vocabulary)
    assert slots.doc_ids == {"hg"} and not slots.unknown_org
    office = route("杭州市公安局办公室2026年三公经费是多少？", documents, corpus.vocabulary)
    assert office.unknown_org == "杭州市公安局办公室"  # not a unit it names: not the bureau's figure


def test_a_short_form_of_an_agency_the_index_lacks_is_not_another_department():
    corpus = _corpus([_doc("dsj", "晋城市大数据应用局", 2023, "决算"), _doc("sj", "苏州市审计局")])
    for question in ("卫健委2023年收入总计是多少？", "请问发改委的三公经费", "国家统计局2026年三公经费是多少？"):
        answer = ask(corpus, question)
        assert answer.abstained and not answer.values and "索引中没有" in answer.answer, question


def test_a_place_alone_names_no_department_even_where_the_year_leaves_one():
    corpus = _corpus([_doc("sf", "上海市普陀区司法局", 2026, "预算"), _doc("cz", "上海市普陀区财政局", 2024, "决算")])
    answer = ask(corpus, "普陀区2026年三公经费是多少？")
    assert answer.abstained and "上海市普陀区司法局" in answer.answer and "上海市普陀区财政局" in answer.answer
    assert _figure(corpus, "普陀区2026年各部门三公经费分别是多少？") == 10.0


def test_a_tables_only_file_takes_its_identity_from_its_tables():
    from juesuan_qa.ingest.blocks import Block, Row
    from juesuan_qa.ingest.identity import read_identity

    header = [Row(None, ["项目", "2019年预算数"], ""), Row(None, ["一般公共预算拨款收入", "1,276.70"], "")]
    blocks = [Block("heading", "公开01表 财政拨款收支总表", 1, 1), Block("para", "编制单位：江苏省人民检察院 单位：万元", 2, 1),
              Block("table", "", 3, 1, rows=header), Block("para", "2019年", 4, 1)]
    assert read_identity(blocks)[:3] == ("江苏省人民检察院", 2019, "预算")
    final = [Row(None, ["项目", "年初预算数", "决算数"], "")]
    blocks[2] = Block("table", "", 3, 1, rows=final)
    assert read_identity(blocks)[2] == "决算"


def test_a_text_file_and_a_tables_file_of_one_publication_are_one_document():
    from juesuan_qa.ingest.blocks import Block
    from juesuan_qa.ingest.document import group_sources

    text = _source("a-text.pdf", [Block("para", "江苏省人民检察院2019年部门预算", 1, 1)],
                   ("江苏省人民检察院", 2019, "预算", "江苏省人民检察院2019年部门预算"))
    tables = _source("a-tables.pdf", [Block("para", "编制单位：江苏省人民检察院", 1, 1)], ("江苏省人民检察院", 2019, "预算", ""))
    budget_2018 = _source("b-tables.pdf", [Block("para", "编制单位：江苏省人民检察院", 1, 1)], ("江苏省人民检察院", 2018, "预算", ""))
    assert sorted(len(g) for g in group_sources([text, tables, budget_2018])) == [1, 2]
