"""Score issue-14 out-of-fold predictions (``*.oof.json`` from exp_real.py) by origin; decoding rules and ensembles.

    python scripts/exp_score.py /tmp/x14/exp/base.oof.json [/tmp/x14/exp/sentence.oof.json ...]
"""

from __future__ import annotations

import json
import sys

import numpy as np

from argmine.metrics import task_scores
from argmine.model.joint import allowed_matrix, joint_decode
from argmine.schema import LabelSchema


def arr(rows, key, labels):
    return np.array([[r[key].get(label, 0.0) for label in labels] for r in rows])


def macro(gold, pred, labels):
    return task_scores(gold, pred, labels)["macro_f1"]


def score(rows, st, sc, schema, joint=False):
    S, C = schema.stance_labels, schema.scenario_labels
    if joint:
        i, j = joint_decode(st, sc, allowed_matrix(schema.compatibility_matrix(), len(S), len(C)))
    else:
        i, j = st.argmax(1), sc.argmax(1)
    out = {}
    for origin in (True, False):
        m = [k for k, r in enumerate(rows) if r["real"] == origin]
        out["real" if origin else "written"] = (
            macro([rows[k]["stance"] for k in m], [S[i[k]] for k in m], S),
            macro([rows[k]["scenario"] for k in m], [C[j[k]] for k in m], C), len(m))
    return out


def line(name, s):
    r, w = s["real"], s["written"]
    return f"{name:34s} real {r[0]:.3f} / {r[1]:.3f} (n {r[2]})   written {w[0]:.3f} / {w[1]:.3f} (n {w[2]})"


def main(paths):
    schema = LabelSchema.load()
    S, C = schema.stance_labels, schema.scenario_labels
    runs = {}
    for p in paths:
        rows = sorted(json.load(open(p)), key=lambda r: (r["doc_id"], r["start"]))
        name = p.rsplit("/", 1)[-1].removesuffix(".oof.json")
        runs[name] = (rows, arr(rows, "p_stance", S), arr(rows, "p_scenario", C))
        print(line(name, score(rows, runs[name][1], runs[name][2], schema)))
        print(line(name + " +joint", score(rows, runs[name][1], runs[name][2], schema, joint=True)))
        for lab, key, P in ((S, "stance", runs[name][1]), (C, "scenario", runs[name][2])):
            b0, b1, b = bias_cv(rows, P, lab, key)
            print(f"   real {key} log-prior correction (4-fold grouped CV on OOF): {b0:.3f} -> {b1:.3f}; all-rows bias {np.round(b, 2).tolist()}")
    rows = next(iter(runs.values()))[0]
    print(line("tfidf-lr", score(rows, arr(rows, "tfidf_stance", S), arr(rows, "tfidf_scenario", C), schema)))
    if len(runs) > 1:
        st = np.mean([v[1] for v in runs.values()], 0)
        sc = np.mean([v[2] for v in runs.values()], 0)
        print(line("mean of all", score(rows, st, sc, schema)))
        print(line("mean of all +joint", score(rows, st, sc, schema, joint=True)))




def fit_bias(st, gold_idx, n, grid=np.linspace(-2, 2, 17)):
    """Log-prior offsets (first label fixed at 0) that maximise macro-F1 of argmax(log p + b) on these rows."""
    import itertools

    logp = np.log(np.clip(st, 1e-9, 1))
    best, best_b = -1.0, np.zeros(n)
    for rest in itertools.product(grid, repeat=n - 1):
        b = np.array((0.0, *rest))
        pred = (logp + b).argmax(1)
        f = _macro_idx(gold_idx, pred, n)
        if f > best:
            best, best_b = f, b
    return best_b


def _macro_idx(gold, pred, n):
    fs = []
    for k in range(n):
        tp = np.sum((pred == k) & (gold == k))
        fp = np.sum((pred == k) & (gold != k))
        fn = np.sum((pred != k) & (gold == k))
        if tp + fn == 0:
            continue
        fs.append(0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(fs))


def bias_cv(rows, st, labels, key="stance", origin=True, k=4):
    """Grouped CV estimate of the stance macro-F1 after a log-prior correction fitted on real OOF rows."""
    from sklearn.model_selection import GroupKFold

    m = np.array([k_ for k_, r in enumerate(rows) if r["real"] == origin])
    gold = np.array([labels.index(rows[i][key]) for i in m])
    groups = [rows[i]["doc_id"] for i in m]
    pred = np.zeros(len(m), dtype=int)
    for tr, te in GroupKFold(n_splits=k).split(m, groups=groups):
        b = fit_bias(st[m[tr]], gold[tr], len(labels))
        pred[te] = (np.log(np.clip(st[m[te]], 1e-9, 1)) + b).argmax(1)
    before = _macro_idx(gold, st[m].argmax(1), len(labels))
    return before, _macro_idx(gold, pred, len(labels)), fit_bias(st[m], gold, len(labels))


if __name__ == "__main__":
    main(sys.argv[1:])
