"""Selecting and ordering claims of a results table (a pandas DataFrame from ``load_view``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

import pandas as pd

from ..errors import ArgmineError

# Which probability ``min_score`` is compared with: the score of the claim's own stance or scenario
# label, or the detector's confidence that the span is a claim at all.
SCORE_FIELDS = {"scenario": "scenario_score", "stance": "stance_score", "claim": "claim_score"}


class FilterError(ArgmineError):
    """A filter or sort option names something the results table does not have."""


@dataclass
class ClaimFilter:
    """What to keep. Empty lists mean "any"; several values of one option are OR-ed, options AND-ed."""

    actors: list[str] = field(default_factory=list)
    stances: list[str] = field(default_factory=list)
    scenarios: list[str] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    claim_types: list[str] = field(default_factory=list)
    min_score: Optional[float] = None
    score_of: str = "scenario"
    grep: Optional[str] = None  # case-insensitive substring of the claim text (or section)

    def is_empty(self) -> bool:
        return not (self.actors or self.stances or self.scenarios or self.docs or self.speakers
                    or self.claim_types or self.min_score is not None or self.grep)


def _fold(values: Iterable[str]) -> set[str]:
    return {v.casefold() for v in values}


def _check_known(option: str, wanted: Sequence[str], known: set[str]) -> None:
    """An unknown label is almost always a typo: say so instead of printing an empty table."""
    if not wanted or not known:
        return
    missing = sorted(v for v in wanted if v.casefold() not in _fold(known))
    if missing:
        raise FilterError(
            f"--{option} {', '.join(missing)}: no claim in this results folder has that value; "
            f"known values: {', '.join(sorted(known))}"
        )


def apply_filter(df: pd.DataFrame, f: ClaimFilter) -> pd.DataFrame:
    """Rows of ``df`` that pass every option of ``f`` (case-insensitive label matching)."""
    if df.empty or f.is_empty():
        return df
    mask = pd.Series(True, index=df.index)
    if f.actors:
        known = {a for actors in df["actors"] for a in actors}
        _check_known("actor", f.actors, known)
        want = _fold(f.actors)
        mask &= df["actors"].map(lambda actors: any(a.casefold() in want for a in actors))
    for option, column, values in (
        ("stance", "stance", f.stances),
        ("scenario", "scenario", f.scenarios),
        ("doc", "doc_id", f.docs),
        ("speaker", "speaker", f.speakers),
        ("type", "claim_type", f.claim_types),
    ):
        if values:
            _check_known(option, values, set(df[column].dropna().astype(str)))
            want = _fold(values)
            mask &= df[column].map(lambda v, want=want: isinstance(v, str) and v.casefold() in want)
    if f.min_score is not None:
        if f.score_of not in SCORE_FIELDS:
            raise FilterError(f"--score-of {f.score_of}: choose one of {', '.join(SCORE_FIELDS)}")
        scores = pd.to_numeric(df[SCORE_FIELDS[f.score_of]], errors="coerce")
        mask &= scores.fillna(-1.0) >= f.min_score
    if f.grep:
        needle = f.grep.casefold()
        haystack = df["text"].fillna("") + "\n" + df["section"].fillna("")
        mask &= haystack.str.casefold().str.contains(needle, regex=False)
    return df[mask]


def sort_claims(df: pd.DataFrame, keys: Sequence[str] | None) -> pd.DataFrame:
    """Sort by column names; a leading ``-`` sorts that column descending. Default: document order."""
    keys = [k for k in (keys or []) if k]
    if not keys:
        keys = ["doc_id", "start"]
    columns, ascending = [], []
    for key in keys:
        desc = key.startswith("-")
        name = key.lstrip("-+")
        if name not in df.columns:
            raise FilterError(f"--sort {name}: no such column; choose from {', '.join(sortable_columns(df))}")
        columns.append(name)
        ascending.append(not desc)
    return df.sort_values(columns, ascending=ascending, kind="stable", na_position="last")


def sortable_columns(df: pd.DataFrame) -> list[str]:
    scalar = [c for c in df.columns if not df[c].map(lambda v: isinstance(v, (list, dict))).any()]
    return scalar


