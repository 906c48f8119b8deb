# A membership (holder + post + interval) implies the holder holds the post and belongs to its organisation.
INSERT { ?person org:holds ?post . ?post org:heldBy ?person . ?m org:organization ?org . ?person org:memberOf ?org }
WHERE {
  ?m a org:Membership ; org:member ?person ; cse:post ?post .
  OPTIONAL { ?post org:postIn ?org }
} ;
# Inverse links of ORG change events.
INSERT { ?orig org:changedBy ?ev } WHERE { ?ev org:originalOrganization ?orig } ;
INSERT { ?res org:resultedFrom ?ev } WHERE { ?ev org:resultingOrganization ?res } ;
# Units and sub-organisations: the inverse ORG links.
INSERT { ?parent org:hasUnit ?unit } WHERE { ?unit org:unitOf ?parent } ;
INSERT { ?parent org:hasSubOrganization ?sub } WHERE { ?sub org:subOrganizationOf ?parent }
