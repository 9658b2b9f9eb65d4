"""IBM Debater Claim Stance (Bar-Haim et al., EACL 2017): topic-conditioned PRO/CON stance.

The official split is by topic (25 train, 30 test topics), so the test topics are unseen. The model is
the project's own topic-conditioned trainer (``pipeline.model.trainer.train_stance_rows``), early-
stopped and temperature-calibrated on a few held-out *train* topics; TF-IDF + LR and the majority
class run in the same call on the same rows.
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
from ..report import Report, bars_figure, confusion_figure, reliability_figure, write_json
from . import DEFAULT_ROOT, peak_memory_mb
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
                  dev_topics: int = 3, progress=None, command: str = "", formulation: str = "target") -> dict:
    """Train on the train topics, score on the test topics; write metrics.json, report.md, report.html.

    ``formulation``: "target" (default) reads (topic target, claim) and learns the claim's stance toward
    the target, turned into topic stance with the topic's sentiment — the decomposition of Bar-Haim et
    al. (2017), using only the per-topic metadata of the release; "topic" reads (topic text, claim) and
    learns the stance label directly.
    """
    if formulation not in ("target", "topic"):
        raise InputError(formulation, "unknown formulation", "use 'target' or 'topic'")
    from pipeline.model.config import TrainConfig
    from pipeline.model.trainer import predict_stance_rows, train_stance_rows

    config = config or TrainConfig(epochs=4, max_length=64, batch_size=16, learning_rate=2e-5)
    t_start = time.perf_counter()
    rows = load_claim_stance(data)
    train_all = [r for r in rows if r.split == "train"]
    test = [r for r in rows if r.split == "test"]
    train, dev = split_dev(train_all, dev_topics, config.seed)
    train = subsample(train, max_train, config.seed)
    if formulation == "target" and not all(r.target for r in rows):
        raise InputError(data or default_path(), "rows without topicTarget", "use --formulation topic, or the full release")
    timings: dict[str, float] = {}

    t0 = time.perf_counter()
    trained = train_stance_rows(_inputs(train, formulation), _inputs(dev, formulation), LABELS, config=config, progress=progress)
    timings["train_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    probs = _to_stance(predict_stance_rows(trained, _inputs(test, formulation, labelled=False)), test, formulation)
    timings["predict_s"] = round(time.perf_counter() - t0, 1)
    gold = [r.label for r in test]
    pred = [LABELS[i] for i in probs.argmax(1)]
    model_m = classification_metrics(gold, pred, LABELS)
    conf = probs.max(1)
    calib = reliability(conf.tolist(), [p == g for p, g in zip(pred, gold)])

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

    metrics = {
        "benchmark": "ibm-claim-stance",
        "citation": CITATION,
        "accuracy": model_m["accuracy"],
        "macro_f1": model_m["macro_f1"],
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
            "train_topics": len({r.topic for r in train}), "dev_topics": len({r.topic for r in dev}),
            "test_topics": len({r.topic for r in test}),
        },
        "settings": {**config.model_dump(), "max_train": max_train, "dev_topics": dev_topics, "formulation": formulation,
                     "best_epoch": trained.best_epoch, "temperature": trained.temperatures.get("stance"),
                     "history": trained.history},
        "wall_time_s": round(time.perf_counter() - t_start, 1),
        "timings": timings,
        "peak_memory_mb": round(peak_memory_mb(), 1),
        "command": command,
    }
    out = Path(out)
    write_json(out / "metrics.json", metrics)
    report(metrics).render(out)
    return metrics


def report(m: dict) -> Report:
    r = Report("IBM Claim Stance benchmark")
    d, s = m["data"], m["settings"]
    r.p(f"Train on {d['train_topics']} train topics ({d['train_rows']} claims; {d['dev_topics']} further train topics, "
        f"{d['dev_rows']} claims, for early stopping and calibration), test on {d['test_topics']} unseen test topics "
        f"({d['test_rows']} claims). Model: {s['base_model']}, {s['epochs']} epochs max (best {s['best_epoch']}), "
        f"max_length {s['max_length']}, batch {s['batch_size']}, lr {s['learning_rate']}, seed {s['seed']}. "
        + ("Inputs: (topic target, claim); the model learns the claim's stance toward the target and the topic's "
           "sentiment (released with each topic) turns it into PRO/CON." if s.get("formulation") == "target"
           else "Inputs: (topic text, claim) → PRO/CON."))
    inputs = "(topic target, claim)" if s.get("formulation") == "target" else "(topic, claim)"
    rows = [[f"fine-tuned {s['base_model']} {inputs}", m["accuracy"], m["macro_f1"]],
            ["TF-IDF + logistic regression", m["baselines"]["tfidf_lr"]["accuracy"], m["baselines"]["tfidf_lr"]["macro_f1"]],
            ["TF-IDF + LR, target decomposition", m["baselines"]["tfidf_lr_target"]["accuracy"], m["baselines"]["tfidf_lr_target"]["macro_f1"]],
            [f"majority ({m['baselines']['majority']['label']})", m["baselines"]["majority"]["accuracy"], m["baselines"]["majority"]["macro_f1"]]]
    r.h("Test topics")
    r.table(["system", "accuracy", "macro-F1"], rows)
    r.p(f"Wall time {m['wall_time_s']} s (train {m['timings'].get('train_s')} s), peak memory {m['peak_memory_mb']} MB, "
        f"ECE of the model {m['calibration']['ece']:.3f}.")
    r.p(f"Published reference: {m['citation']} (reports accuracy of their system on the same test topics; "
        "compare with the paper's tables, not quoted here).")
    r.figure("systems", bars_figure({row[0]: {"accuracy": row[1], "macro-F1": row[2]} for row in rows}, "IBM Claim Stance (test topics)", "score"))
    r.figure("confusion", confusion_figure(m["model"], "model: confusion (test)"))
    r.figure("reliability", reliability_figure({"stance": m["calibration"]}))
    per = [[lab, v["precision"], v["recall"], v["f1"], v["support"]] for lab, v in m["model"]["per_label"].items()]
    r.h("Per label (model)")
    r.table(["label", "precision", "recall", "F1", "support"], per)
    return r
