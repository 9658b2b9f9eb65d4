"""IBM Debater Claim Stance (Bar-Haim et al., EACL 2017): topic-conditioned PRO/CON stance.

The official split is by topic (25 train, 30 test topics), so the test topics are unseen. Candidate
models (the project's fine-tuned topic-conditioned trainer and a frozen-encoder probe, each in two
input formulations; ``stance_candidates``) are fitted on the train topics and the one reported is
chosen on a few held-out *train* topics; TF-IDF + LR and the majority class run in the same call.
"""

from __future__ import annotations

import csv
import logging
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from argmine.errors import InputError

from ..calibration import reliability
from ..metrics import classification_metrics, paired_bootstrap
from ..report import Report, bars_figure, confusion_figure, reliability_figure
from . import DEFAULT_ROOT, finish_benchmark
from argmine.model.baselines import majority_label, tfidf_lr_probs

log = logging.getLogger(__name__)

FILE = "claim_stance_dataset_v1.csv"
LABELS = ["PRO", "CON"]
COLUMNS = {"split": "split", "topic": "topicText", "text": "claims.claimCorrectedText", "label": "claims.stance"}
# Topic metadata released with every topic (not per-claim gold): the topic's target phrase and the
# topic's sentiment toward it (+1 "… should be allowed", -1 "… should be banned").
TOPIC_META = {"target": "topicTarget", "sentiment": "topicSentiment"}
FLIP = {"PRO": "CON", "CON": "PRO"}
CITATION = ("Roy Bar-Haim, Indrajit Bhattacharya, Francesco Dinuzzo, Amrita Saha and Noam Slonim. "
            "Stance Classification of Context-Dependent Claims. EACL 2017, pages 251–261.")


@dataclass
class StanceRow:
    split: str
    topic: str
    text: str
    label: str
    target: str = ""
    topic_sentiment: int = 1

    def target_label(self) -> str:
        """The claim's stance toward the topic *target*: the label, flipped when the topic opposes its target."""
        return self.label if self.topic_sentiment >= 0 else FLIP[self.label]


def default_path() -> Path:
    return DEFAULT_ROOT / "ibm_claim_stance" / FILE


def load_claim_stance(path: str | Path | None = None) -> list[StanceRow]:
    """Rows of the Claim Stance CSV (a file, or a folder holding ``claim_stance_dataset_v1.csv``)."""
    path = Path(path) if path else default_path()
    if path.is_dir():
        path = path / FILE
    if not path.is_file():
        raise InputError(path, "IBM Claim Stance CSV not found", f"pass --data pointing at {FILE} or the folder that holds it")
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS.values() if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(path, f"not the Claim Stance CSV: columns {missing} are missing", "use claim_stance_dataset_v1.csv as released by IBM")
        rows = []
        for n, r in enumerate(reader, 2):
            label = r[COLUMNS["label"]].strip().upper()
            split = r[COLUMNS["split"]].strip().lower()
            if label not in LABELS or split not in ("train", "test"):
                raise InputError(f"{path}:{n}", f"unexpected stance {label!r} or split {split!r}", "stance must be PRO/CON and split train/test")
            try:
                sentiment = int(float(r.get(TOPIC_META["sentiment"]) or 1))
            except ValueError:
                raise InputError(f"{path}:{n}", f"topicSentiment {r.get(TOPIC_META['sentiment'])!r} is not 1 or -1") from None
            rows.append(StanceRow(split, r[COLUMNS["topic"]].strip(), r[COLUMNS["text"]].strip(), label,
                                  (r.get(TOPIC_META["target"]) or "").strip(), -1 if sentiment < 0 else 1))
    if not any(r.split == "train" for r in rows) or not any(r.split == "test" for r in rows):
        raise InputError(path, "needs both train and test rows", "use the full released file")
    return rows


def split_dev(rows: list[StanceRow], n_dev_topics: int, seed: int) -> tuple[list[StanceRow], list[StanceRow]]:
    """Hold out ``n_dev_topics`` train topics for early stopping: the test topics are never looked at."""
    topics = sorted({r.topic for r in rows})
    dev = set(random.Random(seed).sample(topics, min(n_dev_topics, max(0, len(topics) - 1))))
    return [r for r in rows if r.topic not in dev], [r for r in rows if r.topic in dev]


