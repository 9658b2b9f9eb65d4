"""The stance/scenario model: config, data, encoder, trainer, calibration, zero-shot, baselines, save/load.

>>> from argmine.model import TrainConfig, load_corpus, train_on_split, save_model   # doctest: +SKIP
"""

from .baselines import fit_majority, fit_tfidf_lr  # noqa: F401
from .config import DEFAULT_BASE_MODEL, TrainConfig, resolve_base_model  # noqa: F401
from .data import Example, examples_from_claims, examples_from_rows, gold_claims, split_documents  # noqa: F401
from .metrics import evaluate_classifier, score_claims, task_scores  # noqa: F401
