"""Descriptions that name another modelled entity with no structured link between the two.

A description (``dct:description``) that names another entity — by its ``rdfs:label`` or a
``skos:altLabel`` — states a relation in prose. This check asks that the relation also be in the
graph, as an edge a query can follow. Two entities count as linked when the graph joins them

* directly, in either direction, by any predicate;
* through a structural node (a qualified influence, a receipt, a membership, a date …);
* up the organisational hierarchy (``org:unitOf``, ``org:subOrganizationOf``, ``org:postIn``,
  ``org:holds``, ``org:memberOf``) from the entity or from anything it is joined to; or
* to a post, through the organisation the post is in (the office and its holder's body); or
* through one document, operation, action, event or change event both are joined to (a person's description
  summarising the report she wrote about a council).

Evidence is not a link: every entity's evidence points at the seed documents.

Matching is case-sensitive, on whole words, and leftmost-longest: "Sexual Exploitation Forum"
inside "Child Sexual Exploitation Forum" is a mention of the longer name only. Places are left out
(a district named in passing is context; ``dct:spatial`` is curated where an entity is in a place).

Deliberate exceptions are ``cse:MentionException`` nodes (``data/mention-exceptions.ttl``), each
with a ``skos:note`` giving its reason: ``cse:mentionIn`` + ``cse:mentionOf`` excuse one
description; ``cse:mentionName`` + ``cse:mentionOf`` with no ``cse:mentionIn`` excuse that name of
the entity everywhere (a generic or ambiguous other name).

Written in Python rather than as a SPARQL file in ``queries/checks/``: the same rules in SPARQL
took 3 s (direct and structural links only) to 16 s (with longest-match and the hub rule) on the
real graph, on every build; this takes a fraction of a second.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from .vocab import CSE, GENID_PATH, ID, PREFIXES, SPARQL_PREFIXES

RULE = "description-mention"

# Edges that are not links between the things described: evidence points every entity at the
# seeds, types point at classes.
_NOT_LINKS = {
    CSE + "evidence", PREFIXES["oa"] + "hasSource", PREFIXES["oa"] + "hasSelector",
    PREFIXES["rdf"] + "type", PREFIXES["dct"] + "description",
}
_UP = {PREFIXES["org"] + p for p in ("unitOf", "subOrganizationOf", "postIn", "holds", "memberOf")}
_HUB_TYPES = {CSE + "Document", CSE + "Operation", CSE + "Action", CSE + "Event", PREFIXES["org"] + "ChangeEvent"}
_WORD = "A-Za-z0-9"


@dataclass(frozen=True)
class Mention:
    focus: str   # the entity whose description names the other
    target: str  # the entity named
    name: str    # the name as it stands in the description

    @property
    def message(self) -> str:
        return (f"Description names <{self.target}> (\"{self.name}\") with no structured link between the two: "
                "add the edge the text states, with evidence, or list the pair in data/mention-exceptions.ttl "
                "with a reason.")


def _is_entity(iri: str) -> bool:
    return iri.startswith(ID) and GENID_PATH not in iri


def _rows(store: ox.Store, query: str):
    return store.query(SPARQL_PREFIXES + query)


class _Links:
    """The link relation of the module docstring, over the store's edges."""

    def __init__(self, store: ox.Store):
        self.near: dict[str, set[str]] = defaultdict(set)   # undirected, any predicate
        self.up: dict[str, set[str]] = defaultdict(set)     # directed, hierarchy predicates
        for row in _rows(store, "SELECT ?s ?p ?o WHERE { ?s ?p ?o . FILTER(isIRI(?o)) }"):
            s, p, o = row["s"].value, row["p"].value, row["o"].value
            if p in _NOT_LINKS or not (s.startswith(ID) and o.startswith(ID)):
                continue
            self.near[s].add(o)
            self.near[o].add(s)
            if p in _UP:
                self.up[s].add(o)
        self.posts = {row["x"].value for row in _rows(store, "SELECT ?x WHERE { ?x a org:Post }")}
        self.hubs = {row["x"].value for row in _rows(store, "SELECT DISTINCT ?x WHERE { ?x a ?t . VALUES ?t { %s } }"
                                                    % " ".join(f"<{t}>" for t in _HUB_TYPES))}
        self._ancestors: dict[str, set[str]] = {}

    def ancestors(self, node: str) -> set[str]:
        if node not in self._ancestors:
            seen, todo = set(), list(self.up.get(node, ()))
            while todo:
                n = todo.pop()
                if n not in seen:
                    seen.add(n)
                    todo.extend(self.up.get(n, ()))
            self._ancestors[node] = seen
        return self._ancestors[node]

    def joined(self, a: str) -> set[str]:
        """Entities joined to ``a`` directly or through one structural node."""
        out = set()
        for n in self.near.get(a, ()):
            if GENID_PATH in n:
                out.update(m for m in self.near.get(n, ()) if m != a)
            else:
                out.add(n)
        return out

    def linked(self, a: str, b: str) -> bool:
        ja, jb = self.joined(a), self.joined(b)
        if b in ja or a in jb:
            return True
        if b in self.ancestors(a) or a in self.ancestors(b):
            return True
        if any(b in self.ancestors(n) for n in ja) or any(a in self.ancestors(n) for n in jb):
            return True
        # A post is an office of its organisation: joined to the organisation is joined to the post.
        if (b in self.posts and ja & self.ancestors(b)) or (a in self.posts and jb & self.ancestors(a)):
            return True
        return any(x in self.hubs and b in self.near.get(x, ()) for x in ja) or \
            any(x in self.hubs and a in self.near.get(x, ()) for x in jb)


