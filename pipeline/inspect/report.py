"""`argmine report`: one self-contained HTML file to analyse a results folder in a browser.

The page holds the claims and documents as JSON and draws everything with JavaScript: interactive
Vega-Lite charts (built with altair; a click on a mark filters the claims table), a per-actor view, a
timeline by document date, facets from document metadata, a paged claims table with CSV/JSON download
of the filtered claims, and documents rendered on demand with their claims highlighted. Vega's
JavaScript is inlined from ``inspect/vendor`` (``make vendor-js``); nothing is fetched, and a
Content-Security-Policy forbids the page to connect anywhere.

Text is never put into the page as HTML: the JSON is escaped for a ``<script>`` block and the page
builds the DOM with text nodes, so an article containing ``<script>`` shows it as text.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Optional

import pandas as pd
from markupsafe import Markup

from ..errors import OutputError
from ..writers import atomic_write_text
from . import report_charts, summary
from .dates import with_dates
from .dna import utf16_mapper
from .metadata import document_frame, facet_columns
from .palette import palette
from .tables import ResultsView, load_view

log = logging.getLogger(__name__)

TEMPLATE = "report.html.j2"
VENDOR_JS = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")
SEGMENT_KINDS = ["title", "byline", "date", "heading", "paragraph", "list_item", "meta", "reference", "question"]


def script_json(data) -> Markup:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' can end it or start a tag."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def vendor_js() -> Markup:
    """The vendored Vega, Vega-Lite and vega-embed builds, inlined (they contain no '</script')."""
    folder = resources.files("argmine.inspect") / "vendor"
    parts = []
    for name in VENDOR_JS:
        path = folder / name
        if not path.is_file():
            raise OutputError(f"{name} is missing from {folder}: run `make vendor-js` (it unpacks the pinned npm packages)")
        text = path.read_text(encoding="utf-8")
        if "</script" in text.lower():
            raise OutputError(f"{name}: contains '</script' and cannot be inlined")
        parts.append(text)
    return Markup("\n;\n".join(parts))


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _num(value) -> Optional[float]:
    return None if value is None or pd.isna(value) else round(float(value), 4)


def _claims_payload(df: pd.DataFrame, doc_index: dict[str, int], texts: dict[str, Optional[str]], labels: dict) -> dict:
    """Column arrays of the claims (compact: labels and actors as indices); offsets in UTF-16 units."""
    actors = sorted({a for row in df["actors"] for a in row})
    actor_index = {a: i for i, a in enumerate(actors)}
    st, sc = {s: i for i, s in enumerate(labels["stance"])}, {s: i for i, s in enumerate(labels["scenario"])}
    mappers = {d: utf16_mapper(t) for d, t in texts.items() if t is not None}  # JavaScript counts UTF-16 units
    to_js = [mappers.get(d, int) for d in df["doc_id"]]
    return {
        "actor_names": actors,
        "id": df["claim_id"].tolist(),
        "doc": df["doc_id"].map(doc_index).tolist(),
        "start": [f(int(x)) for f, x in zip(to_js, df["start"])],
        "end": [f(int(x)) for f, x in zip(to_js, df["end"])],
        "text": df["text"].tolist(),
        "stance": [st.get(x, -1) if isinstance(x, str) else -1 for x in df["stance"]],
        "scenario": [sc.get(x, -1) if isinstance(x, str) else -1 for x in df["scenario"]],
        "sts": [_num(x) for x in df["stance_score"]],
        "scs": [_num(x) for x in df["scenario_score"]],
        "actors": [[actor_index[a] for a in row] for row in df["actors"]],
        "speaker": [_text(x) for x in df["speaker"]],
        "type": [_text(x) for x in df["claim_type"]],
        "hedged": [str(x) == "True" for x in df["hedged"]],
        "date": [_text(x) for x in df["date"]],
        "section": [_text(x) for x in df["section"]],
    }


def _documents_payload(view: ResultsView, doc_ids: list[str], docs: pd.DataFrame, facets: list[str],
                       texts: dict[str, Optional[str]]) -> tuple[dict, dict]:
    """Document metadata (loaded with the page) and texts + segments (parsed when a document is opened)."""
    records = view.doc_by_id
    meta: dict[str, Any] = {"id": doc_ids, "title": [], "date": [], "author": [], "facets": {f: [] for f in facets}}
    bodies: dict[str, list[Any]] = {"text": [], "segments": []}
    for doc_id in doc_ids:
        row = docs.loc[doc_id] if doc_id in docs.index else pd.Series(dtype=str)
        meta["title"].append(_text(row.get("title")) or doc_id)
        meta["date"].append(_text(row.get("date")))
        meta["author"].append(_text(row.get("author")))
        for f in facets:
            meta["facets"][f].append(_text(row.get(f)))
        text = texts.get(doc_id)
        rec = records.get(doc_id)
        segs = []
        if text is not None and rec is not None:
            to_js = utf16_mapper(text)
            segs = [[SEGMENT_KINDS.index(s.kind) if s.kind in SEGMENT_KINDS else 4, to_js(s.start), to_js(min(s.end, len(text)))]
                    for s in sorted(rec.segments, key=lambda s: s.start)]
        bodies["text"].append(text)
        bodies["segments"].append(segs)
    return meta, bodies


def _actor_table(df: pd.DataFrame, labels: dict, none_label: str | None = None) -> dict:
    """The per-actor view: claims, stance counts and the scenario the actor's claims lean to."""
    ex = summary.explode_actors(df)
    if ex.empty:
        return {"columns": [], "rows": []}
    table = summary.group_profile(ex, ["actor"], labels["scenario"], labels["stance"], none_label).sort_values("claims", ascending=False)
    stance_cols = [c for c in table.columns if c in labels["stance"] or c == summary.UNLABELLED]
    rows = [[actor, int(r["claims"]), _text(r["leaning"]), *[int(r[c]) for c in stance_cols]] for actor, r in table.iterrows()]
    return {"columns": ["actor", "claims", "leaning", *stance_cols], "rows": rows}


