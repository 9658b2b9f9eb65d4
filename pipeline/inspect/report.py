"""`argmine report`: one self-contained HTML file with the documents, their highlighted claims, a
filterable claims table and charts.

The file loads nothing from the network: CSS and JavaScript are inlined from the template and charts are
base64 PNGs. Every piece of document text goes through ``markupsafe.escape`` (or Jinja autoescaping), so
markup inside an article is shown as text and never runs.
"""

from __future__ import annotations

import logging
import re
import math
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import pandas as pd
from markupsafe import Markup, escape

from ..records import DocumentRecord, Segment
from ..writers import atomic_write_text
from . import charts, summary
from .tables import ResultsView, load_view

log = logging.getLogger(__name__)


def css_class(label: str) -> str:
    """A label as a CSS class suffix (schema labels are data and may hold any character)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", str(label))

TEMPLATE = "report.html.j2"
# Which HTML element a segment kind becomes; list items and references are grouped into lists.
BLOCK_TAG = {
    "title": ("h2", "seg-title"),
    "byline": ("p", "seg-byline"),
    "date": ("p", "seg-date"),
    "heading": ("h3", "seg-heading"),
    "paragraph": ("p", "seg-paragraph"),
    "meta": ("p", "seg-meta"),
    "question": ("p", "seg-question"),
}
LIST_KINDS = {"list_item": ("ul", "seg-list"), "reference": ("ul", "seg-refs")}


@dataclass
class ClaimView:
    """What the template needs of one claim (row of the table + highlight)."""

    idx: int
    claim_id: str
    doc_id: str
    start: int
    end: int
    text: str
    stance: Optional[str]
    stance_score: float
    scenario: Optional[str]
    scenario_score: float
    scenario_scores: dict
    stance_scores: dict
    actors: list
    speaker: str
    claim_type: Optional[str]
    hedged: Optional[bool]
    citations: list
    section: Optional[str]

    @property
    def anchor(self) -> str:
        return f"c{self.idx}"

    def score_text(self, value: float) -> str:
        return "" if value is None or math.isnan(value) else f"{value:.2f}"


def _claim_views(df: pd.DataFrame) -> list[ClaimView]:
    out = []
    for idx, row in enumerate(df.sort_values(["doc_id", "start"], kind="stable").itertuples(index=False)):
        out.append(ClaimView(
            idx=idx, claim_id=row.claim_id, doc_id=row.doc_id, start=int(row.start), end=int(row.end), text=row.text,
            stance=row.stance, stance_score=float(row.stance_score), scenario=row.scenario,
            scenario_score=float(row.scenario_score), scenario_scores=dict(row.scenario_scores or {}),
            stance_scores=dict(row.stance_scores or {}), actors=list(row.actors or []), speaker=row.speaker,
            claim_type=row.claim_type, hedged=row.hedged, citations=list(row.citations or []), section=row.section,
        ))
    return out


# --- document rendering ----------------------------------------------------------------------------


# The two functions below run once per claim: they build strings with f-strings around ``escape()``
# (a C routine) rather than ``Markup.format``, which is several times slower on thousands of claims.
# Every interpolated value that comes from the data goes through ``escape``.


def _tooltip(c: ClaimView) -> str:
    """The hover card of a claim: labels with scores, all scenario scores, speaker, actors, citations."""
    rows = [
        ("stance", f"{c.stance or 'unlabelled'} {c.score_text(c.stance_score)}".strip()),
        ("scenario", f"{c.scenario or 'unlabelled'} {c.score_text(c.scenario_score)}".strip()),
        ("speaker", c.speaker),
        ("actors", ", ".join(c.actors) or "–"),
        ("type", (c.claim_type or "–") + (" (hedged)" if c.hedged else "")),
        ("citations", "; ".join(c.citations) or "–"),
        ("claim", c.claim_id),
    ]
    parts = ['<span class="tip" role="tooltip">']
    parts += [f'<span class="tip-row"><b>{key}</b> {escape(value)}</span>' for key, value in rows]
    if c.scenario_scores:
        parts.append('<span class="tip-scores">')
        for label, score in sorted(c.scenario_scores.items(), key=lambda kv: -kv[1]):
            width = max(0.0, min(1.0, float(score))) * 100
            parts.append(f'<span class="tip-score"><i class="sc-{css_class(label)}" style="width:{width:.0f}%"></i>'
                         f"{escape(label)} {float(score):.2f}</span>")
        parts.append("</span>")
    parts.append("</span>")
    return "".join(parts)


def _claim_piece(text: str, c: ClaimView, first: bool, last: bool) -> str:
    """One highlighted piece of a claim (a claim crossing a segment boundary has several)."""
    anchor = f' id="{c.anchor}"' if first else ""
    html = (f'<mark class="claim st-{css_class(c.stance or "unlabelled")}" data-claim="{escape(c.claim_id)}" '
            f'data-idx="{c.idx}" tabindex="0"{anchor}><span class="ctext">{escape(text)}</span>')
    if last:
        if c.scenario:
            html += f'<span class="badge sc-{css_class(c.scenario)}">{escape(c.scenario)}</span>'
        html += "".join(f'<span class="chip">{escape(actor)}</span>' for actor in c.actors)
        html += _tooltip(c)
    return html + "</mark>"


def _render_span(text: str, start: int, end: int, claims: list[ClaimView]) -> Markup:
    """Escaped ``text[start:end]`` with the pieces of overlapping claims wrapped in <mark>."""
    out, pos = [], start
    for c in claims:
        s, e = max(c.start, pos), min(c.end, end)
        if e <= s:
            continue  # outside this block, or already covered by an overlapping earlier claim
        out.append(escape(text[pos:s]))
        out.append(_claim_piece(text[s:e], c, first=s == c.start, last=e == c.end))
        pos = e
    out.append(escape(text[pos:end]))
    return Markup("".join(out))


def _blocks(text: str, segments: list[Segment], claims: list[ClaimView]) -> list[Segment]:
    """The segments to render, plus a paragraph for any claim text that no segment covers."""
    blocks = sorted(segments, key=lambda s: s.start)
    if not blocks:
        blocks = _paragraphs(text)
    uncovered = [c for c in claims if not any(b.start < c.end and c.start < b.end for b in blocks)]
    for c in uncovered:
        line_start = text.rfind("\n", 0, c.start) + 1
        line_end = text.find("\n", c.end)
        blocks.append(Segment(kind="paragraph", start=line_start, end=len(text) if line_end < 0 else line_end))
    return sorted(blocks, key=lambda s: s.start)


def _paragraphs(text: str) -> list[Segment]:
    """Fallback structure for a document without segments: one paragraph per non-empty line."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            out.append(Segment(kind="paragraph", start=pos + lead, end=pos + len(line.rstrip())))
        pos += len(line) + 1
    return out


