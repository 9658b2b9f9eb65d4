"""The evaluation report: where the model sits between the floor (baselines) and the ceiling (humans)."""

from __future__ import annotations

from pathlib import Path

from .errors import confusion_pairs
from argmine.markdown import fmt

from .report import Report, bars_figure, confusion_figure, curve_figure, reliability_figure, write_json

SYSTEM_NAMES = {"model": "model (this run)", "majority": "majority baseline", "tfidf_lr": "TF-IDF + LR",
                "zero_shot": "zero-shot (definitions)"}


def comparison_rows(m: dict) -> list[list]:
    """One row per system: stance acc/macro-F1, scenario acc/macro-F1, and the human ceiling."""
    rows = []
    for key, sys in m["comparison"].items():
        name = SYSTEM_NAMES.get(key, key)
        if sys.get("status") != "ok" and "stance" not in sys:
            rows.append([name, None, None, None, None, None, sys.get("status", "")])
            continue
        rows.append([name, sys["stance"]["accuracy"], sys["stance"]["macro_f1"], sys["scenario"]["accuracy"],
                     sys["scenario"]["macro_f1"], sys["stance"]["n"], "" if sys.get("status") == "ok" else sys["status"]])
    h = m["human_agreement"]
    if h.get("available"):
        st: dict = next((f for f in h["fields"] if f["field"].startswith("stance")), {})
        sc: dict = next((f for f in h["fields"] if f["field"].startswith("scenario")), {})
        rows.append([f"human agreement ({len(h['documents'])} docs)", st.get("observed"), f"κ {fmt(st.get('kappa'))}",
                     sc.get("observed"), f"κ {fmt(sc.get('kappa'))}", st.get("n"),
                     "annotator A vs B on matched claims: raw agreement and Cohen's κ (ceiling)"])
    else:
        rows.append(["human agreement", None, None, None, None, None, h.get("reason", "not available")])
    return rows


GROUP_NAMES = {"real_test": "real-text test", "written_test": "written-corpus test"}


def group_table(m: dict) -> tuple[list[str], list[list]]:
    """Real-text test and written-corpus test side by side: macro-F1 per system, human agreement as ceiling."""
    groups = m.get("test_groups") or {}
    names = list(groups)
    header = ["system"] + [f"{GROUP_NAMES.get(g, g)} {t} macro-F1" for g in names for t in ("stance", "scenario")] + ["claims"]
    rows = []
    for key in m["comparison"]:
        if not all(key in groups[g]["systems"] for g in names):
            continue
        row = [SYSTEM_NAMES.get(key, key)] + [groups[g]["systems"][key][t]["macro_f1"] for g in names for t in ("stance", "scenario")]
        rows.append(row + [" / ".join(str(groups[g]["systems"][key]["stance"]["n"]) for g in names)])
    human = ["human agreement (macro-F1, κ)"]
    for g in names:
        h = groups[g].get("human") or {}
        human += [f"{fmt(h[t]['macro_f1'])} (κ {fmt(h[t]['kappa'])}, {len(h['documents'])} docs)" if t in h else "–" for t in ("stance", "scenario")]
    rows.append(human + [" / ".join(str((groups[g].get("human") or {}).get("stance", {}).get("n", "–")) for g in names)])
    return header, rows


def group_error_section(r: Report, name: str, grp: dict) -> None:
    """Error analysis of one test group: confusion matrices, most confident errors with text, by genre/vantage."""
    r.h(f"Errors on the {name} ({len(grp['documents'])} documents)", 3)
    model, errs = grp["systems"]["model"], grp["errors"]
    for t in ("stance", "scenario"):
        if model[t]["n"]:
            r.figure(f"confusion_{name.replace(' ', '_')}_{t}", confusion_figure(model[t], f"{name}, {t}: gold × predicted"))
            common = confusion_pairs(model[t])
            if common:
                r.p(f"{t.capitalize()}, most frequent confusions: " + "; ".join(f"{a} → {b} ({n})" for a, b, n in common) + ".")
        if errs["confident"][t]:
            r.table(["confidence", "gold", "predicted", "document", "text"],
                    [[e["confidence"], e["gold"], e["predicted"], e["doc_id"], e["text"][:220]] for e in errs["confident"][t][:10]])
    for field in ("genre", "vantage"):
        rows = [[k, v["claims"], v["stance_error_rate"], v["scenario_error_rate"], *_actor_cells(v)]
                for k, v in errs[f"by_{field}"].items()]
        if rows:
            r.table([field, "claims", "stance error rate", "scenario error rate", "actors P", "actors R",
                     "actor pairs (tp / pred / gold)"], rows)


