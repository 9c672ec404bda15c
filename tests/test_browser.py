"""The chat as a person uses it: Debian's Chromium driven by Playwright, no network.

`make test` installs chromium through apt when it is missing (a browser download by
Playwright itself fails here). Screenshots go to $JUESUAN_SCREENSHOTS (docs/screenshots/ holds the
last committed set).
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# screenshots go to a temporary folder; JUESUAN_SCREENSHOTS=docs/screenshots refreshes the committed ones
SHOTS = Path(os.environ.get("JUESUAN_SCREENSHOTS") or tempfile.mkdtemp(prefix="juesuan-shots-"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(kb):
    from juesuan_qa.web import CSS, build

    port = free_port()
    demo = build(kb)
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, css=CSS, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.fail("chromium is not installed: `make test` installs it with apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:  # one Playwright per module: two cannot share the event loop
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url, wait_until="load")
    page.locator("#question textarea").wait_for(timeout=30000)
    return page


@pytest.fixture(scope="module")
def page(server, browser):
    page = _open(browser, server)
    yield page
    page.close()


def ask(page, question: str) -> None:
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()
    page.locator("#sources .src").first.wait_for(timeout=20000)


def test_asks_and_shows_the_answer_with_its_sources(page):
    ask(page, "2023年度收入总计是多少？")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('7,176.23')", timeout=20000)
    sources = page.locator("#sources").inner_text()
    assert "公开01表" in sources and "收入支出决算总表" in sources and "第" in sources
    assert page.locator("#sources td.hit").count() >= 1  # the cited cell is highlighted in its table
    assert "7,176.23" in page.locator("#sources td.hit").first.inner_text()
    assert "可信度：高" in page.locator("#chat").inner_text()  # a verified cell matching the question
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "chat.png"), full_page=True)
    page.locator("#sources").screenshot(path=str(SHOTS / "source-table.png"))


def test_narrative_answer_highlights_the_quoted_sentence(page):
    ask(page, "为什么收入比上年少了？")
    page.wait_for_function("document.querySelector('#sources mark') !== null", timeout=20000)
    assert "特定目标类项目" in page.locator("#sources mark").first.inner_text()
    page.locator("#sources").screenshot(path=str(SHOTS / "source-passage.png"))


def test_page_loads_nothing_from_outside(server):
    import urllib.request

    html = urllib.request.urlopen(server).read().decode("utf-8")
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_exports_the_answer_as_a_word_draft(page):
    ask(page, "差旅费多少钱？")
    page.locator("#export").click()
    page.locator("#draft a, #draft .file-preview").first.wait_for(timeout=60000)  # a Word file on a loaded machine
    assert ".docx" in page.locator("#draft").inner_text()


@pytest.fixture(scope="module")
def corpus_page(corpus_kb, browser):
    """The chat over the whole shipped corpus, for questions across departments."""
    from juesuan_qa.web import CSS, build

    port = free_port()
    demo = build(corpus_kb)
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, css=CSS, quiet=True)
    page = _open(browser, f"http://127.0.0.1:{port}/")
    yield page
    page.close()
    demo.close()


def test_a_question_across_departments_shows_a_table_and_a_chart(corpus_page):
    ask(corpus_page, "各部门的三公经费分别是多少？")
    corpus_page.locator("#sources .cmp").wait_for(timeout=20000)
    rows = corpus_page.locator("#sources .cmp table tr")
    bars = corpus_page.locator("#sources .cmp .bars a")
    assert rows.count() >= 3 and bars.count() == rows.count() - 1  # one bar per department, linked to its source
    assert bars.first.get_attribute("href").startswith("#source-")
    assert "份公开文件中有" in corpus_page.locator("#chat").inner_text()
    corpus_page.locator("#sources").screenshot(path=str(SHOTS / "comparison.png"))


def test_the_overview_compares_one_item_across_departments(corpus_page):
    corpus_page.get_by_role("tab", name="概览与图表").click()
    corpus_page.locator("#compare-item input").click()
    corpus_page.get_by_role("option", name="三公经费", exact=True).click()
    corpus_page.locator("#comparison .cmp .bars a").first.wait_for(timeout=20000)
    assert corpus_page.locator("#comparison .cmp table tr").count() >= 3


@pytest.mark.parametrize("typed", ["<img src=http://127.0.0.2/x.png onerror=alert(1)>三公经费是多少",
                                   "<script>document.title='pwned'</script>支出总计是多少？"])
def test_typed_html_is_shown_as_text_and_fetches_nothing(server, browser, typed):
    page = _open(browser, server)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    ask(page, typed)
    chat = page.locator("#chat")
    assert chat.locator("img[src*='127.0.0.2']").count() == 0 and chat.locator("script").count() == 0
    assert "<img" in chat.inner_text() or "<script>" in chat.inner_text()  # shown as typed
    assert page.title() != "pwned"
    assert all(url.startswith(server) or url.startswith(("data:", "blob:")) for url in requests), requests
    page.close()


def test_an_empty_question_says_what_to_type(page):
    page.locator("#question textarea").fill("  ")
    page.locator("#send").click()
    page.wait_for_function("document.querySelector('#chat').innerText.includes('请输入一个问题')", timeout=20000)
