"""ONNX Runtime against PyTorch for the claim encoder: claims per CPU second and held-out macro-F1 of
torch fp32, torch dynamic int8, ONNX Runtime fp32 and ONNX Runtime dynamic int8 (``quantize_dynamic``).

The encoder (a Hugging Face BertModel) is exported with ``torch.onnx.export`` (the TorchScript exporter,
opset 17, dynamic batch and sequence axes) and swapped into a copy of the classifier, so all four run the
same tokenisation, pooling, heads and calibration; only the encoder differs. Needs the ``bench`` extra
(``pip install -e '.[bench]'``). Used by ``bench_run.py``; alone:

    ARGMINE_HOME=... .venv/bin/python scripts/bench_onnx.py --threads 1
"""

from __future__ import annotations

import argparse
import copy
import json
import tempfile
import time
import warnings
from pathlib import Path

import torch
from torch import nn


class OrtEncoder(nn.Module):
    """An ONNX Runtime session standing in for the transformer: ``encoder(**batch).last_hidden_state``."""

    def __init__(self, path: Path, config, threads: int) -> None:
        import onnxruntime as ort

        super().__init__()
        self.config = config  # hidden_size is read by the pooling code
        options = ort.SessionOptions()
        options.intra_op_num_threads, options.inter_op_num_threads = threads, 1
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.names = [i.name for i in self.session.get_inputs()]

    def forward(self, **batch):
        (hidden,) = self.session.run(["last_hidden_state"], {k: batch[k].numpy() for k in self.names})
        return type("Output", (), {"last_hidden_state": torch.from_numpy(hidden)})()


class _Hidden(nn.Module):
    """The encoder with positional inputs and one output, as the exporter wants it."""

    def __init__(self, encoder: nn.Module) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.encoder(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state


def export(encoder: nn.Module, tokenizer, folder: Path) -> tuple[Path, Path]:
    """fp32 and dynamically int8-quantised ONNX graphs of ``encoder`` in ``folder``."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    names = ["input_ids", "attention_mask", "token_type_ids"]
    example = tokenizer(["a short claim", "a longer claim than that"], ["topic", "topic"], padding=True, return_tensors="pt")
    fp32, int8 = folder / "encoder.onnx", folder / "encoder.int8.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation and tracer notes
        torch.onnx.export(_Hidden(encoder).eval(), tuple(example[k] for k in names), str(fp32), input_names=names,
                          output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                          dynamic_axes={k: {0: "batch", 1: "tokens"} for k in [*names, "last_hidden_state"]})
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    return fp32, int8


def variants(classifier, threads: int, folder: Path) -> dict:
    """The four classifiers by name (fine-tuned TransformerClassifier only)."""
    from argmine.model.precision import with_precision

    encoder = classifier.trained.model.encoder
    fp32, int8 = export(encoder, classifier.trained.tokenizer, folder)
    out = {"torch fp32": classifier, "torch int8": with_precision(classifier, "int8")}
    for name, path in (("onnx fp32", fp32), ("onnx int8", int8)):
        c = copy.deepcopy(classifier)
        c.trained.model.encoder = OrtEncoder(path, encoder.config, threads)
        c._descriptions = None  # re-embedded by the new encoder
        c.name = f"{c.name}+{name.replace(' ', '-')}"
        out[name] = c
    return out


def compare(spec_kw: dict, claims: list, gold: list, schema, threads: int = 1) -> dict:
    """Claims per CPU second over ``claims`` (one predict call) and macro-F1 on ``gold``, per variant."""
    from argmine.engine import PipelineSpec
    from argmine.model.metrics import evaluate_classifier

    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return {"skipped": "onnxruntime is not installed; pip install -e '.[bench]'"}
    torch.set_num_threads(threads)
    classifier = PipelineSpec(**spec_kw, precision="fp32").load_classifier(schema)
    if not hasattr(classifier, "trained"):
        return {"skipped": f"{classifier.name} is not a fine-tuned model"}
    result = {"threads": threads, "claims": len(claims)}
    with tempfile.TemporaryDirectory() as tmp:
        for name, c in variants(classifier, threads, Path(tmp)).items():
            c.predict(claims[:16])  # warm-up, and the definitions embedded
            c0, t0 = time.process_time(), time.perf_counter()
            c.predict(claims, [x.section for x in claims])
            cpu, wall = time.process_time() - c0, time.perf_counter() - t0
            s = evaluate_classifier(c, gold, schema)
            result[name] = {"claims_per_cpu_s": round(len(claims) / cpu, 1), "cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
                            "stance_f1": round(s["stance"]["macro_f1"], 4), "scenario_f1": round(s["scenario"]["macro_f1"], 4)}
    return result


def main() -> None:
    import bench_run

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=None)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    spec_kw = {"model": args.model}
    gold, schema = bench_run.held_out_gold(spec_kw)
    print(json.dumps(compare(spec_kw, bench_run.unlabelled_claims(gold), gold, schema, args.threads), indent=2))


if __name__ == "__main__":
    main()
