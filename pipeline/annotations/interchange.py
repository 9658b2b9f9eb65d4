"""Interchange with annotation tools: Label Studio (JSON tasks/exports) and doccano (JSONL).

Label Studio: each claim is a text region labelled with its stance (``Labels``), with per-region
``Choices`` for scenario, actors, claim type and speaker. doccano (sequence labelling, overlapping
spans allowed): each claim becomes several spans on the same offsets, labelled ``stance:LABEL``,
``scenario:LABEL``, ``actor:ID``, ``type:prediction``, ``speaker:ID``, ``hedged`` (labels and ids from the schema).
Both round trips keep every label and offset.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import quoteattr

from ..errors import AnnotationError
from ..reader import text_sha256
from ..records import AnnotatedDocument, ClaimAnnotation, ClaimRecord, SchemaRef
from ..schema import LabelSchema


def _claim_fields(c: ClaimAnnotation | ClaimRecord) -> dict:
    return {"stance": c.stance, "scenario": c.scenario, "actors": list(c.actors), "speaker": c.speaker,
            "claim_type": c.claim_type, "hedged": c.hedged}


# --- Label Studio ---------------------------------------------------------------------


def labelstudio_config(schema: LabelSchema) -> str:
    """The labelling interface (XML) matching :func:`to_labelstudio` tasks."""
    def opts(tag: str, values: list[str]) -> str:
        return "".join(f'<{tag} value={quoteattr(v)}/>' for v in values)

    return (
        "<View>\n"
        f'  <Labels name="stance" toName="text">{opts("Label", schema.stance_labels)}</Labels>\n'
        '  <Text name="text" value="$text"/>\n'
        '  <View visibleWhen="region-selected">\n'
        f'    <Choices name="scenario" toName="text" perRegion="true" choice="single">{opts("Choice", schema.scenario_labels)}</Choices>\n'
        f'    <Choices name="actors" toName="text" perRegion="true" choice="multiple">{opts("Choice", schema.actor_ids)}</Choices>\n'
        f'    <Choices name="claim_type" toName="text" perRegion="true" choice="single">{opts("Choice", ["assessment", "prediction", "prescription", "conditional"])}</Choices>\n'
        '    <Choices name="hedged" toName="text" perRegion="true" choice="single"><Choice value="hedged"/></Choices>\n'
        '    <TextArea name="speaker" toName="text" perRegion="true" maxSubmissions="1"/>\n'
        "  </View>\n"
        "</View>\n"
    )


def _ls_results(claims, text: str, prefix: str) -> list[dict]:
    results = []
    for i, c in enumerate(claims):
        rid = f"{prefix}{i}"
        span = {"start": c.start, "end": c.end, "text": text[c.start : c.end]}
        base = {"id": rid, "to_name": "text"}
        results.append({**base, "from_name": "stance", "type": "labels", "value": {**span, "labels": [c.stance]}})
        results.append({**base, "from_name": "scenario", "type": "choices", "value": {**span, "choices": [c.scenario]}})
        if c.actors:
            results.append({**base, "from_name": "actors", "type": "choices", "value": {**span, "choices": list(c.actors)}})
        if c.claim_type:
            results.append({**base, "from_name": "claim_type", "type": "choices", "value": {**span, "choices": [c.claim_type]}})
        if c.hedged:
            results.append({**base, "from_name": "hedged", "type": "choices", "value": {**span, "choices": ["hedged"]}})
        if c.speaker and c.speaker != "author":
            results.append({**base, "from_name": "speaker", "type": "textarea", "value": {**span, "text": [c.speaker]}})
    return results


def to_labelstudio(docs: list[tuple[str, str, list]], model_version: str, as_annotations: bool = False) -> list[dict]:
    """Tasks for Label Studio import: (doc_id, text, claims) → tasks with ``predictions`` (or ``annotations``)."""
    tasks = []
    for doc_id, text, claims in docs:
        results = _ls_results(claims, text, prefix=f"{doc_id}-")
        key = "annotations" if as_annotations else "predictions"
        entry = {"model_version": model_version, "result": results}
        if not as_annotations and claims and all(getattr(c, "stance_scores", None) for c in claims):
            entry["score"] = sum(max(c.stance_scores.values()) for c in claims) / len(claims)
        tasks.append({"data": {"text": text, "doc_id": doc_id}, key: [entry]})
    return tasks


def from_labelstudio(tasks: list[dict], schema: LabelSchema, annotator: str, guidelines_version: str,
                     sources: dict[str, str] | None = None, keep_text: bool = False) -> list[AnnotatedDocument]:
    """Read a Label Studio JSON export (its latest annotation per task) back into stand-off records.

    A malformed task, a span past the text, overlapping spans or a label outside the schema is an
    AnnotationError naming the task, the region and the field: nothing is written then.
    """
    out = []
    for n, task in enumerate(tasks):
        where = f"Label Studio task {n}"
        try:
            rec = _ls_task(task, n, schema, annotator, guidelines_version, sources, keep_text)
        except (KeyError, IndexError, TypeError, AttributeError, ValueError) as e:
            raise AnnotationError(f"{where}: malformed ({type(e).__name__}: {_show(e)}); re-export it from Label Studio") from e
        if rec is not None:
            out.append(_checked(rec, task["data"]["text"], schema, where))
    return out


def _ls_task(task: dict, n: int, schema, annotator, guidelines_version, sources, keep_text) -> AnnotatedDocument | None:
    where = f"Label Studio task {n}"
    if not isinstance(task, dict):
        raise AnnotationError(f"{where}: a task must be a JSON object, not {type(task).__name__}")
    data = task.get("data") or {}
    text, doc_id = data.get("text"), data.get("doc_id") or f"task{task.get('id', n)}"
    if not isinstance(text, str):
        raise AnnotationError(f"{where}: data.text missing or not a string; export with the task data")
    anns = [a for a in task.get("annotations", []) if not a.get("was_cancelled")] or task.get("predictions", [])
    if not anns:
        return None
    regions: dict[str, dict] = defaultdict(dict)
    for k, r in enumerate(anns[-1].get("result", [])):
        if "id" not in r:
            raise AnnotationError(f"{where} ({doc_id}): result {k} has no id; re-export it from Label Studio")
        v = r.get("value", {})
        reg = regions[str(r["id"])]
        reg.setdefault("start", _offset(v.get("start"), f"{where} ({doc_id}) region {r['id']}: value.start"))
        reg.setdefault("end", _offset(v.get("end"), f"{where} ({doc_id}) region {r['id']}: value.end"))
        name = r.get("from_name")
        if name == "stance":
            reg["stance"] = v["labels"][0]
        elif name in ("scenario", "claim_type"):
            reg[name] = v["choices"][0]
        elif name == "actors":
            reg["actors"] = list(v["choices"])
        elif name == "hedged":
            reg["hedged"] = True
        elif name == "speaker":
            reg["speaker"] = (v.get("text") or ["author"])[0]
    claims = []
    for rid, reg in regions.items():
        if "stance" not in reg or "scenario" not in reg:
            raise AnnotationError(f"{where} ({doc_id}): region {rid} lacks a stance label or scenario choice")
        claims.append(ClaimAnnotation(start=reg["start"], end=reg["end"], stance=reg["stance"], scenario=reg["scenario"],
                                      actors=reg.get("actors", []), speaker=reg.get("speaker", "author"),
                                      claim_type=reg.get("claim_type"), hedged=reg.get("hedged", False)))
    return _record(doc_id, text, claims, schema, annotator, guidelines_version, sources, keep_text)


def _show(value: object, limit: int = 80) -> str:
    """A value for an error message, short even for a 5,000-digit integer."""
    if isinstance(value, int) and value.bit_length() > 64:
        return f"an integer of {value.bit_length()} bits"
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _offset(value: object, where: str) -> int:
    """A character offset: a non-negative integer (not a float, bool or string)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise AnnotationError(f"{where} must be a non-negative integer character offset, not {_show(value)!s} "
                              f"({type(value).__name__})")
    return value


