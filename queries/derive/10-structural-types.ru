# Type the structural nodes curators may leave untyped: evidence, quote selectors, instants, intervals, readings.
INSERT { ?e a cse:Evidence } WHERE { ?x cse:evidence ?e } ;
INSERT { ?s a oa:TextQuoteSelector } WHERE { ?e oa:hasSelector ?s } ;
INSERT { ?t a time:Instant } WHERE { ?x time:hasTime|time:hasBeginning|time:hasEnd ?t } ;
INSERT { ?i a time:Interval } WHERE { ?m org:memberDuring ?i } ;
INSERT { ?r a cse:Reading } WHERE { ?a cse:reading ?r }
