"""Schema sections that refer to actors: the conflict's parties, anaphora, issuers of official texts, offices.

Kept apart from :mod:`argmine.schema` so that file stays about labels and aliases; every check here
names the entry (``anaphora[2]``, ``issuers[0]``) so a user can find it in the TOML file.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # pragma: no cover
    from .schema import LabelSchema


class Conflict(BaseModel):
    """The two states whose conflict the study is about: what "both sides" means when nothing nearer does."""

    model_config = ConfigDict(extra="forbid")
    parties: list[str]


class Anaphor(BaseModel):
    """A class of expressions that name an actor without its name.

    ``kind``: ``pair`` — the two states being discussed ("both countries"); ``body`` — one of
    ``candidates`` named earlier ("the bloc" → CSTO or EU); ``person`` — a leader named in the same or
    previous sentence ("he"; with ``office``, only a leader holding it: "the prime minister");
    ``state`` — the one state named in the same or previous sentence ("the government");
    ``subject`` — "it"/"its": the actor that is the subject just before; ``plural`` — "they", "both":
    a coordinated pair of states just before (both need a dependency parse; :mod:`argmine.components.pronouns`);
    ``group`` — a fixed set of actors, all of ``candidates`` ("the three South Caucasus states").
    ``scope``: ``near`` looks at the same and the previous sentence only; ``document`` at the
    paragraph, then the document.
    """

    model_config = ConfigDict(extra="forbid")
    kind: Literal["pair", "body", "person", "state", "subject", "plural", "group"]
    phrases: list[str]
    candidates: list[str] = Field(default_factory=list)
    # for "body": the antecedent must contain one of these words or have one right after it
    # ("the mission" → "EUMA", "the Russian peacekeeping mission"; not any Russia mention)
    cues: list[str] = Field(default_factory=list)
    # for "pair": nouns that pair two states as "X and Y" does, in "X's <noun> with Y" or "X … <noun>
    # with Y" ("Turkey's frontier with Armenia", "Turkey attached to normalisation with Armenia")
    relations: list[str] = Field(default_factory=list)
    office: Optional[str] = None
    scope: Literal["near", "document"] = "document"


class Issuer(BaseModel):
    """A regular expression that marks a text as issued by an actor (a byline, title or opening line).

    ``actor``: the id; empty means the schema actor named inside the match ("Ministry of Foreign
    Affairs of Armenia" → Armenia). ``where``: ``title`` (the first line), ``head`` (the opening
    ``head_chars`` characters: title, byline, dateline) or ``outlet`` (the document's outlet from
    ``--metadata`` or the page's site name, when the text names no issuer).
    """

    model_config = ConfigDict(extra="forbid")
    pattern: str
    actor: str = ""
    where: Literal["title", "head", "outlet"] = "head"
    head_chars: int = 400


class Reported(BaseModel):
    """Words that make an issuer pattern's match reported speech, a source named in a news text rather
    than the text's own issuer: "The Ministry of Foreign Affairs of Armenia said on Monday …"."""

    model_config = ConfigDict(extra="forbid")
    after: list[str] = Field(default_factory=list)  # a verb in the match's sentence after it: "said", "told"
    before: list[str] = Field(default_factory=list)  # right before the match: "according to"


class Offices(BaseModel):
    """Words of offices and state bodies: a statistical-NER organisation made only of these (plus
    "the", "of", "and") is a generic noun or an office, never an actor of its own ("Council",
    "defence ministry", "Border Guard Service", "High Representative")."""

    model_config = ConfigDict(extra="forbid")
    words: list[str] = Field(default_factory=list)


class Venues(BaseModel):
    """Seats of power that are only a place when used as a venue or time marker (GUIDELINES §5.6)."""

    model_config = ConfigDict(extra="forbid")
    seats: list[str] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)  # aliases that are a place after place_prepositions ("in Europe")
    # nouns after which a place alias is the political actor after all: "partnerships with Europe"
    partners: list[str] = Field(default_factory=list)
    place_prepositions: list[str] = Field(default_factory=list)
    prepositions: list[str] = Field(default_factory=list)
    events: list[str] = Field(default_factory=list)  # nouns: "the Moscow statement", "meetings in Brussels"
    verbs: list[str] = Field(default_factory=list)  # only before the preposition: "met at the White House"
    # people who only sit in a seat: "analysts in Yerevan" is a place, "officials in Yerevan" the state
    observers: list[str] = Field(default_factory=list)
    projects: list[str] = Field(default_factory=list)  # after a chain of place names: "the Baku–Tbilisi–Kars railway"
    # after a name and a hyphen, only where someone sits: "a Baku-based institute" (GUIDELINES §5.1)
    located: list[str] = Field(default_factory=list)
    # capitalised words that make a name before them a geographic term: "the Armenian Highlands" (§5.3)
    geography: list[str] = Field(default_factory=list)


def check_references(schema: "LabelSchema") -> None:
    """Every id named in conflict/anaphora/issuers/leaders exists; patterns compile; phrases are clean."""
    ids = {a.id for a in schema.actors}
    for a in schema.actors:
        aliases = set(a.aliases)
        for name in a.leaders:
            if name not in aliases:
                raise ValueError(f"actors ({a.id!r}): leader {name!r} is not one of its aliases; add it to aliases")
    if schema.conflict is not None:
        parties = schema.conflict.parties
        if len(parties) != 2 or len(set(parties)) != 2:
            raise ValueError(f"conflict.parties: give exactly two different actor ids, found {parties}")
        _known(parties, ids, "conflict.parties")
    for i, an in enumerate(schema.anaphora):
        where = f"anaphora[{i}]"
        if not an.phrases or any(p != p.strip() or not p for p in an.phrases):
            raise ValueError(f"{where}: phrases must be non-empty strings without surrounding spaces")
        _known(an.candidates, ids, f"{where}.candidates")
        if an.kind == "body" and not an.candidates:
            raise ValueError(f"{where}: a 'body' anaphor needs candidates (the ids it can stand for)")
        if an.kind == "group" and len(set(an.candidates)) < 2:
            raise ValueError(f"{where}: a 'group' anaphor needs candidates: the two or more ids it stands for")
        if an.kind == "pair" and schema.conflict is None:
            raise ValueError(f"{where}: a 'pair' anaphor needs a [conflict] table with the two parties")
    for i, iss in enumerate(schema.issuers):
        try:
            re.compile(iss.pattern)
        except re.error as e:
            raise ValueError(f"issuers[{i}]: pattern {iss.pattern!r} is not a valid regular expression ({e})") from e
        if iss.actor:
            _known([iss.actor], ids, f"issuers[{i}].actor")


def _known(names: list[str], ids: set[str], where: str) -> None:
    unknown = [n for n in names if n not in ids]
    if unknown:
        raise ValueError(f"{where}: unknown actor id(s) {unknown}; use ids of [[actors]] entries")
