"""Metric code against hand-computed cases: classification, detection, actors, calibration, errors."""

from __future__ import annotations

import pytest

from argmine.evaluation.calibration import calibration_of, reliability
from argmine.evaluation.errors import confident_errors
from argmine.evaluation.metrics import NO_PREDICTION, classification_metrics, prf, score_run
from argmine.records import ClaimRecord


def claim(doc, start, end, actors=(), stance=None, scenario=None, scores=None, cid=None):
    return ClaimRecord(doc_id=doc, claim_id=cid or f"{doc}:{start}", start=start, end=end, text=f"text {start}-{end}",
                       actors=list(actors), stance=stance, scenario=scenario, stance_scores=scores or {})


def test_classification_hand_computed():
    m = classification_metrics(["a", "a", "b", "b"], ["a", "b", "b", "b"], ["a", "b", "c"])
    assert m["accuracy"] == pytest.approx(0.75)
    assert m["per_label"]["a"]["precision"] == pytest.approx(1.0)
    assert m["per_label"]["a"]["recall"] == pytest.approx(0.5)
    assert m["per_label"]["a"]["f1"] == pytest.approx(2 / 3)
    assert m["per_label"]["b"]["f1"] == pytest.approx(0.8)
    # "c" occurs in neither gold nor predictions: listed, but not averaged into macro-F1.
    assert m["per_label"]["c"]["support"] == 0
    assert m["macro_labels"] == ["a", "b"]
    assert m["macro_f1"] == pytest.approx((2 / 3 + 0.8) / 2)
    assert m["confusion"]["matrix"] == [[1, 1, 0], [0, 2, 0], [0, 0, 0]]


def test_label_predicted_but_absent_from_gold_counts_against_the_model():
    m = classification_metrics(["a", "a"], ["a", "c"], ["a", "b", "c"])
    assert m["accuracy"] == pytest.approx(0.5)
    assert m["per_label"]["c"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert m["macro_f1"] == pytest.approx((2 / 3 + 0.0) / 2)


def test_missing_prediction_is_wrong_and_visible():
    m = classification_metrics(["a", "b"], ["a", None], ["a", "b"])
    assert m["accuracy"] == pytest.approx(0.5)
    assert m["macro_f1"] == pytest.approx(0.5)  # a: F1 1, b: F1 0
    assert NO_PREDICTION in m["confusion"]["labels"]
    assert NO_PREDICTION not in m["per_label"]


def test_empty_inputs():
    m = classification_metrics([], [], ["a", "b"])
    assert m["n"] == 0 and m["accuracy"] is None and m["macro_f1"] is None
    assert prf(0, 0, 5) == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "n_pred": 0, "n_gold": 5}
    assert prf(0, 0, 0)["f1"] == 0.0
    with pytest.raises(ValueError):
        classification_metrics(["a"], [], ["a"])


def _run():
    gold = {
        "d1": [claim("d1", 0, 100, ["Armenia", "Russia"], "pro", "ideal_peace"),
               claim("d1", 100, 200, ["Turkey"], "con", "none"),
               claim("d1", 300, 400, ["Azerbaijan"], "con", "none")],
        "d2": [claim("d2", 0, 50, [], "neutral", "none"), claim("d2", 60, 90, [], "pro", "none")],
        "gold_only": [claim("gold_only", 0, 10, [], "pro", "none")],
    }
    pred = {
        "d1": [claim("d1", 0, 100, ["Armenia"], "pro", "ideal_peace"),       # exact match
               claim("d1", 100, 180, ["Turkey", "Iran"], "pro", "none"),      # relaxed: 80 ≥ half of 100
               claim("d1", 250, 320, [], "con", "none"),                      # 20 < 50: no match
               claim("d1", 500, 600, ["EU"], "con", "none")],                 # spurious
        "d2": [],                                                             # processed, nothing found
        "pred_only": [claim("pred_only", 0, 10, [], "pro", "none")],
    }
    return score_run(gold, pred, ["pro", "con", "neutral"], ["ideal_peace", "none"])


