"""`argmine show | summary | report | export`: look at a results folder without re-running anything."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Optional

import typer

from . import app
from .common import console, error, note, user_errors

RESULTS = typer.Argument(..., help="A results folder written by `argmine run`.", show_default=False)
SCHEMA = typer.Option(None, "--schema", help="Label schema TOML (default: the one the run recorded in run.json, else "
                      "argmine.toml's, else the packaged one).")
FORMATS = ("table", "csv", "json", "markdown")
METADATA = typer.Option(None, "--metadata", help="CSV with a doc_id column (date, outlet, genre, vantage, language); "
                        "default: the manifest.csv beside the documents' input folder, if any.")
SINCE = typer.Option(None, "--since", help="Keep claims dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD).")
UNTIL = typer.Option(None, "--until", help="Keep claims dated on or before this (YYYY, YYYY-MM or YYYY-MM-DD).")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        error(f"--format {fmt}: choose one of {', '.join(FORMATS)}")
        raise typer.Exit(2)


@app.command()
def show(
    results: Path = RESULTS,
    actor: list[str] = typer.Option([], "--actor", "-a", help="Keep claims naming this actor (repeatable)."),
    stance: list[str] = typer.Option([], "--stance", "-s", help="Keep this stance label (repeatable)."),
    scenario: list[str] = typer.Option([], "--scenario", "-c", help="Keep this scenario label (repeatable)."),
    doc: list[str] = typer.Option([], "--doc", "-d", help="Keep this document id (repeatable)."),
    speaker: list[str] = typer.Option([], "--speaker", help="Keep claims by this speaker ('author' or an actor/source)."),
    claim_type: list[str] = typer.Option([], "--type", "-t", help="Keep this claim type: assessment, prediction, prescription, conditional."),
    grep: Optional[str] = typer.Option(None, "--grep", "-g", help="Keep claims whose text (or section) contains this, case-insensitively."),
    min_score: Optional[float] = typer.Option(None, "--min-score", min=0.0, max=1.0, help="Keep claims whose label score is at least this."),
    score_of: str = typer.Option("scenario", "--score-of", help="Which score --min-score reads: scenario, stance or claim (detector)."),
    sort: list[str] = typer.Option([], "--sort", help="Sort by a column; prefix '-' for descending, e.g. --sort -scenario_score (repeatable; default: document order)."),
    columns: Optional[str] = typer.Option(None, "--columns", help="Comma-separated columns to show (default: claim_id,text,stance,scenario,scenario_score,actors,speaker,claim_type)."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="Show at most this many claims."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv, json or markdown."),
    raw_csv: bool = typer.Option(False, "--raw-csv", help="CSV: keep cells verbatim (default: a cell starting with = + - @ tab or CR gets a leading ' so spreadsheets never run it)."),
    pager: Optional[bool] = typer.Option(None, "--pager/--no-pager", help="Page long tables (default: when the table is taller than the terminal)."),
    since: Optional[str] = SINCE,
    until: Optional[str] = UNTIL,
    metadata: Optional[Path] = METADATA,
    schema: Optional[Path] = SCHEMA,
) -> None:
    """Print the claims of RESULTS, filtered and sorted, as a table or as CSV/JSON/Markdown for piping."""
    from ..inspect import ClaimFilter, apply_filter, load_view, sort_claims
    from ..inspect import tables
    from ..inspect.dates import dated_claims

    _check_format(fmt)
    with user_errors():
        view = load_view(results, schema)
        claims, _ = dated_claims(view, metadata, since, until)
        selected = apply_filter(claims, ClaimFilter(
            actors=actor, stances=stance, scenarios=scenario, docs=doc, speakers=speaker, claim_types=claim_type,
            min_score=min_score, score_of=score_of, grep=grep))
        selected = sort_claims(selected, sort)
        total = len(selected)
        if limit:
            selected = selected.head(limit)
        cols = tables.check_columns(claims, [c.strip() for c in columns.split(",") if c.strip()] if columns else tables.DEFAULT_COLUMNS)
    if fmt != "table":
        if fmt == "csv":
            sys.stdout.write(tables.to_csv(selected, cols, raw=raw_csv))
        else:
            sys.stdout.write({"json": tables.to_json, "markdown": tables.to_markdown}[fmt](selected, cols))
        return
    title = f"{len(selected)} of {len(view.claims)} claims" + (f" dated {since or '…'} to {until or '…'}" if since or until else "") + (f" (first {limit} of {total} matching)" if limit and total > limit else "")
    table = tables.rich_table(selected, cols, title=title, schema=view.schema)
    use_pager = pager if pager is not None else (console.is_terminal and len(selected) + 6 > console.size.height)
    if use_pager:
        with console.pager(styles=True):
            console.print(table)
    else:
        console.print(table)
    if view.n_unlabelled and "scenario" in cols:
        note(f"{view.n_unlabelled} claims have no stance/scenario label (placeholder classifier?)")


@app.command()
def summary(
    results: Path = RESULTS,
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv, json or markdown."),
    by: Optional[str] = typer.Option(None, "--by", help="Also profile scenario and stance per period: month, quarter or year (overall and per actor)."),
    since: Optional[str] = SINCE,
    until: Optional[str] = UNTIL,
    metadata: Optional[Path] = METADATA,
    schema: Optional[Path] = SCHEMA,
    raw_csv: bool = typer.Option(False, "--raw-csv", help="CSV: keep cells verbatim (default: a cell starting with = + - @ tab or CR gets a leading ' so spreadsheets never run it)."),
) -> None:
    """Print aggregates: claims per document, stance × scenario, actor × scenario/stance, scenario profiles."""
    from ..inspect import load_view
    from ..inspect.dates import PERIODS, dated_claims

    _check_format(fmt)
    if by is not None and by not in PERIODS:
        error(f"--by {by}: choose one of {', '.join(PERIODS)}")
        raise typer.Exit(2)
    with user_errors():
        view = load_view(results, schema)
        df, _ = dated_claims(view, metadata, since, until)
    documents = [d for d in view.documents if d.doc_id in set(df["doc_id"])] if since or until else view.documents
    parts = _summary_parts(view, df, documents, by)
    if fmt == "table":
        for title, frame in parts.items():
            console.print(_frame_table(frame, title))
        if view.n_unlabelled:
            note(f"{view.n_unlabelled} of {len(df)} claims have no stance/scenario label "
                 "(placeholder classifier?); they are counted as (unlabelled) and left out of the profiles.")
        return
    _write_parts(parts, fmt, raw_csv)


def _summary_parts(view, df, documents: list, by: Optional[str]) -> dict:
    """Title → aggregate frame, in the order `summary` prints them (per-period profiles only with ``by``)."""
    from ..inspect import summary as agg

    parts = {
        "claims per document": agg.claims_per_document(df, documents),
        "stance × scenario": agg.crosstab(df, "stance", "scenario", view.stance_labels, view.scenario_labels),
        "actor × scenario": agg.actor_crosstab(df, "scenario", view.scenario_labels),
        "actor × stance": agg.actor_crosstab(df, "stance", view.stance_labels),
        "scenario profile per document (score-weighted share of claims; leaning = the future it argues for)":
            agg.scenario_profile(df, view.scenario_labels, documents, view.schema.none_scenario),
    }
    if by:
        parts[f"scenario profile and stance per {by}"] = agg.period_profile(df, by, view.scenario_labels, view.stance_labels,
                                                                         none_label=view.schema.none_scenario)
        parts[f"scenario profile and stance per actor and {by}"] = agg.period_profile(
            df, by, view.scenario_labels, view.stance_labels, per_actor=True, none_label=view.schema.none_scenario)
    return parts


def _write_parts(parts: dict, fmt: str, raw_csv: bool) -> None:
    """The summary's frames on stdout as one JSON object, Markdown sections or CSV blocks."""
    import json

    if fmt == "json":
        out = {title.split(" (")[0]: json.loads(frame.to_json(orient="split")) for title, frame in parts.items()}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    for title, frame in parts.items():
        if fmt == "markdown":
            from ..inspect.tables import to_markdown

            flat = frame.reset_index()
            flat.columns = [str(c) for c in flat.columns]
            sys.stdout.write(f"\n### {title}\n\n" + to_markdown(flat, list(flat.columns)))
        else:
            from ..writers import write_csv

            text = write_csv(frame, raw=raw_csv, index=True)
            assert text is not None  # without a destination, pandas returns the CSV text
            sys.stdout.write(f"# {title}\n" + text + "\n")