def render_document(text: str, segments: list[Segment], claims: list[ClaimView]) -> Markup:
    """The document's structure as HTML (headings, paragraphs, lists) with its claims highlighted."""
    claims = sorted(claims, key=lambda c: (c.start, -c.end))
    html: list[Markup] = []
    open_list: Optional[str] = None
    for seg in _blocks(text, segments, claims):
        inner = _render_span(text, seg.start, min(seg.end, len(text)), claims)
        if seg.kind in LIST_KINDS:
            if open_list != seg.kind:
                if open_list:
                    html.append(Markup("</ul>"))
                html.append(Markup('<ul class="{}">').format(LIST_KINDS[seg.kind][1]))
                open_list = seg.kind
            html.append(Markup("<li>{}</li>").format(inner))
            continue
        if open_list:
            html.append(Markup("</ul>"))
            open_list = None
        tag, cls = BLOCK_TAG.get(seg.kind, ("p", f"seg-{seg.kind}"))
        html.append(Markup('<{} class="{}">{}</{}>').format(Markup(tag), cls, inner, Markup(tag)))
    if open_list:
        html.append(Markup("</ul>"))
    return Markup("\n").join(html)


# --- the report ----------------------------------------------------------------------------------


@dataclass
class DocView:
    doc: DocumentRecord
    html: Markup
    n_claims: int
    leaning: str
    profile: list[tuple[str, float]]
    missing_text: bool


