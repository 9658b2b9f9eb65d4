"""Structural segmentation of a commentary: title, byline, date, headings, paragraphs, lists,
meta-text and the references section, as character spans into the original text.

This runs on the raw text before spaCy (its spans become ``doc.spans["argmine_segments"]``):
layout lives in line breaks, which a tokenizer throws away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .frontmatter import CREDIT, DATE_LINE, DATE_VALUE, byline_author, dateline, is_kicker
from .records import Reference, Segment, SegmentKind
from .wrapping import Line, logical_lines, squash

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST = re.compile(r"^(?:[-•*▪◦–]|\d{1,2}[.)]|[a-z][.)])\s+")
_REFS = re.compile(r"^(?:#{1,6}\s*)?(references|sources|bibliography|works cited|literature|notes and references|notes|endnotes|footnotes)\s*:?\s*$", re.I)
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


@dataclass
class _State:
    """Where the segmenter is: the current section, body paragraph count, inside references, body begun."""

    section: str | None = None
    paragraph: int = 0
    in_refs: bool = False
    body: bool = False


def segment_text(text: str) -> tuple[list[Segment], list[Reference], dict[str, str | None]]:
    """Split ``text`` into structural segments; return (segments, references, front matter).

    Lines are logical lines (:func:`argmine.wrapping.logical_lines`): a hard-wrapped paragraph is one
    segment whose span keeps its line breaks.
    """
    lines = logical_lines(text)
    segments: list[Segment] = []
    references: list[Reference] = []
    front: dict[str, str | None] = {"title": None, "byline": None, "author": None, "date": None}
    state = _State()
    for i, line in enumerate(lines):
        nxt = lines[i + 1].text if i + 1 < len(lines) else None
        if state.in_refs and (_MD_HEADING.match(line.text) or _is_prose(line.text)):
            state.in_refs = False  # a heading or a body paragraph after the list: the references ended
            state.section = None
        if state.in_refs:
            m = _LIST.match(line.text)
            s = line.start + (m.end() if m else 0)
            references.append(_parse_reference(f"R{len(references) + 1}", text, s, line.end))
            segments.append(Segment(kind="reference", start=s, end=line.end, section=state.section))
        elif (refs := _REFS.match(line.text)) and _references_follow(lines, i + 1):
            state.in_refs = True
            state.section = refs.group(1)
            md = _MD_HEADING.match(line.text)
            segments.append(Segment(kind="heading", start=line.start + (md.start(2) if md else 0), end=line.end, section=state.section))
        elif not (not state.body and i < 8 and _front_line(text, line, segments, front)):
            _body_line(text, line, nxt, segments, front, state)
    return segments, references, front


def _front_line(text: str, line, segments: list[Segment], front: dict) -> bool:
    """Title, byline, date line, kicker or standfirst before the body; False when ``line`` is none of them."""
    t, md = line.text, _MD_HEADING.match(line.text)
    author = byline_author(t) if not md else None
    if author is not None and front["byline"] is None:
        front["byline"], front["author"] = squash(text[line.start : line.end]), author or None
        segments.append(Segment(kind="byline", start=line.start, end=line.end))
        if front["date"] is None and (found := DATE_VALUE.search(t)):
            front["date"] = found.group(0)
        return True
    if DATE_LINE.match(t) and front["date"] is None:
        date = DATE_VALUE.search(t)
        assert date is not None  # DATE_LINE embeds DATE_VALUE's pattern
        front["date"] = date.group(0)
        segments.append(Segment(kind="date", start=line.start, end=line.end))
        return True
    if CREDIT.match(t) or (front["title"] is None and is_kicker(t)):
        segments.append(Segment(kind="meta", start=line.start, end=line.end))
        return True
    untitled = front["title"] is None and all(s.kind == "meta" for s in segments)
    if untitled and ((md and len(md.group(1)) == 1) or (not md and _looks_like_heading(t, None) and not t.endswith(":"))):
        s = line.start + (md.start(2) if md else 0)
        front["title"] = squash(text[s : line.end])
        segments.append(Segment(kind="title", start=s, end=line.end))
        return True
    if front["title"] is not None and not md and _is_standfirst(t):
        segments.append(Segment(kind="meta", start=line.start, end=line.end))
        return True
    return False


def _is_standfirst(t: str) -> bool:
    """A sentence-case summary under the title without final punctuation (it would pass for a heading)."""
    return _looks_like_heading(t, None) and not t.endswith((":", "?")) and len(t.split()) >= 8 and not _is_titlecase(t)


def _body_line(text: str, line, nxt: str | None, segments: list[Segment], front: dict, state: _State) -> None:
    t, start, end = line.text, line.start, line.end
    section = state.section
    md = _MD_HEADING.match(t)
    if md:
        s = start + md.start(2)
        state.section = squash(text[s:end]).rstrip(":")
        segments.append(Segment(kind="heading", start=s, end=end, section=state.section))
        return
    if _FIGURE.match(t) or CREDIT.match(t):
        segments.append(Segment(kind="meta", start=start, end=end, section=section))
        return
    q = _QUESTION.match(t)
    if q and q.end() < len(t):  # a bare "Q:" line has no question text to keep
        segments.append(Segment(kind="question", start=start + q.end(), end=end, section=section))
        return
    lm = _LIST.match(t)
    if lm:
        state.body = True
        state.paragraph += 1
        segments.append(Segment(kind="list_item", start=start + lm.end(), end=end, section=section, paragraph=state.paragraph, list_item=True))
        return
    if _looks_like_heading(t, "list_item" if nxt and _LIST.match(nxt) else ("other" if nxt else None)):
        state.section = squash(t).rstrip(":").strip()
        segments.append(Segment(kind="heading", start=start, end=end, section=state.section))
        return
    a = _ANSWER.match(t)
    s = start + (a.end() if a else 0)
    if not state.body:
        s = _dateline(text, s, end, segments, front, section)
    state.body = True
    state.paragraph += 1
    body = squash(text[s:end])
    kind: SegmentKind = "paragraph"
    if _single_sentence(body) and META.match(body):
        kind = "meta"
    elif _single_sentence(body) and body.rstrip("”\"’)").endswith("?"):
        kind = "question"
    segments.append(Segment(kind=kind, start=s, end=end, section=section, paragraph=state.paragraph))


def _dateline(text: str, s: int, end: int, segments: list[Segment], front: dict, section: str | None) -> int:
    """A news dateline opening the first paragraph becomes a date segment; returns where the paragraph starts."""
    found = dateline(text[s:end])
    if found is None:
        return s
    length, value = found
    head = text[s : s + length].rstrip(" —–-")
    segments.append(Segment(kind="date", start=s, end=s + len(head), section=section))
    if value and front["date"] is None:
        front["date"] = value
    return s + length


# The start of a reference entry: a short name ("Test, Ana.", "RFE/RL (2024)") then , . ( or :
_REF_SHAPE = re.compile(r"^[\w'’./&-]+(?:\s[\w'’./&-]+){0,4}\s?[,.(:]")


def _reference_like(line: str) -> bool:
    return bool(_LIST.match(line) or _URL.search(line) or (_YEAR.search(line) and _REF_SHAPE.match(line)))


def _is_prose(line: str) -> bool:
    """A body sentence, not a reference entry or a short note (author bio lines stay in the section)."""
    return not _reference_like(line) and len(line.split()) >= 12 and line.endswith(_FINAL_PUNCT)


def _references_follow(lines: list[Line], i: int) -> bool:
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
