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


def serve(kb):
    """The app as `juesuan-qa serve` runs it (the chat and the original pages), in a thread."""
    from juesuan_qa.web import app
    from juesuan_qa.webserver import start

    return start(app(kb), "127.0.0.1", free_port())


@pytest.fixture(scope="module")
def server(kb):
    running = serve(kb)
    yield running.url
    running.stop()


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
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")  # a reader in China
    page.goto(url, wait_until="load")
    page.locator("#question textarea").wait_for(timeout=30000)
    return page


@pytest.fixture(scope="module")
def page(server, browser):
    page = _open(browser, server)
    yield page
    page.close()


def ask(page, question: str) -> None:
    """Ask, and wait for this answer's sources (not the previous answer's, still on the page)."""
    before = page.locator("#sources").inner_html()
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()
    page.wait_for_function("""before => { const s = document.querySelector('#sources');
        return s.innerHTML !== before && s.querySelector('.src') !== null; }""", arg=before, timeout=20000)


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
    running = serve(corpus_kb)
    page = _open(browser, running.url)
    yield page
    page.close()
    running.stop()


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
    corpus_page.locator("#comparison .cmp .bars .b").first.wait_for(timeout=20000)
    assert corpus_page.locator("#comparison .cmp table tr").count() >= 3
    assert "第" in corpus_page.locator("#comparison .cmp table").inner_text()  # where each figure is printed


def test_the_overview_follows_the_filters_and_names_departments(corpus_page):
    corpus_page.get_by_role("tab", name="概览与图表").click()
    charts = corpus_page.locator("#charts")
    charts.locator(".cmp").first.wait_for(timeout=20000)  # 全部: the departments compared, not one of them
    assert charts.locator(".cmp").first.locator("tr").count() >= 4
    overview = corpus_page.locator("#overview").inner_text()
    assert "上海市普陀区司法局" in overview and "putuo-sifaju" not in overview  # names, never file names
    charts.screenshot(path=str(SHOTS / "overview-all.png"))
    corpus_page.locator("#filter-department input").click()
    corpus_page.get_by_role("option", name="上海市普陀区司法局", exact=True).click()
    corpus_page.wait_for_function("document.querySelector('#charts h4')?.innerText.includes('上海市普陀区司法局')",
                                  timeout=20000)
    corpus_page.wait_for_function("document.querySelector('#overview').innerText.includes('（1份）')", timeout=20000)
    corpus_page.locator("#filter-department input").click()
    corpus_page.get_by_role("option", name="全部", exact=True).click()


def test_the_source_panel_opens_at_the_cited_cell_under_a_fixed_header(corpus_page):
    corpus_page.get_by_role("tab", name="来源").click()
    ask(corpus_page, "上海市普陀区司法局2026年住房公积金是多少？")
    box = corpus_page.locator("#sources .tbox:has(td.hit)").first
    hit = box.locator("td.hit").first
    corpus_page.wait_for_function("document.querySelector('#sources .tbox:has(td.hit)')?.scrollTop > 0", timeout=10000)
    inside = box.evaluate("""b => { const h = b.querySelector('td.hit').getBoundingClientRect(),
        r = b.getBoundingClientRect(); return h.top >= r.top && h.bottom <= r.bottom; }""")
    assert inside, "the cited cell is scrolled into its box"
    header = box.evaluate("b => b.querySelector('th').getBoundingClientRect().top - b.getBoundingClientRect().top")
    assert abs(header) <= 2, "the header row stays at the top of the scrolled box"
    assert hit.inner_text().strip()
    corpus_page.locator("#sources").screenshot(path=str(SHOTS / "source-table-pdf.png"))


def test_a_citation_opens_the_printed_page_with_the_figure_marked(corpus_page, browser):
    ask(corpus_page, "上海市普陀区司法局2026年基本支出是多少？")
    link = corpus_page.locator("#sources a.orig").first
    href = link.get_attribute("href")
    assert "/original/putuo-sifaju-2026-yusuan/page/" in href and link.get_attribute("target") == "_blank"
    original = browser.new_page(viewport={"width": 1200, "height": 900})
    response = original.goto(corpus_page.url.rstrip("/") + href)
    assert response.status == 200 and response.headers["x-marked"] == "1"
    assert "红框标出" in original.locator("body").inner_text()
    original.locator("img").wait_for()
    assert original.evaluate("document.querySelector('img').naturalWidth") > 500
    pdf = original.locator("a").first.get_attribute("href")
    assert "/pdf" in pdf and "#page=" in pdf
    original.screenshot(path=str(SHOTS / "original-page.png"), full_page=True)
    original.close()


def test_chinese_renders_with_real_glyphs_not_boxes(page):
    """On a machine without a CJK font every character is drawn as the same box (tofu): 决算 is
    two full-width glyphs here, and 决, 算 and a character no font has are three different drawings."""
    width, drawings = page.evaluate("""() => {
        const font = getComputedStyle(document.querySelector('#chat')).fontFamily;
        const canvas = document.createElement('canvas'); canvas.width = canvas.height = 48;
        const ctx = canvas.getContext('2d', {willReadFrequently: true});
        ctx.font = '40px ' + font;
        const draw = c => { ctx.clearRect(0, 0, 48, 48); ctx.fillText(c, 4, 40);
                            return Array.from(ctx.getImageData(0, 0, 48, 48).data).join(','); };
        return [ctx.measureText('决算').width, [draw('决'), draw('算'), draw('\\u{10FFFD}')]]; }""")
    jue, suan, tofu = drawings
    assert abs(width - 80) < 4, f"决算 is {width:.1f}px wide at 40px: not two CJK glyphs (install fonts-noto-cjk)"
    assert jue != suan and jue != tofu and suan != tofu, "Chinese is drawn as boxes: install fonts-noto-cjk"


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


def test_an_upload_says_in_chinese_what_was_skipped_and_why(page):
    bad = Path(__file__).parent / "fixtures" / "bad"
    page.get_by_role("tab", name="上传公开文件").click()
    page.locator("input[type=file]").last.set_input_files([str(bad / "password-protected.pdf"), str(bad / "zero-pages.pdf")])
    page.get_by_role("button", name="校验并加入索引").click()
    page.wait_for_function("document.body.innerText.includes('已跳过：password-protected.pdf')", timeout=30000)
    text = page.locator("body").inner_text()
    assert "加入 0 个文件" in text and "设了打开密码" in text and "PDF 没有页面" in text
    page.get_by_role("tab", name="来源").click()


def test_the_audit_tab_shows_the_report_and_offers_it_as_word_and_excel(corpus_page):
    corpus_page.get_by_role("tab", name="一致性检查").click()
    corpus_page.locator("#audit-doc input").click()
    corpus_page.get_by_role("option", name="上海市普陀区司法局 2026年度预算", exact=True).click()
    corpus_page.get_by_role("button", name="检查勾稽关系").click()
    corpus_page.wait_for_function("document.querySelector('#audit-report').innerText.includes('检查')", timeout=30000)
    report = corpus_page.locator("#audit-report").inner_text()
    assert "不一致" in report and "医疗卫生与计划生育支出" in report  # the name the text gives a 类 the table calls otherwise
    corpus_page.locator("#audit-docx a, #audit-docx .file-preview").first.wait_for(timeout=30000)
    assert ".docx" in corpus_page.locator("#audit-docx").inner_text()
    assert ".xlsx" in corpus_page.locator("#audit-xlsx").inner_text()
    corpus_page.locator("#audit-report").screenshot(path=str(SHOTS / "audit-report.png"))
    corpus_page.get_by_role("tab", name="来源").click()
