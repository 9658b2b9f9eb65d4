"""Zero-shot stance and scenario: claim–definition similarity of mean-pooled sentence embeddings.

No training data needed, so a new schema works at once; outputs are labelled ``zero-shot`` in the
``model`` field. A label flagged ``none = true`` in the schema is never a similarity target: it wins
when no definition is closer than ``none_threshold``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Optional, Sequence

import torch

from ..records import ClaimRecord
from ..schema import Label, LabelSchema
from .config import DEFAULT_BASE_MODEL, TrainConfig, resolve_base_model
from .data import scenario_descriptions, stance_descriptions
from ..classify import labelled
from .encoder import embed_texts, load_encoder

log = logging.getLogger(__name__)


def zero_shot_probs(encoder, tokenizer, texts: Sequence[str], labels: Sequence[Label], descriptions: Sequence[str],
                    none_threshold: float = 0.25, scale: float = 20.0, max_length: int = 128,
                    text_emb: Optional[torch.Tensor] = None, desc_emb: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Softmax over scaled cosine similarities; ``none`` labels get the constant ``none_threshold``.

    ``desc_emb``: the non-``none`` descriptions already embedded (a caller predicting many times embeds them once).
    """
    if text_emb is None:
        text_emb = embed_texts(encoder, tokenizer, list(texts), max_length)
    targets = [i for i, lab in enumerate(labels) if not lab.none]
    sims = torch.full((len(text_emb), len(labels)), float(none_threshold))
    if targets:
        if desc_emb is None:
            desc_emb = embed_texts(encoder, tokenizer, [descriptions[i] for i in targets], max_length)
        sims[:, targets] = text_emb @ desc_emb.T
    return torch.softmax(scale * sims, -1)


class ZeroShotClassifier:
    """Stance and scenario by similarity to the schema's definitions (``argmine run --model zero-shot``)."""

    is_placeholder = False

    def __init__(self, schema: LabelSchema, base_model: str = DEFAULT_BASE_MODEL, config: TrainConfig | None = None) -> None:
        self.schema = schema
        self.config = config or TrainConfig(base_model=base_model)
        path = resolve_base_model(base_model)
        self.encoder, self.tokenizer = load_encoder(path)
        self.encoder.eval()
        label = DEFAULT_BASE_MODEL if base_model == DEFAULT_BASE_MODEL else Path(base_model).name
        self.name = f"zero-shot:{label}"
        self._descriptions: dict[str, torch.Tensor] = {}  # task → its definitions embedded, once per classifier

    def _embedded(self, task: str, labels: Sequence[Label], descriptions: Sequence[str]) -> torch.Tensor:
        if task not in self._descriptions:
            targets = [d for lab, d in zip(labels, descriptions, strict=True) if not lab.none]
            self._descriptions[task] = embed_texts(self.encoder, self.tokenizer, targets, self.config.max_length)
        return self._descriptions[task]

    def predict(self, claims: list[ClaimRecord], sections: list[str | None] | None = None) -> list[ClaimRecord]:
        if not claims:
            return []
        texts = [c.text for c in claims]
        emb = embed_texts(self.encoder, self.tokenizer, texts, self.config.max_length)
        c = self.config
        out = []
        for task, labels, descriptions in (("stance", self.schema.stance, stance_descriptions(self.schema)),
                                           ("scenario", self.schema.scenarios, scenario_descriptions(self.schema))):
            out.append(zero_shot_probs(self.encoder, self.tokenizer, texts, labels, descriptions, c.zero_shot_none_threshold,
                                       c.zero_shot_scale, c.max_length, text_emb=emb, desc_emb=self._embedded(task, labels, descriptions)))
        st, sc = out
        return labelled(claims, self.schema.stance_labels, st.tolist(), self.schema.scenario_labels, sc.tolist(), self.name)
