"""`argmine evaluate`: score a results folder against gold, compare with baselines and humans, write the report.

The comparison that matters is on documents the model and the baselines did not train on: the
manifest's ``train`` documents are where the baselines learn, every other scored document is held
out, and the side-by-side table is computed there on the same matched claims for every system.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
from collections import defaultdict
from pathlib import Path
from typing import Sequence

from argmine.annotations.loader import annotation_files, load_gold, load_manifest
from argmine.errors import ArgmineError, OutputError
from argmine.model.metrics import TASKS
from argmine.schema import LabelSchema
from argmine.writers import read_claims

from .calibration import calibration_of
from .errors import confident_errors
from .groups import group_errors, human_agreement, human_agreement_by, origins, test_groups
from .metrics import label_metrics, score_run

log = logging.getLogger(__name__)


def sha256_files(paths: Sequence[Path]) -> str:
    """One hash over the names and bytes of ``paths`` (sorted), to pin exactly what was scored."""
    h = hashlib.sha256()
    for p in sorted(Path(x) for x in paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _run_info(pred: Path) -> dict:
    path = pred / "run.json"
    if path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            log.warning("%s: not valid JSON; model and schema identity taken from the claims", path)
    return {}


def _blank(claim):
    return claim.model_copy(update={"stance": None, "scenario": None, "stance_scores": {}, "scenario_scores": {}, "model": None})


def system_pairs(classifier, pairs: Sequence) -> list:
    """(gold, prediction of ``classifier`` on a label-free copy of the predicted span) for each matched pair."""
    copies = [_blank(p) for _, p in pairs]
    pred = classifier.predict(copies, [c.section for c in copies]) if copies else []
    return [(g, c) for (g, _), c in zip(pairs, pred)]


def _scores(pairs, schema: LabelSchema) -> dict:
    return {"stance": label_metrics(pairs, "stance", schema.stance_labels),
            "scenario": label_metrics(pairs, "scenario", schema.scenario_labels)}


def tfidf_learning_curve(train_claims: Sequence, eval_pairs: Sequence, schema: LabelSchema, seed: int = 13) -> list[dict]:
    """Macro-F1 of TF-IDF + LR against the number of training documents (1, 2, 4, … all), seeded order."""
    from argmine.errors import ModelError
    from argmine.model.baselines import fit_tfidf_lr

    docs = sorted({c.doc_id for c in train_claims})
    random.Random(seed).shuffle(docs)
    sizes = sorted({min(len(docs), 2 ** k) for k in range(0, 12) if 2 ** k < len(docs)} | {len(docs)})
    out = []
    for n in sizes:
        keep = set(docs[:n])
        sub = [c for c in train_claims if c.doc_id in keep]
        try:
            clf = fit_tfidf_lr(sub, schema, seed=seed)
        except ModelError:
            continue
        s = _scores(system_pairs(clf, eval_pairs), schema)
        out.append({"train_documents": n, "train_claims": len(sub),
                    "stance_macro_f1": s["stance"]["macro_f1"], "scenario_macro_f1": s["scenario"]["macro_f1"]})
    return out


def _scored_run(gold: Path, pred: Path, schema: LabelSchema) -> tuple[dict[str, list], list, dict]:
    """Gold claims by document, the run's claims, and :func:`score_run` of one against the other.

    Labels outside the schema, on either side, are errors (they would score as silent zeros); so is a run
    that shares no document with the gold.
    """
    from argmine.annotations.loader import check_gold_labels
    from argmine.model.data import gold_claims

    gold_docs = load_gold(gold)
    check_gold_labels(gold_docs, schema)
    gold_by: dict[str, list] = {d.doc_id: gold_claims([d]) for d in gold_docs}
    pred_claims = read_claims(pred)
    for field in ("stance", "scenario"):
        schema.check_labels(field, (getattr(c, field) for c in pred_claims), where=str(pred))
    pred_by: dict[str, list] = defaultdict(list)
    for c in pred_claims:
        pred_by[c.doc_id].append(c)
    # A document the run processed but found no claims in still counts as scored (all misses).
    if (pred / "documents.jsonl").is_file():
        from argmine.writers import read_documents

        for d in read_documents(pred):
            pred_by.setdefault(d.doc_id, [])
    result = score_run(gold_by, dict(pred_by), schema.stance_labels, schema.scenario_labels)
    if not result["scored_documents"]:
        raise OutputError(f"{pred}: no document is in both the run and the gold under {gold}; "
                          f"run `argmine run` on the annotated texts (gold documents: {', '.join(sorted(gold_by)[:5])}…)")
    return gold_by, pred_claims, result


def _splits(manifest_path: Path) -> tuple[dict[str, str], str]:
    """Document → its manifest split (lower case), or nothing and a note saying why every document is held out."""
    try:
        return {k: (v.split or "").strip().lower() for k, v in load_manifest(manifest_path).items()}, ""
    except ArgmineError as e:
        return {}, f"no manifest ({e}); every scored document is treated as held out"


def _systems(held_pairs: list, train_claims: list, schema: LabelSchema, placeholder: bool, baselines: bool,
             zero_shot: bool) -> tuple[dict[str, list], dict[str, str], list[dict]]:
    """Each system's (gold, prediction) pairs on the held-out matched claims, its status, and TF-IDF's learning curve."""
    sys_pairs: dict[str, list] = {"model": held_pairs}
    status: dict[str, str] = {"model": "ok" if not placeholder else "placeholder: the run carries no stance/scenario predictions"}
    lc_tfidf: list[dict] = []
    if baselines:
        from argmine.model.baselines import fit_majority, fit_tfidf_lr

        for name, fit in (("majority", fit_majority), ("tfidf_lr", fit_tfidf_lr)):
            try:
                if not train_claims:
                    raise ArgmineError("no gold documents in the manifest's train split")
                sys_pairs[name], status[name] = system_pairs(fit(train_claims, schema), held_pairs), "ok"
            except ArgmineError as e:
                status[name] = f"unavailable: {e}"
        if train_claims and held_pairs:
            lc_tfidf = tfidf_learning_curve(train_claims, held_pairs, schema)
    if zero_shot:
        try:
            from argmine.model.zeroshot import ZeroShotClassifier

            sys_pairs["zero_shot"], status["zero_shot"] = system_pairs(ZeroShotClassifier(schema), held_pairs), "ok"
        except ArgmineError as e:
            status["zero_shot"] = f"unavailable: {e}"
    return sys_pairs, status, lc_tfidf


def _model_hash(models: list[str], run_model: object) -> str:
    """The run's model identity (run.json), else the model names on its claims, hashed."""
    return hashlib.sha256(("|".join(models) if not run_model else str(run_model)).encode()).hexdigest()[:16]


