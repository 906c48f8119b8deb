# Materialise superclasses (cse:Report ⊑ cse:Document ⊑ prov:Entity …) so queries can ask `?x a cse:Document`
# without property paths. Uses the ontology and ontology/alignments.ttl.
INSERT { ?x a ?super }
WHERE {
  ?x a ?c .
  ?c rdfs:subClassOf+ ?super .
  FILTER(isIRI(?super))
}
