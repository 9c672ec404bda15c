"""Why-questions: the change of the item asked, with the reason attached to it (qa.causes)."""

from __future__ import annotations

from juesuan_qa.qa.causes import direction, find_cause
from juesuan_qa.records import Passage

SECTION = ("（六）一般公共预算基本支出情况说明",)


def _passages(*texts: str, heading=SECTION, kind: str = "prose") -> list[Passage]:
    return [Passage(f"p{n}", "doc", heading, text, n, n, kind=kind, page=5) for n, text in enumerate(texts)]


def test_the_reason_stated_two_sentences_on_across_a_passage_cut_is_the_changes():
    passages = _passages("1.公务用车运行维护费支出 424.80 万元，比上年预算数减少32.00 万元，主要原因是减少公务用车维护成本。"
                         "2.公务接待费支出 30.00 万元，比上年预算数减少5.00 万元。",
                         "主要用于接待省内外各单位调研等公务活动支出。减少的主要原因是执法队公务接待频次预计减少。")
    cause = find_cause(passages, ["公务", "接待", "公务接待费", "预算"], direction("公务接待费预算为什么比上年减少"))
    assert cause.text.startswith("2.公务接待费支出") and cause.text.endswith("执法队公务接待频次预计减少。")
    assert cause.passage.passage_id == "p0"


def test_a_definition_never_answers_why():
    glossary = _passages("公务接待费：指单位按规定开支的各类公务接待支出，比上年减少的主要原因是……", kind="glossary")
    assert find_cause(glossary, ["公务接待费"], "减") is None


def test_a_comparison_opening_its_sentence_is_about_the_subject_before_it():
    passages = _passages("（1）科学技术支出（类）科技成果转化与扩散（项）28.00 万元，主要用于垂域模型项目。"
                         "比上年执行数减少 113.53 万元，下降80.2%，主要原因是 2025 年气象防汛系统项目建设已完成。"
                         "（2）公务用车运行维护费支出 18.00 万元，与上年预算数持平。")
    cause = find_cause(passages, ["科技成果转化与扩散", "支出"], "减")
    assert "气象防汛系统项目建设已完成" in cause.text


def test_the_direction_asked_and_the_levels_in_a_name_are_read():
    passages = _passages("一般公共服务（类）支出 100 万元，比上年增加 10 万元，主要原因是新增信息化项目。",
                         "一般公共服务（类）支出中会议费 2 万元，比上年减少 1 万元，主要原因是会议精简。")
    assert "会议精简" in find_cause(passages, ["一般公共服务支出"], "减").text
    assert "信息化项目" in find_cause(passages, ["一般公共服务支出"], "增").text


def test_a_reason_after_another_items_change_is_that_items():
    passages = _passages("公务接待费支出 3.00 万元，比上年减少2.00万元，公务用车运行维护费比上年增加3.00万元，主要原因是车辆老化。")
    assert find_cause(passages, ["公务接待费"], "减") is None
    assert "车辆老化" in find_cause(passages, ["公务用车运行维护费"], "增").text
