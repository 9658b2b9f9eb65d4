"""IBM Debater Claim Stance (Bar-Haim et al., EACL 2017): topic-conditioned PRO/CON stance.

The official split is by topic (25 train, 30 test topics), so the test topics are unseen. Candidate
models (the project's fine-tuned topic-conditioned trainer and a frozen-encoder probe, each in two
input formulations; ``stance_candidates``) are fitted on the train topics and the one reported is
chosen on a few held-out *train* topics; TF-IDF + LR and the majority class run in the same call.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from argmine.errors import InputError

from ..calibration import reliability
from ..metrics import classification_metrics, paired_bootstrap
from argmine.model.baselines import majority_label, tfidf_lr_probs

from . import finish_benchmark
from .ibm_data import (  # noqa: F401  (re-exported: the benchmark's public names)
    CITATION, COLUMNS, FILE, FLIP, LABELS, TOPIC_META, StanceRow, default_path, load_claim_stance, split_dev, subsample,
)

if TYPE_CHECKING:
    from .stance_candidates import Candidate

log = logging.getLogger(__name__)


def _inputs(rows: list[StanceRow], formulation: str, labelled: bool = True) -> list[tuple]:
    """Trainer rows: (topic text, claim, stance), or (topic target, claim, stance toward the target)."""
    if formulation == "target":
        return [(r.target, r.text, r.target_label()) if labelled else (r.target, r.text) for r in rows]
    return [(r.topic, r.text, r.label) if labelled else (r.topic, r.text) for r in rows]


def _to_stance(probs, rows: list[StanceRow], formulation: str):
    """Map target-stance probabilities back to topic stance (swap PRO/CON where the topic opposes its target)."""
    if formulation != "target":
        return probs
    out = probs.copy()
    flip = [i for i, r in enumerate(rows) if r.topic_sentiment < 0]
    out[flip] = probs[flip][:, ::-1]
    return out


def run_benchmark(data: str | Path | None, out: str | Path, config=None, max_train: Optional[int] = None,
                  dev_topics: int = 3, progress=None, command: str = "", formulation: str = "all",
                  candidates: str = "all", embedder=None, aux: str = "none", aux_data: str | Path | None = None,
                  select_by: str = "dev", folds: int = 5) -> dict:
    """Fit every candidate on the train topics, pick one on held-out train topics, score all on the test topics.

    Candidates (see ``stance_candidates``): ``finetune`` (the project's trainer) and ``probe`` (frozen
    encoder + logistic regression), each in ``formulation`` "target" (Bar-Haim et al.'s decomposition:
    (topic target, claim), the topic's sentiment flips the label), "topic" ((topic text, claim) →
    PRO/CON) or "all" (both); with ``aux="argkp"`` each also comes with ArgKP-2021 arguments on
    motions that overlap no IBM topic added to its training rows. The selected candidate has the best
    macro-F1 on ``dev_topics`` held-out train topics (``select_by="dev"``) or pooled over a ``folds``-fold
    grouped cross-validation of the train topics (``select_by="cv"``); the test topics are scored once,
    for every candidate, after the choice. Writes metrics.json, report.md and report.html to ``out``.
    ``embedder`` replaces the frozen encoder of the probe (pairs → array), for tests.
    """
    from argmine.model.config import TrainConfig

    from .ibm_report import report

    formulations, kinds = _check_options(formulation, candidates, aux, select_by)
    config = config or TrainConfig(epochs=4, max_length=64, batch_size=16, learning_rate=2e-5)
    t_start = time.perf_counter()
    data_ = _load(data, dev_topics, max_train, config.seed, formulations)
    aux_rows, aux_info = _aux_rows(aux, aux_data, data_.rows)
    timings: dict[str, float] = {}
    fitted, chosen, cv_scores = _fit_and_select(data_, formulations, kinds, aux_rows, config, embedder, progress,
                                                select_by, folds, dev_topics, max_train, timings)
    cand_out, model_m, pred, calib = _score_test(fitted, chosen, data_.test, timings)
    baselines, significance = _baselines(data_, aux_rows, pred, config.seed, timings)
    metrics = {
        "benchmark": "ibm-claim-stance", "citation": CITATION,
        "accuracy": model_m["accuracy"], "macro_f1": model_m["macro_f1"],
        "selected": _selection(chosen, select_by, folds, data_),
        "candidates": cand_out, "cv": cv_scores, "aux": aux_info, "model": model_m, "calibration": calib,
        "baselines": baselines, "significance": significance, "data": data_.summary(data),
        "settings": {**config.model_dump(), "max_train": max_train, "dev_topics": dev_topics, "aux": aux, "select": select_by,
                     "folds": folds if select_by == "cv" else None,
                     "formulation": chosen.formulation, "formulations": list(formulations), "candidates": list(kinds),
                     **chosen.settings},
    }
    return finish_benchmark(metrics, out, report, t_start, timings, command)


def _check_options(formulation: str, candidates: str, aux: str, select_by: str) -> tuple[tuple, tuple]:
    from . import stance_candidates as sc

    formulations = sc.FORMULATIONS if formulation == "all" else (formulation,)
    kinds = sc.KINDS if candidates == "all" else (candidates,)
    if not set(formulations) <= set(sc.FORMULATIONS):
        raise InputError(formulation, "unknown formulation", "use 'all', 'target' or 'topic'")
    if not set(kinds) <= set(sc.KINDS):
        raise InputError(candidates, "unknown candidate set", "use 'all', 'finetune' or 'probe'")
    if aux not in AUX:
        raise InputError(aux, "unknown auxiliary data", f"use one of {', '.join(AUX)}")
    if select_by not in ("dev", "cv"):
        raise InputError(select_by, "unknown selection rule", "use 'dev' (held-out train topics) or 'cv' (cross-validation over the train topics)")
    return formulations, kinds


@dataclass
class BenchmarkData:
    rows: list[StanceRow]
    train_all: list[StanceRow]
    train: list[StanceRow]
    dev: list[StanceRow]
    test: list[StanceRow]
    max_train_rows: list[StanceRow]  # the train-topic rows CV runs over (train_all, subsampled like train)

    def summary(self, data) -> dict:
        return {"path": str(Path(data) if data else default_path()),
                "train_rows": len(self.train), "dev_rows": len(self.dev), "test_rows": len(self.test),
                "train_topics": len({r.topic for r in self.train}), "dev_topics": len({r.topic for r in self.dev}),
                "test_topics": len({r.topic for r in self.test})}


def _load(data, dev_topics: int, max_train: Optional[int], seed: int, formulations) -> BenchmarkData:
    rows = load_claim_stance(data)
    train_all = [r for r in rows if r.split == "train"]
    train, dev = split_dev(train_all, dev_topics, seed)
    if not dev:
        raise InputError(data or default_path(), "no dev topics: candidates are chosen on held-out train topics", "use dev_topics ≥ 1")
    if "target" in formulations and not all(r.target for r in rows):
        raise InputError(data or default_path(), "rows without topicTarget", "use --formulation topic, or the full release")
    return BenchmarkData(rows, train_all, subsample(train, max_train, seed), dev, [r for r in rows if r.split == "test"],
                         subsample(train_all, max_train, seed))


def _aux_rows(aux: str, aux_data, rows: list[StanceRow]) -> tuple[list, Optional[dict]]:
    if aux != "argkp":
        return [], None
    from .aux_stance import argkp_stance_rows

    # No auxiliary motion may overlap any IBM topic, train or test (texts and targets; no labels are read).
    aux_rows, report_ = argkp_stance_rows(aux_data, sorted({r.topic for r in rows} | {r.target for r in rows if r.target}), StanceRow)
    return aux_rows, report_.as_dict()


def _fit_and_select(d: BenchmarkData, formulations, kinds, aux_rows, config, embedder, progress, select_by: str,
                    folds: int, dev_topics: int, max_train, timings: dict) -> tuple[list, Candidate, Optional[dict]]:
    """Every candidate fitted on train (dev for early stopping), CV scores when selecting by CV, and the choice."""
    from . import stance_candidates as sc

    specs = [sc.Spec(k, f, a) for k in kinds for f in formulations for a in ((False, True) if aux_rows else (False,))]
    if (embedder is None) and "probe" in kinds:
        embedder = sc.pair_embedder(config.base_model, config.max_length, threads=config.threads, progress=progress)

    def fit(spec, tr, dv):
        return sc.fit_spec(spec, tr, dv, aux_rows, config=config, labels=LABELS, inputs=_inputs, to_stance=_to_stance,
                           embed=embedder, progress=progress)

    def fitter(spec) -> Callable[[list, list], Callable[[list], Any]]:
        return lambda tr, dv: fit(spec, tr, dv).predict

    cv_scores = None
    if select_by == "cv":
        t0 = time.perf_counter()
        cv_scores = sc.cross_validate({s.name: fitter(s) for s in specs}, d.max_train_rows,
                                      LABELS, folds, config.seed, dev_topics,
                                      on_fold=lambda n, i, f: log.info("CV %s fold %d: macro-F1 %.3f", n, i, f["macro_f1"]))
        cv_scores.update(_cv_baselines(d.max_train_rows, aux_rows, folds, config.seed, dev_topics))
        timings["cv_s"] = round(time.perf_counter() - t0, 1)
    fitted = []
    for spec in specs:
        c = fit(spec, d.train, d.dev)
        c.cv = cv_scores[spec.name] if cv_scores else None
        log.info("%s: dev macro-F1 %.3f (%.1f s)", c.name, c.dev["macro_f1"], c.fit_s)
        timings[f"{c.name}_fit_s"] = c.fit_s
        fitted.append(c)
    timings["train_s"] = round(sum(c.fit_s for c in fitted), 1)
    return fitted, sc.select(fitted, by=select_by), cv_scores


def _score_test(fitted: list, chosen, test: list[StanceRow], timings: dict) -> tuple[dict, dict, list[str], dict]:
    """Test topics: every candidate once, after the choice is fixed."""
    gold = [r.label for r in test]
    cand_out: dict[str, dict] = {}
    chosen_probs: Any = None
    model_m: dict = {}
    for c in fitted:
        t0 = time.perf_counter()
        probs = c.predict(test)
        timings[f"{c.name}_predict_s"] = round(time.perf_counter() - t0, 1)
        m = classification_metrics(gold, [LABELS[i] for i in probs.argmax(1)], LABELS)
        cand_out[c.name] = {"kind": c.kind, "formulation": c.formulation, "inputs": INPUTS[c.formulation],
                            "aux": "argkp" if c.name.endswith("+argkp") else None, "dev": c.dev, "cv": c.cv,
                            "test": {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"], "n": m["n"]},
                            "selected": c is chosen, "fit_s": c.fit_s, "settings": c.settings}
        if c is chosen:
            chosen_probs, model_m = probs, m
    timings["predict_s"] = timings[f"{chosen.name}_predict_s"]
    pred = [LABELS[i] for i in chosen_probs.argmax(1)]
    calib = reliability(chosen_probs.max(1).tolist(), [p == g for p, g in zip(pred, gold)])
    return cand_out, model_m, pred, calib


def _baselines(d: BenchmarkData, aux_rows: list, pred: list[str], seed: int, timings: dict) -> tuple[dict, dict]:
    """TF-IDF + LR (claim text; target decomposition; + ArgKP rows) and majority, with a paired bootstrap each.

    The claim text alone: the topic text is constant within a topic, so it adds nothing to a bag of words;
    trained on all train-topic rows the model saw (train + dev topics).
    """
    t0 = time.perf_counter()
    gold = [r.label for r in d.test]
    base_train = d.train + d.dev
    probs = {"tfidf_lr": tfidf_lr_probs([r.text for r in base_train], [r.label for r in base_train], [r.text for r in d.test], LABELS, seed=seed),
             # The same target decomposition for the bag of words, so the baseline gets every advantage the model gets.
             "tfidf_lr_target": _tfidf_target_probs(base_train, d.test, seed)}
    inputs = {"tfidf_lr": "claim text → stance",
              "tfidf_lr_target": "claim text → stance toward the topic target, flipped by topic sentiment"}
    if aux_rows:  # the bag of words gets the auxiliary rows too, so the comparison is on the same data
        probs["tfidf_lr_target_argkp"] = _tfidf_target_probs(base_train + aux_rows, d.test, seed)
        inputs["tfidf_lr_target_argkp"] = "as tfidf_lr_target, plus the same ArgKP rows as the +argkp candidates"
    baselines = {}
    for k, p in probs.items():
        m = classification_metrics(gold, [LABELS[i] for i in p.argmax(1)], LABELS)
        baselines[k] = {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"], "metrics": m, "inputs": inputs[k]}
    maj = majority_label([r.label for r in base_train], LABELS)
    maj_m = classification_metrics(gold, [maj] * len(d.test), LABELS)
    baselines["majority"] = {"accuracy": maj_m["accuracy"], "macro_f1": maj_m["macro_f1"], "label": maj, "metrics": maj_m}
    timings["baselines_s"] = round(time.perf_counter() - t0, 1)
    # Is the margin over each bag-of-words baseline more than topic-to-topic luck? Resample test topics.
    topics = [r.topic for r in d.test]
    significance = {k: paired_bootstrap(gold, pred, [LABELS[i] for i in p.argmax(1)], topics, LABELS, seed=seed)
                    for k, p in probs.items()}
    return baselines, significance


def _selection(chosen, select_by: str, folds: int, d: BenchmarkData) -> dict:
    rule = (f"highest pooled macro-F1 in {folds}-fold cross-validation grouped by topic over the "
            f"{len({r.topic for r in d.train_all})} train topics" if select_by == "cv" else
            f"highest macro-F1 on the {len({r.topic for r in d.dev})} held-out dev train topics ({len(d.dev)} claims)")
    return {"name": chosen.name, "kind": chosen.kind, "formulation": chosen.formulation, "by": select_by,
            "dev_macro_f1": chosen.dev["macro_f1"], "dev_accuracy": chosen.dev["accuracy"],
            "cv_macro_f1": chosen.cv["macro_f1"] if chosen.cv else None,
            "rule": rule + "; chosen before any test topic was scored"}


INPUTS = {"target": "(topic target, claim), flipped by topic sentiment", "topic": "(topic text, claim)"}
AUX = ("none", "argkp")


def _tfidf_target_probs(train: list[StanceRow], held: list[StanceRow], seed: int):
    """TF-IDF + LR on claim text → stance toward the target, flipped back to topic stance for ``held``."""
    return _to_stance(tfidf_lr_probs([r.text for r in train], [r.target_label() for r in train], [r.text for r in held],
                                     LABELS, seed=seed), held, "target")


def _cv_baselines(rows, aux_rows, folds: int, seed: int, dev_topics: int) -> dict:
    """TF-IDF + LR (target decomposition) in the same folds, so the CV table has its bar to clear."""
    from . import stance_candidates as sc

    def tfidf(extra):
        # The bag of words needs no early stopping: the fold's dev topics train it too.
        return lambda tr, dv: (lambda held: _tfidf_target_probs(tr + dv + extra, held, seed))

    fitters = {"tfidf_lr_target": tfidf([])}
    if aux_rows:
        fitters["tfidf_lr_target_argkp"] = tfidf(list(aux_rows))
    return sc.cross_validate(fitters, rows, LABELS, folds, seed, dev_topics)
