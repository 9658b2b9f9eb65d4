"""The printed part of ``bench_run.py``: the README's Markdown table and the issue's ratios and checks."""

from __future__ import annotations

import json

STAGES = ("read", "spacy", "classify", "write")


def report(r: dict) -> None:
    """Print the run table, then the classifier, precision, Ray, resume and memory figures."""
    floor = r.get("parse_floor", {})
    fw, fc = floor.get("seconds", float("nan")), floor.get("cpu", float("nan"))
    print(f"\n{r['docs']} documents, {r['cores']} cores; plain en_core_web_sm nlp.pipe: {fw:.1f} s wall, {fc:.1f} s CPU "
          f"(load {floor.get('load')})\n")
    print("| run | wall s | CPU s | docs/s | claims/s | read | spaCy+components | classify | write | peak RSS MB "
          "| ÷ slowest stage | ÷ parse (wall) | ÷ parse (CPU) | load |")
    print("|---|" + "---|" * 13)
    for name, x in ((k.split(":", 1)[1], v) for k, v in r.items() if k.startswith("run:")):
        sec = x.get("seconds", {})
        cpu = [sec.get(f"{k}_cpu", 0.0) for k in STAGES]
        # The stages run in parallel across workers: the bound is the slowest stage's CPU time over the cores used.
        slowest = max(cpu) / max(1, min(r["cores"], _workers(x))) or float("nan")
        print(f"| {name} | {x['wall']:.1f} | {x['cpu']:.1f} | {r['docs'] / x['wall']:.2f} | {x.get('claims', 0) / x['wall']:.1f} | "
              + " | ".join(f"{v:.1f}" for v in cpu)
              + f" | {x['rss_mb']:.0f} | {x['wall'] / slowest:.2f} | {x['wall'] / fw:.2f} | {x['cpu'] / fc:.2f} | {x['load']} |")
    print("(stage columns: CPU seconds, summed over workers)")
    if "components" in r:
        print(f"\nspaCy components, CPU s: {json.dumps(r['components'])}")
    _classifier(r)
    for key in [k for k in r if k in ("f1", "onnx", "resume", "ray_identical_claims") or k.startswith("rss:")]:
        print(f"{key}: {json.dumps(r[key], default=str)}")
    sizes = sorted(int(k.split(":")[1]) for k in r if k.startswith("rss:"))
    if len(sizes) == 2:
        a, b = (r[f"rss:{n}"]["rss_mb"] for n in sizes)
        print(f"peak RSS {sizes[1]} docs ÷ {sizes[0]} docs: {b / a:.2f} ({b:.0f} MB vs {a:.0f} MB)")


def _workers(x: dict) -> int:
    return int(x.get("workers") or 1)


def _classifier(r: dict) -> None:
    """Each classify-stage measurement, and its ratio to the naive per-claim pipeline (claim text; model input)."""
    naive = {k: r[k] for k in ("naive_pipeline", "naive_pipeline_pairs") if r.get(k)}
    for key, what in (("classifier", "one process, torch's default threads"), ("classifier_workers", "N workers × 1 thread, as `argmine run`")):
        for precision, c in r.get(key, {}).items():
            ratios = ", ".join(f"{c['claims_per_s'] / n['claims_per_s']:.1f}× {k}" for k, n in naive.items())
            print(f"classifier stage ({what}{', ' + str(c['workers']) + ' workers' if 'workers' in c else ''}) {precision}: "
                  f"{c['claims_per_s']:.0f} claims/s ({c['claims_per_cpu_s']:.0f}/CPU s, load {c['load']}); {ratios}")
    for k, n in naive.items():
        print(f"{k} (one claim per call): {n['claims_per_s']:.0f} claims/s ({n['claims_per_cpu_s']:.0f}/CPU s, load {n['load']})")
