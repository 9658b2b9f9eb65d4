"""Candidate stance models for the IBM Claim Stance benchmark, chosen on held-out *train* topics only.

Two kinds, each in both input formulations ("topic": (topic text, claim); "target": (topic target,
claim) with the topic's sentiment flipping the label), and optionally with auxiliary rows (ArgKP
arguments on other motions, ``aux_stance``) added to the training data:

- ``finetune``: the project's topic-conditioned trainer (``argmine.model.trainer.train_stance_rows``),
  early-stopped and temperature-calibrated on the dev topics;
- ``probe``: the frozen encoder's mean-pooled embedding of the same pair input + scikit-learn
  logistic regression, its C picked on the dev topics.

Every candidate is scored in *topic stance* space (PRO/CON toward the topic, after the target flip), so
the formulations compare on the same footing. ``select`` takes the best macro-F1 either on a few dev
topics (``by="dev"``) or pooled over a grouped cross-validation of the train topics (``by="cv"``,
``cross_validate``): every fold scores topics none of its models trained on.
"""

from __future__ import annotations

import logging
import random
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


@dataclass(frozen=True)
class Spec:
    """What to fit: the model kind, the input formulation, and whether auxiliary rows join the training data."""

    kind: str
    formulation: str
    aux: bool = False

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.formulation}" + ("+argkp" if self.aux else "")


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
    cv: Optional[dict] = None  # pooled cross-validation scores on the train topics (select by="cv")


