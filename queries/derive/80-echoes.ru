# cse:echoes from the cse:Echo node that carries its evidence (member cse:echoes recurrence group).
INSERT { ?member cse:echoes ?group }
WHERE {
  ?group cse:hasEcho ?e .
  ?e a cse:Echo ;
     cse:echoOf ?member .
}
