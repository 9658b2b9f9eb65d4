"""Shared fixtures: paths, the seed analysis (skipped when ../shared is absent), blank pipelines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Tests never read or write the user's model home; a test that needs one sets its own.
os.environ["ARGMINE_HOME"] = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"argmine-test-home-{os.getpid()}")

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SEED = ROOT.parent / "shared" / "corpus" / "khar_2025_peace_viability.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip("the seed analysis (../shared/corpus) is not beside this checkout")
    return open(SEED, encoding="utf-8").read()


@pytest.fixture(scope="session")
def blank_pipeline():
    from argmine import Pipeline

    return Pipeline.load(model="placeholder", spacy_model="blank")


SAMPLE = """# Talks at the Border
By Ana Test, Fellow, Example Institute
Published: 3 March 2025

## Why it matters
Armenia and Azerbaijan have agreed on a border commission. Critics say it moves too slowly.

What happens next?

- The commission should meet monthly.
- Both sides must publish maps.

Figure 1: Meetings per year.

References
- Test, Ana. Borders. 2024. https://example.org/a
"""


# --- derived documents (PDF, Word, HTML, hard-wrapped text) made by real tools -------------------

# Corpus texts (the project's own CC-BY texts) the format fixtures are made from: a Markdown brief with
# lists, a plain-text news piece with a ✍️ byline and plain headings, and a think-tank analysis.
FORMAT_DOCS = ("am_brief_2026_referendum.md", "az_news_2022_border_clashes.txt", "us_tt_2020_war.md")


def _require_tool(kind: str) -> None:
    """Skip (or, as root in CI with ARGMINE_REQUIRE_DOCTOOLS=1, fail) when a fixture tool is missing."""
    import docgen

    why = docgen.missing_tool(kind)
    if why:
        if os.environ.get("ARGMINE_REQUIRE_DOCTOOLS") == "1":
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="session")
def derived_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("derived")


@pytest.fixture(scope="session")
def clean_texts() -> dict[str, Path]:
    return {Path(name).stem: ROOT / "corpus" / "texts" / name for name in FORMAT_DOCS}


@pytest.fixture(scope="session")
def wrapped_docs(derived_dir, clean_texts) -> dict[str, Path]:
    import docgen

    _require_tool("fold")
    out = derived_dir / "wrapped"
    out.mkdir(exist_ok=True)
    # 72 as `fold` and mail clients do, 90 and 100 as reports and PDF copy-paste do
    return {d: docgen.fold_text(p, out / f"{d}.txt", width=w) for (d, p), w in zip(clean_texts.items(), (72, 90, 100), strict=False)}


@pytest.fixture(scope="session")
def html_docs(derived_dir, clean_texts) -> dict[str, Path]:
    import docgen

    out = derived_dir / "html"
    out.mkdir(exist_ok=True)
    docs = {}
    for d, p in clean_texts.items():
        meta = {"title": docgen.blocks(p.read_text(encoding="utf-8"))[0][1].lstrip("# "), "outlet": "Caucasus Review",
                "url": f"https://caucasus-review.example/analysis/{d}", "author": "Staff Writer", "date": "2024-03-05"}
        path = out / f"{d}.html"
        path.write_text(docgen.web_page(p.read_text(encoding="utf-8"), meta), encoding="utf-8")
        docs[d] = path
    return docs


@pytest.fixture(scope="session")
def latex_docs(derived_dir, clean_texts) -> dict[str, dict[str, Path]]:
    """{"latex1": {doc: pdf}, "latex2": {doc: pdf}}: one- and two-column LaTeX typesetting."""
    import docgen

    _require_tool("latex")
    out = derived_dir / "latex"
    out.mkdir(exist_ok=True)
    return {
        f"latex{n}": {d: docgen.latex_pdf(p.read_text(encoding="utf-8"), out / f"{n}col" / f"{d}.pdf", twocolumn=n == 2) for d, p in clean_texts.items()}
        for n in (1, 2)
    }


@pytest.fixture(scope="session")
def office_docs(derived_dir, clean_texts) -> dict[str, dict[str, Path]]:
    """{"docx": {doc: .docx}, "office_pdf": {doc: .pdf}}: LibreOffice HTML → Word → PDF."""
    import docgen

    _require_tool("soffice")
    src = derived_dir / "office_src"
    src.mkdir(exist_ok=True)
    out = {"docx": {}, "office_pdf": {}}
    for d, p in clean_texts.items():
        page = src / f"{d}.html"
        page.write_text(f"<html><body>{docgen.article_html(p.read_text(encoding='utf-8'))}</body></html>", encoding="utf-8")
        out["docx"][d] = docgen.soffice_convert(page, "docx:MS Word 2007 XML", derived_dir / "docx")
        out["office_pdf"][d] = docgen.soffice_convert(out["docx"][d], "pdf", derived_dir / "office_pdf")
    return out
