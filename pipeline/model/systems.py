"""The system a model folder runs when fine-tuning lost on dev: TF-IDF + LR, SetFit or zero-shot.

``argmine model build`` always saves the fine-tuned encoder (the folder stays a complete fine-tuned model),
and, when the dev verdict picks another system, that system's parameters beside it; ``argmine_model.json``
records ``system`` and loading the folder returns that system's classifier. Parameters are safetensors arrays
+ JSON (the TF-IDF vocabulary and idf, the regression coefficients), never a pickle.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..schema import LabelSchema
from .config import TrainConfig
from .metrics import TASKS

log = logging.getLogger(__name__)

FINE_TUNED = "fine-tuned"
# Systems a model folder can select besides the fine-tuned model (parameters: TFIDF_* files, the setfit/ folder).
SAVED_SYSTEMS = ("tfidf-lr", "setfit", "zero-shot")
TFIDF_FILE, TFIDF_META = "tfidf_lr.safetensors", "tfidf_lr.json"


def save_system(name: str, clf, folder: Path) -> list[str]:
    """Write ``clf``'s parameters into the model folder; return the paths written (for their hashes)."""
    if name == "tfidf-lr":
        return save_tfidf_lr(clf, folder)
    if name == "setfit":
        from .fewshot import save_setfit

        (folder / "setfit").mkdir()
        save_setfit(clf, folder / "setfit")
        return sorted(str(p.relative_to(folder)) for p in (folder / "setfit").rglob("*") if p.is_file())
    if name == "zero-shot":
        return []  # nothing trained: the base encoder named in the training config
    raise ModelError(f"system {name!r} cannot be saved in a model folder; use one of {[FINE_TUNED, *SAVED_SYSTEMS]}")


def load_system(name: str, folder: Path, schema: LabelSchema, config: TrainConfig, label: str):
    """The classifier of system ``name`` saved in ``folder``; ``label`` becomes its ``model`` field."""
    if name == "tfidf-lr":
        clf = load_tfidf_lr(folder, schema)
    elif name == "setfit":
        from .fewshot import load_setfit

        clf = load_setfit(folder / "setfit", schema)
    elif name == "zero-shot":
        from .zeroshot import ZeroShotClassifier

        clf = ZeroShotClassifier(schema, config.base_model, config)
    else:
        raise ModelError(f"{folder}: unknown system {name!r} in argmine_model.json; rebuild it with `argmine model build`")
    clf.name = f"{label}:{name}"
    return clf


def save_tfidf_lr(clf, folder: Path) -> list[str]:
    """A fitted ``TfidfLRClassifier`` as arrays: per task the vocabulary, idf, coefficients and classes."""
    from safetensors.numpy import save_file

    tensors: dict[str, np.ndarray] = {}
    meta: dict = {"constant": clf.constant, "tasks": {}}
    for task, pipe in clf.models.items():
        vec, lr = pipe.steps[0][1], pipe.steps[-1][1]
        terms = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
        meta["tasks"][task] = {"terms": terms, "classes": [str(c) for c in lr.classes_],
                               "params": {"ngram_range": list(vec.ngram_range), "sublinear_tf": vec.sublinear_tf,
                                          "lowercase": vec.lowercase}}
        # C order: scikit-learn may hold coef_ in Fortran order, which safetensors would write scrambled.
        for key, value in (("idf", vec.idf_), ("coef", lr.coef_), ("intercept", lr.intercept_)):
            tensors[f"{task}.{key}"] = np.ascontiguousarray(value, dtype=np.float64)
    save_file(tensors, str(folder / TFIDF_FILE))
    (folder / TFIDF_META).write_text(json.dumps(meta), encoding="utf-8")
    return [TFIDF_FILE, TFIDF_META]


def load_tfidf_lr(folder: Path, schema: LabelSchema):
    """Rebuild the ``TfidfLRClassifier`` saved by :func:`save_tfidf_lr` (same probabilities, no pickle)."""
    from safetensors.numpy import load_file
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from .baselines import TfidfLRClassifier

    try:
        meta = json.loads((folder / TFIDF_META).read_text(encoding="utf-8"))
        arrays = load_file(str(folder / TFIDF_FILE))
        models = {}
        for task, m in meta["tasks"].items():
            p = m["params"]
            vec = TfidfVectorizer(ngram_range=tuple(p["ngram_range"]), sublinear_tf=p["sublinear_tf"], lowercase=p["lowercase"],
                                  vocabulary={t: i for i, t in enumerate(m["terms"])})
            vec.idf_ = arrays[f"{task}.idf"]  # scikit-learn's setter: a fixed vocabulary plus its idf is a fitted vectorizer
            lr = LogisticRegression(class_weight="balanced")
            lr.classes_, lr.coef_, lr.intercept_ = np.array(m["classes"]), arrays[f"{task}.coef"], arrays[f"{task}.intercept"]
            lr.n_features_in_ = lr.coef_.shape[1]
            models[task] = make_pipeline(vec, lr)
    except (OSError, ValueError, KeyError) as e:
        raise ModelError(f"{folder}: TF-IDF + LR files unreadable ({e}); rebuild the model with `argmine model build`") from e
    missing = [t for t in TASKS if t not in models and not meta["constant"].get(t)]
    if missing:
        raise ModelError(f"{folder / TFIDF_META}: no parameters for {missing}; rebuild the model with `argmine model build`")
    return TfidfLRClassifier(schema, models, meta["constant"])
