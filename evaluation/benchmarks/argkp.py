"""ArgKP-2021 key-point matching (track 1 of the KPA-2021 shared task; Friedman et al., 2021).

Matching an argument to a key point is the shape of linking a claim to a scenario description, so the
model is the project's claim–description matcher: mean-pooled MiniLM embeddings compared by a scaled
cosine (``argmine.model.encoder``), fine-tuned here on ArgKP train pairs with a binary loss and
early-stopped on dev mAP. Baselines: the same matcher untrained (zero-shot) and TF-IDF cosine.

Scoring follows the task description of track 1 (re-implemented, not copied):
1. each argument is paired with its highest-scoring key point (same topic and stance);
2. per topic × stance, only the top 50 % of those pairs by score are kept;
3. average precision over the kept pairs, where a pair missing from the labels (an "undecided"
   pair of the annotation) counts as no match (strict) or as a match (relaxed);
4. mAP = mean of the topic × stance APs.
"""

from __future__ import annotations

import csv
import logging
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np
from sklearn.metrics import average_precision_score

from argmine.errors import InputError

from . import DEFAULT_ROOT, finish_benchmark

log = logging.getLogger(__name__)

CITATION = ("Roni Friedman, Lena Dankin, Yufang Hou, Ranit Aharonov, Yoav Katz and Noam Slonim. Overview of the "
            "2021 Key Point Analysis Shared Task. 8th Workshop on Argument Mining (ArgMining 2021), EMNLP 2021. "
            "Data: ArgKP (Bar-Haim et al., ACL 2020) + the KPA-2021 test set; CDLA-Sharing 1.0.")


# Published track-1 test figures (strict / relaxed mAP) as the systems' own papers state them. All are
# large fine-tuned cross-encoders (RoBERTa/BART/DeBERTa class) with full training; the GPU-free run here
# trains a 6-layer bi-encoder on a subsample.
PUBLISHED = [
    {"system": "Modern Talking, RoBERTa-base (Reimer et al., ArgMining 2021)", "map_strict": 0.913, "map_relaxed": None,
     "note": "best strict mAP of the shared task, per the paper's abstract"},
    {"system": "Matching The Statements (Phan et al., ArgMining 2021)", "map_strict": 0.8956, "map_relaxed": 0.9632,
     "note": "4th overall, per the paper's abstract"},
    {"system": "Team Enigma (ArgMining 2021)", "map_strict": 0.872, "map_relaxed": 0.966,
     "note": "5th on the leaderboard, evaluation phase, per the paper's abstract"},
]


@dataclass
class Item:
    id: str
    text: str
    topic: str
    stance: int


@dataclass
class ArgKPSplit:
    arguments: list[Item]
    key_points: list[Item]
    labels: dict[tuple[str, str], int]  # (arg_id, key_point_id) → 0/1; absent pairs are undecided

    def candidates(self) -> dict[str, list[str]]:
        """arg_id → the key points of its topic and stance (the pairs a system must score)."""
        by_group = defaultdict(list)
        for kp in self.key_points:
            by_group[(kp.topic, kp.stance)].append(kp.id)
        return {a.id: by_group.get((a.topic, a.stance), []) for a in self.arguments}


def default_path() -> Path:
    return DEFAULT_ROOT / "ibm_argkp_2021"


def _read(path: Path, columns: Sequence[str]) -> list[dict]:
    if not path.is_file():
        raise InputError(path, "ArgKP file not found", "pass --data pointing at the folder with arguments_*.csv, key_points_*.csv, labels_*.csv")
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(path, f"columns {missing} are missing", "use the files as released for KPA-2021")
        return list(reader)


def load_split(folder: str | Path | None, split: str) -> ArgKPSplit:
    """One split (train/dev/test) of the ArgKP-2021 folder."""
    folder = Path(folder) if folder else default_path()
    args = [Item(r["arg_id"], r["argument"], r["topic"], int(r["stance"]))
            for r in _read(folder / f"arguments_{split}.csv", ["arg_id", "argument", "topic", "stance"])]
    kps = [Item(r["key_point_id"], r["key_point"], r["topic"], int(r["stance"]))
           for r in _read(folder / f"key_points_{split}.csv", ["key_point_id", "key_point", "topic", "stance"])]
    labels = {}
    for n, r in enumerate(_read(folder / f"labels_{split}.csv", ["arg_id", "key_point_id", "label"]), 2):
        if r["label"] not in ("0", "1"):
            raise InputError(f"{folder / f'labels_{split}.csv'}:{n}", f"label {r['label']!r} is not 0 or 1")
        labels[(r["arg_id"], r["key_point_id"])] = int(r["label"])
    return ArgKPSplit(args, kps, labels)


# --- the track-1 metric ---------------------------------------------------------------------


