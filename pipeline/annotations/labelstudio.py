"""Label Studio interchange: the labelling interface (XML), pre-annotated tasks, and exports read back.

Each claim is a text region labelled with its stance (``Labels``), with per-region ``Choices`` for
scenario, actors, claim type and hedging and a ``TextArea`` for the speaker (labels and ids from the
schema). The round trip keeps every label and offset.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from xml.sax.saxutils import quoteattr

from ..errors import AnnotationError
from ..records import AnnotatedDocument, ClaimAnnotation
from ..schema import LabelSchema
from .toolexport import annotated_document, char_offset, checked, short_repr

log = logging.getLogger(__name__)

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


def _results(claims, text: str, prefix: str) -> list[dict]:
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
        results = _results(claims, text, prefix=f"{doc_id}-")
        key = "annotations" if as_annotations else "predictions"
        entry = {"model_version": model_version, "result": results}
        if not as_annotations and claims and all(getattr(c, "stance_scores", None) for c in claims):
            entry["score"] = sum(max(c.stance_scores.values()) for c in claims) / len(claims)
        tasks.append({"data": {"text": text, "doc_id": doc_id}, key: [entry]})
    return tasks


def _entry(task: dict) -> dict | None:
    """The task's latest non-cancelled annotation, else its latest prediction; None when it has neither.

    Label Studio's "all tasks" export lists predictions as ids (ints) rather than objects; those are skipped.
    """
    anns = [a for a in task.get("annotations", []) if isinstance(a, dict) and not a.get("was_cancelled")]
    anns = anns or [p for p in task.get("predictions", []) if isinstance(p, dict)]
    return anns[-1] if anns else None


def _regions(result: list[dict], where: str) -> dict[str, dict]:
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
        reg.setdefault("start", char_offset(v.get("start"), f"{where} region {r['id']}: value.start"))
        reg.setdefault("end", char_offset(v.get("end"), f"{where} region {r['id']}: value.end"))
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
        where = _task_name(task, n)
        try:
            rec = _task(task, n, schema, annotator, guidelines_version, sources, keep_text)
        except (KeyError, IndexError, TypeError, AttributeError, ValueError) as e:
            raise AnnotationError(f"{where}: malformed ({type(e).__name__}: {short_repr(e)}); re-export it from Label Studio") from e
        if rec is not None:
            out.append(checked(rec, task["data"]["text"], schema, where))
    return out


def _task_name(task: object, n: int) -> str:
    """How a task is named in messages: its Label Studio id where it has one, else its place in the file."""
    if isinstance(task, dict) and "id" in task:
        return f"Label Studio task {task['id']}"
    return f"Label Studio task #{n + 1} of the file"


def _task(task: dict, n: int, schema, annotator, guidelines_version, sources, keep_text) -> AnnotatedDocument | None:
    where = _task_name(task, n)
    if not isinstance(task, dict):
        raise AnnotationError(f"{where}: a task must be a JSON object, not {type(task).__name__}")
    data = task.get("data") or {}
    text, doc_id = data.get("text"), data.get("doc_id") or f"task{task.get('id', n)}"
    if not isinstance(text, str):
        raise AnnotationError(f"{where}: data.text missing or not a string; export with the task data")
    entry = _entry(task)
    if entry is None:
        return None
    claims = []
    for rid, reg in _regions(entry.get("result", []), f"{where} ({doc_id})").items():
        missing = [k for k in ("stance", "scenario") if k not in reg]
        if missing:
            log.warning("%s (%s): region %s at %s-%s has no %s; skipped", where, doc_id, rid,
                        reg.get("start"), reg.get("end"), " or ".join(missing))
            continue
        claims.append(ClaimAnnotation(start=reg["start"], end=reg["end"], stance=reg["stance"], scenario=reg["scenario"],
                                      actors=reg.get("actors", []), speaker=reg.get("speaker", "author"),
                                      claim_type=reg.get("claim_type"), hedged=reg.get("hedged", False)))
    return annotated_document(doc_id, text, claims, schema, annotator, guidelines_version, sources, keep_text)
