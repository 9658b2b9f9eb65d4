"""Interchange with annotation tools: Label Studio (JSON tasks/exports) and doccano (JSONL).

Label Studio: each claim is a text region labelled with its stance (``Labels``), with per-region
``Choices`` for scenario, actors, claim type and speaker. doccano (sequence labelling, overlapping
spans allowed): each claim becomes several spans on the same offsets, labelled ``stance:LABEL``,
``scenario:LABEL``, ``actor:ID``, ``type:prediction``, ``speaker:ID``, ``hedged`` (labels and ids from the schema).
Both round trips keep every label and offset.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import quoteattr

from ..errors import AnnotationError
from ..reader import text_sha256
from ..records import AnnotatedDocument, ClaimAnnotation, ClaimRecord, SchemaRef
from ..schema import LabelSchema

log = logging.getLogger(__name__)


def _claim_fields(c: ClaimAnnotation | ClaimRecord) -> dict:
    return {"stance": c.stance, "scenario": c.scenario, "actors": list(c.actors), "speaker": c.speaker,
            "claim_type": c.claim_type, "hedged": c.hedged}


# --- Label Studio ---------------------------------------------------------------------


CLAIM_TYPES = ["assessment", "prediction", "prescription", "conditional"]


def labelstudio_config(schema: LabelSchema, extra_actors: list[str] | tuple[str, ...] = ()) -> str:
    """The labelling interface (XML) matching :func:`to_labelstudio` tasks.

    The text sits on the left and the selected region's choices beside it on the right (sticky), so an
    annotator never scrolls to the end of a long document to label a claim. Stance colours are the
    report's; the actor choices are the schema's actors plus ``extra_actors`` (every actor the tasks
    name), so no predicted actor is lost when an annotator edits a region.
    """
    from ..inspect.palette import palette

    colours = palette(schema)["stance"]
    actors = list(dict.fromkeys([*schema.actor_ids, *extra_actors]))

    def opts(tag: str, values: list[str]) -> str:
        return "".join(f'<{tag} value={quoteattr(v)}/>' for v in values)

    labels = "".join(f'<Label value={quoteattr(v)} background={quoteattr(colours[v])}/>' for v in schema.stance_labels)
    return (
        '<View style="display: flex; align-items: flex-start; gap: 1em">\n'
        '  <View style="flex: 62%">\n'
        f'    <Labels name="stance" toName="text">{labels}</Labels>\n'
        '    <Text name="text" value="$text"/>\n'
        "  </View>\n"
        '  <View style="flex: 38%; position: sticky; top: 0; max-height: 95vh; overflow-y: auto">\n'
        '    <View visibleWhen="region-selected">\n'
        '      <Header value="Scenario"/>\n'
        f'      <Choices name="scenario" toName="text" perRegion="true" choice="single">{opts("Choice", schema.scenario_labels)}</Choices>\n'
        '      <Header value="Actors"/>\n'
        f'      <Choices name="actors" toName="text" perRegion="true" choice="multiple" showInline="true">{opts("Choice", actors)}</Choices>\n'
        '      <Header value="Claim type"/>\n'
        f'      <Choices name="claim_type" toName="text" perRegion="true" choice="single">{opts("Choice", CLAIM_TYPES)}</Choices>\n'
        '      <Choices name="hedged" toName="text" perRegion="true" choice="single"><Choice value="hedged"/></Choices>\n'
        '      <Header value="Speaker (empty: the author)"/>\n'
        '      <TextArea name="speaker" toName="text" perRegion="true" maxSubmissions="1"/>\n'
        "    </View>\n"
        "  </View>\n"
        "</View>\n"
    )


def task_actors(tasks: list[dict]) -> list[str]:
    """Every actor value the tasks' predictions and annotations name, in first-seen order."""
    seen: dict[str, None] = {}
    for task in tasks:
        for entry in [*task.get("predictions", []), *task.get("annotations", [])]:
            for r in entry.get("result", []) if isinstance(entry, dict) else []:
                if r.get("from_name") == "actors":
                    seen.update(dict.fromkeys(r.get("value", {}).get("choices", [])))
    return list(seen)


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


def to_labelstudio(docs: list[tuple[str, str, list]], model_version: str | None, as_annotations: bool = False) -> list[dict]:
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