def mean_average_precision(predictions: dict[str, dict[str, float]], arguments: Sequence[Item],
                           labels: dict[tuple[str, str], int], top_fraction: float = 0.5) -> dict:
    """Strict and relaxed mAP of track 1 (see the module docstring), with the AP of every topic × stance.

    An argument without any scored key point is kept with score 0 and counts as a non-match in both
    variants. Ties for the top key point break by key-point id, ties at the 50 % cut by argument id,
    so the figure is deterministic (the official description breaks ties at random).
    """
    groups: dict[tuple[str, int], list[tuple[float, str, Optional[str]]]] = defaultdict(list)
    for a in arguments:
        scores = predictions.get(a.id) or {}
        if scores:
            kp = min(scores, key=lambda k: (-scores[k], k))
            groups[(a.topic, a.stance)].append((float(scores[kp]), a.id, kp))
        else:
            groups[(a.topic, a.stance)].append((0.0, a.id, None))
    per_group = {}
    for key in sorted(groups):
        pairs = sorted(groups[key], key=lambda t: (-t[0], t[1]))
        kept = pairs[: int(len(pairs) * top_fraction)]
        row: dict[str, float] = {"arguments": len(pairs), "kept": len(kept)}
        for variant, undecided in (("strict", 0), ("relaxed", 1)):
            y = [0 if kp is None else labels.get((arg, kp), undecided) for _, arg, kp in kept]
            s = [score for score, _, _ in kept]
            # AP is undefined without a positive pair; 0 is what the group contributes (nothing found).
            row[f"ap_{variant}"] = float(average_precision_score(y, s)) if any(y) else 0.0
            row[f"positives_{variant}"] = int(sum(y))
        per_group[f"{key[0]} | {'pro' if key[1] == 1 else 'con'}"] = row
    strict = [g["ap_strict"] for g in per_group.values()]
    relaxed = [g["ap_relaxed"] for g in per_group.values()]
    return {
        "map_strict": float(np.mean(strict)) if strict else 0.0,
        "map_relaxed": float(np.mean(relaxed)) if relaxed else 0.0,
        "groups": per_group,
    }


def scores_from_matrix(split: ArgKPSplit, score_fn) -> dict[str, dict[str, float]]:
    """Apply ``score_fn(arg_texts, kp_texts) → matrix`` per topic × stance; return arg → kp → score."""
    kp_by_id = {k.id: k for k in split.key_points}
    cands = split.candidates()
    by_group: dict[tuple[str, ...], list[Item]] = defaultdict(list)
    for a in split.arguments:
        if cands[a.id]:
            by_group[tuple(cands[a.id])].append(a)
    out: dict[str, dict[str, float]] = {}
    for kp_ids, args in by_group.items():
        m = np.asarray(score_fn([a.text for a in args], [kp_by_id[k].text for k in kp_ids]))
        for i, a in enumerate(args):
            out[a.id] = {k: float(m[i, j]) for j, k in enumerate(kp_ids)}
    return out


# --- systems ----------------------------------------------------------------------------------


