"""IRIs and prefixes as plain strings (no rdflib import: this is on every command's path).

The build and validation code, which import rdflib anyway, make rdflib terms from these strings.
"""

from __future__ import annotations

BASE = "https://w3id.org/cse-graph/"
CSE = BASE + "ontology#"
ID = BASE + "id/"
SCHEME = BASE + "scheme/"
GENID_PATH = "/.well-known/genid/"    # blank nodes are skolemised under ID + this (build.py); never an entity
GENID = ID + GENID_PATH[1:]
GRAPH = ID + "graph"          # the named graph `cse-graph push` writes and remote stores are read from

PREFIXES: dict[str, str] = {
    "cse": CSE,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "time": "http://www.w3.org/2006/time#",
    "qb": "http://purl.org/linked-data/cube#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "oa": "http://www.w3.org/ns/oa#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "fabio": "http://purl.org/spar/fabio/",
    "sh": "http://www.w3.org/ns/shacl#",
    # data: one prefix per entity type ('/' is illegal in a prefixed name)
    "report": ID + "report/",
    "op": ID + "operation/",
    "agency": ID + "agency/",
    "person": ID + "person/",
    "post": ID + "post/",
    "place": ID + "place/",
    "rec": ID + "recommendation/",
    "action": ID + "action/",
    "event": ID + "event/",
    "missed": ID + "missed/",
    "unknown": ID + "unknown/",
    "finding": ID + "finding/",
    "recur": ID + "recurrence/",
    "amb": ID + "ambiguity/",
    "ds": ID + "dataset/",
    "obs": ID + "observation/",
    "fig": ID + "figure/",
    # schemes
    "conf": SCHEME + "confidence/",
    "prec": SCHEME + "precision/",
    "verdict": SCHEME + "verdict/",
    "akind": SCHEME + "agency-kind/",
    "theme": SCHEME + "theme/",
    "sw": SCHEME + "assessment/",
    "receipt": SCHEME + "receipt/",
}

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
XSD = PREFIXES["xsd"]

# Entity classes a user thinks in, most specific first; "type" in JSON output is the
# short name of the first class an entity has from this list.
ENTITY_TYPES: list[tuple[str, str]] = [
    ("Report", CSE + "Report"),
    ("Article", CSE + "Article"),
    ("Broadcast", CSE + "Broadcast"),
    ("Publication", CSE + "Publication"),
    ("Guidance", CSE + "Guidance"),
    ("Plan", CSE + "Plan"),
    ("Correspondence", CSE + "Correspondence"),
    ("Document", CSE + "Document"),
    ("Operation", CSE + "Operation"),
    ("Action", CSE + "Action"),
    ("Event", CSE + "Event"),
    ("ChangeEvent", PREFIXES["org"] + "ChangeEvent"),
    ("Recommendation", CSE + "Recommendation"),
    ("MissedOpportunity", CSE + "MissedOpportunity"),
    ("OutcomeUnknown", CSE + "OutcomeUnknown"),
    ("Finding", CSE + "Finding"),
    ("Recurrence", CSE + "Recurrence"),
    ("Ambiguity", CSE + "Ambiguity"),
    ("Person", PREFIXES["foaf"] + "Person"),
    ("Post", PREFIXES["org"] + "Post"),
    ("Unit", PREFIXES["org"] + "OrganizationalUnit"),
    ("Partnership", PREFIXES["org"] + "OrganizationalCollaboration"),
    ("Organisation", PREFIXES["org"] + "Organization"),
    ("District", CSE + "District"),
    ("County", CSE + "County"),
    ("Place", CSE + "Place"),
    ("Dataset", PREFIXES["qb"] + "DataSet"),
    ("Figure", CSE + "Figure"),
    ("Observation", PREFIXES["qb"] + "Observation"),
    ("Concept", PREFIXES["skos"] + "Concept"),
]
TYPE_BY_IRI = {iri: name for name, iri in ENTITY_TYPES}
TYPE_RANK = {iri: i for i, (_, iri) in enumerate(ENTITY_TYPES)}

# Broad families used for colours, filters and the "kind" of a node.
FAMILY = {
    "Report": "document", "Article": "document", "Broadcast": "document", "Publication": "document",
    "Guidance": "document", "Plan": "document", "Correspondence": "document", "Document": "document",
    "Operation": "operation", "Action": "action", "Event": "event", "ChangeEvent": "event",
    "Recommendation": "recommendation", "MissedOpportunity": "missed", "OutcomeUnknown": "unknown", "Finding": "finding",
    "Recurrence": "recurrence",
    "Ambiguity": "ambiguity", "Person": "person", "Post": "post", "Unit": "agency",
    "Partnership": "agency", "Organisation": "agency", "District": "place", "County": "place",
    "Place": "place", "Dataset": "statistics", "Figure": "statistics", "Observation": "statistics",
    "Concept": "concept",
}

# Lineage: predicates of the form  downstream P upstream  ("what X set in motion").
LINEAGE_PREDICATES: dict[str, str] = {
    CSE + "promptedBy": "prompted",
    CSE + "informedBy": "informed",
    CSE + "commissionedBy": "commissioned",
    CSE + "madeIn": "recommended",
    CSE + "ignored": "ignored in",
}
# The lineage relations by name, in the order above (the one list: lineage, compact, the HTML pages use it).
LINEAGE_RELATIONS: tuple[str, ...] = tuple(LINEAGE_PREDICATES.values())
# The qualified-influence classes behind the first three (``prov:qualifiedInfluence [ a cse:Prompting … ]``).
INFLUENCE_CLASSES: dict[str, str] = {
    "prompted": CSE + "Prompting",
    "informed": CSE + "Informing",
    "commissioned": CSE + "Commissioning",
}


def compact(iri: str) -> str:
    """Shortest prefixed name for an IRI, or the IRI itself.

    >>> compact("https://w3id.org/cse-graph/id/operation/clover")
    'op:clover'
    >>> compact("https://w3id.org/cse-graph/ontology#promptedBy")
    'cse:promptedBy'
    >>> compact("https://example.org/a/b")              # no prefix fits: the IRI itself
    'https://example.org/a/b'
    """
    best = None
    for p, ns in PREFIXES.items():
        if iri.startswith(ns):
            local = iri[len(ns):]
            if local and "/" not in local and "#" not in local and (best is None or len(ns) > len(PREFIXES[best])):
                best = p
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def expand(name: str) -> str | None:
    """IRI for a prefixed name, ``<iri>`` or full IRI; None if it is neither.

    >>> expand("op:clover")
    'https://w3id.org/cse-graph/id/operation/clover'
    >>> expand("<https://example.org/x>")
    'https://example.org/x'
    >>> expand("Operation Clover") is None
    True
    """
    name = name.strip()
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    if name.startswith(("http://", "https://", "urn:")):
        return name
    if ":" in name:
        p, local = name.split(":", 1)
        if p in PREFIXES and local and " " not in local:
            return PREFIXES[p] + local
    return None
