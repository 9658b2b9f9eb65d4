"""The one training loop: AdamW, linear warm-up/decay, gradient clipping, callbacks, early stopping.

The stance/scenario trainer and the ArgKP matcher both run through :func:`fit`; they differ only in
how a batch becomes a loss (``step``), how an epoch is batched (``batches``) and how dev is scored
(``evaluate``). Progress display and early stopping are callbacks, so neither is written twice.
"""

from __future__ import annotations

import copy
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional, Sequence

import numpy as np
import torch
from torch import nn

log = logging.getLogger(__name__)


@dataclass
class LoopSettings:
    """Optimiser and schedule settings shared by every fine-tune."""

    epochs: int
    weight_decay: float
    warmup_ratio: float
    max_grad_norm: float = 1.0


@dataclass
class LoopResult:
    history: list[dict] = field(default_factory=list)
    best_epoch: int = 0
    seconds: float = 0.0


class Callback:
    """Hooks of the loop; every method is optional. ``on_epoch_end`` may set ``stop`` to end training."""

    stop: bool = False

    def on_train_begin(self, total_steps: int) -> None: ...

    def on_step(self, epoch: int, loss: float) -> None: ...

    def on_epoch_end(self, row: dict) -> None: ...

    def on_train_end(self) -> None: ...


class ProgressCallback(Callback):
    """Shows batches, the running loss and the dev figures on a ``rich.progress.Progress``."""

    def __init__(self, progress: Any, name: str, epochs: int, dev_text: Callable[[dict], str]) -> None:
        self.progress, self.name, self.epochs, self.dev_text = progress, name, epochs, dev_text
        self.losses: list[float] = []
        self.task: Any = None

    def on_train_begin(self, total_steps: int) -> None:
        self.total = total_steps
        self.task = self.progress.add_task(self.name, total=total_steps, loss=float("nan"), dev="")

    def on_step(self, epoch: int, loss: float) -> None:
        self.losses.append(loss)
        self.progress.update(self.task, advance=1, loss=float(np.mean(self.losses[-20:])),
                             description=f"epoch {epoch}/{self.epochs}")

    def on_epoch_end(self, row: dict) -> None:
        self.progress.update(self.task, dev=self.dev_text(row))

    def on_train_end(self) -> None:
        self.progress.update(self.task, completed=self.total)


class EarlyStopping(Callback):
    """Keeps the weights of the epoch with the best ``row[key]``; stops after ``patience`` epochs without gain.

    An epoch without a score (no dev set, or NaN) counts as the best so far: the last epoch is kept.
    """

    def __init__(self, module: nn.Module, key: str, patience: int) -> None:
        self.module, self.key, self.patience = module, key, patience
        self.best_state: Optional[dict[str, Any]] = None
        self.best, self.best_epoch, self.stale = -1.0, 0, 0

    def on_epoch_end(self, row: dict) -> None:
        score = row.get(self.key, float("nan"))
        if score is None or np.isnan(score):
            self.best_epoch = row["epoch"]
            return
        if score > self.best:
            self.best, self.best_epoch, self.stale = score, row["epoch"], 0
            self.best_state = copy.deepcopy(self.module.state_dict())
            return
        self.stale += 1
        if self.stale >= self.patience:
            log.info("early stop after epoch %s (best %s)", row["epoch"], self.best_epoch)
            self.stop = True

    def on_train_end(self) -> None:
        if self.best_state is not None:
            self.module.load_state_dict(self.best_state)


class EpochCallback(Callback):
    """Calls a plain function with each epoch's row (e.g. a learning-curve logger)."""

    def __init__(self, fn: Callable[[dict], None]) -> None:
        self.fn = fn

    def on_epoch_end(self, row: dict) -> None:
        self.fn(row)


def make_optimizer(groups: Sequence[tuple[Iterable[nn.Parameter], float]], settings: LoopSettings,
                   total_steps: int) -> tuple[torch.optim.Optimizer, torch.optim.lr_scheduler.LambdaLR]:
    """AdamW over (parameters, learning rate) groups with transformers' linear warm-up and decay."""
    from transformers import get_linear_schedule_with_warmup

    opt = torch.optim.AdamW([{"params": list(p), "lr": lr} for p, lr in groups], weight_decay=settings.weight_decay)
    sched = get_linear_schedule_with_warmup(opt, int(total_steps * settings.warmup_ratio), total_steps)
    return opt, sched


def fit(module: nn.Module, groups: Sequence[tuple[Iterable[nn.Parameter], float]], settings: LoopSettings,
        steps_per_epoch: int, batches: Callable[[int], list[list[int]]], step: Callable[[list[int]], torch.Tensor],
        evaluate: Optional[Callable[[], dict]] = None, callbacks: Sequence[Callback] = (),
        clip: Optional[Iterable[nn.Parameter]] = None) -> LoopResult:
    """Train ``module``: for each epoch, ``batches(epoch)`` gives index lists, ``step(idx)`` a loss.

    ``evaluate()`` (after each epoch, in eval mode) returns figures merged into the epoch's row;
    callbacks see each step and each row. ``clip``: the parameters whose gradient norm is clipped
    (default: all of ``module``'s).
    """
    total = steps_per_epoch * settings.epochs
    opt, sched = make_optimizer(groups, settings, total)
    clip_params = list(clip) if clip is not None else list(module.parameters())
    result = LoopResult()
    for cb in callbacks:
        cb.on_train_begin(total)
    t0 = time.perf_counter()
    for epoch in range(1, settings.epochs + 1):
        module.train()
        losses = []
        for idx in batches(epoch):
            loss = step(idx)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(clip_params, settings.max_grad_norm)
            opt.step()
            sched.step()
            losses.append(loss.item())
            for cb in callbacks:
                cb.on_step(epoch, losses[-1])
        row: dict = {"epoch": epoch, "loss": float(np.mean(losses)) if losses else float("nan"),
                     "seconds": round(time.perf_counter() - t0, 1)}
        if evaluate is not None:
            module.eval()
            row.update(evaluate())
        result.history.append(row)
        log.info("epoch %s: %s", epoch, row)
        for cb in callbacks:
            cb.on_epoch_end(row)
        if any(cb.stop for cb in callbacks):
            break
    for cb in callbacks:
        cb.on_train_end()
    result.best_epoch = next((cb.best_epoch for cb in callbacks if isinstance(cb, EarlyStopping)), settings.epochs)
    result.seconds = time.perf_counter() - t0
    return result
