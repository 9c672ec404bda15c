"""Batch replies: a sheet of inquiries in, a Word or Excel file of cited draft replies out."""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from juesuan_qa.batch import (
    Inquiry,
    answer_batch,
    draft_replies,
    read_questions,
    review_reasons,
)
from juesuan_qa.records import Answer, Citation, Value

ROOT = Path(__file__).resolve().parent.parent
MUST_ABSTAIN = ["晋城市教育局2023年收入总计是多少？", "晋城市大数据应用局2021年的支出总计是多少？",
                "晋城明天天气怎么样？", "太原市大数据应用局2023年三公经费是多少？", "晋城市2023年GDP是多少？"]
AMBIGUOUS = "住房公积金是多少？"
FIGURE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(?=万元|元|%|分|台|辆)|(\d[\d,]*\.\d+)")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def batch_questions() -> list[str]:
    """50 realistic inquiries from the seed eval, shuffled so abstentions sit among answers."""
    cases = [json.loads(line) for line in (ROOT / "evals" / "seed.jsonl").read_text("utf-8").splitlines()]
    by_kind: dict[str, list[str]] = {}
    for case in cases:
        by_kind.setdefault(case["kind"], []).append(case["question"])
    chosen = (by_kind["table"][:24] + by_kind["text_number"][:8] + by_kind["text"][:8]
              + by_kind["ambiguous"][:4] + [AMBIGUOUS])
    chosen += [q for q in MUST_ABSTAIN if q not in chosen]
    random.Random(7).shuffle(chosen)
    assert len(chosen) == 50
    return chosen


QUESTIONS = batch_questions()


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("batch")
    rows = [[f"Q{n:03d}", "张三" if n == 1 else "", q] for n, q in enumerate(QUESTIONS, start=1)]
    csv_path = write_csv(folder / "questions.csv", [["序号", "来信人", "咨询内容"], *rows[:10], ["", "", ""], *rows[10:]])
    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "问题"])
    for n, question in enumerate(QUESTIONS, start=1):
        sheet.append([n, question])
        if n == 20:
            sheet.append([None, "  "])  # a blank row inside the batch
    book.save(folder / "questions.xlsx")
    return csv_path, folder / "questions.xlsx"


@pytest.fixture(scope="module")
def expected(kb) -> dict[str, Answer]:
    return {q: kb.ask(q) for q in QUESTIONS}


def flagged(answer: Answer) -> bool:
    return answer.abstained or answer.needs_review or any("计算" in v.label for v in answer.values)


def the_answer_record(answer: Answer) -> str:
    return " ".join([answer.question, answer.answer, *(f"{v.value} {v.label}" for v in answer.values),
                     *(" ".join(str(x) for x in vars(c).values()) for c in answer.citations)])


def as_float(text: str) -> float:
    return float(text.replace(",", ""))


def assert_no_number_added(reply: str, answer: Answer) -> None:
    """Figures come from the Answer's values or quotes; no other number is new to the Answer.

    Citation markers [n] and list numbers are the reply's own structure, not figures.
    """
    body = re.sub(r"\[\d+\]|^\d+\. ", "", reply, flags=re.M)
    quoted = [as_float(n) for c in answer.citations for n in NUMBER.findall(c.quote)]
    values = [v.value for v in answer.values]
    if any(re.search(r"\t\t|\t$", c.quote) for c in answer.citations):
        quoted.append(0.0)  # a blank cell reads as 0 by the disclosure convention
    for match in FIGURE.finditer(body):
        figure = as_float(match.group(1) or match.group(2))
        assert any(abs(figure - v) <= 0.0051 for v in values) or any(abs(figure - q) < 1e-9 for q in quoted), \
            (figure, answer.question)
    record = {as_float(n) for n in NUMBER.findall(the_answer_record(answer))}
    for number in NUMBER.findall(body):
        assert as_float(number) in record or any(abs(as_float(number) - v) <= 0.0051 for v in values), \
            (number, answer.question)


def assert_plain(text: str) -> None:
    assert "**" not in text and "__" not in text and "`" not in text
    assert not any(line.lstrip().startswith((">", "#")) for line in text.splitlines())


# ---- reading ----


def test_read_csv_with_bom_id_and_asker(inputs):
    inquiries = read_questions(inputs[0])
    assert [i.question for i in inquiries] == QUESTIONS  # the blank row is skipped
    assert inquiries[0] == Inquiry("Q001", QUESTIONS[0], "张三")
    assert inquiries[-1].id == "Q050" and inquiries[-1].asker == ""


def test_read_xlsx_numbers_ids_and_skips_blank_rows(inputs):
    inquiries = read_questions(inputs[1])
    assert [i.question for i in inquiries] == QUESTIONS
    assert [i.id for i in inquiries[:3]] == ["1", "2", "3"] and inquiries[20].id == "21"


