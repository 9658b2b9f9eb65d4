"""Networks that load: GEXF 1.2 (validated against the GEXF 1.2 XSD), GraphML in networkx and igraph,
dates as spells only when they are dates, and the DNA 3 database."""

from __future__ import annotations

import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from test_inspect import ALPHA, CLAIMS, make_results, make_undated_results

NS = "{http://www.gexf.net/1.2draft}"
GEXF_XSD = Path(__file__).parent / "data" / "gexf-1.2draft"


@pytest.fixture(scope="module")
def gexf_schema(tmp_path_factory):
    """The GEXF 1.2 XSD (vendored verbatim, see its README) for the 1.2draft namespace argmine writes.

    gephi/gexf publishes the schema under ``http://www.gexf.net/1.2``; Gephi and networkx read and write
    ``http://www.gexf.net/1.2draft``. The schema files are copied with that namespace substituted (nothing
    else changes) so that lxml validates our files against exactly the published rules.
    """
    from lxml import etree

    folder = tmp_path_factory.mktemp("gexf-xsd")
    for xsd in GEXF_XSD.glob("*.xsd"):
        text = re.sub(r'http://www\.gexf\.net/1\.2(?=["/])', NS[1:-1], xsd.read_text(encoding="utf-8"))
        (folder / xsd.name).write_text(text, encoding="utf-8")
    return etree.XMLSchema(file=str(folder / "gexf.xsd"))


def gexf_errors(schema, path: Path) -> list[str]:
    """Every way the file breaks the GEXF 1.2 XSD, plus the references an XSD cannot check (empty: valid)."""
    from lxml import etree

    doc = etree.parse(str(path))
    errors = [] if schema.validate(doc) else [f"line {e.line}: {e.message}" for e in schema.error_log]
    graph = doc.getroot().find(f"{NS}graph")
    if graph is None:
        return errors
    declared = {cls.get("class"): {a.get("id") for a in cls} for cls in graph.findall(f"{NS}attributes")}
    node_ids = {n.get("id") for n in graph.iter(f"{NS}node")}
    for tag in ("node", "edge"):
        for el in graph.iter(f"{NS}{tag}"):
            for av in el.iter(f"{NS}attvalue"):
                if av.get("for") not in declared.get(tag, set()):
                    errors.append(f"<{tag} id={el.get('id')}> attvalue for={av.get('for')} names no declared {tag} attribute")
    for edge in graph.iter(f"{NS}edge"):
        if edge.get("source") not in node_ids or edge.get("target") not in node_ids:
            errors.append(f"edge {edge.get('id')} points to a missing node")
    return errors


@pytest.fixture()
def results(tmp_path: Path) -> Path:
    return make_results(tmp_path / "res")


def test_the_schema_catches_what_networkx_writes(results, tmp_path, gexf_schema):
    """networkx's own GEXF writer puts ``name`` on <graph> — the bug the issue reports."""
    import networkx as nx

    from argmine.inspect import load_view
    from argmine.inspect.export import network

    path = tmp_path / "nx.gexf"
    nx.write_gexf(network(load_view(results)), path)
    assert any("attribute 'name': The attribute 'name' is not allowed" in e for e in gexf_errors(gexf_schema, path))


@pytest.mark.parametrize("with_claims", [False, True])
def test_gexf_is_valid_and_dated_by_document_dates_only(results, tmp_path, with_claims, gexf_schema):
    import networkx as nx

    from argmine.inspect.export import export

    path, _ = export(results, "gexf", tmp_path / "n.gexf", with_claims=with_claims)
    assert gexf_errors(gexf_schema, path) == []
    root = ET.parse(path).getroot()
    graph = root.find(f"{NS}graph")
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    spells = {(s.get("start"), s.get("end")) for s in root.iter(f"{NS}spell")}
    assert spells == {("2025-03-03", "2025-03-03"), ("2024-05-12", "2024-05-12")}  # the documents' dates, nothing else
    for el in root.iter():
        assert not ({"start", "end"} & set(el.attrib)) or el.tag == f"{NS}spell"  # offsets are never times
    g = nx.read_gexf(path)
    import igraph  # python-igraph has no GEXF reader: it takes the graph networkx read

    ig = igraph.Graph.from_networkx(g)
    assert ig.vcount() == g.number_of_nodes() and "agreement" in ig.es.attributes()
    edge = g.edges["actor:Russia", "scenario:new_confrontation"]
    assert edge["agreement"] == -1.0 and edge["agreement_label"] == "con" and edge["dates"] == "2025-03-03"
    if with_claims:
        node = g.nodes["claim:alpha:0001"]
        assert (node["char_start"], node["char_end"]) == (ALPHA.index(CLAIMS[1][1]), ALPHA.index(CLAIMS[1][1]) + len(CLAIMS[1][1]))