def _actor_cells(row: dict) -> list:
    """Actor precision, recall and counts on the group's matched claims ("–" in a metrics file that predates them)."""
    a = row.get("actors")
    return [a["precision"], a["recall"], f"{a['tp']} / {a['n_pred']} / {a['n_gold']}"] if a else ["–", "–", "–"]


def build(m: dict) -> Report:
    """The whole report of one ``metrics.json``: summary, floor to ceiling, test groups, stages, calibration, …"""
    r = Report("argmine evaluation report")
    _summary(r, m)
    _floor_to_ceiling(r, m)
    if m.get("test_groups"):
        _test_groups(r, m)
    _stages(r, m["overall"])
    _calibration(r, m["calibration"])
    _learning_curve(r, m["learning_curve"])
    _confident_errors(r, m["errors"])
    _per_document(r, m)
    r.p(f"Command: `{m['command']}`")
    return r


def _summary(r: Report, m: dict) -> None:
    """Model, schema and data identity, the headline figures, warnings, and which documents were scored."""
    d = m["documents"]
    model_name = m["model"]["run"] or ", ".join(m["model"]["names"])
    r.p(f"**Model** `{model_name}` (hash {m['model_hash']}), **schema** {m['schema']['name']} {m['schema']['version']} "
        f"(hash {m['schema_hash']}), **data** hash {m['data_hash']}.")
    det = m["overall"]["detection"]["relaxed"]
    r.p(f"**In one line:** claims found with F1 {fmt(det['f1'])} (relaxed match); on held-out documents stance macro-F1 "
        f"{fmt(m['comparison']['model']['stance']['macro_f1'])} and scenario macro-F1 "
        f"{fmt(m['comparison']['model']['scenario']['macro_f1'])}; expected calibration error (stance) "
        f"{fmt(m['calibration']['stance']['ece'])}.")
    if m["model"]["placeholder"]:
        r.p("**Warning:** this run used the placeholder classifier: stance and scenario are not predictions, "
            "so their scores below are zero by construction. Run with a trained model (`argmine run --model DIR`).")
    for w in m.get("warnings", []):
        r.p(f"**Warning:** {w}")
    r.p(f"Scored {len(d['scored'])} documents present in both gold and the run; held out from baseline training: "
        f"{len(d['held_out'])}. Skipped (gold only): {', '.join(d['skipped_gold_only']) or 'none'}. "
        f"Skipped (run only, no gold): {', '.join(d['skipped_pred_only']) or 'none'}. {d['manifest_note']}")
    if not d["held_out"]:
        r.p("**Warning:** every scored document is in the manifest's train split, so there is no held-out comparison; "
            "evaluate a run over the dev/test documents.")


def _floor_to_ceiling(r: Report, m: dict) -> None:
    """Every system on the same held-out matched claims, with the human ceiling: table and bar chart."""
    r.h("Floor to ceiling (held-out documents, matched claims)")
    r.p("Every system labels the same matched claim spans of the documents outside the manifest's train split; "
        "baselines are trained on the gold claims of the train documents.")
    r.table(["system", "stance acc.", "stance macro-F1", "scenario acc.", "scenario macro-F1", "claims", "note"], comparison_rows(m))
    bars = {SYSTEM_NAMES.get(k, k): {"stance": v["stance"]["macro_f1"], "scenario": v["scenario"]["macro_f1"]}
            for k, v in m["comparison"].items() if "stance" in v}
    r.figure("comparison", bars_figure(bars, "macro-F1 on held-out documents"), "Macro-F1 of each system on the same matched claims.")


def _test_groups(r: Report, m: dict) -> None:
    """Real-text and written-corpus test documents side by side, then each group's errors."""
    r.h("Real-text test and written-corpus test, side by side")
    r.p("The same systems on the manifest's test documents only: third-party real commentary apart from the project's "
        "written commentaries (with the seed analysis). The ceiling is the agreement of two independent annotators on "
        "double-annotated documents of the same kind.")
    r.table(*group_table(m))
    for g, grp in m["test_groups"].items():
        if "errors" in grp and "model" in grp["systems"]:
            group_error_section(r, GROUP_NAMES.get(g, g), grp)


