"""List questions are answered with the whole printed list, quoted once (qa.lists), and a unit's
parent department named beside it is no organisation outside the index (qa.router)."""

from __future__ import annotations

from juesuan_qa.qa.lexicon import build_vocabulary
from juesuan_qa.qa.lists import find_list, subject_terms
from juesuan_qa.qa.router import route
from juesuan_qa.records import Document, Passage

DUTIES = ["示范中心主要职能示范中心隶属于示范市司法局。主要职能包括：1. 贯彻执行有关法律法规；2. 实施康复训练；",
          "3. 提供医疗服务；4. 承办上级交办的其他工作任务。示范中心机构设置示范中心设立3个内设机构，包括政治处、综合科、保健站。",
          "名词解释（一）财政拨款收入：是指……。（二）基本支出：是指……。"]


def _passages(texts: list[str]) -> list[Passage]:
    return [Passage(f"p{n}", "doc", ("六、其他相关情况说明",), text, n, n, page=3) for n, text in enumerate(texts)]


def test_a_numbered_list_is_followed_across_passages_to_its_last_item():
    listing = find_list(_passages(DUTIES), subject_terms("单位预算里写明的主要职能有哪些"))
    assert listing.text.startswith("主要职能包括：1.") and listing.text.endswith("4. 承办上级交办的其他工作任务。")
    assert listing.passage.passage_id == "p0" and listing.items == 4


def test_a_list_run_on_with_commas_is_its_sentence():
    listing = find_list(_passages(DUTIES), subject_terms("内设机构有哪些"))
    assert listing.text.endswith("包括政治处、综合科、保健站。") and "康复训练" not in listing.text


def test_no_list_of_what_is_asked_is_no_answer():
    assert find_list(_passages(DUTIES), subject_terms("下属预算单位有哪些")) is None
    assert subject_terms("部门预算包括哪几个预算单位") == ["预算单位"]  # where to look is not what is listed


def test_the_parent_named_beside_a_unit_is_not_outside_the_index():
    unit = Document("d1", "上海市2026年市级单位预算预算单位:上海市戒毒康复中心", "上海市戒毒康复中心", 2026, "预算", "x.pdf", "0")
    for question in ("上海市司法局下属的上海市戒毒康复中心2026年主要职能有哪些？",
                     "上海市戒毒康复中心（上海市司法局所属）2026年内设机构有哪些？"):
        slots = route(question, [unit], build_vocabulary([]))
        assert slots.unknown_org == "" and slots.doc_ids == {"d1"} and slots.intent == "enumerate", question
    assert route("上海市司法局2026年主要职能有哪些？", [unit], build_vocabulary([])).unknown_org == "上海市司法局"


def test_a_subject_printed_with_words_between_its_parts_is_found():
    passages = _passages(["北京市商务局下属 8 个预算单位，分别为北京市国际服务贸易事务中心、北京市商务局综合事务中心及北京市对外贸易学校。"])
    listing = find_list(passages, subject_terms("部门预算包括哪些下属预算单位"))
    assert listing is not None and listing.text.endswith("北京市对外贸易学校。")


def test_a_list_never_runs_into_the_next_section():
    duties = Passage("p0", "doc", ("一、部门职责",), "主要职责是：1.贯彻执行法律法规；2.负责预算管理；3.承办其他事项。", 1, 1, page=3)
    later = Passage("p1", "doc", ("三、支出预算情况说明",), "其中：4.基本支出80万元。5.政府采购10万元。", 2, 2, page=6)
    listing = find_list([duties, later], subject_terms("主要职责有哪些"))
    assert listing.text.endswith("3.承办其他事项。") and listing.items == 3
