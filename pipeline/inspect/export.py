"""Discourse-network export: statements in the shape Discourse Network Analyzer (DNA) users work with,
and the actor × concept two-mode network as GraphML / GEXF (networkx) or a CSV edge list.

A *statement* is one (claim, actor) pair: ``person`` = the speaker, ``organization`` = the speaker's
organisation (the reported actor, or the outlet for the author's own claims), ``actor`` = the actor the
claim names, ``concept`` = the claim's scenario
(or its text cluster), ``agreement`` = its stance, plus document, date and every attribute of the claim.
Stance maps to DNA's integer agreement qualifier by the polarity the schema gives each stance label
(+1 for the topic, -1 against, 0 neither).
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from pathlib import Path

import pandas as pd

from ..errors import OutputError
from ..writers import atomic_write, write_csv
from .dates import claim_dates
from .graphs import normalise_attributes, write_gexf
from .metadata import document_frame
from .tables import ResultsView, load_view

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("dna", "statements", "graphml", "gexf", "csv")


# --- statements ---------------------------------------------------------------------------------


def cluster_concepts(texts: list[str], n_clusters: int, seed: int = 0) -> list[str]:
    """Group claim texts into ``n_clusters`` TF-IDF/k-means clusters named by their top terms."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not texts:
        return []
    k = max(1, min(n_clusters, len(texts)))
    vec = TfidfVectorizer(stop_words="english", min_df=1, max_df=0.8 if len(texts) > 5 else 1.0, sublinear_tf=True)
    matrix = vec.fit_transform(texts)
    km = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(matrix)
    terms = vec.get_feature_names_out()
    names = {}
    for i, centre in enumerate(km.cluster_centers_):
        top = [terms[j] for j in centre.argsort()[::-1][:3]]
        names[i] = f"c{i:02d}: " + " ".join(top)
    return [names[label] for label in km.labels_]


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _concepts(df: pd.DataFrame, concept: str, n_clusters: int) -> list[str]:
    """Each claim's concept: its scenario, or its TF-IDF/k-means text cluster."""
    if concept == "cluster":
        return cluster_concepts(df["text"].tolist(), n_clusters)
    if concept == "scenario":
        return df["scenario"].fillna("").tolist()
    raise OutputError(f"--concept {concept}: choose 'scenario' or 'cluster'")


def _statement(c: pd.Series, doc, date, concept: str, agreement_value: dict) -> dict:
    """A claim's statement fields (every actor's row shares them): DNA's variables, then the claim's attributes."""
    person = c["speaker"]
    if person == "author" and doc is not None and doc.author:
        person = doc.author
    return {
        "document": c["doc_id"],
        "date": date,
        "title": (doc.title if doc else None) or "",
        "person": person,
        "concept": concept,
        "agreement": c["stance"] or "",
        "agreement_value": agreement_value.get(c["stance"] or ""),
        "claim_id": c["claim_id"],
        "start": int(c["start"]),
        "end": int(c["end"]),
        "text": c["text"],
        "section": c["section"] or "",
        "paragraph": c["paragraph"],
        "list_item": bool(c["list_item"]),
        "actors": "; ".join(c["actors"]),
        "speaker": c["speaker"],
        "claim_type": c["claim_type"] or "",
        "hedged": c["hedged"],
        "citations": "; ".join(c["citations"]),
        "claim_score": c["claim_score"],
        "stance": c["stance"] or "",
        "stance_score": c["stance_score"],
        "scenario": c["scenario"] or "",
        "scenario_score": c["scenario_score"],
        "stance_scores": _json(c["stance_scores"]),
        "scenario_scores": _json(c["scenario_scores"]),
        "mentions": _json(c["mentions"]),
        "model": c["model"] or "",
    }


def statements(view: ResultsView, concept: str = "scenario", n_clusters: int = 12, metadata=None) -> pd.DataFrame:
    """One row per (claim, actor); claims naming no actor keep one row with an empty ``actor``.

    DNA's variables come first (statement_id, document, date, person, organization, actor, concept, agreement,
    agreement_value), then every attribute of the claim.
    """
    df = view.claims.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)
    doc_frame = document_frame(view, metadata)
    dates = claim_dates(df, doc_frame)
    concepts = _concepts(df, concept, n_clusters)
    docs, agreement_value = view.doc_by_id, view.schema.polarity  # properties: computed once, not per claim
    rows = []
    for i, c in df.iterrows():
        base = _statement(c, docs.get(c["doc_id"]), dates[i], concepts[i], agreement_value)
        for k, actor in enumerate(c["actors"] or [""]):
            rows.append({"statement_id": f"{c['claim_id']}#{k}", "actor": actor, **base})
    columns = ["statement_id", "document", "date", "title", "person", "organization", "actor", "concept", "agreement", "agreement_value"]
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame(columns=columns)
    out["organization"] = speaker_organization(out, doc_frame)
    return out[columns + [c for c in out.columns if c not in columns]]