def _checked(rec: AnnotatedDocument, text: str, schema: LabelSchema, where: str) -> AnnotatedDocument:
    """Refuse spans past the text, overlapping spans and labels outside the schema (validate's rules)."""
    from .validate import claim_problems

    errors = [(msg, off) for msg, off, level in claim_problems(rec.claims, text, schema) if level == "error"]
    if errors:
        listed = "; ".join(f"{msg}" for msg, _ in errors[:3]) + (f"; and {len(errors) - 3} more" if len(errors) > 3 else "")
        raise AnnotationError(f"{where} ({rec.doc_id}): {listed}; fix it in the tool and export again")
    return rec


# --- doccano --------------------------------------------------------------------------


def to_doccano(docs: list[tuple[str, str, list]]) -> list[dict]:
    """doccano sequence-labelling JSONL lines (overlapping spans: one per label of each claim)."""
    lines = []
    for doc_id, text, claims in docs:
        spans = []
        for c in claims:
            labels = [f"stance:{c.stance}", f"scenario:{c.scenario}", *(f"actor:{a}" for a in c.actors)]
            if c.claim_type:
                labels.append(f"type:{c.claim_type}")
            if c.speaker and c.speaker != "author":
                labels.append(f"speaker:{c.speaker}")
            if c.hedged:
                labels.append("hedged")
            spans.extend([c.start, c.end, label] for label in labels)
        lines.append({"text": text, "doc_id": doc_id, "label": spans})
    return lines