def test_undated_network_is_static(tmp_path, gexf_schema):
    from argmine.inspect.export import export

    results = make_results(tmp_path / "res")
    docs = (results / "documents.jsonl").read_text(encoding="utf-8")
    (results / "documents.jsonl").write_text(re.sub(r'"date": "[^"]*"', '"date": null', docs), encoding="utf-8")
    path, _ = export(results, "gexf", tmp_path / "n.gexf", with_claims=True)
    assert gexf_errors(gexf_schema, path) == []
    root = ET.parse(path).getroot()
    assert root.find(f"{NS}graph").get("mode") == "static" and root.find(f"{NS}graph").get("timeformat") is None
    assert not list(root.iter(f"{NS}spell"))


def test_dates_come_from_metadata_when_the_text_has_none(tmp_path, gexf_schema):
    from argmine.inspect.export import export

    results, meta = make_undated_results(tmp_path, "doc_id,date,genre,source\nalpha,2023-01-15,op_ed,Example Times\nbeta,,brief,Wire\n")
    path, _ = export(results, "gexf", tmp_path / "n.gexf", metadata=meta)
    assert gexf_errors(gexf_schema, path) == []
    spells = {s.get("start") for s in ET.parse(path).getroot().iter(f"{NS}spell")}
    assert spells == {"2023-01-15"}


@pytest.mark.parametrize("with_claims", [False, True])
def test_graphml_declares_each_attribute_once_and_loads_in_igraph(results, tmp_path, with_claims):
    import igraph
    import networkx as nx

    from argmine.inspect.export import export

    path, _ = export(results, "graphml", tmp_path / "n.graphml", with_claims=with_claims)
    keys = [(k.get("for"), k.get("attr.name")) for k in ET.parse(path).getroot().iter("{http://graphml.graphdrawing.org/xmlns}key")]
    assert len(keys) == len(set(keys)), "an attribute is declared twice"
    ig = igraph.Graph.Read_GraphML(str(path))
    g = nx.read_graphml(path)
    assert ig.vcount() == g.number_of_nodes() and ig.ecount() == g.number_of_edges()
    russia = ig.vs.find(label="Russia")
    scen = ig.vs.find(label="new_confrontation")
    assert ig.es[ig.get_eid(russia.index, scen.index)]["agreement"] == -1.0
    if with_claims:
        assert "char_start" in ig.vs.attributes() and "start" not in ig.vs.attributes()


# --- DNA 3 -------------------------------------------------------------------------------------------------


