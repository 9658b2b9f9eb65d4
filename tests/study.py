"""A made-up study whose labels share no name with the default schema (imported by several tests).

Northia and Southia argue over a river accord: stance favour / against / undecided, scenarios s_a / s_b /
none_of_these. ``make_study`` writes what docs/own-study.md asks a new study to write: the schema, texts,
a minimal ``doc_id,split`` manifest, quote-anchored drafts and an ``argmine.toml``.
"""

from __future__ import annotations

import json
from pathlib import Path

STANCES = {"favour": 1, "against": -1, "undecided": 0}
SCENARIOS = ["s_a", "s_b", "none_of_these"]

SCHEMA = """name = "river-accord"
version = "0.1.0"
topic = "a lasting water-sharing accord between Northia and Southia"

[[stance]]
name = "favour"
polarity = 1
definition = "makes the topic more likely or more valuable"
scenarios = ["s_a", "none_of_these"]

[[stance]]
name = "against"
polarity = -1
definition = "an obstacle or reason the topic may fail"
scenarios = ["s_b", "none_of_these"]

[[stance]]
name = "undecided"
polarity = 0
definition = "background with no clear bearing on the topic"

[[scenarios]]
name = "s_a"
definition = "the accord is signed and the river water is shared fairly"

[[scenarios]]
name = "s_b"
definition = "the dispute over the dams escalates into a crisis"

[[scenarios]]
name = "none_of_these"
definition = "none of these"
none = true

[[actors]]
id = "Northia"
aliases = ["Northia", "Northian", "Nortown"]

[[actors]]
id = "Southia"
aliases = ["Southia", "Southian", "Southport"]

[[actors]]
id = "RiverCommission"
aliases = ["River Commission"]
"""

# (doc_id, split, [(sentence, stance, scenario, actors)])
DOCS = [
    ("north_oped", "train", [
        ("Northia has agreed to share the spring floods with Southia.", "favour", "s_a", ["Northia", "Southia"]),
        ("The River Commission now meets every month in Nortown.", "favour", "s_a", ["RiverCommission", "Northia"]),
        ("Southian farmers fear that the new dams will dry their fields.", "against", "s_b", ["Southia"]),
        ("The river is four hundred kilometres long.", "undecided", "none_of_these", []),
    ]),
    ("south_brief", "train", [
        ("Southport rejects any quota that Northia sets alone.", "against", "s_b", ["Southia", "Northia"]),
        ("Troops from Northia have gathered near the upper dam.", "against", "s_b", ["Northia"]),
        ("A joint gauge network would build trust between Northia and Southia.", "favour", "s_a", ["Northia", "Southia"]),
        ("Rainfall in the basin was average this year.", "undecided", "none_of_these", []),
    ]),
    ("commission_note", "train", [
        ("The River Commission has published the first shared flow data.", "favour", "s_a", ["RiverCommission"]),
        ("Both capitals welcomed the data as a basis for the accord.", "favour", "s_a", []),
        ("Hardliners in Nortown call the accord a surrender.", "against", "s_b", ["Northia"]),
        ("The commission has twelve members.", "undecided", "none_of_these", ["RiverCommission"]),
    ]),
    ("farmers_voice", "train", [
        ("Southian growers say the shared floods saved their harvest.", "favour", "s_a", ["Southia"]),
        ("Northian officials threaten to close the sluices in summer.", "against", "s_b", ["Northia"]),
        ("Wheat and rice are the main crops of the valley.", "undecided", "none_of_these", []),
    ]),
    ("east_analysis", "dev", [
        ("Southia and Northia signed a protocol on drought sharing.", "favour", "s_a", ["Southia", "Northia"]),
        ("Militias near Southport have attacked a pumping station.", "against", "s_b", ["Southia"]),
        ("The valley has two large reservoirs.", "undecided", "none_of_these", []),
    ]),
    ("west_review", "test", [
        ("The River Commission expects the accord to be ratified in spring.", "favour", "s_a", ["RiverCommission"]),
        ("Nortown has cut the flow to Southia twice this month.", "against", "s_b", ["Northia", "Southia"]),
        ("The river freezes for a few weeks in winter.", "undecided", "none_of_these", []),
    ]),
]

PROJECT = """schema = "schema.toml"
corpus = "corpus/texts"
manifest = "corpus/manifest.csv"
annotations = "annotations"
"""


def doc_text(doc_id: str, sentences: list[tuple]) -> str:
    title = doc_id.replace("_", " ").title()
    return f"# {title}\nBy Test Author\n\n" + " ".join(s for s, *_ in sentences) + "\n"


def make_study(root: Path) -> Path:
    """Write the study under ``root`` (schema, texts, manifest, drafts, argmine.toml); returns ``root``."""
    texts = root / "corpus" / "texts"
    texts.mkdir(parents=True)
    (root / "schema.toml").write_text(SCHEMA, encoding="utf-8")
    (root / "argmine.toml").write_text(PROJECT, encoding="utf-8")
    (root / "drafts").mkdir()
    (root / "annotations" / "gold").mkdir(parents=True)
    rows = ["doc_id,split"]
    for doc_id, split, sentences in DOCS:
        (texts / f"{doc_id}.md").write_text(doc_text(doc_id, sentences), encoding="utf-8")
        rows.append(f"{doc_id},{split}")
        draft = {"doc_id": doc_id, "source": f"corpus/texts/{doc_id}.md", "annotator": "test",
                 "claims": [{"quote": s, "stance": st, "scenario": sc, "actors": actors} for s, st, sc, actors in sentences]}
        (root / "drafts" / f"{doc_id}.json").write_text(json.dumps(draft), encoding="utf-8")
    (root / "corpus" / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root
