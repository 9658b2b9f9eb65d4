"""Time slicing of a claims table: each claim's date, date filters and periods (month/quarter/year).

A claim's date is its own ``date`` column when the results carry one, else its document's date
(documents.jsonl date line, or the metadata/manifest ``date``). Claims without a date stay in an
"(undated)" period and are left out by ``--since/--until``.
"""

from __future__ import annotations

from typing import Optional, Sequence

import pandas as pd

from ..errors import OutputError
from .metadata import iso_date

PERIODS = ("month", "quarter", "year")
UNDATED = "(undated)"


def claim_dates(claims: pd.DataFrame, docs: pd.DataFrame) -> pd.Series:
    """ISO date ('' when unknown) per claim: the claim's ``date`` column first, then its document's."""
    doc_dates = claims["doc_id"].map(docs["date"] if "date" in docs.columns else {}).fillna("")
    if "date" not in claims.columns:
        return doc_dates.astype(str)
    own = claims["date"].map(iso_date)
    return own.where(own != "", doc_dates).astype(str)


def with_dates(claims: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``claims`` whose ``date`` column holds each claim's ISO date ('' when unknown)."""
    out = claims.copy()
    out["date"] = claim_dates(claims, docs)
    return out


def parse_bound(value: Optional[str], option: str) -> Optional[str]:
    """A --since/--until value (YYYY, YYYY-MM or YYYY-MM-DD) as an ISO date bound, or None."""
    if not value:
        return None
    text = value.strip()
    try:
        if len(text) == 4 and text.isdigit():
            stamp = pd.Timestamp(year=int(text), month=1, day=1)
            return (stamp if option == "since" else stamp + pd.offsets.YearEnd(0)).strftime("%Y-%m-%d")
        if len(text) == 7 and text[4] == "-":
            stamp = pd.Timestamp(text + "-01")
            return (stamp if option == "since" else stamp + pd.offsets.MonthEnd(0)).strftime("%Y-%m-%d")
        return pd.Timestamp(text).strftime("%Y-%m-%d")
    except (ValueError, TypeError):
        raise OutputError(f"--{option} {value}: not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024-03)") from None


def filter_dates(claims: pd.DataFrame, since: Optional[str] = None, until: Optional[str] = None) -> pd.DataFrame:
    """Claims (with a ``date`` column from ``with_dates``) dated within [since, until], both inclusive."""
    lo, hi = parse_bound(since, "since"), parse_bound(until, "until")
    if lo is None and hi is None:
        return claims
    dates = claims["date"].fillna("").astype(str)
    mask = dates != ""
    if lo:
        mask &= dates >= lo
    if hi:
        mask &= dates <= hi
    return claims[mask]


def period_of(dates: pd.Series, by: str) -> pd.Series:
    """Each ISO date's period label: 2025-03 (month), 2025-Q1 (quarter), 2025 (year); '(undated)' if none."""
    if by not in PERIODS:
        raise OutputError(f"--by {by}: choose one of {', '.join(PERIODS)}")
    stamps = pd.to_datetime(dates.where(dates != ""), format="%Y-%m-%d", errors="coerce")
    if by == "month":
        labels = stamps.dt.strftime("%Y-%m")
    elif by == "quarter":
        labels = stamps.dt.year.astype("Int64").astype(str) + "-Q" + stamps.dt.quarter.astype("Int64").astype(str)
    else:
        labels = stamps.dt.year.astype("Int64").astype(str)
    return labels.where(stamps.notna(), UNDATED)


def period_order(labels: Sequence[str]) -> list[str]:
    """Period labels in time order, '(undated)' last."""
    dated = sorted({str(x) for x in labels if x != UNDATED})
    return dated + ([UNDATED] if UNDATED in set(labels) else [])


def dated_claims(view, metadata=None, since: Optional[str] = None, until: Optional[str] = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The view's claims with a ``date`` column, cut to [since, until]; and the document frame."""
    from .metadata import document_frame

    docs = document_frame(view, metadata)
    claims = filter_dates(with_dates(view.claims, docs), since, until)
    return claims, docs
