"""--engine ray on a local Ray (2 CPUs): the same records as the local engine, and sharded output."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from test_engine import SPEC, _corpus

from argmine.engine import RunOptions, run_stream

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.slow  # starting Ray takes tens of seconds


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_ray_engine_writes_the_local_engines_files(tmp_path, local_ray, blank_pipeline):
    from argmine.engine.ray_engine import run_ray

    src = _corpus(tmp_path / "in", n=7, bad=(3,))
    run_stream(SPEC, [src], tmp_path / "local", RunOptions(chunk_docs=2), pipe=blank_pipeline)
    stats = run_ray(SPEC, [src], tmp_path / "ray", RunOptions(chunk_docs=2, workers=2))
    assert stats.n_documents == 6 and [e.path.rsplit("/", 1)[-1] for e in stats.failures] == ["doc_03.md"]
    for name in ("claims.jsonl", "documents.jsonl", "claims.csv"):
        assert (tmp_path / "ray" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    assert json.loads((tmp_path / "ray" / "run.json").read_text())["engine"] == "ray"


def test_ray_sharded_output_holds_the_same_claims(tmp_path, local_ray, blank_pipeline):
    from argmine.engine.ray_engine import run_ray

    src = _corpus(tmp_path / "in", n=5)
    run_stream(SPEC, [src], tmp_path / "local", RunOptions(chunk_docs=2), pipe=blank_pipeline)
    stats = run_ray(SPEC, [src], tmp_path / "shards", RunOptions(chunk_docs=2), sharded=True)
    local = pd.read_parquet(tmp_path / "local" / "claims.parquet")
    shards = pd.read_parquet(tmp_path / "shards" / "claims")
    assert stats.n_claims == len(local) and sorted(shards["claim_id"]) == sorted(local["claim_id"])
    docs = [json.loads(line) for f in sorted((tmp_path / "shards" / "documents").glob("*.json")) for line in f.read_text().splitlines()]
    assert sorted(d["doc_id"] for d in docs) == [f"doc_{i:02d}" for i in range(5)]
