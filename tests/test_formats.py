"""Formats (issue 15): dates, metadata CSV, bylines, hard-wrapped text, PDF/HTML extraction, bad PDFs.

Fast tests: the blank spaCy pipeline and the placeholder classifier; fixtures from `fold`, pdflatex
(skipped with the reason when TeX is missing) and HTML written here around corpus texts.
"""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from argmine.cli import app
from argmine.errors import InputError
from argmine.formats.dates import to_iso
from argmine.formats.metadata import MetadataTable, document_fields
from argmine.frontmatter import byline_author
from argmine.matching import match_claim_texts
from argmine.reader import read_source
from argmine.segment import segment_text


@pytest.mark.parametrize("raw, iso", [
    ("10 February 2026", "2026-02-10"), ("February 10, 2026", "2026-02-10"), ("2025-08-08", "2025-08-08"),
    ("Published: 3 March 2025", "2025-03-03"), ("Feb. 3, 2024", "2024-02-03"), ("13/02/2026", "2026-02-13"),
    ("D:20260210093000+01'00'", "2026-02-10"), ("2024-06-30T08:00:00+00:00", "2024-06-30"), ("March 2023", "2023-03-01"),
    ("", None), ("yesterday", None), ("not a date", None), ("2026-02-31", None),
])
def test_dates_to_iso(raw, iso):
    assert to_iso(raw) == iso


@pytest.mark.parametrize("line, author", [
    ("By Ana Test", "Ana Test"),
    ("By Ana Test, Fellow, Example Institute", "Ana Test"),
    ("✍️ Rauf Mammadli – Senior Correspondent, Caspian Dispatch", "Rauf Mammadli"),
    ("News analysis by Lilit Harutyunyan", "Lilit Harutyunyan"),
    ("Policy brief by Daniel K. Whitford, Atlantic Crossroads Institute", "Daniel K. Whitford"),
    ("Opinion | Mehmet Yılmaz", "Mehmet Yılmaz"),
    ("Narine Avetisyan, Senior Policy Analyst, Ararat Institute for Public Policy", "Narine Avetisyan"),
    ("Thomas de Waal is a senior fellow at Carnegie Europe", None),
    ("By Ana Test | 10 February 2026", "Ana Test"),
    ("Armenia and Azerbaijan, the two neighbours, are far apart", None),
    ("Why it matters", None),
])
def test_byline_forms(line, author):
    assert byline_author(line) == author


FRONT = """Opinion
The Corridor Question Returns
A new transit deal promises much but settles little for either side
Opinion | Mehmet Yılmaz
Published: 10 February 2026
Photo: Anna Petrosyan / Caucasus Images

YEREVAN, 9 February 2026 — Officials said the talks would resume next week. Both sides have kept the ceasefire.

Armenia and Azerbaijan still disagree on the border. The commission should meet monthly.
"""


def test_front_matter_forms_do_not_become_headings():
    segments, _, front = segment_text(FRONT)
    kinds = [s.kind for s in segments]
    assert "heading" not in kinds
    assert front["title"] == "The Corridor Question Returns"
    assert front["author"] == "Mehmet Yılmaz" and front["date"] == "10 February 2026"
    assert {s.section for s in segments} == {None}
    dateline = [s for s in segments if s.kind == "date"][-1]
    assert FRONT[dateline.start : dateline.end] == "YEREVAN, 9 February 2026"
    first = next(s for s in segments if s.kind == "paragraph")
    assert FRONT[first.start :].startswith("Officials said")


def test_wrapped_text_segments_like_clean_text(wrapped_docs, clean_texts):
    for d, path in wrapped_docs.items():
        clean, wrapped = clean_texts[d].read_text(encoding="utf-8"), path.read_text(encoding="utf-8")
        assert wrapped != clean and max(len(ln) for ln in wrapped.splitlines()) <= 100
        a, ra, fa = segment_text(clean)
        b, rb, fb = segment_text(wrapped)
        squash = lambda t, segs: [(s.kind, s.section, " ".join(t[s.start : s.end].split())) for s in segs]  # noqa: E731
        assert squash(wrapped, b) == squash(clean, a), d
        assert fa == fb and len(ra) == len(rb)


