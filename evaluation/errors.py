"""Error analysis: the predictions the model was most sure of and got wrong."""

from __future__ import annotations

from typing import Sequence

from .metrics import actor_counts, prf


def confident_errors(pairs: Sequence, task: str, k: int = 15) -> list[dict]:
    """The ``k`` wrong ``task`` predictions with the highest confidence, with text and both labels."""
    rows = []
    for gold, pred in pairs:
        label = getattr(pred, task)
        if label is None or label == getattr(gold, task):
            continue
        scores = getattr(pred, f"{task}_scores") or {}
        rows.append({
            "doc_id": gold.doc_id,
            "start": pred.start,
            "end": pred.end,
            "text": pred.text,
            "gold": getattr(gold, task),
            "predicted": label,
            "confidence": float(scores.get(label, 0.0)),
            "gold_score": float(scores.get(getattr(gold, task), 0.0)),
        })
    rows.sort(key=lambda r: (-r["confidence"], r["doc_id"], r["start"]))
    return rows[:k]


def confusion_pairs(metrics: dict, top: int = 5) -> list[tuple[str, str, int]]:
    """The most frequent (gold, predicted) confusions from a classification_metrics result."""
    labels = metrics["confusion"]["labels"]
    cm = metrics["confusion"]["matrix"]
    out = [(labels[i], labels[j], n) for i, row in enumerate(cm) for j, n in enumerate(row) if i != j and n]
    return sorted(out, key=lambda t: -t[2])[:top]


def errors_by(pairs: Sequence, group_of: dict[str, str], tasks: Sequence[str] = ("stance", "scenario")) -> dict[str, dict]:
    """Claims, errors and error rate per task, and actor precision/recall on the matched claims, for each
    value of a document attribute (e.g. genre, vantage).

    ``group_of`` maps doc_id → value (from the manifest); documents it lacks count under "?".
    """
    out: dict[str, dict] = {}
    actors: dict[str, list] = {}
    for gold, pred in pairs:
        key = group_of.get(gold.doc_id, "?")
        row = out.setdefault(key, {"claims": 0, **{f"{t}_errors": 0 for t in tasks}})
        row["claims"] += 1
        for t in tasks:
            row[f"{t}_errors"] += getattr(pred, t) != getattr(gold, t)
        actors.setdefault(key, []).append((gold.actors, pred.actors))
    for key, row in out.items():
        for t in tasks:
            row[f"{t}_error_rate"] = row[f"{t}_errors"] / row["claims"]
        row["actors"] = prf(*actor_counts(actors[key]))
    return dict(sorted(out.items()))
