"""``argmine_anaphora``: actors named without their name, linked to the actors named before them.

The classes come from the schema's ``[[anaphora]]`` (GUIDELINES §5.2):

- ``pair`` ("both countries", "the two sides", "the parties") → the two states being discussed: the
  nearest sentence (this one, then back through the paragraph and the document) that names exactly
  two states, or the schema's ``[conflict]`` parties when it names more that include them or nothing
  nearer names a pair;
- ``body`` ("the bloc", "the mission") → the one candidate body named in the nearest sentence that
  names any (``scope = "near"``: the same or previous sentence only);
- ``person`` ("he", "the prime minister") → the state of the one leader (holding ``office``, if given)
  named in the same or previous sentence; a title may also stand for the one state named there.

Nothing is resolved when two candidates compete. Each resolution is a span in
``doc.spans["argmine_mentions"]`` over the anaphor with ``._.argmine_method == "anaphora"`` and
``._.argmine_antecedent`` = the character offsets of the antecedent (None for the schema default).
With a dependency parse, anaphors with their own "of"/"in" complement ("both sides of the border",
"the parties in parliament") are left alone; on a blank pipeline the phrase alone decides.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .actors import MENTIONS_KEY, in_running_text

log = logging.getLogger(__name__)

# Complements that make the phrase a place or another group, not the parties of the conflict.
AWAY_PREPS = {"of", "in", "within", "inside"}
AWAY_OBJECTS_OK = {"conflict", "talks", "negotiations", "agreement", "process", "dispute", "war", "treaty", "accord"}

if not Span.has_extension("argmine_antecedent"):
    Span.set_extension("argmine_antecedent", default=None)


@Language.factory(
    "argmine_anaphora",
    assigns=["doc.spans"],
    requires=["doc.spans"],
    default_config={"anaphora": [], "actors": [], "conflict": []},
)
def make_anaphora(nlp: Language, name: str, anaphora: list[dict], actors: list[dict], conflict: list[str]) -> "AnaphoraResolver":
    return AnaphoraResolver(nlp, anaphora, actors, conflict)


@dataclass
class _Context:
    """Sentence boundaries (token offsets) and the mentions found so far, for looking back."""

    starts: list[int]
    mentions: list[Span]

    def sent_of(self, token_i: int) -> int:
        return bisect_right(self.starts, token_i) - 1

    def by_sentence(self, before: int) -> list[list[Span]]:
        """Mentions grouped by sentence, nearest first, only those starting before token ``before``."""
        groups: dict[int, list[Span]] = {}
        for m in self.mentions:
            if m.start < before:
                groups.setdefault(self.sent_of(m.start), []).append(m)
        return [groups[k] for k in sorted(groups, reverse=True)]


class AnaphoraResolver:
    """Finds the schema's anaphor phrases and resolves each to earlier actor mentions, or leaves it."""

    def __init__(self, nlp: Language, anaphora: list[dict], actors: list[dict], conflict: list[str]) -> None:
        self.classes = anaphora
        self.states = {a["id"] for a in actors if a.get("kind") == "state"}
        self.leaders = {alias: (a["id"], office) for a in actors for alias, office in a.get("leaders", {}).items()}
        self.conflict = list(conflict)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for i, an in enumerate(anaphora):
            self.matcher.add(str(i), [nlp.make_doc(p) for p in an["phrases"]])

    def __call__(self, doc: Doc) -> Doc:
        mentions = list(doc.spans.get(MENTIONS_KEY, []))
        taken = {i for m in mentions for i in range(m.start, m.end)}
        ctx = _Context([s.start for s in doc.sents], mentions)
        found = [Span(doc, s, e, label=k) for k, s, e in self.matcher(doc)]
        new: list[Span] = []
        for span in filter_spans(found):
            if any(i in taken for i in range(span.start, span.end)) or not in_running_text(doc, span):
                continue
            an = self.classes[int(span.label_)]
            if _has_own_complement(span, an["kind"]):
                continue
            for actor, ante in self._resolve(an, span, ctx):
                m = Span(doc, span.start, span.end, label=actor)
                m._.argmine_method, m._.argmine_in_schema = "anaphora", True
                m._.argmine_antecedent = None if ante is None else (ante.start_char, ante.end_char)
                new.append(m)
        if new:
            log.debug("%d anaphoric mentions resolved", len(new))
        doc.spans[MENTIONS_KEY] = sorted(mentions + new, key=lambda s: s.start)
        return doc

    def _resolve(self, an: dict, span: Span, ctx: _Context) -> list[tuple[str, Span | None]]:
        groups = ctx.by_sentence(span.start)
        if an.get("scope", "document") == "near":
            this = ctx.sent_of(span.start)
            groups = [g for g in groups if ctx.sent_of(g[0].start) >= this - 1]
        if an["kind"] == "pair":
            return self._pair(span, ctx, groups)
        if an["kind"] == "body":
            return _one_of(groups, lambda m: m.label_ in an["candidates"])
        return self._person(an, span, groups)

    def _pair(self, span: Span, ctx: _Context, groups: list[list[Span]]) -> list[tuple[str, Span | None]]:
        """The two states of the nearest sentence naming two; the conflict parties by default."""
        this = ctx.sent_of(span.start)
        # The anaphor's own sentence counts whole: "the two neighbours, Turkey and Armenia, …".
        own = [m for m in ctx.mentions if ctx.sent_of(m.start) == this]
        for group in [own] + [g for g in groups if ctx.sent_of(g[0].start) != this]:
            states = _first_by_id(m for m in group if m.label_ in self.states)
            if len(states) == 2:
                return [(m.label_, m) for m in states]
            if len(states) > 2:
                if set(self.conflict) <= {m.label_ for m in states}:
                    return [(m.label_, m) for m in states if m.label_ in self.conflict]
                return []  # three or more states, none of them the pair: ambiguous
        return [(actor, None) for actor in self.conflict]

    def _person(self, an: dict, span: Span, groups: list[list[Span]]) -> list[tuple[str, Span | None]]:
        """A leader (of the office, if any) named in the window; for a title, else a lone state."""
        office = an.get("office")
        window = [m for g in groups for m in g]

        def is_leader(m: Span) -> bool:
            held = self.leaders.get(m.text)
            return held is not None and (office is None or held[1].endswith(office))

        if _other_people(span.doc, window, groups, self.leaders):
            return []  # a person outside the schema could be meant: "Kolerov said … He added"
        resolved = _one_of([window], is_leader)
        if resolved or office is None or any(m.text in self.leaders for m in window):
            return resolved
        return _one_of([window], lambda m: m.label_ in self.states)


