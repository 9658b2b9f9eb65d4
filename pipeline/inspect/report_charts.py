"""The report's interactive charts: Vega-Lite specs built with altair from aggregated claim counts.

Each chart comes with ``filters``: which field of a clicked mark sets which filter of the claims table
(e.g. a bar of the actor × stance chart sets the ``actor`` and ``stance`` filters), and ``data``: how the
page recomputes each named dataset of the spec from the claims the table shows (``keys``: output field →
claim field; ``measure``: ``claims`` counts, ``share`` the score-weighted scenario share per period;
``only``: allowed values of a field), so that the charts redraw when the table is filtered. The data
are small aggregates of all claims, inlined in the spec under those names; the page renders them with
the vendored Vega JavaScript and swaps in the filtered aggregates with Vega's ``view.data``.
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from .dates import PERIODS, period_of
from .summary import UNLABELLED, explode_actors

MAX_ACTORS = 25


def _scale(colours: dict[str, str]):
    import altair as alt

    return alt.Scale(domain=list(colours), range=list(colours.values()))


def _named(name: str, frame: pd.DataFrame, data: dict, keys: dict[str, str], measure: str = "claims", **extra):
    """A named dataset: its values go into the spec's ``datasets``, its recipe into the chart's ``data``."""
    import altair as alt

    data[name] = {"values": frame.to_dict("records"), "keys": keys, "measure": measure, **extra}
    return alt.NamedData(name=name)


def _spec(chart, filters: dict[str, str], title: str, data: dict, **extra) -> dict:
    # validate=False: altair's schema validation costs seconds and the specs are built right here
    spec = chart.properties(title=title).to_dict(validate=False)
    spec["datasets"] = {name: d.pop("values") for name, d in data.items()}
    return {"spec": spec, "filters": filters, "data": [{"name": name, **d} for name, d in data.items()], **extra}


def _counts(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return df.fillna({k: UNLABELLED for k in keys})[keys].value_counts().rename("claims").reset_index()


def stance_scenario(df: pd.DataFrame, colours: dict) -> dict:
    import altair as alt

    data: dict = {}
    source = _named("stance_scenario", _counts(df, ["scenario", "stance"]), data, {"scenario": "scenario", "stance": "stance"})
    chart = alt.Chart(source).mark_bar(cursor="pointer").encode(
        y=alt.Y("scenario:N", sort=list(colours["scenario"]), title=None),
        x=alt.X("claims:Q", stack=True, title="claims"),
        color=alt.Color("stance:N", scale=_scale({**colours["stance"], UNLABELLED: "#d0d7de"}), title="stance"),
        tooltip=["scenario:N", "stance:N", "claims:Q"])
    return _spec(chart.properties(width=420), {"scenario": "scenario", "stance": "stance"}, "Stance per scenario (click a bar)", data)


def actors(df: pd.DataFrame, colours: dict) -> tuple[dict, dict]:
    """Who says what: actor × stance bars and the actor × scenario heat map (busiest actors)."""
    import altair as alt

    ex = explode_actors(df)
    top = ex["actor"].value_counts().head(MAX_ACTORS).index.tolist()
    ex = ex[ex["actor"].isin(top)]
    bar_data: dict = {}
    heat_data: dict = {}
    bar_source = _named("actor_stance", _counts(ex, ["actor", "stance"]), bar_data, {"actor": "actor", "stance": "stance"}, only={"actor": top})
    heat_source = _named("actor_scenario", _counts(ex, ["actor", "scenario"]), heat_data, {"actor": "actor", "scenario": "scenario"},
                         only={"actor": top})
    bars = alt.Chart(bar_source).mark_bar(cursor="pointer").encode(
        y=alt.Y("actor:N", sort=top, title=None), x=alt.X("claims:Q", title="claims naming the actor"),
        color=alt.Color("stance:N", scale=_scale({**colours["stance"], UNLABELLED: "#d0d7de"})),
        tooltip=["actor:N", "stance:N", "claims:Q"])
    heat = alt.Chart(heat_source).mark_rect(cursor="pointer").encode(
        y=alt.Y("actor:N", sort=top, title=None), x=alt.X("scenario:N", sort=list(colours["scenario"]), title=None),
        color=alt.Color("claims:Q", scale=alt.Scale(scheme="blues")), tooltip=["actor:N", "scenario:N", "claims:Q"])
    return (_spec(bars.properties(width=360), {"actor": "actor", "stance": "stance"}, "Actors: stance of the claims naming them", bar_data),
            _spec(heat.properties(width=300), {"actor": "actor", "scenario": "scenario"}, "Actors × scenario", heat_data))


def timeline(df: pd.DataFrame, colours: dict, by: str) -> dict:
    """Scenario profile (score-weighted share) and stance counts per period of the claims' dates."""
    import altair as alt

    dated = df[df["date"].fillna("") != ""].assign(period=lambda d: period_of(d["date"].astype(str), by))
    lab = dated.dropna(subset=["scenario"]).assign(weight=lambda d: d["scenario_score"].fillna(1.0))
    shares = lab.groupby(["period", "scenario"])["weight"].sum().rename("weight").reset_index()
    shares["share"] = shares["weight"] / shares.groupby("period")["weight"].transform("sum")
    data: dict = {}
    profile = alt.Chart(_named(f"profile_{by}", shares, data, {"period": "period", "scenario": "scenario"}, "share")).mark_bar(cursor="pointer").encode(
        x=alt.X("period:O", title=by), y=alt.Y("share:Q", stack="normalize", title="scenario profile", axis=alt.Axis(format="%")),
        color=alt.Color("scenario:N", scale=_scale(colours["scenario"])),
        tooltip=["period:O", "scenario:N", alt.Tooltip("share:Q", format=".0%")])
    stance = alt.Chart(_named(f"stance_{by}", _counts(dated, ["period", "stance"]), data, {"period": "period", "stance": "stance"})).mark_bar(cursor="pointer").encode(
        x=alt.X("period:O", title=by), y=alt.Y("claims:Q", title="claims"),
        color=alt.Color("stance:N", scale=_scale({**colours["stance"], UNLABELLED: "#d0d7de"})),
        tooltip=["period:O", "stance:N", "claims:Q"])
    parts = [profile.properties(width=620, height=160)] if not shares.empty else []
    if shares.empty:
        del data[f"profile_{by}"]
    chart = alt.vconcat(*parts, stance.properties(width=620, height=120)).resolve_scale(color="independent")
    return _spec(chart, {"period": "period", "scenario": "scenario", "stance": "stance"},
                 f"Timeline by {by} of the documents' dates (click a bar)", data, by=by)


