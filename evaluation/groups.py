"""Test groups (the manifest's real texts apart from the written corpus) and their ceilings: human agreement
on the double-annotated documents, overall and per group, and each group's error analysis."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Optional, Sequence

from argmine.annotations.loader import load_gold, load_manifest
from argmine.errors import ArgmineError
from argmine.model.metrics import TASKS

from .errors import confident_errors, errors_by

log = logging.getLogger(__name__)

REAL, WRITTEN = "real_test", "written_test"


def double_path_of(gold_path: Path, double_path: Optional[Path]) -> Path:
    """The second annotator's folder: the one given, else ``double/`` beside ``gold/`` (annotations/ holds both;
    a user may also point --gold at annotations/gold itself)."""
    if double_path is not None:
        return double_path
    gold_path = Path(gold_path)
    return gold_path.parent / "double" if gold_path.name == "gold" else gold_path / "double"


def human_agreement(gold_path: Path, double_path: Optional[Path]) -> dict:
    """Inter-annotator agreement on the double-annotated documents, or why there is none yet."""
    double_path = double_path_of(gold_path, double_path)
    try:
        from argmine.annotations.agreement import agreement

        report = agreement(load_gold(gold_path), load_gold(double_path))
    except ArgmineError as e:
        return {"available": False, "reason": f"no second annotations ({e})"}
    if not report.documents:
        return {"available": False, "reason": f"{double_path}: no document is annotated by both"}
    out = {"available": True, **report.to_dict()}
    for f in report.fields:
        key = f.field.split(" ")[0]
        out[f"{key}_kappa"] = f.kappa
        out[f"{key}_alpha"] = f.alpha
    return out


def origins(manifest_path: Path) -> dict[str, str]:
    """Document → its manifest origin; empty without a readable manifest."""
    try:
        return {k: v.origin for k, v in load_manifest(manifest_path).items()}
    except ArgmineError:
        return {}


def _group_of(doc_id: str, origin_of: dict[str, str], real_origin: str) -> str:
    return REAL if origin_of.get(doc_id) == real_origin else WRITTEN


def test_groups(held_out: Sequence[str], split_of: dict[str, str], origin_of: dict[str, str],
                real_origin: str = "third-party-real") -> dict[str, list[str]]:
    """Held-out documents of the manifest's test split: real texts and the written corpus (+ seed), apart."""
    out: dict[str, list[str]] = {}
    for d in held_out:
        if split_of.get(d) == "test":
            out.setdefault(_group_of(d, origin_of, real_origin), []).append(d)
    return dict(sorted(out.items()))


def group_errors(pairs: Sequence, manifest_path: Path, n_errors: int) -> dict:
    """Error analysis of one test group: most confident errors and error rates by genre and vantage."""
    try:
        manifest = load_manifest(manifest_path)
    except ArgmineError:
        manifest = {}
    return {"confident": {t: confident_errors(pairs, t, n_errors) for t in TASKS},
            **{f"by_{field}": errors_by(pairs, {k: getattr(v, field) for k, v in manifest.items()}) for field in ("genre", "vantage")}}


def human_agreement_by(gold_path: Path, double_path: Optional[Path], origin_of: dict[str, str], real_origin: str) -> dict:
    """Agreement on the double-annotated documents of each group (real texts / written corpus): the ceilings."""
    from argmine.annotations.agreement import agreement_by

    double_path = double_path_of(gold_path, double_path)
    try:
        group_of = {d: _group_of(d, origin_of, real_origin) for d in origin_of}
        reports = agreement_by(load_gold(Path(gold_path)), load_gold(double_path), group_of, missing=WRITTEN)
    except ArgmineError as e:
        log.info("no agreement by group: %s", e)
        return {}
    return {g: {"documents": r.documents, **{f.field.split(" ")[0]: {"kappa": f.kappa, "macro_f1": f.macro_f1, "n": f.n}
                                              for f in r.fields}} for g, r in reports.items()}
