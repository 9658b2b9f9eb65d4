"""`argmine train`: fine-tune the stance/scenario model on gold annotations, or cross-validate it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from . import app
from .common import SCHEMA_HELP, THREADS_HELP, apply_threads, console, run_learning_curve, training_progress as _progress, user_errors, with_project


@app.command()
def train(
    ctx: typer.Context,
    annotations: Optional[Path] = typer.Option(None, "--annotations", "-a", help="Gold annotation folder or .jsonl file (default: argmine.toml's annotations, else annotations/)."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="Training config TOML (default: the built-in defaults, which equal models/configs/default.toml)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Model folder to write (e.g. models/default); with --cv, where cv.json and cv.md go."),
    schema: Optional[Path] = typer.Option(None, "--schema", help=SCHEMA_HELP),
    cv: int = typer.Option(0, "--cv", help="K-fold cross-validation grouped by document instead of training one model (K ≥ 2)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Override the config's seed."),
    epochs: Optional[int] = typer.Option(None, "--epochs", help="Override the config's epochs."),
    context: Optional[str] = typer.Option(None, "--context", help="Override the context fed with the claim: none, section, previous or section+previous."),
    no_zero_shot: bool = typer.Option(False, "--no-zero-shot", help="Skip the zero-shot baseline in the comparison."),
    learning_curve: bool = typer.Option(False, "--learning-curve", help="Train on 1, 2, 4, … train documents, score each on the test split; OUT is the report folder."),
    sizes: Optional[str] = typer.Option(None, "--sizes", help="With --learning-curve: comma-separated numbers of train documents."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing model folder."),
    threads: Optional[int] = typer.Option(None, "--threads", help=THREADS_HELP),
) -> None:
    """Train on ANNOTATIONS with CONFIG and save a model folder to OUT; or --cv K; or --learning-curve."""
    from ..model.config import TrainConfig, resolve_base_model
    from ..project import project_path, resolve_schema

    with user_errors():
        cfg = TrainConfig.load(config)
        apply_threads(threads if threads is not None else cfg.threads)
        annotations = project_path(annotations, "annotations", Path("annotations"))
        updates = {k: v for k, v in (("seed", seed), ("epochs", epochs)) if v is not None}
        if context is not None:
            parts = set(context.split("+")) - {"none"}
            if parts - {"section", "previous"}:
                raise typer.BadParameter("--context: use none, section, previous or section+previous")
            updates.update(context_section="section" in parts, context_previous="previous" in parts)
        cfg = with_project(cfg.model_copy(update=updates))
        if out is None:
            raise typer.BadParameter("--out is required (a model folder, or a report folder with --cv)")
        if cv == 1 or cv < 0:
            raise typer.BadParameter("--cv needs K ≥ 2")
        if cv and learning_curve:
            raise typer.BadParameter("--cv and --learning-curve are separate runs; give one of them")
        if sizes and not learning_curve:
            raise typer.BadParameter("--sizes only applies with --learning-curve")
        if learning_curve:
            run_learning_curve(ctx, annotations, cfg, resolve_schema(schema), sizes, out)
            return
        if not cv and out.exists() and any(out.iterdir()) and not overwrite:
            from ..errors import ModelError

            raise ModelError(f"{out}: exists and is not empty; pass --overwrite or choose another --out")
        sch = resolve_schema(schema)
        resolve_base_model(cfg.base_model)  # an unreadable base model fails here, before any loading/training
        from ..model.experiment import load_corpus

        corpus = load_corpus(annotations, sch)
        console.print(f"{len(corpus.doc_ids)} documents, {len(corpus.claims)} claims; base model {cfg.base_model}; context {cfg.context_name()}")
        if cv:
            _cross_validate(corpus, cfg, cv, out, not no_zero_shot)
        else:
            train_one(corpus, cfg, out, sch, not no_zero_shot, overwrite=True)


def train_one(corpus, cfg, out: Path, sch, with_zero_shot: bool, overwrite: bool) -> None:
    """Train, save and report one model (shared by `argmine train` and `argmine model build`)."""
    from ..model.build import build_model
    from ..model.card import EVAL_TITLES, score_rows

    epochs = Table(title="epochs", header_style="bold")
    for col in ("epoch", "loss", "dev stance F1", "dev scenario F1", "s"):
        epochs.add_column(col, justify="right")

    def on_epoch(row: dict) -> None:
        bar.console.print(f"epoch {row['epoch']}: loss {row['loss']:.3f}, dev stance F1 {row.get('dev_stance_macro_f1', float('nan')):.3f}, "
                          f"dev scenario F1 {row.get('dev_scenario_macro_f1', float('nan')):.3f} ({row['seconds']} s)", highlight=False)
        epochs.add_row(str(row["epoch"]), f"{row['loss']:.3f}", f"{row.get('dev_stance_macro_f1', float('nan')):.3f}",
                       f"{row.get('dev_scenario_macro_f1', float('nan')):.3f}", str(row["seconds"]))

    bar = _progress()
    with bar:
        digest, metrics = build_model(corpus, cfg, out, sch, overwrite=overwrite, progress=bar, on_epoch=on_epoch,
                                      with_zero_shot=with_zero_shot)
    console.print(epochs)
    split = metrics["split"]
    console.print(f"split ({split['source']}): train {len(split['train'])} docs, dev {len(split['dev'])}, test {len(split['test'])} ({', '.join(split['test']) or '-'})")
    for key, title in EVAL_TITLES:
        if key in metrics["eval"]:
            _print_scores(metrics["eval"][key], title, score_rows)
    if "verdict" in metrics:
        loses = metrics["verdict"]["winner"] != "fine-tuned"
        console.print(("[bold yellow]warning:[/] " if loses else "") + metrics["verdict"]["why"], highlight=False)
    console.print(f"saved {out} (model {cfg.name}@{digest}); model card {out / 'README.md'}")


def _print_scores(scores: dict, title: str, score_rows) -> None:
    table = Table(title=title, header_style="bold")
    for col in ("system", "stance F1", "stance acc", "scenario F1", "scenario acc", "claims"):
        table.add_column(col, justify="right" if col != "system" else "left")
    for row in score_rows(scores):
        table.add_row(*row)
    console.print(table)


def _cross_validate(corpus, cfg, k: int, out: Path, with_zero_shot: bool) -> None:
    from ..markdown import markdown_table
    from ..model.card import cv_rows
    from ..model.experiment import cross_validate

    def on_fold(i: int, scores: dict) -> None:
        ft, lr = scores["fine-tuned"], scores["tfidf-lr"]
        console.print(f"fold {i}/{k}: fine-tuned stance {ft['stance']['macro_f1']:.3f} scenario {ft['scenario']['macro_f1']:.3f} | "
                      f"tfidf-lr stance {lr['stance']['macro_f1']:.3f} scenario {lr['scenario']['macro_f1']:.3f}")

    with _progress() as bar:
        result = cross_validate(corpus, cfg, k, progress=bar, on_fold=on_fold, with_zero_shot=with_zero_shot)
    header = ["system", "stance macro-F1", "stance acc", "scenario macro-F1", "scenario acc"]
    table = Table(title=f"{k}-fold CV grouped by document (mean ± std), context {result['context']}", header_style="bold")
    for col in header:
        table.add_column(col)
    rows = cv_rows(result["summary"])
    for row in rows:
        table.add_row(*row)
    console.print(table)
    from ..writers import atomic_write_text

    result["config"] = cfg.model_dump()
    atomic_write_text(out / "cv.json", json.dumps(result, indent=2, default=str))
    atomic_write_text(out / "cv.md", f"# {k}-fold CV, context {result['context']}\n\n{result['n_docs']} documents, {result['n_claims']} claims\n\n" + markdown_table(header, rows) + "\n")
    console.print(f"wrote {out / 'cv.json'} and {out / 'cv.md'}")
