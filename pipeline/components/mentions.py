"""Actor mentions on a Doc and the claim-level getters that read them.

``doc.spans["argmine_mentions"]`` holds every actor mention (label = actor id) found by
``argmine_actors`` and ``argmine_anaphora``; ``span._.argmine_method`` says how ("rule", "ner",
"anaphora") and ``span._.argmine_in_schema`` whether the id is a schema actor. ``doc._.argmine_antecedents``
keeps the antecedent offsets of anaphora mentions. Any span — a claim in particular — reads its own
actors through ``span._.argmine_actors`` (ids, by first mention, the document's issuer first) and
``span._.argmine_mentions`` (dicts with the fields of :class:`~argmine.records.Mention`; plain data,
so Docs serialise).
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Span

from .issuer import document_issuer

MENTIONS_KEY = "argmine_mentions"
# NER is unreliable on title-case lines, so its fallback (and anaphora) only read running text.
NER_KINDS = {"paragraph", "list_item", "question", "meta"}

for _name, _default in (("argmine_method", None), ("argmine_in_schema", True)):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=_default)


ANTECEDENTS = "argmine_antecedents"
# "start:end:actor" of an anaphora mention → [start, end] of its antecedent (argmine_anaphora). Kept on
# the Doc: span extensions are shared by spans with the same offsets, and "both sides" is two mentions.
if not Doc.has_extension(ANTECEDENTS):
    Doc.set_extension(ANTECEDENTS, default=None)


def antecedent_key(start_char: int, end_char: int, actor: str) -> str:
    return f"{start_char}:{end_char}:{actor}"


def mentions_in(span: Span) -> list[Span]:
    """Mention spans (from ``doc.spans["argmine_mentions"]``) lying inside ``span``."""
    group = span.doc.spans.get(MENTIONS_KEY, [])
    # Mentions are sorted by start token: bisect to the first one, stop past the span (O(log n + k)).
    out = []
    for i in range(bisect_left(group, span.start, key=lambda m: m.start), len(group)):
        m = group[i]
        if m.start >= span.end:
            break
        if m.end <= span.end:
            out.append(m)
    return out


def _get_mentions(span: Span) -> list[dict] | None:
    if MENTIONS_KEY not in span.doc.spans:
        return None
    out = []
    issuer = document_issuer(span.doc)
    if issuer:  # the issuer of an official text comes first (GUIDELINES §5.5); offsets = its evidence
        out.append({"text": issuer["text"], "start": issuer["start"], "end": issuer["end"], "actor": issuer["actor"],
                    "method": "issuer", "in_schema": issuer.get("in_schema", True)})
    antecedents = span.doc._.get(ANTECEDENTS) or {}
    for m in mentions_in(span):
        mention = {"text": m.text, "start": m.start_char, "end": m.end_char, "actor": m.label_,
                   "method": m._.argmine_method or "rule", "in_schema": bool(m._.argmine_in_schema)}
        ante = antecedents.get(antecedent_key(m.start_char, m.end_char, m.label_))
        if ante:
            mention["antecedent_start"], mention["antecedent_end"] = ante[0], ante[1]
        out.append(mention)
    return out


def _get_actors(span: Span) -> list[str] | None:
    if MENTIONS_KEY not in span.doc.spans:
        return None
    issuer = document_issuer(span.doc)
    first = [issuer["actor"]] if issuer else []
    return list(dict.fromkeys(first + [m.label_ for m in mentions_in(span)]))


for _name, _getter in (("argmine_mentions", _get_mentions), ("argmine_actors", _get_actors)):
    if not Span.has_extension(_name):
        Span.set_extension(_name, getter=_getter)


def in_running_text(doc: Doc, span: Span) -> bool:
    """Whether ``span`` lies in body text (paragraph, list item, question, meta), not a heading or byline."""
    from .structure import segment_at

    seg = segment_at(doc, span.start_char)
    return seg is not None and seg.label_ in NER_KINDS
