"""The model package on a randomly initialised tiny BERT (built offline here): plumbing, not accuracy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from argmine.errors import AnnotationError, ModelError  # noqa: E402
from argmine.model.baselines import fit_majority, fit_tfidf_lr  # noqa: E402
from argmine.model.calibrate import fit_temperature  # noqa: E402
from argmine.model.config import TrainConfig  # noqa: E402
from argmine.model.data import examples_from_claims, pair_text, seeded_dev, split_documents  # noqa: E402
from argmine.model.metrics import evaluate_classifier, unlabelled  # noqa: E402
from argmine.records import ClaimRecord  # noqa: E402
from argmine.schema import LabelSchema  # noqa: E402

WORDS = ("peace treaty border war army talks trade road rail guarantee monitor spoiler revanchism public legitimacy "
         "elite deal weak strong signed crisis clash escalation corridor opens closes trust history background "
         "armenia azerbaijan russia turkey iran eu durable legitimate between and a the of is are will may none "
         "makes more likely valuable obstacle risk reason fail stay hollow description balance clear bearing topic "
         "agreement legally grounded with leadership level implemented creating no real change despite tensions re "
         "emerge through internal resistance regional pressure total failure process renewed military diplomatic "
         "these plausible enabling conditions opportunities missing sabotage collapse domestic erodes presents "
         "development condition argument that or to in on it").split()


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory) -> str:
    """A randomly initialised 2-layer BERT and a WordPiece tokenizer over a vocab written here."""
    from transformers import BertConfig, BertModel, BertTokenizerFast

    d = tmp_path_factory.mktemp("tiny_bert")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "|", ",", ".", ";", ":", "-"] + sorted(set(WORDS))
    (d / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tok = BertTokenizerFast(vocab_file=str(d / "vocab.txt"), do_lower_case=True)
    tok.save_pretrained(str(d))
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=128)
    BertModel(cfg).save_pretrained(str(d))
    return str(d)


STANCE_TEXT = {"pro": "the trade road opens and trust is strong", "con": "the army clash and war escalation may fail",
               "neutral": "history background of the border"}
SCEN = {"pro": "ideal_peace", "con": "new_confrontation", "neutral": "none"}


def synthetic_claims(n_docs: int = 6, per_doc: int = 9) -> list[ClaimRecord]:
    claims = []
    for d in range(n_docs):
        pos = 0
        for i in range(per_doc):
            stance = ("pro", "con", "neutral")[i % 3]
            text = f"{STANCE_TEXT[stance]} {WORDS[(d * 7 + i) % len(WORDS)]}."
            claims.append(ClaimRecord(doc_id=f"doc{d}", claim_id=f"doc{d}:g{i:04d}", start=pos, end=pos + len(text),
                                      text=text, section="talks", stance=stance, scenario=SCEN[stance]))
            pos += len(text) + 1
    return claims


@pytest.fixture(scope="module")
def schema() -> LabelSchema:
    return LabelSchema.load()


@pytest.fixture(scope="module")
def tiny_config(tiny_base) -> TrainConfig:
    return TrainConfig(base_model=tiny_base, max_length=32, batch_size=8, epochs=3, learning_rate=1e-3,
                       head_learning_rate=1e-2, seed=7, manifest=None, threads=1, dev_fraction=0.2, test_docs=[])


@pytest.fixture(scope="module")
def trained(tiny_config, schema):
    from argmine.model.experiment import fit

    claims = synthetic_claims()
    return fit([c for c in claims if c.doc_id != "doc5"], [c for c in claims if c.doc_id == "doc5"], schema, tiny_config)


def test_config_loads_and_rejects_bad_keys(tmp_path):
    cfg = TrainConfig.load(Path(__file__).resolve().parents[1] / "models" / "configs" / "default.toml")
    assert cfg.base_model == "all-MiniLM-L6-v2" and cfg.max_length == 128
    bad = tmp_path / "bad.toml"
    bad.write_text("[train]\nepochs = 0\n")
    with pytest.raises(ModelError, match="epochs"):
        TrainConfig.load(bad)
    bad.write_text("[train]\nlearning_rat = 1e-4\n")
    with pytest.raises(ModelError, match="learning_rat"):
        TrainConfig.load(bad)
    with pytest.raises(ModelError, match="not found"):
        TrainConfig.load(tmp_path / "missing.toml")


def test_pair_text_carries_topic_and_context(schema):
    claims = synthetic_claims(1, 2)
    ex = examples_from_claims(claims, schema)
    first, second = pair_text(ex[1], TrainConfig(context_topic=True, context_section=True, context_previous=True))
    assert first == f"{schema.topic} | talks" and second.startswith(claims[1].text) and claims[0].text in second
    assert pair_text(ex[1], TrainConfig(context_topic=True, context_section=False)) == (schema.topic, claims[1].text)
    # The default leaves the schema's one topic out (the same string for every claim): only the heading is context.
    assert pair_text(ex[1], TrainConfig()) == ("talks", claims[1].text)
    assert pair_text(ex[1], TrainConfig(context_section=False)) == ("", claims[1].text)


def test_split_is_document_level_and_seeded():
    ids = [f"d{i}" for i in range(20)] + ["khar_2025_peace_viability"]
    cfg = TrainConfig(manifest=None, test_docs=["khar_2025_peace_viability"])
    a, b = split_documents(ids, cfg), split_documents(ids, cfg)
    assert a == b and a.test == ["khar_2025_peace_viability"]
    assert not set(a.train) & set(a.dev) and len(a.dev) == 3
    assert seeded_dev(["x", "y"], 0.15, 1) == (["x", "y"], [])


def test_bad_labels_and_single_class_fail_before_training(schema, tiny_config):
    from argmine.model.experiment import fit

    claims = synthetic_claims(2, 3)
    bad = [claims[0].model_copy(update={"stance": "maybe"})] + claims[1:]
    with pytest.raises(AnnotationError, match="'maybe' is not a label"):
        examples_from_claims(bad, schema)
    one = [c.model_copy(update={"stance": "pro"}) for c in claims]
    with pytest.raises(ModelError, match="only one stance class"):
        fit(one, [], schema, tiny_config)
    with pytest.raises(ModelError, match="not a readable checkpoint"):
        fit(claims, [], schema, tiny_config.model_copy(update={"base_model": "/nonexistent/model"}))


def test_training_learns_and_is_deterministic(trained, tiny_config, schema):
    from argmine.model.experiment import fit

    assert trained.history and trained.scenario_trained
    assert trained.history[-1]["loss"] < trained.history[0]["loss"]
    claims = synthetic_claims()
    again = fit([c for c in claims if c.doc_id != "doc5"], [c for c in claims if c.doc_id == "doc5"], schema, tiny_config)
    assert [h["loss"] for h in again.history] == [h["loss"] for h in trained.history]
    assert again.temperatures == trained.temperatures


def test_classifier_fills_calibrated_rows(trained, schema):
    from argmine.model.classifier import TransformerClassifier

    clf = TransformerClassifier(trained, schema, "tiny", "abc")
    clf.config = clf.config.model_copy(update={"joint_decoding": False})  # each label its own argmax
    claims = clf.predict(unlabelled(synthetic_claims(1, 6)))
    for c in claims:
        assert c.model == "tiny@abc"
        assert set(c.stance_scores) == set(schema.stance_labels) and set(c.scenario_scores) == set(schema.scenario_labels)
        assert abs(sum(c.stance_scores.values()) - 1) < 1e-4 and abs(sum(c.scenario_scores.values()) - 1) < 1e-4
        assert c.stance == max(c.stance_scores, key=c.stance_scores.get)
        assert c.scenario == max(c.scenario_scores, key=c.scenario_scores.get)


def test_joint_decoding_gives_only_allowed_pairs(trained, schema):
    """With joint_decoding the (stance, scenario) pair is one the schema's stance labels allow."""
    from argmine.model.classifier import TransformerClassifier

    clf = TransformerClassifier(trained, schema, "tiny")
    clf.config = clf.config.model_copy(update={"joint_decoding": True})
    claims = clf.predict(unlabelled(synthetic_claims(2, 9)))
    allowed = schema.compatibility_matrix()
    for c in claims:
        assert allowed[schema.stance_labels.index(c.stance)][schema.scenario_labels.index(c.scenario)]
        assert set(c.stance_scores) == set(schema.stance_labels)  # scores stay the heads' probabilities


