"""``argmine_actors``: actor mentions mapped to the schema's canonical ids.

Two sources of mentions, in order of trust:

1. a :class:`spacy.pipeline.SpanRuler` built from the schema's ``[[actors]]`` aliases and token
   patterns (names, metonyms, demonyms, leaders, bodies) — these always win;
2. the statistical NER of the loaded model as a fallback for actors the schema does not know:
   an ``ORG`` that looks like an organisation, a ``GPE`` that is a sovereign state. They keep
   their own name as id and are marked ``in_schema=False``.

Cited authors and publishers (the schema's ``[sources]``, names inside in-text citations, the
references section, the byline) are sources, not actors, and never become mentions.

Writes ``doc.spans["argmine_sources"]`` (schema source names) and ``doc.spans["argmine_mentions"]``
(label = actor id, method "rule" or "ner"); :mod:`.mentions` holds that key and the claim-level getters
``span._.argmine_actors`` / ``span._.argmine_mentions`` that read it.

The schema comes from the config (``schema = "default"`` or a TOML path), so the component can be
made by ``nlp.add_pipe("argmine_actors", config={"schema": PATH})``; ``to_disk`` keeps the schema
file beside the pipeline, so ``spacy.load`` of a saved pipeline works where that path does not exist.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..schema import PACKAGED_SCHEMA, LabelSchema
from .fragments import bodies_of_states, is_generic, merge_fragments, named_organisations
from .mentions import MENTIONS_KEY, in_running_text
from .schema_backed import SchemaBacked
from .sources import (SOURCE_LABEL, SOURCES_KEY, RangeIndex, blocked_chars, cited_bodies, nationality_of_person,
                      publications, word_before_of)
from .venues import Venues, locates_group

log = logging.getLogger(__name__)

# Head words that make an ORG guess plausible as an organisation (NER also labels wars,
# regions and capitalised sentence openers as ORG); acronyms like "BRICS" pass too.
ORG_HEADS = {
    "agency", "alliance", "army", "assembly", "association", "authority", "bank", "bloc", "bureau",
    "cabinet", "coalition", "commission", "committee", "community", "company", "corporation",
    "council", "court", "department", "federation", "forces", "forum", "front", "fund", "government", "justice",
    "group", "guard", "league", "ministry", "mission", "movement", "office", "organisation",
    "organization", "parliament", "party", "secretariat", "service", "union",
}
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{2,7}$")  # two letters are mostly generic ("IT", "PR")

@Language.factory(
    "argmine_actors",
    assigns=["doc.spans", "span._.argmine_method", "span._.argmine_in_schema"],
    requires=["doc.spans"],
    default_config={"schema": PACKAGED_SCHEMA, "ner_labels": ["ORG", "GPE"]},
)
def make_actors(nlp: Language, name: str, schema: str, ner_labels: list[str]) -> ActorComponent:
    return ActorComponent(nlp, name, schema, ner_labels)


class ActorComponent(SchemaBacked):
    """Rule matches from the schema first, NER fallback second; sources filtered out.

    The schema comes from the config (``"default"`` or a path); ``to_disk``/``from_disk`` keep its file
    with a saved pipeline (:class:`SchemaBacked`).
    """

    def __init__(self, nlp: Language, name: str, schema: str = PACKAGED_SCHEMA,
                 ner_labels: Iterable[str] = ("ORG", "GPE")) -> None:
        self.nlp = nlp
        self.ner_labels = set(ner_labels)
        self.ruler: SpanRuler | None = None
        self._init_schema(name, schema)

    def _build(self, schema: LabelSchema) -> None:
        """The SpanRuler over the schema's aliases, patterns and source names."""
        self.schema = schema
        self.source_names = {s.lower() for s in schema.sources.names}
        self.affiliations = {w.lower() for w in schema.sources.affiliations}
        self.media = set(schema.sources.media)
        self.institutions = {w.lower() for w in schema.sources.institutions}
        self.professions = {w.lower() for w in schema.sources.professions}
        self.known: dict[str, str] = {}  # alias (lower) -> id, to keep NER from renaming a known actor
        self.acronyms: dict[str, str] = {}  # "OSCE" -> id, to map a spelled-out name to it
        self.states = {a.id for a in schema.all_actors if a.kind == "state"}
        self.outside = schema.outside_ids
        self.offices = {w.lower() for w in schema.offices.words}
        self.venues = Venues(schema.venues.model_dump(), self.outside)  # an [others] id is also its name
        # validate=True makes spaCy reject a malformed token pattern here too; the schema loader
        # has already named the offending entry (argmine.schema).
        self.ruler = SpanRuler(self.nlp, name=f"{self.name}_ruler", spans_key=f"{self.name}_rules",
                               phrase_matcher_attr="ORTH", validate=True, overwrite=True)
        patterns: list[dict[str, Any]] = []
        for actor in schema.all_actors:
            for alias in actor.aliases:
                self.known[alias.lower()] = actor.id
                if alias.isalpha() and alias.isupper() and len(alias) >= 3:
                    self.acronyms[alias] = actor.id
                for form in _case_variants(alias):
                    patterns.append({"label": actor.id, "pattern": _orth_pattern(self.nlp, form)})
            for pat in actor.patterns:
                patterns.append({"label": actor.id, "pattern": pat})
        for src in schema.sources.names:
            for form in _case_variants(src):
                patterns.append({"label": SOURCE_LABEL, "pattern": _orth_pattern(self.nlp, form)})
        self.ruler.add_patterns(patterns)

    def __call__(self, doc: Doc) -> Doc:
        self._require_schema()
        assert self.ruler is not None  # built with the schema
        self.ruler(doc)
        rule_spans = list(doc.spans[self.ruler.key]) + _hyphenated_aliases(doc, self.known)
        del doc.spans[self.ruler.key]
        blocked = blocked_chars(doc)
        sources = [s for s in rule_spans if s.label_ == SOURCE_LABEL]
        sources += publications(doc, [s for s in rule_spans if s.label_ in self.states], self.media,
                                 {s.start for s in sources})
        found: list[Span] = []
        # A longer source name wins over an alias inside it ("European Council on Foreign Relations").
        blocked_at = RangeIndex(blocked + [(s.start_char, s.end_char) for s in sources])
        for s in rule_spans:
            if s.label_ == SOURCE_LABEL or blocked_at.hits(s):
                continue
            s = _strip_determiner(s)
            s._.argmine_method, s._.argmine_in_schema = "rule", s.label_ not in self.outside
            found.append(s)
        # Longest rule match wins ("Official Baku" over "Baku"); then NER fills the gaps only.
        found = filter_spans(found)
        # places and a person's nationality ("a Georgian political analyst"): no actors, nor may NER re-add them
        not_actors = [s for s in found if self.venues.is_venue(s) or (s.label_ in self.outside and locates_group(s))
                      or nationality_of_person(s, self.professions)]
        found = [s for s in found if s not in not_actors]
        # "Armenian Assembly of America" (an actor); "the American Enterprise Institute" (a source)
        found = named_organisations(doc, found, self.offices, ORG_HEADS | self.institutions, self.states)
        found, cited = cited_bodies(doc, found, self.institutions, self.affiliations)
        sources += cited
        found = bodies_of_states(found, self.states)  # "Security Council of Armenia" is not the UN's
        taken = {i for s in found + not_actors + sources for i in range(s.start, s.end)}
        for ent in doc.ents:
            if ent.label_ not in self.ner_labels or any(i in taken for i in range(ent.start, ent.end)):
                continue
            if blocked_at.hits(ent) or not in_running_text(doc, ent):
                continue
            mention = self._from_ner(doc, ent)
            if mention is not None:
                found.append(mention)
                taken.update(range(mention.start, mention.end))
        doc.spans[MENTIONS_KEY] = merge_fragments(sorted(found, key=lambda s: s.start), self.known, self.acronyms)
        doc.spans[SOURCES_KEY] = sources
        return doc

    def _from_ner(self, doc: Doc, ent: Span) -> Span | None:
        """An NER guess as an out-of-schema actor, or None when it is a source, place or noise."""
        ent = _strip_determiner(ent)
        # Trim punctuation and possessives at the edges; keep the NER label (a bare slice drops it,
        # which once let "Nagorno-Karabakh’s" through as an actor).
        start, end = ent.start, ent.end
        while end > start and (doc[end - 1].is_punct or doc[end - 1].text in ("'s", "’s")):
            end -= 1
        while start < end and doc[start].is_punct:
            start += 1
        if start == end or any(t.text in ("'s", "’s") for t in doc[start:end]):
            return None  # "Foreign Ministry’s Strategic Council" is a body of another, not a name
        if start > 0 and doc[start - 1].text in ("/", "-"):
            return None  # "RFE/RL Armenian Service": the tail of a longer name the NER cut
        ent = Span(doc, start, end, label=ent.label_)
        if end < len(doc) and doc[end].lower_ in self.venues.events:
            return None  # "the European Political Community summit": a venue
        before = word_before_of(doc, start)
        if before in self.venues.events or before in self.affiliations:
            return None  # "the summit of the European Political Community": a venue; "director of X": a source
        name = ent.text
        if name.lower() in self.source_names:
            return None
        if name.lower() in self.known:  # an alias in an unusual position the ruler did not see
            actor = self.known[name.lower()]
            span = Span(doc, ent.start, ent.end, label=actor)
            span._.argmine_method, span._.argmine_in_schema = "ner", actor not in self.outside
            return span
        if ent.label_ == "GPE":
            if not _is_state(name):
                return None  # cities, regions and corridors are places, not actors
            if ent.start > 0 and doc[ent.start - 1].lower_ == "in":
                return None  # "the Houthis in Yemen": a state the schema does not list, as a place
        elif ent.label_ == "ORG":
            if not (_ACRONYM.match(name) or ent[-1].lower_ in ORG_HEADS or _org_of(ent)):
                return None
            if is_generic(ent, self.offices):  # "Council", "defence ministry", "Border Guard Service"
                return None
        span = Span(doc, ent.start, ent.end, label=name)
        span._.argmine_method, span._.argmine_in_schema = "ner", False
        return span


