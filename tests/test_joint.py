"""Joint stance + scenario decoding against the schema's stance → scenarios lists; the dev verdict; the card."""

from __future__ import annotations

import numpy as np
import pytest

from argmine.model.joint import allowed_matrix, joint_decode
from argmine.schema import LabelSchema


def test_packaged_schema_compatibility_matches_its_gold_table():
    """The packaged table forbids exactly the pairs that never occur in the gold (README stance × scenario)."""
    s = LabelSchema.load()
    m = np.array(s.compatibility_matrix())
    assert m.shape == (len(s.stance_labels), len(s.scenario_labels))
    # Every stance allows the "none" scenario; at least one pair is ruled out, and no stance allows nothing.
    none = [lab.name for lab in s.scenarios if lab.none][0]
    assert m[:, s.scenario_labels.index(none)].all() and not m.all() and m.any(axis=1).all()


def test_schema_without_stance_scenarios_allows_everything():
    base = LabelSchema.load()
    data = base.model_dump(exclude={"hash", "path"})
    for label in data["stance"]:
        label["scenarios"] = None
    assert np.array(LabelSchema(**data).compatibility_matrix()).all()


def test_joint_decode_picks_the_best_allowed_pair():
    allowed = np.array([[True, False, True], [False, True, True]])
    st = np.array([[0.6, 0.4], [0.6, 0.4], [0.9, 0.1]])
    sc = np.array([[0.1, 0.8, 0.1], [0.1, 0.5, 0.4], [0.5, 0.3, 0.2]])
    i, j = joint_decode(st, sc, allowed)
    # row 0: (0,1) forbidden; best allowed (1,1)=0.32 > (0,0)=0.06, (0,2)=0.06
    # row 1: (1,1)=0.2 < (0,2)=0.24 → stance 0, scenario 2
    # row 2: the argmaxes (0,0) are allowed and kept
    assert i.tolist() == [1, 0, 0] and j.tolist() == [1, 2, 0]
    with pytest.raises(ValueError, match="trained on another schema"):
        allowed_matrix(allowed.tolist(), 3, 3)
    with pytest.raises(ValueError, match="at least one"):
        allowed_matrix([[True, True], [False, False]], 2, 2)


def test_verdict_says_plainly_when_the_fine_tuned_model_loses():
    from argmine.model.experiment import verdict

    def s(st, sc):
        return {"stance": {"macro_f1": st}, "scenario": {"macro_f1": sc}}

    v = verdict({"fine-tuned": s(0.25, 0.3), "tfidf-lr": s(0.41, 0.3), "zero-shot": s(0.45, 0.2), "majority": s(0.9, 0.9)}, 13)
    assert v["winner"] == "tfidf-lr" and "LOSES to tfidf-lr" in v["why"] and "13 claims" in v["why"]
    assert verdict({"fine-tuned": s(0.6, 0.5), "tfidf-lr": s(0.5, 0.5)}, 100)["winner"] == "fine-tuned"


def test_model_card_shows_real_and_written_test_and_the_verdict():
    from argmine.model.card import render_card
    from argmine.model.config import TrainConfig

    def s(st, sc):
        return {"stance": {"macro_f1": st, "accuracy": st, "n": 3}, "scenario": {"macro_f1": sc, "accuracy": sc, "n": 3}}

    metrics = {"eval": {"test_real": {"fine-tuned": s(0.7, 0.6)}, "test_written": {"fine-tuned": s(0.8, 0.7)}},
               "verdict": {"winner": "fine-tuned", "why": "the fine-tuned model is best on dev"}}
    card = render_card("m", "abc", TrainConfig(), LabelSchema.load(), metrics)
    assert card.index("### Real-text test") < card.index("### Written-corpus test")
    assert "**Verdict on dev:** the fine-tuned model is best on dev." in card
