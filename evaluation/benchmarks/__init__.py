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
from pathlib import Path

# The checkout's parent holds shared/ (third-party data lives there, not in the repository).
DEFAULT_ROOT = Path(os.environ.get("ARGMINE_BENCHMARKS") or Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks")


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def finish_benchmark(metrics: dict, out: str | Path, render, t_start: float, timings: dict, command: str | None) -> dict:
    """Stamp cost and command on a benchmark's metrics, write metrics.json and the report; return metrics."""
    from ..report import write_json

    metrics.update({
        "wall_time_s": round(time.perf_counter() - t_start, 1),
        "timings": timings,
        "peak_memory_mb": round(peak_memory_mb(), 1),
        "command": command,
    })
    out = Path(out)
    write_json(out / "metrics.json", metrics)
    render(metrics).render(out)
    return metrics
