"""The Ray Data engine (``argmine run --engine ray``): the local engine's per-chunk stages on a Ray cluster.

read (a function) → extract (an actor class holding the spaCy pipeline) → classify (an actor class holding the
model) → write. A row of the dataset is one chunk of input files, cut exactly as the local engine cuts them, so
both engines classify the same claims together and give the same records. The results are either written by
the driver into the usual results folder (``sharded=False``) or by Ray's writers as Parquet/JSONL shards to
any path a pyarrow filesystem reaches (``sharded=True``: ``OUT/claims/*.parquet``, ``OUT/documents/*.json``).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError
from ..reader import SourceText, collect_inputs
from ..records import ClaimRecord, DocumentRecord
from ..stream_writer import Chunk
from .local import RunOptions, RunStats, write_chunks
from .spec import PipelineSpec
from .stages import StageTimer, chunked, classify, extract, read_items

log = logging.getLogger(__name__)


def read_chunk(row: dict, max_chars: int) -> dict:
    """Read stage: a chunk's paths → its texts (JSON) and the files that could not be read."""
    timer = StageTimer()
    with timer.stage("read"):
        items = list(read_items([Path(p) for p in row["paths"]], max_chars))
    sources = [{"doc_id": s.doc_id, "path": str(s.path), "format": s.format, "text": s.text, "warnings": s.warnings}
               for s in items if isinstance(s, SourceText)]
    failed = [[e.path, e.problem, e.fix] for e in items if isinstance(e, InputError)]
    return {"chunk": row["chunk"], "sources": json.dumps(sources), "failed": json.dumps(failed),
            "seconds": json.dumps(timer.seconds)}


class Extract:
    """Extract stage: holds the spaCy pipeline (loaded once per actor)."""

    def __init__(self, spec: PipelineSpec, batch_size: int) -> None:
        self.nlp, self.batch_size, self.metadata = spec.load_nlp(), batch_size, spec.load_metadata()

    def __call__(self, row: dict) -> dict:
        timer = StageTimer()
        sources = [SourceText(**{**s, "path": Path(s["path"])}) for s in json.loads(row["sources"])]
        with timer.stage("spacy"):
            extracted, crashed = extract(self.nlp, sources, self.batch_size, metadata=self.metadata)
        docs = [[d.model_dump(mode="json"), [c.model_dump(mode="json") for c in cs], s.text] for s, d, cs in extracted]
        failed = json.dumps(json.loads(row["failed"]) + [list(f) for f in crashed])
        return {"chunk": row["chunk"], "extracted": json.dumps(docs, ensure_ascii=False), "failed": failed,
                "seconds": _add(row["seconds"], timer)}


class Classify:
    """Classify stage: holds the claim classifier (loaded once per actor, torch threads as given)."""

    def __init__(self, spec: PipelineSpec, threads: int) -> None:
        from ..model.config import set_threads

        set_threads(threads)
        self.classifier = spec.load_classifier()

    def __call__(self, row: dict) -> dict:
        timer = StageTimer()
        extracted = [(_Text(text), DocumentRecord.model_validate(d), [ClaimRecord.model_validate(c) for c in cs])
                     for d, cs, text in json.loads(row["extracted"])]
        with timer.stage("classify"):
            chunk = classify(self.classifier, extracted)  # type: ignore[arg-type]  # _Text stands in for SourceText: only .text is read
        return {"chunk": row["chunk"], "documents": json.dumps([d.model_dump(mode="json") for d in chunk.documents], ensure_ascii=False),
                "claims": json.dumps([c.model_dump(mode="json") for c in chunk.claims], ensure_ascii=False),
                "texts": json.dumps(chunk.texts, ensure_ascii=False), "failed": row["failed"],
                "seconds": _add(row["seconds"], timer)}


