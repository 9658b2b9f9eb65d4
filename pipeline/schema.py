"""The label schema: topic, stance labels, scenarios with definitions, actors — loaded from data."""

from __future__ import annotations

import hashlib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Optional

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
    patterns: list[list[dict]] = Field(default_factory=list)  # extra spaCy token patterns


class Sources(BaseModel):
    model_config = ConfigDict(extra="forbid")
    names: list[str] = Field(default_factory=list)


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
        seen: dict[str, str] = {}
        for actor in self.actors:
            for alias in actor.aliases:
                key = alias.lower()
                if key in seen and seen[key] != actor.id:
                    raise ValueError(
                        f"alias {alias!r} is given to both actor {seen[key]!r} and {actor.id!r}; "
                        "keep it under one actor"
                    )
                seen[key] = actor.id
        return self

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
            ref = resources.files("pipeline.schemas") / DEFAULT_SCHEMA
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
