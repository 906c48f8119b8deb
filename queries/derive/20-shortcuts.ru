# Derive each shortcut edge (cse:promptedBy, cse:informedBy, cse:commissionedBy) from the qualified
# node that carries its evidence: the property names its qualified class with prov:qualifiedForm.
INSERT { ?s ?shortcut ?o }
WHERE {
  ?shortcut prov:qualifiedForm ?cls .
  ?cls rdfs:subClassOf+ prov:Influence .
  ?s prov:qualifiedInfluence ?q .
  ?q a ?cls ;
     prov:influencer ?o .
}
;
# cse:reached from the cse:Receipt node that carries its evidence.
INSERT { ?doc cse:reached ?agent }
WHERE {
  ?doc cse:qualifiedReceipt ?r .
  ?r a cse:Receipt ;
     cse:recipient ?agent .
}