def test_wrapped_text_claims_span_line_breaks_with_true_offsets(blank_pipeline, wrapped_docs, clean_texts):
    clean = blank_pipeline.run(list(clean_texts.values()))
    wrapped = blank_pipeline.run(list(wrapped_docs.values()))
    for d in clean_texts:
        text = wrapped.texts[d]
        a = [" ".join(c.text.split()) for c in clean.claims if c.doc_id == d]
        b = [c for c in wrapped.claims if c.doc_id == d]
        assert all(text[c.start : c.end] == c.text for c in b)
        assert any("\n" in c.text for c in b)
        assert [" ".join(c.text.split()) for c in b] == a


def test_short_line_is_heading_only_when_it_does_not_continue():
    text = "The talks were described by\nofficials as constructive and frank.\n\nWhat comes next\nThe commission meets in May.\n"
    segments, _, _ = segment_text(text)
    assert [s.kind for s in segments] == ["paragraph", "heading", "paragraph"]
    assert segments[0].end == text.index("frank.") + len("frank.")


def test_list_items_of_similar_length_are_not_joined():
    items = "\n".join(f"- {name}. Borders and the politics of the line in the region. 202{i}. https://example.org/{name}" for i, name in enumerate(["Test", "Other", "Third", "Fourth"]))
    text = f"# A Title\nBy Ana Test\n\nA paragraph that ends properly with a full stop.\n\n## References\n{items}\n"
    segments, references, _ = segment_text(text)
    assert len(references) == 4 and all("\n" not in text[r.start : r.end] for r in references)


def test_metadata_csv_manifest_and_precedence(tmp_path):
    table = MetadataTable.load(ROOT / "corpus" / "manifest.csv")
    path = ROOT / "corpus" / "texts" / "am_brief_2026_referendum.md"
    row = table.lookup(path, "am_brief_2026_referendum")
    assert row["date"] == "2026-02-10" and row["genre"] == "policy_brief" and row["vantage"] == "armenian"
    csv = tmp_path / "meta.csv"
    csv.write_text("file,author,date,outlet\nreport.pdf,Given Author,3 March 2025,Example Review\nother.txt,,someday,\n", encoding="utf-8")
    table = MetadataTable.load(csv)
    warnings: list[str] = []
    fields = document_fields(tmp_path / "report.pdf", "report", {"author": "Text Author", "date": "1 May 2024"}, {"title": "PDF Title", "date": "2020-01-01"}, table, warnings)
    assert fields["author"] == "Given Author" and fields["date"] == "2025-03-03" and fields["title"] == "PDF Title" and fields["outlet"] == "Example Review"
    assert any("someday" in w and "meta.csv line 3" in w for w in table.warnings)
    fields = document_fields(tmp_path / "x.txt", "x", {"date": "the other day 2024x"}, {}, None, warnings)
    assert fields["date"] is None and any("x.txt" in w and "could not be read" in w for w in warnings)


def test_bundled_manifest_is_a_metadata_file(tmp_path):
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["run", str(ROOT / "corpus/texts/eu_news_2023_brussels_format.txt"), "--out", str(out),
                                 "--model", "placeholder", "--spacy-model", "blank", "--metadata", str(ROOT / "corpus/manifest.csv")])
    assert r.exit_code == 0, r.output
    doc = json.loads((out / "documents.jsonl").read_text().splitlines()[0])
    assert doc["genre"] and doc["vantage"] and doc["date"] == "2023-05-30" and doc["language"] == "en"


