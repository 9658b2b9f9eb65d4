"""docs/own-study.md, run as written: its TOML blocks are the files, its `argmine` lines the commands.

The fast test covers the schema, project file and annotation steps; the slow one trains the tiny model
and runs every command of the page, then `run --model` from a folder without a project file.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

import pytest
from study import DOCS, SCENARIOS, STANCES, make_study
from typer.testing import CliRunner

from argmine.cli import app
from argmine.schema import LabelSchema

DOC = Path(__file__).resolve().parents[1] / "docs" / "own-study.md"


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def _commands() -> list[list[str]]:
    return [shlex.split(line)[1:] for block in _blocks("bash") for line in block.splitlines() if line.startswith("argmine ")]


def _invoke(args: list[str]) -> str:
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, f"argmine {' '.join(args)}\n{r.output}"
    return r.output


@pytest.fixture()
def study(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("ARGMINE_PROJECT", raising=False)
    root = make_study(tmp_path / "river")
    monkeypatch.chdir(root)
    return root


def _annotate(study: Path, commands: list[list[str]]) -> list[list[str]]:
    """Run the page's annotation commands (anchoring every draft, as its one example does); return the rest."""
    rest = list(commands)
    while rest and rest[0][0] == "annotations":
        args = rest.pop(0)
        _invoke(args)
        if args[1] == "anchor":
            for doc_id, *_ in DOCS:
                _invoke(["annotations", "anchor", f"drafts/{doc_id}.json", "--out", f"annotations/gold/{doc_id}.jsonl"])
    return rest


def test_page_files_are_valid(study):
    project, schema, train = _blocks("toml")
    assert tomllib.loads(project) == tomllib.loads((study / "argmine.toml").read_text(encoding="utf-8"))
    page_schema = LabelSchema.loads(schema.encode(), "docs/own-study.md")
    assert page_schema.polarity == STANCES and page_schema.scenario_labels == SCENARIOS
    assert "test_docs" not in train and tomllib.loads(train)["train"]["name"] == "river"


def test_walkthrough_annotation_steps(study):
    rest = _annotate(study, _commands())
    assert rest and rest[0][0] == "run"
    gold = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((study / "annotations" / "gold").glob("*.jsonl"))]
    assert len(gold) == len(DOCS) and all(g["schema"]["name"] == "river-accord" for g in gold)
    out = _invoke(["annotations", "stats"])
    assert "| undecided | 6 |" in out


@pytest.mark.slow
def test_walkthrough_end_to_end(study, tmp_path, monkeypatch):
    (study / "train.toml").write_text(_blocks("toml")[2], encoding="utf-8")
    for args in _annotate(study, _commands()):
        _invoke(args)
    model = study / "models" / "river"
    assert (model / "schema.toml").read_text(encoding="utf-8") == (study / "schema.toml").read_text(encoding="utf-8")
    card = (model / "README.md").read_text(encoding="utf-8")
    assert "river-accord" in card and "new_confrontation" not in card
    metrics = json.loads((study / "reports" / "river" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["documents"]["scored"]
    for name in ("report.html", "statements.csv", "network.gexf"):
        assert (study / name).stat().st_size > 0
    # The model carries its schema: `run --model` from a folder with no project file needs no --schema.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    _invoke(["run", str(study / "corpus" / "texts" / "west_review.md"), "--out", "res", "--model", str(model)])
    claims = [json.loads(x) for x in (elsewhere / "res" / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    assert claims and all(c["stance"] in STANCES and c["scenario"] in SCENARIOS for c in claims)
