"""Fine-tuning loop (plain torch): multi-task stance + scenario, class weights, early stopping, calibration.

``train`` takes Examples, so the same loop fits gold claims of any schema and arbitrary
(topic, text, label) rows such as the IBM Claim Stance benchmark (``train_stance_rows``).
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

import numpy as np
import torch
from torch import nn

from ..errors import ModelError
from ..metrics import expected_calibration_error, task_scores
from .calibrate import fit_temperature, nll
from .config import TrainConfig, resolve_base_model
from .loop import Callback, EarlyStopping, EpochCallback, LoopSettings, ProgressCallback, fit
from .data import Example, check_trainable, examples_from_rows, pair_text
from .encoder import ClaimModel, load_encoder, tokenize_pairs, tokenize_texts

log = logging.getLogger(__name__)
IGNORE = -100


@dataclass
class TrainedModel:
    """A fine-tuned model in memory, with what is needed to save, calibrate and use it."""

    model: ClaimModel
    tokenizer: Any  # a transformers tokenizer
    config: TrainConfig
    stance_labels: list[str]
    scenario_labels: list[str]
    scenario_descriptions: list[str]
    scenario_trained: bool
    temperatures: dict[str, float] = field(default_factory=lambda: {"stance": 1.0, "scenario": 1.0})
    history: list[dict] = field(default_factory=list)
    best_epoch: int = 0
    calibration: dict = field(default_factory=dict)
    train_seconds: float = 0.0
    probe: Optional[Any] = None  # an EmbeddingProbe (model/probe.py) when config.probe_ensemble


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _ids(examples: Sequence[Example], task: str, labels: list[str]) -> torch.Tensor:
    return torch.tensor([labels.index(getattr(e, task)) if getattr(e, task) is not None else IGNORE for e in examples])


def _batches(pairs: Sequence[tuple[str, str]], size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length: shuffle, sort within chunks of 8 batches, shuffle the batches.

    Less padding makes a CPU epoch much cheaper, while each epoch still sees a new order.
    """
    order = list(range(len(pairs)))
    rng.shuffle(order)
    chunk = size * 8
    batches = []
    for s in range(0, len(order), chunk):
        part = sorted(order[s : s + chunk], key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        batches += [part[j : j + size] for j in range(0, len(part), size)]
    rng.shuffle(batches)
    return batches


def _class_weights(y: torch.Tensor, n: int) -> torch.Tensor:
    """Inverse-frequency ("balanced") weights; a label absent from train weighs 0."""
    counts = torch.bincount(y[y >= 0], minlength=n).double()
    w = torch.where(counts > 0, counts.sum() / (n * counts.clamp(min=1)), torch.zeros_like(counts))
    return w.float()


@torch.inference_mode()
def predict_logits(model: ClaimModel, tokenizer, examples: Sequence[Example], config: TrainConfig,
                   descriptions: Optional[dict], batch_size: int = 64,
                   description_embeddings: Optional[torch.Tensor] = None) -> tuple[torch.Tensor, Optional[torch.Tensor]]:
    """Raw logits for both heads; batched in length order (less padding), returned in input order.

    ``description_embeddings``: the scenario definitions already embedded (``model.embed(descriptions)``), so a
    caller that predicts many times encodes them once per run, not once per call.
    """
    model.eval()
    pairs = [pair_text(e, config) for e in examples]
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
    n_st = model.stance_head.out_features
    stance = torch.zeros(len(pairs), n_st)
    has_descr = descriptions is not None or description_embeddings is not None
    scen = torch.zeros(len(pairs), model.scenario_head.out_features) if has_descr else None
    # The definitions do not depend on the claim: encode them once, not per batch.
    d = description_embeddings
    if d is None and descriptions is not None:
        d = model.embed(descriptions)
    for s in range(0, len(order), batch_size):
        idx = order[s : s + batch_size]
        batch = tokenize_pairs(tokenizer, [pairs[i] for i in idx], config.max_length)
        z = model.embed(batch)
        stance[idx] = model.stance_head(z)
        if d is not None:
            assert scen is not None  # allocated whenever descriptions are given
            sim = nn.functional.normalize(z, dim=-1) @ nn.functional.normalize(d, dim=-1).T
            scen[idx] = model.log_scale.exp() * sim + model.scenario_head(z)
    return stance, scen


def _dev_text(row: dict) -> str:
    """The progress bar's dev column: "stance 0.612 scenario 0.540"."""
    return " ".join(f"{k.removeprefix('dev_').removesuffix('_macro_f1')} {v:.3f}"
                    for k, v in row.items() if k.startswith("dev_") and k.endswith("f1"))


def _dev_scores(stance_logits, scen_logits, y_st, y_sc, st_labels, sc_labels) -> dict:
    out = {}
    for task, logits, y, labels in (("stance", stance_logits, y_st, st_labels), ("scenario", scen_logits, y_sc, sc_labels)):
        if logits is None or not labels or (y >= 0).sum() == 0:
            continue
        mask = y >= 0
        gold = [labels[i] for i in y[mask].tolist()]
        pred = [labels[i] for i in logits[mask].argmax(1).tolist()]
        out[task] = task_scores(gold, pred, labels)["macro_f1"]
    return out


def _check_trainable(train_ex: Sequence[Example], stance_labels: list[str], scenario_labels: list[str],
                     scenario_descriptions: Sequence[str]) -> bool:
    """Every check before any loading: examples, classes per task, descriptions. Returns whether scenario trains."""
    if not train_ex:
        raise ModelError("no training examples: the train split is empty; add annotated documents or change the split")
    if any(e.stance is not None for e in train_ex):
        check_trainable(train_ex, "stance")
    scenario_trained = bool(scenario_labels) and any(e.scenario is not None for e in train_ex)
    if scenario_trained:
        check_trainable(train_ex, "scenario")
    if len(scenario_descriptions) != len(scenario_labels):
        raise ModelError("each scenario label needs a description (its schema definition)")
    return scenario_trained


def _param_groups(model: ClaimModel, freeze_embeddings: bool) -> tuple[list[nn.Parameter], list[nn.Parameter]]:
    """(encoder parameters that train, head parameters)."""
    if freeze_embeddings:
        # The token-embedding matrix is half of MiniLM's parameters; freezing it roughly halves the
        # optimizer's work on CPU at little cost in accuracy.
        for p in model.encoder.get_input_embeddings().parameters():  # type: ignore[operator]  # a transformers model; nn.Module.__getattr__ is typed Tensor | Module
            p.requires_grad_(False)
    enc = [p for n, p in model.named_parameters() if n.startswith("encoder.") and p.requires_grad]
    head = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    return enc, head


def train(train_ex: Sequence[Example], dev_ex: Sequence[Example], stance_labels: Sequence[str],
          scenario_labels: Sequence[str] = (), scenario_descriptions: Sequence[str] = (),
          config: TrainConfig | None = None, progress=None,
          on_epoch: Optional[Callable[[dict], None]] = None) -> TrainedModel:
    """Fine-tune the base encoder on ``train_ex``; early-stop and calibrate on ``dev_ex``.

    ``progress``: an optional ``rich.progress.Progress`` to show batches with the running loss.
    Every check (labels, classes, base model) runs before the first step.
    """
    config = config or TrainConfig()
    stance_labels, scenario_labels = list(stance_labels), list(scenario_labels)
    scenario_trained = _check_trainable(train_ex, stance_labels, scenario_labels, scenario_descriptions)
    seed_everything(config.seed)
    encoder, tokenizer = load_encoder(resolve_base_model(config.base_model))
    model = ClaimModel(encoder, len(stance_labels), len(scenario_labels) if scenario_trained else 0,
                       dropout=config.dropout, scale=config.zero_shot_scale)
    descr = tokenize_texts(tokenizer, scenario_descriptions, config.max_length) if scenario_trained else None

    y_st, y_sc = _ids(train_ex, "stance", stance_labels), _ids(train_ex, "scenario", scenario_labels) if scenario_trained else None
    dy_st, dy_sc = _ids(dev_ex, "stance", stance_labels), _ids(dev_ex, "scenario", scenario_labels) if scenario_trained else None
    loss_st, loss_sc = _loss(y_st, len(stance_labels), config), _loss(y_sc, len(scenario_labels), config)
    enc_params, head_params = _param_groups(model, config.freeze_embeddings)
    pairs = [pair_text(e, config) for e in train_ex]

    def step(idx: list[int]) -> torch.Tensor:
        batch = tokenize_pairs(tokenizer, [pairs[i] for i in idx], config.max_length)
        st_logits, sc_logits = model(batch, descr)
        loss = torch.zeros(())
        if (y_st[idx] >= 0).any():
            loss = loss + loss_st(st_logits, y_st[idx])
        if sc_logits is not None:
            assert y_sc is not None  # scenario logits come only with scenario training (descr)
            if (y_sc[idx] >= 0).any():
                loss = loss + loss_sc(sc_logits, y_sc[idx])
        return loss

    def evaluate() -> dict:
        st, sc = predict_logits(model, tokenizer, dev_ex, config, descr)
        scores = _dev_scores(st, sc, dy_st, dy_sc, stance_labels, scenario_labels)
        row = {f"dev_{k}_macro_f1": v for k, v in scores.items()}
        row["dev_score"] = float(np.mean(list(scores.values()))) if scores else float("nan")
        return row

    result = TrainedModel(model, tokenizer, config, stance_labels, scenario_labels if scenario_trained else [],
                          list(scenario_descriptions) if scenario_trained else [], scenario_trained)
    callbacks = _callbacks(model, config, progress, on_epoch)
    settings = LoopSettings(config.epochs, config.weight_decay, config.warmup_ratio)
    loop = fit(model, [(enc_params, config.learning_rate), (head_params, config.head_learning_rate)], settings,
               steps_per_epoch=(len(pairs) + config.batch_size - 1) // config.batch_size,
               batches=lambda epoch: _batches(pairs, config.batch_size, random.Random(config.seed * 1000 + epoch)),
               step=step, evaluate=evaluate if dev_ex else None, callbacks=callbacks)
    result.history, result.best_epoch, result.train_seconds = loop.history, loop.best_epoch, loop.seconds
    if dev_ex:
        _calibrate(result, dev_ex, dy_st, dy_sc, descr)
    if config.probe_ensemble:
        from .probe import fit_probe

        result.probe = fit_probe(train_ex, {"stance": stance_labels, **({"scenario": scenario_labels} if scenario_trained else {})}, config)
    model.eval()
    return result


def _loss(y: Optional[torch.Tensor], n: int, config: TrainConfig) -> nn.CrossEntropyLoss:
    """Cross-entropy over one task's labels, class-weighted from the train split when configured."""
    weight = _class_weights(y, n) if config.class_weights and y is not None else None
    return nn.CrossEntropyLoss(weight=weight, ignore_index=IGNORE)


def _callbacks(model: ClaimModel, config: TrainConfig, progress, on_epoch) -> list[Callback]:
    """Early stopping on the dev score, plus the progress bar and the caller's per-epoch hook when given."""
    callbacks: list[Callback] = [EarlyStopping(model, "dev_score", config.patience)]
    if progress:
        callbacks.append(ProgressCallback(progress, "train", config.epochs, _dev_text))
    if on_epoch:
        callbacks.append(EpochCallback(on_epoch))
    return callbacks


def _calibrate(result: TrainedModel, dev_ex, dy_st, dy_sc, descr) -> None:
    """Temperature per task on the dev logits; record NLL and ECE before and after."""
    st, sc = predict_logits(result.model, result.tokenizer, dev_ex, result.config, descr)
    for task, logits, y in (("stance", st, dy_st), ("scenario", sc, dy_sc)):
        if logits is None or y is None or (y >= 0).sum() < 2:
            continue
        t = fit_temperature(logits, y)
        result.temperatures[task] = t
        mask = (y >= 0).numpy()
        yy = y.numpy()[mask]
        before = torch.softmax(logits, -1).numpy()[mask]
        after = torch.softmax(logits / t, -1).numpy()[mask]
        result.calibration[task] = {
            "temperature": t,
            "dev_nll_before": nll(before, yy), "dev_nll_after": nll(after, yy),
            "dev_ece_before": expected_calibration_error(before, yy), "dev_ece_after": expected_calibration_error(after, yy),
        }


def train_stance_rows(train_rows: Sequence[tuple[str, str, str]], dev_rows: Sequence[tuple[str, str, str]],
                      labels: Sequence[str], config: TrainConfig | None = None, progress=None) -> TrainedModel:
    """Topic-conditioned stance from arbitrary (topic, text, label) rows, e.g. IBM Claim Stance.

    >>> m = train_stance_rows([("ban guns", "Guns kill.", "PRO"), ...], dev, ["PRO", "CON"])  # doctest: +SKIP
    >>> probs = predict_stance_rows(m, [("ban guns", "Hunting is a tradition.")])              # doctest: +SKIP
    """
    # Rows carry no sections, and the probe is only read by the claims classifier.
    config = (config or TrainConfig()).model_copy(update={"context_topic": True, "context_section": False,
                                                             "context_previous": False, "probe_ensemble": False})
    bad = {y for _, _, y in [*train_rows, *dev_rows]} - set(labels)
    if bad:
        raise ModelError(f"rows carry labels {sorted(bad)} that are not in {list(labels)}")
    return train(examples_from_rows(train_rows), examples_from_rows(dev_rows), labels, config=config, progress=progress)


def predict_stance_rows(trained: TrainedModel, rows: Sequence[tuple[str, str]]) -> np.ndarray:
    """Calibrated stance probabilities (rows × labels) for (topic, text) rows."""
    ex = [Example(topic=t, text=x) for t, x in rows]
    st, _ = predict_logits(trained.model, trained.tokenizer, ex, trained.config, None)
    return torch.softmax(st / trained.temperatures.get("stance", 1.0), -1).numpy()
