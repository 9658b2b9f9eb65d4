"""The output layer: writing and loading a results folder (claims.jsonl/.parquet/.csv, documents.jsonl),
and the one place for output safety — preflight of ``--out``, atomic writes of files and folders,
CSV formula neutralisation and doc-id checks. docs/reliability.md explains each."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, TextIO

from .atomic import atomic_dir, atomic_write, atomic_write_text, clean_stale
from .errors import OutputError
from .records import ClaimRecord, DocumentRecord

if TYPE_CHECKING:
    import io

    import datasets
    import pandas as pd

log = logging.getLogger(__name__)

__all__ = ["atomic_dir", "atomic_write", "atomic_write_text", "clean_stale"]  # re-exported: writers is where callers look

CLAIMS_JSONL = "claims.jsonl"
DOCUMENTS_JSONL = "documents.jsonl"
# Columns holding lists/dicts: flattened to JSON strings in CSV, kept nested in Parquet.
NESTED = ("actors", "mentions", "citations", "stance_scores", "scenario_scores")


def prepare_out_dir(out: Path, overwrite: bool) -> None:
    """Refuse to clobber an existing result folder unless asked to."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder; choose another --out")
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise OutputError(f"{out}: folder exists and is not empty; pass --overwrite or choose another --out")


def preflight(out: Path, inputs: Iterable[Path], overwrite: bool, estimate_bytes: int = 0) -> None:
    """Check ``--out`` before the slow part: usable, writable, with room, and not inside an input folder.

    A rerun with ``--out`` inside an input folder would read its own ``texts/`` copies as inputs.
    """
    out = Path(out)
    prepare_out_dir(out, overwrite)
    target = out.resolve()
    for item in inputs:
        item = Path(item)
        if item.is_dir() and (target == item.resolve() or item.resolve() in target.parents):
            raise OutputError(f"{out}: is inside the input folder {item}; a rerun would read its own results as input. "
                              "Choose an --out outside the input folders")
        if target in item.resolve().parents:
            raise OutputError(f"{out}: holds the input {item}; replacing the folder would delete it. "
                              "Choose another --out or move the input")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        probe = out.parent / f".{out.name}.probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        raise OutputError(f"{out}: cannot write into {out.parent} ({e.strerror}); "
                          "check its permissions or choose another --out") from e
    free = shutil.disk_usage(out.parent).free
    if free < estimate_bytes:
        raise OutputError(f"{out}: {out.parent} has {free / 1e6:.1f} MB free, the results need about "
                          f"{estimate_bytes / 1e6:.1f} MB; free some space or choose another --out")


def estimate_output_bytes(files: Iterable[Path]) -> int:
    """A generous guess of a results folder's size: texts copy plus claims in three formats."""
    total = 0
    for f in files:
        try:
            total += Path(f).stat().st_size
        except OSError:
            pass
    return 4 * total + (1 << 20)


def write_results(
    out: Path,
    documents: list[DocumentRecord],
    claims: list[ClaimRecord],
    texts: dict[str, str] | None = None,
    extra: dict[str, object] | None = None,
    overwrite: bool = False,
    raw_csv: bool = False,
) -> Path:
    """Write the results folder; it appears complete or not at all (see :func:`atomic_dir`).

    ``raw_csv`` keeps CSV cells verbatim instead of neutralising spreadsheet formulas.
    """
    prepare_out_dir(out, overwrite)

    def build(tmp: Path) -> None:
        _write_jsonl(tmp / DOCUMENTS_JSONL, (d.model_dump(mode="json") for d in documents))
        rows = [c.model_dump(mode="json") for c in claims]
        _write_jsonl(tmp / CLAIMS_JSONL, rows)
        df = _claims_frame(rows)
        df.to_parquet(tmp / "claims.parquet", index=False)
        flat = df.copy()
        for col in NESTED:
            flat[col] = flat[col].map(lambda v: json.dumps(_plain(v), ensure_ascii=False))
        write_csv(flat, tmp / "claims.csv", raw=raw_csv)
        if texts:
            (tmp / "texts").mkdir()
            for doc_id, text in texts.items():
                text_path(tmp, doc_id).write_text(text, encoding="utf-8")
        if extra:
            (tmp / "run.json").write_text(json.dumps(extra, indent=2, ensure_ascii=False), encoding="utf-8")

    try:
        return atomic_dir(out, build)
    except OSError as e:
        raise OutputError(f"{out}: cannot write the results ({e.strerror}); the previous results, if any, are "
                          "untouched. Free some space or choose another --out") from e


