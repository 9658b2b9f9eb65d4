"""The label schema: topic, stance labels, scenarios with definitions, actors — loaded from data."""

from __future__ import annotations

import hashlib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import SchemaError

DEFAULT_SCHEMA = "armenia_azerbaijan.toml"


class Label(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    definition: str
    cues: Optional[str] = None
    none: bool = False  # the "none of these" scenario: never a zero-shot target


class Actor(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    aliases: list[str] = Field(default_factory=list)
    patterns: list[Any] = Field(default_factory=list)  # extra spaCy token patterns, checked in _check_actors


class Sources(BaseModel):
    model_config = ConfigDict(extra="forbid")
    names: list[str] = Field(default_factory=list)


def _check_actors(actors: list[Actor], sources: Sources) -> None:
    """Aliases unique and non-empty, token patterns valid spaCy patterns, sources no actors.

    Each error names the entry ("actors[3] (Russia)") so a user can find it in the TOML file.
    """
    from spacy.schemas import validate_token_pattern  # spaCy's own pattern schema

    ids: dict[str, int] = {}
    seen: dict[str, str] = {}
    source_names = {n.lower(): n for n in sources.names}
    for i, actor in enumerate(actors):
        where = f"actors[{i}] ({actor.id!r})"
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
    stance: list[Label]
    scenarios: list[Label]
    actors: list[Actor] = Field(default_factory=list)
    sources: Sources = Field(default_factory=Sources)
    # Which scenarios each stance may go with (stance → scenario labels); a stance not listed goes with
    # every scenario. Used to decode stance and scenario jointly so the pair is one the guidelines allow.
    compatibility: dict[str, list[str]] = Field(default_factory=dict)
    hash: str = ""
    path: str = ""

    @model_validator(mode="after")
    def _check(self) -> "LabelSchema":
        for field in ("stance", "scenarios"):
            names = [label.name for label in getattr(self, field)]
            if len(names) < 2:
                raise ValueError(f"[{field}] needs at least two labels, found {names}")
            dupes = {n for n in names if names.count(n) > 1}
            if dupes:
                raise ValueError(f"[{field}] lists {sorted(dupes)} more than once")
        _check_actors(self.actors, self.sources)
        self._check_compatibility()
        return self

    def _check_compatibility(self) -> None:
        for stance, scenarios in self.compatibility.items():
            if stance not in self.stance_labels:
                raise ValueError(f"[compatibility] key {stance!r} is not a [[stance]] label ({', '.join(self.stance_labels)})")
            unknown = [x for x in scenarios if x not in self.scenario_labels]
            if unknown or not scenarios:
                raise ValueError(f"[compatibility] {stance} = {scenarios}: {unknown or 'empty list'} — list [[scenarios]] "
                                 f"labels ({', '.join(self.scenario_labels)}), or drop the key to allow every scenario")

    def compatibility_matrix(self) -> list[list[bool]]:
        """stance × scenario: may this pair be predicted together (all True when the table is absent)."""
        return [[sc in self.compatibility.get(st, self.scenario_labels) for sc in self.scenario_labels]
                for st in self.stance_labels]

    @property
    def stance_labels(self) -> list[str]:
        return [label.name for label in self.stance]

    @property
    def scenario_labels(self) -> list[str]:
        return [label.name for label in self.scenarios]

    @property
    def actor_ids(self) -> list[str]:
        return [a.id for a in self.actors]

    def scenario_definition(self, name: str) -> str:
        for label in self.scenarios:
            if label.name == name:
                return label.definition
        raise KeyError(name)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "LabelSchema":
        """Load a schema TOML file; ``None`` loads the packaged default (TASK.md)."""
        if path is None:
            ref = resources.files("argmine.schemas") / DEFAULT_SCHEMA
            raw = ref.read_bytes()
            where = f"<packaged>/{DEFAULT_SCHEMA}"
        else:
            p = Path(path)
            if not p.is_file():
                raise SchemaError(f"{p}: schema file not found; pass an existing .toml file or omit --schema for the default")
            raw = p.read_bytes()
            where = str(p)
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise SchemaError(f"{where}: not valid TOML ({e}); fix the syntax at the place named") from e
        try:
            schema = cls(**data)
        except ValidationError as e:
            first = e.errors()[0]
            loc = ".".join(str(x) for x in first["loc"])
            raise SchemaError(f"{where}: {loc}: {first['msg']}") from e
        schema.hash = hashlib.sha256(raw).hexdigest()[:16]
        schema.path = where
        return schema
