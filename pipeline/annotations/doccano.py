"""doccano interchange (sequence labelling JSONL, overlapping spans allowed).

Each claim becomes several spans on the same offsets, labelled ``stance:LABEL``, ``scenario:LABEL``,
``actor:ID``, ``type:prediction``, ``speaker:ID``, ``hedged`` (labels and ids from the schema). The round
trip keeps every label and offset.
"""

from __future__ import annotations

from collections import defaultdict

from ..errors import AnnotationError
from ..records import AnnotatedDocument, ClaimAnnotation
from ..schema import LabelSchema
from .toolexport import annotated_document, char_offset, checked, short_repr

DOCCANO_NOTE = ("doccano: create the sequence-labelling project with \"Allow overlapping spans\" (allow_overlapping) "
                "switched on before importing; without it doccano keeps one label per span and silently drops the rest.")
ACTOR_ORDER = "argmine_actor_order"  # extra field: claim span "start-end" → actors in order (doccano keeps it as meta)


def to_doccano(docs: list[tuple[str, str, list]]) -> list[dict]:
    """doccano sequence-labelling JSONL lines (overlapping spans: one per label of each claim).

    doccano orders spans itself, so the actors' order is also kept in the ``argmine_actor_order`` field.
    Importing needs a project with overlapping spans allowed (``DOCCANO_NOTE``).
    """
    lines = []
    for doc_id, text, claims in docs:
        spans: list[list[int | str]] = []
        order = {f"{c.start}-{c.end}": list(c.actors) for c in claims if len(c.actors) > 1}
        for c in claims:
            labels = [f"stance:{c.stance}", f"scenario:{c.scenario}", *(f"actor:{a}" for a in c.actors)]
            if c.claim_type:
                labels.append(f"type:{c.claim_type}")
            if c.speaker and c.speaker != "author":
                labels.append(f"speaker:{c.speaker}")
            if c.hedged:
                labels.append("hedged")
            spans.extend([c.start, c.end, label] for label in labels)
        lines.append({"text": text, "doc_id": doc_id, "label": spans, **({ACTOR_ORDER: order} if order else {})})
    return lines


def from_doccano(lines: list[dict], schema: LabelSchema, annotator: str, guidelines_version: str,
                 sources: dict[str, str] | None = None, keep_text: bool = False) -> list[AnnotatedDocument]:
    """Read doccano JSONL (``label`` triples or ``entities`` objects) back into stand-off records."""
    out = []
    for n, line in enumerate(lines, 1):
        try:
            rec = _doccano_line(line, n, schema, annotator, guidelines_version, sources, keep_text)
        except (KeyError, IndexError, TypeError, AttributeError, ValueError) as e:
            raise AnnotationError(f"doccano line {n}: malformed ({type(e).__name__}: {short_repr(e)}); re-export it from doccano") from e
        out.append(checked(rec, line["text"], schema, f"doccano line {n}"))
    return out


def _doccano_line(line: dict, n: int, schema, annotator, guidelines_version, sources, keep_text) -> AnnotatedDocument:
    if not isinstance(line, dict):
        raise AnnotationError(f"doccano line {n}: a line must be a JSON object, not {type(line).__name__}")
    text = line.get("text")
    if not isinstance(text, str):
        raise AnnotationError(f"doccano line {n}: no text field")
    doc_id = line.get("doc_id") or f"doccano{line.get('id', n)}"
    triples = line.get("label")
    if triples is None:
        triples = [[e["start_offset"], e["end_offset"], e["label"]] for e in line.get("entities", [])]
    groups: dict[tuple[int, int], dict] = defaultdict(lambda: {"actors": []})
    for start, end, label in triples:
        start = char_offset(start, f"doccano line {n} ({doc_id}): span start")
        end = char_offset(end, f"doccano line {n} ({doc_id}): span end")
        if not isinstance(label, str) or not label:
            raise AnnotationError(f"doccano line {n} ({doc_id}): span {start}-{end} has an empty or non-text label")
        g = groups[(start, end)]
        key, _, value = label.partition(":")
        if key == "actor":
            g["actors"].append(value)
        elif key in ("stance", "scenario", "speaker"):
            g[key] = value
        elif key == "type":
            g["claim_type"] = value
        elif label == "hedged":
            g["hedged"] = True
        else:
            raise AnnotationError(f"doccano line {n} ({doc_id}): unknown label {label!r} at {start}-{end}; expected stance:/scenario:/actor:/type:/speaker:/hedged")
    order = line.get(ACTOR_ORDER) or (line.get("meta") or {}).get(ACTOR_ORDER) or {}
    claims = []
    for (start, end), g in sorted(groups.items()):
        wanted = order.get(f"{start}-{end}", [])
        g["actors"] = [a for a in wanted if a in g["actors"]] + [a for a in g["actors"] if a not in wanted]
        if "stance" not in g or "scenario" not in g:
            raise AnnotationError(f"doccano line {n} ({doc_id}): span {start}-{end} lacks a stance: or scenario: label")
        claims.append(ClaimAnnotation(start=start, end=end, stance=g["stance"], scenario=g["scenario"], actors=g["actors"],
                                      speaker=g.get("speaker", "author"), claim_type=g.get("claim_type"), hedged=g.get("hedged", False)))
    return annotated_document(doc_id, text, claims, schema, annotator, guidelines_version, sources, keep_text)
