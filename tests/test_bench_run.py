"""The benchmark script's own helpers (the benchmark itself is not a test): replication, process-tree RSS, the report."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


@pytest.fixture()
def bench(monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPTS))
    import bench_run
    import bench_run_report

    return bench_run, bench_run_report


def test_replicate_gives_distinct_doc_ids(tmp_path, bench):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("a.md", "b.txt"):
        (src / name).write_text(name)
    out = bench[0].replicate(src, 5, tmp_path / "out")
    names = sorted(p.name for p in out.iterdir())
    assert names == ["a__0000.md", "a__0001.md", "a__0002.md", "b__0000.txt", "b__0001.txt"]
    assert (out / "b__0001.txt").read_text() == "b.txt"


def test_tree_rss_counts_the_children(bench):
    # A child holding ~60 MB: the tree of this process must grow by about that much.
    code = "import time; x = bytearray(60 << 20); x[::4096] = b'1' * len(x[::4096]); time.sleep(30)"
    before = bench[0].tree_rss_mb(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 60
        grown = 0.0
        while time.monotonic() < deadline and grown < 50:
            time.sleep(0.2)
            grown = bench[0].tree_rss_mb(os.getpid()) - before
        assert grown >= 50
    finally:
        child.kill()
        child.wait()


def test_report_prints_the_ratios(capsys, bench):
    r = {"docs": 56, "cores": 2, "parse_floor": {"seconds": 20.0, "cpu": 15.0, "load": 1.0},
         "run:default": {"cmd": "argmine run", "wall": 30.0, "cpu": 45.0, "rss_mb": 1400.0, "load": 1.0, "workers": 2,
                         "claims": 2690, "seconds": {"read_cpu": 0.1, "spacy_cpu": 18.0, "classify_cpu": 16.0, "write_cpu": 1.0}},
         "rss:300": {"rss_mb": 1000.0}, "rss:3000": {"rss_mb": 1100.0}}
    bench[1].report(r)
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("| default"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[10] == "3.33"  # wall ÷ (slowest stage's CPU seconds over its 2 workers): 30 / 9
    assert cells[11] == "1.50" and cells[12] == "3.00"  # ÷ the parse: wall, CPU
    assert "peak RSS 3000 docs ÷ 300 docs: 1.10" in out


def test_report_gives_each_classify_stage_against_both_naive_inputs(capsys, bench):
    stage = {"claims": 100, "seconds": 1.0, "cpu": 2.0, "claims_per_s": 300.0, "claims_per_cpu_s": 150.0, "load": 1.0}
    r = {"docs": 2, "cores": 2, "classifier": {"bf16": stage}, "classifier_workers": {"int8": {**stage, "workers": 2, "claims_per_s": 450.0}},
         "naive_pipeline": {"claims_per_s": 75.0, "claims_per_cpu_s": 37.0, "load": 1.0},
         "naive_pipeline_pairs": {"claims_per_s": 60.0, "claims_per_cpu_s": 30.0, "load": 1.0}}
    bench[1].report(r)
    out = capsys.readouterr().out
    assert "bf16: 300 claims/s (150/CPU s, load 1.0); 4.0× naive_pipeline, 5.0× naive_pipeline_pairs" in out
    assert "2 workers) int8: 450 claims/s" in out and "6.0× naive_pipeline," in out


def test_classifier_stage_spreads_chunks_over_worker_processes(bench):
    """The stage as the run runs it: spawned workers, chunks dealt round-robin, every claim classified once."""
    from argmine.records import ClaimRecord

    def claim(i: int) -> ClaimRecord:
        return ClaimRecord(claim_id=f"d{i}:0-5", doc_id=f"d{i}", start=0, end=5, text="Peace")

    chunks = [[claim(i), claim(i + 10)] for i in range(3)]
    r = bench[0].classifier_stage({"model": "placeholder"}, chunks, "fp32", 2)
    assert r["claims"] == 6 and r["workers"] == 2 and r["claims_per_s"] > 0  # the placeholder needs no built model
