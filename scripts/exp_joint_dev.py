"""Joint stance+scenario decoding on or off, for a trained model folder, scored on the DEV split only.

Joint decoding needs no retraining, so it is decided on the dev documents (real and written apart),
never on test. TF-IDF + LR fitted on the train documents is printed beside it.

    python scripts/exp_joint_dev.py MODEL_DIR [--annotations annotations]
    python scripts/exp_joint_dev.py MODEL_DIR --split test   # only once the choice is made: the final figures
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from exp_candidates import predict, scores_by_origin  # noqa: E402
from make_real_split import ORIGIN  # noqa: E402

from argmine.annotations.loader import load_manifest  # noqa: E402
from argmine.model.baselines import fit_tfidf_lr  # noqa: E402
from argmine.model.data import split_documents  # noqa: E402
from argmine.model.experiment import load_corpus  # noqa: E402
from argmine.model.io import load_model  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", type=Path)
    ap.add_argument("--annotations", default="annotations")
    ap.add_argument("--split", choices=("dev", "test"), default="dev")
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args()
    clf = load_model(a.model)
    cfg, schema = clf.config, clf.schema
    corpus = load_corpus(a.annotations, schema)
    real = {d for d, e in load_manifest(cfg.manifest).items() if e.origin == ORIGIN}
    split = split_documents(corpus.doc_ids, cfg)
    claims = corpus.of(getattr(split, a.split))  # "dev" unless the final figures are asked for
    result = {}
    for joint in (False, True):
        clf.config = cfg.model_copy(update={"joint_decoding": joint})
        result["joint" if joint else "independent"] = scores_by_origin(claims, predict(clf, claims), schema, real)
    # TF-IDF + LR sees what the model saw: train for dev scores, train + dev for test scores (as argmine train)
    fitted_on = split.train if a.split == "dev" else split.train + split.dev
    result["tfidf-lr"] = scores_by_origin(claims, predict(fit_tfidf_lr(corpus.of(fitted_on), schema, seed=cfg.seed), claims), schema, real)
    out = a.out or Path(f"reports/experiments/joint_{a.split}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"model": str(a.model), "split": a.split, "documents": getattr(split, a.split), "scores": result}, indent=2), encoding="utf-8")
    for name, by in result.items():
        print(f"{name:12s} {a.split} real stance {by['real']['stance']:.3f} scenario {by['real']['scenario']:.3f} (n {by['real']['n']}) | "
              f"written stance {by['written']['stance']:.3f} scenario {by['written']['scenario']:.3f} (n {by['written']['n']})")


if __name__ == "__main__":
    main()
