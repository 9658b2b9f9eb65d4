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
from argmine.model.precision import with_precision
from argmine.schema import LabelSchema


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
    fp32 = load_model(args.model or model_path("default"))
    for name in ("fp32", "bf16", "int8"):
        clf = with_precision(fp32, name)
        t0 = time.process_time()
        scores = {k: evaluate_classifier(clf, v, schema) for k, v in groups.items()}
        figures = {k: (round(v["stance"]["macro_f1"], 3), round(v["scenario"]["macro_f1"], 3)) for k, v in scores.items()}
        print(name, figures, f"CPU {time.process_time() - t0:.1f} s for {sum(map(len, groups.values()))} claims")


if __name__ == "__main__":
    main()