def _one_of(groups: list[list[Span]], ok) -> list[tuple[str, Span | None]]:
    """The single actor id among the qualifying mentions of the nearest group that has any."""
    for group in groups:
        hits = [m for m in group if ok(m)]
        if hits:
            ids = {m.label_ for m in hits}
            return [(hits[-1].label_, hits[-1])] if len(ids) == 1 else []
    return []


def _first_by_id(mentions) -> list[Span]:
    out: dict[str, Span] = {}
    for m in mentions:
        out.setdefault(m.label_, m)
    return list(out.values())


def _other_people(doc: Doc, window: list[Span], groups: list[list[Span]], leaders: dict) -> bool:
    """Whether the statistical NER found a person in the window who is not a schema leader."""
    if not window or not doc.has_annotation("ENT_IOB"):
        return False
    lo = min(m.sent.start for m in window)
    hi = max(m.end for m in window)
    covered = {i for m in window for i in range(m.start, m.end)}
    return any(e.label_ == "PERSON" and lo <= e.start < hi and not covered.intersection(range(e.start, e.end))
               for e in doc.ents)


def _has_own_complement(span: Span, kind: str) -> bool:
    """"the president of Azerbaijan", "the president Ilham Aliyev", "both sides of the border": not anaphora."""
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    if kind == "person" and nxt is not None and (nxt.lower_ == "of" or (nxt.text[:1].isupper() and nxt.is_alpha)):
        return True
    if kind == "pair" and doc.has_annotation("DEP"):
        head = span[-1]
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in AWAY_PREPS:
                objects = [c.lower_ for c in prep.children if c.dep_ == "pobj"]
                if not any(o in AWAY_OBJECTS_OK for o in objects):
                    return True
    return False
