"""int8 inference on CPU: PyTorch dynamic quantization of the encoder's Linear layers.

Weights are stored as int8 and activations quantised on the fly; the heads stay float. Measured against
ONNX Runtime's int8 (see the README's scale table), this is the path argmine keeps: no export step, no extra
dependency, and the same model folder.
"""

from __future__ import annotations

import copy
import logging
import warnings

import torch
from torch import nn

log = logging.getLogger(__name__)


def quantize_module(module: nn.Module) -> nn.Module:
    """A dynamically int8-quantised copy of ``module`` (its ``nn.Linear`` layers), in eval mode."""
    module.eval()
    with warnings.catch_warnings():
        # torch.ao.quantization announces its successor (torchao); the eager dynamic path still works on CPU.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*quantize_per_tensor.*", category=UserWarning)
        from torch.ao.quantization import quantize_dynamic

        return quantize_dynamic(module, {nn.Linear}, dtype=torch.qint8)


def quantize_classifier(classifier):
    """An int8 copy of a TransformerClassifier or ZeroShotClassifier (the original is left as it was); others
    are returned unchanged. The ``model`` field of its claims says ``+int8``, so the two precisions never mix."""
    if not hasattr(classifier, "trained") and not hasattr(classifier, "encoder"):
        log.info("%s has no transformer to quantise; int8 changes nothing", classifier.name)
        return classifier
    classifier = copy.deepcopy(classifier)
    if hasattr(classifier, "trained"):  # fine-tuned: ClaimModel.encoder
        classifier.trained.model.encoder = quantize_module(classifier.trained.model.encoder)
        classifier._descriptions = None  # re-embed the definitions with the quantised encoder
        if classifier.trained.probe is not None:  # the probe's frozen encoder is a second transformer pass
            encoder, tokenizer = classifier.probe_encoder()
            classifier._probe_encoder = (quantize_module(encoder), tokenizer)
    else:  # zero-shot
        classifier.encoder = quantize_module(classifier.encoder)
        classifier._descriptions = {}
    classifier.name = f"{classifier.name}+int8"
    return classifier
