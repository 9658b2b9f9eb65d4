"""``argmine_issuer``: the issuer of an official text (GUIDELINES §5.5), from its title or opening lines.

The schema's ``[[issuers]]`` are regular expressions tried in order on the title (first line) or
the opening characters; the first that matches names the issuer: its ``actor``, or the schema
actor named inside the match ("Ministry of Foreign Affairs of Armenia" → Armenia). The result is
``doc._.argmine_issuer`` = ``{"actor", "start", "end", "text"}`` (the evidence) or None; every claim
of the document then lists the issuer first among its actors (``span._.argmine_actors``).
The claim's ``speaker`` stays "author": the text speaks in its issuer's own voice (GUIDELINES §7.3).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..schema import PACKAGED_SCHEMA, LabelSchema
from .schema_backed import SchemaBacked

log = logging.getLogger(__name__)

if not Doc.has_extension("argmine_issuer"):
    Doc.set_extension("argmine_issuer", default=None)


@Language.factory(
    "argmine_issuer",
    assigns=["doc._.argmine_issuer", "doc.spans", "doc._.argmine_antecedents"],
    requires=[],
    default_config={"schema": PACKAGED_SCHEMA},
)
def make_issuer(nlp: Language, name: str, schema: str) -> IssuerComponent:
    """The schema (``"default"`` or a TOML path) gives the issuer patterns and the actors' aliases."""
    return IssuerComponent(name, schema)


class IssuerComponent(SchemaBacked):
    """Tries each issuer pattern on the title or the head of the text; the first match wins."""

    def __init__(self, name: str = "argmine_issuer", schema: str = PACKAGED_SCHEMA) -> None:
        self._init_schema(name, schema)

    def _build(self, schema: LabelSchema) -> None:
        self.entries = [(re.compile(e.pattern, re.M), e.model_dump()) for e in schema.issuers]
        self.reported = _reported_speech(schema.reported.after, schema.reported.before)
        pairs = sorted(((alias, a.id) for a in schema.all_actors for alias in a.aliases), key=lambda p: -len(p[0]))
        self.alias_ids = dict(pairs)
        self.outside = schema.outside_ids
        self.alias_re = re.compile("|".join(rf"(?<!\w){re.escape(a)}(?!\w)" for a, _ in pairs)) if pairs else None

    def __call__(self, doc: Doc) -> Doc:
        self._require_schema()
        issuer = find_issuer(doc.text, self.entries, self._actor_in, self.reported)
        if issuer is not None:
            issuer["in_schema"] = issuer["actor"] not in self.outside
            _own_name(doc, issuer)
        doc._.argmine_issuer = issuer
        return doc

    def from_outlet(self, outlet: str) -> dict | None:
        """The issuer named by a document's outlet ("U.S. Department of State", "EEAS"), tried with the
        ``where = "outlet"`` patterns; its evidence is the outlet itself, at offsets 0–0 (not in the text)."""
        self._require_schema()
        outlet = outlet.strip()
        for pattern, entry in self.entries:
            m = pattern.search(outlet) if entry.get("where") == "outlet" else None
            found = _evidence(m, entry, self._actor_in) if m else None
            if found:
                return {**found, "start": 0, "end": 0, "text": outlet, "in_schema": found["actor"] not in self.outside}
        return None

    def _actor_in(self, text: str) -> str | None:
        if self.alias_re is None:
            return None
        m = self.alias_re.search(text)
        return self.alias_ids[m.group(0)] if m else None


def find_issuer(text: str, entries: list[tuple[re.Pattern, dict]], actor_in,
                reported: Callable[[str, int, int], bool] | None = None) -> dict | None:
    """The first issuer pattern match (with an actor, outside reported speech) in its region of ``text``."""
    lead = len(text) - len(text.lstrip())
    title_end = text.find("\n", lead)
    title_end = len(text) if title_end < 0 else title_end
    for pattern, entry in entries:
        if entry.get("where") == "outlet":
            continue  # tried on the metadata outlet (IssuerComponent.from_outlet), not the text
        if entry.get("where", "head") == "title":
            lo, hi = lead, title_end
        else:
            lo, hi = 0, min(len(text), entry.get("head_chars", 400))
        for m in pattern.finditer(text, lo, hi):
            if reported is not None and reported(text, m.start(), m.end()):
                continue  # "The Ministry of Foreign Affairs of Armenia said …": a news text's source
            found = _evidence(m, entry, actor_in)
            if found:
                return found
    return None


def _evidence(m: re.Match, entry: dict, actor_in) -> dict | None:
    """A pattern match as issuer evidence: the entry's actor, or the schema actor named in the match."""
    actor = entry.get("actor") or actor_in(m.group(0))
    return {"actor": actor, "start": m.start(), "end": m.end(), "text": m.group(0)} if actor else None


def _reported_speech(after: list[str], before: list[str]) -> Callable[[str, int, int], bool]:
    """A test on a match: a reporting verb later in its sentence (within a few words), or a lead-in
    such as "according to" right before it."""
    after_re = re.compile(r"[^.\n]{0,40}?\b(?:%s)\b" % "|".join(map(re.escape, after))) if after else None
    before_re = re.compile(r"\b(?:%s)\s+(?:the\s+)?$" % "|".join(map(re.escape, before)), re.I) if before else None

    def is_reported(text: str, start: int, end: int) -> bool:
        return bool((after_re and after_re.match(text, end)) or (before_re and before_re.search(text[max(0, start - 40) : start])))

    return is_reported


def _own_name(doc: Doc, issuer: dict) -> None:
    """The issuer naming itself in its text ("The Council for Neighbourhood and Caucasus Affairs has
    followed …" under that office's byline) is the issuer, not an organisation of its own: the NER's
    out-of-schema mention becomes the issuer's, with the byline as its antecedent."""
    from .mentions import ANTECEDENTS, MENTIONS_KEY, antecedent_key  # mentions imports this module

    mentions = list(doc.spans.get(MENTIONS_KEY, []))
    antecedents = dict(doc._.get(ANTECEDENTS) or {})
    changed = False
    for i, m in enumerate(mentions):
        if m._.argmine_method != "ner" or m._.argmine_in_schema or len(m) < 2 or m.text not in issuer["text"]:
            continue
        own = Span(doc, m.start, m.end, label=issuer["actor"])
        own._.argmine_method, own._.argmine_in_schema = "anaphora", issuer["in_schema"]
        antecedents[antecedent_key(own.start_char, own.end_char, own.label_)] = [issuer["start"], issuer["end"]]
        mentions[i], changed = own, True
    if changed:
        doc.spans[MENTIONS_KEY] = mentions
        doc._.set(ANTECEDENTS, antecedents)


def outlet_issuer(nlp, doc: Doc, outlet: str | None) -> None:
    """Give ``doc`` the issuer its outlet names, where its text named none and the pipeline has
    ``argmine_issuer`` (the engine calls this once the document's metadata is known)."""
    if not outlet or doc._.argmine_issuer is not None or "argmine_issuer" not in nlp.pipe_names:
        return
    doc._.argmine_issuer = nlp.get_pipe("argmine_issuer").from_outlet(outlet)


def document_issuer(doc: Doc) -> dict | None:
    """The issuer found by ``argmine_issuer``, or None (also when the component is not in the pipeline)."""
    return doc._.argmine_issuer
