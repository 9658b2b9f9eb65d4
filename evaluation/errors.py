"""Error analysis: the predictions the model was most sure of and got wrong."""

from __future__ import annotations

from typing import Sequence


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