def tfidf_scorer(fit_texts: Sequence[str]):
    """Cosine of word 1–2-gram TF-IDF vectors fitted on the training texts (the lexical floor)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True).fit(list(fit_texts))

    def score(args, kps):
        return (vec.transform(args) @ vec.transform(kps).T).toarray()

    return score


def encoder_scorer(encoder, tokenizer, max_length: int):
    from argmine.model.encoder import match_scores

    def score(args, kps):
        return match_scores(encoder, tokenizer, args, kps, max_length).numpy()

    return score


def fine_tune_matcher(train: ArgKPSplit, dev: ArgKPSplit, config, max_train: Optional[int] = None, progress=None) -> tuple:
    """Fine-tune the claim–description matcher on labelled (argument, key point) pairs.

    Loss: binary cross-entropy on ``scale · cos(argument, key point) + bias``, the same scaled-cosine
    form as the scenario head; the checkpoint with the best dev mAP (mean of strict and relaxed) wins.
    Returns (encoder, tokenizer, history, best_epoch).
    """
    import torch
    from torch import nn

    from argmine.model.config import resolve_base_model
    from argmine.model.encoder import load_encoder, mean_pool, tokenize_texts
    from argmine.model.loop import Callback, EarlyStopping, LoopSettings, ProgressCallback, fit
    from argmine.model.trainer import seed_everything

    seed_everything(config.seed)
    encoder, tokenizer = load_encoder(resolve_base_model(config.base_model))
    arg_text = {a.id: a.text for a in train.arguments}
    kp_text = {k.id: k.text for k in train.key_points}
    pairs = [(arg_text[a], kp_text[k], y) for (a, k), y in sorted(train.labels.items()) if a in arg_text and k in kp_text]
    if max_train and max_train < len(pairs):
        pairs = random.Random(config.seed).sample(pairs, max_train)
    log_scale = nn.Parameter(torch.tensor(float(config.zero_shot_scale)).log())
    bias = nn.Parameter(torch.tensor(-0.5 * config.zero_shot_scale))  # cos ≈ 0.5 starts as undecided
    loss_fn = nn.BCEWithLogitsLoss()

    def batches(epoch: int) -> list[list[int]]:
        order = list(range(len(pairs)))
        random.Random(config.seed * 1000 + epoch).shuffle(order)
        return [order[s : s + config.batch_size] for s in range(0, len(order), config.batch_size)]

    def step(idx: list[int]) -> "torch.Tensor":
        a = tokenize_texts(tokenizer, [pairs[i][0] for i in idx], config.max_length)
        k = tokenize_texts(tokenizer, [pairs[i][1] for i in idx], config.max_length)
        za = nn.functional.normalize(mean_pool(encoder(**a).last_hidden_state, a["attention_mask"]), dim=-1)
        zk = nn.functional.normalize(mean_pool(encoder(**k).last_hidden_state, k["attention_mask"]), dim=-1)
        logits = log_scale.exp() * (za * zk).sum(-1) + bias
        return loss_fn(logits, torch.tensor([float(pairs[i][2]) for i in idx]))

    def evaluate() -> dict:
        m = mean_average_precision(scores_from_matrix(dev, encoder_scorer(encoder, tokenizer, config.max_length)), dev.arguments, dev.labels)
        return {"dev_map_strict": m["map_strict"], "dev_map_relaxed": m["map_relaxed"],
                "dev_score": (m["map_strict"] + m["map_relaxed"]) / 2}

    callbacks: list[Callback] = [EarlyStopping(encoder, "dev_score", config.patience)]
    if progress:
        callbacks.append(ProgressCallback(progress, "argkp", config.epochs,
                                          lambda r: f"dev mAP {r['dev_map_strict']:.3f}/{r['dev_map_relaxed']:.3f}"))
    loop = fit(encoder, [(encoder.parameters(), config.learning_rate), ([log_scale, bias], config.head_learning_rate)],
               LoopSettings(config.epochs, config.weight_decay, config.warmup_ratio),
               steps_per_epoch=(len(pairs) + config.batch_size - 1) // config.batch_size,
               batches=batches, step=step, evaluate=evaluate, callbacks=callbacks, clip=encoder.parameters())
    history = [{k: v for k, v in row.items() if k != "dev_score"} for row in loop.history]
    best_epoch = loop.best_epoch
    encoder.eval()
    return encoder, tokenizer, history, best_epoch, len(pairs)


def run_benchmark(data: str | Path | None, out: str | Path, config=None, max_train: Optional[int] = None,
                  progress=None, command: str = "") -> dict:
    """Fine-tune on train (+dev for early stopping), score test with strict/relaxed mAP; write the report."""
    from argmine.model.config import TrainConfig, resolve_base_model
    from argmine.model.encoder import load_encoder

    config = config or TrainConfig(epochs=2, max_length=64, batch_size=32, learning_rate=5e-5)
    t_start = time.perf_counter()
    train, dev, test = (load_split(data, s) for s in ("train", "dev", "test"))
    timings: dict[str, float] = {}

    t0 = time.perf_counter()
    fit_texts = [a.text for a in train.arguments] + [k.text for k in train.key_points]
    tfidf = mean_average_precision(scores_from_matrix(test, tfidf_scorer(fit_texts)), test.arguments, test.labels)
    base_enc, base_tok = load_encoder(resolve_base_model(config.base_model))
    zero = mean_average_precision(scores_from_matrix(test, encoder_scorer(base_enc, base_tok, config.max_length)), test.arguments, test.labels)
    del base_enc
    timings["baselines_s"] = round(time.perf_counter() - t0, 1)

    t0 = time.perf_counter()
    enc, tok, history, best_epoch, n_pairs = fine_tune_matcher(train, dev, config, max_train, progress)
    timings["train_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    model = mean_average_precision(scores_from_matrix(test, encoder_scorer(enc, tok, config.max_length)), test.arguments, test.labels)
    timings["predict_s"] = round(time.perf_counter() - t0, 1)

    metrics = {
        "benchmark": "argkp-2021",
        "citation": CITATION,
        "published": PUBLISHED,
        "map_strict": model["map_strict"],
        "map_relaxed": model["map_relaxed"],
        "model": model,
        "baselines": {
            "zero_shot": {"map_strict": zero["map_strict"], "map_relaxed": zero["map_relaxed"], "groups": zero["groups"]},
            "tfidf_cosine": {"map_strict": tfidf["map_strict"], "map_relaxed": tfidf["map_relaxed"], "groups": tfidf["groups"]},
        },
        "data": {"path": str(Path(data) if data else default_path()),
                 **{f"{n}_{k}": v for n, s in (("train", train), ("dev", dev), ("test", test))
                    for k, v in (("arguments", len(s.arguments)), ("key_points", len(s.key_points)), ("labelled_pairs", len(s.labels)))},
                 "train_pairs_used": n_pairs},
        "settings": {**config.model_dump(), "max_train": max_train, "best_epoch": best_epoch, "history": history,
                     "loss": "binary cross-entropy on scale*cos+bias", "top_fraction": 0.5},
    }
    from .argkp_report import report

    return finish_benchmark(metrics, out, report, t_start, timings, command)
