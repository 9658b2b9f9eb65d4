"""Helpers shared by CLI commands: consoles and turning ArgmineError into a one-line exit.

Both consoles print text as it is: rich markup is off, so a path like ``notes[draft].txt`` or a
claim holding ``[/b]`` is shown verbatim and can never crash or restyle the output. Results go to
stdout (``console``); errors, warnings and notes to stderr (``err_console``).
"""

from __future__ import annotations

from contextlib import contextmanager

import typer
from rich.console import Console
from rich.text import Text

from ..errors import ArgmineError

console = Console(markup=False, highlight=False)
err_console = Console(stderr=True, markup=False, highlight=False)

# Exit codes scripts can rely on (README "Exit codes").
EXIT_OK, EXIT_NOTHING, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def note(message: object, label: str = "note", style: str = "yellow") -> None:
    """One labelled line on stderr; the message is never read as markup."""
    err_console.print(Text.assemble((f"{label}: ", style), str(message)), soft_wrap=True)


def error(message: object, label: str = "error") -> None:
    note(message, label, "bold red")


@contextmanager
def user_errors():
    """Print an ArgmineError as one red line and exit 2, instead of a traceback."""
    try:
        yield
    except ArgmineError as e:
        error(e)
        raise typer.Exit(EXIT_USAGE) from None
