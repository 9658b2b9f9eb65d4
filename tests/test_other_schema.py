"""A second schema whose labels share no name with the default: run, show, summary, report and export.

The zero-shot classifier labels claims with any schema, so no training is needed. The results folder
records its schema (run.json), so the inspect commands run from another folder, without --schema.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import networkx as nx
import pytest
from study import SCENARIOS, STANCES, make_study
from typer.testing import CliRunner

from argmine.cli import app

DEFAULT_LABELS = ("pro", "con", "neutral", "ideal_peace", "formal_peace", "deferred_tension", "new_confrontation")


@pytest.fixture(scope="module")
def study_run(tmp_path_factory) -> tuple[Path, Path, str]:
    """`argmine run --model zero-shot` inside the study (its argmine.toml names schema and corpus)."""
    root = make_study(tmp_path_factory.mktemp("study"))
    mp = pytest.MonkeyPatch()
    mp.delenv("ARGMINE_PROJECT", raising=False)
    mp.chdir(root)
    try:
        r = CliRunner().invoke(app, ["run", "--out", "results", "--model", "zero-shot", "--spacy-model", "blank"])
    finally:
        mp.undo()
    assert r.exit_code == 0, r.output
    return root, root / "results", r.output


@pytest.fixture()
def elsewhere(study_run, tmp_path, monkeypatch) -> Path:
    """The results folder, seen from a folder with no argmine.toml here or above."""
    monkeypatch.delenv("ARGMINE_PROJECT", raising=False)
    monkeypatch.chdir(tmp_path)
    return study_run[1]


def _claims(results: Path) -> list[dict]:
    return [json.loads(line) for line in (results / "claims.jsonl").read_text(encoding="utf-8").splitlines()]


def test_run_uses_the_project_schema_and_records_it(study_run):
    root, results, output = study_run
    claims = _claims(results)
    assert len(claims) >= 15
    assert {c["stance"] for c in claims} <= set(STANCES) and {c["scenario"] for c in claims} <= set(SCENARIOS)
    assert all(set(c["stance_scores"]) == set(STANCES) for c in claims)
    assert "stance (favour/against/undecided)" in output and "pro/con" not in output
    run = json.loads((results / "run.json").read_text(encoding="utf-8"))
    assert run["schema"]["name"] == "river-accord"
    assert run["schema"]["toml"] == (root / "schema.toml").read_text(encoding="utf-8")
    assert run["inputs"] == [str(root / "corpus" / "texts")]


def test_show_and_summary_read_the_recorded_schema(elsewhere):
    runner = CliRunner()
    r = runner.invoke(app, ["show", str(elsewhere), "--format", "json", "--columns", "claim_id,stance,scenario,actors"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert rows and {row["stance"] for row in rows} <= set(STANCES)
    r = runner.invoke(app, ["show", str(elsewhere), "--actor", "Northia", "--format", "csv"])
    assert r.exit_code == 0 and "Northia" in r.output
    r = runner.invoke(app, ["summary", str(elsewhere), "--format", "json"])
    assert r.exit_code == 0, r.output
    parts = json.loads(r.output)
    cross = parts["stance × scenario"]
    assert set(cross["columns"]) - {"total"} <= set(SCENARIOS)
    assert set(cross["index"]) - {"total"} <= set(STANCES)
    profile = parts["scenario profile per document"]
    assert {"s_a", "s_b", "none_of_these", "leaning"} <= set(profile["columns"])
    leaning = [row[profile["columns"].index("leaning")] for row in profile["data"]]
    assert set(leaning) <= set(SCENARIOS) | {""}
    r = runner.invoke(app, ["summary", str(elsewhere)])
    assert r.exit_code == 0 and not any(f" {label} " in r.output for label in DEFAULT_LABELS)


def test_report_styles_the_schema_labels(elsewhere, tmp_path):
    r = CliRunner().invoke(app, ["report", str(elsewhere), "--out", str(tmp_path / "r.html")])
    assert r.exit_code == 0, r.output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    payload = json.loads(html.split('<script type="application/json" id="payload">', 1)[1].split("</script>", 1)[0])
    assert payload["labels"] == {"stance": list(STANCES), "scenario": list(SCENARIOS)}
    # Stance colours follow polarity (green for, red against, grey neither), not the label names.
    by_polarity = {1: "#2e9e5b", -1: "#d6453d", 0: "#9aa0a6"}
    assert payload["colours"]["stance"] == {label: by_polarity[sign] for label, sign in STANCES.items()}
    assert payload["colours"]["scenario"]["none_of_these"] == "#b9bec4"  # the schema's none label is grey
    for i, label in enumerate(STANCES):
        assert f"--st-{i}: {payload['colours']['stance'][label]};" in html
    assert payload["claims"]["id"] and payload["charts"]  # nothing empty
    labels_used = json.dumps([payload["labels"], payload["colours"], payload["charts"], payload["actor_table"]])
    assert not any(f'"{label}"' in labels_used for label in DEFAULT_LABELS)


def test_exports_carry_agreement_by_polarity(elsewhere, tmp_path):
    runner = CliRunner()
    by_claim = {c["claim_id"]: c for c in _claims(elsewhere)}
    out = {}
    for fmt in ("statements", "dna", "graphml", "gexf", "csv"):
        out[fmt] = tmp_path / f"x.{fmt}"
        r = runner.invoke(app, ["export", str(elsewhere), "--format", fmt, "--out", str(out[fmt])])
        assert r.exit_code == 0, r.output
    with open(out["statements"], encoding="utf-8") as fh:
        statements = list(csv.DictReader(fh))
    assert statements
    for st in statements:
        stance = by_claim[st["claim_id"]]["stance"]
        assert st["agreement"] == stance and int(st["agreement_value"]) == STANCES[stance]
    # The DNA 3 database: its integer agreement is the stance's polarity, its `stance` the label.
    db = sqlite3.connect(out["dna"])
    rows = db.execute("""
        SELECT (SELECT e.Value FROM DATASHORTTEXT t JOIN ENTITIES e ON e.ID=t.Entity JOIN VARIABLES v ON v.ID=t.VariableId
                WHERE t.StatementId=s.ID AND v.Variable='stance'),
               (SELECT i.Value FROM DATAINTEGER i JOIN VARIABLES v ON v.ID=i.VariableId WHERE i.StatementId=s.ID AND v.Variable='agreement')
        FROM STATEMENTS s""").fetchall()
    db.close()
    assert len(rows) == len(statements)
    assert {stance for stance, _ in rows} <= set(STANCES)
    assert all(agreement == STANCES[stance] for stance, agreement in rows)
    # Network edges: agreement = mean polarity of the statements linking the actor to the scenario.
    expected: dict[tuple[str, str], list[int]] = {}
    for st in statements:
        if st["actor"] and st["concept"]:
            expected.setdefault((st["actor"], st["concept"]), []).append(STANCES[st["agreement"]])
    assert expected
    with open(out["csv"], encoding="utf-8") as fh:
        edges = {(e["source"], e["target"]): e for e in csv.DictReader(fh)}
    assert set(edges) == set(expected)
    for key, values in expected.items():
        assert float(edges[key]["agreement"]) == pytest.approx(sum(values) / len(values), abs=1e-4)
        assert sum(int(edges[key][f"n_{s}"]) for s in STANCES) == len(values)
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        g = read(out[fmt])
        got = {(g.nodes[u]["label"], g.nodes[v]["label"]): d["agreement"] for u, v, d in g.edges(data=True)}
        got = {(a, b) if (a, b) in expected else (b, a): v for (a, b), v in got.items()}
        assert got == pytest.approx({k: sum(v) / len(v) for k, v in expected.items()}, abs=1e-4)


def test_labelstudio_export_offers_the_recorded_labels(elsewhere, tmp_path):
    r = CliRunner().invoke(app, ["annotations", "export", str(elsewhere), "--format", "labelstudio", "--out", str(tmp_path / "t.json")])
    assert r.exit_code == 0, r.output
    config = (tmp_path / "t.config.xml").read_text(encoding="utf-8")
    assert all(f'value="{label}"' in config for label in [*STANCES, *SCENARIOS]) and 'value="pro"' not in config


def test_default_schema_refuses_these_labels(elsewhere):
    """Forcing the default schema on this run names the schema instead of printing zeros."""
    r = CliRunner().invoke(app, ["summary", str(elsewhere), "--schema", "/nonexistent.toml"])
    assert r.exit_code == 2 and "schema file not found" in r.output
    from argmine.schema import DEFAULT_SCHEMA

    packaged = Path(__file__).resolve().parents[1] / "pipeline" / "schemas" / DEFAULT_SCHEMA
    r = CliRunner().invoke(app, ["export", str(elsewhere), "--format", "dna", "--out", "x.csv", "--schema", str(packaged)])
    assert r.exit_code == 2
    assert "are not in schema 'armenia-azerbaijan-peace'" in r.output and "--schema" in r.output


def test_export_values_follow_polarity_not_names(tmp_path):
    """Hand-set labels covering every polarity: the same claims as test_inspect's, renamed."""
    from test_inspect import make_results

    from argmine.inspect.export import network, statements
    from argmine.inspect.tables import load_view
    from argmine.writers import read_claims, read_documents, write_results

    rename = {"pro": "favour", "con": "against", "neutral": "undecided", "ideal_peace": "s_a", "formal_peace": "s_a",
              "deferred_tension": "s_b", "new_confrontation": "s_b", "none": "none_of_these"}
    src = make_results(tmp_path / "src")
    claims = []
    for c in read_claims(src):
        merged = {"stance_scores": {}, "scenario_scores": {}}
        for key in merged:
            for label, p in getattr(c, key).items():
                merged[key][rename[label]] = merged[key].get(rename[label], 0.0) + p
        claims.append(c.model_copy(update={"stance": rename[c.stance], "scenario": rename[c.scenario], **merged}))
    make_study(tmp_path / "study")
    from argmine.schema import LabelSchema

    schema = LabelSchema.load(tmp_path / "study" / "schema.toml")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (src / "texts").glob("*.txt")}
    out = write_results(tmp_path / "renamed", read_documents(src), claims, texts=texts, overwrite=True,
                        extra={"model": "hand-set", "schema": schema.record()})
    view = load_view(out)
    st = statements(view)
    assert set(zip(st["agreement"], st["agreement_value"])) == {("favour", 1), ("against", -1), ("undecided", 0)}
    g = network(view)
    russia = g.edges["actor:Russia", "scenario:s_b"]
    assert (russia["weight"], russia["agreement"], russia["n_against"], russia["n_favour"]) == (2, -1.0, 2, 0)
    armenia = g.edges["actor:Armenia", "scenario:none_of_these"]
    assert (armenia["agreement"], armenia["n_undecided"]) == (0.0, 1)
    assert g.edges["actor:Armenia", "scenario:s_a"]["agreement"] == 1.0