def subsample(rows: list[StanceRow], n: Optional[int], seed: int) -> list[StanceRow]:
    if not n or n >= len(rows):
        return rows
    return sorted(random.Random(seed).sample(rows, n), key=rows.index)


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

    config = config or TrainConfig(epochs=4, max_length=64, batch_size=16, learning_rate=2e-5)
    t_start = time.perf_counter()
    rows = load_claim_stance(data)
    train_all = [r for r in rows if r.split == "train"]
    test = [r for r in rows if r.split == "test"]
    train, dev = split_dev(train_all, dev_topics, config.seed)
    train = subsample(train, max_train, config.seed)
    if not dev:
        raise InputError(data or default_path(), "no dev topics: candidates are chosen on held-out train topics", "use dev_topics ≥ 1")
    if "target" in formulations and not all(r.target for r in rows):
        raise InputError(data or default_path(), "rows without topicTarget", "use --formulation topic, or the full release")
    timings: dict[str, float] = {}
    aux_rows, aux_info = [], None
    if aux == "argkp":
        from .aux_stance import argkp_stance_rows

        # No auxiliary motion may overlap any IBM topic, train or test (texts and targets; no labels are read).
        aux_rows, report_ = argkp_stance_rows(aux_data, sorted({r.topic for r in rows} | {r.target for r in rows if r.target}), StanceRow)
        aux_info = report_.as_dict()
    specs = [sc.Spec(k, f, a) for k in kinds for f in formulations for a in ((False, True) if aux_rows else (False,))]
    if (embedder is None) and "probe" in kinds:
        embedder = sc.pair_embedder(config.base_model, config.max_length, threads=config.threads, progress=progress)

    def fit(spec, tr, dv):
        return sc.fit_spec(spec, tr, dv, aux_rows, config=config, labels=LABELS, inputs=_inputs, to_stance=_to_stance,
                           embed=embedder, progress=progress)

    cv_scores = None
    if select_by == "cv":
        t0 = time.perf_counter()
        cv_rows = subsample(train_all, max_train, config.seed)
        cv_scores = sc.cross_validate({s.name: (lambda tr, dv, s=s: fit(s, tr, dv).predict) for s in specs}, cv_rows, LABELS,
                                      folds, config.seed, dev_topics,
                                      on_fold=lambda n, i, f: log.info("CV %s fold %d: macro-F1 %.3f", n, i, f["macro_f1"]))
        cv_scores.update(_cv_baselines(cv_rows, aux_rows, folds, config.seed, dev_topics))
        timings["cv_s"] = round(time.perf_counter() - t0, 1)

    fitted: list = []
    for spec in specs:
        c = fit(spec, train, dev)
        c.cv = cv_scores[spec.name] if cv_scores else None
        log.info("%s: dev macro-F1 %.3f (%.1f s)", c.name, c.dev["macro_f1"], c.fit_s)
        timings[f"{c.name}_fit_s"] = c.fit_s
        fitted.append(c)
    chosen = sc.select(fitted, by=select_by)
    timings["train_s"] = round(sum(c.fit_s for c in fitted), 1)

    # Test topics: every candidate once, after the choice is fixed.
    gold = [r.label for r in test]
    cand_out, chosen_probs = {}, None
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

    # Baselines: the claim text alone (topic text is constant within a topic, so it adds nothing to
    # a bag of words); trained on all train-topic rows the model saw (train + dev topics).
    t0 = time.perf_counter()
    base_train = train + dev
    lr_probs = tfidf_lr_probs([r.text for r in base_train], [r.label for r in base_train], [r.text for r in test], LABELS, seed=config.seed)
    lr_m = classification_metrics(gold, [LABELS[i] for i in lr_probs.argmax(1)], LABELS)
    # The same target decomposition for the bag of words, so the baseline gets every advantage the model gets.
    lr_t = _tfidf_target_probs(base_train, test, config.seed)
    lr_t_m = classification_metrics(gold, [LABELS[i] for i in lr_t.argmax(1)], LABELS)
    baselines = {
        "tfidf_lr": {"accuracy": lr_m["accuracy"], "macro_f1": lr_m["macro_f1"], "metrics": lr_m, "inputs": "claim text → stance"},
        "tfidf_lr_target": {"accuracy": lr_t_m["accuracy"], "macro_f1": lr_t_m["macro_f1"], "metrics": lr_t_m,
                            "inputs": "claim text → stance toward the topic target, flipped by topic sentiment"},
    }
    if aux_rows:  # the bag of words gets the auxiliary rows too, so the comparison is on the same data
        lr_a = _tfidf_target_probs(base_train + aux_rows, test, config.seed)
        lr_a_m = classification_metrics(gold, [LABELS[i] for i in lr_a.argmax(1)], LABELS)
        baselines["tfidf_lr_target_argkp"] = {"accuracy": lr_a_m["accuracy"], "macro_f1": lr_a_m["macro_f1"], "metrics": lr_a_m,
                                              "inputs": "as tfidf_lr_target, plus the same ArgKP rows as the +argkp candidates"}
    maj = majority_label([r.label for r in base_train], LABELS)
    maj_m = classification_metrics(gold, [maj] * len(test), LABELS)
    baselines["majority"] = {"accuracy": maj_m["accuracy"], "macro_f1": maj_m["macro_f1"], "label": maj, "metrics": maj_m}
    timings["baselines_s"] = round(time.perf_counter() - t0, 1)
    # Is the margin over each bag-of-words baseline more than topic-to-topic luck? Resample test topics.
    topics = [r.topic for r in test]
    base_preds = {"tfidf_lr": lr_probs, "tfidf_lr_target": lr_t, **({"tfidf_lr_target_argkp": lr_a} if aux_rows else {})}
    significance = {k: paired_bootstrap(gold, pred, [LABELS[i] for i in p.argmax(1)], topics, LABELS, seed=config.seed)
                    for k, p in base_preds.items()}

    d_topics = len({r.topic for r in dev})
    metrics = {
        "benchmark": "ibm-claim-stance",
        "citation": CITATION,
        "accuracy": model_m["accuracy"],
        "macro_f1": model_m["macro_f1"],
        "selected": {"name": chosen.name, "kind": chosen.kind, "formulation": chosen.formulation, "by": select_by,
                     "dev_macro_f1": chosen.dev["macro_f1"], "dev_accuracy": chosen.dev["accuracy"],
                     "cv_macro_f1": chosen.cv["macro_f1"] if chosen.cv else None,
                     "rule": (f"highest pooled macro-F1 in {folds}-fold cross-validation grouped by topic over the "
                              f"{len({r.topic for r in train_all})} train topics" if select_by == "cv" else
                              f"highest macro-F1 on the {d_topics} held-out dev train topics ({len(dev)} claims)")
                             + "; chosen before any test topic was scored"},
        "candidates": cand_out,
        "cv": cv_scores,
        "aux": aux_info,
        "model": model_m,
        "calibration": calib,
        "baselines": baselines,
        "significance": significance,
        "data": {
            "path": str(Path(data) if data else default_path()),
            "train_rows": len(train), "dev_rows": len(dev), "test_rows": len(test),
            "train_topics": len({r.topic for r in train}), "dev_topics": d_topics,
            "test_topics": len({r.topic for r in test}),
        },
        "settings": {**config.model_dump(), "max_train": max_train, "dev_topics": dev_topics, "aux": aux, "select": select_by,
                     "folds": folds if select_by == "cv" else None,
                     "formulation": chosen.formulation, "formulations": list(formulations), "candidates": list(kinds),
                     **chosen.settings},
    }
    return finish_benchmark(metrics, out, report, t_start, timings, command)


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


