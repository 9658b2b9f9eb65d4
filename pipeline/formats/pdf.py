"""PDF files: text lines with position and font from pdfminer.six, metadata, and clear errors.

pdfminer.six is pure Python (no Poppler, no compiled PDF library), so it installs from PyPI
everywhere; its layout objects give each character's font, size and position, which is what
column order, running headers, footnotes and headings need. The layout itself is rebuilt in
``pdflayout.py``.
"""

from __future__ import annotations

import io
import logging
import statistics
from pathlib import Path

from ..errors import InputError
from . import Extracted
from .dates import iso_or_warning
from .pdflayout import PdfLine, PdfPage, layout_text

log = logging.getLogger(__name__)

_OCR_FIX = "e.g. `ocrmypdf in.pdf out.pdf`, or give the text as .txt"
_BOLD = ("bold", "medi", "black", "heavy", "semibold", "demi")


def extract_pdf(path: Path, raw: bytes) -> Extracted:
    """Text of a PDF in reading order, with its info dictionary as metadata."""
    pages, info = _read(path, raw)
    if not any(p.lines for p in pages):
        raise InputError(path, "no text layer: run OCR first (a scanned or image-only PDF)", _OCR_FIX)
    text = layout_text(pages)
    log.debug("%s: %d pages, %d text lines, %d characters after layout", path, len(pages), sum(len(p.lines) for p in pages), len(text))
    if not text.strip():
        raise InputError(path, "no usable text layer (only page numbers and headers): run OCR first", _OCR_FIX)
    warnings: list[str] = []
    meta = {k: v for k, v in _info_meta(info, path, warnings).items() if v}
    return Extracted(text=text, meta=meta, warnings=warnings)


def _read(path: Path, raw: bytes) -> tuple[list[PdfPage], dict]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    try:
        doc = PDFDocument(PDFParser(io.BytesIO(raw)))
        info = doc.info[0] if doc.info else {}
        # A small char margin keeps the two columns of a page apart (their gap is about one em).
        laparams = LAParams(char_margin=1.0, line_margin=0.3, word_margin=0.1)
        pages = [_page(i, p) for i, p in enumerate(extract_pages(io.BytesIO(raw), laparams=laparams))]
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise InputError(path, "PDF is password-protected (encrypted)", "save a decrypted copy, e.g. `qpdf --password=PW --decrypt in.pdf out.pdf`, or the text as .txt") from e
    except ImportError as e:  # AES needs `cryptography` (a declared dependency)
        raise InputError(path, f"encrypted PDF needs a missing package ({e.name or e})", "reinstall argmine: `pip install -e .`") from e
    except Exception as e:
        # pdfminer signals a broken file with many exception types; all mean the same to a user, and one
        # malformed file must fail alone, never the run.
        raise InputError(path, f"not a readable PDF ({type(e).__name__}: {e})"[:300], "re-export it as PDF or save the text as .txt") from e
    return pages, info


def _page(index: int, layout) -> PdfPage:
    from pdfminer.layout import LTTextLineHorizontal

    lines: list[PdfLine] = []

    def walk(obj) -> None:
        if isinstance(obj, LTTextLineHorizontal):
            line = _line(obj, layout.height)
            if line is not None:
                lines.append(line)
            return
        for child in getattr(obj, "__iter__", lambda: iter(()))():
            walk(child)

    walk(layout)
    return PdfPage(index=index, width=layout.width, height=layout.height, lines=lines)


def _line(obj, page_height: float) -> PdfLine | None:
    """One layout line as text; superscript digits (footnote marks) are kept apart in ``marks``."""
    from pdfminer.layout import LTChar

    chars = [c for c in obj if isinstance(c, LTChar)]
    if not chars:
        return None
    size = statistics.median(c.size for c in chars)
    baseline = statistics.median(c.y0 for c in chars if c.size >= 0.9 * size) if any(c.size >= 0.9 * size for c in chars) else obj.y0
    parts: list[str] = []
    marks: list[tuple[int, str]] = []
    for c in obj:
        t = c.get_text()
        if isinstance(c, LTChar) and c.size < 0.8 * size and c.y0 > baseline + 0.15 * size:
            marks.append((len("".join(parts)), t))  # raised and smaller: a footnote mark, not text
            continue
        parts.append(t)
    text = "".join(parts).replace("\n", "").strip()
    if not text and not marks:
        return None
    bold = sum(any(b in c.fontname.lower() for b in _BOLD) for c in chars) > len(chars) / 2
    return PdfLine(text=text, x0=obj.x0, x1=obj.x1, top=page_height - obj.y1, bottom=page_height - obj.y0,
                   size=round(size, 1), bold=bold, marks="".join(m for _, m in marks), starts_with_mark=bool(marks) and marks[0][0] == 0)


def _info_meta(info: dict, path: Path, warnings: list[str]) -> dict[str, str | None]:
    """Title, author and date from the PDF info dictionary (creation date unless a modification date only)."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    def value(key: str) -> str | None:
        v = resolve1(info.get(key))
        if isinstance(v, bytes):
            v = decode_text(v)
        return v.strip() if isinstance(v, str) and v.strip() else None

    raw_date = value("CreationDate") or value("ModDate")
    return {"title": value("Title"), "author": value("Author"), "date": iso_or_warning(raw_date, f"{path} (PDF info)", warnings)}
