"""Where trained models live: a user data directory (platformdirs; ``ARGMINE_HOME`` overrides), or any path.

``argmine model build`` trains the default model into ``<home>/models/default``; ``argmine run`` finds it
from any working directory. A ``--model`` value is a folder path when one exists there, else a model name
in the home (``default``, ``small-study``…).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError

DEFAULT_MODEL = "default"
META = "argmine_model.json"


def argmine_home() -> Path:
    """``$ARGMINE_HOME``, else the platform's user data directory for argmine (e.g. ~/.local/share/argmine)."""
    env = os.environ.get("ARGMINE_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("argmine", appauthor=False))


def models_dir() -> Path:
    return argmine_home() / "models"


def model_path(name: str = DEFAULT_MODEL) -> Path:
    """The folder of the named model in the home (it may not exist yet)."""
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        raise ModelError(f"{name!r}: a model name is a plain word (e.g. 'default'); give a folder path with --model PATH")
    return models_dir() / name


def is_built(folder: Path) -> bool:
    return (folder / META).is_file()


def resolve_model(model: str | Path) -> Path:
    """A ``--model`` value as a folder: an existing path wins, then a name in the home.

    A missing model is an error that says how to build it.
    """
    p = Path(model).expanduser()
    if p.is_dir():
        return p
    if isinstance(model, str) and "/" not in model and "\\" not in model:
        folder = model_path(model)
        if is_built(folder):
            return folder
        build = "argmine model build" if model == DEFAULT_MODEL else f"argmine model build --name {model}"
        raise ModelError(f"no model named {model!r} in {models_dir()}; build it with `{build}`, "
                         "pass a model folder, or use --model zero-shot")
    raise ModelError(f"{p}: model folder not found; build one with `argmine model build` or pass --model zero-shot")


def default_model() -> Path:
    """The built default model, or an error naming `argmine model build`."""
    folder = model_path(DEFAULT_MODEL)
    if not is_built(folder):
        raise ModelError(f"no trained model: {folder} is empty. Build the default model with `argmine model build` "
                         "(about 3 minutes on 2 CPU cores), pass --model PATH, or use --model zero-shot "
                         "(no training) / --model placeholder (uniform scores, not predictions)")
    return folder


@dataclass
class ModelInfo:
    name: str
    path: Path
    meta: dict


def list_models() -> list[ModelInfo]:
    """The built models in the home, by name."""
    root = models_dir()
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and is_built(p)):
        try:
            meta = json.loads((folder / META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        out.append(ModelInfo(folder.name, folder, meta))
    return out
