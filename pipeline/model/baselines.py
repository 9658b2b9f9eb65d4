"""Baselines over ClaimRecords: the majority class and TF-IDF + logistic regression (scikit-learn).

Both follow the ClaimClassifier protocol of ``argmine.classify`` (``predict`` fills labels, scores and
``model``), so evaluation treats them exactly like the transformer.

>>> maj = fit_majority(train_claims, schema)              # doctest: +SKIP
>>> lr = fit_tfidf_lr(train_claims, schema, seed=13)     # doctest: +SKIP
>>> lr.predict(test_claims)                              # doctest: +SKIP
"""

from __future__ import annotations

from collections import Counter
from typing import Optional, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from ..classify import labelled
from ..errors import ModelError
from ..records import ClaimRecord
from ..schema import LabelSchema
from .metrics import TASKS


def _labels(schema: LabelSchema, task: str) -> list[str]:
    return schema.stance_labels if task == "stance" else schema.scenario_labels


class MajorityClassifier:
    """Predicts the most frequent train label of each task; scores are the train label frequencies."""

    is_placeholder = False
    name = "baseline-majority"

    def __init__(self, schema: LabelSchema, priors: dict[str, dict[str, float]]) -> None:
        self.schema = schema
        self.priors = priors

    def predict(self, claims: list[ClaimRecord], sections: list[str | None] | None = None) -> list[ClaimRecord]:
        st, sc = (self.priors[task] for task in TASKS)
        return labelled(claims, list(st), [list(st.values())] * len(claims), list(sc), [list(sc.values())] * len(claims),
                        self.name, digits=None)


def fit_majority(claims: Sequence[ClaimRecord], schema: LabelSchema) -> MajorityClassifier:
    priors = {}
    for task in TASKS:
        counts = Counter(getattr(c, task) for c in claims if getattr(c, task) is not None)
        if not counts:
            raise ModelError(f"majority baseline: no {task} labels in the training claims")
        total = sum(counts.values())
        # Ties break by schema order, so the baseline is deterministic.
        priors[task] = {lab: counts.get(lab, 0) / total for lab in _labels(schema, task)}
    return MajorityClassifier(schema, priors)


class TfidfLRClassifier:
    """Word 1–2-gram TF-IDF + class-balanced logistic regression, one model per task."""

    is_placeholder = False
    name = "baseline-tfidf-lr"

    def __init__(self, schema: LabelSchema, models: dict[str, Pipeline], constant: dict[str, Optional[str]]) -> None:
        self.schema = schema
        self.models = models
        self.constant = constant  # a task whose train split had one class predicts it with certainty

    def predict(self, claims: list[ClaimRecord], sections: list[str | None] | None = None) -> list[ClaimRecord]:
        if not claims:
            return []
        texts = [c.text for c in claims]
        probs_by_task = {}
        for task in TASKS:
            labels = _labels(self.schema, task)
            if self.constant.get(task):
                probs = np.array([[1.0 if lab == self.constant[task] else 0.0 for lab in labels]] * len(claims))
            else:
                model = self.models[task]
                p = model.predict_proba(texts)
                probs = np.zeros((len(claims), len(labels)))
                for j, cls in enumerate(model.classes_):
                    probs[:, labels.index(cls)] = p[:, j]
            probs_by_task[task] = probs.tolist()
        return labelled(claims, self.schema.stance_labels, probs_by_task["stance"], self.schema.scenario_labels,
                        probs_by_task["scenario"], self.name, digits=None)


def tfidf_lr_pipeline(seed: int = 13, C: float = 1.0) -> Pipeline:
    """The one TF-IDF + LR recipe: word 1–2-gram TF-IDF (sublinear tf), class-balanced logistic regression."""
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True),
        LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=seed),
    )


def tfidf_lr_probs(train_texts: Sequence[str], train_y: Sequence[str], test_texts: Sequence[str], labels: Sequence[str],
                   seed: int = 13, C: float = 1.0) -> np.ndarray:
    """Probabilities (test rows × ``labels``) of the recipe fitted on bare (text, label) rows (benchmarks)."""
    pipe = tfidf_lr_pipeline(seed, C).fit(list(train_texts), list(train_y))
    p = pipe.predict_proba(list(test_texts))
    out = np.zeros((len(test_texts), len(labels)))
    for j, cls in enumerate(pipe.classes_):
        out[:, list(labels).index(cls)] = p[:, j]
    return out


def majority_label(train_y: Sequence[str], labels: Sequence[str]) -> str:
    """The most frequent train label (ties by ``labels`` order)."""
    counts = Counter(train_y)
    return max(labels, key=lambda lab: (counts.get(lab, 0), -list(labels).index(lab)))


def fit_tfidf_lr(claims: Sequence[ClaimRecord], schema: LabelSchema, seed: int = 13, C: float = 1.0) -> TfidfLRClassifier:
    models: dict[str, Pipeline] = {}
    constant: dict[str, Optional[str]] = {}
    for task in TASKS:
        rows = [(c.text, getattr(c, task)) for c in claims if getattr(c, task) is not None]
        if not rows:
            raise ModelError(f"TF-IDF + LR baseline: no {task} labels in the training claims")
        texts, y = zip(*rows)
        if len(set(y)) < 2:
            constant[task] = y[0]
            continue
        pipe = tfidf_lr_pipeline(seed, C).fit(list(texts), list(y))
        models[task] = pipe
    return TfidfLRClassifier(schema, models, constant)
