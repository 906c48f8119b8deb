# Table cells get a readable label ("Table 1 · Rotherham · 2013") unless they have one.
INSERT { ?o rdfs:label ?label }
WHERE {
  ?o qb:dataSet ?ds ; cse:category ?cat .
  ?ds cse:tableNumber ?n .
  OPTIONAL { ?o cse:refYear ?y }
  FILTER NOT EXISTS { ?o rdfs:label ?existing }
  BIND(CONCAT("Table ", ?n, " · ", ?cat, IF(BOUND(?y), CONCAT(" · ", ?y), "")) AS ?label)
}