def test_test_groups_split_real_from_written(tmp_path):
    from argmine.model.experiment import test_groups

    (tmp_path / "m.csv").write_text(
        "doc_id,path,title,genre,vantage,date,language,origin,source,license,split\n"
        "r1,x,t,op_ed,us,2024,en,third-party-real,s,l,test\nw1,x,t,op_ed,us,2024,en,written-for-project,s,l,test\n")
    cfg = TrainConfig(manifest=str(tmp_path / "m.csv"))
    assert test_groups(["r1", "w1", "seed"], cfg) == {"test": ["r1", "w1", "seed"], "test_real": ["r1"], "test_written": ["w1", "seed"]}
    assert test_groups(["w1"], cfg) == {"test": ["w1"]}  # nothing to separate
    assert test_groups([], cfg) == {}


def test_save_load_roundtrip_without_pickles(trained, schema, tmp_path):
    from argmine.model.classifier import TransformerClassifier
    from argmine.model.io import load_model, save_model

    digest = save_model(trained, tmp_path / "m", schema, {"x": 1}, card="# card\n")
    names = {p.name for p in (tmp_path / "m").iterdir()}
    assert {"model.safetensors", "heads.safetensors", "argmine_model.json", "schema.toml", "training_config.json",
            "metrics.json", "README.md", "config.json"} <= names
    assert not [n for n in names if n.endswith((".bin", ".pt", ".pkl"))]
    meta = json.loads((tmp_path / "m" / "argmine_model.json").read_text())
    assert meta["hash"] == digest and meta["schema"]["hash"] == schema.hash
    loaded = load_model(tmp_path / "m", schema)
    a, b = unlabelled(synthetic_claims(1, 6)), unlabelled(synthetic_claims(1, 6))
    a = TransformerClassifier(trained, schema, trained.config.name, digest).predict(a)
    b = loaded.predict(b)
    assert loaded.name == f"{trained.config.name}@{digest}"
    for x, y in zip(a, b):
        assert x.stance == y.stance and x.scenario == y.scenario
        assert all(abs(x.stance_scores[k] - y.stance_scores[k]) < 1e-5 for k in x.stance_scores)


