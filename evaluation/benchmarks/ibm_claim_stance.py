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

from pipeline.errors import InputError

from ..calibration import reliability
from ..metrics import classification_metrics
from ..report import Report, bars_figure, confusion_figure, reliability_figure
from . import DEFAULT_ROOT, finish_benchmark
from .baselines import majority_label, tfidf_lr_probs

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
                  candidates: str = "all", embedder=None) -> dict:
    """Fit every candidate on the train topics, pick one on the dev train topics, score all on the test topics.

    Candidates (see ``stance_candidates``): ``finetune`` (the project's trainer) and ``probe`` (frozen
    encoder + logistic regression), each in ``formulation`` "target" (Bar-Haim et al.'s decomposition:
    (topic target, claim), the topic's sentiment flips the label), "topic" ((topic text, claim) →
    PRO/CON) or "all" (both). The selected candidate is the one with the best macro-F1 on the held-out
    dev *train* topics; the test topics are scored once, for every candidate, after the choice.
    Writes metrics.json, report.md and report.html to ``out``. ``embedder`` replaces the frozen encoder
    of the probe (pairs → array), for tests.
    """
    from pipeline.model.config import TrainConfig

    from . import stance_candidates as sc

    formulations = sc.FORMULATIONS if formulation == "all" else (formulation,)
    kinds = sc.KINDS if candidates == "all" else (candidates,)
    if not set(formulations) <= set(sc.FORMULATIONS):
        raise InputError(formulation, "unknown formulation", "use 'all', 'target' or 'topic'")
    if not set(kinds) <= set(sc.KINDS):
        raise InputError(candidates, "unknown candidate set", "use 'all', 'finetune' or 'probe'")

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

    fitted: list = []
    for kind in kinds:
        if kind == "probe" and embedder is None:
            embedder = sc.pair_embedder(config.base_model, config.max_length, threads=config.threads, progress=progress)
        for form in formulations:
            if kind == "finetune":
                c = sc.finetune_candidate(train, dev, form, config, LABELS, _inputs, _to_stance, progress=progress)
            else:
                c = sc.probe_candidate(train, dev, form, embedder, LABELS, _inputs, _to_stance, seed=config.seed)
            log.info("%s: dev macro-F1 %.3f (%.1f s)", c.name, c.dev["macro_f1"], c.fit_s)
            timings[f"{c.name}_fit_s"] = c.fit_s
            fitted.append(c)
    chosen = sc.select(fitted)
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
                            "dev": c.dev, "test": {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"], "n": m["n"]},
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
    lr_t = _to_stance(tfidf_lr_probs([r.text for r in base_train], [r.target_label() for r in base_train], [r.text for r in test],
                                     LABELS, seed=config.seed), test, "target")
    lr_t_m = classification_metrics(gold, [LABELS[i] for i in lr_t.argmax(1)], LABELS)
    maj = majority_label([r.label for r in base_train], LABELS)
    maj_m = classification_metrics(gold, [maj] * len(test), LABELS)
    timings["baselines_s"] = round(time.perf_counter() - t0, 1)

    d_topics = len({r.topic for r in dev})
    metrics = {
        "benchmark": "ibm-claim-stance",
        "citation": CITATION,
        "accuracy": model_m["accuracy"],
        "macro_f1": model_m["macro_f1"],
        "selected": {"name": chosen.name, "kind": chosen.kind, "formulation": chosen.formulation,
                     "dev_macro_f1": chosen.dev["macro_f1"], "dev_accuracy": chosen.dev["accuracy"],
                     "rule": f"highest macro-F1 on the {d_topics} held-out dev train topics ({len(dev)} claims); "
                             "chosen before any test topic was scored"},
        "candidates": cand_out,
        "model": model_m,
        "calibration": calib,
        "baselines": {
            "tfidf_lr": {"accuracy": lr_m["accuracy"], "macro_f1": lr_m["macro_f1"], "metrics": lr_m,
                         "inputs": "claim text → stance"},
            "tfidf_lr_target": {"accuracy": lr_t_m["accuracy"], "macro_f1": lr_t_m["macro_f1"], "metrics": lr_t_m,
                                "inputs": "claim text → stance toward the topic target, flipped by topic sentiment"},
            "majority": {"accuracy": maj_m["accuracy"], "macro_f1": maj_m["macro_f1"], "label": maj, "metrics": maj_m},
        },
        "data": {
            "path": str(Path(data) if data else default_path()),
            "train_rows": len(train), "dev_rows": len(dev), "test_rows": len(test),
            "train_topics": len({r.topic for r in train}), "dev_topics": d_topics,
            "test_topics": len({r.topic for r in test}),
        },
        "settings": {**config.model_dump(), "max_train": max_train, "dev_topics": dev_topics,
                     "formulation": chosen.formulation, "formulations": list(formulations), "candidates": list(kinds),
                     **chosen.settings},
    }
    return finish_benchmark(metrics, out, report, t_start, timings, command)


INPUTS = {"target": "(topic target, claim), flipped by topic sentiment", "topic": "(topic text, claim)"}


def _describe(name: str, c: dict, base_model: str) -> str:
    what = f"fine-tuned {base_model}" if c["kind"] == "finetune" else f"frozen {base_model} + LR (C={c['settings'].get('C')})"
    return f"{name}: {what}, {c['inputs']}"


def report(m: dict) -> Report:
    r = Report("IBM Claim Stance benchmark")
    d, s, sel = m["data"], m["settings"], m["selected"]
    r.p(f"Train on {d['train_topics']} train topics ({d['train_rows']} claims); {d['dev_topics']} further train topics "
        f"({d['dev_rows']} claims) are held out as dev for early stopping, calibration, the probe's C and the choice "
        f"of model; test on {d['test_topics']} unseen test topics ({d['test_rows']} claims). Candidates: "
        f"{', '.join(s['candidates'])} × formulations {', '.join(s['formulations'])}. Encoder {s['base_model']}, "
        f"max_length {s['max_length']}; fine-tuning at most {s['epochs']} epochs, batch {s['batch_size']}, "
        f"lr {s['learning_rate']}, seed {s['seed']}. The target formulation reads (topic target, claim), learns the "
        "claim's stance toward the target, and the topic's sentiment (released with each topic) turns it into PRO/CON.")
    r.p(f"Selected: **{sel['name']}** ({sel['rule']}; dev macro-F1 {sel['dev_macro_f1']:.3f}).")
    r.h("Candidates (dev = held-out train topics, used for the choice; test = unseen topics)")
    r.table(["candidate", "dev accuracy", "dev macro-F1", "test accuracy", "test macro-F1", "selected"],
            [[_describe(k, c, s["base_model"]), c["dev"]["accuracy"], c["dev"]["macro_f1"], c["test"]["accuracy"],
              c["test"]["macro_f1"], "yes" if c["selected"] else ""] for k, c in m["candidates"].items()])
    rows = [[f"selected: {sel['name']}", m["accuracy"], m["macro_f1"]],
            ["TF-IDF + logistic regression", m["baselines"]["tfidf_lr"]["accuracy"], m["baselines"]["tfidf_lr"]["macro_f1"]],
            ["TF-IDF + LR, target decomposition", m["baselines"]["tfidf_lr_target"]["accuracy"], m["baselines"]["tfidf_lr_target"]["macro_f1"]],
            [f"majority ({m['baselines']['majority']['label']})", m["baselines"]["majority"]["accuracy"], m["baselines"]["majority"]["macro_f1"]]]
    r.h("Test topics")
    r.table(["system", "accuracy", "macro-F1"], rows)
    r.p(f"Wall time {m['wall_time_s']} s (fitting all candidates {m['timings'].get('train_s')} s), peak memory "
        f"{m['peak_memory_mb']} MB, ECE of the selected model {m['calibration']['ece']:.3f}.")
    r.p(f"Published reference: {m['citation']} (reports accuracy of their system on the same test topics; "
        "compare with the paper's tables, not quoted here).")
    bars = {k: {"accuracy": c["test"]["accuracy"], "macro-F1": c["test"]["macro_f1"]} for k, c in m["candidates"].items()}
    bars.update({row[0]: {"accuracy": row[1], "macro-F1": row[2]} for row in rows[1:]})
    r.figure("systems", bars_figure(bars, "IBM Claim Stance (test topics)", "score"))
    r.figure("confusion", confusion_figure(m["model"], f"selected ({sel['name']}): confusion (test)"))
    r.figure("reliability", reliability_figure({"stance": m["calibration"]}))
    per = [[lab, v["precision"], v["recall"], v["f1"], v["support"]] for lab, v in m["model"]["per_label"].items()]
    r.h("Per label (selected model)")
    r.table(["label", "precision", "recall", "F1", "support"], per)
    return r
