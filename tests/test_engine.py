"""The streaming engine on a blank spaCy model: same records as Pipeline.run, chunking, failures, resume, workers."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import SAMPLE

from argmine.engine import PipelineSpec, RunOptions, run_stream
from argmine.stream_writer import partial_dir

SPEC = PipelineSpec(model="placeholder", spacy_model="blank")


def _corpus(folder, n: int = 7, bad: tuple[int, ...] = ()):
    """``n`` small articles (doc_i.md), each a little different; indexes in ``bad`` are empty files."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = "" if i in bad else SAMPLE.replace("border commission", f"border commission number {i}") + "Extra point %d is clear.\n" * (i % 3)
        (folder / f"doc_{i:02d}.md").write_text(text, encoding="utf-8")
    return folder


def test_stream_run_writes_what_pipeline_run_returns(tmp_path, blank_pipeline):
    src = _corpus(tmp_path / "in")
    ref = blank_pipeline.run([src])
    stats = run_stream(SPEC, [src], tmp_path / "out", RunOptions(chunk_docs=3), pipe=blank_pipeline)
    out = tmp_path / "out"
    rows = [json.loads(line) for line in (out / "claims.jsonl").read_text().splitlines()]
    assert rows == [c.model_dump(mode="json") for c in ref.claims]
    docs = [json.loads(line) for line in (out / "documents.jsonl").read_text().splitlines()]
    assert docs == [d.model_dump(mode="json") for d in ref.documents]
    pq, csv = pd.read_parquet(out / "claims.parquet"), pd.read_csv(out / "claims.csv")
    assert list(pq["claim_id"]) == list(csv["claim_id"]) == [c.claim_id for c in ref.claims]
    assert (out / "texts" / "doc_03.txt").read_text(encoding="utf-8") == ref.texts["doc_03"]
    assert json.loads((out / "run.json").read_text())["model"] == "placeholder-uniform"
    assert not (out / "_journal.jsonl").exists() and not partial_dir(out).exists()
    assert (stats.n_documents, stats.n_claims) == (len(ref.documents), len(ref.claims))
    assert {"read", "spacy", "classify", "write"} <= set(stats.seconds)
    assert {"spacy_cpu", "classify_cpu"} <= set(stats.seconds)  # CPU seconds beside the elapsed ones


def test_chunk_size_does_not_change_the_output(tmp_path, blank_pipeline):
    src = _corpus(tmp_path / "in")
    outs = []
    for size in (1, 4, 100):
        out = tmp_path / f"out{size}"
        run_stream(SPEC, [src], out, RunOptions(chunk_docs=size), pipe=blank_pipeline)
        outs.append([(out / f).read_bytes() for f in ("claims.jsonl", "documents.jsonl", "claims.csv")])
    assert outs[0] == outs[1] == outs[2]


def test_bad_files_are_failures_and_the_rest_is_written(tmp_path, blank_pipeline):
    src = _corpus(tmp_path / "in", bad=(2, 5))
    stats = run_stream(SPEC, [src], tmp_path / "out", RunOptions(chunk_docs=2), pipe=blank_pipeline)
    assert stats.n_documents == 5 and sorted(e.path.rsplit("/", 1)[-1] for e in stats.failures) == ["doc_02.md", "doc_05.md"]


def test_nothing_readable_writes_nothing(tmp_path, blank_pipeline):
    src = _corpus(tmp_path / "in", n=2, bad=(0, 1))
    stats = run_stream(SPEC, [src], tmp_path / "out", pipe=blank_pipeline)
    assert stats.n_documents == 0 and not (tmp_path / "out").exists() and not partial_dir(tmp_path / "out").exists()


class _Stop(Exception):
    pass


