"""Writing and loading a results folder: claims.jsonl/.parquet/.csv and documents.jsonl, atomically."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .errors import OutputError
from .records import ClaimRecord, DocumentRecord

if TYPE_CHECKING:
    import datasets
    import pandas as pd

log = logging.getLogger(__name__)

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


def write_results(
    out: Path,
    documents: list[DocumentRecord],
    claims: list[ClaimRecord],
    texts: dict[str, str] | None = None,
    extra: dict[str, object] | None = None,
    overwrite: bool = False,
) -> Path:
    """Write the results folder; it appears complete or not at all.

    Everything is written into a sibling temporary folder first and renamed into place, so an
    interrupted run never leaves a truncated claims file behind.
    """
    prepare_out_dir(out, overwrite)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        _write_jsonl(tmp / DOCUMENTS_JSONL, (d.model_dump(mode="json") for d in documents))
        rows = [c.model_dump(mode="json") for c in claims]
        _write_jsonl(tmp / CLAIMS_JSONL, rows)
        df = _claims_frame(rows)
        df.to_parquet(tmp / "claims.parquet", index=False)
        flat = df.copy()
        for col in NESTED:
            flat[col] = flat[col].map(lambda v: json.dumps(_plain(v), ensure_ascii=False))
        flat.to_csv(tmp / "claims.csv", index=False)
        if texts:
            (tmp / "texts").mkdir()
            for doc_id, text in texts.items():
                (tmp / "texts" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        if extra:
            (tmp / "run.json").write_text(json.dumps(extra, indent=2, ensure_ascii=False), encoding="utf-8")
        if out.exists():
            backup = out.with_name(f".{out.name}.old-{os.getpid()}")
            out.rename(backup)
            tmp.rename(out)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


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
    return out


def read_documents(results: Path) -> list[DocumentRecord]:
    path = Path(results) / DOCUMENTS_JSONL
    if not path.is_file():
        raise OutputError(f"{path}: not found; is {results} a folder written by `argmine run`?")
    with open(path, encoding="utf-8") as fh:
        return [DocumentRecord.model_validate_json(line) for line in fh if line.strip()]


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
