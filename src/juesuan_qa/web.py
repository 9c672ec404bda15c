"""The Gradio chat. It only renders what KnowledgeBase.ask returns; no logic of its own.

Offline by construction: analytics off, and a theme of system fonts only (the default
theme pulls web fonts from a CDN, which would hang a page with no network).
"""

from __future__ import annotations

import html
import os

from juesuan_qa import config  # noqa: F401  (sets GRADIO_ANALYTICS_ENABLED=False first)
from juesuan_qa.qa.compose import place_of

EXAMPLES = [
    "2023年收入总计是多少？",
    "三公经费花了多少？",
    "住房公积金是多少？",
    "为什么收入比上年少了？",
    "什么是基本支出？",
    "哪些项目自评为差？",
]
SYSTEM_FONTS = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "system-ui", "sans-serif"]
MONO_FONTS = ["SFMono-Regular", "Menlo", "Consolas", "monospace"]


def render_sources(record: dict) -> str:
    """The citations under an answer, with the quoted source text, as HTML."""
    if not record["citations"]:
        return "<p>（无引用：本问题未能在公开文件中找到答案）</p>"
    parts = []
    for n, c in enumerate(record["citations"], start=1):
        place = " · ".join(html.escape(x) for x in [c["table"] or "", c["section"], c["row"] or "", c["column"] or ""] if x)
        where = html.escape(place_of(c))
        quote = html.escape(c["quote"]).replace("\t", " │ ")
        parts.append(
            f"<div class='source'><b>[{n}]</b> {html.escape(c['title'])} — {place} — {where}"
            f"<pre class='quote'>{quote}</pre></div>"
        )
    return "\n".join(parts)


def overview(kb) -> str:
    rows = [f"- {d.department}　{d.year}年度{d.kind}（{d.doc_id}）" for d in kb.documents]
    return "**索引中的公开文件**\n\n" + ("\n".join(rows) or "（空）")


def build(kb):
    import gradio as gr

    def respond(question: str, history: list):
        question = (question or "").strip()
        if not question:
            return history, "", ""
        record = kb.ask(question).to_dict()
        history = [*history, {"role": "user", "content": question},
                   {"role": "assistant", "content": record["answer"]}]
        return history, "", render_sources(record)

    with gr.Blocks(title="决算公开问答 juesuan-qa", analytics_enabled=False) as demo:
        gr.Markdown("## 决算公开问答\n问部门决算、预算公开里的数字和说明；每个回答都附原文出处。")
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(label="问答", height=460, elem_id="chat")
                box = gr.Textbox(placeholder="例如：2023年三公经费是多少？", label="问题", elem_id="question")
                send = gr.Button("提问", variant="primary", elem_id="send")
                gr.Examples(EXAMPLES, inputs=box)
            with gr.Column(scale=2):
                sources = gr.HTML(label="来源", elem_id="sources")
                gr.Markdown(overview(kb))
        send.click(respond, [box, chat], [chat, box, sources])
        box.submit(respond, [box, chat], [chat, box, sources])
    return demo


def launch(kb, host: str = "127.0.0.1", port: int = 7860) -> None:
    import gradio as gr

    theme = gr.themes.Soft(font=SYSTEM_FONTS, font_mono=MONO_FONTS)
    css = ".quote{white-space:pre-wrap;font-size:0.85em;background:#f6f6f0;padding:6px;border-radius:4px}"
    auth = None
    if os.environ.get("JUESUAN_PASSWORD"):
        auth = (os.environ.get("JUESUAN_USER", "juesuan"), os.environ["JUESUAN_PASSWORD"])
    build(kb).launch(server_name=host, server_port=port, theme=theme, css=css, auth=auth,
                     share=False, show_error=True)
