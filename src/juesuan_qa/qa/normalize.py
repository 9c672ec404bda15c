"""A question as typed → the text the router reads: simplified characters, half-width forms,
and years written the way the documents write them.

People type 晉城市, 23年, 二〇二三年 or 2026三公经费; the documents print 晋城市 and 2023年. The
conversion is OpenCC's (its dictionaries ship inside the package, no download); the answer
record keeps the question exactly as typed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CHINESE_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})\s*年")
# 23年 → 2023年; not 近10年, 每5年, 第3年, or a figure (1.23年)
_SHORT_YEAR = re.compile(r"(?<![\d.近每第前后约近过去多])([1-3]\d)\s*年(?!代|以来|内|间)")
# 2026三公经费 → 2026年三公经费: a bare year before what is asked
_BARE_YEAR = re.compile(r"(?<![\d.])(20\d{2})(?=[\u4e00-\u9fff])(?![年度]|\d)")


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=65536)
def normalize(question: str) -> str:
    text = unicodedata.normalize("NFKC", question)
    text = _converter().convert(text)
    text = _CHINESE_YEAR.sub(lambda m: m.group(1).translate(_CHINESE_DIGITS) + "年", text)
    text = _SHORT_YEAR.sub(lambda m: f"20{m.group(1)}年", text)
    return _BARE_YEAR.sub(r"\1年", text)
