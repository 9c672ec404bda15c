"""The upload result on the web page is Chinese, whatever the reader's reason for a skip."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import SEED, hashing_settings
from juesuan_qa.kb import KnowledgeBase
from juesuan_qa.messages import reason_in_chinese, report_in_chinese

BAD = Path(__file__).parent / "fixtures" / "bad"


def test_every_skip_reason_of_an_upload_reads_in_chinese(tmp_path, corpus_copy):
    for sample in BAD.iterdir():
        shutil.copy(sample, corpus_copy / sample.name)
    (corpus_copy / "folder.pdf").mkdir()
    (corpus_copy / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 binary word")
    (corpus_copy / "notes.md").write_text("# 会议纪要\n\n今天开会。\n", encoding="utf-8")
    shutil.copy(SEED, corpus_copy / "copy.md")
    report = KnowledgeBase.ingest([corpus_copy], tmp_path / "i", settings=hashing_settings(tmp_path / "i"))
    assert len(report.skipped) >= 10
    for _, reason in report.skipped:
        name, _, why = reason_in_chinese(reason).partition("：")
        assert re.search(r"[\u4e00-\u9fff]", why), reason
        assert not re.search(r"[a-z]{3,} [a-z]{3,}", why), f"left in English: {reason}"
    text = report_in_chinese(report)
    assert text.startswith("加入 1 个文件") and "已跳过：empty.pdf：空文件" in text


def test_a_reason_no_phrase_knows_is_shown_as_it_is():
    assert reason_in_chinese("x.pdf: something new") == "x.pdf：something new"


def test_a_question_lists_error_reads_in_chinese():
    assert reason_in_chinese("q.csv: not UTF-8 or GB18030 text") == "q.csv：不是 UTF-8 或 GB18030 编码的文本"
    assert "找不到问题所在的列" in reason_in_chinese("q.xlsx: no question column (headed 问题/提问/咨询内容/question/内容, or any text)")
