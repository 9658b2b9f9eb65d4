"""Scores of stance and scenario predictions against gold ClaimRecords (scikit-learn metrics)."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from sklearn.metrics import accuracy_score, f1_score

from ..records import ClaimRecord
from ..schema import LabelSchema

TASKS = ("stance", "scenario")


def task_scores(gold: Sequence[str], pred: Sequence[str | None], labels: Sequence[str]) -> dict:
    """Macro-F1 over the schema's labels present in gold or predictions, accuracy, per-label F1, n."""
    pairs = [(g, p if p is not None else "<none>") for g, p in zip(gold, pred) if g is not None]
    if not pairs:
        return {"macro_f1": float("nan"), "accuracy": float("nan"), "per_label": {}, "n": 0}
    y, yhat = zip(*pairs)
    used = [lab for lab in labels if lab in y or lab in yhat]
    per = f1_score(y, yhat, labels=used, average=None, zero_division=0)
    return {
        "macro_f1": float(f1_score(y, yhat, labels=used, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(y, yhat)),
        "per_label": {lab: float(f) for lab, f in zip(used, per)},
        "n": len(y),
    }


def score_claims(gold: Sequence[ClaimRecord], pred: Sequence[ClaimRecord], schema: LabelSchema) -> dict:
    """Both tasks, gold and predicted claims aligned by position (same claims, labels predicted)."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold claims but {len(pred)} predictions")
    return {
        "stance": task_scores([g.stance for g in gold], [p.stance for p in pred], schema.stance_labels),
        "scenario": task_scores([g.scenario for g in gold], [p.scenario for p in pred], schema.scenario_labels),
    }


def unlabelled(claims: Sequence[ClaimRecord]) -> list[ClaimRecord]:
    """Copies of claims with every label and score removed, for a classifier to fill in."""
    blank = {"stance": None, "scenario": None, "stance_scores": {}, "scenario_scores": {}, "model": None}
    return [c.model_copy(update=blank) for c in claims]


def evaluate_classifier(classifier, gold: Sequence[ClaimRecord], schema: LabelSchema) -> dict:
    """Predict on label-free copies of ``gold`` and score them: the one evaluation path for every classifier."""
    copies = unlabelled(gold)
    if copies:
        classifier.predict(copies, [c.section for c in copies])
    return score_claims(gold, copies, schema)


def mean_std(values: Sequence[float]) -> tuple[float, float]:
    vals = [v for v in values if not math.isnan(v)]
    if not vals:
        return float("nan"), float("nan")
    return float(np.mean(vals)), float(np.std(vals, ddof=1)) if len(vals) > 1 else 0.0


def summarise_folds(folds: Sequence[dict]) -> dict:
    """{system: {task: {metric: (mean, std)}}} from per-fold {system: score_claims(...)} dicts."""
    out: dict = {}
    for system in folds[0] if folds else []:
        out[system] = {}
        for task in TASKS:
            out[system][task] = {
                metric: mean_std([f[system][task][metric] for f in folds]) for metric in ("macro_f1", "accuracy")
            }
    return out
