"""The ArgKP-2021 benchmark's report (from its metrics.json)."""

from __future__ import annotations

from ..report import Report, bars_figure


def report(m: dict) -> Report:
    r = Report("ArgKP-2021 key-point matching benchmark (track 1)")
    d, s = m["data"], m["settings"]
    r.p(f"Fine-tuned on {d['train_pairs_used']} labelled train pairs ({d['train_arguments']} arguments), early-stopped on dev "
        f"({d['dev_arguments']} arguments), scored on test ({d['test_arguments']} arguments, {d['test_key_points']} key points). "
        f"Model: {s['base_model']}, {s['epochs']} epochs max (best {s['best_epoch']}), max_length {s['max_length']}, "
        f"batch {s['batch_size']}, lr {s['learning_rate']}, seed {s['seed']}.")
    rows = [["fine-tuned matcher (scaled cosine)", m["map_strict"], m["map_relaxed"]],
            ["zero-shot matcher (same encoder, untrained)", m["baselines"]["zero_shot"]["map_strict"], m["baselines"]["zero_shot"]["map_relaxed"]],
            ["TF-IDF cosine", m["baselines"]["tfidf_cosine"]["map_strict"], m["baselines"]["tfidf_cosine"]["map_relaxed"]]]
    r.h("Test set")
    r.table(["system", "mAP strict", "mAP relaxed"], rows)
    r.p("Track-1 mAP: each argument's top key point; the top 50 % of those pairs per topic × stance; AP with undecided "
        "pairs as non-matches (strict) or matches (relaxed); mean over topic × stance.")
    r.p(f"Wall time {m['wall_time_s']} s (train {m['timings'].get('train_s')} s), peak memory {m['peak_memory_mb']} MB.")
    r.p(f"Task: {m['citation']}")
    if m.get("published"):
        r.h("Published systems (test set, as their papers state)")
        r.table(["system", "mAP strict", "mAP relaxed", "note"],
                [[p["system"], p["map_strict"], p["map_relaxed"] if p["map_relaxed"] is not None else "–", p["note"]] for p in m["published"]])
    r.figure("systems", bars_figure({row[0]: {"mAP strict": row[1], "mAP relaxed": row[2]} for row in rows}, "ArgKP-2021 test", "mAP"))
    r.h("Per topic × stance (model)")
    r.table(["topic | stance", "arguments", "kept", "AP strict", "AP relaxed"],
            [[k, g["arguments"], g["kept"], g["ap_strict"], g["ap_relaxed"]] for k, g in m["model"]["groups"].items()])
    return r
