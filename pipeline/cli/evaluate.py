"""`argmine evaluate` (score a run; `readme`, `learning-curve`) and `argmine benchmark` (external datasets)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from . import app
from .common import SCHEMA_HELP, THREADS_HELP, apply_threads, command_line as _command, console, run_learning_curve, training_progress as _progress, user_errors

evaluate_app = typer.Typer(help="Score a results folder against gold annotations and write an evaluation report.",
                           invoke_without_command=True, no_args_is_help=False)
benchmark_app = typer.Typer(help="Train and score on external benchmarks (IBM Claim Stance, ArgKP-2021).", no_args_is_help=True)
app.add_typer(evaluate_app, name="evaluate")
app.add_typer(benchmark_app, name="benchmark")


def _config(config: Optional[Path], **overrides):
    from ..model.config import TrainConfig

    cfg = TrainConfig.load(config) if config else TrainConfig()
    return cfg.model_copy(update={k: v for k, v in overrides.items() if v is not None})


@evaluate_app.callback()
def evaluate(
    ctx: typer.Context,
    gold: Optional[Path] = typer.Option(None, "--gold", "-g", help="Gold annotation folder or .jsonl file (default: argmine.toml's annotations, else annotations/)."),
    pred: Optional[Path] = typer.Option(None, "--pred", "-p", help="Results folder written by `argmine run`."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Report folder (metrics.json, report.md, report.html)."),
    schema: Optional[Path] = typer.Option(None, "--schema", help=SCHEMA_HELP),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="Corpus manifest with the split column (default: argmine.toml's manifest, else corpus/manifest.csv)."),
    double: Optional[Path] = typer.Option(None, "--double", help="Second-annotator folder (default GOLD/double)."),
    learning_curve: Optional[Path] = typer.Option(None, "--learning-curve", help="Folder or JSON from `argmine train --learning-curve`."),
    no_zero_shot: bool = typer.Option(False, "--no-zero-shot", help="Skip the zero-shot comparison (no encoder load)."),
    no_baselines: bool = typer.Option(False, "--no-baselines", help="Skip majority and TF-IDF + LR."),
) -> None:
    """Score PRED against GOLD at every stage and write metrics.json, report.md and report.html to OUT."""
    if ctx.invoked_subcommand is not None:
        return
    if pred is None or out is None:
        raise typer.BadParameter("--pred and --out are required (or use a subcommand: readme, learning-curve)")
    from argmine.evaluation.evaluate import evaluate as run_evaluation
    from argmine.evaluation.evaluate_report import comparison_rows, write
    from argmine.project import project_path

    with user_errors():
        gold = project_path(gold, "annotations", Path("annotations"))
        manifest = project_path(manifest, "manifest")
        with console.status("scoring…"):
            m = run_evaluation(gold, pred, schema, manifest, double, learning_curve, zero_shot=not no_zero_shot,
                               baselines=not no_baselines, command=_command(ctx))
            write(m, out)
    det = m["overall"]["detection"]["relaxed"]
    console.print(f"{len(m['documents']['scored'])} documents scored; claim detection F1 {det['f1']:.3f} "
                  f"(P {det['precision']:.3f}, R {det['recall']:.3f})")
    if m["documents"]["skipped_gold_only"] or m["documents"]["skipped_pred_only"]:
        g, r = m["documents"]["skipped_gold_only"], m["documents"]["skipped_pred_only"]
        console.print(f"skipped {len(g)} gold-only documents ({', '.join(g[:4])}{' …' if len(g) > 4 else ''}) and "
                      f"{len(r)} without gold ({', '.join(r[:4]) or '-'}{' …' if len(r) > 4 else ''}); all listed in the report",
                      highlight=False, soft_wrap=True)
    table = Table(title="held-out documents, matched claims", header_style="bold")
    for col in ("system", "stance acc", "stance F1", "scenario acc", "scenario F1", "n", "note"):
        table.add_column(col)
    from argmine.markdown import fmt

    for row in comparison_rows(m):
        table.add_row(*[fmt(x) if not isinstance(x, str) else x for x in row])
    console.print(table)
    console.print(f"wrote {out} (metrics.json, report.md, report.html)")


@evaluate_app.command("readme")
def readme(
    report: Optional[Path] = typer.Option(None, "--report", "-r", help="Evaluation report folder (its metrics.json)."),
    benchmark: list[Path] = typer.Option([], "--benchmark", "-b", help="Benchmark report folder(s); repeat the option."),
    readme_path: Path = typer.Option(Path("README.md"), "--readme", help="File whose <!-- eval:start --> … <!-- eval:end --> block is replaced."),
) -> None:
    """Regenerate the README's evaluation section from metrics.json files."""
    from argmine.evaluation.readme import update_readme

    if report is None and not benchmark:
        raise typer.BadParameter("give --report and/or --benchmark")
    with user_errors():
        update_readme(readme_path, report, benchmark)
    console.print(f"updated the eval block of {readme_path}")


