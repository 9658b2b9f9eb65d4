"""Writing networks that other tools load: one type per attribute, and a GEXF 1.2 writer.

GraphML declares one ``<key>`` per attribute name and domain; a name whose values mix types (an
``agreement`` that is 0.5 on one edge and '' on another) makes networkx declare it twice, which igraph
refuses. ``normalise_attributes`` gives every attribute one type. GEXF is written here rather than by
networkx, whose writer puts a ``name`` attribute on ``<graph>`` (not allowed by the GEXF 1.2 schema) and
turns any ``start``/``end`` attribute into a time interval. The tests validate the output against the
GEXF 1.2 XSD (tests/data/gexf-1.2draft). Time appears in the GEXF only as spells built
from real dates (the ``dates`` attribute: ISO dates joined by '; ').
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

GEXF_NS = "http://www.gexf.net/1.2draft"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{GEXF_NS} http://www.gexf.net/1.2draft/gexf.xsd"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _kind(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return "str"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _column_kind(values: list) -> str:
    """One type for an attribute: bool, int or float when every present value is one, else str."""
    kinds = {_kind(v) for v in values if not _missing(v)}
    if not kinds:
        return "str"
    if kinds == {"bool"}:
        return "bool"
    if kinds <= {"int", "float"}:
        return "int" if kinds == {"int"} else "float"
    return "str"


def _cast(value, kind: str):
    if kind == "float":
        return float(value)
    if kind == "str":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (list, dict)):
            return json.dumps(value, ensure_ascii=False)
        return "" if _missing(value) else str(value)
    return value


def normalise_attributes(g) -> dict[str, dict[str, str]]:
    """Give every node and edge attribute one type across the graph (in place); returns the types.

    A missing value (None, NaN, '') of a number or boolean attribute is removed from that element —
    absent is what GraphML and GEXF readers understand as missing — so that nothing is invented.
    """
    types: dict[str, dict[str, str]] = {}
    for domain, items in (("node", [d for _, d in g.nodes(data=True)]), ("edge", [d for *_, d in g.edges(data=True)])):
        names = sorted({k for d in items for k in d})
        kinds = {}
        for name in names:
            kind = _column_kind([d[name] for d in items if name in d])
            kinds[name] = kind
            for d in items:
                if name not in d:
                    continue
                if kind != "str" and _missing(d[name]):
                    del d[name]
                else:
                    d[name] = _cast(d[name], kind)
        types[domain] = kinds
    return types


GEXF_TYPE = {"str": "string", "int": "long", "float": "double", "bool": "boolean"}


def _value_text(value, kind: str) -> str:
    if kind == "bool":
        return "true" if value else "false"
    if kind == "float":
        return repr(float(value))
    return str(value)


def _dates(data: dict) -> list[str]:
    raw = data.get("dates") or ""
    return sorted({d.strip() for d in str(raw).split(";") if ISO_DATE.match(d.strip())})


def _attributes(graph_el, cls: str, kinds: dict[str, str], skip: set[str]) -> dict[str, str]:
    el = ET.SubElement(graph_el, f"{{{GEXF_NS}}}attributes", {"class": cls})
    ids = {}
    for i, (name, kind) in enumerate(k for k in kinds.items() if k[0] not in skip):
        ids[name] = str(i)
        ET.SubElement(el, f"{{{GEXF_NS}}}attribute", {"id": str(i), "title": name, "type": GEXF_TYPE[kind]})
    return ids


def _element_body(el, data: dict, ids: dict[str, str], kinds: dict[str, str], dynamic: bool) -> None:
    values = [(ids[k], _value_text(v, kinds[k])) for k, v in data.items() if k in ids and not (kinds[k] == "str" and v == "")]
    if values:
        att = ET.SubElement(el, f"{{{GEXF_NS}}}attvalues")
        for for_id, text in values:
            ET.SubElement(att, f"{{{GEXF_NS}}}attvalue", {"for": for_id, "value": text})
    dates = _dates(data) if dynamic else []
    if dates:
        spells = ET.SubElement(el, f"{{{GEXF_NS}}}spells")
        for day in dates:
            ET.SubElement(spells, f"{{{GEXF_NS}}}spell", {"start": day, "end": day})


def write_gexf(g, path: str | Path, description: str = "") -> None:
    """Write ``g`` as GEXF 1.2: static, or dynamic (timeformat date) when some element has dates."""
    kinds = normalise_attributes(g)
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("xsi", XSI_NS)
    root = ET.Element(f"{{{GEXF_NS}}}gexf", {"version": "1.2", f"{{{XSI_NS}}}schemaLocation": SCHEMA_LOCATION})
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta", {"lastmodifieddate": dt.date.today().isoformat()})
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "argmine"
    ET.SubElement(meta, f"{{{GEXF_NS}}}description").text = description or str(g.graph.get("name", ""))
    dynamic = any(_dates(d) for _, d in g.nodes(data=True)) or any(_dates(d) for *_, d in g.edges(data=True))
    attrs = {"defaultedgetype": "directed" if g.is_directed() else "undirected", "mode": "dynamic" if dynamic else "static"}
    if dynamic:
        attrs["timeformat"] = "date"
    graph_el = ET.SubElement(root, f"{{{GEXF_NS}}}graph", attrs)
    skip = {"label"}
    node_ids = _attributes(graph_el, "node", kinds["node"], skip)
    edge_ids = _attributes(graph_el, "edge", kinds["edge"], skip | {"weight"})
    nodes_el = ET.SubElement(graph_el, f"{{{GEXF_NS}}}nodes", {"count": str(g.number_of_nodes())})
    for node, data in g.nodes(data=True):
        el = ET.SubElement(nodes_el, f"{{{GEXF_NS}}}node", {"id": str(node), "label": str(data.get("label", node))})
        _element_body(el, data, node_ids, kinds["node"], dynamic)
    edges_el = ET.SubElement(graph_el, f"{{{GEXF_NS}}}edges", {"count": str(g.number_of_edges())})
    for i, (u, v, data) in enumerate(g.edges(data=True)):
        attrs = {"id": str(i), "source": str(u), "target": str(v)}
        if isinstance(data.get("weight"), (int, float)) and not _missing(data.get("weight")):
            attrs["weight"] = repr(float(data["weight"]))
        el = ET.SubElement(edges_el, f"{{{GEXF_NS}}}edge", attrs)
        _element_body(el, data, edge_ids, kinds["edge"], dynamic)
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
