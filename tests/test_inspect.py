"""`argmine show | summary | report | export` on a small results folder whose labels are set by hand.

``make_results`` is also imported by tests/test_report_browser.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from argmine.records import ClaimRecord, DocumentRecord
from argmine.segment import segment_text
from argmine.writers import write_results

STANCES = ["pro", "con", "neutral"]
SCENARIOS = ["ideal_peace", "formal_peace", "deferred_tension", "new_confrontation", "none"]

ALPHA = """# Talks at the <b>Border</b>
By Ana Test, Fellow, Example Institute
Published: 3 March 2025

## Why it matters
Armenia and Azerbaijan have agreed on a border commission. Russia may try to sabotage the talks <script>window.__pwned = 1</script> before summer.

- The commission should meet monthly.
- Both sides must publish maps & data.

References
- Test, Ana. Borders. 2024.
"""

BETA = """Moscow and the Deal
By Ivan Example, Analyst
12 May 2024

Russia wants to keep its role in the region. Turkey supports the talks, while Iran objects to new corridors.
"""

# (doc, exact text, stance, scenario, score of both labels, actors, speaker, claim_type, citations)
CLAIMS = [
    ("alpha", "Armenia and Azerbaijan have agreed on a border commission.", "pro", "ideal_peace", 0.8, ["Armenia", "Azerbaijan"], "author", "assessment", []),
    ("alpha", "Russia may try to sabotage the talks <script>window.__pwned = 1</script> before summer.", "con", "new_confrontation", 0.9, ["Russia"], "author", "prediction", ["Test 2024"]),
    ("alpha", "The commission should meet monthly.", "pro", "formal_peace", 0.6, [], "author", "prescription", []),
    ("alpha", "Both sides must publish maps & data.", "neutral", "none", 0.5, ["Armenia"], "Armenia", "prescription", []),
    ("beta", "Russia wants to keep its role in the region.", "con", "deferred_tension", 0.7, ["Russia"], "author", "assessment", []),
    ("beta", "Turkey supports the talks", "pro", "ideal_peace", 0.75, ["Turkey"], "author", "assessment", []),
    ("beta", "while Iran objects to new corridors.", "con", "deferred_tension", 0.65, ["Iran"], "Iran", "assessment", []),
]


def _scores(labels: list[str], label: str | None, p: float) -> dict[str, float]:
    if label is None:
        return {lab: 1 / len(labels) for lab in labels}
    return {lab: (p if lab == label else (1 - p) / (len(labels) - 1)) for lab in labels}


def make_results(out: Path, unlabelled: int = 0) -> Path:
    """A results folder for ALPHA and BETA with the CLAIMS above (the last ``unlabelled`` have no labels)."""
    texts = {"alpha": ALPHA, "beta": BETA}
    documents, claims = [], []
    for doc_id, text in texts.items():
        segments, references, front = segment_text(text)
        rows = [c for c in CLAIMS if c[0] == doc_id]
        documents.append(DocumentRecord(
            doc_id=doc_id, path=f"corpus/texts/{doc_id}.md", format="markdown",
            sha256=hashlib.sha256(text.encode()).hexdigest(), n_chars=len(text), title=front["title"],
            byline=front["byline"], author=front["author"], date=front["date"], n_segments=len(segments),
            n_claims=len(rows), n_references=len(references), segments=segments, references=references))
        pos = 0
        for i, (_, quote, stance, scenario, p, actors, speaker, ctype, cites) in enumerate(rows):
            start = text.index(quote, pos)
            pos = start + len(quote)
            seg = next(s for s in segments if s.start <= start < s.end)
            claims.append(ClaimRecord(section=seg.section, paragraph=seg.paragraph, list_item=seg.kind == "list_item",
                doc_id=doc_id, claim_id=f"{doc_id}:{i:04d}", start=start, end=pos, text=quote, actors=actors,
                speaker=speaker, claim_type=ctype, hedged=" may " in quote, citations=cites, claim_score=1.0,
                stance=stance, stance_scores=_scores(STANCES, stance, p),
                scenario=scenario, scenario_scores=_scores(SCENARIOS, scenario, p), model="hand-set test labels"))
    for c in claims[len(claims) - unlabelled:] if unlabelled else []:
        c.stance, c.scenario = None, None
        c.stance_scores, c.scenario_scores = _scores(STANCES, None, 0), _scores(SCENARIOS, None, 0)
    return write_results(out, documents, claims, texts=texts, extra={"model": "hand-set test labels"}, overwrite=True)


def make_undated_results(out: Path, manifest_csv: str) -> tuple[Path, Path]:
    """``make_results`` with every document date removed, plus a metadata CSV beside it (dates from metadata)."""
    results = make_results(out / "res")
    docs = (results / "documents.jsonl").read_text(encoding="utf-8")
    (results / "documents.jsonl").write_text(re.sub(r'"date": "[^"]*"', '"date": null', docs), encoding="utf-8")
    meta = out / "manifest.csv"
    meta.write_text(manifest_csv, encoding="utf-8")
    return results, meta


@pytest.fixture()
def results(tmp_path: Path) -> Path:
    return make_results(tmp_path / "res")


@pytest.fixture()
def view(results: Path):
    from argmine.inspect import load_view

    return load_view(results)


# --- loading and filtering ----------------------------------------------------------------------


def test_view_adds_own_label_scores_and_schema_order(view):
    df = view.claims.set_index("claim_id")
    assert df.loc["alpha:0001", "scenario_score"] == pytest.approx(0.9)
    assert df.loc["beta:0000", "stance_score"] == pytest.approx(0.7)
    assert view.scenario_labels == SCENARIOS  # key order of the score maps, not alphabetical
    assert view.stance_labels == STANCES
    assert view.text("alpha") == ALPHA


def test_filters_combine_and_match_case_insensitively(view):
    from argmine.inspect import ClaimFilter, apply_filter

    ids = lambda f: list(apply_filter(view.claims, f)["claim_id"])  # noqa: E731
    assert ids(ClaimFilter(actors=["russia"])) == ["alpha:0001", "beta:0000"]
    assert ids(ClaimFilter(actors=["Russia"], stances=["con"], scenarios=["deferred_tension"])) == ["beta:0000"]
    assert ids(ClaimFilter(stances=["pro", "neutral"], docs=["alpha"])) == ["alpha:0000", "alpha:0002", "alpha:0003"]
    assert ids(ClaimFilter(min_score=0.75)) == ["alpha:0000", "alpha:0001", "beta:0001"]
    assert ids(ClaimFilter(min_score=0.75, score_of="claim")) == list(view.claims["claim_id"])
    assert ids(ClaimFilter(speakers=["Iran"])) == ["beta:0002"]
    assert ids(ClaimFilter(claim_types=["prescription"])) == ["alpha:0002", "alpha:0003"]
    assert ids(ClaimFilter(grep="SABOTAGE")) == ["alpha:0001"]
    assert ids(ClaimFilter(grep="why it matters")) == ["alpha:0000", "alpha:0001", "alpha:0002", "alpha:0003"]  # the section


def test_unknown_filter_value_is_an_error_naming_the_known_values(view):
    from argmine.inspect import ClaimFilter, apply_filter
    from argmine.inspect.filters import FilterError

    with pytest.raises(FilterError, match="known values: .*new_confrontation"):
        apply_filter(view.claims, ClaimFilter(scenarios=["new_confrontaton"]))
    with pytest.raises(FilterError, match="Russia"):
        apply_filter(view.claims, ClaimFilter(actors=["Rusia"]))


def test_sort_descending_and_bad_column(view):
    from argmine.inspect import sort_claims
    from argmine.inspect.filters import FilterError

    ordered = sort_claims(view.claims, ["-scenario_score"])
    assert list(ordered["claim_id"][:2]) == ["alpha:0001", "alpha:0000"]
    with pytest.raises(FilterError, match="no such column"):
        sort_claims(view.claims, ["nope"])


def test_text_renderings(view):
    from argmine.inspect import tables

    cols = ["claim_id", "actors", "scenario_score", "text"]
    rows = json.loads(tables.to_json(view.claims, cols))
    assert rows[0] == {"claim_id": "alpha:0000", "actors": ["Armenia", "Azerbaijan"], "scenario_score": 0.8,
                       "text": CLAIMS[0][1]}
    csv = tables.to_csv(view.claims, cols).splitlines()
    assert csv[0] == "claim_id,actors,scenario_score,text" and csv[1].startswith("alpha:0000,Armenia; Azerbaijan,0.800,")
    md = tables.to_markdown(view.claims.head(1).assign(text="a | b"), ["claim_id", "text"])
    assert md.splitlines()[2] == "| alpha:0000 | a \\| b |"


# --- aggregates -------------------------------------------------------------------------------------


def test_summary_aggregates(view):
    from argmine.inspect import summary

    df = view.claims
    per_doc = summary.claims_per_document(df, view.documents)
    assert per_doc["claims"].to_dict() == {"alpha": 4, "beta": 3}
    assert per_doc.loc["beta", "title"] == "Moscow and the Deal"
    st = summary.crosstab(df, "stance", "scenario", view.stance_labels, view.scenario_labels)
    assert st.loc["con", "deferred_tension"] == 2 and st.loc["pro", "ideal_peace"] == 2 and st.loc["total", "total"] == 7
    assert list(st.columns) == [s for s in SCENARIOS] + ["total"]
    actor = summary.actor_crosstab(df, "scenario", view.scenario_labels)
    assert actor.index[0] in ("Armenia", "Russia")  # busiest first: both appear in two claims
    assert actor.loc["Russia", "new_confrontation"] == 1 and actor.loc["Russia", "deferred_tension"] == 1
    assert actor.loc["total", "total"] == 7  # 7 (claim, actor) pairs: Armenia twice, the list item none
    stance = summary.actor_crosstab(df, "stance", view.stance_labels)
    assert stance.loc["Armenia"].to_dict() == {"pro": 1, "con": 0, "neutral": 1, "total": 2}


def test_scenario_profile_is_score_weighted_and_names_the_leaning(view):
    from argmine.inspect import summary

    prof = summary.scenario_profile(view.claims, view.scenario_labels, view.documents, view.schema.none_scenario)
    alpha = prof.loc["alpha"]
    # weights 0.8 ideal, 0.9 new_confrontation, 0.6 formal, 0.5 none; total 2.8
    assert alpha["new_confrontation"] == pytest.approx(0.9 / 2.8)
    assert alpha["none"] == pytest.approx(0.5 / 2.8)
    assert alpha[SCENARIOS].sum() == pytest.approx(1.0)
    assert alpha["leaning"] == "new_confrontation"
    assert prof.loc["beta", "deferred_tension"] == pytest.approx(1.35 / 2.1)
    assert prof.loc["beta", "leaning"] == "deferred_tension"


def test_profile_leaves_unlabelled_claims_out(tmp_path):
    from argmine.inspect import load_view, summary

    view = load_view(make_results(tmp_path / "r", unlabelled=3))  # all of beta unlabelled
    prof = summary.scenario_profile(view.claims, view.scenario_labels, view.documents, view.schema.none_scenario)
    assert prof.loc["beta", "unlabelled"] == 3 and prof.loc["beta", "labelled"] == 0
    assert prof.loc["beta", SCENARIOS].sum() == 0 and prof.loc["beta", "leaning"] == ""
    assert view.n_unlabelled == 3


# --- HTML report ------------------------------------------------------------------------------------


def _payload(html: str, block: str = "payload") -> dict:
    match = re.search(rf'<script type="application/json" id="{block}">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_report_escapes_article_markup_and_is_self_contained(results, tmp_path):
    from argmine.inspect.report import write_report

    html = write_report(results, tmp_path / "r.html").read_text(encoding="utf-8")
    # article text only as JSON with <, >, & escaped: it cannot close the script or open a tag
    assert "<script>window.__pwned" not in html and "<b>Border</b>" not in html
    assert "\\u003cscript\\u003ewindow.__pwned = 1\\u003c/script\\u003e" in html
    bodies = _payload(html, "bodies")
    assert ALPHA in bodies["text"] and "maps & data" in bodies["text"][0]
    # nothing fetched from elsewhere: no external src/href, no <script src>
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "<script src" not in html
    assert "connect-src 'none'" in html and "default-src 'none'" in html


def test_report_payload_claims_documents_charts(results, tmp_path):
    from argmine.inspect.report import write_report

    html = write_report(results, tmp_path / "r.html").read_text(encoding="utf-8")
    data, bodies = _payload(html), _payload(html, "bodies")
    claims, docs = data["claims"], data["docs"]
    assert docs["id"] == ["alpha", "beta"] and docs["date"] == ["2025-03-03", "2024-05-12"]
    assert len(claims["id"]) == len(CLAIMS)
    for k, (_doc, quote, stance, scenario, p, actors, speaker, ctype, _c) in enumerate(CLAIMS):
        text = bodies["text"][claims["doc"][k]]
        assert text[claims["start"][k]:claims["end"][k]] == quote == claims["text"][k]
        assert data["labels"]["stance"][claims["stance"][k]] == stance
        assert data["labels"]["scenario"][claims["scenario"][k]] == scenario and claims["scs"][k] == pytest.approx(p)
        assert [claims["actor_names"][a] for a in claims["actors"][k]] == actors
        assert claims["speaker"][k] == speaker and claims["type"][k] == ctype
    kinds = [data["segment_kinds"][s[0]] for s in bodies["segments"][0]]
    assert kinds[:2] == ["title", "byline"] and "heading" in kinds and kinds.count("list_item") == 2
    assert set(data["charts"]) >= {"stance_scenario", "actor_stance", "actor_scenario", "timeline_quarter"}
    assert data["charts"]["actor_stance"]["filters"] == {"actor": "actor", "stance": "stance"}
    assert data["charts"]["stance_scenario"]["spec"]["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    # every chart names its datasets and says how the page recomputes them from the filtered claims
    for chart in data["charts"].values():
        assert {d["name"] for d in chart["data"]} == set(chart["spec"]["datasets"])
    recipe = data["charts"]["stance_scenario"]["data"][0]
    assert recipe["keys"] == {"scenario": "scenario", "stance": "stance"} and recipe["measure"] == "claims"
    rows = data["charts"]["stance_scenario"]["spec"]["datasets"]["stance_scenario"]
    assert sum(r["claims"] for r in rows) == len(CLAIMS)
    assert [d["measure"] for d in data["charts"]["timeline_year"]["data"]] == ["share", "claims"]
    russia = next(r for r in data["actor_table"]["rows"] if r[0] == "Russia")
    assert russia[1] == 2 and data["colours"]["stance"]["pro"].startswith("#")


def test_report_facets_from_metadata(results, tmp_path):
    from argmine.inspect.report import write_report

    meta = tmp_path / "m.csv"
    meta.write_text("doc_id,genre,vantage\nalpha,op_ed,armenian\nbeta,brief,russian\n", encoding="utf-8")
    data = _payload(write_report(results, tmp_path / "r.html", metadata=meta).read_text(encoding="utf-8"))
    assert data["facets"] == ["genre", "vantage"] and data["docs"]["facets"]["genre"] == ["op_ed", "brief"]
    assert data["charts"]["facet_genre"]["filters"] == {"genre": "facet:genre", "stance": "stance"}


def test_report_without_labels_or_texts_still_renders(tmp_path):
    import shutil

    from argmine.inspect.report import write_report

    res = make_results(tmp_path / "r", unlabelled=7)
    shutil.rmtree(res / "texts")
    html = write_report(res, tmp_path / "r.html").read_text(encoding="utf-8")
    data, bodies = _payload(html), _payload(html, "bodies")
    assert data["n_unlabelled"] == 7 and set(data["claims"]["stance"]) == {-1}
    assert bodies["text"] == [None, None] and data["claims"]["text"][0] == CLAIMS[0][1]


# --- export -----------------------------------------------------------------------------------------


def test_dna_statements(results, tmp_path):
    import pandas as pd

    from argmine.inspect.export import export

    path, counts = export(results, "statements", tmp_path / "st.csv")
    st = pd.read_csv(path, keep_default_na=False)
    assert list(st.columns[:10]) == ["statement_id", "document", "date", "title", "person", "organization", "actor", "concept",
                                     "agreement", "agreement_value"]
    assert counts == {"statements": 8, "claims": 7, "without_actor": 1}
    first = st.iloc[0]
    assert (first["actor"], first["concept"], first["agreement"], first["agreement_value"]) == ("Armenia", "ideal_peace", "pro", 1)
    assert first["organization"] == ""  # the author's claim; no outlet known without metadata
    assert first["date"] == "2025-03-03" and first["person"] == "Ana Test"  # author's name for the author's claims
    iran = st[st["actor"] == "Iran"].iloc[0]
    assert iran["organization"] == "Iran"  # a reported speaker speaks for itself
    assert iran["agreement_value"] == -1 and iran["person"] == "Iran" and iran["date"] == "2024-05-12"
    assert json.loads(iran["scenario_scores"])["deferred_tension"] == pytest.approx(0.65)
    for col in ("claim_id", "start", "end", "text", "section", "citations", "hedged", "claim_type", "mentions", "model"):
        assert col in st.columns


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_roundtrip(results, tmp_path, fmt):
    import networkx as nx

    from argmine.inspect.export import export

    path, counts = export(results, fmt, tmp_path / f"net.{fmt}")
    g = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(path)
    actors = {n for n, d in g.nodes(data=True) if d["type"] == "actor"}
    assert {g.nodes[n]["label"] for n in actors} == {"Armenia", "Azerbaijan", "Russia", "Turkey", "Iran"}
    edge = g.edges["actor:Russia", "scenario:new_confrontation"]
    assert int(edge["weight"]) == 1 and float(edge["agreement"]) == -1.0 and edge["agreement_label"] == "con"
    arm = g.edges["actor:Armenia", "scenario:none"]
    assert arm["claim_ids"] == "alpha:0003" and int(arm["n_neutral"]) == 1
    assert sum(int(d["weight"]) for *_e, d in g.edges(data=True)) == 7  # statements with actor and scenario
    assert nx.is_bipartite(g)
    assert counts["edges"] == g.number_of_edges()


def test_network_with_claim_nodes_keeps_every_attribute(results, tmp_path):
    import networkx as nx

    from argmine.inspect.export import export

    path, _ = export(results, "graphml", tmp_path / "net.graphml", with_claims=True)
    g = nx.read_graphml(path)
    node = g.nodes["claim:alpha:0001"]
    assert node["text"] == CLAIMS[1][1] and node["citations"] == "Test 2024" and node["claim_type"] == "prediction"
    assert node["scenario_score"] == pytest.approx(0.9) and node["hedged"] == "true"
    assert g.nodes["claim:alpha:0002"]["agreement_value"] == 1.0
    assert g.nodes["claim:alpha:0002"]["list_item"] is True and g.nodes["claim:alpha:0000"]["list_item"] is False
    from argmine.inspect import load_view

    expected = load_view(results).claims.set_index("claim_id").loc["alpha:0002", "paragraph"]
    assert g.nodes["claim:alpha:0002"]["paragraph"] == float(expected)
    assert g.has_edge("actor:Russia", "claim:alpha:0001") and g.has_edge("claim:alpha:0001", "scenario:new_confrontation")
    assert "claim:alpha:0002" in g  # a claim without actor is still there, linked to its scenario


def test_csv_edge_list_and_cluster_concepts(results, tmp_path):
    import pandas as pd

    from argmine.inspect.export import export

    path, _ = export(results, "csv", tmp_path / "edges.csv")
    edges = pd.read_csv(path)
    row = edges[(edges["source"] == "Iran")].iloc[0]
    assert (row["target"], row["target_type"], row["weight"], row["n_con"]) == ("deferred_tension", "scenario", 1, 1)
    path, _ = export(results, "statements", tmp_path / "clusters.csv", concept="cluster", n_clusters=2)
    st = pd.read_csv(path)
    assert st["concept"].nunique() == 2 and st["concept"].str.match(r"c0[01]: ").all()


def test_export_is_atomic_and_keeps_old_file_on_failure(results, tmp_path, monkeypatch):
    import networkx as nx

    from argmine.errors import OutputError
    from argmine.inspect import export as export_mod

    out = tmp_path / "net.graphml"
    out.write_text("old", encoding="utf-8")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(nx, "write_graphml", boom)
    with pytest.raises(RuntimeError):
        export_mod.export(results, "graphml", out)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".net")] == []
    with pytest.raises(OutputError, match="choose one of"):
        export_mod.export(results, "pajek", tmp_path / "x")
    with pytest.raises(OutputError, match="is a folder"):
        export_mod.export(results, "dna", tmp_path)


# --- CLI --------------------------------------------------------------------------------------------


def _cli(*args: str):
    from typer.testing import CliRunner

    from argmine.cli import app

    return CliRunner().invoke(app, [*args])


def test_cli_show_formats_and_errors(results):
    r = _cli("show", str(results), "--actor", "Russia", "--format", "json", "--columns", "claim_id,stance,scenario")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == [
        {"claim_id": "alpha:0001", "stance": "con", "scenario": "new_confrontation"},
        {"claim_id": "beta:0000", "stance": "con", "scenario": "deferred_tension"},
    ]
    r = _cli("show", str(results), "--stance", "pro", "--sort", "-scenario_score", "-f", "csv", "--columns", "claim_id")
    assert r.stdout.split() == ["claim_id", "alpha:0000", "beta:0001", "alpha:0002"]
    r = _cli("show", str(results), "--type", "prescription", "--min-score", "0.55", "-f", "markdown", "--columns", "claim_id,text")
    assert r.stdout.splitlines()[2:] == ["| alpha:0002 | The commission should meet monthly. |"]
    r = _cli("show", str(results), "--grep", "corridors", "--no-pager")
    assert r.exit_code == 0 and "beta:0002" in r.stdout and "corridors" in r.stdout and "1 of 7 claims" in r.stdout
    r = _cli("show", str(results), "--scenario", "peace")
    assert r.exit_code == 2 and "known values" in r.output
    r = _cli("show", str(results.parent / "missing"))
    assert r.exit_code == 2 and "no such folder" in r.output


def test_cli_summary_report_export(results, tmp_path):
    r = _cli("summary", str(results))
    assert r.exit_code == 0, r.output
    for title in ("claims per document", "stance × scenario", "actor × scenario", "actor × stance", "scenario profile"):
        assert title in r.stdout
    r = _cli("summary", str(results), "-f", "json")
    data = json.loads(r.stdout)
    prof = data["scenario profile per document"]
    assert prof["index"] == ["alpha", "beta"] and prof["data"][0][prof["columns"].index("leaning")] == "new_confrontation"
    r = _cli("report", str(results), "--out", str(tmp_path / "rep.html"))
    assert r.exit_code == 0 and (tmp_path / "rep.html").stat().st_size > 10_000
    r = _cli("export", str(results), "--format", "gexf", "--out", str(tmp_path / "n.gexf"))
    assert r.exit_code == 0 and "gexf →" in r.stdout and (tmp_path / "n.gexf").is_file()
