"""Candidate stance models for the IBM Claim Stance benchmark, chosen on held-out *train* topics only.

Two kinds, each in both input formulations ("topic": (topic text, claim); "target": (topic target,
claim) with the topic's sentiment flipping the label):

- ``finetune``: the project's topic-conditioned trainer (``pipeline.model.trainer.train_stance_rows``),
  early-stopped and temperature-calibrated on the dev topics;
- ``probe``: the frozen encoder's mean-pooled embedding of the same pair input + scikit-learn
  logistic regression, its C picked on the dev topics.

Every candidate is scored on the dev topics in *topic stance* space (PRO/CON toward the topic, after the
target flip), so the formulations compare on the same footing; ``select`` takes the best dev macro-F1.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

import numpy as np

from ..metrics import classification_metrics

log = logging.getLogger(__name__)

KINDS = ("finetune", "probe")
FORMULATIONS = ("target", "topic")
C_GRID = (0.01, 0.1, 1.0, 10.0, 100.0)
# Pairs -> (n × d) float array; injectable so tests need no encoder.
Embedder = Callable[[Sequence[tuple[str, str]]], np.ndarray]


@dataclass
class Candidate:
    """A fitted candidate: its dev scores and a function from rows to topic-stance probabilities."""

    name: str
    kind: str
    formulation: str
    dev: dict
    predict: Callable[[list], np.ndarray]
    settings: dict = field(default_factory=dict)
    fit_s: float = 0.0


def _dev_summary(gold: list[str], probs: np.ndarray, labels: Sequence[str]) -> dict:
    m = classification_metrics(gold, [labels[i] for i in probs.argmax(1)], labels)
    return {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"], "n": len(gold)}


def pair_embedder(base_model: str, max_length: int, batch_size: int = 64, threads: Optional[int] = None, progress=None) -> Embedder:
    """Mean-pooled, L2-normalised embeddings of (first, second) pairs by the frozen base encoder.

    The pair is tokenised exactly as the fine-tuned model reads it (``tokenize_pairs``), so the probe
    and the fine-tuned model differ only in whether the encoder is trained.
    """
    import torch

    from pipeline.model.config import resolve_base_model, set_threads
    from pipeline.model.encoder import load_encoder, mean_pool, tokenize_pairs

    set_threads(threads)
    encoder, tokenizer = load_encoder(resolve_base_model(base_model))
    encoder.eval()

    @torch.inference_mode()
    def embed(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        out = np.zeros((len(pairs), encoder.config.hidden_size), dtype=np.float32)
        task = progress.add_task("embed", total=len(pairs), loss=float("nan"), dev="frozen encoder") if progress else None
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            batch = tokenize_pairs(tokenizer, [pairs[i] for i in idx], max_length)
            z = mean_pool(encoder(**batch).last_hidden_state, batch["attention_mask"])
            out[idx] = torch.nn.functional.normalize(z, dim=-1).numpy()
            if progress:
                progress.update(task, advance=len(idx))
        return out

    return embed


def _lr_probs(model, x: np.ndarray, labels: Sequence[str]) -> np.ndarray:
    p = model.predict_proba(x)
    out = np.zeros((len(x), len(labels)))
    for j, cls in enumerate(model.classes_):
        out[:, list(labels).index(cls)] = p[:, j]
    return out


def probe_candidate(train, dev, formulation: str, embed: Embedder, labels: Sequence[str], inputs, to_stance,
                    seed: int = 13, c_grid: Sequence[float] = C_GRID) -> Candidate:
    """Frozen-encoder probe: LR on pair embeddings, fitted on train topics, C chosen by dev macro-F1."""
    from sklearn.linear_model import LogisticRegression

    t0 = time.perf_counter()
    tr, dv = inputs(train, formulation), inputs(dev, formulation)
    x_tr, x_dv = embed([(a, b) for a, b, _ in tr]), embed([(a, b) for a, b, _ in dv])
    y_tr = [y for _, _, y in tr]
    gold_dev = [r.label for r in dev]
    by_c, best = {}, None
    for c in c_grid:
        lr = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, random_state=seed).fit(x_tr, y_tr)
        score = _dev_summary(gold_dev, to_stance(_lr_probs(lr, x_dv, labels), dev, formulation), labels)
        by_c[str(c)] = score["macro_f1"]
        if best is None or score["macro_f1"] > best[1]["macro_f1"]:  # ties keep the smaller C (stronger regularisation)
            best = (c, score, lr)
    c, score, lr = best

    def predict(rows) -> np.ndarray:
        x = embed([(a, b) for a, b in inputs(rows, formulation, labelled=False)])
        return to_stance(_lr_probs(lr, x, labels), rows, formulation)

    return Candidate(f"probe-{formulation}", "probe", formulation, score, predict,
                     {"C": c, "dev_macro_f1_by_C": by_c, "classifier": "LogisticRegression(class_weight=balanced)"},
                     round(time.perf_counter() - t0, 1))


def finetune_candidate(train, dev, formulation: str, config, labels: Sequence[str], inputs, to_stance, progress=None) -> Candidate:
    """The project's fine-tuned topic-conditioned stance model (early stopping + calibration on dev)."""
    from pipeline.model.trainer import predict_stance_rows, train_stance_rows

    t0 = time.perf_counter()
    trained = train_stance_rows(inputs(train, formulation), inputs(dev, formulation), labels, config=config, progress=progress)
    fit_s = round(time.perf_counter() - t0, 1)

    def predict(rows) -> np.ndarray:
        return to_stance(predict_stance_rows(trained, inputs(rows, formulation, labelled=False)), rows, formulation)

    score = _dev_summary([r.label for r in dev], predict(dev), labels)
    return Candidate(f"finetune-{formulation}", "finetune", formulation, score, predict,
                     {"best_epoch": trained.best_epoch, "temperature": trained.temperatures.get("stance"),
                      "history": trained.history}, fit_s)


def select(candidates: Sequence[Candidate]) -> Candidate:
    """The candidate with the highest dev macro-F1 (ties: the first in the given order)."""
    if not candidates:
        raise ValueError("no candidates to select from")
    return max(candidates, key=lambda c: (c.dev["macro_f1"], -candidates.index(c)))
