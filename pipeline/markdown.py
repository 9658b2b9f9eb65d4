"""The one Markdown table formatter and number format used by reports, cards, stats and the README blocks."""

from __future__ import annotations

import math
from typing import Any, Sequence


def fmt(x: Any, digits: int = 3) -> str:
    """A value for a table: floats with 3 decimals, '–' for missing or non-finite, anything else as str."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


def cell(x: Any) -> str:
    """One cell: formatted, with pipes escaped and line breaks flattened so the row stays one row."""
    return fmt(x).replace("|", "\\|").replace("\n", " ")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table (no trailing newline)."""
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(x) for x in row) + " |" for row in rows]
    return "\n".join(lines)
