"""Issue 14 candidates by grouped CV over TRAIN documents (the test split is never read).

Folds: real texts grouped by outlet, written commentaries by document. Each fold's model trains on the
other folds and early-stops/calibrates on the manifest's dev split (fixed). Out-of-fold probabilities
are saved (``<name>.oof.json``) so decoding rules and ensembles are scored without retraining.

    python scripts/exp_real.py base --folds 3
    python scripts/exp_real.py sentence --folds 3
    python scripts/exp_real.py --list
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402

from argmine.annotations.loader import annotation_files, load_gold, load_manifest  # noqa: E402
from argmine.model.baselines import fit_tfidf_lr  # noqa: E402
from argmine.model.config import TrainConfig  # noqa: E402
from argmine.model.data import Example, previous_texts, scenario_descriptions, with_sections  # noqa: E402
from argmine.model.trainer import predict_logits, train  # noqa: E402
from argmine.schema import LabelSchema  # noqa: E402
from argmine.segment import segment_text  # noqa: E402
from make_real_split import ORIGIN, outlet_key  # noqa: E402

INTER = "/tmp/x14/inter"  # made by scripts/exp_intermediate.py
_END = re.compile(r"(?<=[.!?:;])[\"')\]”’]*\s+")


def last_sentence(text):
    parts = [p.strip() for p in _END.split(text.strip()) if p.strip()]
    return parts[-1][-300:] if parts else None


def context_before(text, segments, start):
    """The "sentence" candidate's context: the previous sentence of the block; for a block's first sentence the
    last sentence of the previous body block (for a list item: of the paragraph that introduces the list)."""
    index = next((i for i, s in enumerate(segments) if s.start <= start < max(s.end, s.start + 1)), None)
    if index is None:
        return None
    seg = segments[index]
    if text[seg.start:start].strip():
        return last_sentence(text[seg.start:start])
    for prev in reversed(segments[:index]):
        if prev.kind == "heading":
            return None
        if prev.kind not in ("paragraph", "list_item", "question") or (seg.kind == "list_item" and prev.kind == "list_item"):
            continue
        return last_sentence(text[prev.start:prev.end])
    return None
# name → config updates, real copies, context ("none" | "claim" | "sentence")
CANDIDATES: dict[str, tuple[dict, int, str]] = {
    "base": ({}, 1, "none"),
    "claim": ({}, 1, "claim"),
    "sentence": ({}, 1, "sentence"),
    "real-x3": ({}, 3, "none"),
    "sentence-real-x3": ({}, 3, "sentence"),
    "inter": ({"base_model": INTER}, 1, "none"),
    "inter-sentence": ({"base_model": INTER}, 1, "sentence"),
    "inter-sentence-real-x3": ({"base_model": INTER}, 3, "sentence"),
    "lr5e-5-ep6": ({"learning_rate": 5e-5, "epochs": 6, "patience": 3}, 1, "none"),
    "no-class-weights": ({"class_weights": False}, 1, "none"),
    "ep6": ({"epochs": 6, "patience": 2}, 1, "none"),
    # Issue 16: the topic is one constant string for a one-topic schema; without it inputs are ~24 % shorter.
    "no-topic": ({"context_topic": False, "probe_ensemble": False}, 1, "none"),
    # Hyper-parameters around the no-topic default (default.toml since issue 16)
    "lr1.2e-4": ({"learning_rate": 1.2e-4}, 1, "none"),
    "unfreeze": ({"freeze_embeddings": False}, 1, "none"),
    # a second seed of the default: averaged with no-topic it is a two-seed ensemble (exp_score.py)
    "seed-b": ({"seed": 113}, 1, "none"),
    "lr1.2e-4-seed-b": ({"learning_rate": 1.2e-4, "seed": 113}, 1, "none"),
}


def load(schema):
    claims, contexts = [], []
    for file in annotation_files(Path("annotations/gold")):
        for doc in load_gold(file):
            segs, _, _ = segment_text(doc.text)
            cs = with_sections(doc.claims, doc.text)
            claims += cs
            contexts += [context_before(doc.text, segs, c.start) for c in cs]
    return claims, contexts


def examples(claims, contexts, mode, schema):
    prev = previous_texts(claims) if mode == "claim" else contexts if mode == "sentence" else [None] * len(claims)
    return [Example(topic=schema.topic, text=c.text, group=c.doc_id, section=c.section, previous=p,
                    stance=c.stance, scenario=c.scenario) for c, p in zip(claims, prev)]


def folds_of(docs, real, k):
    from sklearn.model_selection import GroupKFold

    groups = [outlet_key(d) if d in real else d for d in docs]
    return [[docs[i] for i in idx] for _, idx in GroupKFold(n_splits=k).split(docs, groups=groups)]


def probs(trained, ex):
    st, sc = predict_logits(trained.model, trained.tokenizer, ex, trained.config,
                            _descr(trained))
    t = trained.temperatures
    return torch.softmax(st / t.get("stance", 1.0), -1).tolist(), torch.softmax(sc / t.get("scenario", 1.0), -1).tolist()


def _descr(trained):
    from argmine.model.encoder import tokenize_texts

    return tokenize_texts(trained.tokenizer, trained.scenario_descriptions, trained.config.max_length)


def run(name, k, out: Path):
    updates, copies, mode = CANDIDATES[name]
    schema = LabelSchema.load()
    manifest = load_manifest("corpus/manifest.csv")
    real = {d for d, e in manifest.items() if e.origin == ORIGIN}
    split = {d: e.split for d, e in manifest.items()}
    cfg = TrainConfig.load("models/configs/default.toml").model_copy(update={"threads": 2, **updates, "context_previous": mode != "none"})
    claims, contexts = load(schema)
    ex = examples(claims, contexts, mode, schema)
    train_docs = list(dict.fromkeys(c.doc_id for c in claims if split.get(c.doc_id, "train") == "train"))
    dev_ex = [e for e in ex if split.get(e.group) == "dev"]
    rows, folds, t0 = [], [], time.perf_counter()
    for i, held in enumerate(folds_of(train_docs, real, k)):
        held = set(held)
        tr = [e for e in ex if e.group in train_docs and e.group not in held]
        tr += [e for _ in range(copies - 1) for e in tr if e.group in real]
        trained = train(tr, dev_ex, schema.stance_labels, schema.scenario_labels, scenario_descriptions(schema), config=cfg.model_copy(update={"seed": cfg.seed + i}))
        idx = [j for j, e in enumerate(ex) if e.group in held]
        ps, pc = probs(trained, [ex[j] for j in idx])
        tf = fit_tfidf_lr([c for c in claims if c.doc_id in train_docs and c.doc_id not in held], schema, seed=cfg.seed)
        tfp = tf.predict([claims[j].model_copy(update={"stance": None, "scenario": None}) for j in idx])
        for j, a, b, t in zip(idx, ps, pc, tfp):
            c = claims[j]
            rows.append({"doc_id": c.doc_id, "start": c.start, "real": c.doc_id in real, "stance": c.stance, "scenario": c.scenario,
                         "p_stance": dict(zip(schema.stance_labels, a)), "p_scenario": dict(zip(schema.scenario_labels, b)),
                         "tfidf_stance": t.stance_scores, "tfidf_scenario": t.scenario_scores})
        folds.append({"fold": i + 1, "best_epoch": trained.best_epoch, "seconds": round(trained.train_seconds)})
        print(f"[{name}] fold {i + 1}/{k}: best epoch {trained.best_epoch}, {trained.train_seconds:.0f} s", flush=True)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.oof.json").write_text(json.dumps(rows), encoding="utf-8")
    meta = {"candidate": name, "updates": updates, "real_copies": copies, "context": mode, "folds": folds,
            "seconds": round(time.perf_counter() - t0), "load": os.getloadavg()[0]}
    (out / f"{name}.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    print(json.dumps(meta))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("candidate", nargs="?")
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path("/tmp/x14/exp"))
    a = ap.parse_args()
    if not a.candidate:
        print("\n".join(f"{n}: {v}" for n, v in CANDIDATES.items()))
    else:
        run(a.candidate, a.folds, a.out)
