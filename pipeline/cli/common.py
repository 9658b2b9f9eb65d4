"""Helpers shared by CLI commands: consoles and turning ArgmineError into a one-line exit."""

from __future__ import annotations

import shlex
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..errors import ArgmineError

console = Console()
err_console = Console(stderr=True)


@contextmanager
def user_errors():
    """Print an ArgmineError as one red line and exit 2, instead of a traceback."""
    try:
        yield
    except ArgmineError as e:
        err_console.print(f"[bold red]error:[/] {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


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
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("loss {task.fields[loss]:.3f}"), TextColumn("[cyan]{task.fields[dev]}"), console=err_console)


def run_learning_curve(ctx: typer.Context, annotations: Path, cfg, schema, sizes: Optional[str], out: Path) -> None:
    """Shared by `argmine train --learning-curve` and `argmine evaluate learning-curve`."""
    from argmine.evaluation.learning_curve import learning_curve, write

    try:
        size_list = [int(s) for s in sizes.split(",")] if sizes else None
    except ValueError:
        raise typer.BadParameter("--sizes: comma-separated integers, e.g. 2,4,8,16") from None
    with training_progress() as bar:
        result = learning_curve(annotations, cfg, schema, size_list, progress=bar, command=command_line(ctx))
    write(result, out)
    for p in result["points"]:
        console.print(f"{p['train_documents']:>3} docs: stance {p['stance_macro_f1']:.3f}  scenario {p['scenario_macro_f1']:.3f}")
    console.print(f"wrote [bold]{out}[/]; pass it to `argmine evaluate --learning-curve {out}`")


def apply_threads(threads: Optional[int]) -> None:
    """torch's intra-op thread count, set once by the CLI from --threads (default: every core of this machine)."""
    from ..model.config import set_threads

    set_threads(threads)


THREADS_HELP = "CPU threads for torch (default: every core available to this process)."
