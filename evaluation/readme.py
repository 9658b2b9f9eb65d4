"""The README's evaluation section, generated from metrics.json files (never typed by hand)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional, Sequence

from argmine.annotations.stats import replace_block
from argmine.errors import OutputError
from argmine.markdown import fmt, markdown_table

from .evaluate_report import comparison_rows, group_table

BLOCK = "eval"


def _load(folder: Path) -> dict:
    path = Path(folder) / "metrics.json"
    if not path.is_file():
        raise OutputError(f"{path}: not found; write it with `argmine evaluate` or `argmine benchmark` first")
    return json.loads(path.read_text(encoding="utf-8"))


def _published_argkp(b: dict) -> str:
    """Published track-1 figures beside ours (from metrics.json; older files: the benchmark's constant)."""
    from .benchmarks.argkp import PUBLISHED

    parts = []
    for p in b.get("published") or PUBLISHED:
        relaxed = f" / {fmt(p['map_relaxed'])}" if p.get("map_relaxed") is not None else " strict"
        parts.append(f"{fmt(p['map_strict'])}{relaxed}: {p['system']}")
    return "; ".join(parts) + " (task: Friedman et al., ArgMining 2021)"


def curve_table(points: Sequence[dict]) -> tuple[list[str], list[list]]:
    """Learning-curve rows: all test documents, then real-text and written-corpus test apart when scored."""
    groups = [g for g in ("test_real", "test_written") if all(g in p.get("groups", {}) for p in points)]
    header = ["train documents", "train claims", "stance macro-F1", "scenario macro-F1", "TF-IDF+LR stance", "TF-IDF+LR scenario"]
    header += [f"{g.removeprefix('test_')}: {s} {t}" for g in groups for s in ("model", "TF-IDF+LR") for t in ("stance", "scenario")]
    rows = []
    for p in points:
        row = [str(p["train_documents"]), str(p["train_claims"]), p["stance_macro_f1"], p["scenario_macro_f1"],
               p["tfidf_lr_stance_macro_f1"], p["tfidf_lr_scenario_macro_f1"]]
        rows.append(row + [p["groups"][g][f"{s}_{t}_macro_f1"] for g in groups for s in ("model", "tfidf_lr") for t in ("stance", "scenario")])
    return header, rows


def evaluation_section(report: Optional[Path], benchmarks: Sequence[Path] = ()) -> str:
    """Markdown for the block: the floor-to-ceiling table of a report folder, then benchmark tables."""
    lines: list[str] = []
    if report:
        m = _load(report)
        det = m["overall"]["detection"]
        act = m["overall"]["actors"]["matched_claims"]
        lines.append(f"Scored {len(m['documents']['scored'])} annotated documents ({len(m['documents']['held_out'])} outside the "
                     f"train split); model `{m['model']['run'] or ', '.join(m['model']['names'])}`, schema hash {m['schema_hash']}, "
                     f"data hash {m['data_hash']}.")
        lines.append("")
        lines.append(markdown_table(["stage", "precision", "recall", "F1"],
                        [["claim detection (relaxed match)", det["relaxed"]["precision"], det["relaxed"]["recall"], det["relaxed"]["f1"]],
                         ["claim detection (exact match)", det["exact"]["precision"], det["exact"]["recall"], det["exact"]["f1"]],
                         ["actors (matched claims)", act["precision"], act["recall"], act["f1"]]]))
        lines.append("")
        lines.append("Stance and scenario on matched claims of held-out documents, floor to ceiling:")
        lines.append("")
        rows = [r[:6] for r in comparison_rows(m)]
        lines.append(markdown_table(["system", "stance acc.", "stance macro-F1", "scenario acc.", "scenario macro-F1", "claims"], rows))
        if m.get("test_groups"):
            lines += ["", "Real-text test and written-corpus test side by side (test split only, macro-F1; ceiling: two independent annotators):", ""]
            lines.append(markdown_table(*group_table(m)))
        lc = (m.get("learning_curve") or {}).get("model")
        if lc and lc.get("points"):
            lines.append("")
            lines.append(f"Learning curve (fine-tuned model, scored on the {lc['eval_claims']} gold claims of the "
                         f"{lc['eval_documents']} test documents; `{lc.get('command') or 'argmine train --learning-curve'}`):")
            lines.append("")
            lines.append(markdown_table(*curve_table(lc["points"])))
        cal = m["calibration"]
        lines.append("")
        lines.append(f"Expected calibration error: stance {fmt(cal['stance']['ece'])}, scenario {fmt(cal['scenario']['ece'])}. "
                     f"Full report: `{Path(report) / 'report.html'}`.")
    bench_rows = []
    for folder in benchmarks:
        b = _load(folder)
        if b.get("benchmark") == "ibm-claim-stance":
            # The stronger TF-IDF variant is the bar to clear.
            key, lr = max(((k, v) for k, v in b["baselines"].items() if k.startswith("tfidf")), key=lambda kv: kv[1]["accuracy"])
            sig = (b.get("significance") or {}).get(key)
            margin = (f"; accuracy +{fmt(sig['accuracy']['difference'])}, 95 % CI [{fmt(sig['accuracy']['ci95'][0])}, "
                      f"{fmt(sig['accuracy']['ci95'][1])}] by test-topic bootstrap") if sig else ""
            bench_rows.append(["IBM Claim Stance (test topics)", "accuracy / macro-F1",
                               f"{fmt(b['accuracy'])} / {fmt(b['macro_f1'])} ({b['selected']['name']})",
                               f"{fmt(lr['accuracy'])} / {fmt(lr['macro_f1'])} (best TF-IDF+LR{margin})",
                               f"{b['wall_time_s']:.0f} s, {b['peak_memory_mb']:.0f} MB",
                               "Bar-Haim et al. (EACL 2017); figures not checkable offline, not quoted"])
        elif b.get("benchmark") == "argkp-2021":
            bench_rows.append(["ArgKP-2021 track 1 (test)", "mAP strict / relaxed",
                               f"{fmt(b['map_strict'])} / {fmt(b['map_relaxed'])}",
                               f"{fmt(b['baselines']['zero_shot']['map_strict'])} / {fmt(b['baselines']['zero_shot']['map_relaxed'])} (zero-shot)",
                               f"{b['wall_time_s']:.0f} s, {b['peak_memory_mb']:.0f} MB", _published_argkp(b)])
    if bench_rows:
        if lines:
            lines.append("")
        lines.append("External benchmarks (CPU, settings in each metrics.json):")
        lines.append("")
        lines.append(markdown_table(["benchmark", "metric", "argmine", "baseline", "cost", "published"], bench_rows))
    return "\n".join(lines) + "\n"


def update_readme(readme: Path, report: Optional[Path], benchmarks: Sequence[Path] = ()) -> str:
    """Replace the ``<!-- eval:start -->`` … ``<!-- eval:end -->`` block of ``readme``; returns the new block."""
    readme = Path(readme)
    if not readme.is_file():
        raise OutputError(f"{readme}: not found; pass --readme with the file that holds the <!-- {BLOCK}:start --> marker")
    content = evaluation_section(report, benchmarks)
    try:
        replace_block(readme, BLOCK, content)
    except ValueError as e:
        raise OutputError(str(e)) from e
    return content