def test_loading_a_model_that_lost_on_dev_warns(trained, schema, tmp_path, caplog):
    from argmine.model.io import load_model, save_model

    why = "the fine-tuned model LOSES to zero-shot on dev (13 claims)"
    save_model(trained, tmp_path / "m", schema, {"verdict": {"winner": "zero-shot", "why": why}})
    with caplog.at_level("WARNING", logger="argmine.model.io"):
        load_model(tmp_path / "m", schema)
    assert why in caplog.text


def test_load_model_errors(tmp_path, trained, schema):
    from argmine.model.io import load_model, save_model

    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="not an argmine model folder"):
        load_model(tmp_path / "empty")
    save_model(trained, tmp_path / "m", schema)
    other = schema.model_copy(update={"stance": schema.stance[:2]})
    with pytest.raises(ModelError, match="trained on schema"):
        load_model(tmp_path / "m", other)


def test_scenario_without_examples_falls_back_to_zero_shot(tiny_config, schema):
    from argmine.model.classifier import TransformerClassifier
    from argmine.model.experiment import fit

    claims = [c.model_copy(update={"scenario": None}) for c in synthetic_claims(4, 6)]
    trained = fit(claims[:18], claims[18:], schema, tiny_config.model_copy(update={"epochs": 1}))
    assert not trained.scenario_trained
    clf = TransformerClassifier(trained, schema, "tiny", "h")
    out = clf.predict(unlabelled(claims[:3]))
    assert clf.name.endswith("+scenario:zero-shot") and out[0].model == clf.name
    assert set(out[0].scenario_scores) == set(schema.scenario_labels)


def test_stance_rows_train_on_any_topic(tiny_config):
    from argmine.model.trainer import predict_stance_rows, train_stance_rows

    rows = [("ban the war", "the army clash and war escalation", "CON"), ("ban the war", "trade road opens trust", "PRO")] * 8
    m = train_stance_rows(rows[:12], rows[12:], ["PRO", "CON"], tiny_config.model_copy(update={"epochs": 1}))
    p = predict_stance_rows(m, [("open the border", "trade road opens")])
    assert p.shape == (1, 2) and abs(p.sum() - 1) < 1e-5
    with pytest.raises(ModelError, match="not in"):
        train_stance_rows([("t", "x", "MAYBE")], [], ["PRO", "CON"], tiny_config)


