"""Benchmark loaders on tiny synthetic files (never the real data) and the track-1 mAP on hand-computed cases."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from argmine.evaluation.benchmarks.argkp import Item, load_split, mean_average_precision, scores_from_matrix, tfidf_scorer
from argmine.model.baselines import majority_label, tfidf_lr_probs
from argmine.evaluation.benchmarks.ibm_claim_stance import COLUMNS, TOPIC_META, load_claim_stance, run_benchmark, split_dev, subsample
from argmine.evaluation.benchmarks.stance_candidates import Candidate, select
from argmine.errors import InputError


def _write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def _ibm_csv(path, rows):
    header = ["topicId", COLUMNS["split"], COLUMNS["topic"], COLUMNS["text"], COLUMNS["label"], "claims.claimOriginalText"]
    _write(path, header, [[i, s, t, x, y, x.lower()] for i, (s, t, x, y) in enumerate(rows)])


def test_ibm_loader(tmp_path):
    rows = [("train", "ban A", "A harms children", "PRO"), ("train", "ban B", "B is harmless", "CON"),
            ("train", "ban C", "C kills", "PRO"), ("test", "ban D", "D helps", "con")]
    _ibm_csv(tmp_path / "claim_stance_dataset_v1.csv", rows)
    loaded = load_claim_stance(tmp_path)  # the folder works as well as the file
    assert [(r.split, r.topic, r.label) for r in loaded] == [("train", "ban A", "PRO"), ("train", "ban B", "CON"),
                                                               ("train", "ban C", "PRO"), ("test", "ban D", "CON")]
    train, dev = split_dev([r for r in loaded if r.split == "train"], 1, seed=1)
    assert len(dev) == 1 and len(train) == 2 and not {r.topic for r in train} & {r.topic for r in dev}
    assert len(subsample(train, 1, seed=1)) == 1 and subsample(train, None, 1) == train


def test_ibm_loader_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_claim_stance(tmp_path / "nope.csv")
    _write(tmp_path / "bad.csv", ["split", "text"], [["train", "x"]])
    with pytest.raises(InputError, match="columns"):
        load_claim_stance(tmp_path / "bad.csv")
    _ibm_csv(tmp_path / "odd.csv", [("train", "t", "x", "MAYBE"), ("test", "t", "y", "PRO")])
    with pytest.raises(InputError, match="odd.csv:2"):
        load_claim_stance(tmp_path / "odd.csv")
    _ibm_csv(tmp_path / "half.csv", [("train", "t", "x", "PRO")])
    with pytest.raises(InputError, match="train and test"):
        load_claim_stance(tmp_path / "half.csv")


def _word_embedder(pairs):
    """Stand-in for the frozen encoder: sees only the claim's words, as a bag of two cues (no model, no download)."""
    return np.array([[1.0, "saves" in b or "helps" in b, "ruins" in b] for _, b in pairs], dtype=float)


def test_ibm_candidates_selected_on_dev(tmp_path):
    rows = []
    for split, topics in (("train", "ABCDEFGH"), ("test", "IJ")):
        for t in topics:
            sent = 1 if t in "ACEGI" else -1  # "allow X" and "ban X" topics
            pro, con = ("PRO", "CON") if sent > 0 else ("CON", "PRO")
            rows += [(split, f"{'allow' if sent > 0 else 'ban'} {t}", t, sent, f"{t} {w}", y)
                     for w, y in (("saves lives", pro), ("ruins lives", con), ("helps people", pro))]
    path = tmp_path / "claims.csv"
    _write(path, [COLUMNS["split"], COLUMNS["topic"], TOPIC_META["target"], TOPIC_META["sentiment"], COLUMNS["text"], COLUMNS["label"]], rows)
    loaded = load_claim_stance(path)
    _, dev = split_dev([r for r in loaded if r.split == "train"], 2, seed=13)
    assert {r.topic_sentiment for r in dev} == {1, -1}  # dev mixes both kinds of topic, so "topic" cannot fake it
    m = run_benchmark(path, tmp_path / "out", dev_topics=2, candidates="probe", embedder=_word_embedder, command="t")
    assert set(m["candidates"]) == {"probe-target", "probe-topic"}
    # Claim words predict stance toward the target, not toward the topic: dev picks the target probe.
    assert m["selected"]["name"] == "probe-target" and "dev" in m["selected"]["rule"]
    cands = m["candidates"]
    assert cands["probe-target"]["dev"]["macro_f1"] == pytest.approx(1.0)
    assert cands["probe-topic"]["dev"]["macro_f1"] < 1.0
    assert cands["probe-target"]["selected"] and not cands["probe-topic"]["selected"]
    assert m["accuracy"] == cands["probe-target"]["test"]["accuracy"] == pytest.approx(1.0)
    assert m["macro_f1"] == cands["probe-target"]["test"]["macro_f1"]
    assert cands["probe-target"]["settings"]["C"] in (0.01, 0.1, 1.0, 10.0, 100.0)
    saved = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert saved["selected"]["name"] == "probe-target" and set(saved["baselines"]) == {"tfidf_lr", "tfidf_lr_target", "majority"}
    assert saved["settings"]["formulation"] == "target" and saved["data"]["dev_topics"] == 2
    assert "probe-topic" in (tmp_path / "out" / "report.md").read_text()
    with pytest.raises(InputError, match="candidate"):
        run_benchmark(path, tmp_path / "x", candidates="svm", embedder=_word_embedder)


