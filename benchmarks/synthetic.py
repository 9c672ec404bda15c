"""Synthetic 决算 disclosures for scale benchmarks: the seed's layout, other departments, years and figures.

    python benchmarks/synthetic.py N OUT_DIR [--seed S]

Each file copies the seed (corpus/jincheng-bigdata-2023-juesuan.md, read at run time) line for
line: cover, 目录, 职责, the ten 公开 tables, the 情况说明 headings, 名词解释 and the 13 project
sheets. What changes:

* the department (one of ~40 cities × 30 agencies) and year (2019–2025), substituted in every
  line kept from the seed (years shift by the same offset, so 2022 stays "the year before");
* every figure of 公开01–06, 09 and 10, drawn at random and then added up: leaf 项 amounts are
  drawn, each 款/类/合计 is the sum of its children, 基本支出 + 项目支出 = 合计, 收入 = 支出,
  人员经费 + 公用经费 = 基本支出, the 三公 total is the sum of its items, and the functional
  subjects paid from 基本支出 (养老保险, 医疗, 住房公积金) equal their economic items in 公开06;
* the prose of 第三部分 情况说明, rewritten under the seed's own headings with every figure
  recomputed from the tables (totals, 占比 and 完成率 to two decimals, year-on-year changes
  against a drawn previous year).

Amounts are integer hundredths of 万元 until printed, so every total is exact; only printed percentages round.
The project sheets keep the seed's figures (they are not tied to the tables in the seed
either); the prose that counts them (13 个, 6 优 …) still matches them.

Deterministic: the same seed gives byte-identical files, and document i does not depend on
how many documents are generated (generate(1) is the first file of generate(1000)).
"""

from __future__ import annotations

import argparse
import functools
import math
import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_FILE = ROOT / "corpus" / "jincheng-bigdata-2023-juesuan.md"
SEED_DEPARTMENT = "晋城市大数据应用局"
SEED_CITY = "晋城市"
SEED_YEAR = 2023
YEARS = tuple(range(2019, 2026))

CITIES = (
    "太原市",
    "大同市",
    "阳泉市",
    "长治市",
    "晋城市",
    "朔州市",
    "晋中市",
    "运城市",
    "忻州市",
    "临汾市",
    "吕梁市",
    "石家庄市",
    "唐山市",
    "保定市",
    "邯郸市",
    "郑州市",
    "洛阳市",
    "开封市",
    "济南市",
    "青岛市",
    "烟台市",
    "潍坊市",
    "南京市",
    "苏州市",
    "无锡市",
    "常州市",
    "杭州市",
    "宁波市",
    "温州市",
    "合肥市",
    "芜湖市",
    "福州市",
    "厦门市",
    "南昌市",
    "长沙市",
    "株洲市",
    "武汉市",
    "宜昌市",
    "成都市",
    "西安市",
)


@dataclass(frozen=True)
class Agency:
    name: str
    kuan: str  # 款 code (5 digits); its 类 is the first three
    kuan_name: str
    item: str  # the agency's own 项 (7 digits), paid from 项目支出
    item_name: str


AGENCIES = (
    Agency("大数据应用局", "20105", "统计信息事务", "2010504", "信息事务"),
    Agency("教育局", "20501", "教育管理事务", "2050102", "一般行政管理事务"),
    Agency("审计局", "20108", "审计事务", "2010804", "审计业务"),
    Agency("统计局", "20105", "统计信息事务", "2010505", "专项统计业务"),
    Agency("财政局", "20106", "财政事务", "2010607", "信息化建设"),
    Agency("发展和改革委员会", "20104", "发展与改革事务", "2010402", "一般行政管理事务"),
    Agency("司法局", "20406", "司法", "2040604", "基层司法业务"),
    Agency("公安局", "20402", "公安", "2040202", "一般行政管理事务"),
    Agency("科学技术局", "20601", "科学技术管理事务", "2060102", "一般行政管理事务"),
    Agency("文化和旅游局", "20701", "文化和旅游", "2070109", "群众文化"),
    Agency("人力资源和社会保障局", "20801", "人力资源和社会保障管理事务", "2080109", "社会保险经办机构"),
    Agency("民政局", "20802", "民政管理事务", "2080208", "基层政权建设和社区治理"),
    Agency("卫生健康委员会", "21001", "卫生健康管理事务", "2100102", "一般行政管理事务"),
    Agency("生态环境局", "21101", "环境保护管理事务", "2110102", "一般行政管理事务"),
    Agency("住房和城乡建设局", "21201", "城乡社区管理事务", "2120104", "城管执法"),
    Agency("农业农村局", "21301", "农业农村", "2130106", "科技转化与推广服务"),
    Agency("水利局", "21303", "水利", "2130306", "水利工程运行与维护"),
    Agency("交通运输局", "21401", "公路水路运输", "2140106", "公路养护"),
    Agency("工业和信息化局", "21505", "工业和信息产业监管", "2150599", "其他工业和信息产业监管支出"),
    Agency("自然资源和规划局", "22001", "自然资源事务", "2200106", "自然资源利用与保护"),
    Agency("应急管理局", "22401", "应急管理事务", "2240106", "安全监管"),
    Agency("市场监督管理局", "20138", "市场监督管理事务", "2013804", "市场主体管理"),
    Agency("档案局", "20126", "档案事务", "2012604", "档案馆"),
    Agency("退役军人事务局", "20828", "退役军人管理事务", "2082804", "拥军优属"),
    Agency("医疗保障局", "21015", "医疗保障管理事务", "2101504", "信息化建设"),
    Agency("气象局", "22005", "气象事务", "2200504", "气象事业机构"),
    Agency("商务局", "20113", "商贸事务", "2011308", "招商引资"),
    Agency("林业局", "21302", "林业和草原", "2130234", "林业草原防灾减灾"),
    Agency("行政审批服务管理局", "20103", "政府办公厅（室）及相关机构事务", "2010302", "一般行政管理事务"),
    Agency("体育局", "20703", "体育", "2070307", "体育场馆"),
)