# --- safe text out ------------------------------------------------------------------------------
# OWASP CSV injection: a cell starting with one of these is run as a formula by spreadsheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """Prefix a formula-like string cell with a quote so spreadsheets show it as text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(df: "pd.DataFrame", dest: "Path | TextIO | io.StringIO | None" = None, raw: bool = False, **kw) -> str | None:
    """The one CSV writer: text cells neutralised unless ``raw``; numbers are never touched."""
    if not raw:
        df = df.copy()
        for col in df.columns:
            if df[col].dtype.kind not in "biufc":  # object or string columns; numbers stay numbers
                df[col] = df[col].map(csv_safe)
    kw.setdefault("index", False)
    return df.to_csv(dest, **kw)


_DOC_ID = re.compile(r"^[^/\\\x00]+$")


def check_doc_id(doc_id: str, where: object) -> str:
    """A doc id safe to use as a file name: no separators, no NUL, not '.' or '..'."""
    if not isinstance(doc_id, str) or not _DOC_ID.match(doc_id) or doc_id in (".", ".."):
        raise OutputError(f"{where}: doc_id {doc_id!r} is not a plain file name (path separators, NUL or '..'); "
                          "the results folder was edited or crafted: rerun `argmine run`")
    return doc_id


def text_path(results: Path, doc_id: str) -> Path:
    """``texts/DOC_ID.txt`` of a results folder, for a checked doc id."""
    return Path(results) / "texts" / f"{check_doc_id(doc_id, results)}.txt"


def _plain(value):
    """numpy arrays/structs from Parquet back to plain lists and dicts."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    return value


def _write_jsonl(path: Path, rows: Iterable[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _claims_frame(rows: list[dict]) -> "pd.DataFrame":
    import pandas as pd

    columns = list(ClaimRecord.model_fields)
    df = pd.DataFrame(rows, columns=columns)
    for col in NESTED:
        # Parquet cannot store a dict with varying keys as a struct reliably: keep scores as JSON maps.
        if col.endswith("_scores"):
            df[col] = df[col].map(lambda d: [{"label": k, "score": v} for k, v in (d or {}).items()])
    return df


def read_claims(results: Path) -> list[ClaimRecord]:
    """Load claims.jsonl of a results folder back into records."""
    path = Path(results) / CLAIMS_JSONL
    if not path.is_file():
        raise OutputError(f"{path}: not found; is {results} a folder written by `argmine run`?")
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    out.append(ClaimRecord.model_validate_json(line))
                except ValueError as e:
                    raise OutputError(f"{path}:{n}: not a claim record ({e.errors()[0]['msg'] if hasattr(e, 'errors') else e})") from e
    for c in out:
        check_doc_id(c.doc_id, path)
    return out


def read_documents(results: Path) -> list[DocumentRecord]:
    path = Path(results) / DOCUMENTS_JSONL
    if not path.is_file():
        raise OutputError(f"{path}: not found; is {results} a folder written by `argmine run`?")
    with open(path, encoding="utf-8") as fh:
        try:
            docs = [DocumentRecord.model_validate_json(line) for line in fh if line.strip()]
        except ValueError as e:
            raise OutputError(f"{path}: not a documents file of `argmine run` ({e})") from e
    for d in docs:
        check_doc_id(d.doc_id, path)
    return docs


def load_results(results: str | Path) -> "pd.DataFrame":
    """The claims table of a results folder as a pandas DataFrame (nested columns kept as Python objects)."""
    import pandas as pd

    rows = [c.model_dump(mode="json") for c in read_claims(Path(results))]
    return pd.DataFrame(rows, columns=list(ClaimRecord.model_fields))


def load_dataset(results: str | Path) -> "datasets.Dataset":
    """The claims table as a ``datasets.Dataset`` (scores become structs keyed by label)."""
    import datasets

    rows = [c.model_dump(mode="json") for c in read_claims(Path(results))]
    return datasets.Dataset.from_list(rows)