def test_select_uses_dev_only_and_breaks_ties_by_order():
    def cand(name, dev_f1):
        return Candidate(name, "probe", "topic", {"accuracy": 0.0, "macro_f1": dev_f1, "n": 1}, lambda rows: None)

    a, b, c = cand("a", 0.6), cand("b", 0.7), cand("c", 0.7)
    assert select([a, b, c]) is b
    assert select([a]) is a
    with pytest.raises(ValueError):
        select([])


def test_row_baselines():
    probs = tfidf_lr_probs(["good good", "bad bad", "good", "bad"], ["PRO", "CON", "PRO", "CON"], ["good", "bad"], ["PRO", "CON"])
    assert probs.shape == (2, 2)
    assert probs.sum(1) == pytest.approx([1.0, 1.0])
    assert probs[0].argmax() == 0 and probs[1].argmax() == 1
    assert majority_label(["CON", "PRO", "CON"], ["PRO", "CON"]) == "CON"
    assert majority_label(["CON", "PRO"], ["PRO", "CON"]) == "PRO"  # tie: schema order


def test_argkp_loader(tmp_path):
    _write(tmp_path / "arguments_test.csv", ["arg_id", "argument", "topic", "stance"],
           [["a1", "School uniforms stop bullying", "T", 1], ["a2", "Uniforms cost money", "T", -1], ["a3", "Off topic", "U", 1]])
    _write(tmp_path / "key_points_test.csv", ["key_point_id", "key_point", "topic", "stance"],
           [["k1", "Uniforms reduce bullying", "T", 1], ["k2", "Uniforms are expensive", "T", -1]])
    _write(tmp_path / "labels_test.csv", ["arg_id", "key_point_id", "label"], [["a1", "k1", 1], ["a2", "k2", 1]])
    split = load_split(tmp_path, "test")
    assert split.candidates() == {"a1": ["k1"], "a2": ["k2"], "a3": []}
    assert split.labels == {("a1", "k1"): 1, ("a2", "k2"): 1}
    preds = scores_from_matrix(split, tfidf_scorer([a.text for a in split.arguments] + [k.text for k in split.key_points]))
    assert set(preds) == {"a1", "a2"} and preds["a1"]["k1"] > 0
    with pytest.raises(InputError, match="not found"):
        load_split(tmp_path, "train")
    _write(tmp_path / "labels_test.csv", ["arg_id", "key_point_id", "label"], [["a1", "k1", "yes"]])
    with pytest.raises(InputError, match="labels_test.csv:2"):
        load_split(tmp_path, "test")


def _args(prefix, topic, stance, n):
    return [Item(f"{prefix}{i}", "", topic, stance) for i in range(1, n + 1)]


