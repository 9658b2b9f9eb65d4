"""`argmine annotations validate`: every problem in a set of annotation files, with file, line, doc and offset."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jsonschema

from ..errors import AnnotationError
from ..reader import text_sha256
from ..records import AnnotatedDocument
from ..schema import LabelSchema
from .loader import resolve_text

JSON_SCHEMA_FILE = "argmine-annotation-1.schema.json"


@dataclass
class Problem:
    """One validation finding. ``level`` is "error" (unusable) or "warning" (suspicious)."""

    file: str
    line: int
    doc_id: str | None
    offset: int | None
    message: str
    level: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        if self.doc_id:
            where += f" doc {self.doc_id}"
        if self.offset is not None:
            where += f" @{self.offset}"
        return f"{self.level}: {where}: {self.message}"


def json_schema() -> dict:
    """The JSON Schema of one annotation line, generated from the pydantic record."""
    schema = AnnotatedDocument.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "argmine-annotation-1"
    schema["title"] = "argmine stand-off annotation (one document per JSONL line)"
    return schema


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    raw = (resources.files("argmine.schemas") / JSON_SCHEMA_FILE).read_text(encoding="utf-8")
    return jsonschema.Draft202012Validator(json.loads(raw))


def validate_paths(paths: list[Path], schema: LabelSchema, root: Path | None = None) -> list[Problem]:
    """Validate every .jsonl file under ``paths`` (recursively: gold and second-annotator files alike)."""
    problems: list[Problem] = []
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(p.rglob("*.jsonl")))
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Problem(str(p), 0, None, None, "no such file or folder"))
    if paths and not files and not problems:
        problems.append(Problem(str(paths[0]), 0, None, None, "no .jsonl annotation files found"))
    seen: dict[tuple[str, str], str] = {}
    for f in files:
        problems.extend(_validate_file(f, schema, root, seen))
    return problems


def _validate_file(file: Path, schema: LabelSchema, root: Path | None, seen: dict) -> list[Problem]:
    out: list[Problem] = []
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as e:
        return [Problem(str(file), 0, None, e.start, "file is not UTF-8; re-save it as UTF-8")]
    except OSError as e:
        return [Problem(str(file), 0, None, None, f"cannot read ({e.strerror})")]
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        add = lambda msg, doc=None, off=None, level="error", n=n: out.append(Problem(str(file), n, doc, off, msg, level))  # noqa: E731
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as e:
            add(f"not valid JSON: {e.msg} at column {e.colno}")
            continue
        except (ValueError, RecursionError) as e:  # a 5,000-digit number, 100k-deep nesting
            add(f"not usable JSON ({type(e).__name__}: {str(e)[:120]})")
            continue
        if not isinstance(data, dict):
            add(f"a line must be one JSON object, not {type(data).__name__}")
            continue
        try:
            errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
        except RecursionError:
            add("nested too deeply to be an annotation record")
            continue
        doc_id = data.get("doc_id") if isinstance(data, dict) else None
        for err in errors[:10]:
            loc = "/".join(str(x) for x in err.absolute_path) or "(record)"
            add(f"{loc}: {err.message}", doc_id)
        if errors:
            continue
        try:
            rec = AnnotatedDocument.model_validate(data)
        except ValueError as e:  # pydantic is stricter than the JSON Schema in a few places
            add(f"not an annotation record: {str(e).splitlines()[0][:200]}", doc_id)
            continue
        key = (rec.doc_id, rec.annotator)
        if key in seen:
            add(f"annotated twice by {rec.annotator} (also in {seen[key]})", rec.doc_id)
        seen[key] = f"{file}:{n}"
        if rec.schema_.name != schema.name:
            add(f"schema {rec.schema_.name!r} differs from the schema in use ({schema.name!r}, {schema.path}); pass --schema or name it in argmine.toml", rec.doc_id)
        try:
            text = resolve_text(rec, file, root)
        except AnnotationError as e:
            add(str(e).split(": ", 1)[-1], rec.doc_id)
            continue
        if text_sha256(text) != rec.text_sha256:
            add(f"text_sha256 does not match {rec.source or 'the text'}: the text changed since annotation; re-anchor", rec.doc_id)
        for msg, off, level in claim_problems(rec.claims, text, schema):
            add(msg, rec.doc_id, off, level)
    return out


def claim_problems(claims: list, text: str, schema: LabelSchema) -> list[tuple[str, int | None, str]]:
    """(message, offset, level) for every claim that does not fit ``text`` or ``schema``.

    The one check of claim spans and labels: `annotations validate` reports these, `annotations import`
    refuses a file that has any error among them.
    """
    out: list[tuple[str, int | None, str]] = []
    prev_end, prev_start = -1, -1
    for c in sorted(claims, key=lambda c: (c.start, c.end)):
        if c.end > len(text):
            out.append((f"claim {c.start}-{c.end} ends past the text ({len(text)} characters)", c.start, "error"))
            continue
        if c.end <= c.start:
            out.append((f"claim {c.start}-{c.end} is empty", c.start, "error"))
            continue
        span = text[c.start : c.end]
        if span != span.strip():
            out.append(("claim span starts or ends with whitespace; trim it", c.start, "warning"))
        if c.stance not in schema.stance_labels:
            out.append((f"stance {c.stance!r} is not in schema {schema.name} ({', '.join(schema.stance_labels)})", c.start, "error"))
        if c.scenario not in schema.scenario_labels:
            out.append((f"scenario {c.scenario!r} is not in schema {schema.name} ({', '.join(schema.scenario_labels)})", c.start, "error"))
        elif not schema.compatible(c.stance, c.scenario):
            out.append((f"scenario {c.scenario!r} is not one the schema allows with stance {c.stance!r}", c.start, "warning"))
        for actor in c.actors:
            if actor not in schema.actor_ids:
                out.append((f"actor {actor!r} is not a schema id (allowed for other states/organisations; check spelling)", c.start, "warning"))
        if c.start < prev_end:
            out.append((f"claim {c.start}-{c.end} overlaps the claim starting at {prev_start}", c.start, "error"))
        prev_start, prev_end = c.start, max(prev_end, c.end)
    return out
