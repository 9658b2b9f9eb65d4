"""Rebuilding an article from PDF text lines: reading order, page furniture, paragraphs, notes.

Input is every text line of every page with its box, font size and weight; output is text in the
layout argmine's segmenter reads (``# title``, ``## heading``, ``- item``, blank lines between
paragraphs, footnotes last under ``Notes``). Decisions, in order:

1. running headers/footers: lines in the top or bottom band whose text (digits ignored) recurs on
   another page, and bare page numbers ("3", "Page 3 of 9", "- 3 -") in that band or as the first or
   last line of the page;
2. reading order: on a page whose lines fall on both sides of the middle, spanning lines (a title)
   cut the page into bands, and each band is read left column, then right column;
3. footnotes: lines smaller than the body text below the last body line of their column;
4. paragraphs: a new block starts at a larger vertical gap, a first-line indent, a bullet, or after a
   short line that ends a sentence; a larger or bold short line is a heading;
5. joining lines: end-of-line hyphens are undone ("sover-/eign" → "sovereign") unless the hyphenated
   form occurs elsewhere in the document ("post-/war" stays "post-war"); soft hyphens are dropped.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

_PAGE_NO = re.compile(r"^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_BULLET = re.compile(r"^[•▪◦●‣∙·*–-]\s*")
_NUMBERED = re.compile(r"^\(?\d{1,2}[.)]\s+")
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_HYPHENS = ("-", "‐", "\u00ad")
_SENTENCE_END = tuple('.!?:;"”’)')


@dataclass
class PdfLine:
    """One text line of a page; ``top``/``bottom`` measured from the top of the page."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False
    marks: str = ""  # superscript footnote marks removed from the text
    starts_with_mark: bool = False


@dataclass
class PdfPage:
    index: int
    width: float
    height: float
    lines: list[PdfLine] = field(default_factory=list)


def layout_text(pages: list[PdfPage]) -> str:
    """The article text of ``pages`` (see the module docstring for the steps)."""
    for page in pages:
        for line in page.lines:
            line.text = _clean(line.text)
    furniture = _running_lines(pages)
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    body, notes = [], []
    for page in pages:
        lines = _merge_fragments([ln for ln in page.lines if ln.text and id(ln) not in furniture], page.width / 2)
        for column in _columns(lines, page.width):
            column = _merge_fragments(column, None)  # within one column, one baseline is one line
            main, foot = _split_footnotes(column, body_size)
            body.extend(main)
            notes.extend(foot)
    blocks = _blocks(body, body_size, pages[0].lines if pages else [])
    words = _document_words(blocks + [("note", [ln]) for ln in notes])
    out = [_render(kind, lines, words) for kind, lines in blocks]
    if notes:
        out.append("Notes")
        out.extend(_render_notes(notes, words))
    return "\n\n".join(s for s in out if s.strip()) + "\n"


def _clean(text: str) -> str:
    for lig, plain in _LIGATURES.items():
        text = text.replace(lig, plain)
    # A symbol-font bullet (LibreOffice's OpenSymbol U+F0B7) is a private-use character with no meaning of its own.
    text = re.sub(r"^\s*[\ue000-\uf8ff]", "•", text)
    text = re.sub(r"[\ue000-\uf8ff]", "", text)
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def _running_lines(pages: list[PdfPage]) -> set[int]:
    """ids of header/footer lines: in the top 13 % or bottom 12 % of the page and repeated, or bare page numbers."""
    def band(line: PdfLine, page: PdfPage) -> bool:
        return line.top < 0.13 * page.height or line.bottom > 0.88 * page.height

    key = lambda t: re.sub(r"\d+", "#", t.lower()).strip()  # noqa: E731  (page numbers differ per page)
    seen: Counter[str] = Counter()
    for page in pages:
        for k in {key(ln.text) for ln in page.lines if band(ln, page)}:
            seen[k] += 1
    out = set()
    for page in pages:
        edges = _edge_lines(page)
        for ln in page.lines:
            if (_PAGE_NO.match(ln.text) and (band(ln, page) or id(ln) in edges)) or (band(ln, page) and len(pages) > 1 and seen[key(ln.text)] > 1):
                out.add(id(ln))
    return out