def test_detection_actors_and_labels_hand_computed():
    r = _run()
    assert r["scored_documents"] == ["d1", "d2"]
    assert r["skipped"] == {"gold_only": ["gold_only"], "pred_only": ["pred_only"]}
    o = r["overall"]
    rel = o["detection"]["relaxed"]
    assert (rel["tp"], rel["n_pred"], rel["n_gold"]) == (2, 4, 5)
    assert rel["precision"] == pytest.approx(0.5) and rel["recall"] == pytest.approx(0.4)
    assert rel["f1"] == pytest.approx(2 * 0.5 * 0.4 / 0.9)
    ex = o["detection"]["exact"]
    assert (ex["tp"], ex["precision"], ex["recall"]) == (1, 0.25, 0.2)
    # Actors on matched claims: {Armenia,Russia}×{Armenia} + {Turkey}×{Turkey,Iran} → tp 2, pred 3, gold 3.
    am = o["actors"]["matched_claims"]
    assert (am["tp"], am["n_pred"], am["n_gold"]) == (2, 3, 3)
    # End to end adds EU (spurious prediction) and Azerbaijan (missed gold claim).
    ae = o["actors"]["end_to_end"]
    assert (ae["tp"], ae["n_pred"], ae["n_gold"]) == (2, 4, 4)
    assert o["stance"]["n"] == 2 and o["stance"]["accuracy"] == pytest.approx(0.5)
    assert o["scenario"]["accuracy"] == pytest.approx(1.0)
    # A document with gold but no predicted claims scores zero, not "skipped".
    assert r["per_document"]["d2"]["detection_f1"] == 0.0
    assert r["per_document"]["d2"]["stance_accuracy"] is None


def test_reliability_hand_computed():
    rel = reliability([0.9, 0.9, 0.6, 0.6], [True, False, True, True])
    # bin (0.8, 0.9]: conf .9, acc .5; bin (0.5, 0.6]: conf .6, acc 1 → ECE = .5·.4 + .5·.4
    assert rel["ece"] == pytest.approx(0.4)
    assert rel["mce"] == pytest.approx(0.4)
    assert sum(b["count"] for b in rel["bins"]) == 4
    assert reliability([1.0, 0.0], [True, False])["ece"] == pytest.approx(0.0)
    assert reliability([], [])["ece"] is None


def test_calibration_and_errors_from_claims():
    g1, g2 = claim("d", 0, 10, stance="pro"), claim("d", 20, 30, stance="con")
    p1 = claim("d", 0, 10, stance="pro", scores={"pro": 0.8, "con": 0.2})
    p2 = claim("d", 20, 30, stance="pro", scores={"pro": 0.7, "con": 0.3})
    p3 = claim("d", 20, 30, stance=None, scores={"pro": 0.5, "con": 0.5})  # placeholder: left out
    cal = calibration_of([(g1, p1), (g2, p2), (g2, p3)], "stance")
    assert cal["n"] == 2
    assert cal["ece"] == pytest.approx(0.5 * abs(0.8 - 1) + 0.5 * abs(0.7 - 0))
    errs = confident_errors([(g1, p1), (g2, p2)], "stance")
    assert len(errs) == 1 and errs[0]["gold"] == "con" and errs[0]["predicted"] == "pro"
    assert errs[0]["confidence"] == pytest.approx(0.7) and errs[0]["gold_score"] == pytest.approx(0.3)


def test_paired_bootstrap_hand_checked():
    from argmine.evaluation.metrics import paired_bootstrap

    gold = ["PRO", "CON", "PRO", "CON"]
    groups = ["t1", "t1", "t2", "t2"]
    same = paired_bootstrap(gold, gold, gold, groups, ["PRO", "CON"], reps=50)
    assert same["accuracy"]["difference"] == 0.0 and same["accuracy"]["ci95"] == [0.0, 0.0]
    assert same["accuracy"]["share_not_better"] == 1.0  # a tie is not a win
    flipped = ["CON", "PRO", "CON", "PRO"]
    win = paired_bootstrap(gold, gold, flipped, groups, ["PRO", "CON"], reps=50)
    assert win["accuracy"]["difference"] == 1.0 and win["macro_f1"]["difference"] == 1.0
    assert win["accuracy"]["ci95"] == [1.0, 1.0] and win["accuracy"]["share_not_better"] == 0.0 and win["groups"] == 2
    # A right only on topic t1, B right only on t2: observed tie, and resampled topics swing both ways.
    a, b = ["PRO", "CON", "CON", "PRO"], ["CON", "PRO", "PRO", "CON"]
    split = paired_bootstrap(gold, a, b, groups, ["PRO", "CON"], reps=400, seed=1)
    assert split["accuracy"]["difference"] == 0.0 and split["accuracy"]["ci95"] == [-1.0, 1.0]


def test_bootstrap_scores_agree_with_classification_metrics():
    import numpy as np

    from argmine.metrics import acc_macro_f1_codes as _acc_macro_f1, classification_metrics

    rng = np.random.default_rng(0)
    labels = ["pro", "con", "neutral", "extra"]  # "extra" occurs nowhere: left out of the mean
    gold = rng.choice(labels[:3], 200).tolist()
    pred = rng.choice(labels[:2], 200).tolist()  # never predicts neutral: F1 0 for it, averaged in
    m = classification_metrics(gold, pred, labels)
    codes = {lab: i for i, lab in enumerate(labels)}
    acc, f1 = _acc_macro_f1(np.array([codes[x] for x in gold]), np.array([codes[x] for x in pred]), len(labels))
    assert acc == pytest.approx(m["accuracy"]) and f1 == pytest.approx(m["macro_f1"])