def test_map_hand_computed():
    args = _args("a", "T", 1, 4) + _args("b", "T", -1, 4)
    preds = {
        "a1": {"k1": 0.9, "k2": 0.1},  # top k1 (0.9)
        "a2": {"k1": 0.2, "k2": 0.8},  # top k2 (0.8)
        "a3": {"k1": 0.7},
        "a4": {"k2": 0.6},
        "b1": {"j1": 0.9}, "b2": {"j1": 0.8}, "b3": {"j1": 0.7},
        # b4 has no prediction: score 0, a non-match in both variants
    }
    labels = {("a1", "k1"): 0, ("a3", "k1"): 1, ("b1", "j1"): 1, ("b2", "j1"): 0}  # (a2, k2) is undecided
    m = mean_average_precision(preds, args, labels)
    pro, con = m["groups"]["T | pro"], m["groups"]["T | con"]
    assert pro["kept"] == 2 and con["kept"] == 2  # top 50 % of 4 arguments
    # pro keeps (a1,k1)=0 and (a2,k2)=undecided: strict has no positive → AP 0; relaxed [0, 1] → AP 1/2.
    assert pro["ap_strict"] == 0.0 and pro["ap_relaxed"] == pytest.approx(0.5)
    # con keeps (b1)=1, (b2)=0: the positive is ranked first → AP 1 in both variants.
    assert con["ap_strict"] == pytest.approx(1.0) and con["ap_relaxed"] == pytest.approx(1.0)
    assert m["map_strict"] == pytest.approx(0.5)
    assert m["map_relaxed"] == pytest.approx(0.75)


def test_map_top_half_rounds_down_and_ties_are_deterministic():
    args = _args("a", "T", 1, 3)
    preds = {"a1": {"k1": 0.5, "k2": 0.5}, "a2": {"k1": 0.4}, "a3": {"k2": 0.3}}
    labels = {("a1", "k1"): 1, ("a1", "k2"): 0}
    m = mean_average_precision(preds, args, labels)
    assert m["groups"]["T | pro"]["kept"] == 1  # int(3 × 0.5)
    assert m["map_strict"] == pytest.approx(1.0)  # the tie breaks to k1 (lower id), which matches
    assert mean_average_precision({}, [], {}) == {"map_strict": 0.0, "map_relaxed": 0.0, "groups": {}}


def test_topic_frames_read_motions():
    from argmine.evaluation.benchmarks.topic_frames import Frame, frame

    assert frame("We should ban human cloning") == Frame("human cloning", -1)
    assert frame("We should legalize cannabis.") == Frame("cannabis", 1)
    assert frame("We should fight for the abolition of nuclear weapons") == Frame("nuclear weapons", -1)  # longest verb phrase wins
    assert frame("This house would build the Keystone XL pipeline") == Frame("the Keystone XL pipeline", 1)
    assert frame("Homeschooling should be banned") == Frame("Homeschooling", -1)
    assert frame("Routine child vaccinations should be mandatory") == Frame("Routine child vaccinations", 1)
    assert frame("Zoos should not be allowed") == Frame("Zoos", -1)
    assert frame("The USA is a good country to live in") is None
    assert frame("We should ponder marriage") is None  # unknown verb: no guess


def test_topic_overlap_guard():
    from argmine.evaluation.benchmarks.topic_frames import content_words, overlapping

    assert content_words("This house would ban the use of child actors") == {"child", "actor"}
    topics = ["This house would institute a mandatory retirement age", "This house would ban boxing"]
    assert overlapping("We should end mandatory retirement", topics) == [topics[0]]
    assert overlapping("We should ban human cloning", topics) == []  # "ban" is a frame word, not content


def test_argkp_aux_rows_skip_overlapping_and_unframed_motions(tmp_path):
    from argmine.evaluation.benchmarks.aux_stance import argkp_stance_rows
    from argmine.evaluation.benchmarks.ibm_claim_stance import StanceRow

    header = ["arg_id", "argument", "topic", "stance"]
    _write(tmp_path / "arguments_train.csv", header, [
        ["a1", "Cloning is unsafe.", "We should ban human cloning", "1"],
        ["a2", "Cloning cures disease.", "We should ban human cloning", "-1"],
        ["a3", "Boxing hurts.", "We should prohibit boxing matches", "1"],
        ["a4", "It is great.", "The USA is a good country to live in", "1"]])
    _write(tmp_path / "arguments_dev.csv", header, [["a5", "Jobs matter.", "We should subsidize journalism", "-1"]])
    rows, rep = argkp_stance_rows(tmp_path, ["This house would ban boxing", "boxing"], StanceRow)
    assert [(r.text, r.label, r.target, r.topic_sentiment, r.target_label()) for r in rows] == [
        ("Cloning is unsafe.", "PRO", "human cloning", -1, "CON"),  # supports a ban → against cloning
        ("Cloning cures disease.", "CON", "human cloning", -1, "PRO"),
        ("Jobs matter.", "CON", "journalism", 1, "CON")]
    assert list(rep.overlap) == ["We should prohibit boxing matches"] and rep.unframed == ["The USA is a good country to live in"]
    assert rep.as_dict()["rows"] == 3
    (tmp_path / "bad").mkdir()
    _write(tmp_path / "bad" / "arguments_train.csv", header, [["a1", "x", "We should ban human cloning", "maybe"]])
    with pytest.raises(InputError, match="arguments_train.csv:2"):
        argkp_stance_rows(tmp_path / "bad", [], StanceRow, splits=("train",))
    with pytest.raises(InputError, match="not found"):
        argkp_stance_rows(tmp_path / "none", [], StanceRow)


