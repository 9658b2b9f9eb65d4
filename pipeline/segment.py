"""Structural segmentation of a commentary: title, byline, date, headings, paragraphs, lists,
meta-text and the references section, as character spans into the original text.

This runs on the raw text before spaCy (its spans become ``doc.spans["argmine_segments"]``):
layout lives in line breaks, which a tokenizer throws away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .records import Reference, Segment

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST = re.compile(r"^(?:[-•*▪◦–]|\d{1,2}[.)]|[a-z][.)])\s+")
_REFS = re.compile(r"^(?:#{1,6}\s*)?(references|sources|bibliography|works cited|literature|notes and references)\s*:?\s*$", re.I)
_BYLINE = re.compile(r"^(?:✍️?\s*|by\s+|author:\s*|written by\s+)", re.I)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE = re.compile(
    rf"^(?:(?:published|date|posted|updated)\s*:?\s*)?(?:[A-Z][a-z]+,\s+)?"
    rf"(?:\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}|(?:{_MONTHS})\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\s*\.?$",
    re.I,
)
_DATE_VALUE = re.compile(rf"\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}|(?:{_MONTHS})\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}", re.I)
_FIGURE = re.compile(r"^(?:figure|fig\.|table|chart|diagram|map|photo|image|source|note)\s*\d*\s*[:.–-]", re.I)
_QUESTION = re.compile(r"^(?:q|question|\*\*q\*\*)\s*[:.]\s*", re.I)
_ANSWER = re.compile(r"^(?:a|answer|\*\*a\*\*)\s*[:.]\s*", re.I)
# Sentences about the article itself rather than the world (TASK.md: not claims).
META = re.compile(
    r"^(?:the (?:purpose|aim|goal|objective) of this (?:analysis|article|paper|brief|piece|commentary|report)"
    r"|in (?:the|this) (?:diagram|figure|chart|table|map|graph)s?\b"
    r"|(?:this|the present|the following) (?:analysis|article|paper|brief|piece|commentary|report|section|interview|summary|statement)"
    r" (?:first |then |briefly )?(?:proceeds|is structured|is organi[sz]ed|reviews|examines|outlines|looks at|sets out|summari[sz]es|begins|consists|has been edited|was conducted)"
    r"|(?:below|above),? (?:i|we) (?:visuali[sz]e|summari[sz]e|list|outline)"
    r"|(?:the views|views|opinions) expressed (?:here|in this)"
    r"|(?:figure|table|chart) \d+ (?:shows|presents|illustrates))",
    re.I,
)
_FINAL_PUNCT = tuple('.!?…"”’)')


@dataclass
class _Line:
    start: int  # offset of the first non-space character
    end: int  # offset after the last non-space character
    text: str


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(_Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def _is_titlecase(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) >= 0.6


def _looks_like_heading(line: str, next_kind: str | None) -> bool:
    words = line.split()
    if line.endswith(":"):
        # "Rejection of Russian Mediation:" introduces a paragraph; "…, as follows:" introduces a list.
        return len(words) <= 14 and next_kind != "list_item"
    if len(words) > 15:
        return False
    if line.endswith("?"):
        return _is_titlecase(line)
    return not line.endswith(_FINAL_PUNCT)


def segment_text(text: str) -> tuple[list[Segment], list[Reference], dict[str, str | None]]:
    """Split ``text`` into structural segments; return (segments, references, front matter)."""
    lines = _lines(text)
    segments: list[Segment] = []
    references: list[Reference] = []
    front: dict[str, str | None] = {"title": None, "byline": None, "author": None, "date": None}
    section: str | None = None
    paragraph = 0
    in_refs = False
    body_started = False

    def kind_of_next(i: int) -> str | None:
        if i + 1 < len(lines):
            return "list_item" if _LIST.match(lines[i + 1].text) else "other"
        return None

    for i, line in enumerate(lines):
        t, start, end = line.text, line.start, line.end
        md = _MD_HEADING.match(t)
        if in_refs and (md or _is_prose(t)):
            in_refs = False  # a heading or a body paragraph after the list: the references ended
            section = None
        if in_refs:
            m = _LIST.match(t)
            s = start + (m.end() if m else 0)
            references.append(_parse_reference(f"R{len(references) + 1}", text, s, end))
            segments.append(Segment(kind="reference", start=s, end=end, section=section))
            continue
        if _REFS.match(t) and _references_follow(lines, i + 1):
            in_refs = True
            section = _REFS.match(t).group(1)
            s = start + (md.start(2) if md else 0)
            segments.append(Segment(kind="heading", start=s, end=end, section=section))
            continue
        # Front matter: the first few lines before any body paragraph.
        if not body_started and i < 5:
            if _BYLINE.match(t) and front["byline"] is None:
                front["byline"] = t
                front["author"] = _author_of(t)
                segments.append(Segment(kind="byline", start=start, end=end))
                continue
            if _DATE.match(t) and front["date"] is None:
                front["date"] = _DATE_VALUE.search(t).group(0)
                segments.append(Segment(kind="date", start=start, end=end))
                continue
            if i == 0 and (md and len(md.group(1)) == 1 or (not md and _looks_like_heading(t, None) and not t.endswith(":"))):
                s = start + (md.start(2) if md else 0)
                front["title"] = text[s:end]
                segments.append(Segment(kind="title", start=s, end=end))
                continue
        if md:
            s = start + md.start(2)
            section = text[s:end].rstrip(":")
            segments.append(Segment(kind="heading", start=s, end=end, section=section))
            continue
        if _FIGURE.match(t):
            segments.append(Segment(kind="meta", start=start, end=end, section=section))
            continue
        q = _QUESTION.match(t)
        if q and q.end() < len(t):  # a bare "Q:" line has no question text to keep
            segments.append(Segment(kind="question", start=start + q.end(), end=end, section=section))
            continue
        lm = _LIST.match(t)
        if lm:
            body_started = True
            paragraph += 1
            segments.append(Segment(kind="list_item", start=start + lm.end(), end=end, section=section, paragraph=paragraph, list_item=True))
            continue
        if _looks_like_heading(t, kind_of_next(i)):
            section = t.rstrip(":").strip()
            segments.append(Segment(kind="heading", start=start, end=end, section=section))
            continue
        a = _ANSWER.match(t)
        s = start + (a.end() if a else 0)
        body_started = True
        paragraph += 1
        body = text[s:end]
        kind = "paragraph"
        if _single_sentence(body) and META.match(body):
            kind = "meta"
        elif _single_sentence(body) and body.rstrip("”\"’)").endswith("?"):
            kind = "question"
        segments.append(Segment(kind=kind, start=s, end=end, section=section, paragraph=paragraph))
    return segments, references, front


# The start of a reference entry: a short name ("Test, Ana.", "RFE/RL (2024)") then , . ( or :
_REF_SHAPE = re.compile(r"^[\w'’./&-]+(?:\s[\w'’./&-]+){0,4}\s?[,.(:]")


def _reference_like(line: str) -> bool:
    return bool(_LIST.match(line) or _URL.search(line) or (_YEAR.search(line) and _REF_SHAPE.match(line)))


def _is_prose(line: str) -> bool:
    """A body sentence, not a reference entry or a short note (author bio lines stay in the section)."""
    return not _reference_like(line) and len(line.split()) >= 12 and line.endswith(_FINAL_PUNCT)


def _references_follow(lines: list[_Line], i: int) -> bool:
    """A bare "Sources"/"References" line starts a references section only when entries follow.

    Without this, every claim after such a line in the middle of a document was dropped.
    """
    block = []
    for line in lines[i:]:
        if _MD_HEADING.match(line.text):
            break
        block.append(line.text)
    if not block:
        return True
    return sum(map(_reference_like, block)) * 2 >= len(block) and not _is_prose(block[0])


def _single_sentence(text: str) -> bool:
    return len(re.findall(r"[.!?](?:\s|$)", text)) <= 1


def _author_of(byline: str) -> str | None:
    rest = _BYLINE.sub("", byline).strip()
    name = re.split(r"\s+[–—-]\s+|,\s*", rest, maxsplit=1)[0].strip()
    return name or None


_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_URL = re.compile(r"https?://\S+")


def _parse_reference(ref_id: str, text: str, start: int, end: int) -> Reference:
    entry = text[start:end]
    year = _YEAR.search(entry)
    url = _URL.search(entry)
    head = re.split(r"[.,“\"(]|\s\d{4}", entry, maxsplit=1)[0].strip()
    return Reference(
        ref_id=ref_id,
        start=start,
        end=end,
        authors=head or None,
        year=year.group(0) if year else None,
        url=url.group(0).rstrip(".,;") if url else None,
    )
