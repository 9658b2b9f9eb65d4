"""Candidate models for issue 14, compared by grouped cross-validation over TRAIN documents only.

Protocol (the test split is never read): the manifest's train documents (real + written) are cut into K
folds grouped by outlet for real texts and by document for written ones; each fold's model trains on
the other folds and early-stops on the manifest's dev split (real + written dev, fixed). Predictions on
the held-out folds are pooled and scored apart for real texts and written commentaries, beside TF-IDF + LR
fitted on the same fold-train documents. Joint decoding is scored on the same models (it needs no
retraining). One candidate per call, so CPU time is spent only on candidates worth it:

    python scripts/exp_candidates.py base --folds 2            # prints the figures, writes reports/experiments/base.json
    python scripts/exp_candidates.py previous --folds 2
    python scripts/exp_candidates.py --list
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from argmine.annotations.loader import load_manifest  # noqa: E402
from argmine.model.baselines import fit_tfidf_lr  # noqa: E402
from argmine.model.classifier import TransformerClassifier  # noqa: E402
from argmine.model.config import TrainConfig  # noqa: E402
from argmine.model.data import split_documents  # noqa: E402
from argmine.model.experiment import fit, load_corpus  # noqa: E402
from argmine.model.metrics import score_claims, unlabelled  # noqa: E402
from argmine.schema import LabelSchema  # noqa: E402
from make_real_split import ORIGIN, outlet_key  # noqa: E402

# name → (config updates, copies of each real train document: 1 = unweighted)
CANDIDATES: dict[str, tuple[dict, int]] = {
    "base": ({}, 1),
    "previous": ({"context_previous": True}, 1),
    "real-x2": ({}, 2),
    "previous-real-x2": ({"context_previous": True}, 2),
    "lr5e-5-ep6": ({"learning_rate": 5e-5, "epochs": 6, "patience": 3}, 1),
    "no-class-weights": ({"class_weights": False}, 1),
    "maxlen96": ({"max_length": 96}, 1),
}


def folds_of(docs: list[str], real: set[str], k: int) -> list[list[str]]:
    """K folds of documents, real texts grouped by outlet (no outlet on both sides)."""
    from sklearn.model_selection import GroupKFold

    groups = [outlet_key(d) if d in real else d for d in docs]
    return [[docs[i] for i in idx] for _, idx in GroupKFold(n_splits=k).split(docs, groups=groups)]


def scores_by_origin(gold, pred, schema, real: set[str]) -> dict:
    out = {}
    for name, keep in (("real", lambda c: c.doc_id in real), ("written", lambda c: c.doc_id not in real)):
        idx = [i for i, c in enumerate(gold) if keep(c)]
        s = score_claims([gold[i] for i in idx], [pred[i] for i in idx], schema)
        out[name] = {t: round(s[t]["macro_f1"], 4) for t in ("stance", "scenario")} | {"n": len(idx)}
    return out


def predict(clf, claims):
    copies = unlabelled(claims)
    return clf.predict(copies, [c.section for c in copies])


def run(name: str, k: int, config_path: str, out: Path) -> dict:
    updates, real_copies = CANDIDATES[name]
    cfg = TrainConfig.load(config_path).model_copy(update={"threads": 2, **updates})
    schema = LabelSchema.load()
    corpus = load_corpus("annotations", schema)
    manifest = load_manifest(cfg.manifest)
    real = {d for d, e in manifest.items() if e.origin == ORIGIN}
    split = split_documents(corpus.doc_ids, cfg)
    dev_claims = corpus.of(split.dev)
    pooled = {"gold": [], "fine-tuned": [], "joint": [], "tfidf-lr": []}
    folds, t0 = [], time.perf_counter()
    for i, held in enumerate(folds_of(split.train, real, k)):
        train_docs = [d for d in split.train if d not in held]
        train_claims = corpus.of(train_docs) + [c for _ in range(real_copies - 1) for c in corpus.of([d for d in train_docs if d in real])]
        trained = fit(train_claims, dev_claims, schema, cfg.model_copy(update={"seed": cfg.seed + i}))
        gold = corpus.of(held)
        clf = TransformerClassifier(trained, schema, name)
        joint = TransformerClassifier(trained, schema, name)
        joint.config = cfg.model_copy(update={"joint_decoding": True})
        pooled["gold"] += gold
        pooled["fine-tuned"] += predict(clf, gold)
        pooled["joint"] += predict(joint, gold)
        pooled["tfidf-lr"] += predict(fit_tfidf_lr(corpus.of(train_docs), schema, seed=cfg.seed), gold)
        folds.append({"fold": i + 1, "held_out": held, "best_epoch": trained.best_epoch, "seconds": round(trained.train_seconds, 1)})
        print(f"[{name}] fold {i + 1}/{k}: best epoch {trained.best_epoch}, {trained.train_seconds:.0f} s", flush=True)
    result = {"candidate": name, "updates": updates, "real_copies": real_copies, "folds": k,
              "train_docs": len(split.train), "dev_docs": split.dev, "fold_detail": folds,
              "seconds": round(time.perf_counter() - t0), "load": os.getloadavg()[0],
              "scores": {s: scores_by_origin(pooled["gold"], pooled[s], schema, real) for s in ("fine-tuned", "joint", "tfidf-lr")}}
    out.mkdir(parents=True, exist_ok=True)
    # Out-of-fold probabilities, so ensembles and decoding rules can be scored without retraining.
    rows = [{"doc_id": g.doc_id, "start": g.start, "real": g.doc_id in real, "stance": g.stance, "scenario": g.scenario,
             "p_stance": p.stance_scores, "p_scenario": p.scenario_scores, "tfidf_stance": t.stance_scores,
             "tfidf_scenario": t.scenario_scores}
            for g, p, t in zip(pooled["gold"], pooled["fine-tuned"], pooled["tfidf-lr"])]
    (out / f"{name}.oof.json").write_text(json.dumps(rows), encoding="utf-8")
    (out / f"{name}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("candidate", nargs="?", choices=sorted(CANDIDATES))
    ap.add_argument("--folds", type=int, default=2)
    ap.add_argument("--config", default="models/configs/default.toml")
    ap.add_argument("--out", type=Path, default=Path("reports/experiments"))
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list or not a.candidate:
        for n, (u, r) in CANDIDATES.items():
            print(f"{n}: {u} real copies {r}")
        return
    r = run(a.candidate, a.folds, a.config, a.out)
    print(f"{r['candidate']} ({r['folds']}-fold CV over {r['train_docs']} train docs, {r['seconds']} s, load {r['load']:.1f}):")
    for system, by in r["scores"].items():
        print(f"  {system:10s} real stance {by['real']['stance']:.3f} scenario {by['real']['scenario']:.3f} (n {by['real']['n']}) | "
              f"written stance {by['written']['stance']:.3f} scenario {by['written']['scenario']:.3f} (n {by['written']['n']})")


if __name__ == "__main__":
    main()
