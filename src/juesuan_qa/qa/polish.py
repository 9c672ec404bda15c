"""Optional rewording of an extractive answer by an LLM (an OpenAI-compatible endpoint).

Off unless JUESUAN_LLM_BASE_URL and JUESUAN_LLM_MODEL are set, and never the source of a
figure: a reworded answer is kept only if every number in it appears in the answer it
rewords or in the cited source text; otherwise the extractive answer stands.
"""

from __future__ import annotations

import logging
import re

from juesuan_qa.records import Answer

log = logging.getLogger(__name__)

PROMPT = ("请把下面这段基于政府决算公开文件的回答改写得更通顺、更口语化，供普通市民阅读。"
          "不得增加、删除或改动任何数字、单位和引用标记（如[1]），不得加入原文没有的信息。\n\n{answer}")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def numbers(text: str) -> set[str]:
    """Every number in a text, thousands separators removed, trailing zeros normalised."""
    found = set()
    text = re.sub(r"\[\d+\]", "", text)  # citation markers are not figures
    for match in _NUMBER.findall(text.replace(",", "").replace("，", "")):
        found.add(match.rstrip("0").rstrip(".") if "." in match else match)
    return found


def figures_supported(polished: str, answer: Answer) -> bool:
    allowed = numbers(answer.answer) | numbers(" ".join(c.quote for c in answer.citations))
    return numbers(polished) <= allowed


def polish(answer: Answer, model) -> Answer:
    """Reword with `model` (a langchain chat model); keep the original unless every figure checks out."""
    if answer.abstained or model is None:
        return answer
    try:
        reply = model.invoke(PROMPT.format(answer=answer.answer))
    except Exception as error:  # an unreachable endpoint must not cost the user the answer
        log.warning("LLM polish failed, keeping the extractive answer: %s", error)
        return answer
    text = getattr(reply, "content", str(reply)).strip()
    if not text or not figures_supported(text, answer):
        log.info("LLM polish discarded: it changed or added a figure")
        return answer
    answer.answer = text
    return answer


def configured_model(settings):
    """A chat model for the configured endpoint, or None (the default: no LLM)."""
    if not (settings.llm_base_url and settings.llm_model):
        return None
    try:
        from langchain_openai import ChatOpenAI
    except ImportError:
        log.warning("JUESUAN_LLM_* is set but langchain-openai is not installed: pip install 'juesuan-qa[llm]'")
        return None
    return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model,
                      api_key=settings.llm_api_key or "not-needed", temperature=0)
