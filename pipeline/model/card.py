"""The model card (README.md of a model folder) and the score tables shared with the CLI report."""

from __future__ import annotations

import math

from ..markdown import markdown_table
from ..schema import LabelSchema
from .config import TrainConfig

SYSTEMS = ("fine-tuned", "setfit", "tfidf-lr", "majority", "zero-shot")
# metrics["eval"] keys in report order, with their titles (card and CLI share them).
EVAL_TITLES = (("test_real", "Real-text test (third-party commentary)"),
               ("test_written", "Written-corpus test (project commentaries + seed analysis)"),
               ("test", "Test split, all documents"), ("seed_analysis", "Seed analysis alone"),
               ("dev", "Dev split (used for early stopping: optimistic)"))


def _f(x) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3f}"


def score_rows(scores: dict) -> list[list[str]]:
    """[[system, stance macro-F1, stance acc, scenario macro-F1, scenario acc, n]] for one evaluation."""
    rows = []
    for system in SYSTEMS:
        if system not in scores:
            continue
        s = scores[system]
        rows.append([system, _f(s["stance"]["macro_f1"]), _f(s["stance"]["accuracy"]),
                     _f(s["scenario"]["macro_f1"]), _f(s["scenario"]["accuracy"]), str(s["stance"]["n"])])
    return rows


def cv_rows(summary: dict) -> list[list[str]]:
    rows = []
    for system in SYSTEMS:
        if system not in summary:
            continue
        s = summary[system]
        rows.append([system] + [f"{_f(s[t][m][0])} ± {_f(s[t][m][1])}" for t in ("stance", "scenario") for m in ("macro_f1", "accuracy")])
    return rows


def _system_section(metrics: dict) -> list[str]:
    """Which system `argmine run --model <this folder>` uses, and why (the dev figures)."""
    system = metrics.get("system", "fine-tuned")
    why = metrics.get("verdict", {}).get("why", "no dev split, so no comparison was made")
    if system == "fine-tuned":
        return ["## System used", f"The fine-tuned model: {why}.", ""]
    return ["## System used",
            f"**{system}**, not the fine-tuned model: {why}. The fine-tuned weights are in the folder too; "
            "the training section below describes them.", ""]


def render_card(name: str, weights_hash: str, config: TrainConfig, schema: LabelSchema, metrics: dict) -> str:
    split = metrics.get("split", {})
    n = metrics.get("n_claims", {})
    parts = [
        f"# argmine model `{name}` ({weights_hash})",
        "",
        f"Fine-tuned `{config.base_model}` for topic-conditioned stance and scenario linking of claims in political "
        f"commentary. Schema `{schema.name}` {schema.version} (hash `{schema.hash}`), topic: *{schema.topic}*.",
        "",
        *_system_section(metrics),
        "## Data and splits",
        f"Gold annotations (argmine-annotation/1), split by document ({split.get('source', '?')}): "
        f"train {len(split.get('train', []))} docs / {n.get('train', '?')} claims, dev {len(split.get('dev', []))} docs / "
        f"{n.get('dev', '?')} claims, test {len(split.get('test', []))} docs / {n.get('test', '?')} claims.",
        f"Test documents: {', '.join(split.get('test', [])) or 'none'}. Dev documents: {', '.join(split.get('dev', [])) or 'none'}.",
        "",
        "## Training",
        f"Input: ({_first_segment(config)}, claim{' || previous claim' if config.context_previous else ''}), "
        f"max_length {config.max_length}. Stance: linear head on the mean-pooled encoding. Scenario: scaled cosine between the "
        "claim and each scenario definition (same encoder) plus a linear head. Loss: class-weighted cross-entropy (train split "
        f"weights), AdamW lr {config.learning_rate}, batch {config.batch_size}, up to {config.epochs} epochs, early stopping on "
        f"dev macro-F1 (best epoch {metrics.get('best_epoch')}), seed {config.seed}, {metrics.get('train_seconds')} s on CPU. "
        "Probabilities are temperature-scaled on dev: " + ", ".join(
            f"{t}: T={c['temperature']:.2f} (dev ECE {c['dev_ece_before']:.3f} → {c['dev_ece_after']:.3f})" for t, c in metrics.get("calibration", {}).items()) + "."
        + (f" Averaged with a logistic-regression probe (C={config.probe_c}) on the frozen `{config.base_model}`." if config.probe_ensemble else "")
        + (" Stance and scenario are decoded as one pair the schema allows." if config.joint_decoding else ""),
        "",
        "## Scores (macro-F1 / accuracy; documents not trained on)",
        "Baselines are fitted on train + dev (on train only for the dev rows); zero-shot uses the base encoder with no training.",
    ]
    header = ["system", "stance F1", "stance acc", "scenario F1", "scenario acc", "claims"]
    for key, title in EVAL_TITLES:
        if key in metrics.get("eval", {}):
            parts += ["", f"### {title}", markdown_table(header, score_rows(metrics["eval"][key]))]
    if "verdict" in metrics:
        parts += ["", f"**Verdict on dev:** {metrics['verdict']['why']}."]
    if "setfit_seconds" in metrics:
        parts += ["", f"SetFit (contrastively tuned `{config.base_model}` + logistic-regression heads, fitted on train): "
                  f"{metrics['setfit_seconds']} s on CPU."]
    if "cv" in metrics:
        cv = metrics["cv"]
        parts += ["", f"### {cv['k']}-fold cross-validation grouped by document (mean ± std)",
                  markdown_table(["system", "stance F1", "stance acc", "scenario F1", "scenario acc"], cv_rows(cv["summary"]))]
    parts += [
        "",
        "## Intended use",
        "Ranking and aggregating claims of analytical commentaries on the schema's topic for research and policy "
        "analysis; every label carries calibrated probabilities for review. Not for judging individual authors.",
        "",
        "## Limits",
        "- Small corpus (a few dozen English documents, one annotator per document): scores have wide confidence "
        "intervals; see the ± of cross-validation.",
        "- Trained on one topic; another topic needs its own schema and annotations (or the zero-shot mode).",
        f"- Minority labels among the scenarios ({', '.join(schema.scenario_labels)}) have few examples; their F1 is unstable.",
        "- English only; claims longer than max_length tokens are truncated.",
    ]
    return "\n".join(parts) + "\n"


def _first_segment(config) -> str:
    """The first segment of the input pair, as the model card names it ("topic | section heading", …)."""
    parts = [name for name, on in (("topic", config.context_topic), ("section heading", config.context_section)) if on]
    return " | ".join(parts) or "empty"