def _model_curve(learning_curve: str | Path | None) -> dict | None:
    """The model's learning curve from `argmine train --learning-curve` (its folder or JSON file), if given."""
    if not learning_curve:
        return None
    path = Path(learning_curve)
    return json.loads((path / "learning_curve.json" if path.is_dir() else path).read_text(encoding="utf-8"))


def evaluate(gold: str | Path, pred: str | Path, schema_path: str | Path | None = None, manifest: str | Path | None = None,
             double: str | Path | None = None, learning_curve: str | Path | None = None, zero_shot: bool = True,
             baselines: bool = True, command: str = "", n_errors: int = 15, real_origin: str = "third-party-real") -> dict:
    """Everything ``metrics.json`` holds (pairs kept under ``_`` keys for the report, not serialised)."""
    from argmine.project import resolve_schema

    gold, pred = Path(gold), Path(pred)
    schema = resolve_schema(schema_path)  # the option, else argmine.toml's, else the packaged default
    gold_by, pred_claims, result = _scored_run(gold, pred, schema)
    info = _run_info(pred)
    models = sorted({c.model or "?" for c in pred_claims})
    placeholder = all(c.stance is None and c.scenario is None for c in pred_claims)
    manifest_path = Path(manifest) if manifest else Path("corpus/manifest.csv")
    split_of, manifest_note = _splits(manifest_path)
    train_ids = sorted(d for d in gold_by if split_of.get(d) == "train")
    held_out = [d for d in result["scored_documents"] if d not in set(train_ids)]
    held = set(held_out)
    held_pairs = [(g, p) for g, p in result.pop("_pairs") if g.doc_id in held]
    train_claims = [c for d in train_ids for c in gold_by[d]]
    sys_pairs, status, lc_tfidf = _systems(held_pairs, train_claims, schema, placeholder, baselines, zero_shot)
    origin_of = origins(manifest_path)
    groups = test_groups(held_out, split_of, origin_of, real_origin)
    double_path = Path(double) if double else None
    human_by = human_agreement_by(gold, double_path, origin_of, real_origin)
    metrics = {
        "gold": str(gold),
        "pred": str(pred),
        "command": command,
        "model": {"names": models, "run": info.get("model"), "placeholder": placeholder},
        "model_hash": _model_hash(models, info.get("model")),
        "schema": {"name": schema.name, "version": schema.version, "hash": schema.hash,
                   "run_hash": (info.get("schema") or {}).get("hash")},
        "schema_hash": schema.hash,
        "data_hash": sha256_files([*annotation_files(gold), pred / "claims.jsonl"]),
        "documents": {
            "scored": result["scored_documents"],
            "skipped_gold_only": result["skipped"]["gold_only"],
            "skipped_pred_only": result["skipped"]["pred_only"],
            "train_split": train_ids,
            "held_out": held_out,
            "manifest_note": manifest_note,
            "split_of": {d: split_of.get(d, "?") for d in result["scored_documents"]},
        },
        "overall": result["overall"],
        "per_document": result["per_document"],
        "comparison": {k: {"status": v, **(_scores(sys_pairs[k], schema) if k in sys_pairs else {})} for k, v in status.items()},
        "test_groups": {g: {"documents": docs,
                            "systems": {k: _scores([p for p in ps if p[0].doc_id in set(docs)], schema) for k, ps in sys_pairs.items()},
                            "human": human_by.get(g),
                            "errors": group_errors([p for p in held_pairs if p[0].doc_id in set(docs)], manifest_path, n_errors)}
                        for g, docs in groups.items()},
        "human_agreement": human_agreement(gold, double_path),
        "calibration": {t: calibration_of(held_pairs, t) for t in TASKS},
        "errors": {t: confident_errors(held_pairs, t, n_errors) for t in TASKS},
        "learning_curve": {"tfidf_lr": lc_tfidf, "model": _model_curve(learning_curve)},
        "_held_pairs": held_pairs,
    }
    if metrics["schema"]["run_hash"] and metrics["schema"]["run_hash"] != schema.hash:
        metrics["warnings"] = [f"the run used schema hash {metrics['schema']['run_hash']}, the evaluation {schema.hash}"]
    return metrics
