"""The IBM Claim Stance benchmark's report: candidates, CV, test topics, bootstrap, figures (from metrics.json)."""

from __future__ import annotations

from ..report import Report, bars_figure, confusion_figure, reliability_figure


def _describe(name: str, c: dict, base_model: str) -> str:
    what = f"fine-tuned {base_model}" if c["kind"] == "finetune" else f"frozen {base_model} + LR (C={c['settings'].get('C')})"
    return f"{name}: {what}, {c['inputs']}" + (", + ArgKP rows" if c.get("aux") else "")


BASELINE_NAMES = {"tfidf_lr": "TF-IDF + logistic regression", "tfidf_lr_target": "TF-IDF + LR, target decomposition",
                  "tfidf_lr_target_argkp": "TF-IDF + LR, target decomposition, + ArgKP rows"}


def report(m: dict) -> Report:
    r = Report("IBM Claim Stance benchmark")
    d, s, sel = m["data"], m["settings"], m["selected"]
    r.p(f"Train on {d['train_topics']} train topics ({d['train_rows']} claims); {d['dev_topics']} further train topics "
        f"({d['dev_rows']} claims) are held out as dev for early stopping, calibration and the probe's C; test on "
        f"{d['test_topics']} unseen test topics ({d['test_rows']} claims). Candidates: {', '.join(s['candidates'])} × "
        f"formulations {', '.join(s['formulations'])}{' × with/without ArgKP rows' if m.get('aux') else ''}. Encoder "
        f"{s['base_model']}, max_length {s['max_length']}; fine-tuning at most {s['epochs']} epochs, batch {s['batch_size']}, "
        f"lr {s['learning_rate']}, seed {s['seed']}. The target formulation reads (topic target, claim), learns the "
        "claim's stance toward the target, and the topic's sentiment (released with each topic) turns it into PRO/CON.")
    if m.get("aux"):
        a = m["aux"]
        r.p(f"Auxiliary rows: {a['rows']} ArgKP-2021 arguments (train + dev splits) on {len(a['kept_motions'])} motions, "
            "framed as (motion target, argument, stance toward the target). Dropped because they share a content word "
            f"with an IBM topic: {', '.join(a['dropped_overlap']) or 'none'}. Dropped because no pattern reads the motion: "
            f"{', '.join(a['dropped_unframed']) or 'none'}.")
    r.p(f"Selected: **{sel['name']}** ({sel['rule']}).")
    cv = m.get("cv")
    if cv:
        r.h("Cross-validation on the train topics (used for the choice)")
        rows = [[k, v["accuracy"], v["macro_f1"], v["fold_macro_f1_std"], v["n"]] for k, v in cv.items()]
        r.table(["system", "accuracy", "macro-F1", "fold macro-F1 std", "claims"], rows)
    r.h("Candidates (dev = held-out train topics; test = unseen topics, scored after the choice)")
    r.table(["candidate", "dev accuracy", "dev macro-F1", *(["CV macro-F1"] if cv else []), "test accuracy", "test macro-F1", "selected"],
            [[_describe(k, c, s["base_model"]), c["dev"]["accuracy"], c["dev"]["macro_f1"], *([c["cv"]["macro_f1"]] if cv else []),
              c["test"]["accuracy"], c["test"]["macro_f1"], "yes" if c["selected"] else ""] for k, c in m["candidates"].items()])
    rows = [[f"selected: {sel['name']}", m["accuracy"], m["macro_f1"]]]
    rows += [[BASELINE_NAMES[k], v["accuracy"], v["macro_f1"]] for k, v in m["baselines"].items() if k in BASELINE_NAMES]
    rows.append([f"majority ({m['baselines']['majority']['label']})", m["baselines"]["majority"]["accuracy"], m["baselines"]["majority"]["macro_f1"]])
    r.h("Test topics")
    r.table(["system", "accuracy", "macro-F1"], rows)
    sig = m.get("significance") or {}
    if sig:
        r.p("Paired bootstrap over the test topics (selected model minus baseline; topics resampled with replacement, "
            f"{next(iter(sig.values()))['reps']} samples): the difference, its 95 % interval, and the share of samples where "
            "the model did not beat the baseline.")
        r.table(["baseline", "accuracy diff", "95 % interval", "not better", "macro-F1 diff", "95 % interval", "not better"],
                [[BASELINE_NAMES[k], v["accuracy"]["difference"], "[{:.3f}, {:.3f}]".format(*v["accuracy"]["ci95"]),
                  v["accuracy"]["share_not_better"], v["macro_f1"]["difference"], "[{:.3f}, {:.3f}]".format(*v["macro_f1"]["ci95"]),
                  v["macro_f1"]["share_not_better"]] for k, v in sig.items()])
    r.p(f"Wall time {m['wall_time_s']} s (cross-validation {m['timings'].get('cv_s', 0)} s, final fits "
        f"{m['timings'].get('train_s')} s), peak memory {m['peak_memory_mb']} MB, ECE of the selected model {m['calibration']['ece']:.3f}.")
    r.p(f"Published reference: {m['citation']} (reports accuracy of their system on the same test topics; "
        "its figures could not be checked offline, so none is quoted here).")
    bars = {k: {"accuracy": c["test"]["accuracy"], "macro-F1": c["test"]["macro_f1"]} for k, c in m["candidates"].items()}
    bars.update({row[0]: {"accuracy": row[1], "macro-F1": row[2]} for row in rows[1:]})
    r.figure("systems", bars_figure(bars, "IBM Claim Stance (test topics)", "score"))
    r.figure("confusion", confusion_figure(m["model"], f"selected ({sel['name']}): confusion (test)"))
    r.figure("reliability", reliability_figure({"stance": m["calibration"]}))
    per = [[lab, v["precision"], v["recall"], v["f1"], v["support"]] for lab, v in m["model"]["per_label"].items()]
    r.h("Per label (selected model)")
    r.table(["label", "precision", "recall", "F1", "support"], per)
    return r
