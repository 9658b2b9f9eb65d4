"""Word files (.docx) through python-docx: headings from paragraph styles, lists from numbering."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from datetime import datetime
from itertools import pairwise
from pathlib import Path

from ..errors import InputError
from . import Extracted

log = logging.getLogger(__name__)

_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre)\s*(\d)", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def extract_docx(path: Path, raw: bytes) -> Extracted:
    """Paragraphs in document order: ``# title``, ``## heading``, ``- item``/``1. item``, plain paragraphs."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise InputError(path, f"not a readable Word file ({type(e).__name__}: {e})", "re-save it as .docx from Word or LibreOffice, or save the text as .txt") from e
    formats = _list_formats(document)
    out: list[str] = []
    counters: dict[str, int] = {}
    body_started = False
    for p in document.paragraphs:
        text = re.sub(r"\s+", " ", p.text).strip()
        if not text:
            continue
        style = (p.style.name if p.style is not None else "") or ""
        level = _heading_level(style)
        num = _numbering(p)
        if style.lower() == "title" or (level == 1 and not body_started and not out):
            block = f"# {text}"
        elif level is not None:
            block = f"## {text}"
        elif num is not None or style.lower().startswith("list"):
            fmt = formats.get(num or ("", ""), "bullet")
            key = (num or ("", ""))[0]
            counters[key] = counters.get(key, 0) + 1
            block = "- " + text if fmt == "bullet" else f"{counters[key]}. {text}"
            body_started = True
        else:
            block = text
            body_started = True
        out.append(block)
    if not out:
        raise InputError(path, "the Word file holds no text paragraphs", "check the file (text in text boxes or tables is not read) or save the text as .txt")
    log.debug("%s: %d blocks from %d paragraphs", path, len(out), len(document.paragraphs))
    return Extracted(text=_join(out), meta=_core_meta(document))


def _join(blocks: list[str]) -> str:
    """Blank lines between blocks, single line breaks inside a list."""
    text = blocks[0]
    for prev, cur in pairwise(blocks):
        in_list = re.match(r"^(?:- |\d+\. )", prev) and re.match(r"^(?:- |\d+\. )", cur)
        text += ("\n" if in_list else "\n\n") + cur
    return text + "\n"


def _heading_level(style: str) -> int | None:
    m = _HEADING_STYLE.match(style)
    return int(m.group(1)) if m else None


def _numbering(p) -> tuple[str, str] | None:
    """(numId, ilvl) of a numbered or bulleted paragraph, or None."""
    ppr = p._p.pPr
    if ppr is None or ppr.numPr is None or ppr.numPr.numId is None:
        return None
    num_id = str(ppr.numPr.numId.val)
    ilvl = str(ppr.numPr.ilvl.val) if ppr.numPr.ilvl is not None else "0"
    return None if num_id == "0" else (num_id, ilvl)


def _list_formats(document) -> dict[tuple[str, str], str]:
    """(numId, ilvl) → numFmt ("bullet", "decimal", …) from the numbering part."""
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract = {}
    for a in root.iter(f"{_W}abstractNum"):
        for lvl in a.iter(f"{_W}lvl"):
            fmt = lvl.find(f"{_W}numFmt")
            abstract[(a.get(f"{_W}abstractNumId"), lvl.get(f"{_W}ilvl"))] = fmt.get(f"{_W}val") if fmt is not None else "bullet"
    out = {}
    for num in root.iter(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        if ref is None:
            continue
        for (aid, ilvl), fmt in abstract.items():
            if aid == ref.get(f"{_W}val"):
                out[(num.get(f"{_W}numId"), ilvl)] = fmt
    return out


def _core_meta(document) -> dict[str, str]:
    props = document.core_properties
    meta = {"title": props.title, "author": props.author, "language": props.language}
    when = props.created
    if isinstance(when, datetime):
        meta["date"] = when.date().isoformat()
    return {k: v.strip() for k, v in meta.items() if isinstance(v, str) and v.strip()}
