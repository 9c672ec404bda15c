"""The question vocabulary: row labels, subject codes, column labels, table names and
everyday synonyms, matched longest-first.

Forward maximum matching (the dictionary method FinGLM's finalists used) is enough here:
terms are short, the vocabulary is built from the indexed tables themselves, and
a longer term always wins (一般公共预算财政拨款收入 over 一般公共预算财政拨款).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

from juesuan_qa.domain.places import leading_places
from juesuan_qa.domain.vocabulary import is_unit_part
from juesuan_qa.records import Fact
from juesuan_qa.textutil import fold, norm_label

# Printed table titles differ by region; these name the same tables (alias → title word).
TABLE_ALIASES: dict[str, str] = {
    "收支总表": "收入支出决算总表",
    "收入支出总表": "收入支出决算总表",
    "财政拨款收支总表": "财政拨款收入支出决算总表",
    "财政拨款收入支出总表": "财政拨款收入支出决算总表",
    "收入表": "收入决算表",
    "支出表": "支出决算表",
    "基本支出明细表": "一般公共预算财政拨款基本支出决算明细表",
    "基本支出表": "一般公共预算财政拨款基本支出决算明细表",
    "三公经费表": "三公",
    "三公经费支出决算表": "三公",
    "相关信息统计表": "部门决算公开相关信息统计表",
    "统计表": "部门决算公开相关信息统计表",
}
# Words that name a table by what it covers, not by its full title.
TABLE_WORDS = ("财政拨款", "一般公共预算财政拨款", "一般公共预算", "政府性基金预算财政拨款", "政府性基金",
               "国有资本经营预算财政拨款", "国有资本经营", "三公", "政府采购", "机关运行经费", "国有资产占用")
PART_WORDS = {"收入": "收入", "收入方": "收入", "收入栏": "收入", "支出": "支出", "支出方": "支出", "支出栏": "支出"}
# functional (2xx) and economic (3xx, 5xx) subject codes; not 12345热线 or 100万元
_CODE = re.compile(r"(?<!\d)([235]\d{2}(?:\d{2}){0,2})(?![\d万元%个人辆台套次])")


@dataclass(frozen=True)
class Term:
    kind: str  # row | column | table | part | synonym | project | unit
    text: str  # the folded phrase as matched
    target: str = ""  # row / column label, table word, or part
    column: str = ""  # synonym: column it implies
    table: str = ""  # synonym: table word it implies
    part: str = ""  # synonym: part it implies


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    terms: tuple[Term, ...]

    @property
    def text(self) -> str:
        return self.terms[0].text


@dataclass
class Vocabulary:
    terms: dict[str, list[Term]] = field(default_factory=dict)
    longest: int = 1

    def add(self, term: Term) -> None:
        if len(term.text) < 2:
            return
        bucket = self.terms.setdefault(term.text, [])
        if term not in bucket:
            bucket.append(term)
        self.longest = max(self.longest, len(term.text))

    def max_length(self) -> int:
        return self.longest

    def lookup(self, texts: set[str]) -> dict[str, list[Term]]:
        """The terms spelled by each of `texts` (one call per question: a stored vocabulary
        answers it with one indexed query)."""
        return {text: self.terms[text] for text in texts if text in self.terms}

    def names_subject(self, name: str) -> bool:
        """Whether an organisation-like name is a subject the tables or project sheets print
        (a sub-unit row, 智慧晋城运营指挥中心 inside a project's name), not an outside organisation."""
        if any(t.kind in ("row", "unit") for t in self.lookup({name}).get(name, ())):
            return True
        return self._inside_longer(name)

    def _inside_longer(self, name: str) -> bool:
        return any(name in term for term, kinds in self.terms.items()
                   if any(k.kind in SUBJECT_KINDS for k in kinds) and len(term) > len(name))

    def match(self, question: str) -> list[Mention]:
        """Forward maximum matching over the folded question."""
        text = fold(question)
        longest = self.max_length()
        found = self.lookup({text[i:i + size] for i in range(len(text))
                             for size in range(2, min(longest, len(text) - i) + 1)})
        mentions: list[Mention] = []
        i = 0
        while i < len(text):
            for size in range(min(longest, len(text) - i), 1, -1):
                terms = found.get(text[i:i + size])
                if terms:
                    mentions.append(Mention(i, i + size, tuple(terms)))
                    i += size
                    break
            else:
                i += 1
        return mentions


class StoredVocabulary(Vocabulary):
    """The vocabulary of an index: the terms its tables print live in the store (a table, one
    row per distinct term), the lexicon's and the table words in memory. Nothing proportional
    to the corpus is held: each question looks up the substrings it spells."""

    def __init__(self, store) -> None:
        super().__init__()
        self.store = store
        for term in static_terms():
            self.add(term)

    def max_length(self) -> int:
        return max(self.longest, self.store.longest_term())

    def lookup(self, texts: set[str]) -> dict[str, list[Term]]:
        out: dict[str, list[Term]] = {}
        stored = sorted(self.store.terms_for(texts), key=lambda t: (STORED_ORDER.index(t.kind), t.target))
        for term in stored:
            out.setdefault(term.text, []).append(Term(term.kind, term.text, term.target))
        for text in texts:
            for term in self.terms.get(text, ()):
                bucket = out.setdefault(text, [])
                if term not in bucket:
                    bucket.append(term)
        return out

    def _inside_longer(self, name: str) -> bool:
        return self.store.term_contains(name, SUBJECT_KINDS)


def codes_in(question: str) -> list[str]:
    """Subject codes a question names (201, 20105, 2010504); a year like 2023 is not one."""
    return _CODE.findall(fold(question))


def load_synonyms() -> list[Term]:
    terms = []
    text = resources.files("juesuan_qa.data").joinpath("lexicon.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = (line.split("\t") + [""] * 5)[:5]
        phrase, row, column, table, part = (c.strip() for c in cells)
        terms.append(Term("synonym", fold(phrase), norm_label(row) if row else "", fold(column), fold(table), part))
    return terms


# the kinds a document's tables and sheets contribute, in the order a term's readings are listed
STORED_ORDER = ("row", "column", "table", "unit", "project")
SUBJECT_KINDS = ("project", "row", "unit")
# the terms naming a unit inside a document's tables (a 预算单位's block, a 单位名称 row): asked by its
# own name, the question is about the documents printing it
UNIT_TERM_KINDS = ("unit", "row")


def document_terms(facts: list[Fact], project_names: list[str] = (), units: list[str] = ()) -> list[Term]:
    """The terms one document's tables and project sheets print, each once, in print order, and the
    units it names as covered (ingest.units)."""
    out: dict[Term, None] = {}

    def add(term: Term) -> None:
        if len(term.text) >= 2:
            out.setdefault(term)

    for fact in facts:
        label = norm_label(fact.row)
        add(Term("row", label, label))
        if "/" in label:  # a qualified sub-row is also found by its own name
            add(Term("row", label.split("/")[-1], label))
        for piece in fact.column.split("/"):
            add(Term("column", fold(piece), fold(piece)))
        title = fold(fact.title)
        add(Term("table", title, title))
        if fact.part:
            add(Term("table", fold(fact.part), fold(fact.part)))
            if is_unit_part(fact.part):  # a 预算单位's block: the unit is a subject, not an outside body
                add(Term("unit", fold(fact.part), fold(fact.part)))
    for name in project_names:
        add(Term("project", fold(name), fold(name)))
    for name in units:
        add(Term("unit", fold(name), fold(name)))
        bare = unit_without_place(fold(name))
        if bare:  # 社会经济调查中心 for 西安市社会经济调查中心: units are asked without their city too
            add(Term("unit", bare, fold(name)))
    return list(out)


def unit_without_place(name: str) -> str:
    """A unit's name with the places it opens with left out, when four characters or more remain."""
    places = [p for p in leading_places(name) if p[2]]  # written in full: 福州市公安局 keeps 公安局
    bare = name[places[-1][1]:] if places else ""
    return bare if len(bare) >= 4 else ""


def static_terms() -> list[Term]:
    """The terms every index knows: table aliases and words, part words, the lexicon."""
    terms = [Term("table", fold(alias), fold(word)) for alias, word in TABLE_ALIASES.items()]
    terms += [Term("table", word, word) for word in TABLE_WORDS]
    terms += [Term("part", word, part) for word, part in PART_WORDS.items()]
    return terms + load_synonyms()


def build_vocabulary(facts: list[Fact], project_terms: list[str] = ()) -> Vocabulary:
    """An in-memory vocabulary over given facts (tests and tools that hold a few documents)."""
    vocabulary = Vocabulary()
    document = document_terms(facts, project_terms)
    for term in [t for t in document if t.kind != "project"] + static_terms() + \
            [t for t in document if t.kind == "project"]:
        vocabulary.add(term)
    return vocabulary
