"""External benchmarks: IBM Debater Claim Stance (Bar-Haim et al., 2017) and ArgKP-2021 (Friedman et al., 2021).

The data is read from where it lies (``--data``; else ``$ARGMINE_BENCHMARKS``; else the
``shared/benchmarks`` folder beside the repository, i.e. ``../shared/benchmarks``); it is never copied
into the project.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path

# The checkout's parent holds shared/ (third-party data lives there, not in the repository).
DEFAULT_ROOT = Path(os.environ.get("ARGMINE_BENCHMARKS") or Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks")


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


@contextmanager
def stopwatch(store: dict, key: str):
    """Record the wall time of a block in ``store[key]`` (seconds)."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        store[key] = round(time.perf_counter() - t0, 2)
