"""``argmine_anaphora``: actors named without their name, linked to the actors named before them.

The classes come from the schema's ``[[anaphora]]`` (GUIDELINES §5.2):

- ``pair`` ("both countries", "the two sides", "the parties") → the two states being discussed: two
  states joined by "and"/a comma/a dash right after it ("the two neighbours, Turkey and Armenia"), by
  "between … and" before it in its sentence, or in the previous sentence ("Georgia and Azerbaijan
  signed … Both countries"); else the pair named together most often so far (the schema's pair
  ``relations`` pair too: "Turkey's frontier with Armenia"); else the schema's ``[conflict]`` parties
  (:mod:`.pairs`);
- ``body`` ("the bloc", "the mission") → the one candidate body named in the nearest sentence of the
  paragraph that names any, else the candidate named most often so far (``scope = "near"``: the same
  or previous sentence only; ``cues``: the antecedent must
  carry one of these words, so "the mission" is EUMA's or the Russian peacekeeping mission);
- ``person`` ("he", "the prime minister") → the state of the one leader (holding ``office``, if given)
  named in the same or previous sentence — schema leaders, officials introduced with a title
  (:mod:`.people`), and persons already resolved; a title may also stand for a lone state there;
- ``state`` ("the government", "the country") → the one state named in the same or previous sentence;
- ``group`` ("the three South Caucasus states") → all its ``candidates``, with no antecedent.
- ``subject`` ("it", "its") and ``plural`` ("they", "neither power") → the state, body or coordinated
  pair that is the nearest subject before the pronoun (:mod:`.pronouns`; needs a dependency parse).

Later mentions of an official introduced with a title ("Kılıç said") are resolved to the title's state.

Nothing is resolved when two candidates compete. Each resolution is a span in
``doc.spans["argmine_mentions"]`` over the anaphor with ``._.argmine_method == "anaphora"``; the
character offsets of its antecedent are in ``doc._.argmine_antecedents`` (absent for the schema default).
With a dependency parse, anaphors with their own "of"/"in" complement ("both sides of the border",
"the parties in parliament") are left alone; on a blank pipeline the phrase alone decides.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..schema import PACKAGED_SCHEMA, LabelSchema
from .mentions import ANTECEDENTS, MENTIONS_KEY, antecedent_key, in_running_text
from .people import TitledPerson, titled_people
from .anaphora_window import Context, has_cue, leader, one_of
from .pronouns import pronoun_role, resolve_plural, resolve_subject, subject_of
from .schema_backed import SchemaBacked
from .pairs import Pairs
from .structure import segment_at

log = logging.getLogger(__name__)

# Complements that make the phrase a place or another group, not the parties of the conflict.
AWAY_PREPS = {"in", "within", "inside"}
AWAY_OBJECTS_OK = {"conflict", "talks", "negotiations", "agreement", "process", "dispute", "war", "treaty", "accord"}



@Language.factory(
    "argmine_anaphora",
    assigns=["doc.spans", "doc._.argmine_antecedents"],
    requires=["doc.spans"],
    default_config={"schema": PACKAGED_SCHEMA},
)
def make_anaphora(nlp: Language, name: str, schema: str) -> AnaphoraResolver:
    """The schema (``"default"`` or a TOML path) gives the phrases, leaders, states and conflict parties."""
    return AnaphoraResolver(nlp, name, schema)


class AnaphoraResolver(SchemaBacked):
    """Finds the schema's anaphor phrases and resolves each to earlier actor mentions, or leaves it."""

    def __init__(self, nlp: Language, name: str = "argmine_anaphora", schema: str = PACKAGED_SCHEMA) -> None:
        self.nlp = nlp
        self._init_schema(name, schema)

    def _build(self, schema: LabelSchema) -> None:
        self.classes = [a.model_dump() for a in schema.anaphora]
        self.states = {a.id for a in schema.all_actors if a.kind == "state"}
        self.seats = set(schema.venues.seats)
        self.outside = schema.outside_ids
        self.leaders = {alias: office for a in schema.actors for alias, office in a.leaders.items()}
        relations = {w.lower() for a in schema.anaphora if a.kind == "pair" for w in a.relations}
        conflict = list(schema.conflict.parties) if schema.conflict else []
        self.pairs = Pairs(self.states, conflict, relations)
        self.offices = {w.lower() for w in schema.offices.words}
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for i, an in enumerate(self.classes):
            self.matcher.add(str(i), [self.nlp.make_doc(p) for p in an["phrases"]])

    def __call__(self, doc: Doc) -> Doc:
        self._require_schema()
        mentions = list(doc.spans.get(MENTIONS_KEY, []))
        # Blank lines are sentences of their own to spaCy; they must not count as "the previous sentence".
        ctx = Context([s.start for s in doc.sents if not s.text.isspace()], list(mentions))
        for m in mentions:
            if m.text in self.leaders:
                ctx.offices[(m.start, m.end, m.label_)] = self.leaders[m.text]
        taken = {i for m in mentions for i in range(m.start, m.end)}
        found = [Span(doc, s, e, label=k) for k, s, e in self.matcher(doc)]
        officials = _surnames_of_officials(doc, mentions, self.offices, ctx)
        found += [Span(doc, s, s + 1, label=label) for s, label in officials]
        new: list[Span] = []
        antecedents: dict[str, list[int]] = {}  # plain data, so Docs serialise
        for span in sorted(filter_spans(found), key=lambda s: s.start):
            if any(i in taken for i in range(span.start, span.end)) or not in_running_text(doc, span):
                continue
            if span.label_.startswith("@"):  # a titled official's later mention: resolved already
                resolved: list[tuple[str, Span | None]] = [(span.label_[1:], officials[(span.start, span.label_)])]
                office = ctx.office_of(span)
            else:
                an = self.classes[int(span.label_)]
                if _has_own_complement(span, an["kind"], self.seats, taken):
                    continue
                resolved = self._resolve(an, span, ctx)
                office = self._office(an, resolved, ctx)
            for actor, ante in resolved:
                m = Span(doc, span.start, span.end, label=actor)
                m._.argmine_method, m._.argmine_in_schema = "anaphora", actor not in self.outside
                if ante is not None:
                    antecedents[antecedent_key(m.start_char, m.end_char, actor)] = [ante.start_char, ante.end_char]
                new.append(m)
                ctx.add(m, office)
        doc.spans[MENTIONS_KEY] = sorted(mentions + new, key=lambda s: s.start)
        doc._.set(ANTECEDENTS, antecedents)
        return doc

    def _office(self, an: dict, resolved: list, ctx: Context) -> str | None:
        """A resolved person keeps the antecedent's office, so "he" can follow "the prime minister"."""
        if an["kind"] != "person" or len(resolved) != 1 or resolved[0][1] is None:
            return None
        return ctx.office_of(resolved[0][1]) or an.get("office") or ""

    def _resolve(self, an: dict, span: Span, ctx: Context) -> list[tuple[str, Span | None]]:
        groups = ctx.window(span, near=an.get("scope", "document") == "near")
        if an["kind"] == "pair":
            return self.pairs.resolve(span, ctx)
        if an["kind"] == "group":
            return [(actor, None) for actor in an["candidates"]]
        if an["kind"] == "body":
            cues = {c.lower() for c in an.get("cues", [])}
            return self._body(an, span, groups, lambda m: m.label_ in an["candidates"] and (not cues or has_cue(m, cues)),
                              ctx)
        if an["kind"] == "state":
            return one_of(ctx.window(span, near=True), lambda m: m.label_ in self.states)
        if an["kind"] in ("subject", "plural"):
            return self._pronoun(an, span, ctx)
        return self._person(an, span, ctx.window(span, near=True, people=True), ctx)

    def _body(self, an: dict, span: Span, groups: list[list[Span]], ok: Callable[[Span], bool],
              ctx: Context) -> list[tuple[str, Span | None]]:
        """The one candidate of the nearest sentence naming any — within the anaphor's paragraph; beyond
        it, the candidate named most often so far ("the mission" in a brief on EUMA that also has a
        paragraph on the Russian peacekeepers), nothing on a tie."""
        key = ("other body", span[-1].text, tuple(an["candidates"]))
        if key not in ctx.memo:  # one scan of the text per head word, not per anaphor
            ctx.memo[key] = _other_body_named(span, [m for m in span.doc.spans.get(MENTIONS_KEY, [])
                                                     if m.label_ in an["candidates"]])
        if ctx.memo[key]:
            return []  # "the Council" in a text by the "Anatolia–Caucasus Dialogue Council": its own
        if an.get("scope") == "near":
            return one_of(groups, ok)
        seg = segment_at(span.doc, span.start_char)
        para = seg.start if seg is not None else 0
        local = [g for g in groups if g[0].start >= para]
        if any(ok(m) for g in local for m in g):
            return one_of(local, ok)
        hits = [m for g in reversed(groups) for m in g if ok(m)]  # text order
        lead = leader(Counter(m.label_ for m in hits))
        return [] if lead is None else [(lead, [m for m in hits if m.label_ == lead][-1])]

    def _pronoun(self, an: dict, span: Span, ctx: Context) -> list[tuple[str, Span | None]]:
        """"it"/"its" by the subject before it; "they"/"both" by a coordinated pair (:mod:`.pronouns`)."""
        if not pronoun_role(span):
            return []
        this = ctx.sent_of(span.start)
        by_sent = {ctx.sent_of(g[0].start): g for g in ctx.window(span, near=False)}  # one pass over the mentions
        own, previous, earlier = (by_sent.get(this - k, []) for k in range(3))
        if an["kind"] == "subject":
            return resolve_subject(span, own, previous, lambda m: ctx.office_of(m) is not None)
        return resolve_plural(span, own, previous, self.pairs.pair_of, earlier)

    def _person(self, an: dict, span: Span, groups: list[list[Span]], ctx: Context) -> list[tuple[str, Span | None]]:
        """A person (of the office, if any) named in the window; for a title, else a lone state."""
        office = an.get("office")
        window = [m for g in groups for m in g]

        def is_person(m: Span) -> bool:
            held = ctx.office_of(m)
            # a pronoun follows a subject ("Pashinyan told … He added"), not "made by Pashinyan"
            return held is not None and (held.endswith(office) if office else
                                         not m.doc.has_annotation("DEP") or subject_of(m))

        if _other_people(span.doc, window, ctx):
            return []  # a person outside the schema could be meant: "Kolerov said … He added"
        resolved = one_of([window], is_person)
        if resolved or office is None or any(ctx.office_of(m) is not None for m in window):
            return resolved
        return one_of([window], lambda m: m.label_ in self.states)


