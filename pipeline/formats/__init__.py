"""Format-specific extraction: PDF, Word and HTML files into text plus the file's own metadata.

Each extractor returns an :class:`Extracted`: the text the offsets will point into (saved as
``texts/DOC_ID.txt``), laid out the way argmine's segmenter reads structure (``# title``,
``## heading``, ``- item``, blank lines between paragraphs, a ``Notes`` section for footnotes), and the
metadata the file carries (title, author, date, outlet, url). ``argmine.reader`` only dispatches here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Document fields a file's metadata, a --metadata CSV or the front matter can fill (see metadata.py).
META_FIELDS = ("title", "author", "outlet", "url", "date", "genre", "vantage", "language")


@dataclass
class Extracted:
    """Text of one converted file and the metadata found in the file itself."""

    text: str
    meta: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def extract_file(path: Path, raw: bytes, fmt: str) -> Extracted:
    """Dispatch a binary format (``pdf``, ``docx``) to its extractor; raises InputError for unusable files."""
    if fmt == "pdf":
        from .pdf import extract_pdf

        return extract_pdf(path, raw)
    if fmt == "docx":
        from .docx import extract_docx

        return extract_docx(path, raw)
    raise ValueError(f"no binary extractor for format {fmt!r}")


def extract_markup(path: Path, text: str, fmt: str) -> Extracted:
    """Dispatch a text-based markup format (``html``) to its extractor."""
    if fmt == "html":
        from .html import extract_html

        return extract_html(path, text)
    raise ValueError(f"no markup extractor for format {fmt!r}")
