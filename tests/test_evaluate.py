"""`argmine evaluate` end to end on a tiny synthetic corpus (gold in tmp_path, a results folder, a manifest)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from argmine.cli import app
from argmine.reader import text_sha256
from argmine.records import ClaimRecord, DocumentRecord
from argmine.writers import write_results

SENTENCES = {
    "pro": ["Trade across the border will open soon.", "The leaders signed a transit deal.", "Joint commissions meet monthly."],
    "con": ["Troops massed along the line again.", "Spoilers reject any compromise.", "Shelling resumed near the villages."],
}


def _doc(doc_id: str, labels: list[str]) -> tuple[str, list[dict]]:
    parts, claims, pos = [], [], 0
    for i, lab in enumerate(labels):
        s = SENTENCES[lab][i % 3]
        parts.append(s)
        claims.append({"start": pos, "end": pos + len(s), "stance": lab, "scenario": "ideal_peace" if lab == "pro" else "new_confrontation",
                       "actors": ["Armenia"] if i % 2 else []})
        pos += len(s) + 1
    return " ".join(parts), claims


@pytest.fixture()
def corpus(tmp_path):
    gold_dir = tmp_path / "annotations" / "gold"
    gold_dir.mkdir(parents=True)
    docs = {"tr1": ["pro", "con", "pro", "con"], "tr2": ["con", "pro", "con", "pro"], "te1": ["pro", "con", "pro"], "only_gold": ["pro"]}
    texts = {}
    for doc_id, labels in docs.items():
        text, claims = _doc(doc_id, labels)
        texts[doc_id] = text
        rec = {"doc_id": doc_id, "text_sha256": text_sha256(text), "schema": {"name": "armenia-azerbaijan-peace", "version": "1.0.0"},
               "guidelines_version": "1.0", "annotator": "ann-a", "text": text, "claims": claims}
        (gold_dir / f"{doc_id}.jsonl").write_text(json.dumps(rec) + "\n", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    header = "doc_id,path,title,genre,vantage,date,language,origin,source,license,split\n"
    manifest.write_text(header + "".join(f"{d},x,t,g,v,2024,en,o,s,l,{'train' if d.startswith('tr') else 'test'}\n" for d in docs), encoding="utf-8")
    # The run: te1 found all three claims (one label wrong, one span shortened), tr1 one claim, plus a doc without gold.
    t = texts["te1"]
    _, gc = _doc("te1", docs["te1"])
    preds = [
        ClaimRecord(doc_id="te1", claim_id="te1:0", start=gc[0]["start"], end=gc[0]["end"], text=t[gc[0]["start"]:gc[0]["end"]],
                    stance="pro", scenario="ideal_peace", stance_scores={"pro": 0.9, "con": 0.05, "neutral": 0.05}, model="m@1"),
        ClaimRecord(doc_id="te1", claim_id="te1:1", start=gc[1]["start"], end=gc[1]["end"] - 3, text=t[gc[1]["start"]:gc[1]["end"] - 3],
                    actors=["Armenia"], stance="pro", scenario="ideal_peace", stance_scores={"pro": 0.8, "con": 0.1, "neutral": 0.1}, model="m@1"),
        ClaimRecord(doc_id="te1", claim_id="te1:2", start=gc[2]["start"], end=gc[2]["end"], text=t[gc[2]["start"]:gc[2]["end"]],
                    stance="pro", scenario="ideal_peace", stance_scores={"pro": 0.6, "con": 0.2, "neutral": 0.2}, model="m@1"),
        ClaimRecord(doc_id="tr1", claim_id="tr1:0", start=0, end=10, text=texts["tr1"][:10], stance="pro", scenario="ideal_peace", model="m@1"),
        ClaimRecord(doc_id="no_gold", claim_id="no_gold:0", start=0, end=5, text="abcde", stance="con", scenario="none", model="m@1"),
    ]
    documents = [DocumentRecord(doc_id=d, path=f"{d}.txt", format="txt", sha256="x", n_chars=10) for d in ("te1", "tr1", "no_gold")]
    write_results(tmp_path / "run", documents, preds, extra={"model": "m@1", "schema": {"hash": "deadbeef"}})
    return tmp_path


def test_evaluate_library(corpus):
    from argmine.evaluation.evaluate import evaluate

    m = evaluate(corpus / "annotations", corpus / "run", manifest=corpus / "manifest.csv", zero_shot=False, command="test")
    d = m["documents"]
    assert d["scored"] == ["te1", "tr1"]
    assert d["skipped_gold_only"] == ["only_gold", "tr2"] and d["skipped_pred_only"] == ["no_gold"]
    assert d["train_split"] == ["tr1", "tr2"] and d["held_out"] == ["te1"]
    det = m["overall"]["detection"]
    assert det["relaxed"]["tp"] == 3 and det["relaxed"]["n_gold"] == 7 and det["relaxed"]["n_pred"] == 4
    assert det["exact"]["tp"] == 2
    model = m["comparison"]["model"]
    assert model["stance"]["n"] == 3 and model["stance"]["accuracy"] == pytest.approx(2 / 3)
    # Baselines are trained on tr1+tr2 gold and label the same three held-out spans.
    assert m["comparison"]["majority"]["stance"]["n"] == 3
    assert m["comparison"]["tfidf_lr"]["status"] == "ok"
    assert not m["human_agreement"]["available"]  # no annotations/double here
    assert m["calibration"]["stance"]["n"] == 3
    assert m["errors"]["stance"][0]["confidence"] == pytest.approx(0.8) and m["errors"]["stance"][0]["gold"] == "con"
    assert m["schema"]["run_hash"] == "deadbeef" and m["warnings"]
    assert len(m["data_hash"]) == 16 and m["command"] == "test"


def test_evaluate_cli_and_readme(corpus):
    runner = CliRunner()
    out = corpus / "report"
    res = runner.invoke(app, ["evaluate", "--gold", str(corpus / "annotations"), "--pred", str(corpus / "run"), "--out", str(out),
                              "--manifest", str(corpus / "manifest.csv"), "--no-zero-shot"])
    assert res.exit_code == 0, res.output
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    for key in ("model_hash", "schema_hash", "data_hash", "command", "overall", "per_document", "comparison", "calibration"):
        assert key in metrics
    assert "argmine evaluate" in metrics["command"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "Floor to ceiling" in html
    assert "only_gold" in (out / "report.md").read_text(encoding="utf-8")  # skipped documents are named

    readme = corpus / "README.md"
    readme.write_text("# x\n\n<!-- eval:start -->\nold\n<!-- eval:end -->\ntail\n", encoding="utf-8")
    res = runner.invoke(app, ["evaluate", "readme", "--report", str(out), "--readme", str(readme)])
    assert res.exit_code == 0, res.output
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text and "claim detection (relaxed match)" in text and text.endswith("<!-- eval:end -->\ntail\n")

    bad = corpus / "NOMARK.md"
    bad.write_text("no markers\n", encoding="utf-8")
    res = runner.invoke(app, ["evaluate", "readme", "--report", str(out), "--readme", str(bad)])
    assert res.exit_code == 2 and "markers" in res.output


def test_evaluate_clear_errors(corpus, tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["evaluate", "--gold", str(corpus / "annotations"), "--pred", str(tmp_path / "missing"), "--out", str(tmp_path / "r")])
    assert res.exit_code == 2 and "claims.jsonl" in res.output
    empty = tmp_path / "other_run"
    write_results(empty, [DocumentRecord(doc_id="zzz", path="z.txt", format="txt", sha256="x", n_chars=1)], [])
    res = runner.invoke(app, ["evaluate", "--gold", str(corpus / "annotations"), "--pred", str(empty), "--out", str(tmp_path / "r"), "--no-zero-shot"])
    assert res.exit_code == 2 and "no document is in both" in res.output


def test_readme_benchmark_rows_use_metrics_and_published_figures(tmp_path):
    from argmine.evaluation.readme import evaluation_section

    ibm, kp = tmp_path / "ibm", tmp_path / "kp"
    ibm.mkdir()
    kp.mkdir()
    (ibm / "metrics.json").write_text(json.dumps({
        "benchmark": "ibm-claim-stance", "accuracy": 0.61, "macro_f1": 0.6, "selected": {"name": "finetune-target+argkp"},
        "baselines": {"tfidf_lr": {"accuracy": 0.5, "macro_f1": 0.49}, "tfidf_lr_target_argkp": {"accuracy": 0.55, "macro_f1": 0.54},
                      "majority": {"accuracy": 0.52, "macro_f1": 0.34}},
        "significance": {"tfidf_lr_target_argkp": {"accuracy": {"difference": 0.06, "ci95": [0.02, 0.1]}}},
        "wall_time_s": 10.0, "peak_memory_mb": 100.0}))
    (kp / "metrics.json").write_text(json.dumps({
        "benchmark": "argkp-2021", "map_strict": 0.8, "map_relaxed": 0.9, "wall_time_s": 5.0, "peak_memory_mb": 50.0,
        "baselines": {"zero_shot": {"map_strict": 0.7, "map_relaxed": 0.75}},
        "published": [{"system": "S1", "map_strict": 0.91, "map_relaxed": None}, {"system": "S2", "map_strict": 0.9, "map_relaxed": 0.96}]}))
    text = evaluation_section(None, [ibm, kp])
    # the bar to clear is the strongest TF-IDF variant (here the one with the auxiliary rows), not the weakest
    assert ("0.610 / 0.600 (finetune-target+argkp) | 0.550 / 0.540 (best TF-IDF+LR; accuracy +0.060, 95 % CI "
            "[0.020, 0.100] by test-topic bootstrap)") in text
    assert "0.910 strict: S1; 0.900 / 0.960: S2" in text


def test_evaluate_reports_real_and_written_test_apart(corpus):
    """Test documents are scored per origin (real texts vs written corpus) for every system, side by side."""
    from argmine.evaluation.evaluate import evaluate
    from argmine.evaluation.groups import test_groups
    from argmine.evaluation.evaluate_report import group_table
    from argmine.evaluation.metrics import actor_counts

    man = corpus / "manifest.csv"
    man.write_text(man.read_text().replace("te1,x,t,g,v,2024,en,o,", "te1,x,t,g,v,2024,en,third-party-real,"), encoding="utf-8")
    m = evaluate(corpus / "annotations", corpus / "run", manifest=man, zero_shot=False, command="test")
    groups = m["test_groups"]
    assert list(groups) == ["real_test"] and groups["real_test"]["documents"] == ["te1"]
    assert groups["real_test"]["systems"]["model"]["stance"]["n"] == 3
    assert groups["real_test"]["systems"]["model"]["stance"] == m["comparison"]["model"]["stance"]  # te1 is all that is held out
    header, rows = group_table(m)
    assert header[1] == "real-text test stance macro-F1" and rows[0][0] == "model (this run)"
    assert rows[-1][0].startswith("human agreement")
    errs = groups["real_test"]["errors"]
    by_genre = errs["by_genre"]["g"]
    actors = by_genre.pop("actors")
    assert by_genre == {"claims": 3, "stance_errors": 1, "scenario_errors": 1, "stance_error_rate": 1 / 3, "scenario_error_rate": 1 / 3}
    # actor pairs per genre on the matched claims: the same counts as the group's overall actor figures
    pairs = m["_held_pairs"]
    assert (actors["tp"], actors["n_pred"], actors["n_gold"]) == actor_counts([(g.actors, p.actors) for g, p in pairs])
    assert [e["text"] for e in errs["confident"]["stance"]] == [m["_held_pairs"][1][1].text]
    from argmine.evaluation.evaluate_report import write

    write(m, corpus / "report")
    md = (corpus / "report" / "report.md").read_text(encoding="utf-8")
    assert "Errors on the real-text test (1 documents)" in md and "stance error rate" in md and "actors P" in md
    # a written test document goes to its own group; a train document to none
    split = {"a": "test", "b": "test", "c": "train"}
    assert test_groups(["a", "b", "c"], split, {"a": "third-party-real", "b": "written"}) == {"real_test": ["a"], "written_test": ["b"]}