def _exceptions(store: ox.Store) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    pairs, names = set(), set()
    q = """SELECT ?of ?in ?name WHERE { ?x a cse:MentionException ; cse:mentionOf ?of .
           OPTIONAL { ?x cse:mentionIn ?in } OPTIONAL { ?x cse:mentionName ?name } }"""
    for row in _rows(store, q):
        of = row["of"].value
        if row["in"] is not None:
            pairs.add((row["in"].value, of))
        elif row["name"] is not None:
            names.add((of, row["name"].value))
    return pairs, names


def all_mentions(store: ox.Store) -> list[Mention]:
    """Every (description, entity named, name) in the graph, linked or not, leftmost-longest."""
    targets: dict[str, set[str]] = defaultdict(set)
    q = """SELECT ?e ?n WHERE { { ?e rdfs:label ?n } UNION { ?e skos:altLabel ?n }
           FILTER NOT EXISTS { ?e a cse:Place } }"""
    for row in _rows(store, q):
        e, n = row["e"].value, row["n"].value
        if _is_entity(e) and len(n) >= 3:
            targets[n].add(e)
    if not targets:
        return []
    names = sorted(targets, key=lambda n: (-len(n), n))
    pattern = re.compile(f"(?<![{_WORD}])(?:" + "|".join(re.escape(n) for n in names) + f")(?![{_WORD}])")
    out = set()
    for row in _rows(store, "SELECT ?s ?d WHERE { ?s dct:description ?d }"):
        focus, text = row["s"].value, row["d"].value
        if not _is_entity(focus):
            continue
        for m in pattern.finditer(text):
            for target in targets[m.group(0)]:
                if target != focus:
                    out.add(Mention(focus, target, m.group(0)))
    return sorted(out, key=lambda m: (m.focus, m.target, m.name))


def unlinked_mentions(store: ox.Store) -> list[Mention]:
    """Mentions with no structured link and no reviewed exception, one per (focus, target)."""
    links = _Links(store)
    pairs, names = _exceptions(store)
    by_pair: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in all_mentions(store):
        by_pair[(m.focus, m.target)].append(m)
    out = []
    for (focus, target), ms in sorted(by_pair.items()):
        if (focus, target) in pairs or links.linked(focus, target):
            continue
        open_names = [m for m in ms if (target, m.name) not in names]
        if open_names:
            out.append(open_names[0])
    return out
