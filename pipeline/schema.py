"""The label schema: topic, stance labels, scenarios with definitions, actors — loaded from data."""

from __future__ import annotations

import hashlib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from .errors import SchemaError
from .schema_refs import Anaphor, Conflict, Issuer, Offices, Reported, Venues, check_references

DEFAULT_SCHEMA = "armenia_azerbaijan.toml"
# What a spaCy component's config says for the packaged schema (a file path otherwise).
PACKAGED_SCHEMA = "default"
_PACKAGED_PREFIX = "<packaged>/"


class Label(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    definition: str
    cues: Optional[str] = None
    none: bool = False  # the "none of these" scenario: never a zero-shot target


class StanceLabel(Label):
    """A stance label: ``polarity`` says how it bears on the topic (+1 for, -1 against, 0 neither).

    Exports and charts read it (DNA's agreement value, colours), so no label name is ever hard-coded.
    ``scenarios`` optionally lists the scenario labels a claim of this stance may carry.
    """

    polarity: Literal[-1, 0, 1]
    scenarios: Optional[list[str]] = None


class Actor(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    kind: Optional[Literal["state", "organisation"]] = None  # states are what "both countries" can stand for
    aliases: list[str] = Field(default_factory=list)
    patterns: list[Any] = Field(default_factory=list)  # extra spaCy token patterns, checked in _check_actors
    # alias of a person → their office ("Pashinyan" → "prime minister"): what "he" or "the prime minister" may name
    leaders: dict[str, str] = Field(default_factory=dict)
    # a state outside the study, from [others]: its forms map to its own name; mentions have in_schema=False
    outside: bool = False


class Sources(BaseModel):
    model_config = ConfigDict(extra="forbid")
    names: list[str] = Field(default_factory=list)
    # a person's affiliation is a source, not an actor: "director of the Black Sea Connectivity Institute"
    affiliations: list[str] = Field(default_factory=list)
    # a state's name or demonym before one of these capitalised words names a publication, a source:
    # "Armenian News-NEWS.am", "the Armenian Weekly", "RFE/RL's Azerbaijani Service"
    media: list[str] = Field(default_factory=list)
    # an organisation whose name holds one of these words is a research or teaching body, cited as a
    # source: a demonym inside its name adds no state ("the American Enterprise Institute")
    institutions: list[str] = Field(default_factory=list)
    # a person of one of these professions is a source, not an actor, even with a nationality: "a
    # Georgian political analyst" (singular forms; "Azerbaijani commentators" as a group are the state)
    professions: list[str] = Field(default_factory=list)


def _check_actors(actors: list[Actor], sources: Sources) -> None:
    """Aliases unique and non-empty, token patterns valid spaCy patterns, sources no actors.

    Each error names the entry ("actors[3] (Russia)") so a user can find it in the TOML file.
    """
    from spacy.schemas import validate_token_pattern  # spaCy's own pattern schema

    ids: dict[str, int] = {}
    seen: dict[str, str] = {}
    source_names = {n.lower(): n for n in sources.names}
    for i, actor in enumerate(actors):
        where = f"others.{actor.id!r}" if actor.outside else f"actors[{i}] ({actor.id!r})"
        if not actor.id.strip():
            raise ValueError(f"actors[{i}]: empty id; give every [[actors]] entry an id")
        if actor.id in ids:
            raise ValueError(f"{where}: id also used by actors[{ids[actor.id]}]; merge the two entries")
        ids[actor.id] = i
        own: set[str] = set()
        for alias in actor.aliases:
            if not alias.strip() or alias != alias.strip():
                raise ValueError(f"{where}: alias {alias!r} is empty or has surrounding spaces; write the bare name")
            if alias in own:
                raise ValueError(f"{where}: alias {alias!r} is listed twice; remove one")
            own.add(alias)
            key = alias.lower()
            if key in seen and seen[key] != actor.id:
                raise ValueError(
                    f"{where}: alias {alias!r} is given to both actor {seen[key]!r} and {actor.id!r}; "
                    "keep it under one actor"
                )
            if key in source_names:
                raise ValueError(
                    f"{where}: alias {alias!r} is also in [sources] names; a name is either an actor or a source"
                )
            seen[key] = actor.id
        for j, pattern in enumerate(actor.patterns):
            errors = validate_token_pattern(pattern) if pattern else ["empty pattern"]
            if errors:
                raise ValueError(
                    f"{where}: patterns[{j}] is not a valid spaCy token pattern: {errors[0]}; "
                    "see https://spacy.io/usage/rule-based-matching#adding-patterns"
                )


class LabelSchema(BaseModel):
    """A study's schema. ``hash`` pins the exact file a model was trained on."""

    model_config = ConfigDict(extra="forbid")
    name: str
    version: str
    description: str = ""
    topic: str
    stance: list[StanceLabel]
    scenarios: list[Label]
    actors: list[Actor] = Field(default_factory=list)
    sources: Sources = Field(default_factory=Sources)
    conflict: Optional[Conflict] = None
    anaphora: list[Anaphor] = Field(default_factory=list)
    issuers: list[Issuer] = Field(default_factory=list)
    reported: Reported = Field(default_factory=Reported)
    offices: Offices = Field(default_factory=Offices)
    venues: Venues = Field(default_factory=Venues)
    # states outside the study → their surface forms ("Israel" = ["Israeli", "Israelis"]): other states keep
    # their own name (GUIDELINES §5.1), and a demonym is how commentary usually names them
    others: dict[str, list[str]] = Field(default_factory=dict)
    hash: str = ""
    path: str = ""
    _raw: bytes = PrivateAttr(default=b"")

    @model_validator(mode="after")
    def _check(self) -> "LabelSchema":
        for field in ("stance", "scenarios"):
            names = [label.name for label in getattr(self, field)]
            if len(names) < 2:
                raise ValueError(f"[{field}] needs at least two labels, found {names}")
            dupes = {n for n in names if names.count(n) > 1}
            if dupes:
                raise ValueError(f"[{field}] lists {sorted(dupes)} more than once")
        if sum(label.none for label in self.scenarios) > 1:
            raise ValueError("[scenarios]: more than one label has none = true; keep one 'none of these' label")
        scenario_names = {label.name for label in self.scenarios}
        for i, label in enumerate(self.stance):
            unknown = sorted(set(label.scenarios or []) - scenario_names)
            if unknown:
                raise ValueError(f"stance[{i}] ({label.name!r}): scenarios {unknown} are not [[scenarios]] labels; "
                                 f"choose from {sorted(scenario_names)}")
        _check_actors(self.all_actors, self.sources)
        check_references(self)
        return self

    def compatibility_matrix(self) -> list[list[bool]]:
        """stance × scenario: may this pair be predicted together (a stance without ``scenarios`` allows all)."""
        return [[self.compatible(st, sc) for sc in self.scenario_labels] for st in self.stance_labels]

    @property
    def stance_labels(self) -> list[str]:
        return [label.name for label in self.stance]

    @property
    def scenario_labels(self) -> list[str]:
        return [label.name for label in self.scenarios]

    @property
    def actor_ids(self) -> list[str]:
        """The study's actors (not [others])."""
        return [a.id for a in self.actors]

    @property
    def outside_ids(self) -> set[str]:
        """Ids of [others] states the study does not take in: their mentions have ``in_schema`` false."""
        return set(self.others) - {a.id for a in self.actors}

    @property
    def all_actors(self) -> list[Actor]:
        """The study's actors, then the states of [others] (``outside=True``), for matching names."""
        study = {a.id for a in self.actors}  # a study may take an [others] state in as an actor of its own
        return self.actors + [Actor(id=k, kind="state", aliases=v, outside=True)
                              for k, v in self.others.items() if k not in study]

    @property
    def polarity(self) -> dict[str, int]:
        """Stance label → its polarity (+1/-1/0), e.g. DNA's integer agreement qualifier."""
        return {label.name: label.polarity for label in self.stance}

    @property
    def none_scenario(self) -> Optional[str]:
        """The scenario flagged ``none = true`` ("none of these"), if the schema has one."""
        return next((label.name for label in self.scenarios if label.none), None)

    def compatible(self, stance: str, scenario: str) -> bool:
        """Whether the schema allows this (stance, scenario) pair; any pair when it declares nothing."""
        label = next((s for s in self.stance if s.name == stance), None)
        return label is None or label.scenarios is None or scenario in label.scenarios

    def describe(self) -> str:
        """How errors name this schema: its name and the file it came from."""
        return f"schema {self.name!r} ({self.path or 'unsaved'})"

    def check_labels(self, field: str, values: Iterable[Optional[str]], where: str = "", fix: str = "") -> None:
        """Every non-empty ``field`` ("stance"/"scenario") value must be a label of this schema.

        The error names the schema used and the unknown labels, so output is never silently zeros.
        """
        allowed = self.stance_labels if field == "stance" else self.scenario_labels
        unknown = sorted({v for v in values if isinstance(v, str) and v not in allowed})  # None/NaN: unlabelled
        if unknown:
            raise SchemaError(
                f"{where + ': ' if where else ''}{field} labels {unknown} are not in {self.describe()}, which has "
                f"{', '.join(allowed)}; {fix or 'pass the --schema the data was made with, or name it in argmine.toml'}"
            )

    def record(self) -> dict[str, str]:
        """What a results folder records of its schema (run.json): identity and the whole file."""
        return {"name": self.name, "version": self.version, "hash": self.hash, "path": self.path,
                "toml": self._raw.decode("utf-8")}

    @classmethod
    def from_record(cls, record: dict, where: str) -> Optional["LabelSchema"]:
        """The schema a results folder recorded (``record``'s ``toml``), or None for an older folder."""
        if not isinstance(record, dict) or not record.get("toml"):
            return None
        return cls.loads(record["toml"].encode("utf-8"), f"{where} (recorded from {record.get('path', '?')})")

    @property
    def ref(self) -> str:
        """How a config names this schema: ``"default"`` for the packaged one, else its absolute path."""
        if not self.path:
            raise SchemaError(f"schema {self.name!r} was not loaded from a file, so a config cannot name it; "
                              "write it to a .toml file and use LabelSchema.load(path)")
        if self.path.startswith(_PACKAGED_PREFIX):
            return PACKAGED_SCHEMA
        return str(Path(self.path).resolve())

    def source_bytes(self) -> bytes:
        """The exact file this schema was loaded from (what a model folder or saved pipeline keeps)."""
        if self.path.startswith(_PACKAGED_PREFIX):
            return (resources.files("argmine.schemas") / self.path[len(_PACKAGED_PREFIX):]).read_bytes()
        return Path(self.path).read_bytes()

    @classmethod
    def load(cls, path: str | Path | None = None) -> "LabelSchema":
        """Load a schema TOML file; ``None`` or ``"default"`` loads the packaged default (TASK.md)."""
        if path is None or str(path) == PACKAGED_SCHEMA:
            ref = resources.files("argmine.schemas") / DEFAULT_SCHEMA
            raw = ref.read_bytes()
            where = f"{_PACKAGED_PREFIX}{DEFAULT_SCHEMA}"
        else:
            p = Path(path)
            if not p.is_file():
                raise SchemaError(f"{p}: schema file not found; pass an existing .toml file or omit --schema for the default")
            raw = p.read_bytes()
            where = str(p)
        return cls.loads(raw, where)

    @classmethod
    def loads(cls, raw: bytes, where: str) -> "LabelSchema":
        """Parse schema TOML bytes; ``where`` names the source in errors and becomes ``path``."""
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise SchemaError(f"{where}: not valid TOML ({e}); fix the syntax at the place named") from e
        try:
            schema = cls(**data)
        except ValidationError as e:
            first = e.errors()[0]
            loc = ".".join(str(x) for x in first["loc"])
            hint = ("; give every [[stance]] label polarity = 1 (for the topic), -1 (against) or 0 (neither) "
                    "(a model folder's schema.toml from before polarity existed: retrain the model)"
                    if first["loc"][-1:] == ("polarity",) else "")
            raise SchemaError(f"{where}: {loc}: {first['msg']}{hint}") from e
        schema.hash = hashlib.sha256(raw).hexdigest()[:16]
        schema.path = where
        schema._raw = raw
        return schema
