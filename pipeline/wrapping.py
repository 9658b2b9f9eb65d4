"""Logical lines of a text: hard-wrapped paragraphs re-joined without changing the text.

Text copied from a PDF, an e-mail or a report summary is often hard-wrapped: one paragraph spans
several lines. A line continues into the next when

- the document is hard-wrapped (its full-width lines mostly end mid-sentence) and the line is full:
  the next line's first word would not have fitted on it (what ``fold -s`` and mail clients do), or
- the line ends without sentence punctuation and the next line starts in lower case.

A logical line keeps the offsets of its first and last physical line; the line breaks inside it stay
in the text (so offsets still point into the file as read) and are read as spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FINAL = tuple('.!?…"”’)')
_MD_HEADING = re.compile(r"^#{1,6}\s")
_MARKER = re.compile(r"^(?:[-•*▪◦–]|\d{1,2}[.)]|[a-z][.)])\s+")
_BYLINE_START = re.compile(r"^(?:by|written by|author:)\s", re.I)
# A wrapped document's lines are at most this wide; longer lines mean one paragraph per line.
MAX_WRAP_WIDTH = 160


@dataclass
class Line:
    start: int  # offset of the first non-space character
    end: int  # offset after the last non-space character
    text: str  # the line's words, line breaks read as spaces
    n_physical: int = 1


def physical_lines(text: str) -> list[Line]:
    """Non-blank lines with their offsets; ``blank_before`` is encoded by a gap in the list (see logical_lines)."""
    out, pos = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        else:
            out.append(Line(pos, pos, ""))
        pos += len(raw) + 1
    return out


def wrap_width(lines: list[Line]) -> int | None:
    """The wrap width of a hard-wrapped text, or None when lines are paragraphs."""
    texts = [ln.text for ln in lines if ln.text]
    if len(texts) < 4:
        return None
    width = max(len(t) for t in texts)
    if width > MAX_WRAP_WIDTH:
        return None
    full = [t for t in texts if len(t) >= width - 12]
    mid_sentence = sum(not t.endswith(_FINAL) for t in full)
    return width if len(full) >= 3 and mid_sentence * 2 >= len(full) else None


def continues(line: Line, nxt: Line, width: int | None, in_item: bool = False) -> bool:
    """Whether ``nxt`` (the next non-blank line, no blank between) continues ``line``'s sentence.

    ``in_item``: ``line`` ends a list item, so a next line with a list marker is the next item.
    """
    a, b = line.text, nxt.text
    if _MD_HEADING.match(b):
        return False
    first_word = b.split()[0]
    if _MARKER.match(b) and (in_item or a.endswith(_FINAL) or a.endswith(":") or not width):
        return False  # a list item after another one or after a finished line
    if width and len(a) + 1 + len(first_word) > width:
        return True
    if _BYLINE_START.match(b):
        return False  # "by X" under a short title is a byline, not the title's continuation
    if _MD_HEADING.match(a) or a.endswith(_FINAL) or a.endswith(":"):
        return False
    return b[0].islower() and not _MARKER.match(b) and len(a.split()) >= 3


def logical_lines(text: str) -> list[Line]:
    """Non-blank lines with wrapped continuations merged (offsets unchanged, text joined by spaces)."""
    phys = physical_lines(text)
    width = wrap_width(phys)
    out: list[Line] = []
    prev_blank = True
    for ln in phys:
        if not ln.text:
            prev_blank = True
            continue
        if out and not prev_blank and continues(_last_physical(out[-1], text), ln, width, bool(_MARKER.match(out[-1].text))):
            cur = out[-1]
            out[-1] = Line(cur.start, ln.end, f"{cur.text} {ln.text}", cur.n_physical + 1)
        else:
            out.append(ln)
        prev_blank = False
    return out


def _last_physical(line: Line, text: str) -> Line:
    """The last physical line of a logical line (the width test looks at it, not the whole paragraph)."""
    if line.n_physical == 1:
        return line
    cut = text.rfind("\n", line.start, line.end) + 1
    return Line(cut, line.end, text[cut : line.end].strip())


def squash(s: str) -> str:
    """Whitespace (line breaks of a wrapped heading or title) as single spaces."""
    return " ".join(s.split())