def _edge_lines(page: PdfPage) -> set[int]:
    """ids of the top-most and bottom-most lines of a page (where a page number sits, whatever the margins)."""
    if not page.lines:
        return set()
    top = min(ln.top for ln in page.lines)
    bottom = max(ln.bottom for ln in page.lines)
    return {id(ln) for ln in page.lines if ln.top - top < 1 or bottom - ln.bottom < 1}


def _columns(lines: list[PdfLine], width: float) -> list[list[PdfLine]]:
    """Lines in reading order, as a list of columns (one column on a single-column page)."""
    mid, tol = width / 2, width * 0.02
    left = [ln for ln in lines if ln.x1 <= mid + tol]
    right = [ln for ln in lines if ln.x0 >= mid - tol]
    if len(left) < 3 or len(right) < 3:
        return [sorted(lines, key=lambda ln: (round(ln.top), ln.x0))]
    out: list[list[PdfLine]] = []
    band: list[PdfLine] = []
    for ln in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        if ln.x1 > mid + tol and ln.x0 < mid - tol:  # spans both columns: closes the band above it
            out.extend(_band_columns(band, mid))
            band = []
            out.append([ln])
        else:
            band.append(ln)
    out.extend(_band_columns(band, mid))
    return [c for c in out if c]


def _merge_fragments(column: list[PdfLine], mid: float | None) -> list[PdfLine]:
    """Pieces of one visual line (pdfminer splits justified lines at wide gaps) as one line, left to right.

    Before columns are known (``mid``: the page's middle), a gap near the middle wider than 0.7 em may
    be a gutter (LaTeX's narrowest is about one em) and is kept; elsewhere gaps up to 3 em are word spaces.
    """
    out: list[PdfLine] = []
    for ln in sorted(column, key=lambda ln: (round(ln.top), ln.x0)):
        k = next((k for k in range(len(out) - 1, max(-1, len(out) - 5), -1) if _same_line(out[k], ln, mid)), None)
        if k is None:
            out.append(ln)
            continue
        prev = out[k]
        big = prev if len(prev.text) >= len(ln.text) else ln
        out[k] = PdfLine(text=f"{prev.text} {ln.text}".strip(), x0=prev.x0, x1=ln.x1, top=min(prev.top, ln.top),
                         bottom=max(prev.bottom, ln.bottom), size=big.size, bold=big.bold, marks=prev.marks + ln.marks,
                         starts_with_mark=prev.starts_with_mark)
    return out


def _same_line(prev: PdfLine, ln: PdfLine, mid: float | None) -> bool:
    if abs(ln.top - prev.top) >= 0.4 * max(ln.size, prev.size) or ln.x0 < prev.x1 - 1:
        return False
    if mid is None:
        return True
    near_middle = prev.x1 < mid + 4 * prev.size and ln.x0 > mid - 4 * prev.size
    reach = 0.7 if near_middle and not _BULLET.fullmatch(prev.text) else 3  # a bullet sits further from its text
    return ln.x0 < prev.x1 + reach * prev.size


def _band_columns(band: list[PdfLine], mid: float) -> list[list[PdfLine]]:
    return [[ln for ln in band if ln.x1 <= mid + 1 or ln.x0 < mid], [ln for ln in band if ln.x0 >= mid and ln.x1 > mid + 1]]


def _split_footnotes(column: list[PdfLine], body_size: float) -> tuple[list[PdfLine], list[PdfLine]]:
    """Body lines and footnote lines (smaller type below the column's last body-size line)."""
    last_body = max((ln.bottom for ln in column if ln.size >= 0.95 * body_size), default=None)
    if last_body is None:
        return column, []
    foot = [ln for ln in column if ln.top >= last_body - 0.5 and ln.size < 0.92 * body_size]
    ids = {id(ln) for ln in foot}
    return [ln for ln in column if id(ln) not in ids], foot


def _blocks(lines: list[PdfLine], body_size: float, first_page: list[PdfLine]) -> list[tuple[str, list[PdfLine]]]:
    """Group lines into (kind, lines) blocks: title, heading, item, line (stand-alone) or para."""
    title_size = max((ln.size for ln in first_page), default=0)
    pitch = _line_pitch(lines, body_size)
    blocks: list[tuple[str, list[PdfLine]]] = []
    for ln in lines:
        kind = _line_kind(ln, body_size, title_size, blocks)
        cur = blocks[-1] if blocks else None
        if cur and _continues(cur[0], kind, cur[1][0], cur[1][-1], ln, body_size, pitch):
            cur[1].append(ln)
        else:
            blocks.append((kind, [ln]))
    return blocks