def _hyphenated_aliases(doc: Doc, known: dict[str, str]) -> list[Span]:
    """Aliases broken by a line-end hyphen in copied PDF text: "Azer- baijan", "Pashin- yan" (the
    tokenizer splits them in three: name part, hyphen, lower-case rest)."""
    out = []
    for i in range(len(doc) - 2):
        a, hyphen, b = doc[i], doc[i + 1], doc[i + 2]
        if hyphen.text != "-" or a.whitespace_ or not hyphen.whitespace_ or not (a.is_alpha and b.is_alpha):
            continue
        joined = a.text + b.text
        if a.text[:1].isupper() and b.text.islower() and joined.lower() in known:
            out.append(Span(doc, i, i + 3, label=known[joined.lower()]))
    return out


def _org_of(ent: Span) -> bool:
    """"International Committee of the Red Cross", "Union of Informed Citizens": an organisation word
    followed by "of"/"for", in a name without a possessive ("Assembly's Fact Sheet" is a document)."""
    if any(t.text in ("'s", "’s") for t in ent):
        return False
    return any(t.lower_ in ORG_HEADS and t.i + 1 < ent.end and t.nbor().lower_ in ("of", "for") for t in ent)


def _orth_pattern(nlp: Language, phrase: str) -> list[dict]:
    """A phrase as an exact-token pattern: tokenised only, so adding patterns runs no model."""
    return [{"ORTH": t.text} for t in nlp.make_doc(phrase)]


def _case_variants(alias: str) -> list[str]:
    """The alias as written, plus a capitalised form for sentence starts ("the West" → "The West")."""
    forms = [alias]
    if alias[:1].islower():
        forms.append(alias[:1].upper() + alias[1:])
    return forms


def _strip_determiner(span: Span) -> Span:
    """Mentions are names: "the Kremlin" → "Kremlin", so offsets do not depend on the alias list."""
    if len(span) > 1 and span[0].lower_ == "the":
        new = Span(span.doc, span.start + 1, span.end, label=span.label_)
        return new
    return span


@lru_cache(maxsize=4096)
def _is_state(name: str) -> bool:
    """Whether ``name`` is a sovereign state (ISO 3166 list via pycountry), by its name: a two- or
    three-letter code ("AI" is Anguilla's) is no name in running text."""
    import pycountry

    if len(name) <= 3:
        return False

    try:
        pycountry.countries.lookup(name)
    except LookupError:
        return False
    return True
