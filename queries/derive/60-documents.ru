# Dublin Core consumers expect dct:issued on documents: copy it from the document's OWL-Time instant.
INSERT { ?d dct:issued ?v }
WHERE {
  ?d a cse:Document ; time:hasTime ?t .
  ?t time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear ?v .
}
