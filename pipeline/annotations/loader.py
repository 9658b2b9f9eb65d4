"""Loading stand-off gold annotations and joining them with their texts; the corpus manifest."""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..errors import AnnotationError, validation_message
from ..reader import text_sha256
from ..records import AnnotatedDocument, ClaimRecord
from ..schema import LabelSchema

log = logging.getLogger(__name__)

MANIFEST = Path("corpus") / "manifest.csv"
# Only an id (doc_id, or a path whose file stem is the id) and the split are required; the rest describe.
MANIFEST_FIELDS = ["doc_id", "path", "title", "genre", "vantage", "date", "language", "origin", "source", "license", "split"]


@dataclass
class GoldDocument:
    """One annotated document with its text and its claims as ClaimRecords."""

    record: AnnotatedDocument
    text: str
    claims: list[ClaimRecord]
    file: Path
    line: int

    @property
    def doc_id(self) -> str:
        return self.record.doc_id


@dataclass
class ManifestEntry:
    """One manifest row; every column but the id and ``split`` may be absent (then "")."""

    doc_id: str
    split: str
    path: str = ""
    title: str = ""
    genre: str = ""
    vantage: str = ""
    date: str = ""
    language: str = ""
    origin: str = ""
    source: str = ""
    license: str = ""


def annotation_files(path: Path) -> list[Path]:
    """The gold files under ``path``: ``path/gold/*.jsonl`` if that folder exists, else ``path/**/*.jsonl``.

    Keeping second-annotator files in a sibling folder (``annotations/double/``) means they are
    never mistaken for gold by the trainer.
    """
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise AnnotationError(f"{path}: no such annotation file or folder")
    gold = path / "gold"
    files = sorted(gold.glob("*.jsonl")) if gold.is_dir() else sorted(path.rglob("*.jsonl"))
    if not files:
        raise AnnotationError(f"{path}: no .jsonl annotation files found; see annotations/GUIDELINES.md for the format")
    return files


def read_records(file: Path) -> list[tuple[int, AnnotatedDocument]]:
    """Parse one JSONL file into records; errors name the file and line."""
    out = []
    with open(file, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                out.append((n, AnnotatedDocument.model_validate(json.loads(line))))
            except json.JSONDecodeError as e:
                raise AnnotationError(f"{file}:{n}: not valid JSON ({e.msg} at column {e.colno})") from e
            except ValidationError as e:
                raise AnnotationError(f"{file}:{n}: field {validation_message(e)}") from e
    return out


def resolve_text(record: AnnotatedDocument, file: Path, root: Path | None = None) -> str:
    """The document text: carried in the record, or read from ``source`` (relative to ``root``)."""
    if record.text is not None:
        return record.text
    if not record.source:
        raise AnnotationError(f"{file}: doc {record.doc_id}: neither text nor source given; add a source path")
    candidates = [Path(record.source)]
    bases = [root] if root else []
    bases += [Path.cwd(), *file.resolve().parents]
    candidates += [b / record.source for b in bases if b]
    for c in candidates:
        if c.is_file():
            return open(c, encoding="utf-8").read()
    raise AnnotationError(
        f"{file}: doc {record.doc_id}: text {record.source!r} not found; run from the project root or pass --root"
    )


def load_gold(path: str | Path, root: str | Path | None = None, check_hash: bool = True) -> list[GoldDocument]:
    """Load every gold document under ``path`` with its text; the hash must match the text."""
    docs: list[GoldDocument] = []
    seen: dict[str, Path] = {}
    for file in annotation_files(Path(path)):
        for line, record in read_records(file):
            if record.doc_id in seen:
                raise AnnotationError(f"{file}:{line}: doc {record.doc_id} is also annotated in {seen[record.doc_id]}")
            seen[record.doc_id] = file
            text = resolve_text(record, file, Path(root) if root else None)
            if check_hash and text_sha256(text) != record.text_sha256:
                raise AnnotationError(
                    f"{file}:{line}: doc {record.doc_id}: text_sha256 does not match {record.source} "
                    "(the text changed since it was annotated); re-anchor the annotations"
                )
            for c in record.claims:
                if c.end > len(text):
                    raise AnnotationError(f"{file}:{line}: doc {record.doc_id}: claim at {c.start}-{c.end} ends past the text ({len(text)} chars)")
            docs.append(GoldDocument(record, text, record.claim_records(text), file, line))
    return docs


def load_manifest(path: str | Path = MANIFEST) -> dict[str, ManifestEntry]:
    """The corpus manifest (doc_id → entry with split and, when given, genre, vantage, date, origin…).

    Required columns: ``doc_id`` (or ``path``, whose file stem is then the id) and ``split``.
    """
    path = Path(path)
    if not path.is_file():
        raise AnnotationError(f"{path}: corpus manifest not found; pass --manifest or set manifest = \"...\" in argmine.toml")
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        columns = set(reader.fieldnames or [])
        if "split" not in columns or not columns & {"doc_id", "path"}:
            raise AnnotationError(f"{path}: a manifest needs a doc_id (or path) column and a split column; "
                                  f"found {sorted(columns)}")
        entries: dict[str, ManifestEntry] = {}
        for n, row in enumerate(reader, 2):
            doc_id = (row.get("doc_id") or "").strip() or Path((row.get("path") or "").strip()).stem
            if not doc_id:
                raise AnnotationError(f"{path}:{n}: row has neither doc_id nor path; fill one in")
            known = {k: (row.get(k) or "").strip() for k in MANIFEST_FIELDS if k in columns and k != "doc_id"}
            entries[doc_id] = ManifestEntry(doc_id=doc_id, **known)
        return entries


def check_gold_labels(docs: list[GoldDocument], schema: LabelSchema) -> None:
    """Every stance and scenario of ``docs`` must be a label of ``schema``; the error names the schema."""
    for doc in docs:
        where = f"{doc.file}:{doc.line} doc {doc.doc_id}"
        schema.check_labels("stance", (c.stance for c in doc.claims), where)
        schema.check_labels("scenario", (c.scenario for c in doc.claims), where)
