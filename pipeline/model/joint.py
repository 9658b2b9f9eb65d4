"""Joint stance + scenario decoding: the most probable pair that the schema's stance labels allow (their ``scenarios`` lists).

Stance and scenario are predicted by two heads; taking each argmax alone can give a pair the guidelines
rule out (a ``pro`` claim pointing to a failed process). Joint decoding picks
``argmax_{(i, j) allowed} p_stance[i] · p_scenario[j]``; the probability dicts stay the heads' own.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np


def allowed_matrix(compat: Sequence[Sequence[bool]], n_stance: int, n_scenario: int) -> np.ndarray:
    """The schema's stance × scenario table as a boolean array; checked against the heads' sizes."""
    allowed = np.asarray(compat, dtype=bool)
    if allowed.shape != (n_stance, n_scenario):
        raise ValueError(f"compatibility table is {allowed.shape}, the model predicts {n_stance} stances × {n_scenario} scenarios; "
                         "the model was trained on another schema — retrain it or pass the schema it was trained on")
    if not allowed.any(axis=1).all():
        raise ValueError("every stance must allow at least one scenario (its ``scenarios`` list)")
    return allowed


def joint_decode(stance_probs: np.ndarray, scenario_probs: np.ndarray, allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise best allowed (stance index, scenario index) under independent head probabilities."""
    st = np.asarray(stance_probs, dtype=float)
    sc = np.asarray(scenario_probs, dtype=float)
    joint = st[:, :, None] * sc[:, None, :]  # rows × stance × scenario
    joint = np.where(allowed[None], joint, -1.0)
    flat = joint.reshape(len(st), -1).argmax(1)
    return flat // sc.shape[1], flat % sc.shape[1]
