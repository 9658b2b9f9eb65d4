"""Inference precision on CPU: fp32, bf16 weights, or PyTorch dynamic int8 quantisation of the encoders.

- ``bf16``: the encoders' weights in bfloat16, their outputs cast back to float before pooling and the
  heads. On a CPU with AVX-512 BF16 or AMX it needs about half the CPU seconds of fp32 and, on the default
  model, left held-out macro-F1 unchanged (README, "Scale"); on a CPU without them it is slower than fp32.
- ``int8``: ``nn.Linear`` weights stored as int8, activations quantised per batch (the heads stay float).
  As fast as bf16 here, but it moved held-out macro-F1 by up to 0.05, so it is an option only.
- ``auto`` (the default): bf16 where the CPU has native bf16 arithmetic, else fp32.

Measured against ONNX Runtime's int8 (``docs/scale.md``) the PyTorch paths won: no export step, no extra
dependency, the same model folder.
"""

from __future__ import annotations

import copy
import logging
import warnings

import torch
from torch import nn

log = logging.getLogger(__name__)

PRECISIONS = ("auto", "fp32", "bf16", "int8")
# The default of `argmine run`, `Pipeline.load` and the argmine_classifier component. bf16 left the default model's
# held-out macro-F1 unchanged; int8, as fast, moved it by more than the 0.01 a default may move.
DEFAULT_PRECISION = "auto"


def native_bf16() -> bool:
    """Whether this CPU multiplies bf16 natively (AVX-512 BF16 or AMX): only then is bf16 faster than fp32."""
    cpu = torch.cpu
    return bool(getattr(cpu, "_is_avx512_bf16_supported", lambda: False)() or getattr(cpu, "_is_amx_tile_supported", lambda: False)())


def resolve_precision(precision: str) -> str:
    """``auto`` → ``bf16`` or ``fp32`` for this machine; the other names unchanged."""
    return ("bf16" if native_bf16() else "fp32") if precision == "auto" else precision


class Bf16Encoder(nn.Module):
    """A transformer whose weights are bf16 and whose ``last_hidden_state`` comes back as float32, so pooling,
    the heads and the probability tensors stay float32."""

    def __init__(self, encoder: nn.Module) -> None:
        super().__init__()
        self.inner = encoder.to(torch.bfloat16).eval()
        self.config = encoder.config

    def forward(self, **batch):
        from transformers.modeling_outputs import BaseModelOutput

        return BaseModelOutput(last_hidden_state=self.inner(**batch).last_hidden_state.float())


def quantize_module(module: nn.Module) -> nn.Module:
    """A dynamically int8-quantised copy of ``module`` (its ``nn.Linear`` layers), in eval mode."""
    module.eval()
    with warnings.catch_warnings():
        # torch.ao.quantization announces its successor (torchao); the eager dynamic path still works on CPU.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*quantize_per_tensor.*", category=UserWarning)
        from torch.ao.quantization import quantize_dynamic

        return quantize_dynamic(module, {nn.Linear}, dtype=torch.qint8)


def with_precision(classifier, precision: str):
    """A copy of a TransformerClassifier or ZeroShotClassifier at ``precision`` (``bf16`` or ``int8``; the original
    is left as it was); fp32 and other classifiers are returned unchanged. The ``model`` field of its claims says
    ``+bf16`` / ``+int8``, so precisions never mix unnoticed."""
    if precision == "fp32":
        return classifier
    if not hasattr(classifier, "trained") and not hasattr(classifier, "encoder"):
        log.info("%s has no transformer; %s changes nothing", classifier.name, precision)
        return classifier
    convert = quantize_module if precision == "int8" else Bf16Encoder
    classifier = copy.deepcopy(classifier)
    if hasattr(classifier, "trained"):  # fine-tuned: ClaimModel.encoder
        classifier.trained.model.encoder = convert(classifier.trained.model.encoder)
        classifier._descriptions = None  # re-embed the definitions with the converted encoder
        if classifier.trained.probe is not None:  # the probe's frozen encoder is a second transformer pass
            encoder, tokenizer = classifier.probe_encoder()
            classifier._probe_encoder = (convert(encoder), tokenizer)
    else:  # zero-shot
        classifier.encoder = convert(classifier.encoder)
        classifier._descriptions = {}
    classifier.name = f"{classifier.name}+{precision}"
    return classifier