def facet(df: pd.DataFrame, docs: pd.DataFrame, column: str, colours: dict) -> dict:
    import altair as alt

    frame = df.assign(**{column: df["doc_id"].map(docs[column]).fillna("").replace("", "(none)")})
    data: dict = {}
    source = _named(f"facet_{column}", _counts(frame, [column, "stance"]), data, {column: f"facet:{column}", "stance": "stance"})
    chart = alt.Chart(source).mark_bar(cursor="pointer").encode(
        y=alt.Y(f"{column}:N", title=None), x=alt.X("claims:Q", title="claims"),
        color=alt.Color("stance:N", scale=_scale({**colours["stance"], UNLABELLED: "#d0d7de"})),
        tooltip=[f"{column}:N", "stance:N", "claims:Q"])
    return _spec(chart.properties(width=300), {column: f"facet:{column}", "stance": "stance"}, f"By {column}", data)


def all_charts(df: pd.DataFrame, docs: pd.DataFrame, facets: Sequence[str], colours: dict) -> dict[str, dict]:
    """Every chart of the report by name; empty charts are left out."""
    out: dict[str, dict] = {}
    if df.empty:
        return out
    out["stance_scenario"] = stance_scenario(df, colours)
    if df["actors"].map(bool).any():
        out["actor_stance"], out["actor_scenario"] = actors(df, colours)
    if (df["date"].fillna("") != "").any():
        for by in PERIODS:
            out[f"timeline_{by}"] = timeline(df, colours, by)
    for column in facets:
        out[f"facet_{column}"] = facet(df, docs, column, colours)
    return out
