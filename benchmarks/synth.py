"""A synthetic corpus shaped like the real graph, deterministic by seed, valid under the shapes.

    .venv/bin/python benchmarks/synth.py OUT_DIR --triples 100000 [--seed 1]

It stands in for "a national corpus": many reviews, each with recommendations and a finding;
actions prompted by reports and recommendations (qualified, with evidence and every level of
confidence); operations prompted by reviews, and events (loosely dated) prompted by operations;
missed opportunities that ignored reports, some judged by two sources; agencies, partnerships,
organisation changes, posts (some with no named holder), people and tenures; ambiguities with
two readings; table observations. Evidence quotes cite two synthetic source documents (with
their own cse:seedFile), so the quote check, which only knows the two real seeds, passes them by.
Scale is set by the number of "review clusters", chosen so that the *compiled* graph (what the
store holds, derived triples included) comes out close to --triples.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

HEADER = """@prefix cse: <https://w3id.org/cse-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix report: <https://w3id.org/cse-graph/id/report/> .
@prefix op: <https://w3id.org/cse-graph/id/operation/> .
@prefix agency: <https://w3id.org/cse-graph/id/agency/> .
@prefix person: <https://w3id.org/cse-graph/id/person/> .
@prefix post: <https://w3id.org/cse-graph/id/post/> .
@prefix place: <https://w3id.org/cse-graph/id/place/> .
@prefix rec: <https://w3id.org/cse-graph/id/recommendation/> .
@prefix action: <https://w3id.org/cse-graph/id/action/> .
@prefix missed: <https://w3id.org/cse-graph/id/missed/> .
@prefix event: <https://w3id.org/cse-graph/id/event/> .
@prefix finding: <https://w3id.org/cse-graph/id/finding/> .
@prefix amb: <https://w3id.org/cse-graph/id/ambiguity/> .
@prefix verdict: <https://w3id.org/cse-graph/scheme/verdict/> .
@prefix ds: <https://w3id.org/cse-graph/id/dataset/> .
@prefix obs: <https://w3id.org/cse-graph/id/observation/> .
@prefix conf: <https://w3id.org/cse-graph/scheme/confidence/> .
@prefix akind: <https://w3id.org/cse-graph/scheme/agency-kind/> .
@prefix theme: <https://w3id.org/cse-graph/scheme/theme/> .
@prefix receipt: <https://w3id.org/cse-graph/scheme/receipt/> .
@prefix recur: <https://w3id.org/cse-graph/id/recurrence/> .
"""
TRIPLES_PER_CLUSTER = 371   # compiled triples per review cluster (measured)
BASE_TRIPLES = 1300         # ontology, schemes and the fixed part of the corpus, compiled (measured)
CONF = ["stated", "stated", "stated", "partly", "probably", "reported", "possibly", "inferred"]
VERDICTS = ["inadequate", "mixed", "improving", "adequate"]
KINDS = ["police-force", "police-unit", "local-authority", "safeguarding-board", "charity", "inspectorate", "partnership-group"]
REGIONS = 40


def ev(n: int, what: str) -> str:
    src = "report:synth-source-a" if n % 2 else "report:synth-source-b"
    return (f'cse:evidence [ oa:hasSource {src} ; cse:locator "Section {n % 97 + 1}" ; '
            f'oa:hasSelector [ oa:exact "Synthetic passage {n} about {what}." ] ]')


def year_between(rng, lo, hi):
    return rng.randint(lo, hi)


def generate(out: Path, triples: int, seed: int = 1) -> dict:
    """Write the corpus into ``out`` (one Turtle file per kind); returns what it wrote."""
    rng = random.Random(seed)
    clusters = max(2, (triples - BASE_TRIPLES) // TRIPLES_PER_CLUSTER)
    n_agencies = max(8, clusters // 20)
    n_posts = max(4, clusters // 10)
    out.mkdir(parents=True, exist_ok=True)
    files = {k: [HEADER] for k in ("sources", "places", "agencies", "people", "reports", "recommendations",
                                   "actions", "operations", "missed", "statistics", "events", "findings",
                                   "ambiguities", "receipts", "recurrence")}
    dated: list[tuple[int, int]] = []
    e = 0

    def nxt():
        nonlocal e
        e += 1
        return e

    files["sources"].append("""report:synth-source-a a cse:Report ; rdfs:label "Synthetic source A" ; cse:seedFile "synthetic-a.txt" ;
    time:hasTime [ time:inXSDgYear "2017"^^xsd:gYear ] ;
    cse:evidence [ oa:hasSource report:synth-source-a ; cse:locator "Preface" ; oa:hasSelector [ oa:exact "Synthetic source A, preface." ] ] .