def build_report(view: ResultsView, title: str | None = None, metadata: str | Path | None = None) -> str:
    """The report as one HTML string."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    started = time.perf_counter()
    docs = document_frame(view, metadata)
    df = with_dates(view.claims, docs).sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)
    doc_ids = [d.doc_id for d in view.documents] + sorted(set(df["doc_id"]) - {d.doc_id for d in view.documents})
    texts = {d: view.text(d) for d in doc_ids}
    for d in doc_ids:
        if texts[d] is None:
            log.warning("%s: texts/%s.txt is missing; its claims are listed without the document", view.root, d)
    labels = {"stance": view.stance_labels, "scenario": view.scenario_labels}
    colours = palette(view.schema)
    facets = facet_columns(docs)
    doc_meta, bodies = _documents_payload(view, doc_ids, docs, facets, texts)
    payload = {
        "labels": labels, "colours": colours, "facets": facets, "segment_kinds": SEGMENT_KINDS,
        "docs": doc_meta, "claims": _claims_payload(df, {d: i for i, d in enumerate(doc_ids)}, texts, labels),
        "charts": report_charts.all_charts(df, docs, facets, colours), "actor_table": _actor_table(df, labels, view.schema.none_scenario),
        "n_unlabelled": view.n_unlabelled, "metadata": docs.attrs.get("metadata_path", ""),
    }
    env = Environment(loader=PackageLoader("argmine.inspect", "templates"), autoescape=select_autoescape(["html", "j2"]))
    script = (resources.files("argmine.inspect") / "templates" / "report.js").read_text(encoding="utf-8")
    html = env.get_template(TEMPLATE).render(
        title=title or f"argmine report — {view.root.name}",
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        model=str(view.run_info.get("model", "")), n_docs=len(doc_ids), n_claims=len(df),
        colours=colours, payload=script_json(payload), bodies=script_json(bodies),
        vendor_js=vendor_js(), report_js=Markup(script))
    log.info("report built in %.2fs (%d documents, %d claims)", time.perf_counter() - started, len(doc_ids), len(df))
    return html


def write_report(results: str | Path, out: str | Path, title: str | None = None, metadata: str | Path | None = None,
                 schema: str | Path | None = None) -> Path:
    """Build the report of a results folder (labels from ``schema``, else the run's recorded one) and write it atomically to ``out``."""
    view = load_view(results, schema)
    html = build_report(view, title=title, metadata=metadata)
    return atomic_write_text(Path(out), html)
