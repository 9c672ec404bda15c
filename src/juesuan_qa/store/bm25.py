"""Tokens for Okapi BM25: jieba, with the domain lexicon.

Chinese has no spaces, so a whitespace or regex tokenizer makes BM25 useless; jieba's
search mode also emits the sub-words of long compounds (一般公共预算财政拨款 → 一般, 公共,
预算, 财政, 拨款 …), so a question phrased more loosely than the text still matches.
The lexicon's terms are added to jieba's dictionary so domain words stay whole.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

import jieba

jieba.setLogLevel(logging.WARNING)

_KEEP = re.compile(r"[\w\u4e00-\u9fff]")
STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 等 为 对 中 其 其中 本 该 有 也 都 就 而 被 把 将 于 以 之 啊 吗 呢 吧 么 "
    "什么 多少 哪些 哪个 怎么 怎样 如何 为什么 为何 是否 请问 一下 请 我 你 我们 他们 这 那 这个 那个 "
    "年度 万元 元 情况 主要".split()
)

# Okapi's usual k1 = 1.5, b = 0.75 (the values most reference implementations ship); the scoring
# itself is store.passages.okapi, over statistics the store keeps.
K1 = 1.5
B = 0.75

_dictionary_terms: set[str] = set()


def add_terms(terms: Iterable[str]) -> None:
    """Teach jieba domain terms (row labels, lexicon phrases) so they are not cut apart."""
    for term in terms:
        if term and term not in _dictionary_terms and len(term) >= 2:
            jieba.add_word(term, freq=20000)
            _dictionary_terms.add(term)


def tokenize(text: str) -> list[str]:
    return [t for t in jieba.lcut_for_search(text) if _KEEP.search(t) and t not in STOPWORDS and t.strip()]
