"""Scoring a run against gold: claim detection, actors, and stance/scenario on matched claims.

Conventions (stated once, used everywhere):

* A zero denominator gives 0.0 (scikit-learn's ``zero_division=0``); the counts are always reported
  beside the ratios so a reader can tell "0 of 0" from "0 of 40".
* Stance/scenario are scored on claims matched one-to-one under the relaxed match of TASK.md.
  A missing prediction (``None``, e.g. the placeholder classifier) counts as wrong.
* Macro-F1 averages over the labels that occur in gold or in the predictions: a label the model
  predicts but gold never uses scores F1 = 0 and is averaged in (it is an error); a schema label
  that occurs in neither is undefined and left out (it would only dilute the mean).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

from argmine.matching import match_claims
from argmine.metrics import NO_PREDICTION, classification_metrics, paired_bootstrap, prf  # noqa: F401  (re-exported)


def actor_counts(pairs: Sequence[tuple[Sequence[str], Sequence[str]]]) -> tuple[int, int, int]:
    """(tp, n_pred, n_gold) over claim–actor pairs for (gold actors, predicted actors) per claim."""
    tp = n_pred = n_gold = 0
    for gold, pred in pairs:
        g, p = set(gold), set(pred)
        tp += len(g & p)
        n_pred += len(p)
        n_gold += len(g)
    return tp, n_pred, n_gold


@dataclass
class DocScore:
    """Everything scored for one document; the pieces the overall figures are summed from."""

    doc_id: str
    n_gold: int
    n_pred: int
    matched_relaxed: list[tuple[int, int]]
    matched_exact: int
    actors_matched: tuple[int, int, int]
    actors_end_to_end: tuple[int, int, int]
    # (gold claim, predicted claim) for every relaxed match, for the label metrics
    pairs: list = field(default_factory=list)


def score_document(doc_id: str, gold: Sequence, pred: Sequence) -> DocScore:
    """Match and count one document's claims (gold and predicted ClaimRecords)."""
    gold = sorted(gold, key=lambda c: (c.start, c.end))
    pred = sorted(pred, key=lambda c: (c.start, c.end))
    relaxed = match_claims(gold, pred)
    exact = match_claims(gold, pred, exact=True)
    pairs = [(gold[i], pred[j]) for i, j in relaxed]
    matched_g = {i for i, _ in relaxed}
    matched_p = {j for _, j in relaxed}
    on_matched = actor_counts([(g.actors, p.actors) for g, p in pairs])
    # End to end: actors of unmatched gold claims are missed, of unmatched predictions spurious.
    tp, n_p, n_g = on_matched
    n_p += sum(len(set(p.actors)) for j, p in enumerate(pred) if j not in matched_p)
    n_g += sum(len(set(g.actors)) for i, g in enumerate(gold) if i not in matched_g)
    return DocScore(doc_id, len(gold), len(pred), relaxed, len(exact), on_matched, (tp, n_p, n_g), pairs)


def label_metrics(pairs: Sequence, task: str, labels: Sequence[str]) -> dict:
    """Stance or scenario metrics over (gold, predicted) claim pairs."""
    return classification_metrics([getattr(g, task) for g, _ in pairs], [getattr(p, task) for _, p in pairs], labels)


def summarise(scores: Sequence[DocScore], stance_labels: Sequence[str], scenario_labels: Sequence[str]) -> dict:
    """Overall figures: detection (relaxed and exact), actors, stance and scenario on matched claims."""
    n_gold = sum(s.n_gold for s in scores)
    n_pred = sum(s.n_pred for s in scores)
    pairs = [pair for s in scores for pair in s.pairs]
    am = np.sum([s.actors_matched for s in scores], axis=0) if scores else (0, 0, 0)
    ae = np.sum([s.actors_end_to_end for s in scores], axis=0) if scores else (0, 0, 0)
    return {
        "documents": len(scores),
        "detection": {
            "relaxed": prf(sum(len(s.matched_relaxed) for s in scores), n_pred, n_gold),
            "exact": prf(sum(s.matched_exact for s in scores), n_pred, n_gold),
        },
        "actors": {
            "matched_claims": prf(*(int(x) for x in am)),
            "end_to_end": prf(*(int(x) for x in ae)),
        },
        "stance": label_metrics(pairs, "stance", stance_labels),
        "scenario": label_metrics(pairs, "scenario", scenario_labels),
    }


def score_run(gold_by_doc: Mapping[str, Sequence], pred_by_doc: Mapping[str, Sequence], stance_labels: Sequence[str],
              scenario_labels: Sequence[str]) -> dict:
    """Overall and per-document metrics over the documents present in both gold and predictions."""
    common = sorted(set(gold_by_doc) & set(pred_by_doc))
    scores = [score_document(d, gold_by_doc[d], pred_by_doc[d]) for d in common]
    per_doc = {}
    for s in scores:
        m = summarise([s], stance_labels, scenario_labels)
        per_doc[s.doc_id] = {
            "n_gold": s.n_gold, "n_pred": s.n_pred,
            "detection_f1": m["detection"]["relaxed"]["f1"], "detection_exact_f1": m["detection"]["exact"]["f1"],
            "actors_f1": m["actors"]["matched_claims"]["f1"],
            "stance_accuracy": m["stance"]["accuracy"], "stance_macro_f1": m["stance"]["macro_f1"],
            "scenario_accuracy": m["scenario"]["accuracy"], "scenario_macro_f1": m["scenario"]["macro_f1"],
        }
    return {
        "overall": summarise(scores, stance_labels, scenario_labels),
        "per_document": per_doc,
        "scored_documents": common,
        "skipped": {
            "gold_only": sorted(set(gold_by_doc) - set(pred_by_doc)),
            "pred_only": sorted(set(pred_by_doc) - set(gold_by_doc)),
        },
        "_pairs": [pair for s in scores for pair in s.pairs],  # not serialised; for calibration/errors
    }
