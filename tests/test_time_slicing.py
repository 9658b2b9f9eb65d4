"""Time slicing: claim dates (claim column > document date line > metadata), --since/--until, periods,
`summary --by`, and dates in exports."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from test_inspect import make_results, make_undated_results


@pytest.fixture()
def results(tmp_path):
    return make_results(tmp_path / "res")


def _cli(*args: str):
    from typer.testing import CliRunner

    from argmine.cli import app

    return CliRunner().invoke(app, [*args])


def test_claim_dates_prefer_the_claim_column_then_the_document():
    from argmine.inspect.dates import claim_dates

    claims = pd.DataFrame({"doc_id": ["a", "a", "b"], "date": ["2020-02-03", None, None]})
    docs = pd.DataFrame({"date": ["2021-01-01", ""]}, index=pd.Index(["a", "b"], name="doc_id"))
    assert claim_dates(claims, docs).tolist() == ["2020-02-03", "2021-01-01", ""]
    assert claim_dates(claims.drop(columns="date"), docs).tolist() == ["2021-01-01", "2021-01-01", ""]


def test_bounds_periods_and_filters():
    from argmine.errors import OutputError
    from argmine.inspect.dates import filter_dates, parse_bound, period_of, period_order

    assert parse_bound("2024", "since") == "2024-01-01" and parse_bound("2024", "until") == "2024-12-31"
    assert parse_bound("2024-02", "until") == "2024-02-29" and parse_bound("2024-02-10", "since") == "2024-02-10"
    with pytest.raises(OutputError, match="YYYY-MM"):
        parse_bound("last spring", "since")
    dates = pd.Series(["2024-02-29", "2024-11-01", ""])
    assert period_of(dates, "quarter").tolist() == ["2024-Q1", "2024-Q4", "(undated)"]
    assert period_of(dates, "month").tolist() == ["2024-02", "2024-11", "(undated)"]
    assert period_order(["(undated)", "2024-Q4", "2024-Q1"]) == ["2024-Q1", "2024-Q4", "(undated)"]
    frame = pd.DataFrame({"date": dates})
    assert filter_dates(frame, "2024-03", None).index.tolist() == [1]
    assert filter_dates(frame, None, "2024-02").index.tolist() == [0]


def test_show_since_until(results):
    r = _cli("show", str(results), "--since", "2025", "-f", "json", "--columns", "claim_id,date")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert {row["date"] for row in rows} == {"2025-03-03"} and len(rows) == 4
    r = _cli("show", str(results), "--until", "2024-12-31", "-f", "csv", "--columns", "claim_id", "--sort", "-date")
    assert r.stdout.split() == ["claim_id", "beta:0000", "beta:0001", "beta:0002"]
    r = _cli("show", str(results), "--since", "soon")
    assert r.exit_code == 2 and "YYYY" in r.output


def test_summary_by_quarter_overall_and_per_actor(results):
    r = _cli("summary", str(results), "--by", "quarter", "-f", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    per = data["scenario profile and stance per quarter"]
    assert per["index"] == ["2024-Q2", "2025-Q1"]
    cols = per["columns"]
    q1 = dict(zip(cols, per["data"][1]))
    assert q1["claims"] == 4 and q1["pro"] == 2 and q1["con"] == 1 and q1["neutral"] == 1
    assert sum(q1[s] for s in ("ideal_peace", "formal_peace", "deferred_tension", "new_confrontation", "none")) == pytest.approx(1.0)
    actor = data["scenario profile and stance per actor and quarter"]
    assert ["Russia", "2024-Q2"] in actor["index"] and ["Russia", "2025-Q1"] in actor["index"]
    r = _cli("summary", str(results), "--by", "quarter")
    assert r.exit_code == 0 and "stance per quarter" in r.stdout and "per actor and quarter" in r.stdout
    r = _cli("summary", str(results), "--by", "week")
    assert r.exit_code == 2 and "month, quarter, year" in r.output
    r = _cli("summary", str(results), "--since", "2025-01-01", "-f", "json")
    assert json.loads(r.stdout)["claims per document"]["index"] == ["alpha"]


def test_summary_by_quarter_on_the_bundled_manifest_dates(tmp_path):
    """Documents whose text has no date line take the manifest's date (the bundled corpus case)."""
    results, meta = make_undated_results(tmp_path, "doc_id,date\nalpha,2023-08-30\nbeta,2023-10-02\n")
    r = _cli("summary", str(results), "--by", "quarter", "--metadata", str(meta), "-f", "json")
    assert json.loads(r.stdout)["scenario profile and stance per quarter"]["index"] == ["2023-Q3", "2023-Q4"]


def test_exports_carry_dates(results, tmp_path):
    r = _cli("export", str(results), "-f", "statements", "-o", str(tmp_path / "st.csv"))
    assert r.exit_code == 0, r.output
    st = pd.read_csv(tmp_path / "st.csv", keep_default_na=False)
    assert set(st["date"]) == {"2025-03-03", "2024-05-12"}