def _ls_entry(task: dict) -> dict | None:
    """The task's latest non-cancelled annotation, else its latest prediction; None when it has neither.

    Label Studio's "all tasks" export lists predictions as ids (ints) rather than objects; those are skipped.
    """
    anns = [a for a in task.get("annotations", []) if isinstance(a, dict) and not a.get("was_cancelled")]
    anns = anns or [p for p in task.get("predictions", []) if isinstance(p, dict)]
    return anns[-1] if anns else None


def _ls_regions(result: list[dict], where: str) -> dict[str, dict]:
    """Regions by id. Results without a span (relations, document-level choices) are left out; a span
    result without an id, an offset that is no non-negative integer or an empty label list is malformed."""
    regions: dict[str, dict] = defaultdict(dict)
    for k, r in enumerate(result):
        v = r.get("value") or {}
        if "start" not in v:  # relations and document-level results carry no span
            continue
        if "id" not in r:
            raise AnnotationError(f"{where}: result {k} has no id; re-export it from Label Studio")
        reg = regions[str(r["id"])]
        reg.setdefault("start", _offset(v.get("start"), f"{where} region {r['id']}: value.start"))
        reg.setdefault("end", _offset(v.get("end"), f"{where} region {r['id']}: value.end"))
        name = r.get("from_name")
        if name == "stance":
            reg["stance"] = v["labels"][0]
        elif name in ("scenario", "claim_type"):
            reg[name] = v["choices"][0]
        elif name == "actors":
            reg["actors"] = list(v.get("choices", []))
        elif name == "hedged":
            reg["hedged"] = bool(v.get("choices", True))
        elif name == "speaker":
            reg["speaker"] = (v.get("text") or ["author"])[0]
    return regions


def from_labelstudio(tasks: list[dict], schema: LabelSchema, annotator: str, guidelines_version: str,
                     sources: dict[str, str] | None = None, keep_text: bool = False) -> list[AnnotatedDocument]:
    """Read a Label Studio JSON export (its latest annotation per task) back into stand-off records.

    Both Label Studio export shapes load: "annotations" (tasks with annotation objects) and "all tasks"
    (predictions listed as ids). A region without a stance label or a scenario choice is skipped with a
    warning naming the Label Studio task id. A malformed task, a span past the text, overlapping spans
    or a label outside the schema is an AnnotationError naming the task, the region and the field:
    nothing is written then.
    """
    out = []
    for n, task in enumerate(tasks):
        where = _ls_name(task, n)
        try:
            rec = _ls_task(task, n, schema, annotator, guidelines_version, sources, keep_text)
        except (KeyError, IndexError, TypeError, AttributeError, ValueError) as e:
            raise AnnotationError(f"{where}: malformed ({type(e).__name__}: {_show(e)}); re-export it from Label Studio") from e
        if rec is not None:
            out.append(_checked(rec, task["data"]["text"], schema, where))
    return out


def _ls_name(task: object, n: int) -> str:
    """How a task is named in messages: its Label Studio id where it has one, else its place in the file."""
    if isinstance(task, dict) and "id" in task:
        return f"Label Studio task {task['id']}"
    return f"Label Studio task #{n + 1} of the file"


def _ls_task(task: dict, n: int, schema, annotator, guidelines_version, sources, keep_text) -> AnnotatedDocument | None:
    where = _ls_name(task, n)
    if not isinstance(task, dict):
        raise AnnotationError(f"{where}: a task must be a JSON object, not {type(task).__name__}")
    data = task.get("data") or {}
    text, doc_id = data.get("text"), data.get("doc_id") or f"task{task.get('id', n)}"
    if not isinstance(text, str):
        raise AnnotationError(f"{where}: data.text missing or not a string; export with the task data")
    entry = _ls_entry(task)
    if entry is None:
        return None
    claims = []
    for rid, reg in _ls_regions(entry.get("result", []), f"{where} ({doc_id})").items():
        missing = [k for k in ("stance", "scenario") if k not in reg]
        if missing:
            log.warning("%s (%s): region %s at %s-%s has no %s; skipped", where, doc_id, rid,
                        reg.get("start"), reg.get("end"), " or ".join(missing))
            continue
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
    order = line.get(ACTOR_ORDER) or (line.get("meta") or {}).get(ACTOR_ORDER) or {}
    claims = []
    for (start, end), g in sorted(groups.items()):
        wanted = order.get(f"{start}-{end}", [])
        g["actors"] = [a for a in wanted if a in g["actors"]] + [a for a in g["actors"] if a not in wanted]
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
        schema_=SchemaRef(name=schema.name, version=schema.version),
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
