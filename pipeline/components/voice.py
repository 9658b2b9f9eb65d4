"""Voice of a claim: ``span._.argmine_speaker`` — who puts it forward (extension getter).

"author" unless the claim reports another party's position: a reporting or stance verb
("emphasize", "insist", "argue", "perceive", "view … as", "harbor concerns that", …) in the active
voice whose grammatical subject names an actor ("Turkish officials consistently emphasize that …"
→ Turkey; "Iran perceives …" → Iran) or a source ("Giragosian argues that …" → "Giragosian").
The verb must take a clause or an "as" complement, so "Azerbaijan accepted the deployment" stays the
author's. Needs the dependency parse; without one every claim is the author's.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from .sources import SOURCE_LABEL, SOURCES_KEY
from .mentions import mentions_in

# Verbs (lower-cased surface forms, no lemmatizer in the pipeline) that report a position.
REPORTING = {
    "say", "says", "said", "argue", "argues", "argued", "claim", "claims", "claimed", "insist", "insists", "insisted",
    "emphasize", "emphasizes", "emphasized", "emphasise", "emphasises", "emphasised", "stress", "stresses", "stressed",
    "assert", "asserts", "asserted", "maintain", "maintains", "maintained", "state", "states", "stated",
    "declare", "declares", "declared", "warn", "warns", "warned", "believe", "believes", "believed",
    "contend", "contends", "contended", "consider", "considers", "considered", "fear", "fears", "feared",
    "note", "notes", "noted", "reiterate", "reiterates", "reiterated", "announce", "announces", "announced",
    "accuse", "accuses", "accused", "demand", "demands", "demanded", "suggest", "suggests", "suggested",
}
# Stance verbs that report a view through an "as" complement ("Russia views X as …").
VIEWING = {"view", "views", "viewed", "perceive", "perceives", "perceived", "see", "sees", "saw", "regard", "regards", "regarded"}
# "Baku harbors concerns that …": a verb plus a noun of attitude.
ATTITUDE_VERBS = {"harbor", "harbors", "harboured", "harbored", "harbours", "express", "expresses", "expressed", "voice", "voices", "voiced"}
ATTITUDE_NOUNS = {"concern", "concerns", "fear", "fears", "hope", "hopes", "view", "views", "belief", "doubts", "suspicion"}
SUBJECTS = {"nsubj"}  # active voice only: "X is viewed as" names no holder of the view


def speaker(span: Span) -> str:
    doc = span.doc
    if not any(t.dep for t in span):  # unparsed (per span: doc.has_annotation rescans the Doc each claim)
        return "author"
    for tok in span:
        if not _reports(tok):
            continue
        subj = next((c for c in tok.children if c.dep_ in SUBJECTS), None)
        if subj is None or not (span.start <= subj.i < span.end):
            continue
        holder = _holder(doc, subj)
        if holder:
            return holder
    return "author"


def _reports(tok: Token) -> bool:
    low = tok.lower_
    deps = {c.dep_ for c in tok.children}
    if low in REPORTING:
        return bool(deps & {"ccomp", "xcomp", "dobj"}) or any(c.lower_ == "that" for c in tok.subtree)
    if low in VIEWING:
        return any(c.dep_ == "prep" and c.lower_ == "as" for c in tok.children) or "ccomp" in deps
    if low in ATTITUDE_VERBS:
        return any(c.dep_ == "dobj" and c.lower_ in ATTITUDE_NOUNS for c in tok.children)
    return False


def _holder(doc, subj: Token) -> str | None:
    """The actor (or source) named in the subject phrase, if any."""
    lo, hi = subj.left_edge.i, subj.right_edge.i + 1
    sub = doc[lo:hi]
    found = mentions_in(sub)
    if found:
        return found[0].label_
    # A cited author or publisher speaking in the text ("Freedom House reports that …").
    for ent in _ents_within(doc, lo, hi):
        if ent.label_ in ("PERSON", "ORG"):
            return ent.text
    for s in doc.spans.get(SOURCES_KEY, []):
        if lo <= s.start and s.end <= hi and s.label_ == SOURCE_LABEL:
            return s.text
    return None


if not Span.has_extension("argmine_speaker"):
    Span.set_extension("argmine_speaker", getter=speaker)


def _ents_within(doc, lo: int, hi: int):
    """Entities lying wholly in tokens [lo, hi), read from the tokens' IOB tags.

    ``doc.ents`` builds every entity of the Doc on each call: per claim that made long documents quadratic.
    """
    i = lo
    while i < hi:
        if doc[i].ent_iob_ != "B":
            i += 1
            continue
        j = i + 1
        while j < len(doc) and doc[j].ent_iob_ == "I":
            j += 1
        if j <= hi:
            yield Span(doc, i, j, label=doc[i].ent_type_)
        i = j
