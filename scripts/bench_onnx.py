"""int8 on CPU, two ways: PyTorch dynamic quantisation vs ONNX Runtime dynamic quantisation of the same encoder.

Times the encoder (the heads are two small matrices) over the claim batches a run forms: the claims of the
bundled corpus, length-sorted, 64 a batch, as ``predict_logits`` makes them. Needs ``onnxruntime``, ``onnx`` and
``onnxscript`` (not argmine dependencies):

    .venv/bin/pip install onnxruntime onnx onnxscript
    .venv/bin/python scripts/bench_onnx.py [--model NAME]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]


def claim_batches(clf, n_docs: int) -> list[dict]:
    """The tokenised batches the classifier would run over the bundled corpus's claims."""
    from argmine.engine import PipelineSpec
    from argmine.engine.stages import extract, read_items
    from argmine.model.data import Example, pair_text, previous_texts
    from argmine.model.encoder import tokenize_pairs, tokenize_texts

    nlp = PipelineSpec(model="placeholder").load_nlp()
    files = sorted((ROOT / "corpus" / "texts").iterdir())[:n_docs]
    claims = [c for _, _, cs in extract(nlp, list(read_items(files)))[0] for c in cs]
    if not hasattr(clf, "trained"):  # zero-shot: the claims alone
        texts = sorted((c.text for c in claims), key=len)
        return [tokenize_texts(clf.tokenizer, texts[s:s + 64], clf.config.max_length) for s in range(0, len(texts), 64)]
    ex = [Example(topic=clf.schema.topic, text=c.text, section=c.section, previous=p) for c, p in zip(claims, previous_texts(claims), strict=True)]
    pairs = [pair_text(e, clf.config) for e in ex]
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
    return [tokenize_pairs(clf.trained.tokenizer, [pairs[i] for i in order[s:s + 64]], clf.config.max_length)
            for s in range(0, len(order), 64)]


def timed(fn, batches) -> tuple[float, list]:
    fn(batches[0])
    t0 = time.perf_counter()
    outs = [fn(b) for b in batches]
    return time.perf_counter() - t0, outs


def main() -> None:
    from onnxruntime import InferenceSession, SessionOptions
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from argmine.engine import PipelineSpec
    from argmine.model.quantize import quantize_module

    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--docs", type=int, default=29)
    args = ap.parse_args()
    torch.set_num_threads(len(os.sched_getaffinity(0)))
    clf = PipelineSpec(model=args.model).load_classifier()
    enc = (clf.trained.model.encoder if hasattr(clf, "trained") else clf.encoder).eval()
    batches = claim_batches(clf, args.docs)
    names = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in batches[0]]
    work = Path(tempfile.mkdtemp())
    b0 = batches[0]
    torch.onnx.export(enc, (), str(work / "enc.onnx"), kwargs={k: b0[k] for k in names}, input_names=names, output_names=["hidden"],
                      dynamic_axes={k: {0: "batch", 1: "seq"} for k in names} | {"hidden": {0: "batch", 1: "seq"}}, dynamo=False)
    quantize_dynamic(str(work / "enc.onnx"), str(work / "enc.int8.onnx"), weight_type=QuantType.QInt8)
    opts = SessionOptions()
    opts.intra_op_num_threads = torch.get_num_threads()
    results = {}
    with torch.inference_mode():
        results["torch fp32"] = timed(lambda b: enc(**b).last_hidden_state, batches)
        q = quantize_module(enc)
        results["torch int8 (dynamic)"] = timed(lambda b: q(**b).last_hidden_state, batches)
    for name, path in (("onnxruntime fp32", "enc.onnx"), ("onnxruntime int8 (dynamic)", "enc.int8.onnx")):
        sess = InferenceSession(str(work / path), opts, providers=["CPUExecutionProvider"])
        results[name] = timed(lambda b, s=sess: torch.from_numpy(s.run(None, {k: b[k].numpy() for k in names})[0]), batches)
    n = sum(len(b["input_ids"]) for b in batches)
    ref = results["torch fp32"][1]
    print(f"{n} claims, {len(batches)} batches, {torch.get_num_threads()} threads, load {os.getloadavg()[0]:.1f}")
    print("| encoder | seconds | claims/s | max abs diff of hidden states vs torch fp32 |\n|---|---|---|---|")
    for name, (sec, outs) in results.items():
        diff = max(float((o.float() - r).abs().max()) for o, r in zip(outs, ref, strict=True))
        print(f"| {name} | {sec:.2f} | {n / sec:.0f} | {diff:.4f} |")


if __name__ == "__main__":
    main()