def speaker_organization(st: pd.DataFrame, docs: pd.DataFrame) -> pd.Series:
    """The organisation a statement's speaker speaks for: the reported actor, or for the author's own
    claims the document's outlet (metadata ``outlet`` or ``source``), else ''."""
    outlet_col = next((c for c in ("outlet", "source") if c in docs.columns), None)
    outlets = st["document"].map(docs[outlet_col]).fillna("") if outlet_col else pd.Series("", index=st.index)
    return st["speaker"].where(st["speaker"] != "author", outlets).fillna("").astype(str)


# --- the two-mode network ----------------------------------------------------------------------------


def _scalar(value):
    """GraphML/GEXF attributes must be str/int/float/bool: None/NaN become '' and lists JSON."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (list, dict)):
        return _json(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


NUMERIC_ATTRS = {"paragraph", "agreement_value", "claim_score", "stance_score", "scenario_score"}


def _claim_attr(key: str, value):
    """One type per attribute across all claim nodes (GraphML declares a type per key): numbers as
    floats with NaN for missing, everything else as text."""
    if key in NUMERIC_ATTRS:
        try:
            return float(value) if value is not None and value != "" else math.nan
        except (TypeError, ValueError):
            return math.nan
    if key in ("start", "end"):
        return int(value)
    if key == "list_item":
        return bool(value)
    value = _scalar(value)
    return value if isinstance(value, str) else json.dumps(value)


def _dates(values) -> dict:
    """``dates`` (distinct ISO dates joined by '; '), ``first_date`` and ``last_date`` of some statements."""
    days = sorted({d for d in values if d})
    return {"dates": "; ".join(days), "first_date": days[0] if days else "", "last_date": days[-1] if days else ""}


def network(view: ResultsView, concept: str = "scenario", n_clusters: int = 12, with_claims: bool = False,
            metadata=None):
    """The actor × concept two-mode network (networkx Graph).

    Nodes carry ``type`` (actor/scenario/cluster), ``bipartite`` (0/1), ``label`` and ``claims``. An edge's
    ``weight`` is the number of statements linking the actor to the concept; ``agreement`` is their mean
    agreement value (-1…1), ``agreement_label`` the most frequent stance and ``n_<stance>`` the count per
    stance; ``claim_ids`` and ``documents`` list where the statements come from. With ``with_claims`` every
    claim also becomes a node (type "claim", all its attributes) linked to its actors and its concept.
    """
    import networkx as nx

    st = statements(view, concept, n_clusters, metadata)
    linked = st[(st["actor"] != "") & (st["concept"] != "")] if not st.empty else st
    skipped = len(st) - len(linked)
    if skipped:
        log.info("%d statements have no actor or no %s and are left out of the network", skipped, concept)
    g = nx.Graph(name=f"argmine actor x {concept}", concept=concept, results=str(view.root),
                 schema=_json(view.run_info.get("schema", {})), model=str(view.run_info.get("model", "")))
    concept_type = "scenario" if concept == "scenario" else "cluster"
    for actor, n in Counter(linked["actor"]).items() if not linked.empty else ():
        g.add_node(f"actor:{actor}", label=actor, type="actor", bipartite=0, claims=int(n))
    for name, n in Counter(linked["concept"]).items() if not linked.empty else ():
        g.add_node(f"{concept_type}:{name}", label=name, type=concept_type, bipartite=1, claims=int(n))
    if not linked.empty:
        _add_actor_concept_edges(g, linked, concept_type, view.stance_labels)
    if with_claims:
        _add_claim_nodes(g, st, concept_type)
    for _, data in g.nodes(data=True):
        for k in list(data):
            if not (isinstance(data[k], float) and math.isnan(data[k])):  # NaN = missing number, kept as a float
                data[k] = _scalar(data[k])
        data.setdefault("claims", 0)
    normalise_attributes(g)
    return g


def _add_actor_concept_edges(g, linked: pd.DataFrame, concept_type: str, stance_labels) -> None:
    """One edge per (actor, concept) pair of the linked statements, with their counts, agreement and sources."""
    for (actor, name), grp in linked.groupby(["actor", "concept"], sort=True):
        counts = Counter(grp["agreement"])
        values = grp["agreement_value"].dropna()
        attrs = {
            "weight": int(len(grp)),
            "agreement": round(float(values.mean()), 4) if len(values) else 0.0,
            "agreement_label": counts.most_common(1)[0][0] if counts else "",
            "claim_ids": "; ".join(grp["claim_id"]),
            "documents": "; ".join(sorted(set(grp["document"]))),
            "mean_scenario_score": _scalar(float(pd.to_numeric(grp["scenario_score"]).mean())),
            **_dates(grp["date"]),
        }
        for label in stance_labels:
            attrs[f"n_{label}"] = int(counts.get(label, 0))
        g.add_edge(f"actor:{actor}", f"{concept_type}:{name}", **attrs)


def _add_claim_nodes(g, st: pd.DataFrame, concept_type: str) -> None:
    """Every claim as a node (all its attributes), linked to the actors it names and to its concept."""
    for claim_id, grp in st.groupby("claim_id", sort=False):
        first = grp.iloc[0]
        attrs = {k: _claim_attr(k, v) for k, v in first.items() if k not in ("statement_id", "actor", "start", "end")}
        # Character offsets are not times: named char_start/char_end so no reader takes them for a spell.
        attrs.update(char_start=int(first["start"]), char_end=int(first["end"]), dates=first["date"])
        g.add_node(f"claim:{claim_id}", label=claim_id, type="claim", bipartite=2, **attrs)
        for actor in grp["actor"]:
            if actor:
                g.add_node(f"actor:{actor}", label=actor, type="actor", bipartite=0)
                g.add_edge(f"actor:{actor}", f"claim:{claim_id}", weight=1, agreement=_scalar(first["agreement_value"]),
                           agreement_label=first["agreement"], relation="states")
        if first["concept"]:
            g.add_node(f"{concept_type}:{first['concept']}", label=first["concept"], type=concept_type, bipartite=1)
            g.add_edge(f"claim:{claim_id}", f"{concept_type}:{first['concept']}", weight=1, relation="points_to",
                       agreement=_scalar(first["agreement_value"]), agreement_label=first["agreement"])


def edge_list(g) -> pd.DataFrame:
    rows = [{"source": g.nodes[u]["label"], "source_type": g.nodes[u]["type"], "target": g.nodes[v]["label"],
             "target_type": g.nodes[v]["type"], **d} for u, v, d in g.edges(data=True)]
    return pd.DataFrame(rows)


def export(results: str | Path, fmt: str, out: str | Path, concept: str = "scenario", n_clusters: int = 12,
           with_claims: bool = False, metadata=None, schema: str | Path | None = None,
           raw_csv: bool = False) -> tuple[Path, dict]:
    """Write one export of a results folder; returns the path and a few counts for the CLI to show.

    CSV cells that would run as spreadsheet formulas are neutralised unless ``raw_csv``.
    """
    import networkx as nx

    if fmt not in FORMATS:
        raise OutputError(f"--format {fmt}: choose one of {', '.join(FORMATS)}")
    view = load_view(results, schema)
    out = Path(out)
    if fmt in ("dna", "statements"):
        st = statements(view, concept, n_clusters, metadata)
        counts = {"statements": len(st), "claims": len(view.claims),
                  "without_actor": int((st["actor"] == "").sum()) if len(st) else 0}
        if fmt == "dna":
            from .dna import write_dna

            counts = write_dna(view, st, out, metadata=metadata)
        else:
            atomic_write(out, lambda tmp: write_csv(st, tmp, raw=raw_csv))
        return out, counts
    g = network(view, concept, n_clusters, with_claims=with_claims, metadata=metadata)
    if fmt == "graphml":
        atomic_write(out, lambda tmp: nx.write_graphml(g, tmp, encoding="utf-8"))
    elif fmt == "gexf":
        atomic_write(out, lambda tmp: write_gexf(g, tmp))
    else:
        edges = edge_list(g)
        atomic_write(out, lambda tmp: write_csv(edges, tmp, raw=raw_csv))
    return out, {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "claims": len(view.claims)}
