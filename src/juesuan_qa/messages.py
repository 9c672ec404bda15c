"""The ingest report (and a question list's errors) in Chinese, for the web page.

Readers say why a file was skipped in one English line (the CLI's summary, which scripts and
tests read). A visitor of the Chinese page gets the same line in Chinese: the file name is kept,
the reason is matched against the phrases below and put in Chinese. A reason no phrase matches
is shown as it is, never dropped.
"""

from __future__ import annotations

import re

from juesuan_qa.ingest.document import READERS
from juesuan_qa.kb import IngestReport

# (pattern of the English reason after "name: ", its Chinese); the first match wins
REASONS: tuple[tuple[str, str], ...] = (
    (r"unsupported format (\S+?);?(?: supported: .*)?", r"不支持的格式 \1（支持 " + " ".join(sorted(READERS)) + "）"),
    (r"empty file", "空文件"),
    (r"not UTF-8 text \((.*)\)", r"不是 UTF-8 编码的文本（\1）"),
    (r"no tables or prose found; is this a disclosure\?", "没有读到表格或正文，不像是公开文件"),
    (r"no department or year found; is it a disclosure\?", "没有读到部门或年度，不像是公开文件"),
    (r"neither 预算 nor 决算 is named.*", "标题和各级标题都没有写“预算”或“决算”，不是预算或决算公开"),
    (r"its title names a (\S+), and it prints no standard budget table; not a disclosure",
     r"标题是一份\1，且没有标准的预决算表，不是公开文件"),
    (r"identical to (.+?)[;,] (?:already in the index; )?ingested once", r"与 \1 内容完全相同，只加入一次"),
    (r"cannot read file \((.*)\)|cannot be read \((.*)\)", r"无法读取（\1\2）"),
    (r"legacy or password-protected (\w+) file; save it as \.(\w+)", r"旧版或设了密码的 \1 文件，请另存为 .\2"),
    (r"not a \.(\w+) file \(not a zip archive\)", r"不是 .\1 文件"),
    (r"corrupt Word file \((.*)\)", r"Word 文件已损坏（\1）"),
    (r"no text found in Word file", "Word 文件里没有文字"),
    (r"corrupt Excel file \((.*)\)", r"Excel 文件已损坏（\1）"),
    (r"no data found in Excel file", "Excel 文件里没有数据"),
    (r"an HTML page saved with a \.pdf name", "这是一个网页，只是以 .pdf 为扩展名保存"),
    (r"not a PDF saved with a \.pdf name", "不是 PDF 文件，只是以 .pdf 为扩展名"),
    (r"the PDF has no pages", "PDF 没有页面"),
    (r"password-protected PDF; .*", "PDF 设了打开密码，请保存一份无密码的副本再上传"),
    (r"damaged or truncated PDF \((.*)\)", r"PDF 已损坏或不完整（\1）"),
    (r"no text layer \(a scanned image\?\); OCR it first", "没有文字层（扫描件？），请先做文字识别（OCR）"),
    (r"a link to a file that does not exist", "链接指向的文件不存在"),
    (r"a folder, not a file.*", "这是一个文件夹，不是文件"),
    (r"a folder with no files in it", "文件夹里没有文件"),
    (r"not a regular file", "不是普通文件"),
    (r"(\d+) MB, larger than a disclosure \((\d+) MB.*\)", r"\1 MB，超过公开文件的大小上限（\2 MB）"),
    (r"could not be read \((.*)\)", r"读取出错（\1）"),
    (r"could not be stored \((.*)\)", r"写入索引出错（\1），索引中原有的版本不变"),
    (r"no such file or folder", "文件或文件夹不存在"),
    # a question list for batch drafting (batch.read_questions)
    (r"unsupported question file (\S+) \(use \.csv or \.xlsx\)", r"不支持的问题清单格式 \1（请用 .csv 或 .xlsx）"),
    (r"the file has no rows", "文件里没有内容"),
    (r"no question column .*", "找不到问题所在的列（列名如“问题”“提问”“咨询内容”）"),
    (r"no questions in column (\d+): every row is blank", r"第\1列没有问题：每一行都是空的"),
    (r"not UTF-8 or GB18030 text", "不是 UTF-8 或 GB18030 编码的文本"),
    (r"not a readable \.xlsx file \((.*)\)", r"无法读取的 .xlsx 文件（\1）"),
)
_COMPILED = tuple((re.compile(pattern), chinese) for pattern, chinese in REASONS)


def reason_in_chinese(reason: str) -> str:
    name, sep, why = reason.partition(": ")
    if not sep:
        name, why = "", reason
    for pattern, chinese in _COMPILED:
        match = pattern.fullmatch(why)
        if match:
            why = match.expand(chinese).replace("（）", "")
            break
    return f"{name}：{why}" if sep else why


def report_in_chinese(report: IngestReport) -> str:
    lines = [f"加入 {len(report.ingested)} 个文件，未变 {len(report.unchanged)} 个，跳过 {len(report.skipped)} 个"
             + (f"，移除 {len(report.removed)} 份" if report.removed else "")]
    lines += [f"- 已加入：{name.rsplit('/', 1)[-1]}" for name in report.ingested]
    lines += [f"- 已跳过：{reason_in_chinese(reason)}" for _, reason in report.skipped]
    return "\n".join(lines)
