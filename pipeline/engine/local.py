"""The local engine: a streaming run in this process, or in ``workers`` processes that each load the pipeline once."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..reader import SourceText, collect_inputs
from ..stream_writer import Chunk, StreamWriter, partial_dir, recover, remove_partial
from .spec import PipelineSpec
from .stages import StageTimer, chunked, process_chunk, read_items

log = logging.getLogger(__name__)


@dataclass
class RunOptions:
    """How to run: chunk size (files classified together), spaCy batch size and processes, workers, torch
    threads, resume. ``n_process`` parallelises the parse only; ``workers`` the whole pipeline."""

    chunk_docs: int = 32
    batch_size: int = 8
    n_process: int = 1
    workers: int = 1
    threads: int | None = None  # torch threads in all; divided among the workers
    resume: bool = False
    raw_csv: bool = False  # CSV cells verbatim (default: formula-like cells neutralised, see writers.write_csv)


@dataclass
class RunStats:
    """What a streaming run did: counts, failures, seconds per stage and the wall time."""

    out: Path
    n_documents: int = 0
    n_claims: int = 0
    n_resumed: int = 0
    failures: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # "path: warning" of processed documents
    seconds: dict[str, float] = field(default_factory=dict)
    wall: float = 0.0
    model: str = ""


def run_stream(spec: PipelineSpec, inputs: Iterable[str | Path], out: Path, options: RunOptions | None = None,
               run_info: dict | None = None, progress: Callable[[int], None] | None = None, pipe=None,
               collected: tuple[list[Path], list[InputError]] | None = None) -> RunStats:
    """Process ``inputs`` into the results folder ``out``, chunk by chunk; ``out`` appears only when the run ends.

    ``pipe``: an already loaded Pipeline to use in this process (workers always load their own from ``spec``).
    ``progress`` is called with the number of input files each finished chunk held. ``collected``: what
    ``collect_inputs(inputs)`` gave, when the caller already walked the folders.
    """
    options = options or RunOptions()
    t0 = time.perf_counter()
    timer = StageTimer()
    files, failures = collected or collect_inputs([Path(p) for p in inputs])
    stats = RunStats(out=out, failures=list(failures))
    if options.workers <= 1 and pipe is None:
        with timer.stage("load"):
            pipe = spec.load()
    writer, (done, done_failed) = open_writer(out, options.resume, options.raw_csv)
    stats.n_resumed = len(done)
    items = read_items(_timed(files, timer), spec.max_chars, done, done_failed)
    info = {**(run_info or {}), "inputs": [str(p) for p in inputs]}
    if pipe is not None:
        stats.model = pipe.classifier.name
    write_chunks(_chunks(spec, items, options, pipe), writer, stats, timer, info, progress)
    stats.seconds, stats.wall = dict(timer.seconds), time.perf_counter() - t0
    return stats


def write_chunks(chunks: Iterable[tuple[Chunk, dict[str, float], list[InputError]]], writer: StreamWriter, stats: RunStats,
                 timer: StageTimer, run_info: dict, progress: Callable[[int], None] | None = None) -> None:
    """Write processed chunks as they come, then rename the folder into place (or drop it when nothing was read).

    On an error or interrupt the partial folder stays for ``--resume``.
    """
    try:
        for chunk, seconds, failed in chunks:
            failed = [*failed, *(InputError(*f) for f in chunk.failed)]
            timer.add(seconds)
            stats.failures.extend(failed)
            stats.warnings.extend(f"{d.path}: {w}" for d in chunk.documents for w in d.warnings)
            stats.model = stats.model or next((c.model or "" for c in chunk.claims), "")
            with timer.stage("write"):
                writer.write(chunk, [e.path for e in failed])
            if progress:
                progress(len(chunk.documents) + len(failed))
    except BaseException:
        writer.close()
        raise
    stats.n_documents, stats.n_claims = writer.n_documents, writer.n_claims
    if writer.n_documents == 0:
        writer.close()
        remove_partial(writer.folder)
        return
    with timer.stage("write"):
        counts = {"documents": writer.n_documents, "claims": writer.n_claims, "resumed": stats.n_resumed,
                  "seconds": {k: round(v, 3) for k, v in timer.seconds.items()}}
        _replace(writer.finish({"model": stats.model, **run_info, "stats": counts}), stats.out)


def _timed(files: list[Path], timer: StageTimer) -> Iterator[Path]:
    """Count the reading of each file (done lazily by the consumer) as the read stage."""
    for path in files:
        with timer.stage("read"):
            yield path


def _chunks(spec: PipelineSpec, items, options: RunOptions, pipe) -> Iterator[tuple[Chunk, dict[str, float], list[InputError]]]:
    """Processed chunks in input order, from this process or from a worker pool, with the chunk's unreadable files."""
    batches = (_split(batch) for batch in chunked(items, options.chunk_docs))
    if options.workers <= 1:
        for sources, failed in batches:
            yield (*process_chunk(pipe, sources, options.batch_size, options.n_process), failed)
        return
    from .workers import pool_chunks

    yield from pool_chunks(spec, batches, options)


def _split(items: list) -> tuple[list[SourceText], list[InputError]]:
    return [i for i in items if isinstance(i, SourceText)], [i for i in items if isinstance(i, InputError)]


def open_writer(out: Path, resume: bool, raw_csv: bool = False) -> tuple[StreamWriter, tuple[dict[str, str], list[str]]]:
    """A writer on a fresh partial folder; with ``resume`` the finished documents of the last one are carried over."""
    partial = partial_dir(out)
    old = partial.with_name(partial.name + ".old")
    if not resume:
        if partial.exists():
            log.warning("%s: an unfinished run is there; starting over (pass --resume to continue it)", partial)
        remove_partial(partial)
        remove_partial(old)
        return StreamWriter(partial, raw_csv), ({}, [])
    # Recovery copies into a fresh folder; a kill during it leaves `old` intact for the next --resume.
    if partial.exists() and not old.exists():
        os.replace(partial, old)
    remove_partial(partial)
    writer = StreamWriter(partial, raw_csv)
    done = recover(old, writer) if old.exists() else ({}, [])
    remove_partial(old)
    if not done[0]:
        log.warning("%s: nothing to resume; running everything", out)
    return writer, done


def _replace(folder: Path, out: Path) -> None:
    """Put the finished partial folder at ``out`` through the one atomic folder writer (old results kept until then)."""
    from ..writers import atomic_dir

    def build(tmp: Path) -> None:
        for entry in folder.iterdir():
            os.replace(entry, tmp / entry.name)  # renames inside one filesystem: no copying

    atomic_dir(out, build)
    remove_partial(folder)