def test_read_gb18030_csv(tmp_path):
    path = write_csv(tmp_path / "ansi.csv", [["编号", "问题"], ["1", "什么是基本支出？"]], encoding="gb18030")
    assert read_questions(path) == [Inquiry("1", "什么是基本支出？")]


def test_header_found_by_name_among_other_columns(tmp_path):
    path = write_csv(tmp_path / "q.csv", [["日期", "姓名", "来信问题内容"], ["2024-05-01", "李四", "三公经费是多少？"]])
    assert read_questions(path) == [Inquiry("1", "三公经费是多少？", "李四")]


def test_csv_cell_with_a_line_break_is_one_question(tmp_path):
    path = write_csv(tmp_path / "q.csv", [["问题"], ["请问三公经费\n是多少？"], ["奖金是多少？"]])
    assert [i.question for i in read_questions(path)] == ["请问三公经费\n是多少？", "奖金是多少？"]


def test_unknown_header_or_no_header_falls_back_to_first_text_column(tmp_path):
    headed = write_csv(tmp_path / "a.csv", [["收到日期", "留言"], ["20240501", "三公经费是多少？"], ["20240502", "奖金是多少？"]])
    bare = write_csv(tmp_path / "b.csv", [["20240501", "三公经费是多少？"], ["20240502", "奖金是多少？"]])
    for path in (headed, bare):
        assert [i.question for i in read_questions(path)] == ["三公经费是多少？", "奖金是多少？"]


def test_no_text_column_or_no_rows_is_a_one_line_error(tmp_path):
    numbers = write_csv(tmp_path / "numbers.csv", [["1", "7176.23"], ["2", "19.69"]])
    with pytest.raises(ValueError, match="numbers.csv: no question column") as error:
        read_questions(numbers)
    assert "\n" not in str(error.value)
    only_header = write_csv(tmp_path / "empty.csv", [["编号", "问题"], ["1", ""]])
    with pytest.raises(ValueError, match="empty.csv: no questions"):
        read_questions(only_header)
    with pytest.raises(ValueError, match="blank.csv"):
        read_questions(write_csv(tmp_path / "blank.csv", []))
    with pytest.raises(ValueError, match=r"q.txt: unsupported question file \.txt"):
        read_questions(tmp_path / "q.txt")


# ---- drafting ----


def test_drafts_are_plain_cited_and_flagged_exactly(kb, expected):
    drafts = draft_replies(kb, [Inquiry(str(n), q) for n, q in enumerate(QUESTIONS, 1)])
    assert [d.inquiry.question for d in drafts] == QUESTIONS
    for draft in drafts:
        answer = draft.answer
        assert answer.to_dict() | {"elapsed_ms": 0} == expected[answer.question].to_dict() | {"elapsed_ms": 0}
        assert draft.needs_review == flagged(answer) and bool(draft.review_reason) == draft.needs_review
        assert draft.reply.startswith("您好！")
        assert_plain(draft.reply)
        assert_no_number_added(draft.reply, answer)
        if not answer.abstained:
            assert draft.sources and "依据：\n1. 《" in draft.reply
            assert all("第" in s and "行" in s for s in draft.sources)
    by_question = {d.inquiry.question: d for d in drafts}
    assert all(by_question[q].answer.abstained and by_question[q].needs_review for q in MUST_ABSTAIN)
    assert by_question[AMBIGUOUS].needs_review and "多种读法" in by_question[AMBIGUOUS].review_reason
    assert not by_question["晋城市大数据应用局2023年一共收了多少钱？"].needs_review


class Canned:
    def __init__(self, answer: Answer | Exception) -> None:
        self.answer = answer

    def ask(self, question: str) -> Answer:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_computed_answer_is_flagged(kb):
    from juesuan_qa.qa import compose
    from juesuan_qa.qa.numeric import part_rows_to_sum
    from juesuan_qa.qa.router import route

    slots = route("机关运行经费是多少？", kb.documents, kb.corpus.vocabulary)
    rows = part_rows_to_sum(slots, kb.corpus.facts_in(set(kb.corpus.documents)))
    answer = compose.sum_answer(slots.question, rows[0].part, rows, kb.corpus.documents)
    [draft] = draft_replies(Canned(answer), [Inquiry("1", "机关运行经费是多少？", "王五")])
    assert draft.needs_review and "计算" in draft.review_reason
    assert draft.reply.startswith("王五：您好！") and "=" in draft.reply
    assert_plain(draft.reply)
    assert_no_number_added(draft.reply, answer)


def test_a_failing_question_becomes_a_flagged_draft():
    [draft] = draft_replies(Canned(RuntimeError("boom")), [Inquiry("1", "三公经费是多少？")])
    assert draft.answer.abstained and draft.needs_review and "无法回答" not in draft.reply