def _frame_table(frame, title: str):
    from rich.table import Table

    table = Table(title=title, header_style="bold", title_justify="left")
    if frame.empty:
        table.add_column("(nothing to count)")
        return table
    names = [n for n in frame.index.names if n]
    table.add_column(" / ".join(names), style="bold")
    for col in frame.columns:
        numeric = frame[col].dtype.kind in "if"
        table.add_column(str(col), justify="right" if numeric else "left", overflow="fold")
    for idx, row in frame.iterrows():
        cells = []
        for col in frame.columns:
            v = row[col]
            cells.append(f"{v:.2f}" if isinstance(v, float) else str(v))
        table.add_row(" / ".join(map(str, idx)) if isinstance(idx, tuple) else str(idx), *cells)
    return table


@app.command()
def report(
    results: Path = RESULTS,
    out: Path = typer.Option(Path("report.html"), "--out", "-o", help="HTML file to write."),
    title: Optional[str] = typer.Option(None, "--title", help="Report title (default: from the results folder)."),
    metadata: Optional[Path] = METADATA,
    schema: Optional[Path] = SCHEMA,
) -> None:
    """Write one self-contained HTML report: interactive charts, actors, timeline, a filterable claims table, documents."""
    from ..inspect.report import write_report

    started = time.perf_counter()
    with user_errors():
        path = write_report(results, out, title=title, metadata=metadata, schema=schema)
    size = path.stat().st_size / 1e6
    console.print(f"report → {path} ({size:.1f} MB, {time.perf_counter() - started:.1f}s); open it in a browser")


