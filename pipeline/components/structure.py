"""``argmine_structure``: lays the document's layout over the Doc before sentence splitting.

Extension values are plain dicts, lists and strings (msgpack-serialisable), so a Doc survives
``DocBin(store_user_data=True)``, ``nlp.pipe(..., n_process=2)`` and ``spacy.load`` of a saved
pipeline; the runner turns them into records (``Segment``, ``Reference``) when it builds rows.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import AbstractSet

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..segment import segment_text

SEGMENTS_KEY = "argmine_segments"

for _name in ("argmine_references", "argmine_front"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
for _name, _default in (("argmine_section", None), ("argmine_paragraph", None), ("argmine_list_item", False)):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=_default)


@Language.factory(
    "argmine_structure",
    assigns=["doc.spans", "doc._.argmine_references", "doc._.argmine_front", "token.is_sent_start",
             "span._.argmine_section", "span._.argmine_paragraph", "span._.argmine_list_item"],
    requires=[],
)
def make_structure(nlp: Language, name: str) -> StructureComponent:
    return StructureComponent()


class StructureComponent:
    """Finds title, byline, headings, paragraphs, list items, meta-text and references.

    Each block becomes a span in ``doc.spans["argmine_segments"]`` (label = kind) and starts a
    sentence, so no sentence ever runs across a heading or a list item. ``doc._.argmine_references``
    holds the reference entries and ``doc._.argmine_front`` the front matter plus all segments, as
    dicts with the fields of :class:`~argmine.records.Reference` / :class:`~argmine.records.Segment`.
    """

    def __call__(self, doc: Doc) -> Doc:
        segments, references, front = segment_text(doc.text)
        spans, starts, not_starts = [], set(), set()
        for seg in segments:
            span = doc.char_span(seg.start, seg.end, label=seg.kind, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            span._.argmine_section = seg.section
            span._.argmine_paragraph = seg.paragraph
            span._.argmine_list_item = seg.list_item
            spans.append(span)
            starts.add(span.start)
            if "\n" in span.text:
                not_starts.update(_wrap_breaks(span))
            if span.end < len(doc):
                # The token after a block starts the next sentence (usually the newline itself).
                starts.add(span.end)
        _set_sent_starts(doc, starts, not_starts)
        doc.spans[SEGMENTS_KEY] = spans
        doc._.argmine_references = [r.model_dump() for r in references]
        doc._.argmine_front = {"segments": [s.model_dump() for s in segments], **front}
        return doc


_SENT_END = frozenset(".!?…")


def _wrap_breaks(span: Span) -> list[int]:
    """Tokens at a line break inside a (hard-wrapped) block: the break is a space, and no sentence starts
    there unless one ended before it."""
    doc = span.doc
    out = []
    for tok in span[1:]:
        if "\n" not in tok.text or not tok.is_space:
            continue
        prev = doc[tok.i - 1]
        if prev.text in _SENT_END or prev.text[-1:] in _SENT_END or (prev.is_quote and tok.i > 1 and doc[tok.i - 2].text in _SENT_END):
            continue
        out.append(tok.i)
        if tok.i + 1 < span.end:
            out.append(tok.i + 1)
    return out


def _set_sent_starts(doc: Doc, starts: set[int], not_starts: AbstractSet[int] = frozenset()) -> None:
    """Mark sentence starts (and forbidden starts) in one array write: each ``token.is_sent_start = …`` rescans the Doc."""
    if not starts and not not_starts:
        return
    arr = doc.to_array([SENT_START]).astype("int64")  # uint64 from spaCy; -1 means "not a start"
    if not_starts:
        arr[sorted(not_starts - starts)] = -1
    if starts:
        arr[sorted(starts)] = 1
    doc.from_array([SENT_START], arr.astype("uint64"))  # type: ignore[arg-type]  # spaCy's stub wants thinc's Ints2d; a numpy array is what it takes. -1 wraps round, as spaCy itself stores it


def segment_at(doc: Doc, char: int) -> Span | None:
    """The segment span containing character ``char``, if any."""
    spans = doc.spans.get(SEGMENTS_KEY, [])
    # Segments are in text order: bisect on the group itself (O(log n)), never a list rebuilt per call.
    i = bisect_right(spans, char, key=lambda s: s.start_char) - 1
    if i >= 0 and spans[i].start_char <= char < spans[i].end_char:
        return spans[i]
    return None
