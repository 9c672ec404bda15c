"""The command line as evaluators script it (CONTRACT.md §3)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from juesuan_qa.cli import app

runner = CliRunner()
ENV = {"JUESUAN_EMBED_MODEL": "hashing"}


def test_ask_json_is_one_answer_record(hashing_index):
    result = runner.invoke(app, ["ask", "2023年度收入总计是多少？", "--index", str(hashing_index), "--json"], env=ENV)
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["route"] == "table" and record["values"][0]["value"] == 7176.23
    assert record["citations"][0]["doc"] == "jincheng-bigdata-2023-juesuan"


def test_ask_readable_shows_sources(hashing_index):
    result = runner.invoke(app, ["ask", "差旅费多少钱？", "--index", str(hashing_index)], env=ENV)
    assert result.exit_code == 0
    assert "0.65万元" in result.output and "来源" in result.output and "第" in result.output
    assert "可信度：" in result.output


def test_ask_jsonl_reads_stdin_in_order(hashing_index):
    questions = "差旅费多少钱？\n\n什么是基本支出？\n晋城市教育局2023年收入总计是多少？\n"
    result = runner.invoke(app, ["ask", "--jsonl", "--index", str(hashing_index)], input=questions, env=ENV)
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["route"] for r in records] == ["table", "text", "none"]
    assert records[2]["abstained"] is True


def test_ingest_exit_status_says_whether_anything_was_skipped(tmp_path, corpus_copy):
    clean = runner.invoke(app, ["ingest", str(corpus_copy), "--index", str(tmp_path / "i")], env=ENV)
    assert clean.exit_code == 0, clean.output
    (corpus_copy / "broken.md").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(corpus_copy), "--index", str(tmp_path / "j")], env=ENV)
    assert result.exit_code == 2, result.output
    assert "ingested 1" in result.output and "broken.md: empty file" in result.output
    bad = runner.invoke(app, ["ingest", str(corpus_copy / "broken.md"), "--index", str(tmp_path / "k")], env=ENV)
    assert bad.exit_code == 1


def test_missing_index_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["ask", "差旅费？", "--index", str(tmp_path / "none")], env=ENV)
    assert result.exit_code == 2 and "juesuan-qa ingest" in result.output


def test_eval_writes_json_report(hashing_index, tmp_path):
    cases = tmp_path / "mini.jsonl"
    cases.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in [
        {"id": "t1", "question": "差旅费多少钱？", "kind": "table", "expect_value": 6500, "expect_unit": "元",
         "expect_source": {"table": "公开06表"}},
        {"id": "a1", "question": "晋城明天天气怎么样？", "kind": "none"},
    ]), encoding="utf-8")
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["eval", str(cases), "--index", str(hashing_index), "--json", str(out)], env=ENV)
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["accuracy"] == 1.0 and report["citation_accuracy"]["accuracy"] == 1.0


def test_eval_bad_set_exits_nonzero(tmp_path, hashing_index):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", str(bad), "--index", str(hashing_index)], env=ENV)
    assert result.exit_code == 2


def test_eval_markdown_and_baseline(hashing_index, tmp_path):
    cases = tmp_path / "mini.jsonl"
    cases.write_text(json.dumps({"id": "t1", "question": "差旅费多少钱？", "kind": "table", "expect_value": 0.65,
                                 "expect_unit": "万元"}, ensure_ascii=False), encoding="utf-8")
    first, md = tmp_path / "first.json", tmp_path / "report.md"
    runner.invoke(app, ["eval", str(cases), "--index", str(hashing_index), "--json", str(first)], env=ENV)
    result = runner.invoke(app, ["eval", str(cases), "--index", str(hashing_index), "--baseline", str(first),
                                 "--md", str(md)], env=ENV)
    assert result.exit_code == 0, result.output
    assert "against baseline" in result.output and "regressed (0)" in result.output
    assert "| table | 1 | 100.0% |" in md.read_text(encoding="utf-8")


def test_answer_batch_writes_drafts(hashing_index, tmp_path):
    questions = tmp_path / "q.csv"
    questions.write_text("问题\n差旅费多少钱？\n晋城市教育局2023年收入总计是多少？\n", encoding="utf-8")
    out = tmp_path / "replies.xlsx"
    result = runner.invoke(app, ["answer-batch", str(questions), "-o", str(out), "--index", str(hashing_index)],
                           env=ENV)
    assert result.exit_code == 0, result.output
    assert out.exists() and "2" in result.output
    bad = runner.invoke(app, ["answer-batch", str(questions), "-o", str(tmp_path / "r.pdf"),
                              "--index", str(hashing_index)], env=ENV)
    assert bad.exit_code == 2


def test_audit_reports_findings(hashing_index, tmp_path):
    out = tmp_path / "audit.json"
    result = runner.invoke(app, ["audit", "--index", str(hashing_index), "--json", str(out)], env=ENV)
    assert result.exit_code == 0, result.output
    assert "jincheng-bigdata-2023-juesuan" in result.output
    assert json.loads(out.read_text(encoding="utf-8"))
    unknown = runner.invoke(app, ["audit", "no-such-doc", "--index", str(hashing_index)], env=ENV)
    assert unknown.exit_code == 2


def test_docs_lists_documents_with_their_tables_and_checks(hashing_index, tmp_path):
    result = runner.invoke(app, ["docs", "--index", str(hashing_index), "--json"], env=ENV)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    seed = next(r for r in rows if r["department"] == "晋城市大数据应用局")
    assert seed["year"] == 2023 and seed["kind"] == "决算" and seed["facts"] > 100
    types = {t["type"] for t in seed["tables"]}
    assert {"totals", "revenue", "expenditure", "sangong"} <= types
    assert seed["checks"]["checked"] > 0 and 0 <= seed["checks"]["rate"] <= 1
    text = runner.invoke(app, ["docs", "--index", str(hashing_index)], env=ENV)
    assert "收入支出决算总表" in text.output and "表通过勾稽校验" in text.output
    missing = runner.invoke(app, ["docs", "--index", str(tmp_path / "none")], env=ENV)
    assert missing.exit_code != 0 and "error" in missing.output


def test_a_terminal_answer_is_plain_text_and_json_keeps_the_markdown(hashing_index):
    question = ["ask", "2023年度收入总计是多少？", "--index", str(hashing_index)]
    terminal = runner.invoke(app, question, env=ENV)
    record = json.loads(runner.invoke(app, [*question, "--json"], env=ENV).stdout)
    assert "**" in record["answer"] and "**" not in terminal.stdout and "7,176.23" in terminal.stdout
