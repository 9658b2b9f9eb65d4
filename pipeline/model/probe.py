"""A logistic-regression probe on the frozen base encoder, averaged with the fine-tuned heads.

Why: the fine-tuned model and a linear probe on the untouched encoder make different errors. In grouped
CV over the train documents (issue 14; `scripts/exp_real.py`, `scripts/exp_score.py`) their average, decoded
jointly, beat the fine-tuned model alone on real commentary. The probe costs one extra encoder pass per
claim at inference and a few seconds of scikit-learn at training. Its weights are plain arrays stored
in ``heads.safetensors`` (never a pickle).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch

from .config import TrainConfig, resolve_base_model
from .data import Example

log = logging.getLogger(__name__)
PREFIX = "probe."
ABSENT = -1e4  # intercept of a label the train split never shows: probability ~0


@dataclass
class EmbeddingProbe:
    """Per task: a softmax over ``embedding @ coef.T + intercept`` (labels in schema order)."""

    coef: dict[str, np.ndarray]
    intercept: dict[str, np.ndarray]

    def proba(self, X: np.ndarray, task: str) -> np.ndarray:
        z = X @ self.coef[task].T + self.intercept[task]
        z = z - z.max(1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(1, keepdims=True)

    def state(self) -> dict[str, torch.Tensor]:
        """Tensors to store beside the heads (``probe.<task>.coef`` / ``.intercept``)."""
        out = {}
        for task in self.coef:
            out[f"{PREFIX}{task}.coef"] = torch.from_numpy(np.ascontiguousarray(self.coef[task], dtype=np.float32))
            out[f"{PREFIX}{task}.intercept"] = torch.from_numpy(np.ascontiguousarray(self.intercept[task], dtype=np.float32))
        return out

    @classmethod
    def from_state(cls, state: dict[str, torch.Tensor]) -> "EmbeddingProbe | None":
        tasks = sorted({k[len(PREFIX):].rsplit(".", 1)[0] for k in state if k.startswith(PREFIX)})
        if not tasks:
            return None
        return cls({t: state[f"{PREFIX}{t}.coef"].numpy() for t in tasks},
                   {t: state[f"{PREFIX}{t}.intercept"].numpy() for t in tasks})


def load_base_encoder(config: TrainConfig):
    """The frozen encoder the probe reads (the config's base model, never the fine-tuned one)."""
    from .encoder import load_encoder

    return load_encoder(resolve_base_model(config.base_model))


def embed(encoder, tokenizer, texts: Sequence[str], config: TrainConfig) -> np.ndarray:
    from .encoder import embed_texts

    return embed_texts(encoder, tokenizer, list(texts), config.max_length).numpy()


def _fit_task(X: np.ndarray, y: list, labels: list[str], c: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    keep = [i for i, v in enumerate(y) if v is not None]
    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=3000, random_state=seed)
    lr.fit(X[keep], [y[i] for i in keep])
    classes = list(lr.classes_)
    w = lr.coef_ if len(classes) > 2 else np.vstack([np.zeros_like(lr.coef_[0]), lr.coef_[0]])
    b = lr.intercept_ if len(classes) > 2 else np.array([0.0, lr.intercept_[0]])
    coef = np.zeros((len(labels), X.shape[1]))
    intercept = np.full(len(labels), ABSENT)
    for row, label in enumerate(classes):
        coef[labels.index(label)], intercept[labels.index(label)] = w[row], b[row]
    return coef, intercept


def fit_probe(examples: Sequence[Example], labels: dict[str, list[str]], config: TrainConfig) -> EmbeddingProbe:
    """Fit one probe per task that has at least two classes in ``examples``."""
    encoder, tokenizer = load_base_encoder(config)
    X = embed(encoder, tokenizer, [e.text for e in examples], config)
    coef, intercept = {}, {}
    for task, names in labels.items():
        y = [getattr(e, task) for e in examples]
        if len({v for v in y if v is not None}) < 2:
            continue
        coef[task], intercept[task] = _fit_task(X, y, names, config.probe_c, config.seed)
    log.info("probe fitted on %d claims (%s)", len(examples), ", ".join(coef))
    return EmbeddingProbe(coef, intercept)