def test_ibm_cv_selection_with_argkp_rows(tmp_path):
    """--select cv scores every candidate on held-out train topics; --aux argkp adds non-overlapping ArgKP rows."""
    rows, words = [], dict(zip("ABCDEFGHIJ", ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett"]))
    for split, topics in (("train", "ABCDEFGH"), ("test", "IJ")):
        for letter in topics:
            t = words[letter]
            sent = 1 if letter in "ACEGI" else -1
            pro, con = ("PRO", "CON") if sent > 0 else ("CON", "PRO")
            rows += [(split, f"{'allow' if sent > 0 else 'ban'} {t}", t, sent, f"{t} {w}", y)
                     for w, y in (("saves lives", pro), ("ruins lives", con), ("helps people", pro))]
    path = tmp_path / "claims.csv"
    _write(path, [COLUMNS["split"], COLUMNS["topic"], TOPIC_META["target"], TOPIC_META["sentiment"], COLUMNS["text"], COLUMNS["label"]], rows)
    kp = tmp_path / "argkp"
    kp.mkdir()
    _write(kp / "arguments_train.csv", ["arg_id", "argument", "topic", "stance"],
           [["a1", "cloning saves lives", "We should ban human cloning", "-1"], ["a2", "cloning ruins lives", "We should ban human cloning", "1"],
            ["a3", "it ruins lives", "We should ban juliett clubs", "1"]])  # "juliett" is a test topic: dropped
    _write(kp / "arguments_dev.csv", ["arg_id", "argument", "topic", "stance"], [["a4", "zoos help people", "We should subsidize zoos", "1"]])
    m = run_benchmark(path, tmp_path / "out", dev_topics=2, candidates="probe", formulation="target", embedder=_word_embedder,
                      aux="argkp", aux_data=kp, select_by="cv", folds=2, command="t")
    assert set(m["candidates"]) == {"probe-target", "probe-target+argkp"}
    assert m["aux"]["rows"] == 3 and list(m["aux"]["dropped_overlap"]) == ["We should ban juliett clubs"]
    assert m["candidates"]["probe-target+argkp"]["settings"]["train_rows"] == m["candidates"]["probe-target"]["settings"]["train_rows"] + 3
    cv = m["cv"]
    assert set(cv) == {"probe-target", "probe-target+argkp", "tfidf_lr_target", "tfidf_lr_target_argkp"}
    assert cv["probe-target"]["n"] == 24 and len(cv["probe-target"]["folds"]) == 2  # every train claim held out once
    assert {t.split()[1] for f in cv["probe-target"]["folds"] for t in f["topics"]} == {words[c] for c in "ABCDEFGH"}  # test topics never in CV
    assert m["selected"]["by"] == "cv" and "cross-validation" in m["selected"]["rule"]
    assert m["selected"]["cv_macro_f1"] == max(c["cv"]["macro_f1"] for c in m["candidates"].values())
    assert "tfidf_lr_target_argkp" in m["baselines"]
    assert set(m["significance"]) == {"tfidf_lr", "tfidf_lr_target", "tfidf_lr_target_argkp"}
    assert m["significance"]["tfidf_lr"]["groups"] == 2  # test topics are the resampled units
    report = (tmp_path / "out" / "report.md").read_text()
    assert "Cross-validation on the train topics" in report and "Paired bootstrap" in report
    with pytest.raises(InputError, match="selection rule"):
        run_benchmark(path, tmp_path / "x", select_by="oracle", embedder=_word_embedder)
    with pytest.raises(InputError, match="auxiliary"):
        run_benchmark(path, tmp_path / "x", aux="wikipedia", embedder=_word_embedder)
