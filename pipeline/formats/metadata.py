"""Document metadata: a CSV given with ``--metadata``, the text's front matter and the file's own metadata.

The CSV names a document by file name, path or doc_id (the bundled ``corpus/manifest.csv`` is such a
file) and may give any of title, author, outlet, url, date, genre, vantage, language; other columns
are ignored. A value in the CSV wins over the front matter of the text, which wins over the file's
own metadata (PDF info, HTML meta tags, Word properties). Dates become ISO 8601; an unreadable date is
a warning naming the file, never a failure.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from . import META_FIELDS
from .dates import iso_or_warning

log = logging.getLogger(__name__)

KEY_COLUMNS = ("doc_id", "file", "filename", "file_name", "path", "name")
# The document fields copied onto every claim row, so claims can be sliced without a join.
CLAIM_FIELDS = ("date", "author", "outlet", "genre", "vantage")


@dataclass
class MetadataTable:
    """Rows of a metadata CSV, looked up by path, file name or doc_id."""

    path: Path
    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: str | Path, strict: bool = True) -> MetadataTable:
        """Read a metadata CSV. ``strict``: a CSV without metadata columns is an error (else an empty table:
        a project manifest may hold only doc_id and split)."""
        path = Path(path)
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                header = [h.strip() for h in reader.fieldnames or []]
                records = list(reader)
        except (OSError, UnicodeDecodeError, csv.Error) as e:
            raise InputError(path, f"cannot read the metadata CSV ({e})", "give a UTF-8 CSV file with a header row") from e
        keys = [h for h in header if h.lower() in KEY_COLUMNS] or header[:1]
        fields = [h for h in header if h.lower() in META_FIELDS]
        if (not keys or not fields) and not strict:
            return cls(path)
        if not keys or not fields:
            raise InputError(path, f"metadata CSV needs a file name or doc_id column and one of {', '.join(META_FIELDS)}; its header is {header}",
                             "add a header row such as `file,title,author,date`")
        ignored = [h for h in header if h not in keys and h not in fields]
        if ignored:
            log.info("%s: columns %s are not document metadata and are ignored", path, ", ".join(ignored))
        table = cls(path)
        for n, rec in enumerate(records, start=2):
            values = {h.lower(): (rec.get(h) or "").strip() for h in fields}
            values = {k: v for k, v in values.items() if v}
            if "date" in values:
                iso = iso_or_warning(values["date"], f"{path} line {n}", table.warnings)
                if iso:
                    values["date"] = iso
                else:
                    del values["date"]
            for k in keys:
                key = (rec.get(k) or "").strip()
                if key:
                    for variant in _key_variants(key):
                        table.rows.setdefault(variant, values)
        return table

    def lookup(self, source_path: Path, doc_id: str) -> dict[str, str]:
        """The row for a document: by its path as given, its file name, or its doc_id; {} if none."""
        for key in (Path(source_path).as_posix(), Path(source_path).name, doc_id):
            if key in self.rows:
                return self.rows[key]
        return {}


def _key_variants(key: str) -> list[str]:
    p = Path(key)
    return [p.as_posix(), p.name] if p.name != key else [key]


def document_fields(path: Path, doc_id: str, front: dict, file_meta: dict[str, str], table: MetadataTable | None,
                    warnings: list[str]) -> dict[str, str | None]:
    """title, author, outlet, url, date (ISO), genre, vantage, language of one document, by precedence."""
    given = table.lookup(path, doc_id) if table is not None else {}
    out: dict[str, str | None] = {}
    for name in META_FIELDS:
        value = given.get(name) or front.get(name) or file_meta.get(name)
        out[name] = value or None
    if not given.get("date"):
        raw = front.get("date") or file_meta.get("date")
        out["date"] = iso_or_warning(raw, str(path), warnings)
        if out["date"] is None and front.get("date") and file_meta.get("date"):
            out["date"] = iso_or_warning(file_meta["date"], f"{path} (file metadata)", warnings)
    return out


def claim_fields(doc_fields: dict[str, str | None]) -> dict[str, str | None]:
    """The document fields every claim row carries."""
    return {k: doc_fields.get(k) for k in CLAIM_FIELDS}
