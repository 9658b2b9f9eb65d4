"""What the annotation-tool readers share: reading an export file (JSON or JSONL), checking character
offsets, and turning spans into checked stand-off records (the rules of ``argmine annotations validate``).

The tool-specific shapes live in :mod:`.labelstudio` and :mod:`.doccano`.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import AnnotationError
from ..reader import text_sha256
from ..records import AnnotatedDocument, ClaimAnnotation, SchemaRef
from ..schema import LabelSchema


def short_repr(value: object, limit: int = 80) -> str:
    """A value for an error message, short even for a 5,000-digit integer."""
    if isinstance(value, int) and value.bit_length() > 64:
        return f"an integer of {value.bit_length()} bits"
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def char_offset(value: object, where: str) -> int:
    """A character offset: a non-negative integer (not a float, bool or string)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise AnnotationError(f"{where} must be a non-negative integer character offset, not {short_repr(value)!s} "
                              f"({type(value).__name__})")
    return value


def annotated_document(doc_id: str, text: str, claims: list[ClaimAnnotation], schema: LabelSchema, annotator: str,
                       guidelines_version: str, sources: dict[str, str] | None, keep_text: bool) -> AnnotatedDocument:
    """The stand-off record of one tool document (claims in text order; the text itself only if ``keep_text``)."""
    return AnnotatedDocument(
        doc_id=doc_id,
        source=(sources or {}).get(doc_id),
        text_sha256=text_sha256(text),
        schema_=SchemaRef(name=schema.name, version=schema.version),
        guidelines_version=guidelines_version,
        annotator=annotator,
        text=text if keep_text else None,
        claims=sorted(claims, key=lambda c: c.start),
    )


def checked(rec: AnnotatedDocument, text: str, schema: LabelSchema, where: str) -> AnnotatedDocument:
    """Refuse spans past the text, overlapping spans and labels outside the schema (validate's rules)."""
    from .validate import claim_problems

    errors = [(msg, off) for msg, off, level in claim_problems(rec.claims, text, schema) if level == "error"]
    if errors:
        listed = "; ".join(f"{msg}" for msg, _ in errors[:3]) + (f"; and {len(errors) - 3} more" if len(errors) > 3 else "")
        raise AnnotationError(f"{where} ({rec.doc_id}): {listed}; fix it in the tool and export again")
    return rec


def read_json_or_jsonl(path: Path) -> list[dict]:
    """A tool export: a JSON array (or object), or JSONL; errors name the file and line."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise AnnotationError(f"{path}: cannot read ({getattr(e, 'strerror', None) or e}); give a UTF-8 JSON/JSONL export") from e
    if path.suffix == ".jsonl":
        return [_loads(line, f"{path}:{n}") for n, line in enumerate(raw.splitlines(), 1) if line.strip()]
    data = _loads(raw, str(path))
    return data if isinstance(data, list) else [data]


def _loads(raw: str, where: str):
    try:
        return json.loads(raw)
    except json.JSONDecodeError as e:
        raise AnnotationError(f"{where}: not valid JSON: {e.msg} at line {e.lineno} column {e.colno}") from e
    except (ValueError, RecursionError) as e:  # a 5,000-digit number, 100k-deep nesting
        raise AnnotationError(f"{where}: not usable JSON ({type(e).__name__}: {short_repr(e, 120)})") from e