def test_zero_shot_classifier_is_labelled(tiny_base, schema):
    from argmine.model.zeroshot import ZeroShotClassifier

    clf = ZeroShotClassifier(schema, tiny_base, TrainConfig(base_model=tiny_base, threads=1))
    out = clf.predict(unlabelled(synthetic_claims(1, 3)))
    assert clf.name.startswith("zero-shot:") and all(c.model == clf.name for c in out)
    assert all(c.scenario in schema.scenario_labels for c in out)


def test_match_scores_shape_and_range(tiny_base):
    from argmine.model.encoder import load_encoder, match_scores

    enc, tok = load_encoder(tiny_base)
    s = match_scores(enc, tok, ["war clash", "trade road", "peace"], ["war", "trade"])
    assert s.shape == (3, 2) and float(s.abs().max()) <= 1.0001


def test_temperature_scaling_softens_overconfident_logits():
    torch.manual_seed(0)
    labels = torch.randint(0, 3, (200,))
    logits = torch.randn(200, 3) * 0.5
    logits[torch.arange(200), labels] += 1.0
    t = fit_temperature(logits * 10, labels)
    nll = torch.nn.functional.cross_entropy
    assert t > 1.5 and nll(logits * 10 / t, labels) < nll(logits * 10, labels)
    assert fit_temperature(torch.zeros(1, 3), torch.tensor([0])) == 1.0


def test_baselines_over_claim_records(schema):
    claims = synthetic_claims()
    train, test = [c for c in claims if c.doc_id != "doc5"], [c for c in claims if c.doc_id == "doc5"]
    maj = fit_majority(train, schema)
    s = evaluate_classifier(maj, test, schema)
    assert s["stance"]["n"] == len(test) and all(c.model is None for c in test)  # gold untouched
    lr = fit_tfidf_lr(train, schema, seed=1)
    s = evaluate_classifier(lr, test, schema)
    assert s["stance"]["macro_f1"] == 1.0 and s["scenario"]["macro_f1"] == 1.0  # separable by words


def test_cross_validation_reports_all_systems(tiny_config, schema, monkeypatch):
    from argmine.model import experiment
    from argmine.model.zeroshot import ZeroShotClassifier

    monkeypatch.setattr(experiment, "zero_shot", lambda s, c: ZeroShotClassifier(s, c.base_model, c))
    corpus = experiment.GoldCorpus(synthetic_claims(), [f"doc{i}" for i in range(6)], schema)
    res = experiment.cross_validate(corpus, tiny_config.model_copy(update={"epochs": 1}), k=3)
    assert len(res["folds"]) == 3
    assert set(res["summary"]) == {"fine-tuned", "majority", "tfidf-lr", "zero-shot"}
    tested = [d for f in res["folds"] for d in f["test_docs"]]
    assert sorted(tested) == sorted(corpus.doc_ids)  # each document is held out exactly once
    for f in res["folds"]:
        assert not set(f["test_docs"]) & set(f["dev_docs"])


def test_run_finds_the_built_default_model_from_any_directory(trained, schema, tmp_path, monkeypatch):
    from argmine import Pipeline
    from argmine.model.home import model_path
    from argmine.model.io import save_model
    from argmine.runner import load_classifier

    from conftest import SAMPLE

    monkeypatch.setenv("ARGMINE_HOME", str(tmp_path / "home"))
    digest = save_model(trained, model_path("default"), schema)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    clf = load_classifier(None, schema)
    assert clf.name.endswith(f"@{digest}") and not clf.is_placeholder
    assert load_classifier("default", schema).name == clf.name  # by name
    pipe = Pipeline.load(model=str(model_path("default")), spacy_model="blank")  # by path
    doc = tmp_path / "talks.md"
    doc.write_text(SAMPLE, encoding="utf-8")
    result = pipe.run([doc])
    assert result.claims
    # Pipeline.load runs at the CLI's default precision ("auto"), which the name says (+bf16 where the CPU has it).
    assert pipe.classifier.name in (clf.name, f"{clf.name}+bf16")
    for c in result.claims:
        assert c.model == pipe.classifier.name and c.stance in schema.stance_labels and c.scenario in schema.scenario_labels
        assert abs(sum(c.stance_scores.values()) - 1) < 1e-4