def _dev_summary(gold: list[str], probs: np.ndarray, labels: Sequence[str]) -> dict:
    m = classification_metrics(gold, [labels[i] for i in probs.argmax(1)], labels)
    return {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"], "n": len(gold)}


def pair_embedder(base_model: str, max_length: int, batch_size: int = 64, threads: Optional[int] = None, progress=None) -> Embedder:
    """Mean-pooled, L2-normalised embeddings of (first, second) pairs by the frozen base encoder.

    The pair is tokenised exactly as the fine-tuned model reads it (``tokenize_pairs``), so the probe
    and the fine-tuned model differ only in whether the encoder is trained.
    """
    import torch

    from argmine.model.config import resolve_base_model
    from argmine.model.encoder import load_encoder, mean_pool, tokenize_pairs

    encoder, tokenizer = load_encoder(resolve_base_model(base_model))
    encoder.eval()
    cache: dict[tuple[str, str], np.ndarray] = {}  # cross-validation embeds the same pairs once per fold

    @torch.inference_mode()
    def embed(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        todo = sorted({(a, b) for a, b in pairs} - cache.keys(), key=lambda p: len(p[0]) + len(p[1]))
        task = progress.add_task("embed", total=len(todo), loss=float("nan"), dev="frozen encoder") if progress and todo else None
        for s in range(0, len(todo), batch_size):
            chunk = todo[s : s + batch_size]
            batch = tokenize_pairs(tokenizer, chunk, max_length)
            z = torch.nn.functional.normalize(mean_pool(encoder(**batch).last_hidden_state, batch["attention_mask"]), dim=-1).numpy()
            cache.update(zip(chunk, z))
            if task is not None:
                progress.update(task, advance=len(chunk))
        return np.stack([cache[(a, b)] for a, b in pairs]) if pairs else np.zeros((0, encoder.config.hidden_size), dtype=np.float32)

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
    by_c: dict[str, float] = {}
    best: Optional[tuple[float, dict, LogisticRegression]] = None
    for c in c_grid:
        lr = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, random_state=seed).fit(x_tr, y_tr)
        score = _dev_summary(gold_dev, to_stance(_lr_probs(lr, x_dv, labels), dev, formulation), labels)
        by_c[str(c)] = score["macro_f1"]
        if best is None or score["macro_f1"] > best[1]["macro_f1"]:  # ties keep the smaller C (stronger regularisation)
            best = (c, score, lr)
    if best is None:
        raise ValueError("probe_candidate: c_grid is empty; pass at least one C")
    c, score, lr = best

    def predict(rows) -> np.ndarray:
        x = embed([(a, b) for a, b in inputs(rows, formulation, labelled=False)])
        return to_stance(_lr_probs(lr, x, labels), rows, formulation)

    return Candidate(f"probe-{formulation}", "probe", formulation, score, predict,
                     {"C": c, "dev_macro_f1_by_C": by_c, "classifier": "LogisticRegression(class_weight=balanced)"},
                     round(time.perf_counter() - t0, 1))


def finetune_candidate(train, dev, formulation: str, config, labels: Sequence[str], inputs, to_stance, progress=None) -> Candidate:
    """The project's fine-tuned topic-conditioned stance model (early stopping + calibration on dev)."""
    from argmine.model.trainer import predict_stance_rows, train_stance_rows

    t0 = time.perf_counter()
    trained = train_stance_rows(inputs(train, formulation), inputs(dev, formulation), labels, config=config, progress=progress)
    fit_s = round(time.perf_counter() - t0, 1)

    def predict(rows) -> np.ndarray:
        return to_stance(predict_stance_rows(trained, inputs(rows, formulation, labelled=False)), rows, formulation)

    score = _dev_summary([r.label for r in dev], predict(dev), labels)
    return Candidate(f"finetune-{formulation}", "finetune", formulation, score, predict,
                     {"best_epoch": trained.best_epoch, "temperature": trained.temperatures.get("stance"),
                      "history": trained.history}, fit_s)


def fit_spec(spec: Spec, train, dev, aux_rows, *, config, labels: Sequence[str], inputs, to_stance,
             embed: Optional[Embedder] = None, progress=None) -> Candidate:
    """Fit one candidate on ``train`` (+ ``aux_rows`` when the spec asks), early-stopped/tuned on ``dev``."""
    rows = list(train) + (list(aux_rows) if spec.aux else [])
    if spec.kind == "finetune":
        c = finetune_candidate(rows, dev, spec.formulation, config, labels, inputs, to_stance, progress=progress)
    else:
        if embed is None:
            raise ValueError(f"{spec.name}: a probe candidate needs embed= (the frozen-encoder embedder)")
        c = probe_candidate(rows, dev, spec.formulation, embed, labels, inputs, to_stance, seed=config.seed)
    c.name = spec.name
    c.settings["train_rows"] = len(rows)
    return c


def topic_folds(topics: Sequence[str], k: int, seed: int) -> list[list[str]]:
    """``k`` groups of topics, seeded; every topic is held out exactly once."""
    order = sorted(set(topics))
    if k < 2 or k > len(order):
        raise ValueError(f"cross-validation needs 2 ≤ folds ≤ {len(order)} topics, got {k}")
    random.Random(seed).shuffle(order)
    return [sorted(order[i::k]) for i in range(k)]


def cross_validate(fitters: dict[str, Callable[[list, list], Callable[[list], np.ndarray]]], rows, labels: Sequence[str],
                   folds: int, seed: int, dev_topics: int = 3, on_fold: Optional[Callable[[str, int, dict], None]] = None) -> dict:
    """Grouped K-fold over the topics of ``rows`` (train topics only).

    ``fitters``: name → fit(train, dev) returning a predict(rows) → topic-stance probabilities. In each
    fold the held-out topics are scored; ``dev_topics`` of the remaining topics early-stop/tune, the
    rest train. Returns name → pooled accuracy/macro-F1 over all held-out claims, plus per-fold scores.
    """
    groups = topic_folds([r.topic for r in rows], folds, seed)
    out = {}
    for name, fit in fitters.items():
        gold, pred, per_fold = [], [], []
        for i, held_topics in enumerate(groups):
            held_set = set(held_topics)
            rest = sorted({r.topic for r in rows} - held_set)
            dev_set = set(random.Random(seed + i).sample(rest, min(dev_topics, len(rest) - 1)))
            train = [r for r in rows if r.topic not in held_set and r.topic not in dev_set]
            dev = [r for r in rows if r.topic in dev_set]
            held = [r for r in rows if r.topic in held_set]
            probs = fit(train, dev)(held)
            p, g = [labels[j] for j in probs.argmax(1)], [r.label for r in held]
            m = classification_metrics(g, p, labels)
            per_fold.append({"accuracy": m["accuracy"], "macro_f1": m["macro_f1"], "n": len(g), "topics": held_topics})
            gold += g
            pred += p
            if on_fold:
                on_fold(name, i, per_fold[-1])
        m = classification_metrics(gold, pred, labels)
        out[name] = {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"], "n": len(gold), "folds": per_fold,
                     "fold_macro_f1_std": float(np.std([f["macro_f1"] for f in per_fold]))}
    return out


def select(candidates: Sequence[Candidate], by: str = "dev") -> Candidate:
    """The candidate with the highest macro-F1 on the dev topics, or pooled over CV folds (ties: first in order)."""
    if not candidates:
        raise ValueError("no candidates to select from")
    if by == "cv" and any(c.cv is None for c in candidates):
        raise ValueError("select(by='cv') needs every candidate's cross-validation scores")

    def key(c: Candidate) -> tuple[float, int]:
        scores = c.cv if by == "cv" else c.dev
        assert scores is not None  # every candidate's cv was checked above
        return scores["macro_f1"], -candidates.index(c)

    return max(candidates, key=key)
