"""ArgKP-2021 arguments as auxiliary stance rows for the IBM Claim Stance model.

ArgKP's arguments carry a stance (+1/-1) toward a debate motion. Framed as (target, sentiment)
(``topic_frames.frame``), each becomes a row of the IBM "target" formulation: (motion target,
argument, stance toward the target). Motions that ``frame`` cannot read are skipped, and so is every
motion sharing a content word with a topic to be scored (``topic_frames.overlapping``), so the
auxiliary data never covers an evaluation topic.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from argmine.errors import InputError

from . import DEFAULT_ROOT
from .topic_frames import frame, overlapping

log = logging.getLogger(__name__)

ARGKP_SPLITS = ("train", "dev")  # ArgKP's own test split stays out: it is ArgKP's benchmark


@dataclass
class AuxReport:
    """Which motions were used, and why the others were not."""

    kept: dict[str, int] = field(default_factory=dict)  # motion → rows
    overlap: dict[str, list[str]] = field(default_factory=dict)  # motion → evaluation topics it overlaps
    unframed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"kept_motions": self.kept, "rows": sum(self.kept.values()), "dropped_overlap": self.overlap,
                "dropped_unframed": self.unframed}


def argkp_stance_rows(folder: str | Path | None, exclude_topics: Iterable[str], row_type,
                      splits: Sequence[str] = ARGKP_SPLITS) -> tuple[list, AuxReport]:
    """ArgKP arguments as ``row_type(split, topic, text, label, target, topic_sentiment)`` rows.

    ``exclude_topics``: texts (topics and their targets) no auxiliary motion may overlap.
    """
    folder = Path(folder) if folder else DEFAULT_ROOT / "ibm_argkp_2021"
    exclude = list(exclude_topics)
    rows, report, seen = [], AuxReport(), {}
    for split in splits:
        path = folder / f"arguments_{split}.csv"
        if not path.is_file():
            raise InputError(path, "ArgKP arguments file not found", "pass --aux-data pointing at the ArgKP-2021 folder, or drop --aux argkp")
        with open(path, encoding="utf-8", newline="") as fh:
            for n, r in enumerate(csv.DictReader(fh), 2):
                motion = (r.get("topic") or "").strip()
                if motion not in seen:
                    f = frame(motion)
                    ov = overlapping(motion, exclude) if f else []
                    seen[motion] = f if f and not ov else None
                    if not f:
                        report.unframed.append(motion)
                    elif ov:
                        report.overlap[motion] = ov[:3]
                f = seen[motion]
                if f is None:
                    continue
                try:
                    stance = int(float(r["stance"]))
                except (KeyError, ValueError):
                    raise InputError(f"{path}:{n}", f"stance {r.get('stance')!r} is not 1 or -1", "use the ArgKP-2021 files as released") from None
                label = "PRO" if stance > 0 else "CON"
                rows.append(row_type("aux", motion, r["argument"].strip(), label, f.target, f.sentiment))
                report.kept[motion] = report.kept.get(motion, 0) + 1
    log.info("ArgKP auxiliary rows: %d from %d motions (%d dropped for overlap, %d unframed)",
             len(rows), len(report.kept), len(report.overlap), len(report.unframed))
    return rows, report
