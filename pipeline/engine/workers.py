"""Worker processes for ``--workers N``: each loads the pipeline once and processes whole chunks.

Chunks go out in input order and are taken back in input order, so the results folder is the same as
a one-process run's. Torch's threads are divided among the workers so they do not fight over the cores.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Iterable, Iterator

from ..reader import SourceText
from ..stream_writer import Chunk
from .spec import PipelineSpec
from .stages import process_chunk

log = logging.getLogger(__name__)

_PIPE = None  # the worker process's pipeline, loaded once by _init
_BATCH = 8
_ERROR: Exception | None = None  # what loading the pipeline raised in this worker
WORKER_BYTES = 700 << 20  # peak RSS of a worker with en_core_web_sm and MiniLM loaded (measured: scripts/bench_run.py)


def cores() -> int:
    """Cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def default_workers(n_files: int, chunk_docs: int) -> int:
    """``--workers`` when not given: one per core, but no more than there are chunks to share out (a worker
    costs a pipeline load, ~5 CPU seconds) or than memory holds (a worker with its models takes ~0.7 GB)."""
    chunks = max(1, -(-n_files // max(1, chunk_docs)))
    available = _available_memory()
    memory = available // WORKER_BYTES if available is not None else chunks
    return max(1, min(cores(), chunks, memory))


def _available_memory() -> int | None:
    """MemAvailable of /proc/meminfo in bytes (free memory plus what the page cache gives back); None elsewhere."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def threads_per_worker(threads: int | None, workers: int) -> int:
    """Torch threads for each of ``workers`` processes: the total (default: every core) divided, at least 1."""
    return max(1, (threads or cores()) // max(1, workers))


def _init(spec: PipelineSpec, threads: int, batch_size: int) -> None:
    global _PIPE, _BATCH, _ERROR
    from ..model.config import set_threads

    set_threads(threads)
    _BATCH = batch_size
    try:
        _PIPE = spec.load()
    except Exception as e:
        # Raised here the worker would die and the Pool start another, forever; the first chunk reports it instead.
        _ERROR = e


def _work(sources: list[SourceText]) -> tuple[Chunk, dict[str, float]]:
    if _ERROR is not None:
        raise _ERROR
    return process_chunk(_PIPE, sources, _BATCH)


def pool_chunks(spec: PipelineSpec, chunks: Iterable[tuple[list[SourceText], list]], options) -> Iterator[tuple[Chunk, dict[str, float], list]]:
    """Processed chunks, in input order, from ``options.workers`` spawned processes.

    "spawn", not fork: a forked copy of a process that already ran torch's thread pool can hang.
    """
    threads = threads_per_worker(options.threads, options.workers)
    log.info("%d workers × %d torch threads", options.workers, threads)
    ctx = mp.get_context("spawn")
    with ctx.Pool(options.workers, initializer=_init, initargs=(spec, threads, options.batch_size)) as pool:
        # At most two chunks per worker in flight (Pool.imap would read the whole input ahead): memory stays bounded.
        pending: deque = deque()
        # Unreadable files stay here (an InputError does not pickle); they travel beside their chunk.
        for sources, failed in chunks:
            pending.append((pool.apply_async(_work, (sources,)), failed))
            if len(pending) >= 2 * options.workers:
                result, failed_first = pending.popleft()
                yield (*result.get(), failed_first)
        while pending:
            result, failed_first = pending.popleft()
            yield (*result.get(), failed_first)
