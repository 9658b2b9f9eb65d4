"""``argmine_claim_candidates``: sentences of body paragraphs and list items that may be claims."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..segment import META
from .structure import segment_at

CLAIMS_KEY = "argmine_claims"
CLAIM_KINDS = {"paragraph", "list_item"}

if not Span.has_extension("argmine_claim_score"):
    Span.set_extension("argmine_claim_score", default=None)


@Language.factory(
    "argmine_claim_candidates",
    assigns=["doc.spans"],
    requires=["doc.spans", "token.is_sent_start"],
)
def make_claim_candidates(nlp: Language, name: str) -> "ClaimCandidates":
    return ClaimCandidates()


class ClaimCandidates:
    """Keeps sentences inside paragraphs/list items; drops questions and meta-text.

    A first, rule-only filter: later components may rescore or split these spans.
    """

    def __call__(self, doc: Doc) -> Doc:
        claims = []
        for sent in doc.sents:
            span = _trim(sent)
            if span is None:
                continue
            seg = segment_at(doc, span.start_char)
            if seg is None or seg.label_ not in CLAIM_KINDS:
                continue
            text = span.text
            if text.rstrip("”\"’)").endswith("?") or META.match(text):
                continue
            span = Span(doc, span.start, span.end, label="claim")
            span._.argmine_section = seg._.argmine_section
            span._.argmine_paragraph = seg._.argmine_paragraph
            span._.argmine_list_item = seg._.argmine_list_item
            span._.argmine_claim_score = 1.0
            claims.append(span)
        doc.spans[CLAIMS_KEY] = claims
        return doc


def _trim(span: Span) -> Span | None:
    """Drop leading/trailing whitespace tokens so offsets start and end on text."""
    start, end = span.start, span.end
    while start < end and span.doc[start].is_space:
        start += 1
    while end > start and span.doc[end - 1].is_space:
        end -= 1
    return span.doc[start:end] if end > start else None
