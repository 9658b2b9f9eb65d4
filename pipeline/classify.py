"""Claim classifiers: the interface every stance/scenario model implements, and the placeholder."""

from __future__ import annotations

import math
from typing import Optional, Protocol, Sequence

from .errors import ModelError
from .records import ClaimRecord
from .schema import LabelSchema

PLACEHOLDER_NAME = "placeholder-uniform"


class ClaimClassifier(Protocol):
    """``predict`` returns NEW records with ``stance``, ``stance_scores``, ``scenario``, ``scenario_scores`` and
    ``model`` set; the records it is given are never changed (the contract test checks every classifier)."""

    name: str
    is_placeholder: bool

    def predict(self, claims: list[ClaimRecord], sections: list[str | None] | None = None) -> list[ClaimRecord]: ...


class PlaceholderClassifier:
    """Uniform scores for every label: NOT a prediction, a stand-in until a model is trained.

    It leaves ``stance`` and ``scenario`` empty (null) and the ``model`` field and the run summary
    say ``placeholder-uniform``, so nobody mistakes it for a prediction.
    """

    is_placeholder = True

    def __init__(self, schema: LabelSchema) -> None:
        self.schema = schema
        self.name = PLACEHOLDER_NAME

    def predict(self, claims: list[ClaimRecord], sections: list[str | None] | None = None) -> list[ClaimRecord]:
        stance = self.schema.stance_labels
        scen = self.schema.scenario_labels
        update = {"stance_scores": {label: 1.0 / len(stance) for label in stance},
                  "scenario_scores": {label: 1.0 / len(scen) for label in scen},
                  "stance": None, "scenario": None, "model": self.name}
        return [c.model_copy(update=update, deep=True) for c in claims]


def labelled(claims: Sequence[ClaimRecord], stance_labels: Sequence[str], stance_probs: Sequence[Sequence[float]],
             scenario_labels: Sequence[str], scenario_probs: Sequence[Sequence[float]], name: str,
             digits: Optional[int] = 6) -> list[ClaimRecord]:
    """Copies of ``claims`` with argmax labels, probability dicts (rounded to ``digits``) and the model name.

    The one place a classifier's probabilities become record fields; the inputs are left untouched.
    NaN or infinite scores (corrupt weights) are an error, never a label.
    """
    out = []
    for claim, ps, pc in zip(claims, stance_probs, scenario_probs):
        ps, pc = [float(x) for x in ps], [float(x) for x in pc]
        if not all(math.isfinite(x) for x in (*ps, *pc)):
            raise ModelError(f"model {name} gave NaN/infinite scores for {claim.claim_id}: its weights are corrupt; "
                             "rebuild it with `argmine model build`")
        out.append(claim.model_copy(update={
            "stance_scores": {lab: round(p, digits) if digits is not None else p for lab, p in zip(stance_labels, ps)},
            "scenario_scores": {lab: round(p, digits) if digits is not None else p for lab, p in zip(scenario_labels, pc)},
            "stance": stance_labels[max(range(len(ps)), key=ps.__getitem__)],
            "scenario": scenario_labels[max(range(len(pc)), key=pc.__getitem__)],
            "model": name,
        }, deep=True))
    return out
