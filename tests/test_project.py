"""The schema drives the labels and travels with the data: polarity, the project file, schema resolution,
minimal manifests, and commands that refuse labels their schema lacks."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from study import SCHEMA, STANCES, make_study
from typer.testing import CliRunner

from argmine.cli import app
from argmine.errors import AnnotationError, SchemaError
from argmine.project import find_project, resolve_schema
from argmine.schema import LabelSchema

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def no_project(tmp_path, monkeypatch) -> Path:
    """A working folder with no argmine.toml here or above and no $ARGMINE_PROJECT."""
    monkeypatch.delenv("ARGMINE_PROJECT", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture()
def study(tmp_path, no_project) -> Path:
    return make_study(tmp_path / "study")


# --- the schema ------------------------------------------------------------------------------------


def test_polarity_and_none_come_from_the_schema(tmp_path):
    (tmp_path / "s.toml").write_text(SCHEMA, encoding="utf-8")
    s = LabelSchema.load(tmp_path / "s.toml")
    assert s.polarity == STANCES and s.none_scenario == "none_of_these"
    assert s.compatible("favour", "s_a") and not s.compatible("favour", "s_b") and s.compatible("undecided", "s_b")
    default = LabelSchema.load(None)
    assert sorted(default.polarity.values()) == [-1, 0, 1] and default.none_scenario is not None


def test_schema_errors_say_how_to_fix(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(SCHEMA.replace("polarity = -1\n", "", 1), encoding="utf-8")
    with pytest.raises(SchemaError, match=r"bad.toml: stance.1.polarity: .*polarity = 1 \(for the topic\), -1"):
        LabelSchema.load(bad)
    bad.write_text(SCHEMA.replace('scenarios = ["s_b", "none_of_these"]', 'scenarios = ["s_z"]'), encoding="utf-8")
    with pytest.raises(SchemaError, match=r"stance\[1\] \('against'\): scenarios \['s_z'\] are not \[\[scenarios\]\] labels"):
        LabelSchema.load(bad)
    bad.write_text(SCHEMA.replace("polarity = 1\n", "polarity = 2\n"), encoding="utf-8")
    with pytest.raises(SchemaError, match="polarity"):
        LabelSchema.load(bad)


def test_schema_record_round_trips_with_its_hash(tmp_path):
    (tmp_path / "s.toml").write_text(SCHEMA, encoding="utf-8")
    s = LabelSchema.load(tmp_path / "s.toml")
    assert s.hash == hashlib.sha256(SCHEMA.encode()).hexdigest()[:16]
    back = LabelSchema.from_record(json.loads(json.dumps(s.record())), "run.json")
    assert back is not None and (back.hash, back.stance_labels, back.polarity) == (s.hash, s.stance_labels, s.polarity)
    assert LabelSchema.from_record({"name": "old", "version": "1", "hash": "x"}, "run.json") is None


def test_check_labels_names_the_schema():
    s = LabelSchema.load(None)
    s.check_labels("stance", ["pro", None, float("nan")])
    with pytest.raises(SchemaError, match=r"x.jsonl: stance labels \['support'\] are not in schema 'armenia-azerbaijan-peace' \(<packaged>"):
        s.check_labels("stance", ["pro", "support"], where="x.jsonl")


# --- the project file ------------------------------------------------------------------------------


def test_project_file_is_found_walking_up_and_env_overrides(study, monkeypatch):
    deep = study / "corpus" / "texts"
    monkeypatch.chdir(deep)
    project = find_project()
    assert project is not None and project.file.resolve() == (study / "argmine.toml").resolve()
    assert project.schema == (study / "schema.toml").resolve() and project.manifest == (study / "corpus" / "manifest.csv").resolve()
    assert resolve_schema().name == "river-accord"
    other = study.parent / "other"
    other.mkdir()
    (other / "argmine.toml").write_text(f'schema = "{ROOT / "pipeline/schemas/armenia_azerbaijan.toml"}"\n', encoding="utf-8")
    monkeypatch.setenv("ARGMINE_PROJECT", str(other))  # a folder holding argmine.toml, or the file itself
    assert resolve_schema().name == "armenia-azerbaijan-peace"
    monkeypatch.setenv("ARGMINE_PROJECT", str(other / "nope.toml"))
    with pytest.raises(SchemaError, match="ARGMINE_PROJECT=.*nope.toml: no project file there"):
        find_project()


def test_project_file_errors_name_the_key(no_project):
    (no_project / "argmine.toml").write_text('schema = "s.toml"\ncorpra = "x"\n', encoding="utf-8")
    with pytest.raises(SchemaError, match="argmine.toml: corpra: Extra inputs.*keys are schema, corpus"):
        find_project()


def test_this_repository_names_its_study():
    from argmine.project import load_project

    project = load_project(ROOT / "argmine.toml")
    assert LabelSchema.load(project.schema).hash == LabelSchema.load(None).hash
    assert project.corpus == ROOT / "corpus" / "texts" and project.annotations == ROOT / "annotations"
    assert project.manifest == ROOT / "corpus" / "manifest.csv" and project.test_docs == ("khar_2025_peace_viability",)


def test_schema_resolution_order(study, no_project, monkeypatch):
    model = no_project / "model"
    model.mkdir()
    (model / "schema.toml").write_text(SCHEMA, encoding="utf-8")
    assert resolve_schema(None).name == "armenia-azerbaijan-peace"  # nothing named: the packaged default
    assert resolve_schema(None, model).name == "river-accord"  # the model's own schema
    assert resolve_schema(None, "zero-shot").name == "armenia-azerbaijan-peace"
    monkeypatch.chdir(study)
    assert resolve_schema(None, model).name == "river-accord"  # project and model agree
    default = ROOT / "pipeline" / "schemas" / "armenia_azerbaijan.toml"
    assert resolve_schema(default, model).name == "armenia-azerbaijan-peace"  # the option wins
    (study / "argmine.toml").write_text(f'schema = "{default}"\n', encoding="utf-8")
    with pytest.raises(SchemaError, match="names schema 'armenia-azerbaijan-peace'.*trained on schema 'river-accord'.*--schema"):
        resolve_schema(None, model)


def test_training_config_takes_manifest_and_test_docs_from_the_project(study, monkeypatch, tmp_path):
    from argmine.cli.common import with_project
    from argmine.model.config import TrainConfig

    assert TrainConfig().test_docs == [] and with_project(TrainConfig()).test_docs == []  # no project: nothing inherited
    monkeypatch.chdir(study)
    cfg = with_project(TrainConfig())
    assert cfg.manifest == str((study / "corpus" / "manifest.csv").resolve()) and cfg.test_docs == []
    (study / "argmine.toml").write_text('manifest = "m.csv"\ntest_docs = ["west_review"]\n', encoding="utf-8")
    assert with_project(TrainConfig()).test_docs == ["west_review"]
    (tmp_path / "c.toml").write_text('[train]\nmanifest = "own.csv"\ntest_docs = []\n', encoding="utf-8")
    own = with_project(TrainConfig.load(tmp_path / "c.toml"))  # what a config file names wins
    assert (own.manifest, own.test_docs) == ("own.csv", [])


# --- manifests and annotation statistics -----------------------------------------------------------


def test_minimal_manifest(tmp_path):
    from argmine.annotations.loader import load_manifest

    (tmp_path / "m.csv").write_text("doc_id,split\na,train\nb,test\n", encoding="utf-8")
    m = load_manifest(tmp_path / "m.csv")
    assert {k: v.split for k, v in m.items()} == {"a": "train", "b": "test"} and m["a"].genre == ""
    (tmp_path / "m.csv").write_text("path,split\ntexts/a.md,train\n", encoding="utf-8")
    assert list(load_manifest(tmp_path / "m.csv")) == ["a"]
    (tmp_path / "m.csv").write_text("doc_id,genre\na,op_ed\n", encoding="utf-8")
    with pytest.raises(AnnotationError, match="needs a doc_id \\(or path\\) column and a split column"):
        load_manifest(tmp_path / "m.csv")


def _anchor_all(study: Path) -> None:
    runner = CliRunner()
    for draft in sorted((study / "drafts").glob("*.json")):
        r = runner.invoke(app, ["annotations", "anchor", str(draft), "--out", str(study / "annotations" / "gold" / f"{draft.stem}.jsonl")])
        assert r.exit_code == 0, r.output


def test_stats_uses_the_project_schema_and_refuses_another(study, monkeypatch):
    monkeypatch.chdir(study)
    _anchor_all(study)
    runner = CliRunner()
    r = runner.invoke(app, ["annotations", "stats"])
    assert r.exit_code == 0, r.output
    assert "| favour | 8 |" in r.output and "| against | 7 |" in r.output and "genre" not in r.output
    monkeypatch.chdir(study.parent)  # outside the study: no project file, so the packaged default schema
    r = runner.invoke(app, ["annotations", "stats", str(study / "annotations"), "--manifest", str(study / "corpus" / "manifest.csv")])
    assert r.exit_code == 2
    assert "stance labels ['against', 'favour', 'undecided'] are not in schema 'armenia-azerbaijan-peace'" in r.output
    assert "pro 0" not in r.output and "| pro |" not in r.output
