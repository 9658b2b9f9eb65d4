"""Scoring a classifier's stance and scenario predictions against gold ClaimRecords (``argmine.metrics`` underneath)."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..metrics import task_scores
from ..records import ClaimRecord
from ..schema import LabelSchema

TASKS = ("stance", "scenario")


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
    blank: dict[str, object] = {"stance": None, "scenario": None, "stance_scores": {}, "scenario_scores": {}, "model": None}
    return [c.model_copy(update=blank) for c in claims]


def evaluate_classifier(classifier, gold: Sequence[ClaimRecord], schema: LabelSchema) -> dict:
    """Predict on label-free copies of ``gold`` and score them: the one evaluation path for every classifier."""
    copies = unlabelled(gold)
    pred = classifier.predict(copies, [c.section for c in copies]) if copies else []
    return score_claims(gold, pred, schema)


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
