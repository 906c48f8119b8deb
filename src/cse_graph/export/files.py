"""File exports for other tools: Turtle, N-Triples, JSON-LD, GraphML, GEXF, nodes/edges CSV.

Every write is atomic: the file is written beside its target under a temporary name and
renamed over it only when complete, so a failed export leaves the previous file intact.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..fileio import atomic_write, public_mode, temp_dir  # noqa: F401  (re-exported: export modules use them)
from ..graph import Projection
from ..vocab import PREFIXES

RDF_FORMATS = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld"}
GRAPH_FORMATS = {"graphml": ".graphml", "gexf": ".gexf", "csv": ".csv"}


def write_rdf(ntriples: Path, out: Path, fmt: str) -> Path:
    """Serialise the compiled graph (an N-Triples file) as Turtle, N-Triples or JSON-LD."""
    import pyoxigraph as ox

    triples = list(ox.parse(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES))
    target = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    kwargs = {"prefixes": PREFIXES} if fmt in ("turtle", "jsonld") else {}
    with atomic_write(out, "wb") as fh:
        ox.serialize(triples, fh, format=target, **kwargs)
    return out


def _flat(value):
    """GraphML/GEXF attributes must be scalars."""
    if value is None:
        return ""
    if isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value, ensure_ascii=False)


def networkx_graph(proj: Projection):
    """A DiGraph with scalar attributes: label, type, date bounds, districts; on edges relation,
    confidence, scope, first quote, locator, document and the full evidence as JSON."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for n, info in proj.nodes.items():
        d = info.get("date") or {}
        g.add_node(n, label=info["label"], type=info["type"], date=d.get("text", ""),
                   earliest=d.get("earliest", ""), latest=d.get("latest", ""),
                   districts=" ".join(info.get("districts", [])), description=info.get("description") or "")
    for e in proj.edges:
        ev = e["evidence"]
        g.add_edge(e["source"], e["target"], key=e["key"], relation=e["relation"], confidence=e["confidence"],
                   scope=e["scope"], quote=ev[0]["quote"] if ev else "", locator=ev[0]["locator"] or "" if ev else "",
                   document=ev[0]["document"] if ev else "", evidence=_flat(ev))
    return g


def _write_network(proj: Projection, out: Path, writer: str) -> Path:
    """Serialise with networkx's ``writer`` into memory first, so a failure leaves ``out`` intact."""
    import networkx as nx

    buf = io.BytesIO()
    getattr(nx, writer)(networkx_graph(proj), buf, encoding="utf-8")
    with atomic_write(out, "wb") as fh:
        fh.write(buf.getvalue())
    return out


def write_graphml(proj: Projection, out: Path) -> Path:
    return _write_network(proj, out, "write_graphml")


def write_gexf(proj: Projection, out: Path) -> Path:
    return _write_network(proj, out, "write_gexf")


def write_csv(proj: Projection, nodes_out: Path, edges_out: Path, evidence_out: Path | None = None) -> tuple[Path, ...]:
    """nodes.csv (one row per entity), edges.csv (one row per edge, with the id the GraphML and
    GEXF exports give it, its first quote and how many quotes it has) and evidence.csv (one row
    per quote, keyed by edge id), so degree counts from edges.csv are right."""
    evidence_out = evidence_out or edges_out.with_name("evidence.csv")
    with atomic_write(nodes_out) as fh:
        w = csv.writer(fh)
        w.writerow(["id", "label", "type", "date", "earliest", "latest", "districts", "description"])
        for n, i in proj.nodes.items():
            d = i.get("date") or {}
            w.writerow([n, i["label"], i["type"], d.get("text", ""), d.get("earliest", ""), d.get("latest", ""),
                        " ".join(i.get("districts", [])), i.get("description") or ""])
    with atomic_write(edges_out) as fh:
        w = csv.writer(fh)
        w.writerow(["id", "source", "target", "relation", "confidence", "scope", "evidence_count",
                    "document", "locator", "quote"])
        for e in proj.edges:
            ev = e["evidence"][0] if e["evidence"] else {"document": "", "locator": "", "quote": ""}
            w.writerow([e["key"], e["source"], e["target"], e["relation"], e["confidence"], e["scope"],
                        len(e["evidence"]), ev["document"], ev["locator"] or "", ev["quote"]])
    with atomic_write(evidence_out) as fh:
        w = csv.writer(fh)
        w.writerow(["edge_id", "n", "document", "locator", "quote"])
        for e in proj.edges:
            for n, ev in enumerate(e["evidence"], 1):
                w.writerow([e["key"], n, ev["document"], ev["locator"] or "", ev["quote"]])
    return nodes_out, edges_out, evidence_out
