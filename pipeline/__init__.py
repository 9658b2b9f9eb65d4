"""argmine: argument mining for political commentary.

The public names are imported lazily: `argmine show` should not pay for loading spaCy and torch.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

try:  # the one version number is pyproject.toml's
    from importlib.metadata import PackageNotFoundError, version as _dist_version

    __version__ = _dist_version("argmine")
except PackageNotFoundError:  # pragma: no cover - running from a source tree that was never installed
    __version__ = "0+unknown"

_EXPORTS = {
    "Pipeline": "runner",
    "RunResult": "runner",
    "LabelSchema": "schema",
    "ClaimRecord": "records",
    "DocumentRecord": "records",
    "AnnotatedDocument": "records",
    "load_results": "writers",
    "load_dataset": "writers",
}

__all__ = [*_EXPORTS, "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from .records import AnnotatedDocument, ClaimRecord, DocumentRecord  # noqa: F401
    from .runner import Pipeline, RunResult  # noqa: F401
    from .schema import LabelSchema  # noqa: F401
    from .writers import load_dataset, load_results  # noqa: F401


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'argmine' has no attribute {name!r}")