class _Text:
    """What ``classify`` needs of a SourceText: its doc_id and text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.doc_id = ""


def _add(seconds: str, timer: StageTimer) -> str:
    """The row's stage seconds (JSON) with this stage's added."""
    total = StageTimer()
    total.add(json.loads(seconds))
    total.add(timer.seconds)
    return json.dumps(total.seconds)


def run_ray(spec: PipelineSpec, inputs: Iterable[str | Path], out: Path, options: RunOptions | None = None,
            run_info: dict | None = None, progress=None, address: str | None = None, sharded: bool = False,
            filesystem=None, collected: tuple[list[Path], list[InputError]] | None = None) -> RunStats:
    """Run on Ray Data. ``address``: a running cluster (``ray.init(address=...)``; default: start a local Ray).

    ``collected``: as for ``run_stream``. ``sharded``: Ray's workers write ``OUT/claims/`` (Parquet) and ``OUT/documents/`` (JSONL) shards straight to
    ``out`` — a local path, or with ``filesystem`` (a ``pyarrow.fs.FileSystem``) an object-store path.
    """
    import ray

    from ..stream_writer import partial_dir
    from .local import open_writer
    from .workers import threads_per_worker

    options = options or RunOptions()
    if options.resume:
        from ..errors import OutputError

        raise OutputError("--resume works with the local engine; rerun with --engine local, or without --resume")
    t0, timer = time.perf_counter(), StageTimer()
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False)
    files, failures = collected or collect_inputs([Path(p) for p in inputs])
    stats = RunStats(out=out, failures=list(failures))
    ds = build_dataset(spec, files, options, threads_per_worker(options.threads, max(1, options.workers)))
    info = {**(run_info or {}), "engine": "ray", "inputs": [str(p) for p in inputs]}
    if sharded:
        _write_shards(ds, out, filesystem, stats)
    else:
        writer, _ = open_writer(out, resume=False, raw_csv=options.raw_csv)
        log.info("ray: writing into %s", partial_dir(out))
        write_chunks((_chunk_of(row) for row in ds.iter_rows()), writer, stats, timer, info, progress)
    stats.seconds, stats.wall = dict(timer.seconds), time.perf_counter() - t0
    return stats


def build_dataset(spec: PipelineSpec, files: list[Path], options: RunOptions, threads: int):
    """The Ray Data plan: one row per chunk of files (cut like the local engine's), in input order."""
    import ray

    ray.data.DataContext.get_current().execution_options.preserve_order = True
    rows = [{"chunk": i, "paths": [str(p) for p in c]} for i, c in enumerate(chunked(files, options.chunk_docs))]
    n = max(1, options.workers)
    return (ray.data.from_items(rows, override_num_blocks=max(1, len(rows)))
            .map(read_chunk, fn_kwargs={"max_chars": spec.max_chars})  # type: ignore[arg-type]  # Ray's stubs omit fn_kwargs callables
            .map(Extract, fn_constructor_args=(spec, options.batch_size), concurrency=n, num_cpus=1)  # type: ignore[arg-type]  # callable classes are Ray's documented form
            .map(Classify, fn_constructor_args=(spec, threads), concurrency=n, num_cpus=1))  # type: ignore[arg-type]


def _chunk_of(row: dict) -> tuple[Chunk, dict[str, float], list[InputError]]:
    chunk = Chunk(documents=[DocumentRecord.model_validate(d) for d in json.loads(row["documents"])],
                  claims=[ClaimRecord.model_validate(c) for c in json.loads(row["claims"])], texts=json.loads(row["texts"]))
    failed = [InputError(*f) for f in json.loads(row["failed"])]
    for e in failed:
        log.info("%s", e)  # the CLI lists every failure at the end
    return chunk, json.loads(row["seconds"]), failed


def _write_shards(ds, out: Path, filesystem, stats: RunStats) -> None:
    """Ray's own writers: claims as Parquet shards, documents as JSONL shards, one file per block."""
    from ..stream_writer import _arrow_schema
    from ..writers import _claims_frame

    def claim_rows(row: dict) -> list[dict]:
        rows = json.loads(row["claims"])
        return _claims_frame(rows).to_dict("records") if rows else []

    ds = ds.materialize()  # run the plan once (blocks stay in Ray's object store, spilling to disk), then write twice
    claims = ds.flat_map(claim_rows)
    documents = ds.flat_map(lambda row: json.loads(row["documents"]))
    claims.write_parquet(f"{out}/claims", filesystem=filesystem, schema=_arrow_schema())
    documents.write_json(f"{out}/documents", filesystem=filesystem)
    stats.n_claims, stats.n_documents = claims.count(), documents.count()
