"""Helpers shared by CLI commands: consoles and turning ArgmineError into a one-line exit."""

from __future__ import annotations

from contextlib import contextmanager

import typer
from rich.console import Console

from ..errors import ArgmineError

SCHEMA_HELP = ("Label schema TOML (default: the schema named in argmine.toml or $ARGMINE_PROJECT, else the model's own "
               "schema.toml, else the packaged Armenia–Azerbaijan schema).")

console = Console()
err_console = Console(stderr=True)


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
        err_console.print(f"[bold red]error:[/] {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
