"""Pronouns for actors (GUIDELINES §5.2), resolved by the grammatical subject just before them.

Used by :mod:`.anaphora` for two schema anaphor kinds, both of which need a dependency parse:

- ``subject`` ("it", "its"): the one state or organisation that is the subject of an earlier clause
  of the same sentence, else of the previous sentence ("Iran objects to the route. Its interest lies
  …" → Iran). "It" as an expletive ("it is clear that …") and "it"/"its" as an object are left alone.
- ``plural`` ("they", "their", "both", "neither of them", "both powers"): two states coordinated in
  the same sentence before it or in the previous one ("Russia and Iran … Neither power …"); for
  "they"/"their"/"them" only a pair that was a subject, or a plural demonym subject ("Armenians fled.
  They …" → Armenia); for "both"/"neither" also two states that are the subjects of the clauses of one
  sentence ("Russia seeks …, and Iran opposes …. Both powers …"), and "both" as an object takes the
  pair named last ("between Armenia and Azerbaijan … attractive to both"). Unlike the ``pair`` kind
  there is no fallback to the conflict's parties.

Nothing is resolved when the subject is two different actors, a person, or when no actor is the subject:
a pronoun for a treaty or a route stays unresolved because its antecedent is no actor mention.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

Resolved = list[tuple[str, Span | None]]
# Verbs that take an expletive "it" with a clause ("it is clear that", "it seems that", "it remains to be seen").
COPULAS = {"is", "was", "be", "been", "being", "'s", "’s", "seems", "seemed", "seem", "appears", "appeared",
           "appear", "remains", "remained", "remain", "became", "becomes", "become", "looks", "matters", "takes", "took"}
CLAUSES = {"ccomp", "xcomp", "csubj", "advcl"}
# Predicate nouns that a state or body can be ("it is the only neighbour that …"); any other makes "it" a thing.
ACTOR_NOUNS = {"neighbour", "neighbor", "state", "country", "power", "actor", "player", "partner", "ally", "member",
               "guarantor", "mediator", "party", "broker", "nation", "republic", "government", "supporter", "opponent",
               "investor", "provider", "beneficiary", "loser", "winner", "home", "exception", "patron", "rival",
               "competitor", "market", "hub", "bridge", "spoiler", "signatory", "host", "leader", "force", "side"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
OBJECT_DEPS = {"pobj", "dobj"}
# "they"/"their"/"them" need a subject antecedent; "both"/"neither" may follow any coordinated pair.
STRICT = {"they", "their", "them", "themselves"}  # may also stand for a people


def pronoun_role(span: Span) -> bool:
    """Whether the pronoun refers: a subject or possessor, not an expletive "it" nor a determiner."""
    if not span.doc.has_annotation("DEP"):
        return False  # without a parse a pronoun could be anything: no guess
    if len(span) > 1:
        return True  # "both powers", "neither of them": a phrase
    tok = span[0]
    if tok.lower_ in ("both", "neither", "either"):
        # a subject or an object ("more attractive to both"), not "both Armenia and Azerbaijan", "was both superior"
        return tok.dep_ in SUBJECT_DEPS | OBJECT_DEPS
    if tok.lower_ in ("its", "their"):
        return tok.dep_ == "poss"
    return tok.dep_ in SUBJECT_DEPS and not _expletive(tok) and not (tok.lower_ == "it" and _predicates_a_thing(tok))


def _predicates_a_thing(tok: Token) -> bool:
    """"… but it would not be a durable peace": "it" whose copula names a thing (a peace, a mistake)
    stands for a situation, not a state; "it is the only neighbour", "it is home to" keep the actor."""
    head = tok.head
    if head.lemma_ != "be" and head.lower_ not in COPULAS:
        return False
    attrs = [c for c in head.children if c.dep_ == "attr" and c.pos_ in ("NOUN", "PROPN")]
    return bool(attrs) and all(a.lower_ not in ACTOR_NOUNS for a in attrs)


def _expletive(tok: Token) -> bool:
    """"It is clear that …", "it remains to be seen whether …": "it" stands for the clause, not an actor."""
    head = tok.head
    verbs = [head] + [c for c in head.children if c.dep_ in ("aux", "auxpass")]
    if not any(v.lower_ in COPULAS for v in verbs):
        return False
    return any(c.dep_ in CLAUSES and c.i > tok.i for c in head.children) or any(
        c.dep_ in ("acomp", "attr") and any(g.dep_ in CLAUSES for g in c.children) for c in head.children)


def subject_of(m: Span) -> bool:
    """Whether the mention is (part of) a grammatical subject (needs a parse)."""
    return _clause_head(m).dep_ in SUBJECT_DEPS


def _clause_head(m: Span) -> Token:
    """The token a mention fills in its clause: "Azerbaijan" in "Azerbaijan and Armenia", "Putin" in "President Putin"."""
    root = m.root
    while root.dep_ in ("compound", "appos", "flat", "conj") and root.head is not root:
        root = root.head
    return root


def nearest_subject(span: Span, own: list[Span], previous: list[Span]) -> list[Span]:
    """The actor mentions that make up the subject nearest before the pronoun: the last subject before it
    in its sentence, else the main subject of the previous sentence; [] when that subject is no actor
    ("the treaty … it", "the commissions adopted … their work")."""
    doc = span.doc
    sent = doc[span.start].sent
    subjects = [t for t in doc[sent.start : span.start] if t.dep_ in SUBJECT_DEPS]
    group = own
    if not subjects and previous:
        prev = previous[0].sent
        subjects = [t for t in prev if t.dep_ in SUBJECT_DEPS and t.head == prev.root]
        group = previous
    if not subjects:
        return []
    subject = subjects[-1]
    return [m for m in group if _clause_head(m) == subject]


def resolve_subject(span: Span, own: list[Span], previous: list[Span], is_person: Callable[[Span], bool]) -> Resolved:
    """"it"/"its": the single state or body (not a person, not a people) that is the nearest subject before it."""
    subjects = nearest_subject(span, own, previous)
    if not subjects or any(is_person(m) or _plural(m) for m in subjects) or len({m.label_ for m in subjects}) != 1:
        return []
    return [(subjects[-1].label_, subjects[-1])]


def resolve_plural(span: Span, own: list[Span], previous: list[Span],
                   coordinated: Callable[[list[Span]], list[Span]], earlier: list[Span] | None = None) -> Resolved:
    """"they", "both", "neither power": the pair of states that is the nearest subject before it; for
    "they"/"their" also a people ("Armenians fled. They …" → Armenia)."""
    if len(span) == 1 and span[0].dep_ in OBJECT_DEPS:
        # "the conflict between Armenia and Azerbaijan … more attractive to both": the pair named last
        before = [m for m in own if m.end <= span.start]
        pair = coordinated(before) or coordinated(previous)
        return [(m.label_, m) for m in pair] if pair else two_subjects(span, own, previous)
    subjects = nearest_subject(span, own, previous)
    pair = coordinated(subjects)
    if pair:
        return [(m.label_, m) for m in pair]
    if span[0].lower_ not in STRICT:
        return two_subjects(span, own, previous, earlier)
    if subjects and len({m.label_ for m in subjects}) == 1 and all(map(_plural, subjects)):
        return [(subjects[-1].label_, subjects[-1])]
    return []


def two_subjects(span: Span, own: list[Span], previous: list[Span], earlier: list[Span] | None = None) -> Resolved:
    """"Russia seeks …, and Iran opposes …. Both powers …": two different states that are the subjects
    (or their possessors: "Baku's goal was …, while Moscow sought …") of the clauses of one sentence —
    the anaphor's own sentence before it if an actor is a subject there, else the previous sentence; or, when
    the previous sentence has one such subject, it and the one of the sentence before ("Tehran sees …
    Moscow has lost …. Neither of them can stop the route")."""
    doc = span.doc
    sent = doc[span.start].sent
    group = own
    fillers = _subject_fillers(list(doc[sent.start : span.start]), own)
    if not fillers and previous:  # no actor is a subject before it: "A common gain for both was …"
        group, fillers = previous, _subject_fillers(list(previous[0].sent), previous)
    labels = [{m.label_ for m in f} for f in fillers]
    if group is previous and earlier and fillers and all(x == labels[0] for x in labels) and len(labels[0]) == 1:
        before = _subject_fillers(list(earlier[0].sent), earlier)
        known = {m.label_ for f in before for m in f}
        if len(known) == 1 and known != labels[0]:
            fillers, labels = [before[-1], fillers[-1]], [known, labels[0]]
    if len(fillers) != 2 or any(len(x) != 1 for x in labels) or labels[0] == labels[1]:
        return []
    return [(f[-1].label_, f[-1]) for f in fillers]


def _subject_fillers(tokens: list[Token], group: list[Span]) -> list[list[Span]]:
    """For each subject among ``tokens``, the mentions that fill it or possess it ("Baku's goal")."""
    heads = [(m, _clause_head(m)) for m in group]
    fillers = []
    for t in (t for t in tokens if t.dep_ in SUBJECT_DEPS):
        ms = [m for m, h in heads if h == t or (h.dep_ == "poss" and h.head == t)]
        if ms:
            fillers.append(ms)
    return fillers


def _plural(m: Span) -> bool:
    """"Armenians", "Azerbaijanis": a plural demonym (a people), not a state."""
    return len(m) == 1 and m.text.endswith("s") and m.root.tag_ in ("NNS", "NNPS")  # not "the United States"
