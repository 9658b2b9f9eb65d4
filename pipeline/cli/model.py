"""`argmine model`: build the default model into the argmine home, list built models, print a model's path."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from . import app
from .common import SCHEMA_HELP, THREADS_HELP, apply_threads, console, user_errors, with_project

model_app = typer.Typer(help="Trained models in the argmine home ($ARGMINE_HOME or the user data directory).",
                        no_args_is_help=True)
app.add_typer(model_app, name="model")


@model_app.command("build")
def build(
    name: str = typer.Option("default", "--name", "-n", help="Model name in the home (`argmine run --model NAME`)."),
    annotations: Optional[Path] = typer.Option(None, "--annotations", "-a", help="Gold annotation folder (default: argmine.toml's, else annotations/)."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="Training config TOML (default: the built-in defaults, which equal models/configs/default.toml)."),
    schema: Optional[Path] = typer.Option(None, "--schema", help=SCHEMA_HELP),
    overwrite: bool = typer.Option(False, "--overwrite", help="Rebuild even when the model is already built."),
    threads: Optional[int] = typer.Option(None, "--threads", help=THREADS_HELP),
) -> None:
    """Train a model on ANNOTATIONS into the argmine home (what `make demo` runs); a built model is kept unless --overwrite."""
    from ..model.config import TrainConfig
    from ..model.experiment import load_corpus
    from ..model.home import is_built, model_path
    from ..project import project_path, resolve_schema
    from .train import train_one

    with user_errors():
        out = model_path(name)
        if is_built(out) and not overwrite:
            console.print(f"model {name!r} is already built at {out} (pass --overwrite to rebuild)", markup=False)
            return
        cfg, sch = with_project(TrainConfig.load(config)), resolve_schema(schema)
        annotations = project_path(annotations, "annotations", Path("annotations"))
        apply_threads(threads if threads is not None else cfg.threads)
        corpus = load_corpus(annotations, sch)
        console.print(f"{len(corpus.doc_ids)} documents, {len(corpus.claims)} claims; base model {cfg.base_model}; "
                      f"building {name!r} in {out}", markup=False)
        train_one(corpus, cfg, out, sch, with_zero_shot=True, overwrite=True)


@model_app.command("list")
def list_cmd() -> None:
    """The models built in the argmine home."""
    from ..model.home import list_models, models_dir

    models = list_models()
    if not models:
        console.print(f"no models in {models_dir()}; build the default one with `argmine model build`", markup=False)
        return
    table = Table(title=f"models in {models_dir()}", header_style="bold")
    for col in ("name", "model id", "schema", "created"):
        table.add_column(col)
    for m in models:
        schema = m.meta.get("schema", {})
        table.add_row(m.name, f"{m.meta.get('name', '?')}@{m.meta.get('hash', '?')}",
                      f"{schema.get('name', '?')} {schema.get('version', '')}", str(m.meta.get("created", "?")))
    console.print(table)


@model_app.command("path")
def path_cmd(name: str = typer.Argument("default", help="Model name.")) -> None:
    """Print the folder of a built model (exit 2 when it is not built)."""
    from ..model.home import resolve_model

    with user_errors():
        typer.echo(str(resolve_model(name)))