@evaluate_app.command("learning-curve")
def learning_curve_cmd(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", "-o", help="Folder for learning_curve.json and its report."),
    annotations: Optional[Path] = typer.Option(None, "--annotations", "-a", help="Gold annotation folder (default: argmine.toml's annotations, else annotations/)."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="Training config TOML."),
    schema: Optional[Path] = typer.Option(None, "--schema", help=SCHEMA_HELP),
    sizes: Optional[str] = typer.Option(None, "--sizes", help="Comma-separated numbers of train documents (default 1,2,4,…,all)."),
    epochs: Optional[int] = typer.Option(None, "--epochs", help="Override the config's epochs."),
) -> None:
    """Macro-F1 of the fine-tuned model against the number of training documents (same as `argmine train --learning-curve`)."""
    from argmine.project import project_path, resolve_schema

    with user_errors():
        annotations = project_path(annotations, "annotations", Path("annotations"))
        run_learning_curve(ctx, annotations, _config(config, epochs=epochs), resolve_schema(schema), sizes, out)


@benchmark_app.command("ibm-claim-stance")
def ibm_claim_stance(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", "-o", help="Report folder (metrics.json, report.md, report.html)."),
    data: Optional[Path] = typer.Option(None, "--data", "-d", help="claim_stance_dataset_v1.csv or its folder (default $ARGMINE_BENCHMARKS/ibm_claim_stance, else ../shared/benchmarks/ibm_claim_stance beside the repository)."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="Training config TOML (default: MiniLM, 4 epochs, max_length 64, lr 2e-5)."),
    epochs: int = typer.Option(4, "--epochs", help="Maximum epochs (early stopping on held-out train topics)."),
    max_length: int = typer.Option(64, "--max-length", help="Tokens of (target, claim); claims are one sentence."),
    batch_size: int = typer.Option(16, "--batch-size"),
    max_train: Optional[int] = typer.Option(None, "--max-train", help="Subsample the training claims (CPU budget)."),
    seed: int = typer.Option(13, "--seed"),
    learning_rate: Optional[float] = typer.Option(None, "--learning-rate", help="Encoder learning rate (default 2e-5)."),
    formulation: str = typer.Option("all", "--formulation", help="Candidate inputs: 'target' ((topic target, claim) + topic sentiment), 'topic' ((topic text, claim)) or 'all' (both)."),
    candidates: str = typer.Option("all", "--candidates", help="'finetune' (trained encoder), 'probe' (frozen encoder + logistic regression) or 'all'."),
    aux: str = typer.Option("none", "--aux", help="'argkp': each candidate also comes with ArgKP-2021 arguments on motions that overlap no IBM topic added to its training rows; 'none': IBM train topics only."),
    aux_data: Optional[Path] = typer.Option(None, "--aux-data", help="ArgKP-2021 folder for --aux argkp (default: beside --data's default)."),
    select: str = typer.Option("dev", "--select", help="Choose the reported candidate by macro-F1 on 3 held-out train topics ('dev') or pooled over a grouped cross-validation of the train topics ('cv': slower, steadier)."),
    folds: int = typer.Option(5, "--folds", help="Folds for --select cv."),
    threads: Optional[int] = typer.Option(None, "--threads", help=THREADS_HELP),
) -> None:
    """Fit candidate stance models on the train topics, pick one on held-out train topics only; score all on the test topics."""
    from argmine.evaluation.benchmarks.ibm_claim_stance import run_benchmark

    with user_errors():
        apply_threads(threads)
        cfg = _config(config, epochs=epochs, max_length=max_length, batch_size=batch_size, seed=seed,
                      learning_rate=learning_rate if learning_rate is not None else (None if config else 2e-5))
        with _progress() as bar:
            m = run_benchmark(data, out, cfg, max_train=max_train, progress=bar, command=_command(ctx), formulation=formulation,
                              candidates=candidates, aux=aux, aux_data=aux_data, select_by=select, folds=folds)
    for name, c in m["candidates"].items():
        cv = f"CV macro-F1 {c['cv']['macro_f1']:.3f} | " if c.get("cv") else ""
        console.print(f"{name:<24} dev macro-F1 {c['dev']['macro_f1']:.3f} | {cv}test accuracy {c['test']['accuracy']:.3f}, "
                      f"macro-F1 {c['test']['macro_f1']:.3f}{'  ← selected (' + select + ')' if c['selected'] else ''}")
    best = max((v for k, v in m["baselines"].items() if k.startswith("tfidf")), key=lambda v: v["accuracy"])
    console.print(f"selected {m['selected']['name']}: accuracy {m['accuracy']:.3f}, macro-F1 {m['macro_f1']:.3f} | best TF-IDF+LR: accuracy "
                  f"{best['accuracy']:.3f}, macro-F1 {best['macro_f1']:.3f} | {m['wall_time_s']:.0f} s, peak {m['peak_memory_mb']:.0f} MB → {out}")


