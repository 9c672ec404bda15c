"""The Gradio chat. It renders what KnowledgeBase returns; the logic lives elsewhere.

Offline by construction: analytics off, and a theme of system fonts only (the default
theme pulls web fonts from a CDN, which would hang a page with no network).
"""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path

from juesuan_qa import config  # noqa: F401  (sets GRADIO_ANALYTICS_ENABLED=False first)
from juesuan_qa.domain.vocabulary import COMPARABLE_ITEMS
from juesuan_qa.qa.compose import confidence_note
from juesuan_qa.webviews import CSS, charts_html, comparison_html, sources_html

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
ALL = "全部"
OVERVIEW_ITEMS = ("收支总计", "三公经费")  # compared across the documents in the filters
# A long answer appears as it is read, in at most this many updates of at least STREAM_CHARS
# characters: each update resends the whole chat (a few milliseconds of the server's CPU, more than
# a table answer costs), so a one-line answer is one update.
STREAM_UPDATES = 6
STREAM_CHARS = 150
CONCURRENT_QUESTIONS = int(os.environ.get("JUESUAN_CONCURRENCY") or 8)  # questions answered side by side
EMPTY_QUESTION = "请输入一个问题，例如：“2023年三公经费是多少？”“为什么收入比上年少了？”“哪个部门的三公经费最多？”"


# the source panel opens at the cited cell: each table's scroll box is scrolled to its cited row
SCROLL_TO_CITED = """() => { for (const box of document.querySelectorAll('#sources .tbox')) {
  const hit = box.querySelector('td.hit') || box.querySelector('td.row'); if (!hit) continue;
  const row = hit.closest('tr'), head = box.querySelector('tr');
  box.scrollTop = row.offsetTop - head.offsetHeight - (box.clientHeight - head.offsetHeight) / 3;
  box.scrollLeft = Math.max(0, hit.offsetLeft - box.clientWidth / 2); } }"""