def _surnames_of_officials(doc: Doc, mentions: list[Span], offices: set[str], ctx: Context) -> dict[tuple[int, str], Span]:
    """Later mentions of officials introduced with a title: (token, "@<actor>") → the title (antecedent)."""
    people = titled_people(doc, mentions, offices)
    if not people:
        return {}
    for p in people:  # the titled mention is a person of that office, for "he" and "the minister"
        ctx.offices[(p.title.start, p.title.end, p.actor)] = p.office
        ctx.people.append(Span(doc, p.title.start, p.title.end, label=p.actor))
    first: dict[str, TitledPerson] = {}
    for p in people:
        first.setdefault(p.surname, p)
    out = {}
    for tok in doc:
        named = first.get(tok.text)
        if named is None or tok.i < named.title.end:
            continue
        out[(tok.i, "@" + named.actor)] = named.title
        ctx.offices[(tok.i, tok.i + 1, named.actor)] = named.office
    return out


def _other_people(doc: Doc, window: list[Span], ctx: Context) -> bool:
    """Whether the statistical NER found a person in the window who is neither a leader nor an official."""
    if not window or not doc.has_annotation("ENT_IOB"):
        return False
    lo = min(m.sent.start for m in window)
    hi = max(m.end for m in window)
    covered = {i for m in ctx.mentions + ctx.people for i in range(m.start, m.end)}
    return any(e.label_ == "PERSON" and lo <= e.start < hi and not covered.intersection(range(e.start, e.end))
               for e in doc.ents)


