"""Reliability catalogue: `annotations import` / `validate` on malformed input (issue 12, item 11).

Before, each of these was a traceback, or (for spans past the text, overlaps, unknown labels) a file
written without a word that only `validate` flagged later."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from argmine.cli import app

TEXT = "Armenia and Azerbaijan signed the treaty. Baku says peace is near."


def _ls(result: list[dict], text: str = TEXT) -> list[dict]:
    return [{"id": 1, "data": {"text": text, "doc_id": "d1"}, "annotations": [{"result": result}]}]


def _region(rid="r1", start=0, end=40, stance="pro", scenario="ideal_peace") -> list[dict]:
    span = {"start": start, "end": end}
    return [{"id": rid, "from_name": "stance", "type": "labels", "value": {**span, "labels": [stance]}},
            {"id": rid, "from_name": "scenario", "type": "choices", "value": {**span, "choices": [scenario]}}]


def _import(tmp_path, payload: str, suffix=".json", fmt="labelstudio"):
    src = tmp_path / f"export{suffix}"
    src.write_text(payload)
    out = tmp_path / "gold.jsonl"
    r = CliRunner().invoke(app, ["annotations", "import", str(src), "--out", str(out), "--format", fmt,
                                 "--annotator", "t", "--manifest", str(tmp_path / "none.csv")])
    return r, out


def test_a_good_export_still_imports(tmp_path):
    r, out = _import(tmp_path, json.dumps(_ls(_region())))
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text())["claims"][0]["end"] == 40


@pytest.mark.parametrize("payload,needle", [
    (json.dumps(_ls(_region(start=-3))), "value.start must be a non-negative integer"),
    (json.dumps(_ls(_region(end=12.5))), "value.end must be a non-negative integer"),
    (json.dumps(_ls(_region(stance="")), ), "stance '' is not in schema"),
    (json.dumps(_ls([{k: v for k, v in r.items() if k != "id"} for r in _region()])), "has no id"),
    ("{not json", "not valid JSON"),
    ("[" + "9" * 5000 + "]", "not usable JSON"),
    ("[" * 100_000 + "]" * 100_000, "not usable JSON"),
    (json.dumps(_ls(_region(end=500))), "ends past the text"),
    (json.dumps(_ls(_region("a", 0, 40) + _region("b", 20, 60))), "overlaps"),
    (json.dumps(_ls(_region(scenario="utopia"))), "scenario 'utopia' is not in schema"),
    (json.dumps(["not a task"]), "must be a JSON object"),
    (json.dumps(_ls([{"id": "r", "from_name": "stance", "value": {"start": 0, "end": 4, "labels": []}}])), "malformed"),
])
def test_labelstudio_import_refuses_with_a_clear_error(tmp_path, payload, needle):
    r, out = _import(tmp_path, payload)
    assert r.exit_code == 2, r.output
    assert needle in r.stderr and "export.json" in r.stderr
    assert "Traceback" not in r.output and not out.exists()


def test_doccano_import_refuses_bad_spans(tmp_path):
    line = {"text": TEXT, "doc_id": "d1", "label": [[0, 40, "stance:pro"], [0, 40, ""], [0, 40, "scenario:ideal_peace"]]}
    r, out = _import(tmp_path, json.dumps(line) + "\n", ".jsonl", "doccano")
    assert r.exit_code == 2 and "empty or non-text label" in r.stderr and not out.exists()
    line["label"] = [[-1, 40, "stance:pro"]]
    r, out = _import(tmp_path, json.dumps(line) + "\n", ".jsonl", "doccano")
    assert r.exit_code == 2 and "span start must be a non-negative integer" in r.stderr
    r, out = _import(tmp_path, '{"text": "x"}\n{oops\n', ".jsonl", "doccano")
    assert r.exit_code == 2 and "export.jsonl:2: not valid JSON" in r.stderr


@pytest.mark.parametrize("line,needle", [
    ("{oops", "not valid JSON"),
    ("[" + "9" * 5000 + "]", "not usable JSON"),
    ("[" * 100_000 + "]" * 100_000, "not usable JSON"),
    ("[1, 2]", "one JSON object"),
    (json.dumps({"doc_id": "d", "claims": [{"start": -1}]}), "gold.jsonl:1"),
])
def test_validate_reports_instead_of_crashing(tmp_path, line, needle):
    f = tmp_path / "gold.jsonl"
    f.write_text(line + "\n")
    r = CliRunner().invoke(app, ["annotations", "validate", str(f)])
    assert r.exit_code == 1, r.output
    assert needle in r.stderr and "Traceback" not in r.output
