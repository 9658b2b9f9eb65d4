"""Training a model folder from gold annotations: the library behind `argmine train` and `argmine model build`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from ..errors import ModelError
from ..schema import LabelSchema
from .config import TrainConfig, resolve_base_model

if TYPE_CHECKING:  # pragma: no cover
    from .experiment import GoldCorpus


def build_model(corpus: "GoldCorpus", config: TrainConfig, out: str | Path, schema: LabelSchema,
                overwrite: bool = False, progress=None, on_epoch: Optional[Callable[[dict], None]] = None,
                with_zero_shot: bool = True) -> tuple[str, dict]:
    """Train on the manifest's train split, early-stop and calibrate on dev, score dev/test; save to ``out``.

    When another system beats the fine-tuned model on dev (:func:`argmine.model.experiment.verdict`), the folder
    also holds that system and loading it returns that system; ``metrics["system"]`` and the card say so.

    Returns (weights hash, metrics). Every check (existing folder, base model, annotations) runs before training.
    """
    from .card import render_card
    from .experiment import run_split
    from .io import save_model

    out = Path(out)
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise ModelError(f"{out}: exists and is not empty; pass --overwrite or choose another --out")
    resolve_base_model(config.base_model)  # an unreadable base model fails here, before any training
    run = run_split(corpus, config, progress=progress, on_epoch=on_epoch, with_zero_shot=with_zero_shot)
    metrics = run.metrics
    system = metrics.get("verdict", {}).get("winner", "fine-tuned")
    metrics["system"] = system  # what `argmine run --model <out>` uses
    digest = save_model(run.trained, out, schema, metrics,
                        card=lambda h: render_card(config.name, h, config, schema, metrics), overwrite=True,
                        system=system, system_clf=run.systems.get(system))
    return digest, metrics