def test_dna_database_has_dna3_tables_and_statements(results, tmp_path):
    from argmine.inspect.dna import check_jasypt
    from argmine.inspect.export import export

    meta = tmp_path / "manifest.csv"
    meta.write_text("doc_id,genre,source\nalpha,op_ed,Example Times\nbeta,policy_brief,Wire\n", encoding="utf-8")
    path, counts = export(results, "dna", tmp_path / "claims.dna", metadata=meta)
    assert counts == {"documents": 2, "statements": 8, "claims": 7}
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"SETTINGS", "CODERS", "DOCUMENTS", "STATEMENTTYPES", "VARIABLES", "VARIABLELINKS", "REGEXES",
                      "CODERRELATIONS", "STATEMENTS", "DATABOOLEAN", "DATAINTEGER", "ENTITIES", "DATASHORTTEXT",
                      "DATALONGTEXT", "ATTRIBUTEVARIABLES", "ATTRIBUTEVALUES"}
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT Value FROM SETTINGS WHERE Property='version'").fetchone()[0].startswith("3")
    name, password = db.execute("SELECT Name, Password FROM CODERS WHERE ID=1").fetchone()
    assert name == "Admin" and check_jasypt("admin", password) and not check_jasypt("wrong", password)
    variables = db.execute("SELECT Variable, DataType FROM VARIABLES ORDER BY ID").fetchall()
    assert variables[:4] == [("person", "short text"), ("organization", "short text"), ("concept", "short text"), ("agreement", "integer")]
    title, author, source, doc_type, date, text = db.execute(
        "SELECT Title, Author, Source, Type, Date, Text FROM DOCUMENTS WHERE Notes LIKE '%doc_id: alpha;%'").fetchone()
    assert (author, source, doc_type, date) == ("Ana Test", "Example Times", "op_ed", 1740960000)  # 2025-03-03 UTC
    assert text == ALPHA
    rows = db.execute("""
        SELECT s.Start, s.Stop, d.Text,
          (SELECT e.Value FROM DATASHORTTEXT t JOIN ENTITIES e ON e.ID=t.Entity JOIN VARIABLES v ON v.ID=t.VariableId WHERE t.StatementId=s.ID AND v.Variable='person'),
          (SELECT e.Value FROM DATASHORTTEXT t JOIN ENTITIES e ON e.ID=t.Entity JOIN VARIABLES v ON v.ID=t.VariableId WHERE t.StatementId=s.ID AND v.Variable='organization'),
          (SELECT e.Value FROM DATASHORTTEXT t JOIN ENTITIES e ON e.ID=t.Entity JOIN VARIABLES v ON v.ID=t.VariableId WHERE t.StatementId=s.ID AND v.Variable='actor'),
          (SELECT e.Value FROM DATASHORTTEXT t JOIN ENTITIES e ON e.ID=t.Entity JOIN VARIABLES v ON v.ID=t.VariableId WHERE t.StatementId=s.ID AND v.Variable='concept'),
          (SELECT i.Value FROM DATAINTEGER i JOIN VARIABLES v ON v.ID=i.VariableId WHERE i.StatementId=s.ID AND v.Variable='agreement')
        FROM STATEMENTS s JOIN DOCUMENTS d ON d.ID = s.DocumentId ORDER BY s.ID""").fetchall()
    by_text = {text[a:b]: (person, org, actor, concept, agreement) for a, b, text, person, org, actor, concept, agreement in rows}
    assert by_text[CLAIMS[6][1]] == ("Iran", "Iran", "Iran", "deferred_tension", -1)  # a reported speaker speaks for itself
    assert by_text[CLAIMS[1][1]] == ("Ana Test", "Example Times", "Russia", "new_confrontation", -1)  # the author, for the outlet
    assert by_text[CLAIMS[3][1]][4] == 0 and by_text[CLAIMS[0][1]][4] == 1
    # every short-text entity has its attribute rows (Type, Alias, Notes), as DNA creates them
    missing = db.execute("""SELECT COUNT(*) FROM ENTITIES e JOIN ATTRIBUTEVARIABLES a ON a.VariableId = e.VariableId
                            WHERE NOT EXISTS (SELECT 1 FROM ATTRIBUTEVALUES x WHERE x.EntityId=e.ID AND x.AttributeVariableId=a.ID)""").fetchone()[0]
    assert missing == 0


def test_dna_offsets_are_java_utf16_offsets():
    from argmine.inspect.dna import utf16_offset

    text = "a😀b claim"
    assert utf16_offset(text, text.index("b")) == 3 and utf16_offset(text, 1) == 1
    assert ("a😀b".encode("utf-16-le")[utf16_offset(text, 2) * 2:].decode("utf-16-le", errors="ignore")).startswith("b")
