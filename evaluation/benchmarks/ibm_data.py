"""Reading IBM Debater Claim Stance (the released CSV): rows, the dev split of train topics, subsampling."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from argmine.errors import InputError

from . import DEFAULT_ROOT

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
