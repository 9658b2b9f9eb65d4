"""The claim encoder: a transformer read as (topic, claim) pairs, a stance head and a description-matching scenario head.

Scenario scores combine a linear head with the scaled cosine similarity between the claim and each
scenario's definition, encoded by the same transformer (mean-pooled). With no scenario training data
the similarity alone is the zero-shot scorer; ``match_scores`` exposes it for any texts × descriptions.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Optional, Sequence

import torch
from torch import nn

from ..errors import ModelError

log = logging.getLogger(__name__)


def quiet_transformers() -> None:
    """Keep transformers' own progress bars and chatter out of our rich output."""
    import transformers

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()


def load_encoder(path: str | Path, config_only: bool = False):
    """(AutoModel, AutoTokenizer) from a local folder; safetensors only, never a pickle."""
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    quiet_transformers()
    path = Path(path)
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        if config_only:
            model = AutoModel.from_config(AutoConfig.from_pretrained(str(path), local_files_only=True))
        else:
            model = AutoModel.from_pretrained(str(path), local_files_only=True, use_safetensors=True)
    except (OSError, ValueError, EnvironmentError) as e:
        raise ModelError(f"{path}: cannot load a transformer and tokenizer from it ({e}); point base_model at a local Hugging Face folder with safetensors weights") from e
    return model, tokenizer


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of the token vectors under the attention mask (sentence-transformers pooling)."""
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)


class ClaimModel(nn.Module):
    """Encoder + stance head (+ scenario head over label descriptions)."""

    def __init__(self, encoder: nn.Module, n_stance: int, n_scenario: int, dropout: float = 0.1, scale: float = 20.0) -> None:
        super().__init__()
        self.encoder = encoder
        hidden: int = encoder.config.hidden_size  # type: ignore[union-attr,assignment]  # a transformers model's config; nn.Module.__getattr__ is typed Tensor | Module
        self.dropout = nn.Dropout(dropout)
        self.stance_head = nn.Linear(hidden, max(n_stance, 1))
        self.scenario_head = nn.Linear(hidden, max(n_scenario, 1))
        # Learned temperature of the claim–definition cosine; starts at the zero-shot scale.
        self.log_scale = nn.Parameter(torch.tensor(float(scale)).log())
        nn.init.zeros_(self.scenario_head.weight)
        nn.init.zeros_(self.scenario_head.bias)

    def embed(self, batch: dict) -> torch.Tensor:
        out = self.encoder(**batch)
        return mean_pool(out.last_hidden_state, batch["attention_mask"])

    def forward(self, batch: dict, descriptions: Optional[dict] = None) -> tuple[torch.Tensor, Optional[torch.Tensor]]:
        """Stance logits, and scenario logits when the tokenised descriptions are given."""
        z = self.embed(batch)
        stance = self.stance_head(self.dropout(z))
        scenario = None
        if descriptions is not None:
            d = self.embed(descriptions)
            sim = nn.functional.normalize(z, dim=-1) @ nn.functional.normalize(d, dim=-1).T
            scenario = self.log_scale.exp() * sim + self.scenario_head(self.dropout(z))
        return stance, scenario

    def heads_state(self) -> dict[str, torch.Tensor]:
        return {k: v.detach().clone().contiguous() for k, v in self.state_dict().items() if not k.startswith("encoder.")}


def tokenize_pairs(tokenizer, pairs: Sequence[tuple[str, str]], max_length: int) -> dict:
    first, second = zip(*pairs) if pairs else ((), ())
    return dict(tokenizer(list(first), list(second), padding=True, truncation="longest_first", max_length=max_length, return_tensors="pt"))


def tokenize_texts(tokenizer, texts: Sequence[str], max_length: int) -> dict:
    return dict(tokenizer(list(texts), padding=True, truncation=True, max_length=max_length, return_tensors="pt"))


@torch.inference_mode()
def embed_texts(encoder: nn.Module, tokenizer, texts: Sequence[str], max_length: int = 128, batch_size: int = 64) -> torch.Tensor:
    """Mean-pooled, L2-normalised sentence embeddings, batched in length order."""
    encoder.eval()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = torch.empty(len(texts), encoder.config.hidden_size)  # type: ignore[union-attr,arg-type]  # transformers config, see ClaimModel
    for s in range(0, len(order), batch_size):
        idx = order[s : s + batch_size]
        batch = tokenize_texts(tokenizer, [texts[i] for i in idx], max_length)
        z = mean_pool(encoder(**batch).last_hidden_state, batch["attention_mask"])
        out[idx] = nn.functional.normalize(z, dim=-1)
    return out


def match_scores(encoder: nn.Module, tokenizer, texts: Sequence[str], descriptions: Sequence[str], max_length: int = 128) -> torch.Tensor:
    """Cosine similarity of every text to every description: the claim–description matching scorer.

    Used for zero-shot scenarios (claim × scenario definitions) and reusable for key-point matching
    (argument × key point, ArgKP-2021). Returns a ``len(texts) × len(descriptions)`` tensor in [-1, 1].
    """
    if not texts or not descriptions:
        return torch.zeros(len(texts), len(descriptions))
    return embed_texts(encoder, tokenizer, texts, max_length) @ embed_texts(encoder, tokenizer, descriptions, max_length).T
