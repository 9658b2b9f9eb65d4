"""Intermediate training for issue 14: topic-conditioned PRO/CON rows (IBM Claim Stance train topics +
ArgKP-2021 train/dev arguments) → an encoder folder that a candidate uses as ``base_model``.

IBM's test topics and ArgKP's test split are never read, so the IBM/ArgKP benchmarks stay clean.

    python scripts/exp_intermediate.py --out /tmp/x14/inter --max-rows 6000 --epochs 1
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from argmine.evaluation.benchmarks.ibm_data import load_claim_stance, split_dev  # noqa: E402
from argmine.model.config import TrainConfig  # noqa: E402
from argmine.model.trainer import train_stance_rows  # noqa: E402

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"


def argkp_rows(folder: Path) -> list[tuple[str, str, str]]:
    rows = []
    for split in ("train", "dev"):
        with open(folder / f"arguments_{split}.csv", encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                rows.append((r["topic"].strip(), r["argument"].strip(), "PRO" if int(float(r["stance"])) > 0 else "CON"))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--max-rows", type=int, default=6000)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--max-length", type=int, default=64)
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args()
    ibm = [r for r in load_claim_stance(BENCH / "ibm_claim_stance") if r.split == "train"]
    ibm_train, ibm_dev = split_dev(ibm, 3, a.seed)
    rows = [(r.topic, r.text, r.label) for r in ibm_train] + argkp_rows(BENCH / "ibm_argkp_2021")
    random.Random(a.seed).shuffle(rows)
    rows = rows[: a.max_rows]
    dev = [(r.topic, r.text, r.label) for r in ibm_dev]
    cfg = TrainConfig(epochs=a.epochs, max_length=a.max_length, batch_size=32, learning_rate=5e-5, patience=1,
                      seed=a.seed, manifest=None)
    t0 = time.perf_counter()
    trained = train_stance_rows(rows, dev, ["PRO", "CON"], cfg)
    a.out.mkdir(parents=True, exist_ok=True)
    trained.model.encoder.save_pretrained(str(a.out), safe_serialization=True)
    trained.tokenizer.save_pretrained(str(a.out))
    print(f"intermediate: {len(rows)} rows, dev {len(dev)}, history {trained.history}, {time.perf_counter() - t0:.0f} s → {a.out}")


if __name__ == "__main__":
    main()
