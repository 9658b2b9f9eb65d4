"""`argmine run` on a folder mixing .pdf, .docx, .html, .md and hard-wrapped .txt, plus broken PDFs.

Every document and every claim row gets an ISO date; a corrupt, an encrypted and an image-only PDF
each get one line naming the file and the fix, and the other files are still processed.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from argmine.cli import app

pytestmark = pytest.mark.slow
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory, latex_docs, office_docs, html_docs, wrapped_docs):
    import docgen
    from pypdf import PdfReader, PdfWriter

    folder = tmp_path_factory.mktemp("mixed")
    shutil.copy(latex_docs["latex2"]["am_brief_2026_referendum"], folder / "brief.pdf")
    shutil.copy(office_docs["docx"]["us_tt_2020_war"], folder / "analysis.docx")
    shutil.copy(html_docs["az_news_2022_border_clashes"], folder / "news.html")
    shutil.copy(ROOT / "corpus/texts/tr_oped_2025_opportunity.md", folder / "oped.md")
    shutil.copy(wrapped_docs["us_tt_2020_war"], folder / "wrapped.txt")
    good = latex_docs["latex1"]["us_tt_2020_war"].read_bytes()
    (folder / "corrupt.pdf").write_bytes(good[:700])
    writer = PdfWriter(clone_from=PdfReader(latex_docs["latex1"]["us_tt_2020_war"]))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    with open(folder / "locked.pdf", "wb") as fh:
        writer.write(fh)
    docgen.blank_pdf(folder / "scan.pdf")
    return folder


def test_mixed_folder_run_writes_iso_dates_and_reports_bad_pdfs(tmp_path, mixed_folder):
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["run", str(mixed_folder), "--out", str(out), "--model", "placeholder"])
    assert r.exit_code == 3, r.output  # some inputs failed, the others were processed and written
    docs = {d["doc_id"]: d for d in map(json.loads, (out / "documents.jsonl").read_text().splitlines())}
    assert set(docs) == {"brief", "analysis", "news", "oped", "wrapped"}
    assert {d["format"] for d in docs.values()} == {"pdf", "docx", "html", "markdown", "text"}
    assert all(ISO.match(d["date"] or "") for d in docs.values()), {k: d["date"] for k, d in docs.items()}
    assert docs["brief"]["date"] == "2026-02-10" and docs["wrapped"]["date"] == "2020-11-20"
    assert docs["news"]["outlet"] == "Caucasus Review" and docs["news"]["url"].startswith("https://")
    assert docs["analysis"]["author"] == "Daniel K. Whitford"
    claims = [json.loads(line) for line in (out / "claims.jsonl").read_text().splitlines()]
    assert claims and all(c["date"] == docs[c["doc_id"]]["date"] for c in claims)
    for name, phrase in (("corrupt.pdf", "not a readable PDF"), ("locked.pdf", "password-protected"), ("scan.pdf", "no text layer: run OCR first")):
        lines = [ln for ln in r.stderr.splitlines() if name in ln]
        assert len(lines) == 1 and phrase in lines[0], (name, r.output)


def test_metadata_csv_attaches_to_documents_and_claims(tmp_path, mixed_folder):
    meta = tmp_path / "meta.csv"
    meta.write_text("file,title,outlet,date,genre,vantage\nwrapped.txt,Given Title,Example Review,2020-11-21,think_tank_analysis,american\n"
                    "oped,,,not a date,op_ed,turkish\n", encoding="utf-8")
    out = tmp_path / "out"
    inputs = [str(mixed_folder / "wrapped.txt"), str(mixed_folder / "oped.md")]
    r = CliRunner().invoke(app, ["run", *inputs, "--out", str(out), "--model", "placeholder", "--spacy-model", "blank", "--metadata", str(meta)])
    assert r.exit_code == 0, r.output
    docs = {d["doc_id"]: d for d in map(json.loads, (out / "documents.jsonl").read_text().splitlines())}
    assert docs["wrapped"]["title"] == "Given Title" and docs["wrapped"]["date"] == "2020-11-21" and docs["wrapped"]["vantage"] == "american"
    assert docs["oped"]["genre"] == "op_ed" and ISO.match(docs["oped"]["date"])  # the CSV's bad date is a warning; the text's date stays
    claims = [json.loads(line) for line in (out / "claims.jsonl").read_text().splitlines()]
    assert {(c["doc_id"], c["outlet"], c["genre"]) for c in claims if c["doc_id"] == "wrapped"} == {("wrapped", "Example Review", "think_tank_analysis")}

