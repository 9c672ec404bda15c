"""The printed page a citation links to: the ingested file only, the cited figure marked,
behind the chat's login when it has one."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request

import pytest

from conftest import SEED, hashing_settings
from juesuan_qa.kb import KnowledgeBase
from juesuan_qa.original import Mark, locate

PDF = SEED.parent / "putuo-sifaju-2026-yusuan.pdf"


def test_of_a_figure_printed_twice_on_a_page_the_cited_rows_is_marked():
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(PDF))
    try:
        textpage = pdf[12].get_textpage()  # 部门支出预算总表: 2087959.00 in two columns of the 住房公积金 row
        both = locate(textpage, Mark("2087959.00"))
        assert len(both) == 1  # several occurrences and no row given: the first
        total = locate(textpage, Mark("25741666.44", "合计", "支出预算/基本支出"))
        assert len(total) == 1
        left, bottom, right, top = total[0]
        row = locate(textpage, Mark("合计"))[0]
        assert abs((bottom + top) / 2 - (row[1] + row[3]) / 2) < 3  # on the 合计 line
        assert locate(textpage, Mark("no such text")) == []
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def pdf_kb(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    shutil.copy(PDF, folder / PDF.name)
    index = folder / "index"
    KnowledgeBase.ingest([folder / PDF.name], index, settings=hashing_settings(index))
    return KnowledgeBase.open(index, settings=hashing_settings(index)), folder / PDF.name


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_only_the_ingested_bytes_are_served_and_a_login_guards_them(pdf_kb, monkeypatch):
    from juesuan_qa.web import app
    from juesuan_qa.webserver import start
    from test_browser import free_port

    kb, path = pdf_kb
    running = start(app(kb), "127.0.0.1", free_port())
    page = running.url + "original/putuo-sifaju-2026-yusuan/page/13?text=25741666.44&row=%E5%90%88%E8%AE%A1"
    try:
        status, headers, body = _get(page)
        assert status == 200 and headers["x-marked"] == "1" and "红框标出" in body.decode("utf-8")
        status, headers, body = _get(page.replace("/page/", "/image/"))
        assert status == 200 and headers["content-type"] == "image/png" and body[:4] == b"\x89PNG"
        assert _get(running.url + "original/putuo-sifaju-2026-yusuan/page/99")[0] == 404  # no such page
        assert _get(running.url + "original/no-such-doc/pdf")[0] == 404
        assert _get(running.url + "original/putuo-sifaju-2026-yusuan/pdf?file=..%2F..%2Fetc%2Fpasswd")[0] == 404
        path.write_bytes(path.read_bytes() + b"\n%changed")  # not the file that was read: refused
        status, _, body = _get(page)
        assert status == 404 and "changed since it was ingested" in body.decode("utf-8")
    finally:
        running.stop()
    monkeypatch.setenv("JUESUAN_PASSWORD", "secret")
    guarded = start(app(kb), "127.0.0.1", free_port())
    try:
        assert _get(guarded.url + "original/putuo-sifaju-2026-yusuan/pdf")[0] == 401
    finally:
        guarded.stop()
