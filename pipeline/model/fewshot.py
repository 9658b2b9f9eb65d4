"""A few-shot candidate for small corpora: SetFit (contrastive fine-tuning of a sentence encoder + linear heads).

The ``setfit`` library tunes the encoder on sampled claim pairs (cosine-similarity loss: same label → similar);
two logistic-regression heads (stance, scenario) then read the tuned embeddings. One body is tuned on the
joint (stance, scenario) label, so a single encoder pass serves both heads and pairs that differ in either
task are pushed apart. Saved as safetensors (encoder and heads) + JSON, never a pickle.

>>> clf = fit_setfit(train_claims, schema, config)        # doctest: +SKIP
>>> save_setfit(clf, folder); load_setfit(folder, schema)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..classify import labelled
from ..errors import ModelError
from ..records import ClaimRecord
from ..schema import LabelSchema
from .config import TrainConfig, resolve_base_model
from .metrics import TASKS

log = logging.getLogger(__name__)

HEADS_FILE = "fewshot_heads.safetensors"
META_FILE = "fewshot.json"
FORMAT = "argmine-setfit/1"


@dataclass(frozen=True)
class SetFitSettings:
    """SetFit's knobs, sized for 2 CPU cores: pairs are capped by ``max_steps`` × ``batch_size``."""

    num_iterations: int = 10  # pairs drawn per claim (SetFit's default is 20)
    max_steps: int = 150
    batch_size: int = 16
    epochs: int = 1
    body_learning_rate: float = 2e-5
    head_C: float = 1.0


@dataclass
class LinearHead:
    """A logistic-regression head as plain arrays: probabilities as scikit-learn computes them."""

    classes: list[str]
    coef: np.ndarray  # (k, d), or (1, d) for two classes
    intercept: np.ndarray

    def probs(self, x, labels: Sequence[str]) -> np.ndarray:
        """Rows × ``labels`` (labels never seen in training get 0)."""
        z = np.asarray(x @ self.coef.T) + self.intercept
        if len(self.classes) == 1:
            p = np.ones((z.shape[0], 1))
        elif self.coef.shape[0] == 1:  # binary: scikit-learn's logistic of the single decision value
            p1 = 1 / (1 + np.exp(-z[:, 0]))
            p = np.stack([1 - p1, p1], axis=1)
        else:
            z = z - z.max(axis=1, keepdims=True)
            p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        out = np.zeros((p.shape[0], len(labels)))
        for j, cls in enumerate(self.classes):
            out[:, list(labels).index(cls)] = p[:, j]
        return out


def fit_head(x, y: Sequence[str], seed: int, C: float = 1.0) -> LinearHead:
    """Class-balanced logistic regression (the TF-IDF baseline's recipe), kept as arrays."""
    from sklearn.linear_model import LogisticRegression

    classes = sorted(set(y))
    if len(classes) == 1:
        return LinearHead(classes, np.zeros((1, x.shape[1])), np.zeros(1))
    lr = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=seed).fit(x, list(y))
    return LinearHead([str(c) for c in lr.classes_], lr.coef_.copy(), lr.intercept_.copy())


def _labels(schema: LabelSchema, task: str) -> list[str]:
    return schema.stance_labels if task == "stance" else schema.scenario_labels


class SetFitClassifier:
    """Implements ``argmine.classify.ClaimClassifier``: tuned body → stance and scenario heads."""

    is_placeholder = False

    def __init__(self, body, heads: dict[str, LinearHead], schema: LabelSchema, name: str = "setfit") -> None:
        self.body = body
        self.heads = heads
        self.schema = schema
        self.name = name

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.body.encode(texts, batch_size=32, convert_to_numpy=True, show_progress_bar=False)

    def predict(self, claims: list[ClaimRecord], sections: list[str | None] | None = None) -> list[ClaimRecord]:
        if not claims:
            return []
        x = self.embed([c.text for c in claims])
        st, sc = (self.heads[t].probs(x, _labels(self.schema, t)).tolist() for t in TASKS)
        return labelled(claims, self.schema.stance_labels, st, self.schema.scenario_labels, sc, self.name)


