"""The web server (FastAPI; its route signatures are read at run time, so imported at the top): the Gradio chat, and the original pages its citations link to.

A citation's link opens the printed page it points at, rendered from the very file that was
ingested (its sha256 is checked), with the cited figure marked; from there the whole PDF opens
at that page. Only files recorded in the index are served, by document and file name, never by
a path a visitor types. With a password set, these pages need the chat's login too.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from juesuan_qa.original import ORIGINAL, Mark, render


def _page_html(title: str, body: str) -> str:
    return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            "<style>body{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;margin:16px}"
            "img{max-width:100%;border:1px solid #ccc}</style></head><body>" + body + "</body></html>")


def make_app(kb, demo, auth=None, theme=None, css: str | None = None):
    """A FastAPI app: the original pages under /original, the chat at /."""
    import gradio as gr

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    chat = {}

    def admitted(request: Request) -> None:
        """The chat's own login: its session cookie must name a signed-in user."""
        gradio_app = chat.get("app")
        if gradio_app is None or not gradio_app.auth:
            return
        cookie = (request.cookies.get(f"access-token-{gradio_app.cookie_id}")
                  or request.cookies.get(f"access-token-unsecure-{gradio_app.cookie_id}"))
        if gradio_app.tokens.get(cookie) is None:
            raise HTTPException(401, "请先登录问答页面")

    def source(doc_id: str, file: str):
        """The ingested PDF (pages are shown for PDFs only: other sources cite a line)."""
        try:
            path = kb.source_file(doc_id, file)
        except LookupError as error:
            raise HTTPException(404, f"原文无法打开：{error}") from error
        if path.suffix.lower() != ".pdf":
            raise HTTPException(404, "原文不是PDF文件")
        return path

    def mark_of(text: str, row: str, column: str) -> Mark | None:
        return Mark(text[:80], row[:80], column[:80]) if text else None

    @app.get(ORIGINAL + "/{doc_id}/page/{page}", response_class=HTMLResponse)
    def original_page(request: Request, doc_id: str, page: int, file: str = "", text: str = "", row: str = "",
                      column: str = ""):
        admitted(request)
        path = source(doc_id, file)
        document = kb.corpus.documents.get(doc_id)
        name = f"{document.department} {document.year}年度{document.kind}" if document else doc_id
        query = urlencode({k: v for k, v in {"file": file, "text": text, "row": row, "column": column}.items() if v})
        mark = mark_of(text, row, column)
        try:
            _, found = render(path, page, mark)
        except ValueError as error:
            raise HTTPException(404, str(error)) from error
        note = (f"红框标出的是所引数字“{html.escape(text)}”。" if found else
                f"本页没有找到“{html.escape(text)}”的文字，请对照整页核对。") if mark else ""
        pdf = f"{ORIGINAL}/{quote(doc_id)}/pdf" + (f"?{urlencode({'file': file})}" if file else "") + f"#page={page}"
        body = (f"<h3>{html.escape(name)} · {html.escape(path.name)} · 第{page}页</h3>"
                f"<p>{note} <a href='{html.escape(pdf)}'>打开整份PDF（第{page}页）</a></p>"
                f"<img alt='第{page}页' src='{ORIGINAL}/{quote(doc_id)}/image/{page}?{html.escape(query)}'>")
        return HTMLResponse(_page_html(f"{name} 第{page}页", body), headers={"X-Marked": str(found)})

    @app.get(ORIGINAL + "/{doc_id}/image/{page}")
    def original_image(request: Request, doc_id: str, page: int, file: str = "", text: str = "", row: str = "",
                       column: str = ""):
        admitted(request)
        try:
            png, found = render(source(doc_id, file), page, mark_of(text, row, column))
        except ValueError as error:
            raise HTTPException(404, str(error)) from error
        return Response(png, media_type="image/png", headers={"X-Marked": str(found)})

    @app.get(ORIGINAL + "/{doc_id}/pdf")
    def original_pdf(request: Request, doc_id: str, file: str = ""):
        admitted(request)
        return FileResponse(source(doc_id, file), media_type="application/pdf", content_disposition_type="inline")

    # footer_links=[]: no English "Use via API · Built with Gradio" footer on a Chinese page
    gr.mount_gradio_app(app, demo, path="/", auth=auth, theme=theme, css=css, show_error=True, footer_links=[])
    chat["app"] = app.routes[-1].app  # the mounted chat, whose login these pages share
    return app


@dataclass
class Running:
    url: str
    server: object
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start(app, host: str, port: int) -> Running:
    """Serve `app` in a background thread (tests, benchmarks); `serve` blocks instead."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="juesuan-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the web server did not start on {host}:{port}")
        time.sleep(0.05)
    return Running(f"http://{host}:{port}/", server, thread)