def inert(text: str) -> str:
    """Text for the chat's markdown with no HTML in it: what a user types (and an answer that
    repeats it) is shown as typed, never as a tag (<img src=…> would be fetched from its host).
    `>` stays, so a quoted passage is still a markdown quote; no tag opens without `<`."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


class ChatState:
    """The knowledge base the app serves; replaced after an upload re-ingests the index."""

    def __init__(self, kb) -> None:
        self.kb = kb

    def reload(self) -> None:
        self.kb.refresh()

    def choices(self) -> tuple[list[str], list[str], list[str]]:
        docs = self.kb.documents
        return ([ALL, *sorted({d.department for d in docs})], [ALL, *sorted({str(d.year) for d in docs}, reverse=True)],
                [ALL, *sorted({d.kind for d in docs if d.kind})])

    def scope(self, department: str, year: str, kind: str) -> set[str] | None:
        if (department, year, kind) == (ALL, ALL, ALL):
            return None
        return {d.doc_id for d in self.kb.documents
                if department in (ALL, d.department) and year in (ALL, str(d.year)) and kind in (ALL, d.kind)}

    def in_scope(self, department: str, year: str, kind: str) -> list:
        scope = self.scope(department, year, kind)
        return [d for d in self.kb.documents if scope is None or d.doc_id in scope]

    def documents(self) -> list[tuple[str, str]]:
        """(what a reader calls a document, its doc_id) for a dropdown: never the file name."""
        return sorted((f"{d.department} {d.year}年度{d.kind}", d.doc_id) for d in self.kb.documents)

    def overview(self, department: str = ALL, year: str = ALL, kind: str = ALL) -> str:
        docs = sorted(self.in_scope(department, year, kind), key=lambda d: (d.department, -(d.year or 0), d.kind))
        rows = [inert(f"| {d.department} | {d.year} | {d.kind} | {d.title} |") for d in docs]
        return (f"**索引中的公开文件（{len(docs)}份）**\n\n| 部门 | 年度 | 类别 | 标题 |\n|---|---|---|---|\n"
                + "\n".join(rows))

    def compare(self, item: str, department: str, year: str, kind: str) -> str:
        """One item across the departments and years in the filters: the same answer the chat
        gives to 各部门的…分别是多少, as its table and chart."""
        if not item:
            return ""
        answer = self.kb.ask(f"各部门的{item}分别是多少？", self.scope(department, year, kind))
        record = answer.to_dict()
        return comparison_html(record, f"各部门{item}", anchors=False) or f"<p>{html.escape(record['answer'])}</p>"

    def charts(self, department: str, year: str, kind: str) -> str:
        """One document in the filters: its own charts. Several: the headline items compared
        across them, each bar from its cited cell."""
        docs = self.in_scope(department, year, kind)
        if not docs:
            return "<p>（所选范围内没有公开文件）</p>"
        if len(docs) > 1:
            return "\n".join(self.compare(item, department, year, kind) for item in OVERVIEW_ITEMS)
        doc = docs[0]
        facts = self.kb.corpus.facts_in({doc.doc_id})
        projects = self.kb.corpus.projects_in({doc.doc_id})
        return f"<h4>{html.escape(doc.department)} {doc.year}年度{doc.kind}</h4>" + charts_html(facts, projects)


def build(kb):
    import gradio as gr

    state = ChatState(kb)
    departments, years, kinds = state.choices()

    def respond(question: str, history: list, department: str, year: str, kind: str):
        question = (question or "").strip()
        if not question:
            yield [*history, {"role": "assistant", "content": EMPTY_QUESTION}], "", "", None, None
            return
        answer = state.kb.ask(question, state.scope(department, year, kind))
        record = answer.to_dict()
        text = inert("\n\n".join(filter(None, [record["answer"], confidence_note(answer.confidence)])))
        history = [*history, {"role": "user", "content": inert(question)}, {"role": "assistant", "content": ""}]
        step = max(STREAM_CHARS, -(-len(text) // STREAM_UPDATES))
        for end in range(step, len(text) + step, step):
            history[-1] = {"role": "assistant", "content": text[:end]}
            yield history, "", "", None, None  # an earlier answer's draft is not this one's
        yield history, "", sources_html(record, state.kb.table_facts), answer, None

    def export(answer):
        """The last answer as a Word draft reply, with its sources and any review flag."""
        if answer is None:
            return None
        from juesuan_qa.batch import Inquiry, make_draft, write_docx

        path = Path(tempfile.mkdtemp()) / "答复草稿.docx"
        write_docx([make_draft(Inquiry("1", answer.question), answer)], path)
        return str(path)

    def batch(file):
        if file is None:
            return None, None, "请先上传问题清单（.xlsx 或 .csv）。"
        from juesuan_qa.batch import answer_batch

        folder = Path(tempfile.mkdtemp())
        docx, xlsx = folder / "答复草稿.docx", folder / "答复草稿.xlsx"
        try:
            summary = answer_batch(state.kb, Path(file), docx)
            answer_batch(state.kb, Path(file), xlsx)
        except ValueError as error:
            from juesuan_qa.messages import reason_in_chinese

            return None, None, inert(f"无法处理：{reason_in_chinese(str(error))}")
        return str(docx), str(xlsx), f"共{summary.total}条，其中需复核{summary.needs_review}条。"

    def audit(doc_id):
        """The report on the page, and as Word and Excel to hand on."""
        if not doc_id:
            return "请选择一份公开文件。", None, None
        from juesuan_qa.audit import audit as run
        from juesuan_qa.audit_report import grouped, to_markdown, write_docx, write_xlsx

        reports = grouped(run(state.kb, doc_id), state.kb.corpus.documents)
        folder = Path(tempfile.mkdtemp())
        docx, xlsx = folder / "勾稽关系检查报告.docx", folder / "勾稽关系检查报告.xlsx"
        write_docx(reports, docx)
        write_xlsx(reports, xlsx)
        return inert(to_markdown(reports)), str(docx), str(xlsx)

    def upload(files):
        if not files:
            return "请选择文件。", state.overview(), gr.update(), gr.update(), gr.update(), gr.update()
        from juesuan_qa.kb import KnowledgeBase
        from juesuan_qa.messages import report_in_chinese

        report = KnowledgeBase.ingest([Path(f) for f in files], state.kb.settings.index_dir, settings=state.kb.settings)
        if report.ingested:
            state.reload()
        departments, years, kinds = state.choices()
        return (inert(report_in_chinese(report)), state.overview(), gr.update(choices=departments),
                gr.update(choices=years), gr.update(choices=kinds), gr.update(choices=state.documents()))

    with gr.Blocks(title="决算公开问答 juesuan-qa", analytics_enabled=False) as demo:
        last = gr.State(None)
        gr.Markdown("## 决算公开问答\n问部门决算、预算公开里的数字和说明；每个回答都附原文出处，点开“来源”可核对。")
        with gr.Row():
            department = gr.Dropdown(departments, value=ALL, label="部门", elem_id="filter-department")
            year = gr.Dropdown(years, value=ALL, label="年度", elem_id="filter-year")
            kind = gr.Dropdown(kinds, value=ALL, label="类别", elem_id="filter-kind")
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(label="问答", height=460, elem_id="chat")
                box = gr.Textbox(placeholder="例如：2023年三公经费是多少？", label="问题", elem_id="question")
                with gr.Row():
                    send = gr.Button("提问", variant="primary", elem_id="send")
                    save = gr.Button("导出这条回答为Word草稿", elem_id="export")
                draft = gr.File(label="答复草稿", elem_id="draft")
                gr.Examples(EXAMPLES, inputs=box, label="示例问题")
            with gr.Column(scale=2):
                with gr.Tab("来源"):
                    sources = gr.HTML(elem_id="sources")
                with gr.Tab("概览与图表"):
                    item = gr.Dropdown(list(COMPARABLE_ITEMS), value=None, label="对比一项（按上方筛选的部门、年度、类别）",
                                       elem_id="compare-item")
                    comparison = gr.HTML(elem_id="comparison")
                    charts = gr.HTML(elem_id="charts")
                    overview = gr.Markdown(elem_id="overview")
                with gr.Tab("批量答复"):
                    questions = gr.File(label="问题清单（.xlsx / .csv，一行一问）", file_types=[".xlsx", ".csv"])
                    run = gr.Button("生成答复草稿")
                    batch_note = gr.Markdown()
                    batch_docx = gr.File(label="Word 草稿")
                    batch_xlsx = gr.File(label="Excel 草稿")
                with gr.Tab("一致性检查"):
                    audit_doc = gr.Dropdown(state.documents(), label="公开文件", elem_id="audit-doc")
                    check = gr.Button("检查勾稽关系")
                    audit_report = gr.Markdown(elem_id="audit-report")
                    with gr.Row():
                        audit_docx = gr.File(label="检查报告（Word）", elem_id="audit-docx")
                        audit_xlsx = gr.File(label="检查报告（Excel）", elem_id="audit-xlsx")
                with gr.Tab("上传公开文件"):
                    files = gr.File(label="PDF / Word / Excel / Markdown", file_count="multiple",
                                    file_types=[".pdf", ".docx", ".xlsx", ".md", ".txt"])
                    add = gr.Button("校验并加入索引")
                    upload_note = gr.Markdown()
        ask_inputs = [box, chat, department, year, kind]
        for trigger in (send.click, box.submit):
            trigger(respond, ask_inputs, [chat, box, sources, last, draft]).then(None, js=SCROLL_TO_CITED)
        save.click(export, [last], [draft])
        for control in (department, year, kind):
            control.change(state.charts, [department, year, kind], [charts])
            control.change(state.overview, [department, year, kind], [overview])
        for control in (item, department, year, kind):
            control.change(state.compare, [item, department, year, kind], [comparison])
        run.click(batch, [questions], [batch_docx, batch_xlsx, batch_note])
        # filled when a page opens, not when the app is built: a reload shows what an ingest added
        demo.load(state.charts, [department, year, kind], [charts])
        demo.load(state.overview, [department, year, kind], [overview])
        add.click(upload, [files], [upload_note, overview, department, year, kind, audit_doc])
        check.click(audit, [audit_doc], [audit_report, audit_docx, audit_xlsx])
    # a table answer is milliseconds and a passage answer tens of them: questions are answered side by
    # side (each thread has its own store connection), not one visitor after another
    demo.queue(default_concurrency_limit=CONCURRENT_QUESTIONS)
    return demo


def app(kb):
    """The chat and the original pages its citations open, as one FastAPI app."""
    import gradio as gr

    from juesuan_qa.webserver import make_app

    theme = gr.themes.Soft(font=SYSTEM_FONTS, font_mono=MONO_FONTS)
    auth = None
    if os.environ.get("JUESUAN_PASSWORD"):
        auth = (os.environ.get("JUESUAN_USER", "juesuan"), os.environ["JUESUAN_PASSWORD"])
    return make_app(kb, build(kb), auth=auth, theme=theme, css=CSS)


def launch(kb, host: str = "127.0.0.1", port: int = 7860) -> None:
    import uvicorn

    kb.warm_in_background()
    print(f"* 决算公开问答: http://{host}:{port}/", flush=True)
    # open event streams of visitors would hold a shutdown: they get 3 s
    uvicorn.run(app(kb), host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
