"""Segmentation of the seed analysis against stand-off expectations, and of a small Markdown text."""

import hashlib
import json

from conftest import DATA, SAMPLE

from argmine.segment import segment_text


def _spans(segments, kind):
    return [[s.start, s.end] for s in segments if s.kind == kind]


def test_seed_structure_matches_expectations(seed_text):
    exp = json.loads((DATA / "seed_structure.json").read_text())
    assert hashlib.sha256(seed_text.encode()).hexdigest() == exp["text_sha256"], "seed text changed"
    segments, references, front = segment_text(seed_text)
    assert _spans(segments, "heading") == exp["headings"]
    assert _spans(segments, "list_item") == exp["list_items"]
    assert _spans(segments, "reference") == exp["references"]
    assert _spans(segments, "byline") == exp["byline"]
    assert _spans(segments, "meta") == exp["meta"]
    assert front["title"] is None and front["author"] == seed_text[3:15].strip()
    assert len(references) == 17 and all(r.year for r in references)


def test_seed_four_scenario_items_under_their_heading(seed_text):
    segments, _, _ = segment_text(seed_text)
    items = [s for s in segments if s.list_item]
    first_four = items[:4]
    assert {s.section for s in first_four} == {"The Possibility of Peace: A Real but Fragile Hope"}
    assert [seed_text[s.start : s.start + 5] for s in first_four] == ["Ideal", "Forma", "Defer", "New C"]


def test_markdown_sample():
    segments, references, front = segment_text(SAMPLE)
    kinds = [s.kind for s in segments]
    assert kinds == ["title", "byline", "date", "heading", "paragraph", "question", "list_item", "list_item", "meta", "heading", "reference"]
    assert front == {"title": "Talks at the Border", "byline": "By Ana Test, Fellow, Example Institute", "author": "Ana Test", "date": "3 March 2025"}
    para = segments[4]
    assert para.section == "Why it matters" and para.paragraph == 1
    item = segments[6]
    assert SAMPLE[item.start : item.end] == "The commission should meet monthly."
    assert references[0].year == "2024" and references[0].url == "https://example.org/a"


def test_offsets_are_exact():
    segments, _, _ = segment_text(SAMPLE)
    for s in segments:
        piece = SAMPLE[s.start : s.end]
        assert piece == piece.strip() and "\n" not in piece
