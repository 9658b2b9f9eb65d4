"""Baselines over plain (text, label) rows for the external benchmarks.

argmine.model.baselines fits ClaimRecords of a label schema (stance *and* scenario); the benchmarks
have bare rows with one task, so this thin adapter applies the same recipe (word 1–2-gram TF-IDF,
sublinear tf, class-balanced logistic regression; majority class) to rows.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline


def tfidf_lr_probs(train_texts: Sequence[str], train_y: Sequence[str], test_texts: Sequence[str], labels: Sequence[str],
                   seed: int = 13, C: float = 1.0) -> np.ndarray:
    """Probabilities (test rows × ``labels``) of a TF-IDF + LR model fitted on the train rows."""
    pipe = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True),
        LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=seed),
    )
    pipe.fit(list(train_texts), list(train_y))
    p = pipe.predict_proba(list(test_texts))
    out = np.zeros((len(test_texts), len(labels)))
    for j, cls in enumerate(pipe.classes_):
        out[:, list(labels).index(cls)] = p[:, j]
    return out


def majority_label(train_y: Sequence[str], labels: Sequence[str]) -> str:
    """The most frequent train label (ties by ``labels`` order)."""
    counts = Counter(train_y)
    return max(labels, key=lambda lab: (counts.get(lab, 0), -list(labels).index(lab)))