def test_project_corpus_runs_with_its_manifest(tmp_path, monkeypatch):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "one.txt").write_text((ROOT / "corpus/texts/eu_news_2023_brussels_format.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("doc_id,outlet,genre\none,Example Review,news_analysis\n", encoding="utf-8")
    (tmp_path / "argmine.toml").write_text('corpus = "texts"\nmanifest = "manifest.csv"\n', encoding="utf-8")
    monkeypatch.setenv("ARGMINE_PROJECT", str(tmp_path))
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["run", "--out", str(out), "--model", "placeholder", "--spacy-model", "blank"])
    assert r.exit_code == 0, r.output
    doc = json.loads((out / "documents.jsonl").read_text().splitlines()[0])
    assert (doc["outlet"], doc["genre"], doc["date"]) == ("Example Review", "news_analysis", "2023-05-30")


def test_metadata_csv_without_key_or_fields_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("colour,size\nred,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.csv: metadata CSV needs"):
        MetadataTable.load(bad)
    minimal = tmp_path / "manifest.csv"
    minimal.write_text("doc_id,split\na,train\n", encoding="utf-8")
    assert MetadataTable.load(minimal, strict=False).rows == {}  # a project's minimal manifest is no error


def test_claim_text_matching_is_relaxed_and_one_to_one():
    gold = ["Armenia and Azerbaijan agreed on a border commission.", "Critics say it moves too slowly."]
    pred = ["Critics say it moves too slowly.", "Armenia and Azerbaijan agreed on a border commission", "Unrelated."]
    assert match_claim_texts(gold, pred) == [(0, 1), (1, 0)]
    assert match_claim_texts(["one two three four"], ["one two", "three four"]) == [(0, 0)]


# --- HTML ---------------------------------------------------------------------------------


def test_web_page_structure_metadata_and_no_boilerplate(html_docs):
    source = read_source(html_docs["am_brief_2026_referendum"])
    assert source.meta["outlet"] == "Caucasus Review" and source.meta["date"] == "2024-03-05"
    assert source.meta["url"].endswith("/am_brief_2026_referendum") and source.meta["title"].startswith("Peace by Plebiscite?")
    assert source.text.startswith("# Peace by Plebiscite?")
    assert "## Key points" in source.text and "\n- Azerbaijan has made signature" in source.text
    for boiler in ("cookies", "Read also", "Reader4521", "Subscribe", "All rights reserved", "restaurants"):
        assert boiler not in source.text


# --- PDF ----------------------------------------------------------------------------------


def test_latex_pdf_layout(latex_docs):
    for kind in ("latex1", "latex2"):
        source = read_source(latex_docs[kind]["am_brief_2026_referendum"])
        text = source.text
        assert text.startswith("# Peace by Plebiscite?"), kind
        assert "## Key points" in text and "\n- Azerbaijan has made signature" in text
        assert "\nNotes\n" in text and "Written for the argmine project" in text.split("\nNotes\n")[1]
        assert "Written for the argmine project" not in text.split("\nNotes\n")[0]
        # running header (title + page number) gone, hyphenation undone
        assert text.count("Peace by Plebiscite? Armenia") == 1, kind
        assert not any(len(w) > 1 and w.endswith("-") for w in text.split())
        clean = (ROOT / "corpus/texts/am_brief_2026_referendum.md").read_text(encoding="utf-8")
        clean_words = set(clean.replace("'", "’").split())
        odd = [w for w in set(text.split("\nNotes\n")[0].split()) - clean_words if w.isalpha() and w.islower()]
        assert len(odd) <= 2, (kind, odd)


def test_bad_pdfs_get_one_clear_line(tmp_path, latex_docs):
    import docgen
    from pypdf import PdfReader, PdfWriter

    good = latex_docs["latex1"]["am_brief_2026_referendum"]
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(good.read_bytes()[: 900] + b"\x00garbage")
    writer = PdfWriter(clone_from=PdfReader(good))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    encrypted = tmp_path / "encrypted.pdf"
    with open(encrypted, "wb") as fh:
        writer.write(fh)
    scanned = docgen.blank_pdf(tmp_path / "scanned.pdf")
    expected = {corrupt: "not a readable PDF", encrypted: "password-protected", scanned: "no text layer: run OCR first"}
    for path, phrase in expected.items():
        with pytest.raises(InputError) as e:
            read_source(path)
        assert str(e.value).startswith(str(path)) and phrase in str(e.value) and "\n" not in str(e.value)


def test_pdf_metadata_fills_missing_fields(tmp_path, latex_docs):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(latex_docs["latex1"]["us_tt_2020_war"]))
    writer.add_metadata({"/Title": "Info Title", "/Author": "Info Author", "/CreationDate": "D:20201120120000Z"})
    path = tmp_path / "with_info.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    source = read_source(path)
    assert source.meta == {"title": "Info Title", "author": "Info Author", "date": "2020-11-20"}
