"""The synthetic disclosures of benchmarks/synthetic.py: parsed like the seed, internally consistent,
deterministic per seed."""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from juesuan_qa.ingest.document import read_disclosure

ROOT = Path(__file__).resolve().parent.parent
TABLES = [f"公开{n:02d}表" for n in range(1, 11)]


def _load():
    if "synthetic" in sys.modules:
        return sys.modules["synthetic"]
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


synthetic = _load()


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[Path]:
    return synthetic.generate(3, tmp_path_factory.mktemp("synthetic"), seed=7)


@pytest.fixture(scope="module")
def parsed(generated):
    return [read_disclosure(path) for path in generated]


def _cell(
    facts, table: str, row: str, column: str, part: str | None = None, code: str | None = None
) -> float:
    found = [
        f
        for f in facts
        if f.table == table
        and (f.row == row if code is None else f.code == code)
        and f.column == column
        and (part is None or f.part == part)
    ]
    assert found, (table, row, code, column, part)
    assert len({f.value for f in found}) == 1, found
    return found[0].value


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 0.005


def test_identity_read_from_the_content(generated, parsed):
    for index, disclosure in enumerate(parsed):
        expected = synthetic.figures(index, seed=7)
        document = disclosure.document
        assert document.department == expected.department
        assert document.year == expected.year
        assert document.kind == "决算"
        assert document.doc_id == generated[index].stem
        assert {f.table for f in disclosure.facts} >= set(TABLES)
        assert len(disclosure.projects) == 13
        assert disclosure.passages and disclosure.figures


def test_departments_and_years_vary(tmp_path):
    people = {(f.department, f.year) for f in (synthetic.figures(i) for i in range(40))}
    assert len(people) == 40
    assert len({d for d, _ in people}) > 20
    assert {y for _, y in people} <= set(synthetic.YEARS)


def test_subject_tables_add_up(parsed):
    for disclosure in parsed:
        facts = disclosure.facts
        for table, columns in (
            ("公开02表", ("本年收入合计", "财政拨款收入", "其他收入")),
            ("公开03表", ("本年支出合计", "基本支出", "项目支出")),
            ("公开05表", ("本年支出", "本年支出/基本支出", "本年支出/项目支出")),
        ):
            for column in columns:
                by_code = {
                    f.code: f.value for f in facts if f.table == table and f.column == column and f.code
                }
                leaves = {c: v for c, v in by_code.items() if len(c) == 7}
                for code, value in by_code.items():
                    if len(code) < 7:
                        assert _close(value, sum(v for c, v in leaves.items() if c.startswith(code))), (
                            table,
                            code,
                        )
                assert _close(_cell(facts, table, "合计", column), sum(leaves.values())), (table, column)
        total = _cell(facts, "公开03表", "合计", "本年支出合计")
        basic = _cell(facts, "公开03表", "合计", "基本支出")
        project = _cell(facts, "公开03表", "合计", "项目支出")
        assert _close(basic + project, total)
        assert _close(_cell(facts, "公开02表", "合计", "本年收入合计"), total)  # 收入 = 支出
        fiscal = _cell(facts, "公开05表", "合计", "本年支出")
        assert _close(_cell(facts, "公开02表", "合计", "财政拨款收入"), fiscal)
        assert _close(_cell(facts, "公开05表", "合计", "本年支出/基本支出"), basic)


def test_totals_tables_add_up(parsed):
    for disclosure in parsed:
        facts = disclosure.facts
        for table, part in (("公开01表", "收入"), ("公开01表", "支出"), ("公开04表", "支出")):
            column = "金额" if table == "公开01表" else "合计"
            rows = [f for f in facts if f.table == table and f.part == part and f.column == column]
            numbered = sum(f.value for f in rows if f.row[:1] in "一二三四五六七八九十")
            closing = "本年收入合计" if part == "收入" else "本年支出合计"
            assert _close(_cell(facts, table, closing, column, part), numbered), (table, part)
        income = _cell(facts, "公开01表", "总计", "金额", "收入")
        assert _close(income, _cell(facts, "公开01表", "总计", "金额", "支出"))
        assert _close(income, _cell(facts, "公开03表", "合计", "本年支出合计"))
        assert _close(
            _cell(facts, "公开04表", "总计", "合计", "支出"), _cell(facts, "公开05表", "合计", "本年支出")
        )


