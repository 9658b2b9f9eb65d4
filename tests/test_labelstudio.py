"""Label Studio and doccano interchange: export shapes, skipped regions, the labelling config, actor order."""

from __future__ import annotations

import json
import logging
import random
import xml.etree.ElementTree as ET

import pytest

from argmine.annotations.doccano import DOCCANO_NOTE, from_doccano, to_doccano
from argmine.annotations.labelstudio import from_labelstudio, labelstudio_config, task_actors, to_labelstudio
from argmine.annotations.loader import load_gold
from argmine.schema import LabelSchema
from test_annotations import GOLD_CLAIMS, TEXT, _same, record, write


@pytest.fixture()
def docs(tmp_path):
    (tmp_path / "talks.txt").write_text(TEXT, encoding="utf-8")
    return load_gold(write(tmp_path / "g.jsonl", record(GOLD_CLAIMS)), root=tmp_path)


def test_all_tasks_export_with_prediction_ids_loads(docs):
    """Label Studio's "all tasks" export lists predictions as ids; annotations stay objects."""
    tasks = to_labelstudio([(d.doc_id, d.text, d.claims) for d in docs], "m1", as_annotations=True)
    exported = [{**tasks[0], "id": 41, "predictions": [3, 4], "annotations": [{**tasks[0]["annotations"][0], "id": 9, "completed_by": 1}]},
                {"id": 42, "data": {"text": "Another text.", "doc_id": "other"}, "annotations": [], "predictions": [5]}]
    back = from_labelstudio(exported, LabelSchema.load(), "ann-ls", "1.0")
    assert [d.doc_id for d in back] == ["talks"]
    _same(back[0].claims, docs[0].record.claims)


def test_region_without_label_is_skipped_with_the_task_id(docs, caplog):
    tasks = to_labelstudio([(d.doc_id, d.text, d.claims) for d in docs], "m1", as_annotations=True)
    result = tasks[0]["annotations"][0]["result"]
    first = result[0]["id"]
    result[:] = [r for r in result if not (r["id"] == first and r["from_name"] == "scenario")]
    result.append({"type": "relation", "from_id": first, "to_id": result[-1]["id"], "direction": "right"})
    with caplog.at_level(logging.WARNING):
        back = from_labelstudio([{**tasks[0], "id": 1234}], LabelSchema.load(), "ann-ls", "1.0")
    assert len(back[0].claims) == len(GOLD_CLAIMS) - 1
    assert "Label Studio task 1234" in caplog.text and first in caplog.text and "no scenario" in caplog.text


def test_config_puts_choices_beside_the_text_in_report_colours_with_every_task_actor(docs):
    from argmine.inspect.palette import palette

    schema = LabelSchema.load()
    claims = docs[0].claims
    claims[0].actors = ["Armenia", "Georgian Dream"]  # an actor the schema does not list
    tasks = to_labelstudio([(d.doc_id, d.text, claims) for d in docs], "m1")
    xml = labelstudio_config(schema, task_actors(tasks))
    root = ET.fromstring(xml)
    assert "display: flex" in root.get("style")
    text_panel, choice_panel = list(root)
    assert text_panel.find("Text") is not None and choice_panel.find(".//Choices[@name='scenario']") is not None
    colours = {lab.get("value"): lab.get("background") for lab in root.iter("Label")}
    assert colours == palette(schema)["stance"]
    actors = {c.get("value") for c in root.find(".//Choices[@name='actors']")}
    assert set(task_actors(tasks)) <= actors and "Georgian Dream" in actors and set(schema.actor_ids) <= actors


def test_doccano_keeps_actor_order_when_doccano_reorders_spans(docs):
    lines = to_doccano([(d.doc_id, d.text, d.claims) for d in docs])
    shuffled = json.loads(json.dumps(lines))
    random.Random(3).shuffle(shuffled[0]["label"])
    shuffled[0]["label"].sort(key=lambda t: (t[0], t[1], t[2]))  # doccano's own order: by offset, then label
    back = from_doccano(shuffled, LabelSchema.load(), "ann-dc", "1.0")
    assert back[0].claims[0].actors == ["Azerbaijan", "Armenia"]
    # doccano may hand the extra field back under "meta"
    meta = [{**shuffled[0], "meta": {"argmine_actor_order": shuffled[0].pop("argmine_actor_order")}}]
    assert from_doccano(meta, LabelSchema.load(), "ann-dc", "1.0")[0].claims[0].actors == ["Azerbaijan", "Armenia"]


def test_doccano_export_says_it_needs_overlapping_spans(tmp_path, docs):
    from typer.testing import CliRunner

    from argmine.cli import app

    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "talks.txt").write_text(TEXT, encoding="utf-8")
    write(tmp_path / "gold" / "g.jsonl", record(GOLD_CLAIMS))
    r = CliRunner().invoke(app, ["annotations", "export", str(tmp_path / "gold" / "g.jsonl"), "--root", str(tmp_path / "gold"),
                                 "--format", "doccano", "--out", str(tmp_path / "d.jsonl")])
    assert r.exit_code == 0, r.output
    assert "Allow overlapping" in r.output and DOCCANO_NOTE.split(":")[0] in r.output


def test_one_palette_for_report_label_studio_and_displacy():
    import spacy
    from spacy import displacy
    from spacy.tokens import Span

    from argmine.inspect.palette import displacy_options, palette

    schema = LabelSchema.load()
    colours = palette(schema)
    options = displacy_options(schema)
    for label in schema.stance_labels:
        assert options["colors"][label] == colours["stance"][label]
    doc = spacy.blank("en")("Russia may try to sabotage the talks.")
    doc.spans["sc"] = [Span(doc, 0, 7, label=schema.stance_labels[1])]
    html = displacy.render(doc, style="span", options=options, page=False)
    assert colours["stance"][schema.stance_labels[1]] in html
