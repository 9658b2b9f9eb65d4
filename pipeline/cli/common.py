"""Helpers shared by CLI commands: consoles and turning ArgmineError into a one-line exit."""

from __future__ import annotations

from contextlib import contextmanager

import typer
from rich.console import Console

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
