"""The pipeline end to end on a blank spaCy model: claims, offsets and the results folder."""

import json

import pandas as pd
import pytest
from conftest import SAMPLE
from typer.testing import CliRunner

from argmine import load_dataset, load_results
from argmine.cli import app


def test_claims_offsets_and_filters(tmp_path, blank_pipeline):
    f = tmp_path / "talks.md"
    f.write_text(SAMPLE, encoding="utf-8")
    res = blank_pipeline.run([f])
    assert not res.failures
    texts = [c.text for c in res.claims]
    assert texts == [
        "Armenia and Azerbaijan have agreed on a border commission.",
        "Critics say it moves too slowly.",
        "The commission should meet monthly.",
        "Both sides must publish maps.",
    ]
    for c in res.claims:
        assert SAMPLE[c.start : c.end] == c.text
        assert c.model == "placeholder-uniform" and c.stance is None
        assert abs(sum(c.stance_scores.values()) - 1) < 1e-9
    assert res.claims[2].list_item and res.claims[0].section == "Why it matters"
    doc = res.documents[0]
    assert (doc.title, doc.author, doc.date, doc.n_claims, doc.n_references) == ("Talks at the Border", "Ana Test", "2025-03-03", 4, 1)  # ISO 8601 on the document row


def test_seed_offsets_round_trip(seed_text, blank_pipeline, tmp_path):
    from conftest import SEED

    res = blank_pipeline.run([SEED])
    assert len(res.claims) > 80
    for c in res.claims:
        assert seed_text[c.start : c.end] == c.text
    # no claim inside a heading, byline, meta line or reference entry
    doc = res.documents[0]
    banned = [(s.start, s.end) for s in doc.segments if s.kind not in ("paragraph", "list_item")]
    for c in res.claims:
        assert not any(s <= c.start < e for s, e in banned), c.text


def test_cli_writes_all_tables_and_they_round_trip(tmp_path):
    f = tmp_path / "in" / "talks.md"
    f.parent.mkdir()
    f.write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["run", str(f.parent), "--out", str(out), "--spacy-model", "blank", "--model", "placeholder"])
    assert r.exit_code == 0, r.output
    assert "placeholder" in r.output
    rows = [json.loads(line) for line in (out / "claims.jsonl").read_text().splitlines()]
    pq = pd.read_parquet(out / "claims.parquet")
    csv = pd.read_csv(out / "claims.csv")
    assert len(rows) == len(pq) == len(csv) == 4
    assert list(pq["claim_id"]) == [r["claim_id"] for r in rows] == list(csv["claim_id"])
    assert list(pq["start"]) == [r["start"] for r in rows]
    df = load_results(out)
    assert list(df["text"]) == [r["text"] for r in rows]
    ds = load_dataset(out)
    assert ds.num_rows == 4 and ds[0]["doc_id"] == "talks"
    docs = [json.loads(line) for line in (out / "documents.jsonl").read_text().splitlines()]
    assert docs[0]["sha256"] and docs[0]["n_claims"] == 4
    # The default, "auto", is resolved once for the machine and recorded (README, Scale).
    from argmine.model.precision import resolve_precision

    assert json.loads((out / "run.json").read_text())["precision"] == resolve_precision("auto") in ("bf16", "fp32")


def test_existing_output_refused_without_overwrite(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Armenia and Azerbaijan talk. They agree on maps.\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    r = CliRunner().invoke(app, ["run", str(f), "--out", str(out), "--spacy-model", "blank", "--model", "placeholder"])
    assert r.exit_code == 2 and "--overwrite" in r.output
    assert (out / "keep.txt").exists()
    r = CliRunner().invoke(app, ["run", str(f), "--out", str(out), "--spacy-model", "blank", "--overwrite", "--model", "placeholder"])
    assert r.exit_code == 0, r.output
    assert not (out / "keep.txt").exists() and (out / "claims.jsonl").exists()


def test_interrupted_write_leaves_nothing(tmp_path, monkeypatch, blank_pipeline):
    from argmine import writers

    f = tmp_path / "a.txt"
    f.write_text("Armenia and Azerbaijan talk. They agree on maps.\n", encoding="utf-8")
    res = blank_pipeline.run([f])

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_parquet", boom)
    with pytest.raises(KeyboardInterrupt):
        writers.write_results(tmp_path / "out", res.documents, res.claims)
    assert not (tmp_path / "out").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]