def _joint_labels(claims: Sequence[ClaimRecord]) -> list[int]:
    """One integer per (stance, scenario) pair: the contrastive target of the shared body."""
    pairs = [(c.stance, c.scenario or "") for c in claims]
    ids = {p: i for i, p in enumerate(sorted(set(pairs)))}
    return [ids[p] for p in pairs]


DEFAULT_SETTINGS = SetFitSettings()


def fit_setfit(claims: Sequence[ClaimRecord], schema: LabelSchema, config: TrainConfig,
               settings: SetFitSettings | None = None) -> SetFitClassifier:
    """Contrastively tune ``config.base_model`` on the claims, then fit the two heads on its embeddings."""
    settings = settings or DEFAULT_SETTINGS
    from datasets import Dataset
    from sentence_transformers import SentenceTransformer
    from setfit import SetFitModel, Trainer, TrainingArguments
    from transformers import set_seed

    rows = [c for c in claims if c.stance is not None]
    if len({c.stance for c in rows}) < 2:
        raise ModelError("SetFit: the training claims need at least two stance labels; annotate more documents")
    started = time.perf_counter()
    set_seed(config.seed)
    body = SentenceTransformer(str(resolve_base_model(config.base_model)), device="cpu")
    body.max_seq_length = config.max_length
    texts, joint = [c.text for c in rows], _joint_labels(rows)
    with tempfile.TemporaryDirectory() as scratch:  # the trainer wants an output folder; nothing is kept there
        args = TrainingArguments(batch_size=settings.batch_size, num_epochs=settings.epochs, num_iterations=settings.num_iterations,
                                 max_steps=settings.max_steps, body_learning_rate=settings.body_learning_rate, seed=config.seed,
                                 report_to="none", show_progress_bar=False, output_dir=scratch, save_strategy="no")
        trainer = Trainer(model=SetFitModel(model_body=body), args=args,
                          train_dataset=Dataset.from_dict({"text": texts, "label": joint}))
        trainer.train_embeddings(texts, joint, args=args)
    body.eval()
    clf = SetFitClassifier(body, {}, schema)
    x = clf.embed(texts)
    for task in TASKS:
        keep = [i for i, c in enumerate(rows) if getattr(c, task) is not None]
        if not keep:
            raise ModelError(f"SetFit: no {task} labels in the training claims")
        clf.heads[task] = fit_head(x[keep], [getattr(rows[i], task) for i in keep], config.seed, settings.head_C)
    log.info("SetFit: %d claims, %.0f s", len(rows), time.perf_counter() - started)
    return clf


def save_setfit(clf: SetFitClassifier, folder: str | Path) -> None:
    """Body in sentence-transformers' layout (safetensors), heads as safetensors arrays, classes as JSON."""
    from safetensors.numpy import save_file

    folder = Path(folder)
    clf.body.save(str(folder), safe_serialization=True)
    tensors = {}
    for task, head in clf.heads.items():
        tensors[f"{task}.coef"] = np.ascontiguousarray(head.coef, dtype=np.float64)  # safetensors needs C order
        tensors[f"{task}.intercept"] = np.ascontiguousarray(head.intercept, dtype=np.float64)
    save_file(tensors, str(folder / HEADS_FILE))
    meta = {"format": FORMAT, "name": clf.name, "classes": {t: h.classes for t, h in clf.heads.items()}}
    (folder / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")


def load_setfit(folder: str | Path, schema: LabelSchema, name: str | None = None) -> SetFitClassifier:
    """The classifier saved by :func:`save_setfit`; errors name the file and how to fix it."""
    from safetensors.numpy import load_file
    from sentence_transformers import SentenceTransformer

    folder = Path(folder)
    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        arrays = load_file(str(folder / HEADS_FILE))
        heads = {t: LinearHead(meta["classes"][t], arrays[f"{t}.coef"], arrays[f"{t}.intercept"]) for t in TASKS}
    except (OSError, ValueError, KeyError) as e:
        raise ModelError(f"{folder}: SetFit files unreadable ({e}); rebuild the model with `argmine model build`") from e
    body = SentenceTransformer(str(folder), device="cpu")
    body.eval()
    return SetFitClassifier(body, heads, schema, name or meta.get("name", "setfit"))
