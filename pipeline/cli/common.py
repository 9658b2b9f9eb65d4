"""Helpers shared by CLI commands: consoles and turning ArgmineError into a one-line exit.

Both consoles print text as it is: rich markup is off, so a path like ``notes[draft].txt`` or a
claim holding ``[/b]`` is shown verbatim and can never crash or restyle the output. Results go to
stdout (``console``); errors, warnings and notes to stderr (``err_console``).
"""

from __future__ import annotations

import shlex
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from ..errors import ArgmineError

SCHEMA_HELP = ("Label schema TOML (default: the schema named in argmine.toml or $ARGMINE_PROJECT, else the model's own "
               "schema.toml, else the packaged Armenia–Azerbaijan schema).")

console = Console(markup=False, highlight=False)
err_console = Console(stderr=True, markup=False, highlight=False)

# Exit codes scripts can rely on (README "Exit codes").
EXIT_OK, EXIT_NOTHING, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def note(message: object, label: str = "note", style: str = "yellow") -> None:
    """One labelled line on stderr; the message is never read as markup."""
    err_console.print(Text.assemble((f"{label}: ", style), str(message)), soft_wrap=True)


def error(message: object, label: str = "error") -> None:
    note(message, label, "bold red")


def with_project(cfg):
    """A TrainConfig with argmine.toml's manifest and test_docs, where the config file names none itself."""
    from ..project import find_project

    project = find_project()
    updates: dict = {}
    if project and project.manifest and "manifest" not in cfg.model_fields_set:
        updates["manifest"] = str(project.manifest)
    if project and project.test_docs and "test_docs" not in cfg.model_fields_set:
        updates["test_docs"] = list(project.test_docs)
    return cfg.model_copy(update=updates) if updates else cfg


@contextmanager
def user_errors():
    """Print an ArgmineError as one red line and exit 2, instead of a traceback."""
    try:
        yield
    except ArgmineError as e:
        error(e)
        raise typer.Exit(EXIT_USAGE) from None


def command_line(ctx) -> str:
    """The command line as a user would retype it, rebuilt from the parsed options (not sys.argv,
    which under a test runner or `python -m` is something else)."""
    parts = ["argmine", *ctx.command_path.split()[1:]]
    for name, value in ctx.params.items():
        if name == "ctx" or value in (None, False, [], ()):
            continue
        flag = "--" + name.replace("_", "-").removesuffix("-path")
        for v in value if isinstance(value, (list, tuple)) else [value]:
            parts += [flag] if v is True else [flag, shlex.quote(str(v))]
    return " ".join(parts)


def training_progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("loss {task.fields[loss]:.3f}"), TextColumn("[cyan]{task.fields[dev]}"), console=err_console)


def run_learning_curve(ctx: typer.Context, annotations: Path, cfg, schema, sizes: Optional[str], out: Path) -> None:
    """Shared by `argmine train --learning-curve` and `argmine evaluate learning-curve`."""
    from argmine.evaluation.learning_curve import learning_curve, write

    try:
        size_list = [int(s) for s in sizes.split(",")] if sizes else None
    except ValueError:
        raise typer.BadParameter("--sizes: comma-separated integers, e.g. 2,4,8,16") from None
    with training_progress() as bar:
        result = learning_curve(annotations, with_project(cfg), schema, size_list, progress=bar, command=command_line(ctx))
    write(result, out)
    for p in result["points"]:
        console.print(f"{p['train_documents']:>3} docs: stance {p['stance_macro_f1']:.3f}  scenario {p['scenario_macro_f1']:.3f}")
    console.print(f"wrote {out}; pass it to `argmine evaluate --learning-curve {out}`")


def apply_threads(threads: Optional[int]) -> None:
    """torch's intra-op thread count, set once by the CLI from --threads (default: every core of this machine)."""
    from ..model.config import set_threads

    set_threads(threads)


THREADS_HELP = "CPU threads for torch (default: every core available to this process)."
