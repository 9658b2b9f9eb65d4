"""Errors that say what was wrong, where, and how to fix it."""

from __future__ import annotations

import os

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from pydantic import ValidationError


class ArgmineError(Exception):
    """Base class: the message is one line a user can act on."""


class InputError(ArgmineError):
    """An input document could not be read or used."""

    def __init__(self, path: "str | os.PathLike[str]", problem: str, fix: str = "") -> None:
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


def validation_message(error: "ValidationError") -> str:
    """The first problem of a pydantic ValidationError as "field.path: message" (the one translator)."""
    first = error.errors()[0]
    loc = ".".join(str(x) for x in first["loc"])
    return f"{loc}: {first['msg']}" if loc else first["msg"]


def read_toml(raw: bytes, where: str, error: type[ArgmineError], hint: str = "") -> dict:
    """Parse TOML bytes; a syntax or encoding error becomes ``error`` naming ``where`` and the fix."""
    import tomllib

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise error(f"{where}: not valid TOML ({e}); {hint or 'fix the syntax at the place named'}") from e
