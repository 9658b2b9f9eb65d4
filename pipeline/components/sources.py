"""Sources are not actors (GUIDELINES §5.7): where they are, and names that make a state inside them none.

Cited authors and publishers are found by the schema's ``[sources] names`` (a SpanRuler label in
:mod:`.actors`), by the blocks that hold only sources (byline, references, in-text citations), and by
the shapes below: a publication named with a state ("the Armenian Weekly"), a research body named with
a state ("the American Enterprise Institute"), an organisation after an affiliation word.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Span

from .citations import CITATIONS_KEY
from .structure import SEGMENTS_KEY

SOURCES_KEY = "argmine_sources"
SOURCE_LABEL = "SOURCE"
# Blocks whose names are never actors: the author line and the bibliography.
NO_ACTOR_KINDS = {"byline", "date", "reference"}


def blocked_chars(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges that hold sources, not actors: byline, references, in-text citations."""
    ranges = [(s.start_char, s.end_char) for s in doc.spans.get(SEGMENTS_KEY, []) if s.label_ in NO_ACTOR_KINDS]
    ranges += [(s.start_char, s.end_char) for s in doc.spans.get(CITATIONS_KEY, [])]
    return ranges


class RangeIndex:
    """Character ranges sorted by start with running maximum ends: an overlap test in O(log n)."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        ranges = sorted(ranges)
        self.starts = [s for s, _ in ranges]
        self.max_end, top = [], -1
        for _, e in ranges:
            top = max(top, e)
            self.max_end.append(top)

    def hits(self, span: Span) -> bool:
        return self.overlaps(span.start_char, span.end_char)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)  # ranges starting before ``end``
        return i > 0 and self.max_end[i - 1] > start


def publications(doc: Doc, states: list[Span], media: set[str], source_starts: set[int]) -> list[Span]:
    """Publication names made of a state's name or demonym and a media word: "Armenian News", "the
    Armenian Weekly", "Azerbaijani State Television", "the Armenian service of RFE/RL" — sources
    (GUIDELINES §5.7), so the state inside is none."""
    lower = {w.lower() for w in media}
    out = []
    for m in states:
        for k in (m.end, m.end + 1):
            if k >= len(doc):
                break
            word = doc[k].text
            named = word in media or word.split("-")[0] in media  # "News-NEWS.am" stays one token
            # lower case only as a source's part: "the Armenian service of RFE/RL"
            of_source = word.lower() in lower and k + 2 < len(doc) and doc[k + 1].lower_ == "of" and k + 2 in source_starts
            if not (named or of_source):
                continue
            if k == m.end + 1 and not (doc[m.end].text[:1].isupper() and doc[m.end].is_alpha):
                continue
            out.append(Span(doc, m.start, k + 1, label=SOURCE_LABEL))
            break
    return out


def cited_bodies(doc: Doc, found: list[Span], institutions: set[str],
                 affiliations: set[str]) -> tuple[list[Span], list[Span]]:
    """Split off organisations named with a state inside (``fragments.named_organisations``) that are
    sources: a research or teaching body, or one after an affiliation word ("researchers at the X")."""
    keep, cited = [], []
    for m in found:
        is_org = m._.argmine_method == "ner" and not m._.argmine_in_schema and m.label_ == m.text
        if is_org and (any(t.lower_ in institutions for t in m) or word_before_of(doc, m.start) in affiliations):
            cited.append(Span(doc, m.start, m.end, label=SOURCE_LABEL))
        else:
            keep.append(m)
    return keep, cited


def word_before_of(doc: Doc, start: int) -> str | None:
    """The word before "of"/"at" (and "the") that precedes token ``start``: "summit" in "the summit of the EPC"."""
    i = start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    return doc[i - 1].lower_ if i >= 1 and doc[i].lower_ in ("of", "at") else None


def nationality_of_person(m: Span, professions: set[str]) -> bool:
    """Whether a state mention only gives a person's nationality: "a Georgian political analyst",
    "Russian historian Modest Kolerov" (GUIDELINES §5.4) — a demonym, up to two lower-case words, then
    a singular profession word."""
    doc = m.doc
    for k in range(m.end, min(len(doc), m.end + 3)):
        word = doc[k]
        if word.lower_ in professions:
            return True
        if not (word.is_alpha and word.is_lower) or word.is_stop:
            return False  # "Turkey is an expert at …": a clause, not a title
    return False
