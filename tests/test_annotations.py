"""Annotation files: loading, validation errors, agreement, and Label Studio / doccano round trips."""

import json

import pytest
from typer.testing import CliRunner

from argmine.annotations.agreement import agreement, agreement_by, grouped_markdown
from argmine.annotations.doccano import from_doccano, to_doccano
from argmine.annotations.labelstudio import from_labelstudio, labelstudio_config, to_labelstudio
from argmine.annotations.loader import load_gold
from argmine.annotations.validate import json_schema, validate_paths
from argmine.cli import app
from argmine.errors import AnnotationError
from argmine.reader import text_sha256
from argmine.schema import LabelSchema

TEXT = (
    "Peace Talks\n"
    "Baku and Yerevan agreed on a border commission. Russia fears losing its role, while Turkey welcomes the deal.\n"
    "Spoilers could still derail the agreement.\n"
)
C1 = TEXT.index("Baku")
C1E = TEXT.index("commission.") + len("commission.")
C2 = TEXT.index("Russia fears")
C2E = TEXT.index("role") + len("role")
C3 = TEXT.index("Turkey welcomes")
C3E = TEXT.index("deal.") + len("deal.")
C4 = TEXT.index("Spoilers")
C4E = len(TEXT) - 1


def record(claims, annotator="ann-x", **over):
    rec = {
        "format": "argmine-annotation/1",
        "doc_id": "talks",
        "source": "talks.txt",
        "text_sha256": text_sha256(TEXT),
        "schema": {"name": "armenia-azerbaijan-peace", "version": "1.0.0"},
        "guidelines_version": "1.0",
        "annotator": annotator,
        "claims": claims,
    }
    rec.update(over)
    return rec


GOLD_CLAIMS = [
    {"start": C1, "end": C1E, "stance": "pro", "scenario": "ideal_peace", "actors": ["Azerbaijan", "Armenia"]},
    {"start": C2, "end": C2E, "stance": "con", "scenario": "deferred_tension", "actors": ["Russia"], "speaker": "Russia", "claim_type": "assessment"},
    {"start": C3, "end": C3E, "stance": "pro", "scenario": "ideal_peace", "actors": ["Turkey"], "speaker": "Turkey"},
    {"start": C4, "end": C4E, "stance": "con", "scenario": "new_confrontation", "actors": [], "claim_type": "prediction", "hedged": True},
]


@pytest.fixture()
def folder(tmp_path):
    (tmp_path / "talks.txt").write_text(TEXT, encoding="utf-8")
    return tmp_path


