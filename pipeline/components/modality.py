"""Modality of a claim: ``span._.argmine_claim_type`` and ``span._.argmine_hedged`` (extension getters).

claim_type, in order of precedence (RULES: conditional > prescription > prediction > assessment):

- conditional: a fronted condition frames the claim ("If signed, …", "On the other hand, if …,
  it could …", "Otherwise, …", "Only then …"); a trailing "…, especially if …" does not;
- prescription: a deontic modal or verb on the main clause ("must", "should", "ought to",
  "need(s) to", "has to", "calls for", "requires");
- prediction: a future or epistemic-possibility modal on the main clause ("will", "would",
  "could", "may", "might") or anywhere a "will"/"would" future, or a likelihood word;
- assessment otherwise.

hedged: a hedge ("may", "might", "could", "seems", "appears", "perhaps", "somewhat", …) in the
main clause; hedges inside a subordinate clause ("Armenia, while seemingly more democratized, …")
qualify that clause, not the claim.

These are getters rather than a pipeline step because claims are made last (after the detector
splits sentences); they read the dependency parse when there is one and fall back to the words.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

PRESCRIPTIVE = {"must", "should", "ought"}
PRESCRIPTIVE_VERBS = {("call", "for"), ("calls", "for"), ("called", "for"), ("need", "to"), ("needs", "to"), ("has", "to"), ("have", "to")}
REQUIRE = {"require", "requires", "recommend", "recommends", "necessitates"}
FUTURE = {"will", "would", "shall", "'ll", "’ll", "wo"}
POSSIBLE = {"could", "may", "might"}
LIKELIHOOD = {"likely", "likelihood", "unlikely", "risks", "probably", "eventually"}
HEDGES = {"may", "might", "could", "seems", "seem", "seemed", "appears", "appear", "appeared", "perhaps", "possibly",
          "somewhat", "arguably", "apparently", "probably", "seemingly", "likely", "presumably"}
CONDITION_MARKS = {"if", "unless"}
CONDITION_OPENERS = (("otherwise",), ("only", "then"), ("only", "if"), ("only", "when"), ("if",), ("unless",))
EMBEDDED = {"advcl", "relcl", "acl", "ccomp", "csubj", "pcomp", "xcomp", "parataxis", "appos"}


def _has_parse(span: Span) -> bool:
    # The span's own tokens, not doc.has_annotation: that scans the whole unparsed Doc on every claim.
    return any(t.dep for t in span)


def _root(span: Span) -> Token:
    return span.root


def _main_clause(tok: Token, root: Token) -> bool:
    """Whether ``tok`` hangs from ``root`` without passing through a subordinate clause."""
    cur = tok
    while cur.i != root.i and cur.head.i != cur.i:
        # A clause before its head joined by a colon ("X seems promising: the parties …") is parsed
        # as ccomp/parataxis of the second clause, but it is a main clause of the sentence.
        fronted = cur.dep_ in ("ccomp", "parataxis") and cur.i < cur.head.i
        if cur.dep_ in EMBEDDED and not fronted:
            return False
        cur = cur.head
    return cur.i == root.i


def _main_verbs(span: Span) -> list[Token]:
    root = _root(span)
    return [root] + [t for t in root.children if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX") and span.start <= t.i < span.end]


def claim_type(span: Span) -> str:
    words = [t.lower_ for t in span]
    if _is_conditional(span, words):
        return "conditional"
    if _has_parse(span):
        verbs = _main_verbs(span)
        aux = {c.lower_ for v in verbs for c in v.children if c.dep_ in ("aux", "auxpass")}
        heads = {v.lower_ for v in verbs}
        pairs = {(v.lower_, c.lower_) for v in verbs for c in v.children}
        if aux & PRESCRIPTIVE or heads & REQUIRE or pairs & PRESCRIPTIVE_VERBS or (aux & {"need", "needs", "has", "have"} and "to" in aux):
            return "prescription"
        if aux & (FUTURE | POSSIBLE) or set(words) & FUTURE or set(words) & LIKELIHOOD or heads & {"risks", "risk"}:
            return "prediction"
        return "assessment"
    if set(words) & PRESCRIPTIVE:
        return "prescription"
    if set(words) & (FUTURE | LIKELIHOOD):
        return "prediction"
    return "assessment"


def _is_conditional(span: Span, words: list[str]) -> bool:
    lead = [w for w in words[:3] if w.isalpha()]
    if any(tuple(lead[: len(o)]) == o for o in CONDITION_OPENERS):
        return True
    if not _has_parse(span):
        return False
    root = _root(span)
    for t in span:
        # A condition placed before the main verb frames the whole claim.
        if t.lower_ in CONDITION_MARKS and t.i < root.i and t.dep_ in ("mark", "advmod", "dep", "prep"):
            return True
    return False


def hedged(span: Span) -> bool:
    if not _has_parse(span):
        return any(t.lower_ in HEDGES for t in span)
    root = _root(span)
    return any(t.lower_ in HEDGES and _main_clause(t, root) for t in span)


if not Span.has_extension("argmine_claim_type"):
    Span.set_extension("argmine_claim_type", getter=claim_type)
if not Span.has_extension("argmine_hedged"):
    Span.set_extension("argmine_hedged", getter=hedged)