def test_basic_expenditure_detail_adds_up(parsed):
    for disclosure in parsed:
        facts = [f for f in disclosure.facts if f.table == "公开06表"]
        by_code = {f.code: f.value for f in facts if f.code}
        for group in ("301", "302", "303"):
            assert _close(
                by_code.get(group, 0.0),
                sum(v for c, v in by_code.items() if len(c) == 5 and c.startswith(group)),
            ), group
        personnel = _cell(facts, "公开06表", "人员经费合计", "决算数")
        public = _cell(facts, "公开06表", "公用经费合计", "决算数")
        assert _close(personnel, by_code["301"] + by_code.get("303", 0.0))
        assert _close(public, by_code["302"] + by_code.get("310", 0.0))
        assert _close(personnel + public, _cell(disclosure.facts, "公开05表", "合计", "本年支出/基本支出"))
        assert _close(public, _cell(disclosure.facts, "公开10表", "(一) 行政单位", "统计数"))  # 机关运行经费


def test_sangong_and_statistics_add_up(parsed):
    for disclosure in parsed:
        facts = disclosure.facts
        for column in ("预算数", "决算数"):

            def item(name, column=column, facts=facts):
                return _cell(facts, "公开09表", name, column)

            cars = item("公务用车购置及运行维护费")
            assert _close(cars, item("公务用车购置费") + item("公务用车运行维护费"))
            assert _close(item("合计"), item("因公出国(境)费") + cars + item("公务接待费"))
        purchases = {f.row: f.value for f in facts if f.table == "公开10表" and f.part == "政府采购情况"}
        assert _close(purchases["合计"], purchases["货物"] + purchases["工程"] + purchases["服务"])
        cars = {f.row: f.value for f in facts if f.table == "公开10表" and f.unit == "辆"}
        assert cars["(一) 车辆数合计(辆)"] == sum(v for r, v in cars.items() if r[:1].isdigit())


def test_prose_figures_follow_the_tables(parsed):
    by_context = defaultdict(list)
    for index, disclosure in enumerate(parsed):
        facts = disclosure.facts
        total = _cell(facts, "公开03表", "合计", "本年支出合计")
        basic = _cell(facts, "公开03表", "合计", "基本支出")
        for figure in disclosure.figures:  # context: the clause before the figure | after it
            by_context[(index, figure.context.split("|")[0], figure.unit)].append(figure.value)
        year = disclosure.document.year
        assert total in by_context[(index, f"{year}年度收入总计", "万元")]
        assert (
            round(basic * 100 / total, 2)
            in by_context[(index, f"基本支出{synthetic.money(round(basic * 100))}万元占比", "%")]
        )
        project = _cell(facts, "公开03表", "合计", "项目支出")
        text = "\n".join(p.text for p in disclosure.passages)
        assert f"涉及资金{project:.2f}万元" in text
        assert (
            f"公用经费{synthetic.prose_money(round(_cell(facts, '公开06表', '公用经费合计', '决算数') * 100))}万元"
            in text
        )


def test_same_seed_same_bytes_and_seeds_differ(tmp_path, generated):
    again = synthetic.generate(3, tmp_path / "again", seed=7)
    assert [p.name for p in again] == [p.name for p in generated]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, generated, strict=True))
    other = synthetic.generate(3, tmp_path / "other", seed=8)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in generated]
    # a document does not depend on how many are generated
    first = synthetic.generate(1, tmp_path / "one", seed=7)
    assert first[0].read_bytes() == generated[0].read_bytes()
