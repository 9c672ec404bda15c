"""The records that flow from ingest to answer.

Every record that can end up in an answer carries its locator (document, table or
section, line or page, and the exact quote), because an answer is only as good as
the citation a reader can check.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """One disclosure, identified from its own text rather than its file name."""

    doc_id: str
    title: str
    department: str
    year: int | None
    kind: str  # 决算 | 预算
    source: str  # path as given to ingest
    sha256: str


@dataclass(frozen=True)
class Locator:
    """Where a figure or passage sits in its source, enough to cite it."""

    doc_id: str
    table: str | None  # 公开NN表 or None for prose
    section: str  # table title or heading
    line: int | None = None
    page: int | None = None
    quote: str = ""
    file: str = ""  # the file it came from, when a disclosure spans several (Beijing: text + tables)


@dataclass(frozen=True)
class Fact:
    """One figure of one table cell.

    `empty` marks a blank cell (or a table printed as 本表无数据): the disclosure
    conventions read it as zero, and answers say so rather than hide it.
    """

    table: str  # 公开NN表 code as printed, or the title when no code is printed
    title: str
    part: str  # side or column group: 收入 / 支出 / 人员经费 / 公用经费 / 政府采购情况 …; "" when none
    row: str  # row label as printed
    code: str  # subject code (201, 2010504, 30113) or ""
    column: str  # column label, parent groups joined by "/"
    value: float
    unit: str
    empty: bool
    loc: Locator
    status: str = ""  # the self-check of its table: verified | failed | unchecked ("" before checking)
    role: str = ""  # the column's canonical roles (domain.vocabulary.column_role): 本年数/基本支出/人员经费


@dataclass(frozen=True)
class TableRecord:
    """One printed table: what it is (canonical type), where it is, and whether it checked out.

    Kept for every recognised table, also an empty one (header only, 本表无数据, a note such as
    （注：本单位没有…）), so "政府性基金支出是多少" can be answered "0, 本表无数据".
    """

    table: str  # as Fact.table: the printed code, or the title when none is printed
    title: str
    type: str | None  # canonical key (domain.vocabulary), None for a table of no standard type
    unit: str
    facts: int
    page: int | None = None
    line: int | None = None
    note: str = ""
    file: str = ""
    status: str = "unchecked"  # verified | failed | unchecked
    checks: int = 0
    failed: int = 0


@dataclass(frozen=True)
class Indicator:
    """A performance indicator line of a project self-evaluation sheet."""

    name: str
    target: str
    actual: str
    weight: float | None
    score: float | None
    note: str
    line: int


@dataclass(frozen=True)
class Project:
    """A 项目支出绩效自评表, kept whole so list and count questions work."""

    name: str
    section: str  # the sheet heading, used as citation section
    budget: float | None  # 全年预算数 (万元)
    executed: float | None  # 全年执行数 (万元)
    rate: float | None  # 执行率 (%)
    score: float | None  # 总分
    grade: str  # 优 / 良 / 中 / 差
    indicators: tuple[Indicator, ...]
    loc: Locator


@dataclass(frozen=True)
class Passage:
    """A retrievable chunk of prose with its heading path as context."""

    passage_id: str
    doc_id: str
    heading: tuple[str, ...]
    text: str
    line_start: int | None
    line_end: int | None
    kind: str = "prose"  # prose | glossary | project
    page: int | None = None
    file: str = ""

    @property
    def section(self) -> str:
        """The heading a citation names; a project sheet's field also names its sheet."""
        if self.kind == "project" and len(self.heading) >= 2:
            return f"{self.heading[-2]} / {self.heading[-1]}"
        return self.heading[-1] if self.heading else ""

    def indexed_text(self) -> str:
        """Text given to the retrievers: the heading path travels with the chunk."""
        return " > ".join(self.heading) + "\n" + self.text if self.heading else self.text


@dataclass(frozen=True)
class TextFigure:
    """A figure stated in a prose sentence (增减额, 增长率, 年初预算 …)."""

    value: float
    unit: str
    context: str  # the clause just before the figure: what the figure is
    sentence: str
    heading: tuple[str, ...]
    loc: Locator


@dataclass
class Disclosure:
    """Everything read out of one document, before it is stored."""

    document: Document
    facts: list[Fact] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    figures: list[TextFigure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # table-level remarks such as 本表无数据
    tables: list[TableRecord] = field(default_factory=list)
    pages: int = 0  # pages read, over every file of the disclosure (0 for formats without pages)
    files: list[tuple[str, str]] = field(default_factory=list)  # (path, sha256) of every file read
    units: list[str] = field(default_factory=list)  # the units it names as covered (ingest.units)


# ---- the answer record (CONTRACT.md §1) ----


@dataclass(frozen=True)
class Value:
    value: float
    unit: str
    label: str
    # the cell's table passed its accounting identities at ingest (True), failed them (False),
    # or no identity applies / the figure is prose or computed (None) — CONTRACT.md §1, optional
    verified: bool | None = None


@dataclass(frozen=True)
class Citation:
    doc: str
    title: str
    department: str
    year: int | None
    table: str | None
    section: str
    row: str | None
    column: str | None
    page: int | None
    line: int | None
    quote: str
    file: str = ""  # source file name: page numbers restart in each file of a split disclosure


@dataclass(frozen=True)
class Comparison:
    """One department's line of an answer over many documents (CONTRACT.md §1, optional):
    the figure as printed, the figure compared (万元 for money) and its citation's number."""

    department: str
    year: int | None
    kind: str
    value: float
    unit: str
    compared: float
    citation: int


@dataclass(frozen=True)
class Related:
    """A cited figure near what was asked, offered beside an abstention (CONTRACT.md §1,
    optional): shown so a reader can look further, never one of the answer's `values`."""

    value: float
    unit: str
    label: str
    citation: Citation


@dataclass
class Answer:
    question: str
    route: str  # table | text | none
    abstained: bool
    answer: str
    values: list[Value] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    elapsed_ms: float = 0.0
    # Not part of the contract's required fields; extra fields are allowed by it.
    needs_review: bool = False
    confidence: str = ""  # high | medium | low (CONTRACT.md §1, optional), set by qa.pipeline.ask
    related: list[Related] = field(default_factory=list)  # on an abstention only
    comparison: list[Comparison] = field(default_factory=list)  # a question over many departments

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
