"""The project file: one ``argmine.toml`` names a study's schema, corpus, manifest and annotations.

Found by walking up from the current folder (like ``.git``); the ``ARGMINE_PROJECT`` environment variable
(the file, or the folder holding it) overrides the search. Paths in the file are relative to its folder::

    schema = "schemas/my_study.toml"
    corpus = "corpus/texts"
    manifest = "corpus/manifest.csv"
    annotations = "annotations"
    test_docs = ["doc_id"]     # optional: held out like the manifest's test split, and also scored alone

Every command that takes ``--schema`` resolves it the same way (``resolve_schema``): the option, then the
project file, then the model's own ``schema.toml``, then the packaged default.
"""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, overload

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import SchemaError
from .schema import LabelSchema

log = logging.getLogger(__name__)

PROJECT_FILE = "argmine.toml"
PROJECT_ENV = "ARGMINE_PROJECT"


class _ProjectFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schema_path: Optional[str] = None
    corpus: Optional[str] = None
    manifest: Optional[str] = None
    annotations: Optional[str] = None
    test_docs: list[str] = []


@dataclass(frozen=True)
class Project:
    """A study's files, as absolute paths (None: not named in the project file)."""

    file: Path
    schema: Optional[Path] = None
    corpus: Optional[Path] = None
    manifest: Optional[Path] = None
    annotations: Optional[Path] = None
    test_docs: tuple[str, ...] = ()


def load_project(path: str | Path) -> Project:
    """Read one project file; errors name the file and the key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise SchemaError(f"{path}: cannot read the project file ({e}); fix it or unset {PROJECT_ENV}") from e
    if "schema_path" in data:
        raise SchemaError(f"{path}: unknown key 'schema_path'; the key is 'schema'")
    data["schema_path"] = data.pop("schema", None)
    try:
        raw = _ProjectFile(**data)
    except ValidationError as e:
        err = e.errors()[0]
        key = "schema" if err["loc"][0] == "schema_path" else ".".join(str(x) for x in err["loc"])
        raise SchemaError(f"{path}: {key}: {err['msg']}; the keys are schema, corpus, manifest, annotations (paths) and test_docs (doc ids)") from e
    base = path.resolve().parent

    def rel(value: Optional[str]) -> Optional[Path]:
        return (base / value).resolve() if value else None

    return Project(file=path, schema=rel(raw.schema_path), corpus=rel(raw.corpus), manifest=rel(raw.manifest),
                   annotations=rel(raw.annotations), test_docs=tuple(raw.test_docs))


def find_project(start: str | Path | None = None) -> Optional[Project]:
    """``$ARGMINE_PROJECT`` if set, else the nearest ``argmine.toml`` in ``start`` (default: cwd) or above."""
    env = os.environ.get(PROJECT_ENV)
    if env:
        path = Path(env)
        path = path / PROJECT_FILE if path.is_dir() else path
        if not path.is_file():
            raise SchemaError(f"{PROJECT_ENV}={env}: no project file there; point it at an {PROJECT_FILE} or unset it")
        return load_project(path)
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            log.debug("project file %s", candidate)
            return load_project(candidate)
    return None


@overload
def project_path(explicit: Optional[Path], key: str, fallback: Path) -> Path: ...
@overload
def project_path(explicit: Optional[Path], key: str, fallback: None = None) -> Optional[Path]: ...
def project_path(explicit: Optional[Path], key: str, fallback: Optional[Path] = None) -> Optional[Path]:
    """A CLI path option's value: the option, else the project file's ``key``, else ``fallback``."""
    if explicit is not None:
        return explicit
    project = find_project()
    value = getattr(project, key) if project else None
    return value if value is not None else fallback


def _model_schema(model: str | Path | None) -> Optional[Path]:
    """The ``schema.toml`` a trained model carries: a folder, a name in the argmine home, or (None) the default."""
    from .errors import ModelError
    from .model.home import default_model, resolve_model

    if str(model) in ("zero-shot", "placeholder"):
        return None
    try:
        folder = default_model() if model is None else resolve_model(model)
    except ModelError:
        return None  # load_classifier reports the missing model with its fix
    path = folder / "schema.toml"
    return path if path.is_file() else None


def resolve_schema(schema: str | Path | LabelSchema | None = None, model: str | Path | None = None) -> LabelSchema:
    """The schema a command uses: ``schema``, else the project file's, else the model's, else the default.

    When the project file names a schema and the model carries one with other labels, the error says
    which two files disagree and how to choose.
    """
    if isinstance(schema, LabelSchema):
        return schema
    if schema is not None:
        return LabelSchema.load(schema)
    project = find_project()
    model_file = _model_schema(model)
    if project and project.schema:
        chosen = LabelSchema.load(project.schema)
        if model_file is not None:
            own = LabelSchema.load(model_file)
            if (own.stance_labels, own.scenario_labels) != (chosen.stance_labels, chosen.scenario_labels):
                raise SchemaError(
                    f"{project.file} names {chosen.describe()}, but model {model} was trained on {own.describe()} "
                    f"with other labels; pass --schema {model_file} or use a model trained on the project's schema")
        return chosen
    if model_file is not None:
        return LabelSchema.load(model_file)
    return LabelSchema.load(None)
