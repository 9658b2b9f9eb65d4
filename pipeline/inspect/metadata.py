"""Document metadata for inspecting results: dates, outlet, genre, vantage, language.

A results folder knows each document's title, byline and date line (documents.jsonl). Outlet, genre,
vantage and language live in a corpus manifest (``corpus/manifest.csv``: one row per ``doc_id``), which
``--metadata PATH`` names or which is found beside the documents' input folder.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Optional

import pandas as pd

from ..errors import OutputError

log = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.csv"
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}\b")
# Columns the report and summary offer as facets when the metadata has them.
FACET_COLUMNS = ("source", "outlet", "genre", "vantage", "language")


def iso_date(value: Optional[str]) -> str:
    """A document's date line as YYYY-MM-DD when it parses, else ''."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or not str(value).strip():
        return ""
    text = str(value).strip()
    try:
        if ISO_DAY.match(text):  # ISO first: dayfirst would read 2023-10-02 as 10 February
            return pd.Timestamp(text[:10]).strftime("%Y-%m-%d")
        return pd.to_datetime(text, format="mixed", dayfirst=True).strftime("%Y-%m-%d")
    except (ValueError, TypeError, OverflowError):
        return ""


def load_metadata(path: str | Path) -> pd.DataFrame:
    """A metadata CSV (one row per ``doc_id``) as a frame indexed by ``doc_id``; all values text."""
    path = Path(path)
    if not path.is_file():
        raise OutputError(f"--metadata {path}: no such file; pass a CSV with a doc_id column (e.g. corpus/manifest.csv)")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "doc_id" not in frame.columns:
        raise OutputError(f"{path}: has no doc_id column; its columns are {', '.join(frame.columns)}")
    dupes = frame["doc_id"][frame["doc_id"].duplicated()].tolist()
    if dupes:
        raise OutputError(f"{path}: doc_id {', '.join(sorted(set(dupes))[:5])} appears more than once; keep one row per document")
    return frame.set_index("doc_id")


def find_metadata(documents) -> Optional[Path]:
    """The manifest beside the documents' input folder (``corpus/texts/x.md`` → ``corpus/manifest.csv``)."""
    seen: set[Path] = set()
    for doc in documents:
        parent = Path(doc.path).parent
        for folder in (parent, parent.parent):
            candidate = folder / MANIFEST_NAME
            if candidate in seen:
                continue
            seen.add(candidate)
            if candidate.is_file():
                return candidate
    return None


def document_frame(view, metadata: str | Path | None = None) -> pd.DataFrame:
    """One row per document: ``title``, ``date`` (ISO or '') and every metadata column.

    The date comes from documents.jsonl when its date line parses, else from the metadata's ``date``.
    """
    rows = {d.doc_id: {"title": d.title or "", "date": iso_date(d.date), "author": d.author or ""} for d in view.documents}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    if frame.empty:
        frame = pd.DataFrame(columns=["title", "date", "author"])
    frame.index.name = "doc_id"
    path = Path(metadata) if metadata else find_metadata(view.documents)
    if path is None:
        return frame
    meta = load_metadata(path)
    unknown = sorted(set(frame.index) - set(meta.index))
    if unknown:
        log.info("%s: %d documents have no metadata row (e.g. %s)", path, len(unknown), unknown[0])
    meta = meta.reindex(frame.index).fillna("")
    if "date" in meta.columns:
        meta_dates = meta["date"].map(iso_date)
        frame["date"] = frame["date"].where(frame["date"] != "", meta_dates)
    for col in meta.columns:
        if col not in ("date", "title", "path"):
            frame[col] = meta[col]
    frame.attrs["metadata_path"] = str(path)
    return frame


def facet_columns(docs: pd.DataFrame) -> list[str]:
    """Metadata columns worth faceting on: known facet names with at least two different values."""
    return [c for c in FACET_COLUMNS if c in docs.columns and docs[c].astype(str).replace("", None).nunique() >= 2]
