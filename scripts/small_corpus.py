"""Small-corpus simulations (issue 14): which system to use with 4, 8 or 16 annotated documents.

For each size N and draw, N WRITTEN train documents of the manifest are drawn (seeded); on them are trained
the fine-tuned model (models/configs/default.toml; its dev for early stopping is a seeded share of the N
documents, as `argmine train` would do for a user with N documents), SetFit, TF-IDF + LR (both on all N),
and zero-shot needs nothing. All are scored on the manifest's DEV documents, written and real apart; the
test split is never read. Every finished (system, size, draw) is saved at once, so a rerun resumes:

    nice -n 15 python scripts/small_corpus.py                       # 4/8/16 docs × 3 draws, all systems
    nice -n 15 python scripts/small_corpus.py --draws 2 --systems tfidf-lr zero-shot setfit
    python scripts/small_corpus.py --table                          # the table of what is done so far
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from argmine.annotations.loader import load_manifest  # noqa: E402
from argmine.model.baselines import fit_tfidf_lr  # noqa: E402
from argmine.model.classifier import TransformerClassifier  # noqa: E402
from argmine.model.config import TrainConfig  # noqa: E402
from argmine.model.data import seeded_dev  # noqa: E402
from argmine.model.experiment import fit, load_corpus, zero_shot  # noqa: E402
from argmine.model.metrics import evaluate_classifier  # noqa: E402
from argmine.schema import LabelSchema  # noqa: E402

SYSTEMS = ("fine-tuned", "setfit", "tfidf-lr", "zero-shot")
REAL_ORIGIN = "third-party-real"


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def draw(pool: list[str], n: int, seed: int) -> list[str]:
    return sorted(random.Random(seed).sample(sorted(pool), n))


def train_system(system: str, corpus, docs: list[str], cfg: TrainConfig):
    """The classifier of ``system`` trained on ``docs`` (zero-shot: untrained)."""
    schema = corpus.schema
    if system == "zero-shot":
        return zero_shot(schema, cfg)
    if system == "tfidf-lr":
        return fit_tfidf_lr(corpus.of(docs), schema, seed=cfg.seed)
    if system == "setfit":
        from argmine.model.fewshot import fit_setfit

        return fit_setfit(corpus.of(docs), schema, cfg)
    train_docs, dev_docs = seeded_dev(docs, cfg.dev_fraction, cfg.seed)
    return TransformerClassifier(fit(corpus.of(train_docs), corpus.of(dev_docs), schema, cfg), schema, cfg.name)


def run_one(system: str, n: int, i: int, corpus, pool: list[str], dev: dict[str, list[str]], cfg: TrainConfig) -> dict:
    docs = draw(pool, n, seed=1000 * n + i)
    c0, t0 = cpu_seconds(), time.perf_counter()
    clf = train_system(system, corpus, docs, cfg.model_copy(update={"seed": cfg.seed + i}))
    scores = {}
    for part, dev_docs in dev.items():
        s = evaluate_classifier(clf, corpus.of(dev_docs), corpus.schema)
        scores[part] = {t: round(s[t]["macro_f1"], 4) for t in ("stance", "scenario")} | {"n": len(corpus.of(dev_docs))}
    return {"system": system, "size": n, "draw": i, "docs": docs, "n_claims": len(corpus.of(docs)), "scores": scores,
            "cpu_seconds": round(cpu_seconds() - c0, 1), "wall_seconds": round(time.perf_counter() - t0, 1)}


def table(results: list[dict]) -> str:
    """mean ± sd macro-F1 per size and system, on written dev and real dev, with mean CPU seconds."""
    lines = ["| docs | system | draws | written stance | written scenario | real stance | real scenario | CPU s |",
             "|---|---|---|---|---|---|---|---|"]
    for n in sorted({r["size"] for r in results}):
        for system in SYSTEMS:
            rs = [r for r in results if r["size"] == n and r["system"] == system]
            if not rs:
                continue
            cells = []
            for part in ("written_dev", "real_dev"):
                for task in ("stance", "scenario"):
                    xs = [r["scores"][part][task] for r in rs]
                    cells.append(f"{statistics.mean(xs):.3f} ± {statistics.stdev(xs) if len(xs) > 1 else 0:.3f}")
            cpu = statistics.mean(r["cpu_seconds"] for r in rs)
            lines.append(f"| {n} | {system} | {len(rs)} | " + " | ".join(cells) + f" | {cpu:.0f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[4, 8, 16])
    ap.add_argument("--draws", type=int, default=3)
    ap.add_argument("--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS))
    ap.add_argument("--config", default="models/configs/default.toml")
    ap.add_argument("--out", type=Path, default=Path("reports/experiments/small_corpus.json"))
    ap.add_argument("--table", action="store_true", help="print the table of the results saved so far and stop")
    a = ap.parse_args()
    done = json.loads(a.out.read_text())["results"] if a.out.is_file() else []
    if a.table:
        print(table(done))
        return
    cfg = TrainConfig.load(a.config).model_copy(update={"threads": 2})
    schema = LabelSchema.load()
    corpus = load_corpus("annotations", schema)
    manifest = {d: e for d, e in load_manifest(cfg.manifest).items() if d in set(corpus.doc_ids)}
    pool = [d for d, e in manifest.items() if e.split == "train" and e.origin != REAL_ORIGIN]
    dev = {"written_dev": [d for d, e in manifest.items() if e.split == "dev" and e.origin != REAL_ORIGIN],
           "real_dev": [d for d, e in manifest.items() if e.split == "dev" and e.origin == REAL_ORIGIN]}
    print(f"{len(pool)} written train documents; dev: {len(dev['written_dev'])} written, {len(dev['real_dev'])} real", flush=True)
    for n in a.sizes:
        if n > len(pool):
            sys.exit(f"--sizes {n}: only {len(pool)} written train documents")
        for i in range(a.draws):
            for system in a.systems:
                if any(r["system"] == system and r["size"] == n and r["draw"] == i for r in done):
                    continue
                same = [r for r in done if r["system"] == "zero-shot"] if system == "zero-shot" else []
                # Zero-shot does not train: its dev scores are the same for every draw; computed once.
                r = (same[0] | {"size": n, "draw": i, "docs": [], "cpu_seconds": 0.0, "wall_seconds": 0.0} if same
                     else run_one(system, n, i, corpus, pool, dev, cfg))
                done.append(r)
                a.out.parent.mkdir(parents=True, exist_ok=True)
                a.out.write_text(json.dumps({"config": a.config, "results": done}, indent=1), encoding="utf-8")
                print(f"{system} {n} docs draw {i}: {r['scores']} ({r['cpu_seconds']} CPU s)", flush=True)
    print(table(done))


if __name__ == "__main__":
    main()
