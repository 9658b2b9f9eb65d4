"""Claim classifiers: the interface every stance/scenario model implements, and the placeholder."""

from __future__ import annotations

from typing import Protocol

from .records import ClaimRecord
from .schema import LabelSchema

PLACEHOLDER_NAME = "placeholder-uniform"


class ClaimClassifier(Protocol):
    """Fills ``stance``, ``stance_scores``, ``scenario``, ``scenario_scores`` and ``model``."""

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
        for claim in claims:
            claim.stance_scores = {label: 1.0 / len(stance) for label in stance}
            claim.scenario_scores = {label: 1.0 / len(scen) for label in scen}
            claim.stance = None
            claim.scenario = None
            claim.model = self.name
        return claims
