"""``argmine_citations``: in-text citations, parsed and linked to the references section.

A citation is a parenthetical that ends in a year: "(Stronski, 2023)", "(Elman Fattah, KHAR
Center, 2025)", "(EUMA Contracts 2024–2025)", "(Smith 2020; Jones, 2021a)". Each becomes a span in
``doc.spans["argmine_citations"]`` whose ``span._.argmine_ref_ids`` lists the linked entries of
``doc._.argmine_references`` (from :mod:`argmine.segment`). ``span._.argmine_citations`` on any
span (a claim) gives the reference ids cited inside it.

Linking is by name, then year. A name matches an entry when, ignoring case, spaces and
punctuation, it occurs in the entry (URL included: "Wilson Center" finds ".../wilsoncenter.org/..."),
is the acronym of a capitalised run in it ("ICG" → "International Crisis Group"), or is a near
spelling of the entry's first author ("Wilson Center" ~ "Vilsoncenter"). Among name matches the same
year wins; with no same year, the nearest; remaining ties go to the entry whose title shares most
words with the citing sentence, then to the first.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..records import Reference

CITATIONS_KEY = "argmine_citations"

_YEAR = r"(?:19|20)\d{2}[a-z]?(?:\s*[–-]\s*(?:19|20)?\d{2,4})?"
# One parenthetical whose last part is a year; no nested parentheses, at most ~120 characters.
_PAREN = re.compile(r"\(([^()\n]{2,120}?)\)")
_ONE = re.compile(rf"^(?P<names>.*?)[,\s]\s*(?P<year>{_YEAR})$")
_STOP = {"the", "of", "and", "for", "in", "on", "a", "an", "to", "its", "with", "between", "how", "why", "what"}

if not Span.has_extension("argmine_ref_ids"):
    Span.set_extension("argmine_ref_ids", default=None)


def _get_citations(span: Span) -> list[str] | None:
    if CITATIONS_KEY not in span.doc.spans:
        return None
    ids: list[str] = []
    group = span.doc.spans[CITATIONS_KEY]
    # Citations are in text order: bisect to the first inside the span (O(log n + k)).
    for i in range(bisect_left(group, span.start_char, key=lambda c: c.start_char), len(group)):
        c = group[i]
        if c.start_char >= span.end_char:
            break
        if c.end_char <= span.end_char:
            ids.extend(c._.argmine_ref_ids or [])
    return list(dict.fromkeys(ids))


if not Span.has_extension("argmine_citations"):
    Span.set_extension("argmine_citations", getter=_get_citations)


@Language.factory(
    "argmine_citations",
    assigns=["doc.spans", "span._.argmine_ref_ids"],
    requires=["doc._.argmine_references", "doc.spans"],
)
def make_citations(nlp: Language, name: str) -> "CitationLinker":
    return CitationLinker()


class CitationLinker:
    """Finds author–year parentheticals in the body and links them to reference entries."""

    def __call__(self, doc: Doc) -> Doc:
        refs = [Reference.model_validate(r) for r in doc._.argmine_references or []]
        text = doc.text  # Doc.text joins every token on each access: read it once, not per citation
        body_end = min((r.start for r in refs), default=len(text))
        spans = []
        for m in _PAREN.finditer(text, 0, body_end):
            parts = [p.strip() for p in m.group(1).split(";")]
            parsed = [_ONE.match(p) for p in parts]
            if not parts or not all(parsed):
                continue
            span = doc.char_span(m.start(), m.end(), label="citation", alignment_mode="expand")
            if span is None:
                continue
            context = _sentence_text(doc, span)
            ids = []
            for p in parsed:
                assert p is not None  # all(parsed) above
                ref = link_citation(p.group("names"), p.group("year"), refs, text, context)
                if ref is not None:
                    ids.append(ref.ref_id)
            span._.argmine_ref_ids = ids
            spans.append(span)
        doc.spans[CITATIONS_KEY] = spans
        return doc


def link_citation(names: str, year: str, refs: list[Reference], text: str, context: str = "") -> Reference | None:
    """The reference entry an author–year citation points to, or None."""
    wanted = _names(names)
    if not wanted or not refs:
        return None
    first_year = int(year[:4])
    scored = []
    for ref in refs:
        entry = text[ref.start : ref.end]
        if any(_name_matches(n, entry, ref.authors or "") for n in wanted):
            ref_year = int(ref.year) if ref.year else None
            gap = abs(ref_year - first_year) if ref_year else 99
            scored.append((gap, -_overlap(context, entry), ref))
    if not scored:
        return None
    scored.sort(key=lambda t: (t[0], t[1]))
    return scored[0][2]


def _names(raw: str) -> list[str]:
    """Name parts of a citation: "Elman Fattah, KHAR Center" → both; "et al." dropped."""
    raw = re.sub(r"\bet al\.?", "", raw)
    return [n.strip(" ,.") for n in re.split(r",|&|\band\b", raw) if n.strip(" ,.")]


def _norm(s: str) -> str:
    return re.sub(r"[\W_]+", "", s.lower())


def _name_matches(name: str, entry: str, head: str) -> bool:
    key = _norm(name)
    if len(key) < 2:
        return False
    if len(key) <= 4:  # short names and acronyms only as whole words ("CMF", not inside "...cmfx...")
        if re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", entry, re.I):
            return True
    elif key in _norm(entry):
        return True
    if name.isupper() and len(name) <= 6 and name in _acronyms(entry):
        return True
    h = _norm(head)
    return bool(h) and difflib.SequenceMatcher(None, key, h).ratio() >= 0.85


def _acronyms(entry: str) -> set[str]:
    """Initials of capitalised word runs: "International Crisis Group" → {"ICG", ...}."""
    out = set()
    for run in re.findall(r"(?:[A-Z][\w’'-]+(?:\s+(?:of|for|and|on)\s+|\s+)?)+", entry):
        words = [w for w in run.split() if w[0].isupper()]
        out.add("".join(w[0] for w in words))
    return out


def _overlap(context: str, entry: str) -> int:
    """Content words shared by the citing sentence and the entry (tie-breaker for same name+year)."""
    words = lambda s: {w for w in re.findall(r"[a-z]{4,}", s.lower()) if w not in _STOP}  # noqa: E731
    return len(words(context) & words(entry))


def _sentence_text(doc: Doc, span: Span) -> str:
    try:
        return span[0].sent.text
    except ValueError:  # no sentence boundaries set
        return doc.text[max(0, span.start_char - 300) : span.end_char]
