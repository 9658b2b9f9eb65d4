"""Aggregates of a claims table: per document, stance × scenario, actor × scenario/stance, scenario profiles.

All functions take the claims DataFrame of ``load_view`` and return DataFrames, so the CLI, the HTML
report and a notebook user get the same numbers.
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

UNLABELLED = "(unlabelled)"


def claims_per_document(df: pd.DataFrame, documents=None) -> pd.DataFrame:
    """Claims, labelled claims and stance counts per document (documents with no claim included)."""
    doc_ids = [d.doc_id for d in documents] if documents else sorted(df["doc_id"].unique())
    out = pd.DataFrame(index=pd.Index(doc_ids, name="doc_id"))
    out["claims"] = df.groupby("doc_id").size().reindex(doc_ids, fill_value=0)
    out["labelled"] = df.dropna(subset=["scenario"]).groupby("doc_id").size().reindex(doc_ids, fill_value=0)
    if documents:
        out.insert(0, "title", [d.title or "" for d in documents])
        out.insert(1, "date", [d.date or "" for d in documents])
    return out


def crosstab(df: pd.DataFrame, rows: str, cols: str, row_order: Sequence[str] = (), col_order: Sequence[str] = ()) -> pd.DataFrame:
    """Counts of ``rows`` × ``cols`` with a margin; missing labels shown as "(unlabelled)"."""
    if df.empty:
        return pd.DataFrame()
    data = df[[rows, cols]].fillna(UNLABELLED)
    table = pd.crosstab(data[rows], data[cols], margins=True, margins_name="total")
    return _order(table, row_order, col_order)


def explode_actors(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (claim, actor); claims naming no actor are dropped."""
    ex = df.explode("actors")
    ex = ex[ex["actors"].notna()].rename(columns={"actors": "actor"})
    return ex


def actor_crosstab(df: pd.DataFrame, cols: str, col_order: Sequence[str] = ()) -> pd.DataFrame:
    """Actor × ``cols`` counts (a claim naming two actors counts once for each), busiest actor first."""
    ex = explode_actors(df)
    if ex.empty:
        return pd.DataFrame()
    table = pd.crosstab(ex["actor"], ex[cols].fillna(UNLABELLED), margins=True, margins_name="total")
    actors = table.drop(index="total").sort_values("total", ascending=False).index.tolist()
    return _order(table, actors, col_order)


def scenario_profile(df: pd.DataFrame, scenario_labels: Sequence[str], documents=None,
                     none_label: str | None = None) -> pd.DataFrame:
    """Each document's scenario profile: the score-weighted share of its claims leaning to each scenario.

    A labelled claim adds the probability of its own scenario label to that label's weight; a document's
    weights are divided by their sum, so a row adds up to 1. The ``leaning`` column is the scenario with
    the largest share other than ``none_label`` (the schema's "none of these" scenario: the future the
    document argues for); ``none_label`` only when no claim points to any scenario. Unlabelled claims
    are counted in ``unlabelled`` and left out of the shares.
    """
    doc_ids = [d.doc_id for d in documents] if documents else sorted(df["doc_id"].unique())
    labels = list(scenario_labels)
    labelled = df.dropna(subset=["scenario"]).copy()
    labelled["weight"] = labelled["scenario_score"].fillna(1.0)
    weights = labelled.pivot_table(index="doc_id", columns="scenario", values="weight", aggfunc="sum", fill_value=0.0)
    weights = weights.reindex(index=doc_ids, columns=labels, fill_value=0.0)
    totals = weights.sum(axis=1)
    shares = weights.div(totals.where(totals > 0), axis=0).fillna(0.0)
    shares.index.name = "doc_id"
    non_none = [c for c in labels if c != none_label]

    def leaning(row: pd.Series) -> str:
        if row.sum() == 0:
            return ""
        if non_none and row[non_none].max() > 0:
            return str(row[non_none].idxmax())
        return str(none_label or "")

    out = shares.copy()
    out["leaning"] = shares.apply(leaning, axis=1)
    out["labelled"] = labelled.groupby("doc_id").size().reindex(doc_ids, fill_value=0)
    out["unlabelled"] = df[df["scenario"].isna()].groupby("doc_id").size().reindex(doc_ids, fill_value=0)
    return out


def _order(table: pd.DataFrame, row_order: Sequence[str], col_order: Sequence[str]) -> pd.DataFrame:
    def arrange(present: list, wanted: Sequence[str]) -> list:
        head = [w for w in wanted if w in present]
        rest = [p for p in present if p not in head and p not in (UNLABELLED, "total")]
        tail = [p for p in (UNLABELLED, "total") if p in present]
        return head + rest + tail

    return table.loc[arrange(list(table.index), row_order), arrange(list(table.columns), col_order)]


def group_profile(df: pd.DataFrame, keys: Sequence[str], scenario_labels: Sequence[str],
                  stance_labels: Sequence[str], none_label: str | None = None) -> pd.DataFrame:
    """Per group of ``keys`` (e.g. period, or actor and period): claims, the score-weighted scenario
    shares (as in ``scenario_profile``), the leaning (never ``none_label``, the schema's "none of
    these" scenario), and the count of each stance."""
    keys = list(keys)
    labels, stances = list(scenario_labels), list(stance_labels)
    if df.empty:
        return pd.DataFrame(columns=keys + ["claims"] + labels + ["leaning"] + stances).set_index(keys)
    labelled = df.dropna(subset=["scenario"]).assign(weight=lambda d: d["scenario_score"].fillna(1.0))
    weights = labelled.pivot_table(index=keys, columns="scenario", values="weight", aggfunc="sum", fill_value=0.0)
    claims = df.groupby(keys).size().rename("claims")
    weights = weights.reindex(index=claims.index, columns=labels, fill_value=0.0).fillna(0.0)
    totals = weights.sum(axis=1)
    shares = weights.div(totals.where(totals > 0), axis=0).fillna(0.0)
    non_none = [c for c in labels if c != none_label]
    leaning = shares[non_none].idxmax(axis=1).where(shares[non_none].max(axis=1) > 0, "") if non_none else ""
    stance_counts = pd.crosstab([df[k] for k in keys], df["stance"].fillna(UNLABELLED)).reindex(claims.index, fill_value=0)
    stance_cols = [s for s in stances if s in stance_counts.columns] + [c for c in stance_counts.columns if c not in stances]
    out = pd.concat([claims, shares, stance_counts[stance_cols]], axis=1)
    out.insert(1 + len(labels), "leaning", leaning)
    return out


def period_profile(df: pd.DataFrame, by: str, scenario_labels: Sequence[str], stance_labels: Sequence[str],
                   per_actor: bool = False, none_label: str | None = None) -> pd.DataFrame:
    """``group_profile`` per period of the claims' ``date`` (month/quarter/year), or per (actor, period)."""
    from .dates import period_of, period_order

    data = df.assign(period=period_of(df["date"].fillna("").astype(str), by))
    keys = ["period"]
    if per_actor:
        data = explode_actors(data)
        keys = ["actor", "period"]
    out = group_profile(data, keys, scenario_labels, stance_labels, none_label)
    if out.empty:
        return out
    order = period_order(out.index.get_level_values("period"))
    if per_actor:
        busiest = data.groupby("actor").size().sort_values(ascending=False).index
        return out.reindex(pd.MultiIndex.from_tuples([(a, p) for a in busiest for p in order if (a, p) in out.index], names=keys))
    return out.reindex(order)
