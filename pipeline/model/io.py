"""Saving and loading a model folder: safetensors weights + JSON + the schema TOML; never a pickle.

Folder layout::

    config.json, model.safetensors      the fine-tuned encoder (Hugging Face format)
    tokenizer.json, tokenizer_config.json, ...
    heads.safetensors                   stance head, scenario head, similarity scale
    argmine_model.json                  labels, descriptions, temperatures, hashes, base model
    training_config.json                the TrainConfig used
    schema.toml                         the exact schema file trained on (its hash is in argmine_model.json)
    metrics.json, README.md             scores and the model card
    tfidf_lr.* or setfit/               only when the dev verdict chose that system (see argmine.model.systems)

``argmine_model.json`` names the ``system`` that loading the folder returns: ``fine-tuned`` (the encoder above),
``tfidf-lr``, ``setfit`` or ``zero-shot``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ..errors import ModelError
from ..schema import LabelSchema
from .config import TrainConfig
from .trainer import TrainedModel

log = logging.getLogger(__name__)

META = "argmine_model.json"
HEADS = "heads.safetensors"
FORMAT = "argmine-model/1"
WEIGHTS = ("model.safetensors", HEADS)
REBUILD = "rebuild it with `argmine model build` (or `make model`)"


def weights_hash(folder: Path) -> str:
    """The short model id: SHA-256 over both weights files, 12 hex digits."""
    h = hashlib.sha256()
    for name in WEIGHTS:
        with open(folder / name, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()[:12]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def save_model(trained: TrainedModel, out: str | Path, schema: LabelSchema, metrics: dict | None = None,
               card: str | Callable[[str], str] | None = None, overwrite: bool = True,
               system: str = "fine-tuned", system_clf=None) -> str:
    """Write the model folder atomically (temp folder, then swap); return the weights hash.

    ``card`` is the model card text, or a function of the weights hash that renders it: either way
    it is written inside the temporary folder, so a model folder never lacks its card. ``system``
    (with its fitted ``system_clf``) is what loading the folder returns when it is not the fine-tuned model.
    """
    from .systems import FINE_TUNED, save_system

    from safetensors.torch import save_file

    from ..writers import atomic_dir

    out = Path(out)
    if out.exists() and not overwrite:
        raise ModelError(f"{out}: exists; pass --overwrite or choose another --out")
    result: dict[str, str] = {}

    def build(tmp: Path) -> None:
        trained.model.encoder.save_pretrained(str(tmp))  # type: ignore[operator]  # a transformers model; nn.Module.__getattr__ is typed Tensor | Module
        trained.tokenizer.save_pretrained(str(tmp))
        # The probe's arrays travel in the heads file, so the weights hash and integrity check cover them.
        probe_state = trained.probe.state() if trained.probe is not None else {}
        save_file({**trained.model.heads_state(), **probe_state}, str(tmp / HEADS))
        system_files = [] if system == FINE_TUNED else save_system(system, system_clf, tmp)
        (tmp / "schema.toml").write_bytes(schema.source_bytes())
        digest = result["hash"] = weights_hash(tmp)
        meta = {
            "format": FORMAT,
            "name": trained.config.name,
            "hash": digest,
            # Full SHA-256 of each weights file, checked at load: corrupted weights must not load silently.
            "weights_sha256": {name: file_sha256(tmp / name) for name in (*WEIGHTS, *system_files)},
            "system": system,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "base_model": trained.config.base_model,
            "schema": {"name": schema.name, "version": schema.version, "hash": schema.hash, "topic": schema.topic},
            "stance_labels": trained.stance_labels,
            "scenario_labels": trained.scenario_labels,
            "scenario_descriptions": trained.scenario_descriptions,
            "scenario_trained": trained.scenario_trained,
            "temperatures": trained.temperatures,
            "best_epoch": trained.best_epoch,
            # The dev comparison with TF-IDF + LR and zero-shot (experiment.verdict): repeated at every load.
            "verdict": (metrics or {}).get("verdict"),
        }
        (tmp / META).write_text(json.dumps(meta, indent=2), encoding="utf-8")
        (tmp / "training_config.json").write_text(trained.config.model_dump_json(indent=2), encoding="utf-8")
        (tmp / "metrics.json").write_text(json.dumps(metrics or {}, indent=2, default=str), encoding="utf-8")
        text = card(digest) if callable(card) else card
        if text:
            (tmp / "README.md").write_text(text, encoding="utf-8")

    atomic_dir(out, build)
    return result["hash"]


def read_meta(folder: str | Path) -> dict:
    """``argmine_model.json`` of a model folder, checked: format, files present, weights intact."""
    folder = Path(folder)
    meta = folder / META
    if not folder.is_dir():
        raise ModelError(f"{folder}: model folder not found; train one with `argmine train --out {folder}` or use --model zero-shot")
    if not meta.is_file():
        raise ModelError(f"{folder}: not an argmine model folder ({META} missing); train one with `argmine train`")
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise ModelError(f"{meta}: corrupt ({e}); {REBUILD}") from e
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(f"{meta}: format {data.get('format') if isinstance(data, dict) else None!r} is not {FORMAT!r}; {REBUILD}")
    for name in (*WEIGHTS, "config.json", "schema.toml", "training_config.json"):
        if not (folder / name).is_file():
            raise ModelError(f"{folder}: {name} is missing; the model folder is incomplete, {REBUILD}")
    check_weights(folder, data)
    return data


def check_weights(folder: Path, meta: dict) -> None:
    """Compare the weights with the hashes recorded at training; a mismatch means corrupt weights."""
    recorded = meta.get("weights_sha256")
    if isinstance(recorded, dict):
        bad = [n for n in recorded if not (folder / n).is_file() or recorded[n] != file_sha256(folder / n)]
        bad += [n for n in WEIGHTS if n not in recorded]
    else:  # models saved before full hashes were recorded: the short id is a hash of the same bytes
        bad = [] if meta.get("hash") == weights_hash(folder) else list(WEIGHTS)
    if bad:
        raise ModelError(f"{folder / bad[0]}: weights do not match the SHA-256 recorded at training "
                         f"(corrupted or replaced); {REBUILD}")


def load_model(folder: str | Path, schema: LabelSchema | None = None):
    """A TransformerClassifier from a saved folder. ``schema`` (optional) must have the same labels."""
    from safetensors.torch import load_file

    from .classifier import TransformerClassifier
    from .encoder import ClaimModel, load_encoder
    from .probe import PREFIX as PROBE
    from .probe import EmbeddingProbe

    folder = Path(folder)
    meta = read_meta(folder)
    trained_schema = LabelSchema.load(folder / "schema.toml")
    if schema is not None:
        if (schema.stance_labels, schema.scenario_labels) != (trained_schema.stance_labels, trained_schema.scenario_labels):
            raise ModelError(
                f"{folder}: trained on schema {trained_schema.name!r} with labels {trained_schema.stance_labels} / "
                f"{trained_schema.scenario_labels}, not those of {schema.name!r}; use a model trained on this schema"
            )
        if schema.hash != meta["schema"]["hash"]:
            log.warning("%s: schema file differs from the one the model was trained on (hash %s vs %s)", folder, schema.hash, meta["schema"]["hash"])
    verdict = meta.get("verdict") or {}
    config = TrainConfig.model_validate_json((folder / "training_config.json").read_text(encoding="utf-8"))
    system = meta.get("system", "fine-tuned")
    if system != "fine-tuned":
        from .systems import load_system

        log.info("%s: runs %s: %s", folder, system, verdict.get("why", "chosen at build"))
        return load_system(system, folder, schema or trained_schema, config, f"{meta['name']}@{meta['hash']}")
    if verdict.get("winner", "fine-tuned") != "fine-tuned":  # folders built before the build chose the winner
        log.warning("%s: %s", folder, verdict["why"])
    encoder, tokenizer = load_encoder(folder)
    model = ClaimModel(encoder, len(meta["stance_labels"]), len(meta["scenario_labels"]), dropout=config.dropout)
    try:
        heads = load_file(str(folder / HEADS))
    except Exception as e:  # safetensors raises its own error types for truncated or malformed files
        raise ModelError(f"{folder / HEADS}: unreadable ({e}); {REBUILD}") from e
    probe = EmbeddingProbe.from_state(heads)
    missing, unexpected = model.load_state_dict({k: v for k, v in heads.items() if not k.startswith(PROBE)}, strict=False)
    if unexpected or any(not k.startswith("encoder.") for k in missing):
        raise ModelError(f"{folder}: {HEADS} does not fit the model (missing {missing[:3]}, unexpected {unexpected[:3]}); retrain it")
    model.eval()
    trained = TrainedModel(model, tokenizer, config, meta["stance_labels"], meta["scenario_labels"],
                           meta["scenario_descriptions"], meta["scenario_trained"], temperatures=meta["temperatures"],
                           best_epoch=meta.get("best_epoch", 0), probe=probe)
    return TransformerClassifier(trained, schema or trained_schema, meta["name"], meta["hash"])
