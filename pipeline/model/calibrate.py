"""Temperature scaling (Guo et al., 2017): one scalar per task, fitted on the dev split's logits."""

from __future__ import annotations

import logging

import numpy as np
import torch

log = logging.getLogger(__name__)


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor, max_iter: int = 100) -> float:
    """The temperature T minimising the dev negative log-likelihood of softmax(logits / T).

    Returns 1.0 (no change) when there is nothing to fit on.
    """
    mask = labels >= 0
    if mask.sum() < 2:
        return 1.0
    logits, labels = logits[mask].detach().double(), labels[mask]
    log_t = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([log_t], lr=0.1, max_iter=max_iter, line_search_fn="strong_wolfe")
    nll = torch.nn.CrossEntropyLoss()

    def closure():
        opt.zero_grad()
        loss = nll(logits / log_t.exp(), labels)
        loss.backward()
        return loss

    opt.step(closure)
    t = float(log_t.detach().exp().clamp(0.05, 20.0))
    return t


def nll(probs: np.ndarray, labels: np.ndarray) -> float:
    if len(labels) == 0:
        return float("nan")
    return float(-np.log(np.clip(probs[np.arange(len(labels)), labels], 1e-12, 1)).mean())