CLASS_NAMES = {
    "201": "一般公共服务支出",
    "204": "公共安全支出",
    "205": "教育支出",
    "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "210": "卫生健康支出",
    "211": "节能环保支出",
    "212": "城乡社区支出",
    "213": "农林水支出",
    "214": "交通运输支出",
    "215": "资源勘探工业信息等支出",
    "220": "自然资源海洋气象等支出",
    "221": "住房保障支出",
    "224": "灾害防治及应急管理支出",
}
# The functional subjects every unit pays from 基本支出, each the twin of an economic item in 公开06.
COMMON_SUBJECTS = {  # code: (款 code, 款 name, 项 name, economic code)
    "2080505": ("20805", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出", "30108"),
    "2080506": ("20805", "行政事业单位养老支出", "机关事业单位职业年金缴费支出", "30109"),
    "2101101": ("21011", "行政事业单位医疗", "行政单位医疗", "30110"),
    "2101103": ("21011", "行政事业单位医疗", "公务员医疗补助", "30111"),
    "2210201": ("22102", "住房改革支出", "住房公积金", "30113"),
}

# 公开06 economic items: code → (name, probability it is non-zero, 万元 per staff member low/high)
PERSONNEL_ITEMS = {
    "30101": ("基本工资", 1.0, 3.0, 4.5),
    "30102": ("津贴补贴", 1.0, 1.0, 3.0),
    "30103": ("奖金", 0.8, 0.2, 1.0),
    "30106": ("伙食补助费", 0.2, 0.05, 0.3),
    "30107": ("绩效工资", 0.7, 0.1, 2.0),
    "30114": ("医疗费", 0.1, 0.01, 0.1),
    "30199": ("其他工资福利支出", 0.6, 0.05, 0.5),
}
# shares of the wage base (基本工资 + 津贴补贴 + 奖金 + 绩效工资)
CONTRIBUTIONS = {
    "30108": ("机关事业单位基本养老保险缴费", 1.0, 0.16, 0.16),
    "30109": ("职业年金缴费", 0.6, 0.08, 0.08),
    "30110": ("职工基本医疗保险缴费", 1.0, 0.06, 0.09),
    "30111": ("公务员医疗补助缴费", 0.8, 0.02, 0.04),
    "30112": ("其他社会保障缴费", 0.9, 0.003, 0.01),
    "30113": ("住房公积金", 1.0, 0.12, 0.12),
}
FAMILY_ITEMS = {
    "30302": ("退休费", 0.3, 0.05, 0.6),
    "30305": ("生活补助", 0.2, 0.01, 0.1),
    "30309": ("奖励金", 0.4, 0.001, 0.02),
    "30399": ("其他对个人和家庭的补助", 0.1, 0.01, 0.1),
}
GOODS_ITEMS = {
    "30201": ("办公费", 0.95, 0.05, 0.3),
    "30202": ("印刷费", 0.4, 0.01, 0.1),
    "30203": ("咨询费", 0.2, 0.01, 0.2),
    "30205": ("水费", 0.5, 0.005, 0.03),
    "30206": ("电费", 0.6, 0.02, 0.1),
    "30207": ("邮电费", 0.7, 0.005, 0.05),
    "30208": ("取暖费", 0.4, 0.02, 0.1),
    "30209": ("物业管理费", 0.5, 0.05, 0.3),
    "30211": ("差旅费", 0.9, 0.02, 0.2),
    "30213": ("维修（护）费", 0.6, 0.01, 0.2),
    "30214": ("租赁费", 0.2, 0.02, 0.3),
    "30215": ("会议费", 0.5, 0.005, 0.05),
    "30216": ("培训费", 0.5, 0.005, 0.05),
    "30218": ("专用材料费", 0.2, 0.01, 0.1),
    "30226": ("劳务费", 0.5, 0.02, 0.3),
    "30227": ("委托业务费", 0.3, 0.05, 0.5),
    "30228": ("工会经费", 0.9, 0.03, 0.08),
    "30229": ("福利费", 0.8, 0.02, 0.1),
    "30239": ("其他交通费用", 0.8, 0.1, 0.4),
    "30299": ("其他商品和服务支出", 0.8, 0.02, 0.3),
}
SANGONG_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
SANGONG_CODES = {
    "因公出国（境）费": "30212",
    "公务用车购置费": "31013",
    "公务用车运行维护费": "30231",
    "公务接待费": "30217",
}
VEHICLE_ROWS = (
    "1. 副部(省)级及以上领导用车",
    "2. 主要负责人用车",
    "3. 机要通信用车",
    "4. 应急保障用车",
    "5. 执法执勤用车",
    "6. 特种专业技术用车",
    "7. 离退休干部服务用车",
    "8. 其他用车",
)
VEHICLE_WORDS = (
    "副部（省）级及以上领导用车",
    "主要负责人用车",
    "机要通信用车",
    "应急保障用车",
    "执法执勤用车",
    "特种专业技术用车",
    "离退休干部服务用车",
)
GRADE_COUNTS = "6个项目自评等级为“优”，1个项目自评等级为“良”，3个项目自评等级为“中”，3个项目自评等级为“差”"

_YEAR = re.compile(r"(?<![\d.,〔])(20[0-3]\d)(?![\d〕])")
_CN_NUMBER = re.compile(r"^[一二三四五六七八九十]+、")


# ---- the figures of one disclosure ----


@dataclass
class Subject:
    code: str
    name: str
    basic: int = 0  # hundredths of 万元, from 一般公共预算财政拨款
    project: int = 0  # hundredths of 万元, from 一般公共预算财政拨款
    other: int = 0  # hundredths of 万元, project spending paid from 其他收入

    @property
    def total(self) -> int:
        return self.basic + self.project + self.other

    @property
    def fiscal(self) -> int:
        return self.basic + self.project


@dataclass
class Figures:
    """Everything printed about one synthetic disclosure; amounts in integer hundredths of 万元."""

    index: int
    city: str
    agency: Agency
    year: int
    subjects: dict[str, Subject]  # 7-digit 项 codes
    names: dict[str, str]  # every subject code (类 / 款 / 项) → name
    economic: dict[str, int]  # 公开06 codes → amount (group totals included)
    economic_names: dict[str, str]
    sangong_budget: dict[str, int]
    sangong_final: dict[str, int]
    sangong_previous: dict[str, int]
    vehicles: dict[str, int]  # VEHICLE_ROWS label → count
    vehicles_bought: int
    equipment: int  # 单价100万元以上设备 (台)
    procurement: dict[str, int]  # 货物 / 工程 / 服务
    procurement_sme: int
    procurement_small: int
    previous_total: int
    previous_fiscal: int
    previous_general: int
    previous_running: int
    budgets: dict[str, int]  # 类 code → 年初预算
    trips: tuple[int, int]  # 出国团组, 人次
    receptions: tuple[int, int]  # 批次, 人次

    @property
    def department(self) -> str:
        return self.city + self.agency.name

    @property
    def doc_name(self) -> str:
        return f"syn-{self.index:04d}-{self.year}-juesuan"

    # ---- totals derived from the subjects (never stored, so they cannot disagree) ----

    def subject_sum(self, prefix: str, kind: str) -> int:
        return sum(getattr(s, kind) for code, s in self.subjects.items() if code.startswith(prefix))

    @property
    def total(self) -> int:
        return self.subject_sum("", "total")

    @property
    def fiscal(self) -> int:
        return self.subject_sum("", "fiscal")

    @property
    def other_income(self) -> int:
        return self.subject_sum("", "other")

    @property
    def basic(self) -> int:
        return self.subject_sum("", "basic")

    @property
    def project(self) -> int:
        return self.subject_sum("", "project") + self.other_income

    @property
    def personnel(self) -> int:
        return self.economic.get("301", 0) + self.economic.get("303", 0)

    @property
    def public(self) -> int:
        return self.economic.get("302", 0) + self.economic.get("310", 0)

    @property
    def classes(self) -> list[str]:
        return sorted({code[:3] for code in self.subjects})

    @property
    def procurement_total(self) -> int:
        return sum(self.procurement.values())

    @property
    def vehicle_total(self) -> int:
        return sum(self.vehicles.values())


def _draw(rng: random.Random, low: float, high: float) -> int:
    """A random amount in [low, high] 万元, as integer hundredths of 万元."""
    return int(round(rng.uniform(low, high) * 100))


def _log_draw(rng: random.Random, low: float, high: float) -> int:
    return int(round(10 ** rng.uniform(math.log10(low), math.log10(high)) * 100))


@functools.cache
def combinations(seed: int) -> tuple[tuple[str, Agency, int], ...]:
    """Every (city, agency, year), in a fixed shuffled order for this seed."""
    combos = [(city, agency, year) for city in CITIES for agency in AGENCIES for year in YEARS]
    random.Random(f"juesuan-synthetic-combos:{seed}").shuffle(combos)
    return tuple(combos)


def figures(index: int, seed: int = 0) -> Figures:
    """The figures of document `index` for `seed`; independent of how many documents are made."""
    combos = combinations(seed)
    if index >= len(combos):
        raise ValueError(f"at most {len(combos)} distinct synthetic departments × years")
    city, agency, year = combos[index]
    rng = random.Random(f"juesuan-synthetic:{seed}:{index}")
    staff = rng.randint(8, 150)

    economic: dict[str, int] = {}
    names: dict[str, str] = {}

    def per_staff(items: dict[str, tuple[str, float, float, float]]) -> None:
        for code, (name, chance, low, high) in items.items():
            names[code] = name
            if rng.random() < chance:
                economic[code] = max(1, _draw(rng, low * staff, high * staff))

    per_staff(PERSONNEL_ITEMS)
    wage_base = sum(economic.get(c, 0) for c in ("30101", "30102", "30103", "30107"))
    for code, (name, chance, low, high) in CONTRIBUTIONS.items():
        names[code] = name
        if rng.random() < chance:
            economic[code] = max(1, int(round(wage_base * rng.uniform(low, high))))
    per_staff(FAMILY_ITEMS)
    per_staff(GOODS_ITEMS)

    # vehicles first: running costs follow the fleet
    vehicles = {row: 0 for row in VEHICLE_ROWS}
    if rng.random() < 0.6:
        for _ in range(rng.randint(1, 6)):
            vehicles[rng.choice(VEHICLE_ROWS[1:])] += 1
    fleet = sum(vehicles.values())
    final = {item: 0 for item in SANGONG_ITEMS}
    if rng.random() < 0.15:
        final["因公出国（境）费"] = _draw(rng, 1, 15)
    bought = 0
    if fleet and rng.random() < 0.15:
        bought = 1
        final["公务用车购置费"] = _draw(rng, 12, 28)
    if fleet:
        final["公务用车运行维护费"] = _draw(rng, 0.8 * fleet, 3.0 * fleet)
    if rng.random() < 0.7:
        final["公务接待费"] = _draw(rng, 0.1, 5)
    budget = {
        item: int(round(v * rng.uniform(1.0, 1.3)))
        if v
        else (0 if rng.random() < 0.8 else _draw(rng, 0.5, 3))
        for item, v in final.items()
    }
    previous = {
        item: 0 if rng.random() < 0.2 else int(round((v or _draw(rng, 0.5, 3)) * rng.uniform(0.6, 1.4)))
        for item, v in final.items()
    }
    for item, code in SANGONG_CODES.items():
        names[code] = {
            "30212": "因公出国（境）费用",
            "31013": "公务用车购置",
            "30231": "公务用车运行维护费",
            "30217": "公务接待费",
        }[code]
        if final[item]:
            economic[code] = final[item]
        else:
            economic.pop(code, None)
    names["31002"] = "办公设备购置"
    if rng.random() < 0.4:
        economic["31002"] = _draw(rng, 0.5, 20)
    for group, name, members in (
        ("301", "工资福利支出", ("301",)),
        ("302", "商品和服务支出", ("302",)),
        ("303", "对个人和家庭的补助", ("303",)),
        ("310", "资本性支出", ("310",)),
    ):
        names[group] = name
        economic[group] = sum(v for c, v in economic.items() if len(c) == 5 and c.startswith(members))

    # functional subjects: 基本支出 paid under the agency's 行政运行 and the common subjects
    subjects: dict[str, Subject] = {}
    subject_names = {agency.kuan[:3]: CLASS_NAMES[agency.kuan[:3]], agency.kuan: agency.kuan_name}
    for code, (kuan, kuan_name, item_name, twin) in COMMON_SUBJECTS.items():
        if economic.get(twin):
            subjects[code] = Subject(code, item_name, basic=economic[twin])
            subject_names[code[:3]] = CLASS_NAMES[code[:3]]
            subject_names[kuan] = kuan_name
            subject_names[code] = item_name
    basic_total = economic["301"] + economic["302"] + economic["303"] + economic["310"]
    running = agency.kuan + "01"
    subjects[running] = Subject(
        running, "行政运行", basic=basic_total - sum(s.basic for s in subjects.values())
    )
    subject_names[running] = "行政运行"
    scale = rng.choice((0.3, 1.0, 3.0))
    main = Subject(agency.item, agency.item_name, project=_log_draw(rng, 30 * scale, 3000 * scale))
    subjects[agency.item] = main
    subject_names[agency.item] = agency.item_name
    if rng.random() < 0.5:
        code = agency.kuan + "50"
        subjects[code] = Subject(code, "事业运行", project=_log_draw(rng, 20 * scale, 600 * scale))
        subject_names[code] = "事业运行"
    general = agency.kuan + "02"
    if general != agency.item and rng.random() < 0.4:
        subjects[general] = Subject(
            general, "一般行政管理事务", project=_log_draw(rng, 5 * scale, 200 * scale)
        )
        subject_names[general] = "一般行政管理事务"
    if rng.random() < 0.25:  # part of the agency's own project paid from 其他收入
        main.other = int(round(main.project * rng.uniform(0.03, 0.2)))
        main.project -= main.other
    subjects = dict(sorted(subjects.items()))

    fiscal = sum(s.fiscal for s in subjects.values())
    project_total = sum(s.project + s.other for s in subjects.values())
    goods = int(project_total * rng.uniform(0.002, 0.05)) if rng.random() < 0.8 else 0
    works = int(project_total * rng.uniform(0.02, 0.2)) if rng.random() < 0.2 else 0
    services = int(project_total * rng.uniform(0.05, 0.5)) if rng.random() < 0.85 else 0
    procurement = {"货物": goods, "工程": works, "服务": services}
    sme = int((goods + works + services) * rng.uniform(0.6, 1.0))
    small = int(sme * rng.uniform(0.5, 1.0))
    general_previous = int(fiscal * rng.uniform(0.6, 1.4))
    fiscal_previous = general_previous + (int(fiscal * rng.uniform(0.02, 0.2)) if rng.random() < 0.2 else 0)
    previous_total = fiscal_previous + int(fiscal * rng.uniform(0, 0.1)) * (1 if rng.random() < 0.3 else 0)
    budgets = {}
    for cls in sorted({c[:3] for c in subjects}):
        spent = sum(s.fiscal for c, s in subjects.items() if c.startswith(cls))
        budgets[cls] = (
            spent if cls != agency.kuan[:3] and rng.random() < 0.7 else int(spent * rng.uniform(0.8, 1.3))
        )
    trips = (rng.randint(1, 3), 0) if final["因公出国（境）费"] else (0, 0)
    trips = (trips[0], trips[0] * rng.randint(2, 5)) if trips[0] else trips
    batches = rng.randint(2, 40) if final["公务接待费"] else 0
    return Figures(
        index=index,
        city=city,
        agency=agency,
        year=year,
        subjects=subjects,
        names=subject_names,
        economic={c: v for c, v in economic.items() if v},
        economic_names=names,
        sangong_budget=budget,
        sangong_final=final,
        sangong_previous=previous,
        vehicles=vehicles,
        vehicles_bought=bought,
        equipment=rng.choice((0, 0, 0, 1, 2)),
        procurement=procurement,
        procurement_sme=sme,
        procurement_small=small,
        previous_total=previous_total,
        previous_fiscal=fiscal_previous,
        previous_general=general_previous,
        previous_running=int((economic["302"] + economic["310"]) * rng.uniform(0.6, 1.4)),
        budgets=budgets,
        trips=trips,
        receptions=(batches, batches * rng.randint(3, 12)),
    )


# ---- printing ----


def money(amount: int, *, blank_zero: bool = True, separators: bool = True) -> str:
    """A 万元 amount as the seed prints it: 7,176.23 in tables (blank for zero), 0 in prose."""
    if amount == 0:
        return "" if blank_zero else "0"
    whole, cents = divmod(abs(amount), 100)
    text = f"{whole:,}" if separators else str(whole)
    return ("-" if amount < 0 else "") + f"{text}.{cents:02d}"


def prose_money(amount: int) -> str:
    return money(amount, blank_zero=False)


def share(part: int, whole: int) -> str:
    """A percentage with two decimals, as the prose prints 占比 (0% for nothing)."""
    if not whole or not part:
        return "0%"
    return f"{part * 100 / whole:.2f}%"


def change(current: int, previous: int, subject: str, sep: str = "，") -> str:
    """与上年相比 clause: 收入总计减少1,264.10万元，下降14.98%."""
    delta = current - previous
    if delta == 0:
        return f"{subject}与上年持平"
    verb, rate = ("增加", "增长") if delta > 0 else ("减少", "下降")
    text = f"{subject}{verb}{prose_money(abs(delta))}万元"
    if previous:
        text += f"{sep}{rate}{abs(delta) * 100 / previous:.2f}%"
    return text


def direction(current: int, previous: int) -> str:
    return "增加" if current > previous else ("减少" if current < previous else "持平")


def _cells(line: str, width: int) -> list[str]:
    cells = line.split("\t")
    return cells + [""] * (width - len(cells))


def _label(cell: str) -> str:
    return _CN_NUMBER.sub("", cell.strip())


class Writer:
    """One synthetic disclosure, written over the seed's lines."""

    def __init__(self, f: Figures) -> None:
        self.f = f
        self.shift = f.year - SEED_YEAR

    # -- text kept from the seed --

    def substitute(self, line: str) -> str:
        f = self.f
        line = line.replace(SEED_DEPARTMENT, f.department)
        line = line.replace(SEED_CITY, f.city).replace(SEED_CITY[:-1], f.city[:-1])
        return _YEAR.sub(lambda m: str(int(m.group(1)) + self.shift), line)

    # -- tables --

    def class_amounts(self, kind: str) -> dict[str, int]:
        return {CLASS_NAMES[c]: self.f.subject_sum(c, kind) for c in self.f.classes}

    def table_01(self, body: list[str]) -> list[str]:
        f = self.f
        income = {
            "一般公共预算财政拨款收入": f.fiscal,
            "其他收入": f.other_income,
            "本年收入合计": f.total,
            "总计": f.total,
        }
        spending = self.class_amounts("total") | {"本年支出合计": f.total, "总计": f.total}
        out = []
        for line in body:
            if "\t" not in line:
                out.append(line)
                continue
            cells = _cells(line, 6)
            if _label(cells[0]) in income:
                cells[2] = money(income[_label(cells[0])])
            if _label(cells[3]) in spending:
                cells[5] = money(spending[_label(cells[3])])
            elif _CN_NUMBER.match(cells[3]):
                cells[5] = ""
            out.append("\t".join(cells))
        return out

    def table_04(self, body: list[str]) -> list[str]:
        f = self.f
        income = {"一般公共预算财政拨款": f.fiscal, "本年收入合计": f.fiscal, "总计": f.fiscal}
        spending = self.class_amounts("fiscal") | {"本年支出合计": f.fiscal, "总计": f.fiscal}
        out = []
        for line in body:
            if "\t" not in line:
                out.append(line)
                continue
            cells = _cells(line, 9)
            if _label(cells[0]) in income and cells[1] in ("1", "27", "32"):
                cells[2] = money(income[_label(cells[0])])
            if _label(cells[3]) in spending:
                cells[5] = cells[6] = money(spending[_label(cells[3])])
            elif _CN_NUMBER.match(cells[3]):
                cells[5] = cells[6] = ""
            out.append("\t".join(cells))
        return out

    def subject_rows(self, columns) -> list[str]:
        """合计 then every 类 / 款 / 项 in code order, each a sum of the 项 below it."""
        f = self.f
        codes = sorted(
            {c[:n] for c in f.subjects for n in (3, 5, 7)}, key=lambda c: (c[:3], c[:5], len(c), c)
        )
        rows = ["\t".join(["合计", "", *columns("")])]
        for code in codes:
            rows.append("\t".join([code, f.names[code], *columns(code)]))
        return rows

    def coded(self, body: list[str], columns) -> list[str]:
        """Keep the seed's header rows and notes, replace its data rows."""
        numbering = next(i for i, line in enumerate(body) if line.startswith("栏次"))
        last = max(i for i, line in enumerate(body) if "\t" in line)
        return body[: numbering + 1] + self.subject_rows(columns) + body[last + 1 :]

    def table_02(self, body: list[str]) -> list[str]:
        f = self.f
        return self.coded(
            body,
            lambda p: [
                money(f.subject_sum(p, "total")),
                money(f.subject_sum(p, "fiscal")),
                "",
                "",
                "",
                "",
                money(f.subject_sum(p, "other")),
            ],
        )

    def table_03(self, body: list[str]) -> list[str]:
        f = self.f
        return self.coded(
            body,
            lambda p: [
                money(f.subject_sum(p, "total")),
                money(f.subject_sum(p, "basic")),
                money(f.subject_sum(p, "project") + f.subject_sum(p, "other")),
                "",
                "",
                "",
            ],
        )

    def table_05(self, body: list[str]) -> list[str]:
        f = self.f
        return self.coded(
            body,
            lambda p: [
                money(f.subject_sum(p, "fiscal")),
                money(f.subject_sum(p, "basic")),
                money(f.subject_sum(p, "project")),
            ],
        )

    def table_06(self, body: list[str]) -> list[str]:
        f = self.f
        out = []
        for line in body:
            if "\t" not in line:
                out.append(line)
                continue
            cells = _cells(line, 12)
            if cells[0] == "人员经费合计":
                cells[2] = money(f.personnel)
                cells[11] = money(f.public)
            for group in (0, 3, 6, 9):
                code = cells[group]
                if re.fullmatch(r"\d{3}|\d{5}", code) and cells[group + 2] != "——":
                    cells[group + 2] = money(f.economic.get(code, 0))
            out.append("\t".join(cells))
        return out

    def table_09(self, body: list[str]) -> list[str]:
        f = self.f
        if not any(f.sangong_budget.values()) and not any(f.sangong_final.values()):
            return body  # printed as 本表无数据, as the seed does

        def group(values: dict[str, int]) -> list[str]:
            cars = values["公务用车购置费"] + values["公务用车运行维护费"]
            return [
                money(sum(values.values())),
                money(values["因公出国（境）费"]),
                money(cars),
                money(values["公务用车购置费"]),
                money(values["公务用车运行维护费"]),
                money(values["公务接待费"]),
            ]

        out = []
        for line in body:
            if line.startswith("说明") and "本表无数据" in line:
                continue
            out.append(line)
            if re.fullmatch(r"1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12", line.strip()):
                out.append("\t".join(group(f.sangong_budget) + group(f.sangong_final)))
        return out

    def table_10(self, body: list[str]) -> list[str]:
        f = self.f
        amounts = {"合计": f.procurement_total, **f.procurement, "(一) 行政单位": f.public}
        counts = {
            "(一) 车辆数合计(辆)": f.vehicle_total,
            **f.vehicles,
            "(二) 单价100万元(含)以上设备(不含车辆)": f.equipment,
        }
        out = []
        for line in body:
            if "\t" not in line:
                out.append(line)
                continue
            cells = _cells(line, 3)
            if cells[0] in amounts:
                cells[2] = money(amounts[cells[0]])
            elif cells[0] in counts:
                cells[2] = str(counts[cells[0]]) if counts[cells[0]] else ""
            out.append("\t".join(cells))
        return out

    # -- 情况说明 --

    def prose(self) -> dict[str, list[str]]:
        """Paragraphs under each 情况说明 heading (by heading text), every figure from the tables."""
        f = self.f
        y = f.year
        total, fiscal, basic, project, other = f.total, f.fiscal, f.basic, f.project, f.other_income
        trend = direction(total, f.previous_total)
        reason = f"主要原因是特定目标类项目较上年预算{trend}，相应支出{trend}。" if trend != "持平" else ""
        fiscal_trend = direction(fiscal, f.previous_fiscal)
        fiscal_reason = (
            f"主要原因是特定目标类项目较上年预算{fiscal_trend}，相应支出{fiscal_trend}。"
            if fiscal_trend != "持平"
            else ""
        )
        income_lines = [
            ("财政拨款收入", fiscal),
            ("上级补助收入", 0),
            ("事业收入", 0),
            ("经营收入", 0),
            ("附属单位上缴收入", 0),
            ("其他收入", other),
        ]
        spending_lines = [
            ("基本支出", basic),
            ("项目支出", project),
            ("上缴上级支出", 0),
            ("经营支出", 0),
            ("对附属单位补助支出", 0),
        ]

        def listed(items: list[tuple[str, int]], whole: int) -> list[str]:
            return [
                f"{name}{prose_money(v)}万元，占比{share(v, whole)}{'。' if n == len(items) - 1 else '；'}"
                for n, (name, v) in enumerate(items)
            ]

        classes = self.class_amounts("fiscal")
        structure = [
            f"{name}(类){prose_money(v)}万元,占比{share(v, fiscal)}{'。' if n == len(classes) - 1 else ';'}"
            for n, (name, v) in enumerate(classes.items())
        ]
        budget_total = sum(f.budgets.values())
        detail = "".join(
            f"{CLASS_NAMES[c]}年初预算{money(b, blank_zero=False, separators=False)}万元,"
            f"支出决算{money(f.subject_sum(c, 'fiscal'), blank_zero=False, separators=False)}万元,"
            f"完成年初预算的{share(f.subject_sum(c, 'fiscal'), b)};"
            for c, b in f.budgets.items()
        )
        general_trend = direction(fiscal, f.previous_general)
        personnel_names = [
            f.economic_names[c] for c in sorted(f.economic) if len(c) == 5 and c[:3] in ("301", "303")
        ]
        public_names = [
            f.economic_names[c] for c in sorted(f.economic) if len(c) == 5 and c[:3] in ("302", "310")
        ]
        running_trend = direction(f.public, f.previous_running)
        procurement = f.procurement_total
        vehicles = f.vehicle_total
        counts = [f.vehicles[row] for row in VEHICLE_ROWS]
        other_cars = counts[-1]
        return {
            "一、收入支出决算总体情况说明": [
                f"{y}年度收入总计{prose_money(total)}万元，支出总计{prose_money(total)}万元。与上年相比，"
                f"{change(total, f.previous_total, '收入总计')}，{change(total, f.previous_total, '支出总计')}。{reason}"
            ],
            "二、收入决算情况说明": [
                f"{y}年度收入合计{prose_money(total)}万元，其中：",
                *listed(income_lines, total),
            ],
            "三、支出决算情况说明": [
                f"{y}年度支出合计{prose_money(total)}万元，其中：",
                *listed(spending_lines, total),
            ],
            "四、财政拨款收支决算总体情况说明": [
                f"{y}年度财政拨款收入总计{prose_money(fiscal)}万元，支出总计{prose_money(fiscal)}万元。与上年相比，"
                f"{change(fiscal, f.previous_fiscal, '财政拨款收入总计')}；"
                f"{change(fiscal, f.previous_fiscal, '财政拨款支出总计')}。{fiscal_reason}"
            ],
            "（一）一般公共预算财政拨款支出决算总体情况": [
                f"{y}年一般公共预算财政拨款决算支出{prose_money(fiscal)}万元，占本年支出合计的{share(fiscal, total)}。"
                f"与上年相比，{change(fiscal, f.previous_general, '一般公共预算财政拨款支出')}。"
                + (f"主要原因是本年度项目支出较上年{general_trend}。" if general_trend != "持平" else "")
            ],
            "（二）一般公共预算财政拨款支出决算结构情况": [
                f"{y}年度一般公共预算财政拨款支出{prose_money(fiscal)}万元，主要用于以下方面：",
                *structure,
            ],
            "(三) 一般公共预算财政拨款支出决算具体情况": [
                f"{y}年度一般公共预算财政拨款支出年初预算{prose_money(budget_total)}万元,支出决算{prose_money(fiscal)}万元,"
                f"完成年初预算的{share(fiscal, budget_total)}。其中:",
                detail,
            ],
            "六、一般公共预算财政拨款基本支出决算情况说明": [
                f"{y}年度财政拨款基本支出{prose_money(basic)}万元,其中:",
                f"人员经费{prose_money(f.personnel)}万元,主要包括{'、'.join(personnel_names)}等;",
                f"公用经费{prose_money(f.public)}万元,主要包括{'、'.join(public_names) or '无'}等。",
            ],
            "(一) “三公”经费财政拨款支出决算总体情况说明": self.sangong_summary(),
            "（二）“三公”经费财政拨款支出决算具体情况说明": self.sangong_detail(),
            "（一）机关运行经费支出情况说明": [
                f"{y}年机关运行经费支出{prose_money(f.public)}万元，比{y - 1}年"
                + (
                    f"{running_trend}{prose_money(abs(f.public - f.previous_running))}万元，"
                    f"{'增长' if running_trend == '增加' else '下降'}"
                    f"{abs(f.public - f.previous_running) * 100 / f.previous_running:.2f}%，"
                    if running_trend != "持平" and f.previous_running
                    else "持平，"
                )
                + f"主要原因是{'日常公用支出增加' if running_trend == '增加' else '厉行节约，压减日常公用支出'}。"
            ],
            "（二）政府采购情况说明": [
                f"{y}年度政府采购支出总额{prose_money(procurement)}万元，其中：政府采购货物支出"
                f"{prose_money(f.procurement['货物'])}万元、政府采购工程支出{prose_money(f.procurement['工程'])}万元、"
                f"政府采购服务支出{prose_money(f.procurement['服务'])}万元。政府采购授予中小企业合同金额"
                f"{prose_money(f.procurement_sme)}万元，占政府采购支出总额的{share(f.procurement_sme, procurement)}。"
                f"其中：授予小微企业合同金额{prose_money(f.procurement_small)}万元，占政府采购支出总额的"
                f"{share(f.procurement_small, procurement)}。"
            ],
            "（三）国有资产占用情况说明": [
                f"截至{y}年12月31日，本部门（单位）共有车辆{vehicles}辆。其中："
                + "、".join(f"{word}{n}辆" for word, n in zip(VEHICLE_WORDS, counts, strict=False))
                + f"，其他用车{other_cars}辆"
                + ("，其他用车主要是因工作需要配置的公务用车" if other_cars else "")
                + f"；单价100万元（含）以上设备（不含车辆）{f.equipment}台（套）。"
            ],
            "1、预算绩效管理工作开展情况": [
                f"{y}年二级项目绩效自评个数13个，涉及资金{money(project, blank_zero=False, separators=False)}万元："
                f"{GRADE_COUNTS}。对于自评结果为“中”和“差”的项目，采取的改进管理措施为加强预算管理，"
                "绩效指标设置更加精细化，加快项目落实。涉密项目除外。"
            ],
        }

    def sangong_summary(self) -> list[str]:
        f = self.f
        budget, final, previous = f.sangong_budget, f.sangong_final, f.sangong_previous
        total_budget, total_final, total_previous = (
            sum(budget.values()),
            sum(final.values()),
            sum(previous.values()),
        )

        def versus(current: int, before: int) -> str:
            if current == before:
                return "与上年相同"
            verb, rate = ("增加", "增长") if current > before else ("减少", "下降")
            text = f"比上年度{verb}{prose_money(abs(current - before))}万元"
            return text + (f"，{rate}{abs(current - before) * 100 / before:.2f}%" if before else "")

        def why(item: str, current: int, before: int) -> str:
            if current == 0 and before == 0:
                return f"本单位无{item}"
            if current > before:
                return "公务活动需要，相应支出增加"
            if current < before:
                return "厉行节约，严格控制公务支出"
            return "支出与上年持平"

        lines = [
            f"{f.year}年度“三公”经费财政拨款支出全年预算{prose_money(total_budget)}万元，支出决算"
            f"{prose_money(total_final)}万元，完成全年预算的{share(total_final, total_budget)}，"
            f"{versus(total_final, total_previous)}，主要原因是：{why('三公经费', total_final, total_previous)}。其中："
        ]
        for n, item in enumerate(SANGONG_ITEMS):
            end = "。" if n == len(SANGONG_ITEMS) - 1 else "；"
            name = item.replace("（", "(").replace("）", ")")
            lines.append(
                f"{name}支出{prose_money(final[item])}万元，完成全年预算的{share(final[item], budget[item])}，"
                f"{versus(final[item], previous[item])}，主要原因是：{why(name, final[item], previous[item])}{end}"
            )
        return lines

    def sangong_detail(self) -> list[str]:
        f = self.f
        final = f.sangong_final
        trips, people = f.trips
        batches, guests = f.receptions
        abroad = "开展对外交流" if final["因公出国（境）费"] else "本单位无因公出国（境）费用"
        purchase = "更新执法执勤用车" if final["公务用车购置费"] else "本单位无公务用车购置支出"
        running = (
            "公务用车燃料费、维修费、保险费等"
            if final["公务用车运行维护费"]
            else "本单位无公务用车运行维护费"
        )
        reception = "上级部门检查指导及兄弟单位交流学习" if final["公务接待费"] else "本单位无公务接待费"
        return [
            f"1、因公出国（境）费支出{prose_money(final['因公出国（境）费'])}万元，出国团组共{trips}个，{people}人次。"
            f"主要用于：{abroad}。",
            f"2、公务用车购置支出{prose_money(final['公务用车购置费'])}万元，使用财政拨款共购置公务用车"
            f"{f.vehicles_bought}辆，主要用于{purchase}。",
            f"3、公务用车运行维护费支出{prose_money(final['公务用车运行维护费'])}万元，使用财政拨款负担的公务用车保有量共"
            f"{f.vehicle_total}辆车，主要用于：{running}。",
            f"4、公务接待费支出{prose_money(final['公务接待费'])}万元，共接待{batches}批次，{guests}人次。国内接待费"
            f"{prose_money(final['公务接待费'])}万元，共接待{batches}批次，{guests}人次，其中外事接待费0万元，共接待0批次，"
            f"0人次，主要是{reception}；国（境）外接待费0万元，共接待国（境）外0批次，0人次，主要是本单位无国（境）外接待费。",
        ]

    # -- the whole file --

    def render(self, seed_lines: list[str]) -> str:
        tables = {
            "收入支出决算总表": self.table_01,
            "收入决算表": self.table_02,
            "支出决算表": self.table_03,
            "财政拨款收入支出决算总表": self.table_04,
            "一般公共预算财政拨款支出决算表": self.table_05,
            "一般公共预算财政拨款基本支出决算明细表": self.table_06,
            "财政拨款“三公”经费支出决算表": self.table_09,
            "部门决算公开相关信息统计表": self.table_10,
        }
        prose = self.prose()
        out: list[str] = []
        for heading, body in sections(seed_lines):
            key = heading.lstrip("#").strip() if heading is not None else None
            if heading is not None:
                out.append(self.substitute(heading))
            if key in tables:
                out.extend(self.substitute(line) if "\t" not in line else line for line in tables[key](body))
            elif key in prose:
                out.append("")
                for paragraph in prose[key]:
                    out.extend([paragraph, ""])
            else:
                out.extend(self.substitute(line) for line in body)
        return "\n".join(out) + "\n"


def sections(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """(heading line, the lines under it) in order; the cover comes first with no heading."""
    result: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in lines:
        if line.startswith("#"):
            result.append((line, []))
        else:
            result[-1][1].append(line)
    return result


def seed_lines() -> list[str]:
    return SEED_FILE.read_text(encoding="utf-8").splitlines()


def render(index: int, seed: int = 0, lines: list[str] | None = None) -> tuple[Figures, str]:
    f = figures(index, seed)
    return f, Writer(f).render(lines if lines is not None else seed_lines())


def generate(n: int, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write n synthetic disclosures to out_dir; the same seed gives the same bytes."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = seed_lines()
    paths = []
    for index in range(n):
        f, text = render(index, seed, lines)
        path = out_dir / f"{f.doc_name}.md"
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    paths = generate(args.n, args.out_dir, args.seed)
    print(f"wrote {len(paths)} disclosures to {args.out_dir}")


if __name__ == "__main__":
    main()