def _line_kind(ln: PdfLine, body_size: float, title_size: float, blocks: list) -> str:
    if (not blocks or blocks[-1][0] == "title") and ln.size >= title_size - 0.1 and ln.size > 1.3 * body_size:
        return "title"
    if (ln.size >= 1.12 * body_size or (ln.bold and ln.size >= 0.98 * body_size)) and len(ln.text.split()) <= 20:
        return "heading"
    if _BULLET.match(ln.text) and len(ln.text) > 2:
        return "item"
    if ln.size > 1.04 * body_size:
        return "line"  # author and date lines of a title block
    return "para"


def _continues(kind: str, new_kind: str, first: PdfLine, prev: PdfLine, ln: PdfLine, body_size: float, pitch: float) -> bool:
    """Whether ``ln`` continues the current block (of ``kind``, opened by ``first``) rather than starting one."""
    gap = ln.top - prev.bottom
    if kind in ("title", "heading"):
        return new_kind == kind and 0 <= gap < 0.8 * ln.size
    if kind == "line" or new_kind != "para":
        return False
    if gap < -body_size:  # the next column or page: only a finished sentence can end the block here
        return not prev.text.endswith(_SENTENCE_END) or ln.text[:1].islower()
    if gap > max(pitch * 1.6, 0.45 * body_size):
        return False  # vertical space between blocks
    if kind == "item":
        return ln.x0 >= first.x0 + 0.3 * body_size  # item text continues indented past its bullet
    if ln.x0 > prev.x0 + 0.8 * body_size:
        return False  # first-line indent
    short = prev.x1 < ln.x1 - 2.5 * body_size
    return not (short and prev.text.endswith(_SENTENCE_END))


def _line_pitch(lines: list[PdfLine], body_size: float) -> float:
    gaps = [b.top - a.bottom for a, b in pairwise(lines) if 0 <= b.top - a.bottom < 2 * body_size]
    return statistics.median(gaps) if gaps else 0.3 * body_size


def _document_words(blocks) -> set[str]:
    words: set[str] = set()
    for _, lines in blocks:
        for ln in lines:
            words.update(w.strip(".,;:()“”\"’'").lower() for w in ln.text.split())
    return words


def _join(lines: list[PdfLine], words: set[str]) -> str:
    """Lines of one block as one string: hyphenation at line ends undone, soft hyphens dropped."""
    out = ""
    for ln in lines:
        t = ln.text
        if not out:
            out = t
            continue
        m = re.search(r"([^\W\d_]+)[-‐\u00ad]$", out)
        n = re.match(r"([^\W\d_]+)", t)
        if m and n and t[0].islower():
            hyphenated = f"{m.group(1)}-{n.group(1)}".lower()
            keep = hyphenated in words and f"{m.group(1)}{n.group(1)}".lower() not in words
            out = (out[:-1] + ("-" if keep else "")) + t
        elif re.search(r"\w-$", out) and t[:1].isalnum():
            out += t  # "Nagorno-/Karabakh", "2020-/2021": a hyphen before a capital or digit is part of the word
        else:
            out = f"{out} {t}"
    return out.replace("\u00ad", "")


def _render(kind: str, lines: list[PdfLine], words: set[str]) -> str:
    text = _join(lines, words)
    if kind == "title":
        return f"# {text}"
    if kind == "heading":
        return f"## {text}"
    if kind == "item":
        return "- " + _BULLET.sub("", text, count=1)
    return text


def _render_notes(notes: list[PdfLine], words: set[str]) -> list[str]:
    """Footnotes as a numbered list: a line starting with a mark (or a number) starts a new note."""
    items: list[list[PdfLine]] = []
    for ln in notes:
        if ln.starts_with_mark or _NUMBERED.match(ln.text) or not items:
            items.append([ln])
        else:
            items[-1].append(ln)
    out = []
    for i, group in enumerate(items, 1):
        mark = group[0].marks if group[0].starts_with_mark and group[0].marks else str(i)
        out.append(f"{mark}. {_NUMBERED.sub('', _join(group, words))}")
    return ["\n".join(out)]
