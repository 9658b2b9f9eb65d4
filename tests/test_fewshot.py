"""SetFit few-shot classifier, systems saved without pickles, and the build that keeps the dev winner (tiny BERT)."""
# ruff: noqa: F811  (the tiny-BERT fixtures are imported from test_model and requested by name)

from __future__ import annotations

import json

import pytest

pytest.importorskip("torch")
pytest.importorskip("setfit")

from test_model import schema, synthetic_claims, tiny_base, tiny_config  # noqa: E402,F401  (shared fixtures)

from argmine.model.metrics import unlabelled  # noqa: E402

TINY_SETFIT = dict(num_iterations=2, max_steps=6, batch_size=8)


@pytest.fixture(scope="module")
def setfit_clf(tiny_config, schema):
    from argmine.model.fewshot import SetFitSettings, fit_setfit

    return fit_setfit(synthetic_claims(4, 9), schema, tiny_config, SetFitSettings(**TINY_SETFIT))


def test_linear_head_matches_scikit_learn():
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from argmine.model.fewshot import fit_head

    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 5))
    for y in (["a", "b"] * 15, ["a", "b", "c"] * 10):
        head = fit_head(x, y, seed=1)
        ref = LogisticRegression(class_weight="balanced", max_iter=2000, random_state=1).fit(x, y).predict_proba(x)
        assert np.allclose(head.probs(x, ["c", "b", "a"])[:, [2, 1]], ref[:, :2], atol=1e-6)
    assert fit_head(x, ["a"] * 30, seed=1).probs(x, ["b", "a"]).tolist() == [[0.0, 1.0]] * 30


def test_saved_systems_load_back_without_pickles(setfit_clf, tiny_config, schema, tmp_path):
    """A model folder that selects SetFit or TF-IDF + LR loads as that system with the same scores."""
    from argmine.model.baselines import fit_tfidf_lr
    from argmine.model.experiment import fit
    from argmine.model.io import load_model, save_model

    claims = synthetic_claims(4, 9)
    trained = fit(claims[:27], claims[27:], schema, tiny_config.model_copy(update={"epochs": 1}))
    test = unlabelled(synthetic_claims(1, 6))
    for system, clf in (("setfit", setfit_clf), ("tfidf-lr", fit_tfidf_lr(claims, schema))):
        folder = tmp_path / system
        save_model(trained, folder, schema, {}, system=system, system_clf=clf)
        assert not [p for p in folder.rglob("*") if p.suffix in (".bin", ".pt", ".pkl", ".joblib")]
        meta = json.loads((folder / "argmine_model.json").read_text())
        assert meta["system"] == system and len(meta["weights_sha256"]) > 2
        loaded = load_model(folder, schema)
        assert type(loaded) is type(clf) and loaded.name == f"{meta['name']}@{meta['hash']}:{system}"
        for a, b in zip(clf.predict(test), loaded.predict(test)):
            # Scores, not labels: the tiny BERT's embeddings are nearly equal, so its labels are near-ties that
            # the thread count alone can flip.
            for task in ("stance_scores", "scenario_scores"):
                assert all(abs(getattr(a, task)[k] - getattr(b, task)[k]) < 1e-4 for k in getattr(a, task))


def test_tampered_system_files_fail_with_the_path(tiny_config, schema, tmp_path):
    from argmine.errors import ModelError
    from argmine.model.baselines import fit_tfidf_lr
    from argmine.model.experiment import fit
    from argmine.model.io import load_model, save_model

    claims = synthetic_claims(3, 6)
    trained = fit(claims[:12], claims[12:], schema, tiny_config.model_copy(update={"epochs": 1}))
    save_model(trained, tmp_path / "m", schema, {}, system="tfidf-lr", system_clf=fit_tfidf_lr(claims, schema))
    with open(tmp_path / "m" / "tfidf_lr.safetensors", "ab") as fh:
        fh.write(b"x")
    with pytest.raises(ModelError, match="tfidf_lr.safetensors"):
        load_model(tmp_path / "m", schema)


def test_build_keeps_the_dev_winner_and_says_why(tiny_config, schema, tmp_path):
    """A fine-tune that cannot learn (lr 1e-7, one epoch) loses to TF-IDF + LR: the folder runs TF-IDF + LR."""
    from argmine.model.baselines import TfidfLRClassifier
    from argmine.model.build import build_model
    from argmine.model.experiment import GoldCorpus
    from argmine.model.io import load_model

    claims = synthetic_claims(6, 9)
    corpus = GoldCorpus(claims, sorted({c.doc_id for c in claims}), schema)
    cfg = tiny_config.model_copy(update={"epochs": 1, "learning_rate": 1e-7, "head_learning_rate": 1e-7, "test_docs": ["doc5"],
                                         "dev_fraction": 0.2})
    _, metrics = build_model(corpus, cfg, tmp_path / "m", schema, with_zero_shot=False)
    assert metrics["verdict"]["winner"] == metrics["system"] == "tfidf-lr"
    loaded = load_model(tmp_path / "m", schema)
    assert isinstance(loaded, TfidfLRClassifier) and loaded.name.endswith(":tfidf-lr")
    card = (tmp_path / "m" / "README.md").read_text()
    assert "## System used" in card and "**tfidf-lr**, not the fine-tuned model" in card and "LOSES to tfidf-lr" in card
    assert json.loads((tmp_path / "m" / "metrics.json").read_text())["system"] == "tfidf-lr"


def test_setfit_competes_when_the_config_names_it(tiny_config, schema, monkeypatch):
    from argmine.model import experiment, fewshot

    monkeypatch.setattr(fewshot, "DEFAULT_SETTINGS", fewshot.SetFitSettings(**TINY_SETFIT))
    claims = synthetic_claims(6, 9)
    corpus = experiment.GoldCorpus(claims, sorted({c.doc_id for c in claims}), schema)
    cfg = tiny_config.model_copy(update={"epochs": 1, "test_docs": ["doc5"], "candidates": ["fine-tuned", "setfit"]})
    run = experiment.run_split(corpus, cfg, with_zero_shot=False)
    assert "setfit" in run.metrics["eval"]["dev"] and "setfit" in run.metrics["eval"]["test"]
    assert "setfit" in run.metrics["verdict"]["dev_mean_macro_f1"] and run.metrics["setfit_seconds"] >= 0


def test_verdict_keeps_the_fine_tuned_model_on_a_tie():
    from argmine.model.experiment import SWITCH_MARGIN, verdict

    def s(x):
        return {"stance": {"macro_f1": x}, "scenario": {"macro_f1": x}}

    assert verdict({"fine-tuned": s(0.5), "setfit": s(0.5 + SWITCH_MARGIN / 2)}, 40)["winner"] == "fine-tuned"
    v = verdict({"fine-tuned": s(0.5), "setfit": s(0.6)}, 40)
    assert v["winner"] == "setfit" and "uses setfit" in v["why"]
