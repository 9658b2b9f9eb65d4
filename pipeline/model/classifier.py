"""The fine-tuned ClaimClassifier: batched, length-sorted, calibrated predictions for claims-table rows."""

from __future__ import annotations

import logging

import torch

from ..classify import labelled
from ..records import ClaimRecord
from ..schema import LabelSchema
from .config import TrainConfig
from .data import Example, previous_texts, scenario_descriptions
from .encoder import tokenize_texts
from .joint import allowed_matrix, joint_decode
from .trainer import TrainedModel, predict_logits
from .zeroshot import zero_shot_probs

log = logging.getLogger(__name__)


class TransformerClassifier:
    """Implements ``argmine.classify.ClaimClassifier`` with a fine-tuned (or just-trained) model.

    ``name`` is ``<model name>@<weights hash>``; when the scenario head had no training examples,
    scenarios come from the zero-shot scorer and the name says ``+scenario:zero-shot``.
    """

    is_placeholder = False

    def __init__(self, trained: TrainedModel, schema: LabelSchema, name: str, weights_hash: str = "") -> None:
        self.trained = trained
        self.schema = schema
        self.config: TrainConfig = trained.config
        self.weights_hash = weights_hash
        base = f"{name}@{weights_hash}" if weights_hash else name
        self.name = base if trained.scenario_trained else f"{base}+scenario:zero-shot"
        self._descriptions: torch.Tensor | None = None
        self._probe_encoder: tuple | None = None  # (encoder, tokenizer) of the frozen base model, loaded once

    @torch.inference_mode()
    def description_embeddings(self) -> torch.Tensor | None:
        """The scenario definitions embedded once per classifier (they do not depend on the claims)."""
        t = self.trained
        if self._descriptions is None and t.scenario_trained:
            t.model.eval()
            self._descriptions = t.model.embed(tokenize_texts(t.tokenizer, t.scenario_descriptions, self.config.max_length))
        return self._descriptions

    def predict(self, claims: list[ClaimRecord], sections: list[str | None] | None = None) -> list[ClaimRecord]:
        if not claims:
            return []
        t = self.trained
        secs = sections if sections is not None else [c.section for c in claims]
        examples = [Example(topic=self.schema.topic, text=c.text, group=c.doc_id, section=s, previous=p)
                    for c, s, p in zip(claims, secs, previous_texts(claims))]
        st_logits, sc_logits = predict_logits(t.model, t.tokenizer, examples, self.config, None,
                                              description_embeddings=self.description_embeddings())
        st = torch.softmax(st_logits / t.temperatures.get("stance", 1.0), -1)
        if sc_logits is not None:
            sc = torch.softmax(sc_logits / t.temperatures.get("scenario", 1.0), -1)
        else:
            sc = self._zero_shot_scenarios([c.text for c in claims])
        if t.probe is not None:
            st, sc = self._with_probe([c.text for c in claims], st, sc)
        out = labelled(claims, t.stance_labels, st.tolist(), self.schema.scenario_labels, sc.tolist(), self.name)
        if self.config.joint_decoding:
            self._decode_jointly(out, st.numpy(), sc.numpy())
        return out

    def probe_encoder(self) -> tuple:
        """(encoder, tokenizer) of the frozen base model the probe reads, loaded once."""
        from .probe import load_base_encoder

        if self._probe_encoder is None:
            self._probe_encoder = load_base_encoder(self.config)
        return self._probe_encoder

    def _with_probe(self, texts: list[str], st: torch.Tensor, sc: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The mean of the fine-tuned and the probe's probabilities, per task the probe was fitted on."""
        from .probe import embed

        probe = self.trained.probe
        assert probe is not None  # called only when the model has one
        encoder, tokenizer = self.probe_encoder()
        X = embed(encoder, tokenizer, texts, self.config)
        if "stance" in probe.coef:
            st = (st + torch.from_numpy(probe.proba(X, "stance")).to(st.dtype)) / 2
        if "scenario" in probe.coef:
            sc = (sc + torch.from_numpy(probe.proba(X, "scenario")).to(sc.dtype)) / 2
        return st, sc

    def _decode_jointly(self, claims: list[ClaimRecord], st, sc) -> None:
        """Replace the two argmaxes of our own new records by the best pair the schema's stance → scenarios lists allow."""
        allowed = allowed_matrix(self.schema.compatibility_matrix(), st.shape[1], sc.shape[1])
        i, j = joint_decode(st, sc, allowed)
        for claim, a, b in zip(claims, i, j):
            claim.stance, claim.scenario = self.trained.stance_labels[a], self.schema.scenario_labels[b]

    def _zero_shot_scenarios(self, texts: list[str]) -> torch.Tensor:
        enc, tok, c = self.trained.model.encoder, self.trained.tokenizer, self.config
        return zero_shot_probs(enc, tok, texts, self.schema.scenarios, scenario_descriptions(self.schema),
                               c.zero_shot_none_threshold, c.zero_shot_scale, c.max_length)
