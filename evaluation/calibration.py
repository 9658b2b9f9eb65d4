"""Calibration: expected calibration error and the bins of a reliability diagram.

Top-label calibration: the confidence of a prediction is the probability of the label it predicts,
and it is "right" when that label equals gold. ECE is the support-weighted mean gap between
confidence and accuracy over equal-width confidence bins (Guo et al., 2017).
"""

from __future__ import annotations

from typing import Optional, Sequence

from argmine.metrics import reliability


def top_label(scores: dict[str, float]) -> tuple[Optional[str], float]:
    """The predicted label and its probability from a label → score map."""
    if not scores:
        return None, 0.0
    label = max(scores, key=lambda k: scores[k])
    return label, float(scores[label])


def calibration_of(pairs: Sequence, task: str, n_bins: int = 10) -> dict:
    """Reliability of ``task`` (stance/scenario) scores over matched (gold, predicted) claim pairs.

    Pairs whose prediction carries no scores, or uniform placeholder scores, are left out: they are
    not probabilities anyone should read.
    """
    conf, correct = [], []
    for gold, pred in pairs:
        scores = getattr(pred, f"{task}_scores") or {}
        if not scores or getattr(pred, task) is None:
            continue
        label, c = top_label(scores)
        conf.append(c)
        correct.append(label == getattr(gold, task))
    return reliability(conf, correct, n_bins)
