"""Add the real third-party texts (../shared/corpus/real) to corpus/manifest.csv with a train/dev/test split.

The split is decided from sources.tsv alone (outlet, genre), before any label is read: documents are
grouped by outlet (no outlet on both sides of a split) and stratified by genre with a fixed seed, using
scikit-learn's StratifiedGroupKFold with 6 folds: folds 0-1 are test (~20 texts), fold 2 is dev, the
rest train. Run once; rerunning rewrites the same rows.

    python scripts/make_real_split.py [--real ../shared/corpus/real] [--manifest corpus/manifest.csv]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
from pathlib import Path

from sklearn.model_selection import StratifiedGroupKFold

ORIGIN = "third-party-real"
SEED = 20261130


def outlet_key(doc_id: str) -> str:
    """The outlet part of a real text's id (``caliber_2022-04-14_x`` → ``caliber``)."""
    return doc_id.split("_", 1)[0]


def split_rows(rows: list[dict[str, str]]) -> dict[str, str]:
    """doc_id → split, grouped by outlet and stratified by genre."""
    genres = [r["genre"] for r in rows]
    groups = [outlet_key(r["doc_id"]) for r in rows]
    folds = StratifiedGroupKFold(n_splits=6, shuffle=True, random_state=SEED)
    split: dict[str, str] = {}
    for k, (_, idx) in enumerate(folds.split(rows, genres, groups)):
        name = "test" if k < 2 else "dev" if k == 2 else "train"
        for i in idx:
            split[rows[i]["doc_id"]] = name
    return split


def manifest_row(r: dict[str, str], real: Path, split: str, rel: str) -> dict[str, str]:
    text = open(real / f"{r['doc_id']}.txt", encoding="utf-8").read()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return {
        "doc_id": r["doc_id"],
        "path": f"{rel}/{r['doc_id']}.txt",
        "title": "",
        "genre": r["genre"],
        "vantage": r["vantage"],
        "date": r["date"],
        "language": "en",
        "origin": ORIGIN,
        "source": f"{r['outlet']}; {r['author']}; {r['url']} (sha256 {digest[:16]}; read from ../shared, not redistributed)",
        "license": r["licence"],
        "split": split,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--real", default="../shared/corpus/real")
    ap.add_argument("--manifest", default="corpus/manifest.csv")
    args = ap.parse_args()
    real = Path(args.real)
    rows = list(csv.DictReader(open(real / "sources.tsv", encoding="utf-8"), delimiter="\t"))
    split = split_rows(rows)
    with open(args.manifest, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        kept = [m for m in reader if m["origin"] != ORIGIN]
    new = [manifest_row(r, real, split[r["doc_id"]], args.real.rstrip("/")) for r in rows]
    with open(args.manifest, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(kept + new)
    for name in ("train", "dev", "test"):
        ids = sorted(d for d, s in split.items() if s == name)
        print(f"{name}: {len(ids)} texts")


if __name__ == "__main__":
    main()