def write(path, *records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_load_gold_joins_text(folder):
    f = write(folder / "gold.jsonl", record(GOLD_CLAIMS))
    docs = load_gold(f, root=folder)
    assert [c.text for c in docs[0].claims][0] == "Baku and Yerevan agreed on a border commission."
    assert docs[0].claims[3].hedged and docs[0].claims[1].speaker == "Russia"


@pytest.mark.parametrize(
    "mutate,needle",
    [
        (lambda r: r["claims"].append({"start": C1 + 3, "end": C1E, "stance": "pro", "scenario": "none"}), "overlaps the claim starting at"),
        (lambda r: r["claims"].append({"start": len(TEXT) + 5, "end": len(TEXT) + 9, "stance": "pro", "scenario": "none"}), "ends past the text"),
        (lambda r: r["claims"][0].update(stance="positive"), "stance 'positive' is not in schema"),
        (lambda r: r["claims"][0].update(scenario="utopia"), "scenario 'utopia' is not in schema"),
        (lambda r: r.update(text_sha256="0" * 64), "text_sha256 does not match"),
        (lambda r: r.pop("annotator"), "'annotator' is a required property"),
        (lambda r: r["claims"][0].update(colour="red"), "Additional properties are not allowed"),
        (lambda r: r.update(source="missing.txt"), "not found"),
    ],
)
def test_validation_errors_name_file_line_doc_offset(folder, mutate, needle):
    rec = record([dict(c) for c in GOLD_CLAIMS])
    mutate(rec)
    f = write(folder / "bad.jsonl", record(GOLD_CLAIMS, annotator="ok", doc_id="other") | {"doc_id": "other"}, rec)
    problems = [p for p in validate_paths([f], LabelSchema.load(), root=folder) if p.level == "error"]
    assert problems, "expected an error"
    assert any(needle in p.message for p in problems), [str(p) for p in problems]
    p = next(p for p in problems if needle in p.message)
    assert p.file.endswith("bad.jsonl") and p.line == 2 and p.doc_id in ("talks", None)


def test_invalid_json_line(folder):
    f = folder / "broken.jsonl"
    f.write_text(json.dumps(record(GOLD_CLAIMS)) + "\n{not json\n", encoding="utf-8")
    problems = validate_paths([f], LabelSchema.load(), root=folder)
    assert [(p.line, "not valid JSON" in p.message) for p in problems] == [(2, True)]
    with pytest.raises(AnnotationError, match="broken.jsonl:2"):
        load_gold(f, root=folder)


def test_validate_cli_exit_codes(folder, monkeypatch):
    monkeypatch.chdir(folder)
    write(folder / "good.jsonl", record(GOLD_CLAIMS))
    r = CliRunner().invoke(app, ["annotations", "validate", "good.jsonl"])
    assert r.exit_code == 0 and "0 errors" in r.output
    write(folder / "bad.jsonl", record([{**GOLD_CLAIMS[0], "stance": "maybe"}]))
    r = CliRunner().invoke(app, ["annotations", "validate", "bad.jsonl"])
    assert r.exit_code == 1 and "bad.jsonl:1 doc talks @" in r.output


def test_packaged_json_schema_is_current():
    from importlib import resources

    packaged = json.loads((resources.files("argmine.schemas") / "argmine-annotation-1.schema.json").read_text())
    assert packaged == json_schema(), "regenerate pipeline/schemas/argmine-annotation-1.schema.json from json_schema()"


def _same(a, b):
    key = lambda c: (c.start, c.end, c.stance, c.scenario, tuple(c.actors), c.speaker, c.claim_type, bool(c.hedged))  # noqa: E731
    assert [key(c) for c in a] == [key(c) for c in b]


def test_labelstudio_round_trip(folder):
    docs = load_gold(write(folder / "g.jsonl", record(GOLD_CLAIMS)), root=folder)
    tasks = to_labelstudio([(d.doc_id, d.text, d.claims) for d in docs], "gold", as_annotations=True)
    # what Label Studio's JSON export looks like: the same tasks with ids and annotation metadata
    exported = json.loads(json.dumps([{**t, "id": 7, "annotations": [{**t["annotations"][0], "id": 1, "completed_by": 1}]} for t in tasks]))
    back = from_labelstudio(exported, LabelSchema.load(), "ann-ls", "1.0", sources={"talks": "talks.txt"})
    assert back[0].text_sha256 == docs[0].record.text_sha256 and back[0].source == "talks.txt"
    _same(back[0].claims, docs[0].record.claims)
    assert "<Labels name=\"stance\"" in labelstudio_config(LabelSchema.load())


def test_labelstudio_predictions_import(folder):
    docs = load_gold(write(folder / "g.jsonl", record(GOLD_CLAIMS)), root=folder)
    tasks = to_labelstudio([(d.doc_id, d.text, d.claims) for d in docs], "m1")
    assert "predictions" in tasks[0] and tasks[0]["predictions"][0]["model_version"] == "m1"
    back = from_labelstudio(tasks, LabelSchema.load(), "ann-ls", "1.0")
    _same(back[0].claims, docs[0].record.claims)


def test_doccano_round_trip(folder):
    docs = load_gold(write(folder / "g.jsonl", record(GOLD_CLAIMS)), root=folder)
    lines = to_doccano([(d.doc_id, d.text, d.claims) for d in docs])
    back = from_doccano(json.loads(json.dumps(lines)), LabelSchema.load(), "ann-dc", "1.0", keep_text=True)
    _same(back[0].claims, docs[0].record.claims)
    assert back[0].text == TEXT
    # doccano's newer export shape ("entities") reads the same
    ents = [{"text": TEXT, "doc_id": "talks", "entities": [{"start_offset": s, "end_offset": e, "label": lab} for s, e, lab in lines[0]["label"]]}]
    _same(from_doccano(ents, LabelSchema.load(), "ann-dc", "1.0")[0].claims, docs[0].record.claims)


def test_agreement_perfect_and_disagreeing(folder):
    a = load_gold(write(folder / "a.jsonl", record(GOLD_CLAIMS)), root=folder)
    same = agreement(a, a)
    assert same.detection_f1 == 1.0 and same.matched == 4
    by = {f.field.split()[0]: f for f in same.fields}
    assert by["stance"].kappa == pytest.approx(1.0) and by["scenario"].alpha == pytest.approx(1.0)
    other = [dict(c) for c in GOLD_CLAIMS[:3]]
    other[0]["stance"] = "neutral"
    b = load_gold(write(folder / "b.jsonl", record(other, annotator="ann-y")), root=folder)
    rep = agreement(a, b)
    assert rep.matched == 3 and rep.detection_f1 == pytest.approx(2 * 1 * 0.75 / 1.75)
    st = next(f for f in rep.fields if f.field.startswith("stance"))
    assert st.n == 3 and st.observed == pytest.approx(2 / 3) and st.kappa < 1

    # macro-F1 of B against A: stance gold (pro, con, pro) vs (neutral, con, pro)
    from sklearn.metrics import f1_score

    assert st.macro_f1 == pytest.approx(f1_score(["pro", "con", "pro"], ["neutral", "con", "pro"], average="macro"))
    assert same.fields[0].macro_f1 != same.fields[0].macro_f1  # detection: no macro-F1 (NaN)


def test_agreement_by_group_reports_each_group_apart(folder):
    """--by origin: one report per manifest group; a document missing from the manifest is 'unlisted'."""
    (folder / "other.txt").write_text(TEXT, encoding="utf-8")
    a = load_gold(write(folder / "a.jsonl", record(GOLD_CLAIMS), record(GOLD_CLAIMS, doc_id="other", source="other.txt")), root=folder)
    changed = [dict(c) for c in GOLD_CLAIMS]
    changed[0]["stance"] = "neutral"
    b = load_gold(write(folder / "b.jsonl", record(GOLD_CLAIMS, annotator="ann-y"),
                        record(changed, annotator="ann-y", doc_id="other", source="other.txt")), root=folder)
    reps = agreement_by(a, b, {"talks": "written"})
    assert list(reps) == ["unlisted", "written"]
    assert reps["written"].documents == ["talks"] and reps["unlisted"].documents == ["other"]
    st = {g: next(f for f in r.fields if f.field.startswith("stance")) for g, r in reps.items()}
    assert st["written"].macro_f1 == pytest.approx(1.0) and st["unlisted"].observed == pytest.approx(3 / 4)
    md = grouped_markdown(reps, "origin")
    assert "**origin = unlisted.**" in md and "**origin = written.**" in md and "macro-F1 (B vs A)" in md


def test_anchor_draft_to_standoff(folder):
    from argmine.annotations.anchor import anchor

    draft = {"doc_id": "talks", "source": "talks.txt", "annotator": "ann-x", "claims": [
        {"quote": "Baku and Yerevan agreed on a border commission.", "stance": "pro", "scenario": "ideal_peace", "actors": ["Azerbaijan", "Armenia"]},
        {"quote": "Spoilers could still derail the agreement.", "stance": "con", "scenario": "new_confrontation", "hedged": True},
    ]}
    f = folder / "draft.json"
    f.write_text(json.dumps(draft))
    rec = anchor(f, LabelSchema.load(), root=folder)
    assert [(c.start, c.end) for c in rec.claims] == [(C1, C1E), (C4, C4E)]
    assert rec.text_sha256 == text_sha256(TEXT)
    draft["claims"][1]["quote"] = "Spoilers will derail"
    draft["claims"][0]["stance"] = "yes"
    f.write_text(json.dumps(draft))
    with pytest.raises(AnnotationError) as e:
        anchor(f, LabelSchema.load(), root=folder)
    assert "claim 0: stance 'yes'" in str(e.value) and "claim 1: quote not found" in str(e.value)
