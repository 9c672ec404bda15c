"""Small pure helpers for Chinese disclosure text: numbers, labels, sentences."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NUMBER = re.compile(r"^[-−]?\d{1,3}(,\d{3})+(\.\d+)?$|^[-−]?\d+(\.\d+)?$")
_LABEL_PREFIX = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]\s*|\d+[.、．]\s*|[①-⑳])"
)
_SPACE = re.compile(r"\s+")


def parse_number(cell: str) -> float | None:
    """A table cell as a number, or None when it is not one.

    Accepts thousands separators and any number of decimals; "——" and text are not numbers.
    """
    text = cell.strip().replace("，", ",").replace("−", "-")
    if not text or not _NUMBER.match(text):
        return None
    return float(text.replace(",", ""))


# Labels repeat across every document and question (the same 200 row names in ten thousand
# budgets): a short text is folded once, so a question over many documents does not redo it per
# cell; sentences and passages are not kept.
_SHORT = 64


def fold(text: str) -> str:
    """Fold full-width forms and drop white space, so labels compare as people read them."""
    return _fold_label(text) if len(text) <= _SHORT else _fold(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("“", "").replace("”", "").replace('"', "")
    return _SPACE.sub("", text)


_fold_label = lru_cache(maxsize=1 << 17)(_fold)


def norm_label(label: str) -> str:
    """A row label without its list numbering (一、 (一) 1.) and white space."""
    return _norm_label(label) if len(label) <= _SHORT else fold(_LABEL_PREFIX.sub("", fold(label)))


@lru_cache(maxsize=1 << 17)
def _norm_label(label: str) -> str:
    return fold(_LABEL_PREFIX.sub("", fold(label)))


def decimals_of(value: float, most: int = 6) -> int:
    """How many decimals a figure really has (317.025 → 3), so printing never rounds it."""
    text = f"{value:.{most}f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def figure_text(value: float) -> str:
    """A number with thousands separators and every decimal it has (at least two)."""
    return f"{value:,.{max(2, decimals_of(value))}f}"


_PRINTED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_MONEY_UNITS = ("元", "千元", "万元", "亿元")


def printed_decimals(value: float, source: str) -> int | None:
    """The decimals `value` is printed with in `source` (a cell's row, a sentence), if it is."""
    for match in _PRINTED.finditer(source):
        text = match.group().replace(",", "")
        if abs(float(text) - value) < 1e-9:
            return len(text.split(".")[1]) if "." in text else 0
    return None


def format_amount(value: float, unit: str, source: str = "") -> str:
    """The one way a figure is shown: as `source` prints it when given (5.20% stays 5.20%,
    2,605万元 stays 2,605万元); otherwise money with thousands separators and at least two
    decimals. Never an exponent, never a decimal dropped (317.025 stays 317.025)."""
    printed = printed_decimals(value, source) if source else None
    money = unit in _MONEY_UNITS
    decimals = max(printed if printed is not None else (2 if money else 0), decimals_of(value))
    separator = "," if money or abs(value) >= 10000 else ""
    return f"{value:{separator}.{decimals}f}{unit}"


_SENTENCE_END = re.compile(r"(?<=[。！？；;!?])")
_FULL_STOP = re.compile(r"(?<=[。！？!?])")


def split_sentences(text: str, *, semicolons: bool = True) -> list[str]:
    """Split Chinese prose after 。！？ (and ； unless told not to), punctuation kept.

    Figures split at semicolons (each clause states one figure); quoted answers do not,
    because a cause often continues past a semicolon (主要原因是：…；…).
    """
    pattern = _SENTENCE_END if semicolons else _FULL_STOP
    parts = [p.strip() for p in pattern.split(text)]
    return [p for p in parts if p]


def is_column_numbering(cells: list[str]) -> bool:
    """A 栏次 row under the headers: 1, 2, 3 … (cells such as 栏次, ** or — around them)."""
    numbers = [parse_number(c) for c in cells if c and parse_number(c) is not None]
    return len(numbers) >= 2 and numbers == [float(n) for n in range(1, len(numbers) + 1)] \
        and all(parse_number(c) is not None or len(c) <= 3 or c in ("栏次", "行次") for c in cells if c)


def is_subject_code(cell: str) -> bool:
    """Budget subject codes: 3/5/7 digits functional (201, 20105, 2010501), 3/5 economic (301, 30101)."""
    return bool(re.fullmatch(r"\d{3}(\d{2}){0,2}", cell.strip()))