def test_interrupted_run_resumes_to_identical_files(tmp_path, blank_pipeline):
    src = _corpus(tmp_path / "in", n=9, bad=(1,))
    run_stream(SPEC, [src], tmp_path / "full", RunOptions(chunk_docs=2), pipe=blank_pipeline)

    seen = []

    def stop_after_two_chunks(n: int) -> None:
        seen.append(n)
        if len(seen) == 2:
            raise _Stop

    out = tmp_path / "resumed"
    with pytest.raises(_Stop):
        run_stream(SPEC, [src], out, RunOptions(chunk_docs=2), progress=stop_after_two_chunks, pipe=blank_pipeline)
    assert not out.exists() and partial_dir(out).is_dir(), "an interrupted run leaves only its partial folder"
    # A cut last line (a kill in the middle of a write) is dropped, not trusted.
    with open(partial_dir(out) / "claims.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"doc_id": "doc_0')
    stats = run_stream(SPEC, [src], out, RunOptions(chunk_docs=2, resume=True), pipe=blank_pipeline)
    assert stats.n_resumed == 3  # doc_00, doc_02, doc_03 (doc_01 failed in the first chunk)
    for name in ("claims.jsonl", "documents.jsonl", "claims.csv"):
        assert (out / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name
    assert pd.read_parquet(out / "claims.parquet").equals(pd.read_parquet(tmp_path / "full" / "claims.parquet"))
    assert sorted(p.name for p in (out / "texts").iterdir()) == sorted(p.name for p in (tmp_path / "full" / "texts").iterdir())


def test_without_resume_an_old_partial_folder_is_replaced(tmp_path, blank_pipeline):
    src = _corpus(tmp_path / "in", n=3)
    stale = partial_dir(tmp_path / "out")
    stale.mkdir()
    (stale / "junk.txt").write_text("x")
    run_stream(SPEC, [src], tmp_path / "out", pipe=blank_pipeline)
    assert not (tmp_path / "out" / "junk.txt").exists() and not stale.exists()


def test_workers_give_the_same_files(tmp_path, blank_pipeline):
    src = _corpus(tmp_path / "in", n=6)
    run_stream(SPEC, [src], tmp_path / "one", RunOptions(chunk_docs=2), pipe=blank_pipeline)
    stats = run_stream(SPEC, [src], tmp_path / "two", RunOptions(chunk_docs=2, workers=2, threads=2))
    assert stats.n_documents == 6
    for name in ("claims.jsonl", "documents.jsonl", "claims.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_a_worker_that_cannot_load_the_model_fails_the_run(tmp_path):
    # Not a hang: the Pool would restart a worker whose initializer raised, forever.
    from argmine.errors import ModelError

    src = _corpus(tmp_path / "in", n=4)
    spec = PipelineSpec(model=str(tmp_path / "no-such-model"), spacy_model="blank")
    with pytest.raises(ModelError, match="no-such-model"):
        run_stream(spec, [src], tmp_path / "out", RunOptions(chunk_docs=2, workers=2, threads=2))
    assert not (tmp_path / "out").exists()


def test_spacy_processes_give_the_same_records(tmp_path, blank_pipeline):
    from argmine.engine.stages import extract, read_items

    srcs = list(read_items(sorted(_corpus(tmp_path / "in", n=4).iterdir())))
    one, two = extract(blank_pipeline.nlp, srcs)[0], extract(blank_pipeline.nlp, srcs, batch_size=2, n_process=2)[0]
    assert [(d, c) for _, d, c in one] == [(d, c) for _, d, c in two]


def test_default_workers_follow_cores_chunks_and_memory(monkeypatch):
    from argmine.engine import workers

    monkeypatch.setattr(workers, "cores", lambda: 4)
    monkeypatch.setattr(workers, "_available_memory", lambda: 100 * workers.WORKER_BYTES)
    assert workers.default_workers(10, 32) == 1  # one chunk: a second worker would only load the models
    assert workers.default_workers(70, 32) == 3
    assert workers.default_workers(3000, 32) == 4
    monkeypatch.setattr(workers, "_available_memory", lambda: 2 * workers.WORKER_BYTES + 1)
    assert workers.default_workers(3000, 32) == 2
    monkeypatch.setattr(workers, "_available_memory", lambda: None)
    assert workers.default_workers(3000, 32) == 4
    assert workers.threads_per_worker(None, 4) == 1 and workers.threads_per_worker(8, 2) == 4
