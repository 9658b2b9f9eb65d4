"""argmine: argument mining for political commentary."""

from __future__ import annotations

__version__ = "0.1.0"

from .records import AnnotatedDocument, ClaimRecord, DocumentRecord  # noqa: E402
from .runner import Pipeline, RunResult  # noqa: E402
from .schema import LabelSchema  # noqa: E402
from .writers import load_dataset, load_results  # noqa: E402

__all__ = ["Pipeline", "RunResult", "LabelSchema", "ClaimRecord", "DocumentRecord", "AnnotatedDocument", "load_results", "load_dataset", "__version__"]