def build_report(view: ResultsView, title: str | None = None) -> str:
    """The report as one HTML string."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    started = time.perf_counter()
    df = view.claims
    claims = _claim_views(df)
    by_doc: dict[str, list[ClaimView]] = {}
    for c in claims:
        by_doc.setdefault(c.doc_id, []).append(c)

    none_label = view.schema.none_scenario
    profile = summary.scenario_profile(df, view.scenario_labels, view.documents, none_label)
    sc_colours = charts.scenario_colours(view.scenario_labels, none_label)
    st_colours = charts.stance_colours(view.schema.polarity)
    docs = []
    known = {d.doc_id for d in view.documents}
    documents = list(view.documents) + [  # claims whose document row is missing still get shown
        DocumentRecord(doc_id=d, path="", format="?", sha256="", n_chars=0) for d in sorted(set(by_doc) - known)
    ]
    for doc in documents:
        text = view.text(doc.doc_id)
        doc_claims = by_doc.get(doc.doc_id, [])
        if text is None:
            log.warning("%s: texts/%s.txt is missing; showing its claims without the document", view.root, doc.doc_id)
            # Stand-in text: the claims one per line, offsets shifted to match it.
            shifted, pos = [], 0
            for c in doc_claims:
                shifted.append(replace(c, start=pos, end=pos + len(c.text)))
                pos += len(c.text) + 1
            html = render_document("\n".join(c.text for c in doc_claims), [], shifted)
        else:
            html = render_document(text, doc.segments, doc_claims)
        row = profile.loc[doc.doc_id] if doc.doc_id in profile.index else None
        shares = [(s, float(row[s])) for s in view.scenario_labels if row is not None and row[s] > 0]
        docs.append(DocView(doc=doc, html=html, n_claims=len(doc_claims), leaning=(row["leaning"] if row is not None else ""),
                            profile=shares, missing_text=text is None))

    stance_per_doc = pd.crosstab(df["doc_id"], df["stance"]) if df["stance"].notna().any() else pd.DataFrame()
    chart_images = {
        "profile": charts.profile_chart(profile, view.scenario_labels, sc_colours),
        "heatmap": charts.heatmap_chart(_all_columns(summary.actor_crosstab(df.dropna(subset=["scenario"]), "scenario"), view.scenario_labels)),
        "stance": charts.stance_chart(stance_per_doc, view.stance_labels, st_colours),
    }
    env = Environment(loader=PackageLoader("argmine.inspect", "templates"), autoescape=select_autoescape(["html", "j2"]))
    env.filters["cls"] = css_class
    template = env.get_template(TEMPLATE)
    actors = sorted({a for c in claims for a in c.actors})
    html = template.render(
        title=title or f"argmine report — {view.root.name}",
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        run_info=view.run_info,
        docs=docs,
        claims=claims,
        stance_labels=view.stance_labels,
        scenario_labels=view.scenario_labels,
        stance_colours=st_colours,
        scenario_colours=sc_colours,
        actors=actors,
        claim_types=sorted({c.claim_type for c in claims if c.claim_type}),
        charts=chart_images,
        n_unlabelled=view.n_unlabelled,
    )
    log.info("report built in %.2fs (%d documents, %d claims)", time.perf_counter() - started, len(docs), len(claims))
    return html


def _all_columns(table: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Every scenario as a heat-map column, in schema order, even one no actor's claim points to."""
    if table.empty:
        return table
    return table.reindex(columns=[*labels, *[c for c in table.columns if c not in labels]], fill_value=0)


def write_report(results: str | Path, out: str | Path, title: str | None = None,
                 schema: str | Path | None = None) -> Path:
    """Build the report of a results folder and write it atomically to ``out``."""
    view = load_view(results, schema)
    html = build_report(view, title=title)
    return atomic_write_text(Path(out), html)

