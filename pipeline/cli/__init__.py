"""The `argmine` command line: a thin typer layer that parses options and calls the library."""

from __future__ import annotations

import logging
import os

import typer

# Nothing may reach for a model hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

app = typer.Typer(
    name="argmine",
    help="Argument mining for political commentary: segment, extract actors and claims, classify stance and scenario.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"argmine {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug detail."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    from rich.logging import RichHandler

    from .common import err_console

    # Log lines are warnings and errors: stderr, never mixed into the results on stdout; no markup.
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=err_console, show_path=False, show_time=False, markup=False)],
        force=True,
    )


# Each command module registers itself on `app`.
from . import run as _run  # noqa: E402,F401
from . import inspect as _inspect  # noqa: E402,F401
from . import annotations_cmd as _annotations  # noqa: E402,F401
from . import train as _train  # noqa: E402,F401
from . import evaluate as _evaluate  # noqa: E402,F401
from . import model as _model  # noqa: E402,F401


def main() -> None:
    app()