def _stages(r: Report, o: dict) -> None:
    """Detection, actors and both label tasks on all scored documents, per label and with confusions."""
    r.h("Every stage (all scored documents)")
    det = o["detection"]["relaxed"]
    rows = [["claim detection (relaxed)", det["precision"], det["recall"], det["f1"], f"{det['tp']} matched / {det['n_pred']} pred / {det['n_gold']} gold"]]
    ex = o["detection"]["exact"]
    rows.append(["claim detection (exact)", ex["precision"], ex["recall"], ex["f1"], f"{ex['tp']} exact"])
    for key, label in (("matched_claims", "actors (matched claims)"), ("end_to_end", "actors (end to end)")):
        a = o["actors"][key]
        rows.append([label, a["precision"], a["recall"], a["f1"], f"{a['tp']} / {a['n_pred']} / {a['n_gold']} claim–actor pairs"])
    r.table(["stage", "precision", "recall", "F1", "counts"], rows)
    r.table(["task (matched claims)", "n", "accuracy", "macro-F1"],
            [[t, o[t]["n"], o[t]["accuracy"], o[t]["macro_f1"]] for t in ("stance", "scenario")])
    for t in ("stance", "scenario"):
        r.h(f"{t.capitalize()} per label (all scored documents)", 3)
        r.table(["label", "precision", "recall", "F1", "support"],
                [[lab, v["precision"], v["recall"], v["f1"], v["support"]] for lab, v in o[t]["per_label"].items()])
        if o[t]["n"]:
            r.figure(f"confusion_{t}", confusion_figure(o[t], f"{t}: gold × predicted"))
            common = confusion_pairs(o[t])
            if common:
                r.p("Most frequent confusions: " + "; ".join(f"{g} → {p} ({n})" for g, p, n in common) + ".")


def _calibration(r: Report, cal: dict) -> None:
    r.h("Calibration")
    r.p(f"Expected calibration error (10 equal-width bins, top label): stance {fmt(cal['stance']['ece'])} "
        f"(n={cal['stance']['n']}), scenario {fmt(cal['scenario']['ece'])} (n={cal['scenario']['n']}). "
        "Points below the diagonal are over-confident.")
    if cal["stance"]["n"] or cal["scenario"]["n"]:
        r.figure("reliability", reliability_figure(cal))


def _learning_curve(r: Report, lc: dict) -> None:
    """TF-IDF + LR's curve (computed here) and the model's (from `argmine train --learning-curve`), if given."""
    r.h("Learning curve")
    curves = {}
    if lc.get("tfidf_lr"):
        curves["TF-IDF + LR stance"] = [(p["train_documents"], p["stance_macro_f1"]) for p in lc["tfidf_lr"]]
        curves["TF-IDF + LR scenario"] = [(p["train_documents"], p["scenario_macro_f1"]) for p in lc["tfidf_lr"]]
    if lc.get("model") and lc["model"].get("points"):
        pts = lc["model"]["points"]
        curves["model stance"] = [(p["train_documents"], p["stance_macro_f1"]) for p in pts]
        curves["model scenario"] = [(p["train_documents"], p["scenario_macro_f1"]) for p in pts]
        r.p(f"Model curve from `{lc['model'].get('command', 'argmine evaluate learning-curve')}` "
            f"(evaluated on {lc['model'].get('eval_documents', '?')} documents).")
    if curves:
        r.figure("learning_curve", curve_figure(curves, "macro-F1 against training documents", "training documents"))
    else:
        r.p("No learning curve: no train documents, or baselines disabled. For the model's curve run "
            "`argmine evaluate learning-curve` and pass its folder with `--learning-curve`.")


def _confident_errors(r: Report, errors: dict) -> None:
    r.h("Most confident errors")
    for t in ("stance", "scenario"):
        errs = errors[t]
        r.h(t.capitalize(), 3)
        if not errs:
            r.p("None (or no scored predictions).")
            continue
        r.table(["confidence", "gold", "predicted", "document", "text"],
                [[e["confidence"], e["gold"], e["predicted"], e["doc_id"], e["text"][:220]] for e in errs])


def _per_document(r: Report, m: dict) -> None:
    """Every scored document's figures, then the human agreement details when there are second annotations."""
    r.h("Per document")
    split_of = m["documents"]["split_of"]
    r.table(["document", "split", "gold", "pred", "detection F1", "exact F1", "actors F1", "stance acc.", "stance macro-F1", "scenario acc.", "scenario macro-F1"],
            [[doc, split_of.get(doc, "?"), v["n_gold"], v["n_pred"], v["detection_f1"], v["detection_exact_f1"], v["actors_f1"],
              v["stance_accuracy"], v["stance_macro_f1"], v["scenario_accuracy"], v["scenario_macro_f1"]]
             for doc, v in m["per_document"].items()])
    h = m["human_agreement"]
    if h.get("available"):
        r.h("Human agreement", 3)
        r.table(["field", "units", "Cohen's κ", "Krippendorff's α", "observed"],
                [[f["field"], f["n"], f["kappa"], f["alpha"], f["observed"]] for f in h["fields"]])
        r.p(f"Claim detection F1 between annotators: {fmt(h['detection_f1'])} on {', '.join(h['documents'])}.")


def write(m: dict, out: str | Path) -> None:
    """metrics.json, report.md, report.html and figures/ into ``out`` (each file atomically)."""
    out = Path(out)
    write_json(out / "metrics.json", m)
    build(m).render(out)