def from_doccano(lines: list[dict], schema: LabelSchema, annotator: str, guidelines_version: str,
                 sources: dict[str, str] | None = None, keep_text: bool = False) -> list[AnnotatedDocument]:
    """Read doccano JSONL (``label`` triples or ``entities`` objects) back into stand-off records."""
    out = []
    for n, line in enumerate(lines, 1):
        try:
            rec = _doccano_line(line, n, schema, annotator, guidelines_version, sources, keep_text)
        except (KeyError, IndexError, TypeError, AttributeError, ValueError) as e:
            raise AnnotationError(f"doccano line {n}: malformed ({type(e).__name__}: {_show(e)}); re-export it from doccano") from e
        out.append(_checked(rec, line["text"], schema, f"doccano line {n}"))
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
        start = _offset(start, f"doccano line {n} ({doc_id}): span start")
        end = _offset(end, f"doccano line {n} ({doc_id}): span end")
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
    claims = []
    for (start, end), g in sorted(groups.items()):
        if "stance" not in g or "scenario" not in g:
            raise AnnotationError(f"doccano line {n} ({doc_id}): span {start}-{end} lacks a stance: or scenario: label")
        claims.append(ClaimAnnotation(start=start, end=end, stance=g["stance"], scenario=g["scenario"], actors=g["actors"],
                                      speaker=g.get("speaker", "author"), claim_type=g.get("claim_type"), hedged=g.get("hedged", False)))
    return _record(doc_id, text, claims, schema, annotator, guidelines_version, sources, keep_text)


def _record(doc_id, text, claims, schema, annotator, guidelines_version, sources, keep_text) -> AnnotatedDocument:
    return AnnotatedDocument(
        doc_id=doc_id,
        source=(sources or {}).get(doc_id),
        text_sha256=text_sha256(text),
        schema=SchemaRef(name=schema.name, version=schema.version),
        guidelines_version=guidelines_version,
        annotator=annotator,
        text=text if keep_text else None,
        claims=sorted(claims, key=lambda c: c.start),
    )


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
        raise AnnotationError(f"{where}: not usable JSON ({type(e).__name__}: {_show(e, 120)})") from e
