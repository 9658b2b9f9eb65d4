"""The one metrics module: P/R/F1, accuracy, macro-F1, confusion, calibration error, paired bootstrap.

Used by early stopping, the model card, ``argmine evaluate``, the benchmarks and agreement, so the
conventions are stated once:

* A zero denominator gives 0.0 (scikit-learn's ``zero_division=0``); counts are reported beside ratios.
* A missing prediction (``None``) counts as wrong (scored as the label ``NO_PREDICTION``).
* Macro-F1 averages over the labels that occur in gold or in the predictions: a label the model predicts
  but gold never uses scores F1 = 0 and is averaged in; a label in neither is left out.
* Calibration is top-label: confidence is the probability of the predicted label; ECE is the
  support-weighted mean |confidence − accuracy| over equal-width bins, right-closed (the first closed on
  both sides), so a confidence of 1.0 lands in the last bin (Guo et al., 2017).
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

NO_PREDICTION = "<none>"


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    """Precision, recall and F1 from counts (0.0 where a denominator is zero)."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "n_pred": n_pred, "n_gold": n_gold}


def classification_metrics(gold: Sequence[str], pred: Sequence[Optional[str]], labels: Sequence[str]) -> dict:
    """Accuracy, macro-F1, per-label P/R/F1/support and the confusion matrix (rows gold, columns predicted).

    ``labels`` are the schema's labels, in schema order; labels seen in the data but not in the schema
    (and the no-prediction marker) are appended so nothing is silently dropped.
    """
    if len(gold) != len(pred):
        raise ValueError(f"gold ({len(gold)}) and predictions ({len(pred)}) differ in length")
    y_true = list(gold)
    y_pred = [p if p is not None else NO_PREDICTION for p in pred]
    extra = sorted((set(y_true) | set(y_pred)) - set(labels))
    all_labels = list(labels) + extra
    if not y_true:
        return {"n": 0, "accuracy": None, "macro_f1": None, "macro_labels": [], "per_label": {},
                "confusion": {"labels": all_labels, "matrix": [[0] * len(all_labels) for _ in all_labels]}}
    seen = set(y_true) | set(y_pred)
    present = [label for label in all_labels if label in seen and label != NO_PREDICTION]
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=all_labels, zero_division=0)
    per_label = {
        label: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
        for i, label in enumerate(all_labels) if label != NO_PREDICTION
    }
    macro = float(np.mean([per_label[label]["f1"] for label in present])) if present else 0.0
    cm = confusion_matrix(y_true, y_pred, labels=all_labels)
    return {
        "n": len(y_true),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": macro,
        "macro_labels": present,
        "per_label": per_label,
        "confusion": {"labels": all_labels, "matrix": cm.tolist()},
    }


def task_scores(gold: Sequence[Optional[str]], pred: Sequence[Optional[str]], labels: Sequence[str]) -> dict:
    """Compact scores for training and cards: macro-F1, accuracy, per-label F1, n (NaN when nothing is gold).

    Items whose gold label is missing are skipped; otherwise the conventions of ``classification_metrics``.
    """
    pairs = [(g, p) for g, p in zip(gold, pred) if g is not None]
    if not pairs:
        return {"macro_f1": float("nan"), "accuracy": float("nan"), "per_label": {}, "n": 0}
    m = classification_metrics([g for g, _ in pairs], [p for _, p in pairs], labels)
    return {
        "macro_f1": m["macro_f1"],
        "accuracy": m["accuracy"],
        "per_label": {lab: m["per_label"][lab]["f1"] for lab in m["macro_labels"]},
        "n": m["n"],
    }


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
        mask = (conf > lo) & (conf <= hi) if k else (conf >= lo) & (conf <= hi)
        count = int(mask.sum())
        c = a = None
        if count:
            c, a = float(conf[mask].mean()), float(ok[mask].mean())
            ece += count / n * abs(c - a)
            mce = max(mce, abs(c - a))
        bins.append({"lo": float(lo), "hi": float(hi), "confidence": c, "accuracy": a, "count": count})
    return {"n": n, "ece": ece if n else None, "mce": mce if n else None, "bins": bins,
            "mean_confidence": float(conf.mean()) if n else None, "accuracy": float(ok.mean()) if n else None}


def expected_calibration_error(probs: np.ndarray, labels: np.ndarray, bins: int = 10) -> float:
    """ECE of a probability matrix against integer gold labels (NaN when empty)."""
    if len(labels) == 0:
        return float("nan")
    ece = reliability(probs.max(1), probs.argmax(1) == labels, bins)["ece"]
    return float(ece)


def acc_macro_f1_codes(g: np.ndarray, p: np.ndarray, k: int) -> tuple[float, float]:
    """Accuracy and macro-F1 of integer-coded labels with ``classification_metrics``' conventions
    (F1 = 2·tp / (n_pred + n_gold); labels in neither are left out). Counting with bincount keeps thousands
    of bootstrap samples fast; a test checks it agrees with ``classification_metrics``."""
    if not len(g):
        return 0.0, 0.0
    tp = np.bincount(g[g == p], minlength=k)
    denom = np.bincount(g, minlength=k) + np.bincount(p, minlength=k)
    seen = denom > 0
    return float(np.mean(g == p)), float(np.mean(2 * tp[seen] / denom[seen]))


def paired_bootstrap(gold: Sequence[str], pred_a: Sequence[str], pred_b: Sequence[str], groups: Sequence[str],
                     labels: Sequence[str], reps: int = 2000, seed: int = 13) -> dict:
    """How sure is "A beats B"? Resample whole groups (e.g. topics) with replacement, score both on each sample.

    Groups, not single items, are resampled because items of one group are not independent. Returns, for
    accuracy and macro-F1, the observed difference A − B, the 2.5/97.5 percentiles of the resampled
    differences, and the share of samples in which A did not beat B.
    """
    codes = {lab: i for i, lab in enumerate(dict.fromkeys([*labels, *gold, *pred_a, *pred_b]))}
    g, a, b = (np.array([codes[x] for x in seq], dtype=int) for seq in (gold, pred_a, pred_b))
    names = sorted(set(groups))
    members = {n: np.flatnonzero(np.asarray(groups, dtype=object) == n) for n in names}
    rng = np.random.default_rng(seed)

    def diff(idx: np.ndarray) -> np.ndarray:
        return np.subtract(acc_macro_f1_codes(g[idx], a[idx], len(codes)), acc_macro_f1_codes(g[idx], b[idx], len(codes)))

    observed = diff(np.arange(len(g)))
    samples = np.array([diff(np.concatenate([members[names[i]] for i in rng.integers(0, len(names), len(names))]))
                        for _ in range(reps)]) if len(g) else np.zeros((1, 2))
    out: dict = {"groups": len(names), "reps": reps}
    for j, key in enumerate(("accuracy", "macro_f1")):
        out[key] = {"difference": float(observed[j]),
                    "ci95": [float(np.percentile(samples[:, j], 2.5)), float(np.percentile(samples[:, j], 97.5))],
                    "share_not_better": float(np.mean(samples[:, j] <= 0))}
    return out