def test_an_uncited_answer_is_flagged():
    answer = Answer("q", "table", False, "**1.00万元**", [Value(1.0, "万元", "x")], [])
    assert review_reasons(answer) == ["答案没有出处，需核对"]
    cited = Answer("q", "table", False, "1.00万元[1]", [Value(1.0, "万元", "x")],
                   [Citation("d", "t", "", 2023, "公开01表", "s", "r", "c", None, 3, "r\t1.00")])
    assert review_reasons(cited) == []


# ---- writing ----


def docx_entries(path: Path) -> list[dict]:
    entries: list[dict] = []
    for paragraph in Document(str(path)).paragraphs:
        text = paragraph.text
        if paragraph.style.name == "Heading 2":
            entries.append({"id": text.removeprefix("编号 "), "lines": [], "sources": [], "flag": ""})
        elif entries:
            entry = entries[-1]
            if text.startswith("问题："):
                entry["question"] = text.removeprefix("问题：").split("（来信人：")[0]
            elif text.startswith("【需复核】"):
                entry["flag"] = text
            elif re.match(r"\d+\. 《", text):
                entry["sources"].append(paragraph)
            elif text not in ("答复草稿：", "依据："):
                entry["lines"].append(text)
    return entries


def test_docx_has_one_section_per_inquiry_in_order(kb, inputs, expected, tmp_path):
    out = tmp_path / "out" / "replies.docx"
    summary = answer_batch(kb, inputs[0], out)
    assert (summary.total, summary.out_path) == (50, out)
    assert summary.needs_review == sum(flagged(a) for a in expected.values())
    assert summary.abstained == sum(a.abstained for a in expected.values()) >= len(MUST_ABSTAIN)
    document = Document(str(out))
    assert document.paragraphs[0].text == "预决算公开咨询答复草稿"
    assert f"共50条咨询，其中{summary.needs_review}条需复核" in document.paragraphs[1].text
    entries = docx_entries(out)
    assert [e["id"] for e in entries] == [f"Q{n:03d}" for n in range(1, 51)]
    assert [e["question"] for e in entries] == QUESTIONS
    assert entries[0]["lines"][0].startswith("张三：您好！")
    for entry in entries:
        answer = expected[entry["question"]]
        assert bool(entry["flag"]) == flagged(answer), entry["question"]
        reply = "\n".join(entry["lines"])
        assert_plain(reply)
        assert_no_number_added(reply, answer)
        assert len(entry["sources"]) == len(answer.citations)
        if not answer.abstained:
            assert entry["sources"], entry["question"]
        for source in entry["sources"]:
            quote = source.runs[-1]
            assert quote.text.startswith("\n原文：") and quote.font.size.pt < 11


def test_xlsx_has_one_row_per_inquiry_in_order(kb, inputs, expected, tmp_path):
    out = tmp_path / "replies.xlsx"
    summary = answer_batch(kb, inputs[1], out)
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header == ["编号", "问题", "答复草稿", "数值", "出处", "需复核", "复核原因"]
    assert all(c.font.bold for c in sheet[1]) and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width >= 60 and sheet["C2"].alignment.wrap_text
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert [r["问题"] for r in rows] == QUESTIONS and [r["编号"] for r in rows] == [str(n) for n in range(1, 51)]
    assert sum(r["需复核"] == "是" for r in rows) == summary.needs_review
    for row in rows:
        answer = expected[row["问题"]]
        assert row["需复核"] == ("是" if flagged(answer) else "否") and bool(row["复核原因"]) == flagged(answer)
        assert_plain(row["答复草稿"])
        assert_no_number_added(row["答复草稿"], answer)
        sources = (row["出处"] or "").splitlines()
        assert len(sources) == len(answer.citations) and (answer.abstained or sources)
        for value in answer.values:
            assert value.unit in row["数值"] and value.label in row["数值"]


def test_unknown_output_suffix_is_refused_before_any_work(kb, inputs, tmp_path):
    with pytest.raises(ValueError, match=r"replies.pdf: unsupported output format \.pdf"):
        answer_batch(kb, inputs[0], tmp_path / "replies.pdf")
    assert not (tmp_path / "replies.pdf").exists()


def test_a_question_typed_as_a_formula_is_text_in_the_sheet(kb, tmp_path):
    questions = tmp_path / "q.csv"
    questions.write_text('问题\n"=HYPERLINK(""http://127.0.0.2/x"",""点我"")"\n@SUM(1+1)三公经费是多少？\n', encoding="utf-8")
    out = tmp_path / "replies.xlsx"
    answer_batch(kb, questions, out)
    sheet = load_workbook(out).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value]
    assert cells and all(c.data_type != "f" for c in cells)
    assert sheet["B2"].value.startswith("=HYPERLINK")