def test_run_without_a_built_model_is_an_error_naming_model_build(schema, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from argmine.cli import app
    from argmine.errors import ModelError
    from argmine.runner import load_classifier

    from conftest import SAMPLE

    monkeypatch.setenv("ARGMINE_HOME", str(tmp_path / "empty-home"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ModelError, match="argmine model build"):
        load_classifier(None, schema)
    doc = tmp_path / "talks.md"
    doc.write_text(SAMPLE, encoding="utf-8")
    r = CliRunner().invoke(app, ["run", str(doc), "--out", str(tmp_path / "out"), "--spacy-model", "blank"])
    assert r.exit_code == 2 and "argmine model build" in r.output
    assert not (tmp_path / "out" / "claims.jsonl").exists()
    assert load_classifier("placeholder", schema).is_placeholder  # only when asked for by name


def test_model_cli_list_and_path(trained, schema, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from argmine.cli import app
    from argmine.model.home import model_path
    from argmine.model.io import save_model

    monkeypatch.setenv("ARGMINE_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    assert "argmine model build" in runner.invoke(app, ["model", "list"]).output
    r = runner.invoke(app, ["model", "path", "default"])
    assert r.exit_code == 2 and "argmine model build" in r.output
    digest = save_model(trained, model_path("default"), schema)
    assert runner.invoke(app, ["model", "path"]).output.strip() == str(model_path("default"))
    assert digest in runner.invoke(app, ["model", "list"]).output


def test_version_option():
    from typer.testing import CliRunner

    import argmine
    from argmine.cli import app

    r = CliRunner().invoke(app, ["--version"])
    assert r.exit_code == 0 and r.output.strip() == f"argmine {argmine.__version__}" and argmine.__version__[0].isdigit()


def test_cli_train_rejects_bad_input_before_training(tmp_path, tiny_base):
    from typer.testing import CliRunner

    from argmine.cli import app

    ann = tmp_path / "ann"
    ann.mkdir()
    (ann / "x.jsonl").write_text('{"doc_id": "x", "text_sha256": "0", "schema": {"name": "s", "version": "1"}, '
                                 '"guidelines_version": "1", "annotator": "a", "text": "Hi.", "claims": [], "colour": 1}\n')
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[train]\nbase_model = "{tiny_base}"\n')
    r = CliRunner().invoke(app, ["train", "--annotations", str(ann), "--config", str(cfg), "--out", str(tmp_path / "m")])
    assert r.exit_code == 2 and "x.jsonl:1" in r.output and not (tmp_path / "m").exists()
    cfg.write_text('[train]\nbase_model = "/no/such/model"\n')
    r = CliRunner().invoke(app, ["train", "--annotations", str(ann), "--config", str(cfg), "--out", str(tmp_path / "m")])
    assert r.exit_code == 2 and "not a readable checkpoint" in r.output


def test_builtin_defaults_equal_the_shipped_config():
    """`argmine train` without --config must train what `make model` trains (models/configs/default.toml)."""
    from pathlib import Path

    from argmine.model.config import TrainConfig

    shipped = TrainConfig.load(Path(__file__).resolve().parents[1] / "models" / "configs" / "default.toml")
    assert shipped.model_dump() == TrainConfig().model_dump()


@pytest.fixture(scope="module")
def every_classifier(trained, schema, tiny_base, tiny_config):
    """One of each classifier argmine ships: placeholder, zero-shot, fine-tuned, both baselines and SetFit."""
    from argmine.classify import PlaceholderClassifier
    from argmine.model.fewshot import SetFitSettings, fit_setfit
    from argmine.model.classifier import TransformerClassifier
    from argmine.model.zeroshot import ZeroShotClassifier

    train = synthetic_claims(4, 9)
    return {
        "placeholder": PlaceholderClassifier(schema),
        "zero-shot": ZeroShotClassifier(schema, base_model=tiny_base),
        "fine-tuned": TransformerClassifier(trained, schema, "tiny", "abc"),
        "majority": fit_majority(train, schema),
        "tfidf-lr": fit_tfidf_lr(train, schema),
        "setfit": fit_setfit(train, schema, tiny_config, SetFitSettings(num_iterations=2, max_steps=6, batch_size=8)),
    }


@pytest.mark.parametrize("name", ["placeholder", "zero-shot", "fine-tuned", "majority", "tfidf-lr", "setfit"])
def test_classifier_contract(every_classifier, schema, name):
    """Labels from the schema, scores summing to 1, the input untouched, the same output for the same input."""
    clf = every_classifier[name]
    claims = unlabelled(synthetic_claims(1, 6))
    before = [c.model_dump() for c in claims]
    out = clf.predict(claims, [c.section for c in claims])
    assert [c.model_dump() for c in claims] == before, "predict must not mutate its input"
    assert len(out) == len(claims) and all(o is not c for o, c in zip(out, claims))
    for o, c in zip(out, claims):
        assert (o.doc_id, o.start, o.end, o.text) == (c.doc_id, c.start, c.end, c.text)
        assert list(o.stance_scores) == schema.stance_labels and list(o.scenario_scores) == schema.scenario_labels
        assert abs(sum(o.stance_scores.values()) - 1) < 1e-4 and abs(sum(o.scenario_scores.values()) - 1) < 1e-4
        if not clf.is_placeholder:
            assert o.stance in schema.stance_labels and o.scenario in schema.scenario_labels
        assert o.model == clf.name
    again = clf.predict(claims, [c.section for c in claims])
    assert [a.model_dump() for a in again] == [o.model_dump() for o in out]
    assert clf.predict([], []) == []


def test_classifier_constructors_leave_torch_threads_alone(trained, schema, tiny_base):
    from argmine.model.classifier import TransformerClassifier
    from argmine.model.zeroshot import ZeroShotClassifier

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        TransformerClassifier(trained, schema, "tiny", "abc")
        ZeroShotClassifier(schema, base_model=tiny_base)
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(n)


def test_scenario_definitions_are_encoded_once_per_classifier(trained, schema, monkeypatch):
    """Many predict calls (one per chunk of a streaming run) embed the definitions once, with the same results."""
    from argmine.model.classifier import TransformerClassifier

    clf = TransformerClassifier(trained, schema, "tiny", "abc")
    claims = unlabelled(synthetic_claims(2, 6))
    first = clf.predict(claims)
    calls = []
    real = type(trained.model).embed
    monkeypatch.setattr(type(trained.model), "embed", lambda self, batch: calls.append(len(batch["input_ids"])) or real(self, batch))
    again = clf.predict(claims)
    assert [a.model_dump() for a in again] == [f.model_dump() for f in first]
    assert calls == [len(claims)], f"only the claims are embedded on a second call, got batches of {calls}"


@pytest.mark.parametrize("precision", ["int8", "bf16"])
def test_reduced_precision_copy_is_labelled_close_and_leaves_the_original(trained, schema, tiny_base, precision):
    from argmine.model.classifier import TransformerClassifier
    from argmine.model.precision import with_precision
    from argmine.model.zeroshot import ZeroShotClassifier

    claims = unlabelled(synthetic_claims(2, 6))
    for clf in (TransformerClassifier(trained, schema, "tiny", "abc"), ZeroShotClassifier(schema, base_model=tiny_base)):
        fp32 = clf.predict(claims)
        q = with_precision(clf, precision)
        assert q is not clf and q.name == f"{clf.name}+{precision}"
        low = q.predict(claims)
        assert [c.model_dump() for c in clf.predict(claims)] == [c.model_dump() for c in fp32], "the original changed"
        assert all(c.model == q.name for c in low)
        assert q.predict(claims) == low, "the same claims give the same scores"
        for a, b in zip(fp32, low, strict=True):
            assert max(abs(a.stance_scores[k] - b.stance_scores[k]) for k in a.stance_scores) < 0.1


def test_auto_precision_is_bf16_only_where_the_cpu_has_it(monkeypatch):
    import torch

    from argmine.model.precision import resolve_precision

    assert resolve_precision("int8") == "int8" and resolve_precision("fp32") == "fp32"
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False)
    assert resolve_precision("auto") == "fp32"
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: True)
    assert resolve_precision("auto") == "bf16"


def test_corrupt_or_truncated_model_files_fail_with_the_path(trained, schema, tmp_path):
    """Issue 12: overwritten embeddings loaded silently (NaN scores under the intact model's id); a
    truncated safetensors file or a corrupt argmine_model.json gave a raw traceback."""
    from argmine.model.io import load_model, save_model

    m = tmp_path / "m"
    digest = save_model(trained, m, schema, card=lambda h: f"# card for {h}\n")
    assert (m / "README.md").read_text() == f"# card for {digest}\n"  # written inside the temporary folder
    meta = json.loads((m / "argmine_model.json").read_text())
    assert set(meta["weights_sha256"]) == {"model.safetensors", "heads.safetensors"}
    pristine = {n: (m / n).read_bytes() for n in ("model.safetensors", "heads.safetensors", "argmine_model.json")}

    raw = bytearray(pristine["model.safetensors"])
    mid = len(raw) // 2
    raw[mid : mid + 4096] = b"\xff" * 4096  # NaN floats in the middle of the embeddings
    (m / "model.safetensors").write_bytes(bytes(raw))
    with pytest.raises(ModelError, match=r"model\.safetensors: weights do not match.*argmine model build"):
        load_model(m, schema)
    (m / "model.safetensors").write_bytes(pristine["model.safetensors"])

    (m / "heads.safetensors").write_bytes(pristine["heads.safetensors"][:100])
    with pytest.raises(ModelError, match=r"heads\.safetensors"):
        load_model(m, schema)
    (m / "heads.safetensors").write_bytes(pristine["heads.safetensors"])

    (m / "argmine_model.json").write_text("{not json")
    with pytest.raises(ModelError, match=r"argmine_model\.json: corrupt"):
        load_model(m, schema)
    (m / "argmine_model.json").write_bytes(pristine["argmine_model.json"])
    assert load_model(m, schema).name.endswith(digest)

    old_meta = {k: v for k, v in meta.items() if k != "weights_sha256"}  # saved before full hashes existed
    (m / "argmine_model.json").write_text(json.dumps(old_meta))
    assert load_model(m, schema).name.endswith(digest)  # checked against the short hash instead
    (m / "model.safetensors").write_bytes(bytes(raw))
    with pytest.raises(ModelError, match="weights do not match"):
        load_model(m, schema)


def test_nan_scores_are_an_error_never_a_label(schema):
    from argmine.classify import labelled

    claims = unlabelled(synthetic_claims(1, 2))
    st = torch.full((len(claims), len(schema.stance_labels)), float("nan"))
    sc = torch.full((len(claims), len(schema.scenario_labels)), 0.2)
    with pytest.raises(ModelError, match="NaN"):
        labelled(claims, schema.stance_labels, st.tolist(), schema.scenario_labels, sc.tolist(), "m@x")
    assert all(c.stance is None for c in claims)


def test_probe_ensemble_averages_and_survives_save_load(tiny_config, schema, tmp_path):
    """The probe (model/probe.py) is fitted, mixes into the scores, and reloads from heads.safetensors."""
    from argmine.model.classifier import TransformerClassifier
    from argmine.model.experiment import fit
    from argmine.model.io import load_model, save_model

    claims = synthetic_claims()
    cfg = tiny_config.model_copy(update={"epochs": 1, "probe_ensemble": True, "joint_decoding": True})
    trained = fit([c for c in claims if c.doc_id != "doc5"], [c for c in claims if c.doc_id == "doc5"], schema, cfg)
    assert trained.probe is not None and set(trained.probe.coef) == {"stance", "scenario"}
    assert trained.probe.coef["stance"].shape[0] == len(schema.stance_labels)
    with_probe = TransformerClassifier(trained, schema, "tiny").predict(unlabelled(synthetic_claims(1, 6)))
    trained.probe, probe = None, trained.probe
    alone = TransformerClassifier(trained, schema, "tiny").predict(unlabelled(synthetic_claims(1, 6)))
    trained.probe = probe
    assert any(abs(a.stance_scores[k] - b.stance_scores[k]) > 1e-6 for a, b in zip(with_probe, alone) for k in a.stance_scores)
    for c in with_probe:
        assert abs(sum(c.stance_scores.values()) - 1) < 1e-5 and abs(sum(c.scenario_scores.values()) - 1) < 1e-5
    save_model(trained, tmp_path / "m", schema, {}, card="# card\n")
    loaded = load_model(tmp_path / "m", schema)
    assert loaded.trained.probe is not None
    again = loaded.predict(unlabelled(synthetic_claims(1, 6)))
    for x, y in zip(with_probe, again):
        assert (x.stance, x.scenario) == (y.stance, y.scenario)
        assert all(abs(x.stance_scores[k] - y.stance_scores[k]) < 1e-5 for k in x.stance_scores)


def test_python_api_and_cli_share_the_precision(tmp_path):
    """`Pipeline.load` defaults to the CLI's precision ("auto"); a wrong name is a ModelError naming the choices."""
    from argmine import Pipeline
    from argmine.errors import ModelError

    pipe = Pipeline.load(model="zero-shot", precision="int8")
    assert pipe.classifier.name.endswith("+int8")
    with pytest.raises(ModelError, match="fp32, bf16 or int8"):
        Pipeline.load(model="placeholder", precision="fp16")
