# Materialise super-properties of the ontology's own properties (cse:ledBy ⊑ prov:wasAssociatedWith,
# cse:promptedBy ⊑ prov:wasInfluencedBy …) so generic PROV queries see them.
INSERT { ?s ?super ?o }
WHERE {
  ?p rdfs:subPropertyOf+ ?super .
  FILTER(STRSTARTS(STR(?p), "https://w3id.org/cse-graph/ontology#"))
  ?s ?p ?o .
}