@app.command()
def export(
    results: Path = RESULTS,
    fmt: str = typer.Option(..., "--format", "-f", help="dna (a DNA 3 database), statements (CSV), graphml, gexf or csv (edge list)."),
    out: Path = typer.Option(..., "--out", "-o", help="File to write."),
    concept: str = typer.Option("scenario", "--concept", help="What a statement's concept is: scenario, or cluster (TF-IDF k-means of claim texts)."),
    clusters: int = typer.Option(12, "--clusters", min=1, help="Number of claim clusters for --concept cluster."),
    with_claims: bool = typer.Option(False, "--with-claims", help="graphml/gexf: add every claim as a node carrying all its attributes."),
    metadata: Optional[Path] = METADATA,
    schema: Optional[Path] = SCHEMA,
    raw_csv: bool = typer.Option(False, "--raw-csv", help="CSV: keep cells verbatim (default: a cell starting with = + - @ tab or CR gets a leading ' so spreadsheets never run it)."),
) -> None:
    """Export actor–claim–scenario statements (DNA style) or the actor × scenario network (GraphML/GEXF/CSV)."""
    from ..inspect.export import export as do_export

    with user_errors():
        path, counts = do_export(results, fmt, out, concept=concept, n_clusters=clusters, with_claims=with_claims,
                                 metadata=metadata, schema=schema, raw_csv=raw_csv)
    console.print(f"{fmt} → {path} (" + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()) + ")")
    if counts.get("edges") == 0 or counts.get("statements", 1) == counts.get("without_actor"):
        note(f"no claim names an actor and has a {concept}: the network is empty "
                          "(run with a trained model, and check that actors are extracted)")