def _describe(name: str, c: dict, base_model: str) -> str:
    what = f"fine-tuned {base_model}" if c["kind"] == "finetune" else f"frozen {base_model} + LR (C={c['settings'].get('C')})"
    return f"{name}: {what}, {c['inputs']}" + (", + ArgKP rows" if c.get("aux") else "")


BASELINE_NAMES = {"tfidf_lr": "TF-IDF + logistic regression", "tfidf_lr_target": "TF-IDF + LR, target decomposition",
                  "tfidf_lr_target_argkp": "TF-IDF + LR, target decomposition, + ArgKP rows"}


def report(m: dict) -> Report:
    r = Report("IBM Claim Stance benchmark")
    d, s, sel = m["data"], m["settings"], m["selected"]
    r.p(f"Train on {d['train_topics']} train topics ({d['train_rows']} claims); {d['dev_topics']} further train topics "
        f"({d['dev_rows']} claims) are held out as dev for early stopping, calibration and the probe's C; test on "
        f"{d['test_topics']} unseen test topics ({d['test_rows']} claims). Candidates: {', '.join(s['candidates'])} × "
        f"formulations {', '.join(s['formulations'])}{' × with/without ArgKP rows' if m.get('aux') else ''}. Encoder "
        f"{s['base_model']}, max_length {s['max_length']}; fine-tuning at most {s['epochs']} epochs, batch {s['batch_size']}, "
        f"lr {s['learning_rate']}, seed {s['seed']}. The target formulation reads (topic target, claim), learns the "
        "claim's stance toward the target, and the topic's sentiment (released with each topic) turns it into PRO/CON.")
    if m.get("aux"):
        a = m["aux"]
        r.p(f"Auxiliary rows: {a['rows']} ArgKP-2021 arguments (train + dev splits) on {len(a['kept_motions'])} motions, "
            "framed as (motion target, argument, stance toward the target). Dropped because they share a content word "
            f"with an IBM topic: {', '.join(a['dropped_overlap']) or 'none'}. Dropped because no pattern reads the motion: "
            f"{', '.join(a['dropped_unframed']) or 'none'}.")
    r.p(f"Selected: **{sel['name']}** ({sel['rule']}).")
    cv = m.get("cv")
    if cv:
        r.h("Cross-validation on the train topics (used for the choice)")
        rows = [[k, v["accuracy"], v["macro_f1"], v["fold_macro_f1_std"], v["n"]] for k, v in cv.items()]
        r.table(["system", "accuracy", "macro-F1", "fold macro-F1 std", "claims"], rows)
    r.h("Candidates (dev = held-out train topics; test = unseen topics, scored after the choice)")
    r.table(["candidate", "dev accuracy", "dev macro-F1", *(["CV macro-F1"] if cv else []), "test accuracy", "test macro-F1", "selected"],
            [[_describe(k, c, s["base_model"]), c["dev"]["accuracy"], c["dev"]["macro_f1"], *([c["cv"]["macro_f1"]] if cv else []),
              c["test"]["accuracy"], c["test"]["macro_f1"], "yes" if c["selected"] else ""] for k, c in m["candidates"].items()])
    rows = [[f"selected: {sel['name']}", m["accuracy"], m["macro_f1"]]]
    rows += [[BASELINE_NAMES[k], v["accuracy"], v["macro_f1"]] for k, v in m["baselines"].items() if k in BASELINE_NAMES]
    rows.append([f"majority ({m['baselines']['majority']['label']})", m["baselines"]["majority"]["accuracy"], m["baselines"]["majority"]["macro_f1"]])
    r.h("Test topics")
    r.table(["system", "accuracy", "macro-F1"], rows)
    sig = m.get("significance") or {}
    if sig:
        r.p("Paired bootstrap over the test topics (selected model minus baseline; topics resampled with replacement, "
            f"{next(iter(sig.values()))['reps']} samples): the difference, its 95 % interval, and the share of samples where "
            "the model did not beat the baseline.")
        r.table(["baseline", "accuracy diff", "95 % interval", "not better", "macro-F1 diff", "95 % interval", "not better"],
                [[BASELINE_NAMES[k], v["accuracy"]["difference"], "[{:.3f}, {:.3f}]".format(*v["accuracy"]["ci95"]),
                  v["accuracy"]["share_not_better"], v["macro_f1"]["difference"], "[{:.3f}, {:.3f}]".format(*v["macro_f1"]["ci95"]),
                  v["macro_f1"]["share_not_better"]] for k, v in sig.items()])
    r.p(f"Wall time {m['wall_time_s']} s (cross-validation {m['timings'].get('cv_s', 0)} s, final fits "
        f"{m['timings'].get('train_s')} s), peak memory {m['peak_memory_mb']} MB, ECE of the selected model {m['calibration']['ece']:.3f}.")
    r.p(f"Published reference: {m['citation']} (reports accuracy of their system on the same test topics; "
        "its figures could not be checked offline, so none is quoted here).")
    bars = {k: {"accuracy": c["test"]["accuracy"], "macro-F1": c["test"]["macro_f1"]} for k, c in m["candidates"].items()}
    bars.update({row[0]: {"accuracy": row[1], "macro-F1": row[2]} for row in rows[1:]})
    r.figure("systems", bars_figure(bars, "IBM Claim Stance (test topics)", "score"))
    r.figure("confusion", confusion_figure(m["model"], f"selected ({sel['name']}): confusion (test)"))
    r.figure("reliability", reliability_figure({"stance": m["calibration"]}))
    per = [[lab, v["precision"], v["recall"], v["f1"], v["support"]] for lab, v in m["model"]["per_label"].items()]
    r.h("Per label (selected model)")
    r.table(["label", "precision", "recall", "F1", "support"], per)
    return r
