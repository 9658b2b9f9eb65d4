"""Errors that say what was wrong, where, and how to fix it."""

from __future__ import annotations


class ArgmineError(Exception):
    """Base class: the message is one line a user can act on."""


class InputError(ArgmineError):
    """An input document could not be read or used."""

    def __init__(self, path: str, problem: str, fix: str = "") -> None:
        self.path, self.problem, self.fix = str(path), problem, fix
        super().__init__(f"{path}: {problem}" + (f" — {fix}" if fix else ""))


class SchemaError(ArgmineError):
    """The label schema file is malformed."""


class AnnotationError(ArgmineError):
    """A gold annotation file is malformed or does not fit its text."""


class ModelError(ArgmineError):
    """A model folder is missing, incomplete or does not fit the schema."""


class OutputError(ArgmineError):
    """The output location cannot be used."""
