"""fp32 vs bf16 vs int8 of a built model on the test (or dev) split, real and written apart: macro-F1, CPU seconds.

    python scripts/check_precision.py [MODEL_FOLDER] [--split dev]   # default: the built default model, test split
"""

from __future__ import annotations

import argparse
import time

import torch

from argmine.annotations.loader import load_manifest
from argmine.model.config import TrainConfig
from argmine.model.data import split_documents
from argmine.model.experiment import load_corpus
from argmine.model.home import model_path
from argmine.model.io import load_model
from argmine.model.metrics import evaluate_classifier
from argmine.model.precision import PRECISIONS, with_precision
from argmine.schema import LabelSchema


def precision_scores(fp32, groups: dict[str, list], schema) -> dict:
    """precision → {group: (stance, scenario) macro-F1, "cpu": seconds} for a loaded fp32 classifier; each precision
    is a copy of it (``with_precision``), so the model is read once."""
    out = {}
    for name in (p for p in PRECISIONS if p != "auto"):  # "auto" is one of the others
        clf = with_precision(fp32, name)
        t0 = time.process_time()
        scores = {k: evaluate_classifier(clf, v, schema) for k, v in groups.items()}
        out[name] = {k: (round(v["stance"]["macro_f1"], 4), round(v["scenario"]["macro_f1"], 4)) for k, v in scores.items()}
        out[name]["cpu"] = round(time.process_time() - t0, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", nargs="?", default=None)
    ap.add_argument("--split", choices=("dev", "test"), default="test")
    args = ap.parse_args()
    torch.set_num_threads(2)
    schema = LabelSchema.load()
    corpus = load_corpus("annotations", schema)
    test = corpus.of(getattr(split_documents(corpus.doc_ids, TrainConfig()), args.split))
    manifest = load_manifest("corpus/manifest.csv")
    real = [c for c in test if manifest[c.doc_id].origin == "third-party-real"]
    groups = {"all": test, "real": real, "written": [c for c in test if c not in real]}
    for name, figures in precision_scores(load_model(args.model or model_path("default")), groups, schema).items():
        print(name, figures, f"CPU s for {sum(map(len, groups.values()))} claims")


if __name__ == "__main__":
    main()
