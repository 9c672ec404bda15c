"""The domain vocabulary in one place: standard table types, column roles, units, total rows.

Regions print the national templates under many titles (财务收支预算总表 / 部门收支总表 /
收支预算总表 / 收入支出决算总表), so a printed table is mapped to a canonical type by the
words its title carries, never by its 公开NN number or its position. The printed title,
labels and codes stay on every fact for citing; the canonical type and column role are what
lookup, self-checks and comparisons across documents use.

Matching is ordered: the first type whose rule matches a folded title wins, so narrower
tables (三公, 政府采购, 基本支出) are tried before the broad ones (收入总表, 支出总表).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from juesuan_qa.textutil import fold


@dataclass(frozen=True)
class TableType:
    """One table of the national templates; `budget`/`final` are its names in 预算 / 决算."""

    key: str
    budget: str
    final: str
    all_of: tuple[str, ...] = ()  # every word must be in the title
    any_of: tuple[str, ...] = ()  # at least one of these (when given)
    none_of: tuple[str, ...] = ()  # none of these

    def matches(self, title: str) -> bool:
        return (all(w in title for w in self.all_of)
                and (not self.any_of or any(w in title for w in self.any_of))
                and not any(w in title for w in self.none_of))

    def name(self, kind: str) -> str:
        return self.final if kind == "决算" else self.budget


TABLE_TYPES: tuple[TableType, ...] = (
    TableType("performance", "绩效目标表", "绩效目标表", any_of=("绩效",)),
    TableType("sangong", "三公经费表", "三公经费支出决算表", any_of=("三公",)),
    TableType("operating_costs", "机关运行经费表", "机关运行经费支出决算表", all_of=("机关运行经费",)),
    TableType("procurement", "政府采购表", "政府采购情况表", any_of=("政府采购", "采购预算", "采购明细")),
    TableType("assets", "国有资产占用情况表", "国有资产占用情况表", any_of=("资产占用", "资产情况")),
    # a title naming one fund is that fund's table, 收支总表 included; naming two is a table of both
    TableType("gov_fund", "政府性基金支出表", "政府性基金预算财政拨款收入支出决算表", any_of=("政府性基金",),
              none_of=("一般公共预算", "国有资本")),
    TableType("state_capital", "国有资本经营支出表", "国有资本经营预算财政拨款支出决算表",
              any_of=("国有资本经营",), none_of=("一般公共预算", "政府性基金")),
    TableType("projects", "项目支出表", "项目支出决算表", any_of=("项目支出", "项目预算", "项目明细", "专项资金", "专项业务经费"),
              none_of=("基本支出",)),
    TableType("gpb_basic", "一般公共预算基本支出表", "一般公共预算财政拨款基本支出决算表",
              all_of=("基本支出", "一般公共预算")),
    TableType("fiscal_basic", "财政拨款基本支出表", "财政拨款基本支出决算表", all_of=("基本支出", "财政拨款")),
    TableType("economic", "支出经济分类表", "支出经济分类决算表", any_of=("经济分类",)),
    TableType("fiscal_totals", "财政拨款收支总表", "财政拨款收入支出决算总表", all_of=("财政拨款",),
              any_of=("收支", "收入支出")),
    TableType("fiscal_expenditure", "财政拨款支出表", "财政拨款支出决算表", all_of=("财政拨款", "支出"),
              none_of=("收入", "收支", "一般公共预算")),
    TableType("gpb_expenditure", "一般公共预算支出表", "一般公共预算财政拨款支出决算表", all_of=("一般公共预算", "支出"),
              none_of=("收入",)),
    TableType("basic", "基本支出表", "基本支出决算表", all_of=("基本支出",)),
    TableType("totals", "收支总表", "收入支出决算总表", any_of=("收支总", "收入支出总", "收支预算总", "收支情况",
                                                         "收支决算", "收入支出决算", "收支预算表")),
    TableType("revenue", "收入总表", "收入决算表", all_of=("收入",), none_of=("支出",)),
    TableType("expenditure", "支出总表", "支出决算表", all_of=("支出",), none_of=("收入",)),
)
TYPES_BY_KEY = {t.key: t for t in TABLE_TYPES}
# tables that print only the 基本支出 part of an item (an economic row there leaves out projects)
BASIC_ONLY = frozenset({"gpb_basic", "fiscal_basic", "basic"})
_NAMES = {name: t.key for t in TABLE_TYPES for name in (t.budget, t.final)}

_NOISE = re.compile(r"^\d{4}年度?|[“”\"（）()]|公开\d{1,2}表|表\d{1,2}")


def table_type(title: str) -> str | None:
    """The canonical type key of a printed table title, or None when it is no standard table."""
    text = _NOISE.sub("", fold(title))
    return next((t.key for t in TABLE_TYPES if t.matches(text)), None)


def type_key(name: str) -> str | None:
    """A canonical type given by its Chinese name (as in hand-made truth files), or by its key."""
    if name in TYPES_BY_KEY:
        return name
    return _NAMES.get(name) or table_type(name)


def type_name(key: str | None, kind: str = "预算") -> str:
    return TYPES_BY_KEY[key].name(kind) if key in TYPES_BY_KEY else ""


# ---- total rows and columns ----

GRAND_ROWS = frozenset({"合计", "总计"})  # a table's whole, as a row label
SIDE_TOTALS = frozenset({"总计", "收入总计", "支出总计", "收入合计", "支出合计"})  # a 收入/支出 side's whole
TOTAL_COLUMNS = frozenset({"合计", "小计", "总计", "本年收入合计", "本年支出合计", "收入总计", "支出总计", "三公经费合计"})
# the column a question means when it names none, in order of preference
DEFAULT_COLUMNS = ("合计", "小计", "金额", "决算数", "统计数")


# ---- column roles ----

# A printed column header segment → its canonical role. A column path holds several
# (本年支出 / 基本支出 / 人员经费): time, then amount, then funding source.
COLUMN_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("增减", ("增减", "增长", "变动", "比上年", "较上年")),
    ("上年结转", ("上年结转", "年初结转", "上年结余")),
    ("年末结转", ("年末结转", "结转和结余", "结余")),
    ("上年数", ("上年", "去年")),
    ("年初预算", ("年初预算",)),
    ("调整预算", ("调整预算", "调整后预算")),
    ("决算数", ("决算",)),
    ("人员经费", ("人员经费", "人员支出", "工资福利")),
    ("公用经费", ("公用经费", "公用支出", "日常公用")),
    ("基本支出", ("基本支出",)),
    ("项目支出", ("项目支出", "专项业务经费")),  # 西安's 部门综合预算 name project spending 专项业务经费
    ("政府性基金", ("政府性基金",)),
    ("国有资本经营", ("国有资本经营",)),
    ("一般公共预算", ("一般公共预算",)),
    ("财政拨款", ("财政拨款",)),
    ("财政专户", ("财政专户",)),
    ("政府采购", ("政府采购",)),
    ("事业收入", ("事业收入",)),
    ("经营收入", ("经营收入",)),
    ("上级补助", ("上级补助",)),
    ("附属单位上缴", ("附属单位上缴", "附属单位缴款")),
    ("上年结转", ("结转",)),
    ("其他收入", ("其他收入", "其他资金", "单位资金")),
    ("合计", ("合计", "小计", "总计", "金额")),
    ("本年数", ("本年", "当年", "预算数", "预算")),
)

# Columns that print a subset of the row beside its parts, never a part of its total: 其中 items,
# amounts 扣除 or 预留 out of another, and 政府采购 (a way of spending, across 基本 and 项目).
MEMO_COLUMN = re.compile(r"^其中|扣除|预留|政府采购")

# A header naming a time or a measure over a group of columns: 当年 | 上年 | 增减变化情况 over the
# same items, 2025年预算数 beside 2026年预算数. Each group is a table of its own beside the others.
COLUMN_GROUP = re.compile(r"^(?:当年|本年|上年|去年|增减|比上年|较上年)|20\d{2}年|增减变化|变动情况")


def column_group(column: str) -> str:
    """The time or measure group a column path sits under ("" when none or when it is the column
    itself): 上年/公务接待费 → 上年."""
    head, _, rest = column.partition("/")
    return head if rest and COLUMN_GROUP.search(fold(head)) else ""


def column_role(column: str) -> str:
    """The canonical roles of a column path, one per segment, "/"-joined in the order printed
    ("" when none): 本年支出/基本支出/人员经费 → 本年数/基本支出/人员经费; 2026年政府采购项目 → "".
    A column named by a year (2025年预算数) is 上年数 or 本年数 only against the document's year,
    which the lookup knows and this mapping does not."""
    roles: list[str] = []
    for segment in fold(column).split("/"):
        role = next((name for name, words in COLUMN_ROLES if any(w in segment for w in words)), "")
        if role and role not in roles:
            roles.append(role)
    return "/".join(roles)


# ---- funding scope (资金口径) ----

# Scope words as questions and tables print them, narrowest first; 财政拨款 holds the other three.
SCOPES = ("政府性基金", "国有资本经营", "一般公共预算", "财政拨款")
_TYPE_SCOPE = {"gov_fund": "政府性基金", "state_capital": "国有资本经营", "gpb_expenditure": "一般公共预算",
               "gpb_basic": "一般公共预算", "fiscal_totals": "财政拨款", "fiscal_expenditure": "财政拨款",
               "fiscal_basic": "财政拨款"}
_WITHIN = {"一般公共预算": "财政拨款", "政府性基金": "财政拨款", "国有资本经营": "财政拨款"}


def scope_of_type(key: str | None) -> str:
    """The funding scope a canonical table covers ("" for all funds)."""
    return _TYPE_SCOPE.get(key or "", "")


def scope_named(text: str) -> str:
    """The funding scope a question names ("" when none): the narrowest scope word in it."""
    folded = fold(text)
    return next((scope for scope in SCOPES if scope in folded), "")


_SCOPE_ROW = re.compile(r"^(?:其中:?)?(" + "|".join(SCOPES) + r")(?:预算)?(?:财政)?(?:拨款|资金)?(?:收入)?$")


def scope_row(label: str) -> str:
    """The funding scope a row names when the row is that source of funds (1、一般公共预算,
    一般公共预算拨款收入, 政府性基金预算资金), "" otherwise: a question asking for the scope's
    收入 means that row."""
    match = _SCOPE_ROW.match(fold(label))
    return match.group(1) if match else ""


def within_scope(inner: str, outer: str) -> bool:
    return inner == outer or _WITHIN.get(inner) == outer


# ---- items and units ----

# Items the web's comparison view offers across departments and years (any item can be asked).
COMPARABLE_ITEMS = ("收支总计", "基本支出", "项目支出", "三公经费", "因公出国（境）费用", "公务接待费",
                    "公务用车购置及运行维护费", "机关运行经费", "政府采购预算总额")

# A table part that is a 预算单位's block (深圳: one block per unit), by the agency word it ends in.
_UNIT_PART = re.compile(r"^.{2,40}?(?:局|中心|处|所|院|站|馆|队|委员会|委|办公室|办|学校|学院|医院|公司)(?:[（(].*[）)])?$")


# Tables and words that cover one part of a department's money: their whole is not the
# department's whole, so it answers only a question that names them.
SUBSET_TYPES = {"procurement": ("政府采购", "采购"), "sangong": ("三公",), "operating_costs": ("机关运行经费",),
                "gov_fund": ("政府性基金",), "state_capital": ("国有资本经营",)}
SUBSET_WORDS = tuple(dict.fromkeys(w for words in SUBSET_TYPES.values() for w in words))
# how an economic item's name ends (咨询费, 办公设备购置, 生活补助): a phrase of the question shaped
# like this names an item, whether or not any table prints it
ITEM_ENDINGS = re.compile(r"(?:费|补助|补贴|工资|奖金|津贴|保险|缴费|购置|维护|租赁|债券|债券资金|专项资金|项目)$")
# 哪个项目, 各项目, 该项目: a pointer at an item, not part of an item's name
POINTER_WORDS = re.compile(r"^(?:(?:哪|什么|几|多少|各|每|所有|全部)(?:个|些|类|部门|单位)?|(?:这|那|该|此)(?:个|些|类|部门|单位)?)")


def is_unit_part(part: str) -> bool:
    return bool(_UNIT_PART.match(fold(part)))


@lru_cache(maxsize=1 << 16)
def item_form(label: str) -> str:
    """A row label in the form its variants share: 因公出国(境)费 and 因公出国（境）费用 are one item,
    as are 公务用车(购置及)运行维护费 and 公务用车(购置及)运行费 (both spellings of the templates)."""
    return re.sub(r"费用(?=$|/)", "费", fold(label)).replace("运行维护费", "运行费")


# ---- what disclosures never hold ----

# Questions about people, contacts, opinions and the future: a 预算/决算 disclosure states
# figures and what they are for, never these, so a passage that merely shares a word is no answer.
NEVER_DISCLOSED = (
    ("人员姓名", r"(?:局长|主任|书记|厅长|处长|部长|科长|院长|队长|领导|负责人|主管)(?:是谁|叫什么|姓什么|的名字|名字|是哪位)"
                 r"|叫什么名字|姓名是"),
    ("联系方式", r"(?:电话|手机|邮箱|传真)(?:号码?)?(?:是多少|是什么|多少|怎么联系)|联系方式|怎么联系|办公地址"),
    ("观点评价", r"怎么看|如何评价|你认为|你觉得|好不好|合理吗|是否合理|值不值"),
    ("未来事项", r"(?:明年|后年|将来|未来|下一年|以后)[^会]{0,8}会(?![议计员])"),
)


def never_disclosed(question: str) -> str:
    """The kind of thing a question asks that no disclosure holds ("" when it asks a disclosed thing)."""
    folded = fold(question)
    return next((kind for kind, pattern in NEVER_DISCLOSED if re.search(pattern, folded)), "")



# The words a disclosure states a change or a comparison with, and which way each goes: the one home
# of this vocabulary for why-answers (qa.causes) and the audit's direction rule (audit_wording).
DIRECTION_WORDS = {"增加": "增", "增长": "增", "上升": "增", "提高": "增", "调增": "增", "增幅": "增",
                   "大于": "增", "超过": "增", "高于": "增",
                   "减少": "减", "下降": "减", "降低": "减", "压减": "减", "调减": "减", "减幅": "减",
                   "小于": "减", "低于": "减",
                   "持平": "平"}