_DETERMINERS = {"The", "A", "An", "This", "That", "Its", "Our", "Their"}


def _other_body_named(span: Span, candidates: list[Span]) -> bool:
    """Whether the text names a body with the anaphor's head word that is none of the candidates:
    "Anatolia–Caucasus Dialogue Council", "Council for Neighbourhood and Caucasus Affairs". Then "the
    Council" may be that body, and two candidates compete."""
    head = re.escape(span[-1].text)
    name = re.compile(rf"(?:\b[A-Z][\w’'–-]*\s+){{1,5}}{head}\b|\b{head} (?:for|of|on) (?:the )?[A-Z]")
    for m in name.finditer(span.doc.text):
        words = m.group(0).split()
        while words and words[0] in _DETERMINERS:
            words = words[1:]
        if len(words) < 2:
            continue  # "The Council" itself
        if not any(x.start_char < m.end() and m.start() < x.end_char for x in candidates):
            return True
    return False


def _has_own_complement(span: Span, kind: str, seats: set[str], taken: set[int]) -> bool:
    """"the president of Azerbaijan", "the president Ilham Aliyev", "both sides of the border": not anaphora;
    "hosted the two foreign ministers in Washington" (a seat: where they met) is, as is "both leaders in
    Sochi" (a place name that is no actor's); "the parties in Armenia" (an actor: its parties) is not."""
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    if kind == "person" and nxt is not None and (nxt.lower_ == "of" or (nxt.text[:1].isupper() and nxt.is_alpha)):
        return True
    if kind == "pair" and doc.has_annotation("DEP"):
        head = span[-1]
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in AWAY_PREPS:
                objects = [c for c in prep.children if c.dep_ == "pobj"]
                if not any(o.lower_ in AWAY_OBJECTS_OK or o.text in seats or (o.pos_ == "PROPN" and o.i not in taken)
                           for o in objects):
                    return True
    return False
