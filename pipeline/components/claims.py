"""``argmine_claim_candidates``: the rule-based claim detector.

Every sentence of a body paragraph or list item is a candidate. Each gets a score
(``span._.argmine_claim_score``) and a reason (``span._.argmine_claim_reason``); candidates at or
above ``threshold`` become ``doc.spans["argmine_claims"]``, and all of them stay in
``doc.spans["argmine_claim_candidates"]`` so a learned model can rescore them instead.

Not claims (TASK.md): questions, meta-text about the article ("In the diagram above…", "The purpose
of this analysis is…"), signposting that only introduces a list ("…in three key dimensions:"),
bare definitions in a list ("Ideal Peace – A durable, legally grounded agreement…"), and fragments
of under four words. Headings, bylines and references never reach this component (they are not body segments).

A sentence that plainly joins two propositions with a contrastive connective is split in two: at
"; however," / "; but" / "; yet" / "; whereas" always, at ", while" / ", whereas" / ", but" only when
the parse shows a finite clause with its own subject on both sides, the second not subordinated by a
word of its own (", but only if citizens believe …" is a condition, not a second proposition). The first part ends before the
punctuation, the second starts at the connective (annotation rules).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from ..segment import META
from .structure import SEGMENTS_KEY, segment_at

CLAIMS_KEY = "argmine_claims"
CANDIDATES_KEY = "argmine_claim_candidates"
CLAIM_KINDS = {"paragraph", "list_item"}
FINITE_TAGS = {"VBZ", "VBP", "VBD", "MD"}
EMBEDDED = {"ccomp", "xcomp", "csubj", "relcl", "acl", "pcomp"}  # clauses inside another clause
# "Label – definition": a short title-case label, a dash, then the text.
_LABELLED = re.compile(r"^[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,5}\s+[–—-]\s+\S")

for _name, _default in (("argmine_claim_score", None), ("argmine_claim_reason", None)):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=_default)

# Sentence-initial patterns of meta-text, in addition to argmine.segment.META.
META_PATTERNS: list[list[dict[str, Any]]] = [
    [{"LOWER": {"IN": ["in", "on"]}}, {"LOWER": {"IN": ["the", "this"]}}, {"LOWER": {"IN": ["diagram", "figure", "chart", "table", "map", "graph", "infographic"]}}],
    [{"LOWER": {"IN": ["below", "above"]}, "OP": "?"}, {"IS_PUNCT": True, "OP": "?"}, {"LOWER": {"IN": ["i", "we"]}},
     {"LOWER": {"IN": ["visualize", "visualized", "visualise", "visualised", "summarize", "summarized", "outline", "outlined",
                        "list", "listed", "describe", "described", "present", "presented", "discuss", "examine", "argue", "show"]}}],
    [{"LOWER": "the"}, {"LOWER": {"IN": ["purpose", "aim", "goal", "objective"]}}, {"LOWER": "of"},
     {"LOWER": {"IN": ["this", "the"]}}, {"LOWER": {"IN": ["analysis", "article", "paper", "brief", "piece", "commentary", "report", "study"]}}],
    [{"LOWER": {"IN": ["this", "the"]}}, {"LOWER": {"IN": ["analysis", "article", "paper", "brief", "piece", "commentary", "report", "section"]}},
     {"LOWER": {"IN": ["proceeds", "is", "begins", "concludes", "examines", "reviews", "outlines"]}},
     {"LOWER": {"IN": ["structured", "organized", "organised", "divided", "as", "in", "with", "by"]}, "OP": "?"}],
]
# Connectives that may join two propositions.
SPLIT_PATTERNS: dict[str, list[list[dict[str, Any]]]] = {
    "semicolon": [[{"ORTH": ";"}, {"LOWER": {"IN": ["however", "but", "yet", "whereas", "while", "nevertheless", "nonetheless"]}}]],
    "comma": [[{"ORTH": ","}, {"LOWER": {"IN": ["while", "whereas", "but", "although", "though"]}}]],
}


@Language.factory(
    "argmine_claim_candidates",
    assigns=["doc.spans", "span._.argmine_claim_score", "span._.argmine_claim_reason", "span._.argmine_section",
             "span._.argmine_paragraph", "span._.argmine_list_item"],
    requires=["doc.spans", "token.is_sent_start"],
    default_config={"threshold": 0.5, "split": True},
)
def make_claim_candidates(nlp: Language, name: str, threshold: float, split: bool) -> "ClaimDetector":
    return ClaimDetector(nlp.vocab, threshold=threshold, split=split)


class ClaimDetector:
    """Scores body sentences as claims; splits contrastive two-proposition sentences."""

    def __init__(self, vocab, threshold: float = 0.5, split: bool = True) -> None:
        self.threshold = threshold
        self.split = split
        self.meta = Matcher(vocab, validate=True)
        self.meta.add("META", META_PATTERNS)
        self.splitter = Matcher(vocab, validate=True)
        for key, pats in SPLIT_PATTERNS.items():
            self.splitter.add(key, pats)

    def __call__(self, doc: Doc) -> Doc:
        parsed = doc.has_annotation("DEP")
        tagged = doc.has_annotation("TAG")
        definition_lists = _definition_lists(doc, tagged)
        candidates, claims = [], []
        for sent in doc.sents:
            span = _trim(sent)
            if span is None:
                continue
            seg = segment_at(doc, span.start_char)
            if seg is None or seg.label_ not in CLAIM_KINDS:
                continue
            parts = self._split(span, parsed) if self.split else [span]
            for part in parts:
                score, reason = self.score(part, seg, tagged, definition_lists)
                out = Span(doc, part.start, part.end, label="claim")
                out._.argmine_section = seg._.argmine_section
                out._.argmine_paragraph = seg._.argmine_paragraph
                out._.argmine_list_item = seg._.argmine_list_item
                out._.argmine_claim_score = score
                out._.argmine_claim_reason = reason
                candidates.append(out)
                if score >= self.threshold:
                    claims.append(out)
        doc.spans[CANDIDATES_KEY] = candidates
        doc.spans[CLAIMS_KEY] = claims
        return doc

    def score(self, span: Span, seg: Span, tagged: bool, definition_lists: set[int]) -> tuple[float, str]:
        """(score, reason): 0.9 for an ordinary assertion, low for the non-claims of TASK.md."""
        text = span.text
        if text.rstrip("”\"’)").endswith("?"):
            return 0.0, "question"
        if META.match(text) or any(start == 0 for _, start, _ in self.meta(span)):
            return 0.0, "meta"
        if text.endswith(":") and _next_is_list(span.doc, seg):
            return 0.05, "signposting"
        if seg.label_ == "list_item" and seg.start == span.start and _LABELLED.match(text) and seg.start in definition_lists:
            return 0.1, "definition"
        words = [t for t in span if not (t.is_punct or t.is_space)]
        if len(words) < 4:
            return 0.2, "fragment"
        if tagged and not any(t.tag_.startswith("VB") or t.tag_ == "MD" for t in span):
            # No verb at all by the tagger: perhaps a label, but the small tagger misses verbs
            # ("aligns" as a plural noun), so it is kept at lower confidence rather than dropped.
            return 0.6, "verbless"
        return 0.9, "assertion"

    def _split(self, span: Span, parsed: bool) -> list[Span]:
        doc = span.doc
        for match_id, start, _ in sorted(self.splitter(span), key=lambda m: m[1]):
            kind = doc.vocab.strings[match_id]
            punct, conn = span.start + start, span.start + start + 1
            if kind == "comma" and not parsed:
                continue
            first, second = doc[span.start : punct], doc[conn : span.end]
            if min(len(first), len(second)) < 4:
                continue
            if parsed and not (_has_clause(first) and _has_clause(second, main=True)):
                continue
            return [first] + self._split(second, parsed)
        return [span]



def _has_finite_verb(span: Span) -> bool:
    return any(t.tag_ in FINITE_TAGS for t in span)


def _has_clause(span: Span, main: bool = False) -> bool:
    """A finite verb with its own subject inside ``span`` (so "…, but as neighbours" is no clause);
    ``main``: one not subordinated by a word of its own ("…, but only if citizens believe …" is a
    condition on the first proposition, not a second one; the connective "while" may mark it)."""
    for t in span:
        if t.dep_ in ("nsubj", "nsubjpass", "expl") and span.start <= t.head.i < span.end:
            head = t.head
            if main and (head.dep_ in EMBEDDED or any(c.dep_ == "mark" and c.i != span.start for c in head.children)):
                continue
            if head.tag_ in FINITE_TAGS or any(c.tag_ in FINITE_TAGS and c.dep_ in ("aux", "auxpass") for c in head.children):
                return True
    return False


def _next_is_list(doc: Doc, seg: Span) -> bool:
    nxt = _neighbour(doc, seg, +1)
    return nxt is not None and nxt.label_ == "list_item"


def _neighbour(doc: Doc, seg: Span, step: int) -> Span | None:
    spans = doc.spans.get(SEGMENTS_KEY, [])
    i = bisect_left(spans, seg.start, key=lambda s: s.start)  # segments are in text order
    if i < len(spans) and spans[i].start == seg.start:
        j = i + step
        return spans[j] if 0 <= j < len(spans) else None
    return None


def _definition_lists(doc: Doc, tagged: bool) -> set[int]:
    """Start tokens of list items that belong to a list of bare definitions.

    A run of "Label – text" items is a definition list when meta-text introduces it ("In the
    diagram above, I visualized four key assumptions…") or, with POS tags, when most of its items
    have no finite verb after the dash.
    """
    spans = list(doc.spans.get(SEGMENTS_KEY, []))
    out: set[int] = set()
    i = 0
    while i < len(spans):
        if spans[i].label_ != "list_item":
            i += 1
            continue
        j = i
        while j < len(spans) and spans[j].label_ == "list_item":
            j += 1
        items = spans[i:j]
        labelled = [s for s in items if _LABELLED.match(s.text)]
        intro = spans[i - 1] if i > 0 else None
        by_meta = intro is not None and (intro.label_ == "meta" or bool(META.match(intro.text)))
        verbless = sum(1 for s in labelled if not _has_finite_verb(_after_dash(s))) if tagged else 0
        if labelled and len(labelled) == len(items) and (by_meta or (tagged and verbless * 2 > len(items))):
            out.update(s.start for s in items)
        i = j
    return out


def _after_dash(item: Span) -> Span:
    for t in item:
        # the spaced dash after the label, not the hyphen of "Development-Oriented"
        if t.text in ("–", "—", "-") and t.i > item.start and item.doc[t.i - 1].whitespace_:
            return item.doc[t.i + 1 : item.end]
    return item


def _trim(span: Span) -> Span | None:
    """Drop leading/trailing whitespace tokens so offsets start and end on text."""
    start, end = span.start, span.end
    while start < end and span.doc[start].is_space:
        start += 1
    while end > start and span.doc[end - 1].is_space:
        end -= 1
    return span.doc[start:end] if end > start else None
