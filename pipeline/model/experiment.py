"""Training workflows over gold annotations: one split → a saved model, or K-fold grouped cross-validation.

Every number is computed on documents the scored system did not train on, for the fine-tuned model
and, on the same documents, the majority, TF-IDF + LR and zero-shot baselines.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from ..annotations.loader import annotation_files, load_gold, read_records, resolve_text
from ..errors import AnnotationError, ModelError
from ..records import ClaimRecord
from ..schema import LabelSchema
from .baselines import fit_majority, fit_tfidf_lr
from .classifier import TransformerClassifier
from .config import TrainConfig
from .data import check_labels, examples_from_claims, gold_claims, scenario_descriptions, seeded_dev, split_documents
from .metrics import evaluate_classifier, summarise_folds
from .trainer import TrainedModel, train

log = logging.getLogger(__name__)


@dataclass
class GoldCorpus:
    claims: list[ClaimRecord]
    doc_ids: list[str]
    schema: LabelSchema

    def of(self, doc_ids: Sequence[str]) -> list[ClaimRecord]:
        keep = set(doc_ids)
        return [c for c in self.claims if c.doc_id in keep]


def load_corpus(annotations: str | Path, schema: LabelSchema, root: str | Path | None = None) -> GoldCorpus:
    """Gold claims (validated, labels checked against the schema) with their sections."""
    docs = []
    for file in annotation_files(Path(annotations)):
        missing = _missing_texts(file, root)
        if missing:
            # Third-party texts (e.g. the seed analysis in ../shared) may not be beside a fresh clone.
            log.warning("%s: skipping %s: its text is not available here", file, ", ".join(missing))
            continue
        docs.extend(load_gold(file, root=root))
    ids = [d.doc_id for d in docs]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise AnnotationError(f"{annotations}: documents {dupes} are annotated in more than one file; keep one")
    claims = gold_claims(docs)
    check_labels(claims, schema)
    if not claims:
        raise ModelError(f"{annotations}: the annotations hold no claims; annotate some documents first")
    return GoldCorpus(claims, [d.doc_id for d in docs], schema)


def _missing_texts(file: Path, root) -> list[str]:
    missing = []
    for _, record in read_records(file):
        try:
            resolve_text(record, file, Path(root) if root else None)
        except AnnotationError:
            missing.append(record.doc_id)
    return missing


def fit(train_claims: Sequence[ClaimRecord], dev_claims: Sequence[ClaimRecord], schema: LabelSchema,
        config: TrainConfig, progress=None, on_epoch: Optional[Callable[[dict], None]] = None) -> TrainedModel:
    """Fine-tune on gold claims of ``schema`` (stance + scenario over the schema's definitions)."""
    tr = examples_from_claims(train_claims, schema)
    dv = examples_from_claims(dev_claims, schema)
    return train(tr, dv, schema.stance_labels, schema.scenario_labels, scenario_descriptions(schema),
                 config=config, progress=progress, on_epoch=on_epoch)


_ZERO_SHOT: dict[tuple, object] = {}


def zero_shot(schema: LabelSchema, config: TrainConfig):
    """One zero-shot classifier per (schema, base model), reused across folds."""
    from .zeroshot import ZeroShotClassifier

    key = (schema.hash, config.base_model, config.zero_shot_none_threshold, config.zero_shot_scale)
    if key not in _ZERO_SHOT:
        _ZERO_SHOT[key] = ZeroShotClassifier(schema, config.base_model, config)
    return _ZERO_SHOT[key]


def baselines(claims: Sequence[ClaimRecord], schema: LabelSchema, config: TrainConfig, with_zero_shot: bool = True) -> dict:
    """The baselines fitted on ``claims`` (zero-shot needs no fitting)."""
    systems = {"majority": fit_majority(claims, schema), "tfidf-lr": fit_tfidf_lr(claims, schema, seed=config.seed)}
    if with_zero_shot:
        systems["zero-shot"] = zero_shot(schema, config)
    return systems


def score(systems: dict, eval_claims: Sequence[ClaimRecord], schema: LabelSchema) -> dict:
    return {name: evaluate_classifier(clf, eval_claims, schema) for name, clf in systems.items() if clf is not None}


def compare(model, baseline_claims: Sequence[ClaimRecord], eval_claims: Sequence[ClaimRecord], schema: LabelSchema,
            config: TrainConfig, with_zero_shot: bool = True) -> dict:
    """Scores of the model and the baselines (fitted on ``baseline_claims``) on ``eval_claims``."""
    return score({"fine-tuned": model, **baselines(baseline_claims, schema, config, with_zero_shot)}, eval_claims, schema)


@dataclass
class SplitRun:
    """One train/dev/test run: the fine-tuned model, its metrics, and every system scored on test
    (the baselines fitted on train + dev, SetFit on train), so the build can save the dev verdict's winner."""

    trained: TrainedModel
    metrics: dict
    systems: dict[str, Any]


def train_on_split(corpus: GoldCorpus, config: TrainConfig, progress=None, on_epoch=None,
                   with_zero_shot: bool = True) -> tuple[TrainedModel, dict]:
    """Train on the train split, early-stop/calibrate on dev, score on dev and test (and the config's
    ``test_docs`` alone, e.g. a study's seed analysis)."""
    run = run_split(corpus, config, progress, on_epoch, with_zero_shot)
    return run.trained, run.metrics


def run_split(corpus: GoldCorpus, config: TrainConfig, progress=None, on_epoch=None, with_zero_shot: bool = True) -> SplitRun:
    """:func:`train_on_split`, keeping the fitted systems; SetFit joins when ``config.candidates`` names it."""
    split = split_documents(corpus.doc_ids, config)
    if not split.train:
        raise ModelError("the train split has no documents; check corpus/manifest.csv splits")
    trained = fit(corpus.of(split.train), corpus.of(split.dev), corpus.schema, config, progress, on_epoch)
    clf = TransformerClassifier(trained, corpus.schema, config.name)
    fitted_on = corpus.of(split.train + split.dev)  # baselines need no dev: they get train + dev
    metrics: dict = {
        "split": {"source": split.source, "train": split.train, "dev": split.dev, "test": split.test},
        "n_claims": {k: len(corpus.of(getattr(split, k))) for k in ("train", "dev", "test")},
        "history": trained.history, "best_epoch": trained.best_epoch, "calibration": trained.calibration,
        "train_seconds": round(trained.train_seconds, 1), "context": config.context_name(),
        "eval": {},
    }
    extra = _candidates(corpus.of(split.train), corpus.schema, config, metrics)
    if split.dev:  # here the baselines see train only: dev must stay unseen for them too
        dev_systems = {"fine-tuned": clf, **baselines(corpus.of(split.train), corpus.schema, config, with_zero_shot), **extra}
        metrics["eval"]["dev"] = score(dev_systems, corpus.of(split.dev), corpus.schema)
        metrics["verdict"] = verdict(metrics["eval"]["dev"], len(corpus.of(split.dev)))
        if metrics["verdict"]["winner"] != "fine-tuned":
            log.warning("%s", metrics["verdict"]["why"])
    systems = {"fine-tuned": clf, **baselines(fitted_on, corpus.schema, config, with_zero_shot), **extra}
    for key, docs in test_groups(split.test, config).items():
        metrics["eval"][key] = score(systems, corpus.of(docs), corpus.schema)
    singled = [d for d in config.test_docs if d in split.test]
    if singled and len(split.test) > len(singled):
        metrics["eval"]["seed_analysis"] = score(systems, corpus.of(singled), corpus.schema)
    return SplitRun(trained, metrics, systems)


def _candidates(train_claims: Sequence[ClaimRecord], schema: LabelSchema, config: TrainConfig, metrics: dict) -> dict:
    """Candidates beyond the fine-tuned model and the baselines (``candidates`` in the config), fitted on train."""
    import time

    extra = {}
    if "setfit" in config.candidates:
        from .fewshot import fit_setfit

        started = time.perf_counter()
        extra["setfit"] = fit_setfit(train_claims, schema, config)
        metrics["setfit_seconds"] = round(time.perf_counter() - started, 1)
    return extra


# Another system replaces the fine-tuned model only when it is better on dev by more than this (mean macro-F1):
# a tie on a small dev split is noise, and the fine-tuned model is the one documented and calibrated.
SWITCH_MARGIN = 0.01


def verdict(dev_scores: dict, n_dev: int) -> dict:
    """Which system is best on dev (mean of stance and scenario macro-F1), said plainly; the build uses it.

    A small corpus can make the fine-tuned model lose to TF-IDF + LR, zero-shot or SetFit; the user must hear
    it, the saved model folder then runs the winner, and the figures behind the choice are recorded.
    """
    mean = {name: (s["stance"]["macro_f1"] + s["scenario"]["macro_f1"]) / 2 for name, s in dev_scores.items() if name != "majority"}
    best = max(mean, key=lambda name: mean[name])
    winner = best if "fine-tuned" not in mean or mean[best] > mean["fine-tuned"] + SWITCH_MARGIN else "fine-tuned"
    figures = ", ".join(f"{k} {v:.3f}" for k, v in sorted(mean.items(), key=lambda kv: -kv[1]))
    if winner == "fine-tuned":
        why = f"the fine-tuned model is used: best on dev within {SWITCH_MARGIN} ({n_dev} claims; mean macro-F1 {figures})"
    else:
        why = (f"the fine-tuned model LOSES to {winner} on dev ({n_dev} claims; mean macro-F1 {figures}), so the model "
               f"folder uses {winner}; with this little training data annotate more documents before trusting fine-tuning")
    return {"winner": winner, "dev_mean_macro_f1": mean, "margin": SWITCH_MARGIN, "why": why}


def test_groups(test_docs: Sequence[str], config: TrainConfig) -> dict[str, list[str]]:
    """The test documents, and apart: real texts (manifest origin ``config.real_origin``) and the rest.

    "test_written" is the project's written commentaries plus the seed analysis — the test split as it
    was before real texts were annotated, so its figures compare with earlier models.
    """
    groups = {"test": list(test_docs)} if test_docs else {}
    origin = _origins(config)
    real = [d for d in test_docs if origin.get(d) == config.real_origin]
    if real and len(real) < len(test_docs):
        groups["test_real"] = real
        groups["test_written"] = [d for d in test_docs if d not in set(real)]
    return groups


def _origins(config: TrainConfig) -> dict[str, str]:
    from ..annotations.loader import load_manifest

    path = Path(config.manifest or "")
    return {k: v.origin for k, v in load_manifest(path).items()} if config.manifest and path.is_file() else {}


def cross_validate(corpus: GoldCorpus, config: TrainConfig, k: int = 5, progress=None,
                   on_fold: Optional[Callable[[int, dict], None]] = None, with_zero_shot: bool = True) -> dict:
    """K-fold CV grouped by document (GroupKFold): model and baselines on the same held-out folds.

    Inside each fold a seeded share of the training documents is the dev split (early stopping and
    calibration); the baselines are fitted on all training documents of the fold.
    """
    from sklearn.model_selection import GroupKFold

    docs = corpus.doc_ids
    if len(docs) < k:
        raise ModelError(f"--cv {k} needs at least {k} annotated documents, found {len(docs)}; lower --cv")
    folds: list[dict[str, Any]] = []
    splitter = GroupKFold(n_splits=k)
    for i, (_, test_idx) in enumerate(splitter.split(docs, groups=docs)):
        test = [docs[j] for j in test_idx]
        rest = [d for d in docs if d not in test]
        train_docs, dev_docs = seeded_dev(rest, config.dev_fraction, config.seed + i)
        trained = fit(corpus.of(train_docs), corpus.of(dev_docs), corpus.schema, config, progress)
        clf = TransformerClassifier(trained, corpus.schema, config.name)
        scores = compare(clf, corpus.of(rest), corpus.of(test), corpus.schema, config, with_zero_shot)
        folds.append({"fold": i + 1, "test_docs": test, "dev_docs": dev_docs, "best_epoch": trained.best_epoch,
                      "train_seconds": round(trained.train_seconds, 1), "scores": scores})
        if on_fold:
            on_fold(i + 1, scores)
    return {"k": k, "context": config.context_name(), "n_docs": len(docs), "n_claims": len(corpus.claims),
            "folds": folds, "summary": summarise_folds([f["scores"] for f in folds])}