report:synth-source-b a cse:Report ; rdfs:label "Synthetic source B" ; cse:seedFile "synthetic-b.txt" ;
    time:hasTime [ time:inXSDgYear "2017"^^xsd:gYear ] ;
    cse:evidence [ oa:hasSource report:synth-source-b ; cse:locator "Preface" ; oa:hasSelector [ oa:exact "Synthetic source B, preface." ] ] .
""")
    files["places"].append("place:synth-nation a cse:County ; rdfs:label \"Synthetic nation\" .\n")
    for r in range(REGIONS):
        files["places"].append(f'place:synth-region-{r} a cse:District ; rdfs:label "Region {r}" ; dct:isPartOf place:synth-nation .\n')
    for a in range(n_agencies):
        kind = KINDS[a % len(KINDS)]
        cls = "org:OrganizationalUnit ; org:unitOf agency:synth-agency-0" if kind == "police-unit" and a else "org:FormalOrganization"
        if kind == "partnership-group":
            cls = (f"org:OrganizationalCollaboration ; org:hasMember agency:synth-agency-0 , agency:synth-agency-{(a + 1) % n_agencies} ; "
                   f'time:hasBeginning [ time:inXSDgYear "{year_between(rng, 1995, 2010)}"^^xsd:gYear ]')
        files["agencies"].append(f'agency:synth-agency-{a} a {cls} ; rdfs:label "Agency {a}" ; dct:type akind:{kind} ; '
                                 f'dct:spatial place:synth-region-{a % REGIONS} ; {ev(nxt(), f"agency {a}")} .\n')
    for p in range(n_posts):
        ag = p % n_agencies
        y0 = year_between(rng, 1995, 2012)
        files["people"].append(
            f'post:synth-post-{p} a org:Post ; rdfs:label "Chief of agency {ag} (post {p})" ; org:postIn agency:synth-agency-{ag} .\n'
            + ("" if p % 5 == 4 else  # every fifth post: the text names no holder
               f'person:synth-person-{p} a foaf:Person ; rdfs:label "Official {p}" ; foaf:name "Official {p}" ; {ev(nxt(), f"official {p}")} .\n'
               f'[] a org:Membership ; org:member person:synth-person-{p} ; cse:post post:synth-post-{p} ; '
               f'org:memberDuring [ time:hasBeginning [ time:inXSDgYear "{y0}"^^xsd:gYear ] ; '
               f'time:hasEnd [ time:inXSDgYear "{y0 + rng.randint(1, 6)}"^^xsd:gYear ] ] ; {ev(nxt(), f"tenure {p}")} .\n'))
    files["statistics"].append(f'ds:synth-table a qb:DataSet ; rdfs:label "Synthetic referrals table" ; cse:tableNumber "1" ; '
                               f'{ev(nxt(), "the table")} .\n')
    for c in range(clusters):
        year = year_between(rng, 1998, 2015)
        month = rng.randint(1, 12)
        region = rng.randrange(REGIONS)
        publisher = rng.randrange(n_agencies)
        k = rng.randint(3, 6)
        dated.append((year, month))
        files["reports"].append(
            f'report:synth-review-{c} a cse:Report ; rdfs:label "Review {c} ({year})" ; dct:title "Synthetic review number {c}" ; '
            f'dct:publisher agency:synth-agency-{publisher} ; dct:spatial place:synth-region-{region} ; '
            f'time:hasTime [ time:inXSDgYearMonth "{year}-{month:02d}"^^xsd:gYearMonth ] ; cse:statedRecommendationCount {k} ; '
            f'dct:description "A synthetic review standing in for one of many in a national corpus." ; '
            f'prov:qualifiedInfluence [ a cse:Commissioning ; prov:influencer agency:synth-agency-{(publisher + 1) % n_agencies} ; '
            f'cse:confidence conf:stated ; {ev(nxt(), f"who commissioned review {c}")} ] ; '
            + (f'prov:qualifiedInfluence [ a cse:Informing ; prov:influencer report:synth-review-{rng.randrange(c)} ; '
               f'cse:confidence conf:{rng.choice(CONF)} ; {ev(nxt(), f"what review {c} drew on")} ] ; ' if c else "")
            + f'{ev(nxt(), f"review {c}")} .\n')
        for r in range(k):
            files["recommendations"].append(
                f'rec:synth-{c}-{r + 1} a cse:Recommendation ; rdfs:label "Review {c} recommendation {r + 1}" ; '
                f'cse:number {r + 1} ; cse:madeIn report:synth-review-{c} ; cse:addressedTo agency:synth-agency-{rng.randrange(n_agencies)} ; '
                f'dct:subject theme:training ; dct:description "Synthetic recommendation {r + 1} of review {c}." ; '
                f'{ev(nxt(), f"recommendation {r + 1} of review {c}")} .\n')
        for a in range(3):
            cause = f"rec:synth-{c}-{rng.randint(1, k)}" if a else f"report:synth-review-{c}"
            ay = min(2016, year + rng.randint(0, 3))
            files["actions"].append(
                f'action:synth-{c}-{a} a cse:Action ; rdfs:label "Action {a} after review {c}" ; '
                f'cse:ledBy agency:synth-agency-{rng.randrange(n_agencies)} ; dct:spatial place:synth-region-{region} ; '
                f'time:hasTime [ time:inXSDgYear "{ay}"^^xsd:gYear ] ; '
                f'prov:qualifiedInfluence [ a cse:Prompting ; prov:influencer {cause} ; cse:confidence conf:{rng.choice(CONF)} ; '
                f'{ev(nxt(), f"action {a} after review {c}")} ] ; {ev(nxt(), f"action {a} of review {c}")} .\n')
        oy = min(2016, year + rng.randint(0, 2))
        files["operations"].append(
            f'op:synth-{c} a cse:Operation ; rdfs:label "Operation Synth-{c}" ; cse:ledBy agency:synth-agency-{c % n_agencies} ; '
            f'dct:spatial place:synth-region-{region} ; time:hasBeginning [ time:inXSDgYear "{oy}"^^xsd:gYear ] ; '
            f'cse:outcome "Synthetic outcome." ; '
            f'prov:qualifiedInfluence [ a cse:Prompting ; prov:influencer report:synth-review-{c} ; cse:confidence conf:partly ; '
            f'{ev(nxt(), f"operation {c}")} ] ; {ev(nxt(), f"operation {c} launch")} .\n')
        files["missed"].append(
            f'missed:synth-{c} a cse:MissedOpportunity ; rdfs:label "Review {c} not acted on" ; '
            f'dct:description "A synthetic missed opportunity." ; time:hasTime [ time:inXSDgYear "{year}"^^xsd:gYear ] ; '
            f'dct:spatial place:synth-region-{region} ; cse:missedBy agency:synth-agency-{rng.randrange(n_agencies)} ; '
            f'cse:ignored report:synth-review-{c} ; cse:judgedBy report:synth-review-{(c + 1) % clusters} ; '
            + (f'cse:judgedBy report:synth-review-{(c + 2) % clusters} ; ' if c % 5 == 0 and clusters > 2 else "")
            + f'cse:confidence conf:{rng.choice(CONF)} ; {ev(nxt(), f"missed opportunity {c}")} .\n')
        if c % 10 == 3:   # an outcome the source could not establish (no rng draw: the rest stays as it was)
            files["missed"].append(
                f'missed:synth-unknown-{c} a cse:OutcomeUnknown ; rdfs:label "What became of review {c}\'s advice: not known" ; '
                f'dct:description "A synthetic unknown outcome." ; cse:outcomeOf report:synth-review-{c} ; '
                f'cse:concerns agency:synth-agency-{c % n_agencies} ; cse:judgedBy report:synth-review-{(c + 1) % clusters} ; '
                f'cse:confidence conf:stated ; {ev(10_000_000 + c, f"unknown outcome {c}")} .\n')
        # what followed the operation: an event (a resignation, loosely dated) it prompted, so
        # review → operation → event is a two-step chain of prompting
        files["events"].append(
            f'event:synth-{c} a cse:Event ; rdfs:label "Official {c % n_posts} resigns after Operation Synth-{c}" ; '
            f'prov:wasAssociatedWith agency:synth-agency-{c % n_agencies} ; dct:spatial place:synth-region-{region} ; '
            f'time:hasTime [ cse:wording "late in {oy}" ; cse:earliest "{oy}-09-01"^^xsd:date ; cse:latest "{oy}-12-31"^^xsd:date ] ; '
            f'prov:qualifiedInfluence [ a cse:Prompting ; prov:influencer op:synth-{c} ; cse:confidence conf:{rng.choice(CONF)} ; '
            f'{ev(nxt(), f"resignation after operation {c}")} ] ; {ev(nxt(), f"event {c}")} .\n')
        if c % 20 == 19 and n_agencies > 2:
            a0 = rng.randrange(n_agencies)
            files["events"].append(
                f'event:synth-change-{c} a org:ChangeEvent ; rdfs:label "Agency {a0} becomes agency {(a0 + 1) % n_agencies}" ; '
                f'org:originalOrganization agency:synth-agency-{a0} ; org:resultingOrganization agency:synth-agency-{(a0 + 1) % n_agencies} ; '
                f'time:hasTime [ time:inXSDgYear "{year}"^^xsd:gYear ] ; {ev(nxt(), f"change {c}")} .\n')
        files["findings"].append(
            f'finding:synth-{c} a cse:Finding ; rdfs:label "Review {c}: the response in region {region}" ; '
            f'cse:madeIn report:synth-review-{c} ; cse:concerns agency:synth-agency-{publisher} , place:synth-region-{region} ; '
            f'cse:verdict verdict:{rng.choice(VERDICTS)} ; dct:description "A synthetic judgement." ; '
            + (f"cse:contrastsWith finding:synth-{c - 1} ; " if c % 7 == 6 else "")
            + f'{ev(nxt(), f"finding of review {c}")} .\n')
        if c % 10 == 9:
            files["ambiguities"].append(
                f'amb:synth-{c} a cse:Ambiguity ; rdfs:label "When was review {c} published?" ; '
                f'skos:note "Two passages give different years." ; cse:concerns report:synth-review-{c} ; '
                f'cse:reading [ rdfs:label "{year}" ; {ev(nxt(), f"review {c} dated {year}")} ] , '
                f'[ rdfs:label "{year + 1}" ; {ev(nxt(), f"review {c} dated {year + 1}")} ] .\n')
        for o in range(3):
            files["statistics"].append(
                f'obs:synth-{c}-{o} a qb:Observation ; qb:dataSet ds:synth-table ; cse:refDistrict place:synth-region-{region} ; '
                f'cse:refYear "{2013 + o}" ; cse:category "Region {region}" ; cse:rowOrder {c} ; cse:count {rng.randint(0, 400)} .\n')
    # Who was told (cse:Receipt) and lessons that recur (cse:Recurrence), for `known --by` and
    # `recurrence`: drawn from their own generator, so the rest of the corpus is unchanged by them.
    rng2 = random.Random(seed + 13)
    for c, (year, month) in enumerate(dated):
        when = (f'time:hasTime [ time:inXSDgYearMonth "{min(2016, year + rng2.randint(0, 1))}-{month:02d}"^^xsd:gYearMonth ] ; '
                if c % 3 else "")   # every third receipt undated, as the texts often leave it
        files["receipts"].append(
            f'report:synth-review-{c} cse:qualifiedReceipt [ a cse:Receipt ; cse:recipient agency:synth-agency-{rng2.randrange(n_agencies)} ; '
            f'cse:means receipt:{rng2.choice(["sent", "presented", "briefed", "received"])} ; cse:confidence conf:stated ; {when}'
            f'{ev(nxt(), f"review {c} reaching an agency")} ] .\n')
        if c >= 20 and c % 10 == 0:
            files["recurrence"].append(
                f'recur:synth-{c} a cse:Recurrence ; rdfs:label "Lesson {c} recurs" ; dct:description "A synthetic recurring lesson." ; '
                + "cse:hasEcho " + " , ".join(f'[ a cse:Echo ; cse:echoOf rec:synth-{m}-1 ; cse:confidence conf:stated ; '
                             f'{ev(nxt(), f"recommendation 1 of review {m} echoing lesson {c}")} ]' for m in (c, c - 10, c - 20))
                + " .\n")
    for name, parts in files.items():
        (out / f"{name}.ttl").write_text("".join(parts), encoding="utf-8")
    return {"clusters": clusters, "agencies": n_agencies, "posts": n_posts, "files": len(files)}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--triples", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    print(generate(a.out, a.triples, a.seed))
