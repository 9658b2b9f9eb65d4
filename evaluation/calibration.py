"""Calibration: expected calibration error and the bins of a reliability diagram.

Top-label calibration: the confidence of a prediction is the probability of the label it predicts,
and it is "right" when that label equals gold. ECE is the support-weighted mean gap between
confidence and accuracy over equal-width confidence bins (Guo et al., 2017).
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np


def top_label(scores: dict[str, float]) -> tuple[Optional[str], float]:
    """The predicted label and its probability from a label → score map."""
    if not scores:
        return None, 0.0
    label = max(scores, key=lambda k: scores[k])
    return label, float(scores[label])


def reliability(confidence: Sequence[float], correct: Sequence[bool], n_bins: int = 10) -> dict:
    """ECE, maximum calibration error and per-bin (mean confidence, accuracy, count)."""
    conf = np.asarray(confidence, dtype=float)
    ok = np.asarray(correct, dtype=float)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bins = []
    ece = mce = 0.0
    n = len(conf)
    for k in range(n_bins):
        lo, hi = edges[k], edges[k + 1]
        # Right-closed bins, the first one closed on both sides, so a confidence of 1.0 lands in the last bin.
        mask = (conf > lo) & (conf <= hi) if k else (conf >= lo) & (conf <= hi)
        count = int(mask.sum())
        if count:
            c, a = float(conf[mask].mean()), float(ok[mask].mean())
            gap = abs(c - a)
            ece += count / n * gap
            mce = max(mce, gap)
        else:
            c = a = None
        bins.append({"lo": float(lo), "hi": float(hi), "confidence": c, "accuracy": a, "count": count})
    return {"n": n, "ece": ece if n else None, "mce": mce if n else None, "bins": bins,
            "mean_confidence": float(conf.mean()) if n else None, "accuracy": float(ok.mean()) if n else None}


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