@benchmark_app.command("argkp")
def argkp(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", "-o", help="Report folder (metrics.json, report.md, report.html)."),
    data: Optional[Path] = typer.Option(None, "--data", "-d", help="ArgKP-2021 folder (default: ../shared/benchmarks/ibm_argkp_2021 beside the repository, or $ARGMINE_BENCHMARKS)."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="Training config TOML (default: MiniLM, 2 epochs, max_length 64)."),
    epochs: int = typer.Option(2, "--epochs"),
    max_length: int = typer.Option(64, "--max-length"),
    batch_size: int = typer.Option(32, "--batch-size"),
    max_train: Optional[int] = typer.Option(None, "--max-train", help="Subsample the labelled train pairs (CPU budget)."),
    seed: int = typer.Option(13, "--seed"),
    learning_rate: Optional[float] = typer.Option(None, "--learning-rate", help="Encoder learning rate (default 5e-5)."),
    threads: Optional[int] = typer.Option(None, "--threads", help=THREADS_HELP),
) -> None:
    """Fine-tune the claim–description matcher on ArgKP train; track-1 mAP (strict, relaxed) on test."""
    from argmine.evaluation.benchmarks.argkp import run_benchmark

    with user_errors():
        apply_threads(threads)
        cfg = _config(config, epochs=epochs, max_length=max_length, batch_size=batch_size, seed=seed,
                      learning_rate=learning_rate if learning_rate is not None else (None if config else 5e-5))
        with _progress() as bar:
            m = run_benchmark(data, out, cfg, max_train=max_train, progress=bar, command=_command(ctx))
    z = m["baselines"]["zero_shot"]
    console.print(f"model: mAP strict {m['map_strict']:.3f}, relaxed {m['map_relaxed']:.3f} | zero-shot: {z['map_strict']:.3f} / "
                  f"{z['map_relaxed']:.3f} | {m['wall_time_s']:.0f} s, peak {m['peak_memory_mb']:.0f} MB → {out}")
