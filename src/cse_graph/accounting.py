"""Every number, date and name in the seeds, accounted for.

Lists every number and date token and every named operation, organisation and report title in
both seed texts, with its line, and says for each whether the graph *holds* it or
``data/not-modelled.csv`` excuses it with a reason. ``tests/test_accounting.py`` requires zero
unaccounted tokens; ``python -m cse_graph.accounting --unaccounted`` lists what is left.

**Held** (the rule, also in ``data/README.md``):

* A **number or date** token is held when an evidence quote in the graph covers that very
  occurrence in the seed, and the entity the evidence belongs to (the nearest named IRI above the
  evidence, with all of that entity's own blank-node structure: dates, qualified links, readings)
  holds the value as a typed literal — a number equal to it (``cse:count``, ``cse:value``,
  ``cse:statedRecommendationCount``, ``cse:number`` …), or a date (``time:inXSD…`` or a
  ``cse:earliest``/``cse:latest`` bound) inside the period the token names (a year, a month, a
  day, ``2012/13``, ``the 1990s``). A number restated only in a description or label is *not* held.
* A number or date inside a passage an **ambiguity's reading** quotes is held as that recorded
  doubt (the text's own inconsistency is data: "Action Plan 2014 and 2014", "(2104)").
* A **table cell** (a tab-indented line in the block printed just above a table's caption) is held
  when the table's ``qb:DataSet`` has an observation (or the dataset itself) with that value.
* A **name** is held when some entity's ``rdfs:label``, ``skos:altLabel`` or ``dct:title`` contains
  it (case, quote marks and whitespace folded): operations (``Operation X``), organisations
  (capitalised names ending in Police, Council, Board, Agency, …) and report titles (Appendix 4's
  headings, quoted title-case phrases, and the title after the year in a footnote's reference). A
  title is also held when a label or title of three words or more lies inside it (a reference runs
  on into its publisher).

Otherwise the token must match a row of ``data/not-modelled.csv``; a row that matches nothing is
stale and also fails the test. Nothing here writes anything.
"""

from __future__ import annotations

import calendar
import csv
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import paths
from .seeds import DREW, FAQ, FOOTNOTE_MARKER, SEED_IRIS, STRUCTURES, Seed, SeedsMissing, load_seeds, normalise
from .store import Store
from .vocab import GENID_PATH

SEED_KEYS = {"drew": DREW, "faq": FAQ}
REASONS = {
    "care": "about a victim, survivor, family member or offender, or in Appendix 6 (survivors' voices): never data",
    "footnote-number": "a footnote's own number ([N: …])",
    "list-numbering": "the number of an item in a printed list or a numbered heading ([1], 1.)",
    "cross-reference": "points at a table, chapter, appendix, recommendation, paragraph or page of this or a cited text",
    "citation": "publication details in a reference: a cited work's year, title, pages, URL, article dates",
    "page-furniture": "a section heading that repeats a period or title the section's entities hold",
    "in-name": "part of the name of a law or legal provision (Human Rights Act 1998, Section 5(3))",
    "definition": "a threshold inside a quoted definition (under 18, under 16)",
    "example": "an illustration or hypothetical in an explanation, not a fact",
    "period-in-narrative": "a loose period in the reviewer's narrative or judgement (the early 2000s, before 2014); the judgement is held as a finding or missed opportunity, its period only in words",  # noqa: E501
    "forecast": "a planned or expected date as of 2016 (training to start August 2016, investigations into 2017)",
    "unnamed-holder": "the tenure of an unnamed office-holder: posts without a named holder carry no membership",
    "generic-name": "a rank, role, kind of body or variant phrase the name pattern catches, not a further organisation",
}

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTH = "(" + "|".join(calendar.month_name[1:]) + ")"
# One alternation, most specific first: a day-month-year, a month-year, a year span (2012/13,
# 2000-2001 is two years), a decade, then any number (1,400 · 0.3 · 8,000 · 20th).
TOKEN = re.compile(
    rf"(?P<dmy>\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[ \t]+{_MONTH}[ \t]*,?[ \t]+(?P<y1>(?:19|20)\d\d)\b)"
    rf"|(?P<mdy>\b(?P<m3>{_MONTH[1:-1]})[ \t]+(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?,?[ \t]+(?P<y3>(?:19|20)\d\d)\b)"
    rf"|(?P<my>\b(?P<m2>{_MONTH[1:-1]})[ \t]*,?[ \t]+(?P<y2>(?:19|20)\d\d)\b)"
    r"|(?P<span>\b(?P<ya>(?:19|20)\d\d)/(?P<yb>\d{1,4})\b)"
    r"|(?P<decade>\b(?P<dec>(?:19|20)\d0)[’']?s\b)"
    r"|(?P<num>(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d])|(?<![\w.,])\d+(?:\.\d+)?(?:st|nd|rd|th)?(?![\w]))",
    re.IGNORECASE)

OPERATION = re.compile(r"\bOperations?[ \t]+(?:‘|')?([A-Z][\w-]*(?:[ -][A-Z][\w-]*)?)(?:’|')?")
_CAP = r"(?:[A-Z][\w’'&.-]*|of|and|for|the|in|on|&)"
ORGANISATION = re.compile(
    rf"\b(?:[A-Z][\w’'.-]*[ \t]+)(?:{_CAP}[ \t]+){{0,6}}?"
    r"(?:Police|Council|Board|Boards|Agency|Authority|Office|Service|Services|Unit|Team|Partnership|Trust|"
    r"Committee|Commission|Commissioner|Inspectorate|University|College|Society|Federation|Association|Forum|"
    r"Panel|Network|Department|Court|Project|Group|Centre|Hub|Barnardo’s)\b")
_TITLE_QUOTE = re.compile(r"‘([A-Z][^’]{6,120})’")
# The title a reference gives after its year: "Jay, A. (2014) Independent Inquiry into … Rotherham: RMBC".
_CITED_TITLE = re.compile(r"\((?:19|20|21)\d\d\)\.?[ \t]+‘?([A-Z][^\[\]:;‘’]{10,200}?)(?=[:;’\]]|\.[ \t]|\.?$)", re.MULTILINE)


@dataclass
class Token:
    seed: str              # "drew" | "faq"
    line: int
    kind: str              # number | date | cell | operation | organisation | title
    text: str
    start: int             # raw offset in the seed
    end: int
    value: object = None   # float for numbers; (date, date) period for dates; normalised name
    status: str = "unaccounted"   # held | not-modelled | unaccounted
    why: str = ""          # what holds it, or the not-modelled reason

    def as_dict(self) -> dict:
        return {"seed": self.seed, "line": self.line, "kind": self.kind, "token": self.text,
                "status": self.status, "why": self.why}


@dataclass
class Rule:
    row: int
    seed: str
    where: str
    kinds: set[str]
    match: re.Pattern | None
    reason: str
    note: str
    used: int = 0
    lines: set = field(default_factory=set)   # (seed, line) of every token it excused

    def stale_parts(self) -> list[str]:
        """Lines or ranges of ``where`` that excused nothing (a row must not outlive its reason)."""
        if self.where == "*" or self.where.startswith("@"):
            return [] if self.used else [self.where]
        lines = {line for _, line in self.lines}
        out = []
        for part in self.where.split():
            lo, _, hi = part.partition("-")
            if not any(int(lo) <= x <= int(hi or lo) for x in lines):
                out.append(part)
        return out

    def covers(self, tok: Token, seed: Seed, line_text: str, line_start: int) -> bool:
        if self.seed not in ("*", tok.seed) or ("*" not in self.kinds and tok.kind not in self.kinds):
            return False
        w = self.where
        if w.startswith("@"):
            if not seed.locator_at(tok.start).startswith(w[1:]):
                return False
        elif w != "*":
            if not any(int(lo) <= tok.line <= int(hi or lo)
                       for lo, _, hi in (part.partition("-") for part in w.split())):
                return False
        if self.match is None:
            return True
        a, b = tok.start - line_start, tok.end - line_start
        return any(m.start() <= a and b <= m.end() for m in self.match.finditer(line_text))


class NotModelledError(ValueError):
    """The not-modelled file is malformed (the message names file and row)."""


def not_modelled_path(data_dir: Path | None = None) -> Path:
    return (data_dir or paths.default_data_dir()) / "not-modelled.csv"


def load_rules(path: Path) -> list[Rule]:
    """The rows of the not-modelled file; ``#`` lines are comments; ``row`` is the file's line number."""
    rules = []
    need = ["seed", "where", "kind", "match", "reason", "note"]
    header = None
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise NotModelledError(f"{path}: cannot read: {e.strerror}") from None
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = next(csv.reader([line]))
        if header is None:
            if cells != need:
                raise NotModelledError(f"{path}, line {n}: the header must be {','.join(need)}")
            header = cells
            continue
        if len(cells) != len(need):
            raise NotModelledError(f"{path}, line {n}: expected {len(need)} fields, found {len(cells)} (quote a field holding a comma)")
        r = dict(zip(need, cells))
        where = r["where"].strip()
        if r["seed"] not in ("drew", "faq", "*"):
            raise NotModelledError(f"{path}, line {n}: seed must be drew, faq or *")
        if r["reason"] not in REASONS:
            raise NotModelledError(f"{path}, line {n}: unknown reason {r['reason']!r} (one of {', '.join(REASONS)})")
        if not (where == "*" or where.startswith("@") or re.fullmatch(r"\d+(-\d+)?( \d+(-\d+)?)*", where)):
            raise NotModelledError(f"{path}, line {n}: where must be *, lines or line ranges separated by spaces, or @Locator prefix")
        kinds = set(r["kind"].split("|"))
        if not kinds <= {"*", "number", "date", "operation", "organisation", "title"}:
            raise NotModelledError(f"{path}, line {n}: unknown kind {r['kind']!r}")
        if not r["note"].strip():
            raise NotModelledError(f"{path}, line {n}: give a one-line note")
        try:
            pat = None if r["match"] in ("", "*") else re.compile(r["match"])
        except re.error as e:
            raise NotModelledError(f"{path}, line {n}: bad regular expression: {e}") from None
        rules.append(Rule(n, r["seed"], where, kinds, pat, r["reason"], r["note"]))
    if header is None:
        raise NotModelledError(f"{path}: no header line ({','.join(need)})")
    return rules


# --- tokens ---------------------------------------------------------------------------------------

def _period(m: re.Match) -> tuple[str, tuple[date, date]]:
    if m["dmy"]:
        y, mo, d = int(m["y1"]), MONTHS[m.group(3).lower()], int(m["d"])
        try:
            return "date", (date(y, mo, d), date(y, mo, d))
        except ValueError:
            return "date", (date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]))
    if m["mdy"]:
        y, mo, d = int(m["y3"]), MONTHS[m["m3"].lower()], int(m["d3"])
        return "date", (date(y, mo, d), date(y, mo, d))
    if m["my"]:
        y, mo = int(m["y2"]), MONTHS[m["m2"].lower()]
        return "date", (date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]))
    if m["span"]:
        a, b = m["ya"], m["yb"]
        end = int(a[: 4 - len(b)] + b) if len(b) < 4 else int(b)
        end = end if end >= int(a) else int(a) + 1
        return "date", (date(int(a), 1, 1), date(end, 12, 31))
    if m["decade"]:
        y = int(m["dec"])
        return "date", (date(y, 1, 1), date(y + 9, 12, 31))
    text = re.sub(r"(st|nd|rd|th)$", "", m["num"], flags=re.IGNORECASE).replace(",", "")
    v = float(text)
    if v.is_integer() and 1900 <= v <= 2099 and "," not in m["num"] and "." not in m["num"]:
        y = int(v)
        return "date", (date(y, 1, 1), date(y, 12, 31))
    return "number", v


def tokens(seed_key: str, seed: Seed) -> list[Token]:
    """Every number/date token and every name in one seed, in reading order."""
    text = FOOTNOTE_MARKER.sub(lambda m: " " * len(m.group()), seed.text)   # markers are not tokens
    out: list[Token] = []
    for m in TOKEN.finditer(text):
        kind, value = _period(m)
        out.append(Token(seed_key, seed.line_of(m.start()), kind, m.group(), m.start(), m.end(), value))
    for kind, pat, grp in (("operation", OPERATION, 0), ("organisation", ORGANISATION, 0)):
        for m in pat.finditer(text):
            out.append(Token(seed_key, seed.line_of(m.start()), kind, m.group(grp), m.start(grp), m.end(grp),
                             _fold_name(m.group(grp))))
    for m in _TITLE_QUOTE.finditer(text):
        words = m.group(1).split()
        caps = sum(1 for w in words if w[:1].isupper())
        if len(words) >= 3 and caps / len(words) >= 0.5:
            out.append(Token(seed_key, seed.line_of(m.start(1)), "title", m.group(1), m.start(1), m.end(1),
                             _fold_name(m.group(1))))
    for m in _CITED_TITLE.finditer(text):   # references live in footnotes
        if len(m.group(1).split()) >= 3 and _in_footnote(seed, m.start(1)):
            out.append(Token(seed_key, seed.line_of(m.start(1)), "title", m.group(1).strip(), m.start(1),
                             m.start(1) + len(m.group(1).strip()), _fold_name(m.group(1))))
    for kind, prefix, name in STRUCTURES.get(seed.name, []):   # Appendix 4's headings name the prior reviews
        if kind == "section" and name.startswith(("Lessons Learned", "Child Sexual Exploitation –", "ACPO", "HMIC",
                                                  "Independent Inquiry", "College of Policing", "Report of Inspection",
                                                  "‘What does good", "Operation Stovewood review", "PEEL")):
            i = text.find("\n" + prefix) + 1 if not text.startswith(prefix) else 0
            if i > 0:
                end = text.find("\n", i)
                line = text[i:end].split("[")[0].rstrip()   # the heading, not its footnote's text
                out.append(Token(seed_key, seed.line_of(i), "title", " ".join(line.split()), i, i + len(line),
                                 _fold_name(line)))
    return sorted(out, key=lambda t: (t.start, t.kind))


def _fold_name(s: str) -> str:
    s = normalise(s).lower().replace("'", "").replace('"', "")
    s = re.sub(r"^(the|operations?)\s+", "", s)
    return re.sub(r"[^\w&]+", " ", s).strip()


# --- what the graph holds -------------------------------------------------------------------------

_DATE_TYPES = {"date", "gYear", "gYearMonth"}


def _literal_value(lit) -> tuple[str, object] | None:
    dt = (lit.datatype or "").rsplit("#", 1)[-1]
    v = lit.value
    try:
        if dt == "date":
            d = date.fromisoformat(v[:10])
            return "date", (d, d)
        if dt == "gYearMonth":
            y, mo = int(v[:4]), int(v[5:7])
            return "date", (date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]))
        if dt == "gYear":
            return "date", (date(int(v[:4]), 1, 1), date(int(v[:4]), 12, 31))
        if dt in ("integer", "int", "decimal", "double", "float", "nonNegativeInteger", "positiveInteger"):
            return "number", float(v)
        if re.fullmatch(r"\d+(\.\d+)?", v):
            return "number", float(v)
    except ValueError:
        return None
    return None


@dataclass
class Holdings:
    numbers: dict[str, set[float]] = field(default_factory=dict)     # entity → numbers it holds
    dates: dict[str, list[tuple[date, date]]] = field(default_factory=dict)
    spans: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)   # seed key → (start, end, entity)
    names: list[str] = field(default_factory=list)                   # folded labels, altLabels, titles
    tables: list[tuple[str, int, int, str]] = field(default_factory=list)        # (seed key, first, last line, dataset)
    readings: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)  # seed key → spans quoted by readings


def holdings(store: Store, seeds: dict[str, Seed]) -> Holdings:
    h = Holdings()
    genid = GENID_PATH
    parent: dict[str, str] = {}
    for r in store.select(f"""SELECT ?s ?o WHERE {{ ?s ?p ?o . FILTER(isIRI(?o) && CONTAINS(STR(?o), "{GENID_PATH}")
                              && ?p != rdf:type) }}"""):
        parent.setdefault(str(r["o"]), str(r["s"]))
    for r in store.select("SELECT ?m ?p WHERE { ?m org:member ?p }"):
        parent.setdefault(str(r["m"]), str(r["p"]))

    def owner(node: str) -> str:
        seen = set()
        while genid in node and node in parent and node not in seen:
            seen.add(node)
            node = parent[node]
        return node

    def add(e: str, kind: str, value) -> None:
        if kind == "number":
            h.numbers.setdefault(e, set()).add(value)
        else:
            h.dates.setdefault(e, []).append(value)

    for r in store.select("SELECT ?s ?o WHERE { ?s ?p ?o . FILTER(isLiteral(?o)) FILTER(?p != oa:exact) }"):
        lv = _literal_value(r["o"])
        if lv is not None:
            add(owner(str(r["s"])), *lv)
    # Telephone numbers (foaf:phone <tel:…>) hold their digit groups: 0800 555 111.
    for r in store.select("SELECT ?s ?o WHERE { ?s foaf:phone ?o }"):
        for g in re.findall(r"\d+", str(r["o"]).split(";")[0]):
            add(owner(str(r["s"])), "number", float(g))
    # Structured string fields: a table's period (dct:temporal) and a cell's or figure's category
    # ("10 – 14", "Under 10") hold the numbers and dates printed in them.
    for r in store.select("SELECT ?s ?o WHERE { ?s cse:category|dct:temporal ?o . FILTER(isLiteral(?o)) }"):
        e = owner(str(r["s"]))
        for m in TOKEN.finditer(str(r["o"])):
            add(e, *_period(m))
    key_of = {iri: k for k, name in SEED_KEYS.items() for n, iri in SEED_IRIS.items() if n == name}
    for r in store.select("SELECT ?e ?src ?q WHERE { ?e oa:hasSource ?src ; oa:hasSelector/oa:exact ?q }"):
        k = key_of.get(str(r["src"]))
        if k is None:
            continue
        seed, q = seeds[k], normalise(str(r["q"]))
        e = owner(str(r["e"]))
        for loc in seed.find(q):
            a = seed._raw_index[loc.offset]
            b = seed._raw_index[loc.offset + len(q) - 1] + 1
            h.spans.setdefault(k, []).append((a, b, e))
    for r in store.select("""SELECT ?a ?src ?q WHERE { ?a cse:reading ?r . ?r cse:evidence ?e .
                             ?e oa:hasSource ?src ; oa:hasSelector/oa:exact ?q }"""):
        k = key_of.get(str(r["src"]))
        if k is None:
            continue
        seed, q = seeds[k], normalise(str(r["q"]))
        for loc in seed.find(q):
            h.readings.setdefault(k, []).append(
                (seed._raw_index[loc.offset], seed._raw_index[loc.offset + len(q) - 1] + 1, str(r["a"])))
    for r in store.select("""SELECT ?n WHERE { { ?x rdfs:label ?n } UNION { ?x skos:altLabel ?n } UNION { ?x dct:title ?n } }"""):
        h.names.append(_fold_name(str(r["n"])))
    # Tables: the block of tab-indented lines printed just above each dataset's caption.
    for r in store.select("""SELECT ?ds ?src ?q WHERE { ?ds a qb:DataSet ; cse:evidence ?e .
                             ?e oa:hasSource ?src ; oa:hasSelector/oa:exact ?q }"""):
        k = key_of.get(str(r["src"]))
        if k is None:
            continue
        seed = seeds[k]
        lines = seed.text.split("\n")
        for loc in seed.find(str(r["q"])):
            cap = loc.line
            if not lines[cap - 1].lstrip().startswith("Table"):
                continue
            first = cap - 1
            while first - 1 >= 1 and (lines[first - 2].startswith("\t") or not lines[first - 2].strip()):
                first -= 1
            h.tables.append((k, first, cap, str(r["ds"])))
    for r in store.select("SELECT ?ds ?p ?v WHERE { ?o qb:dataSet ?ds ; ?p ?v . FILTER(isLiteral(?v)) }"):
        lv = _literal_value(r["v"])
        if lv is not None:
            add(str(r["ds"]), *lv)
        if str(r["p"]).endswith("#category"):
            for m in TOKEN.finditer(str(r["v"])):
                add(str(r["ds"]), *_period(m))
    return h


def _holds(h: Holdings, entity: str, tok: Token) -> bool:
    if tok.kind == "number":
        return tok.value in h.numbers.get(entity, ())
    a, b = tok.value
    if any(lo <= b and a <= hi and (a <= lo <= b or a <= hi <= b) for lo, hi in h.dates.get(entity, ())):
        return True
    # a bare year printed as a count-like value (a gYear held as a number, e.g. a table's year column)
    return tok.text.isdigit() and float(tok.text) in h.numbers.get(entity, ())


_STOP = {"has", "is", "as", "the", "and", "of", "for", "in", "on", "a", "an", "to", "by", "with", "from", "at"}


def _name_held(tok: Token, names: list[str]) -> bool:
    """A name is held when it, or its tail from a capitalised word on (two words at least:
    'Has South Yorkshire Police' → 'South Yorkshire Police'), is part of a label or title."""
    words = tok.value.split() if tok.value else []
    raw = normalise(tok.text).split()
    for i in range(len(words)):
        tail = words[i:]
        if i and (len(tail) < 2 or words[i] in _STOP or not any(w[:1].isupper() for w in raw[i:i + 1])):
            continue
        t = " ".join(tail)
        if any(t in n for n in names):
            return True
    return False


def _title_held(tok: Token, names: list[str]) -> bool:
    """A title is held when a label or title of three words or more lies inside it (a reference
    runs on into its publisher: '… in Rotherham 1997 2013 Rotherham')."""
    t = tok.value or ""
    return any(len(n.split()) >= 3 and n in t for n in names)


def _in_footnote(seed: Seed, offset: int) -> bool:
    return any(s <= offset < e for s, e, _ in seed._footnotes)


def account(store: Store, seeds_dir: str | None = None, rules: list[Rule] | None = None,
            data_dir: Path | None = None) -> tuple[list[Token], list[Rule]]:
    """Every token in both seeds with its status; and the not-modelled rules with their use counts."""
    seeds_by_name = load_seeds(seeds_dir)
    seeds = {k: seeds_by_name[n] for k, n in SEED_KEYS.items()}
    if rules is None:
        rules = load_rules(not_modelled_path(data_dir))
    h = holdings(store, seeds)
    out: list[Token] = []
    for k, seed in seeds.items():
        spans = sorted(h.spans.get(k, []))
        lines = seed.text.split("\n")
        line_starts = seed._line_starts
        for tok in tokens(k, seed):
            if tok.kind in ("number", "date"):
                held_by = [e for a, b, e in spans if a <= tok.start and tok.end <= b and _holds(h, e, tok)]
                if not held_by and not _in_footnote(seed, tok.start):
                    held_by = [ds for sk, first, last, ds in h.tables
                               if sk == k and first <= tok.line < last and _holds(h, ds, tok)]
                if not held_by:   # the text's own inconsistency, recorded as a reading of an ambiguity
                    held_by = [a for x, y, a in h.readings.get(k, []) if x <= tok.start and tok.end <= y]
                if held_by:
                    tok.status, tok.why = "held", sorted(set(held_by))[0]
            elif _name_held(tok, h.names) or (tok.kind == "title" and _title_held(tok, h.names)):
                tok.status, tok.why = "held", "a label or title"
            if tok.status != "held":
                ls = line_starts[tok.line - 1]
                for rule in rules:
                    if rule.covers(tok, seed, lines[tok.line - 1], ls):
                        rule.used += 1
                        rule.lines.add((tok.seed, tok.line))
                        tok.status, tok.why = "not-modelled", f"{rule.reason} (line {rule.row})"
                        break
            out.append(tok)
    return out, rules


def summary(toks: list[Token], rules: list[Rule]) -> dict:
    by_status: dict[str, int] = {}
    for t in toks:
        by_status[t.status] = by_status.get(t.status, 0) + 1
    by_reason: dict[str, int] = {}
    tokens_by_reason: dict[str, int] = {}
    for r in rules:
        by_reason[r.reason] = by_reason.get(r.reason, 0) + 1
        tokens_by_reason[r.reason] = tokens_by_reason.get(r.reason, 0) + r.used
    return {"tokens": len(toks), "by_status": by_status,
            "by_kind": {k: sum(1 for t in toks if t.kind == k) for k in sorted({t.kind for t in toks})},
            "not_modelled_rows": len(rules), "rows_by_reason": dict(sorted(by_reason.items())),
            "tokens_by_reason": dict(sorted(tokens_by_reason.items())),
            "stale_rows": [r.row for r in rules if r.used == 0],
            "stale_parts": {r.row: r.stale_parts() for r in rules if r.used and r.stale_parts()}}


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json

    from .store import open_store

    p = argparse.ArgumentParser(prog="python -m cse_graph.accounting", description=__doc__.split("\n\n")[0])
    p.add_argument("--unaccounted", action="store_true", help="list only unaccounted tokens")
    p.add_argument("--kind", help="only tokens of this kind (number, date, operation, organisation, title)")
    p.add_argument("--context", action="store_true", help="print the words around each token")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    try:
        toks, rules = account(open_store(progress=lambda m: None))
    except (NotModelledError, SeedsMissing) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    sel = [t for t in toks if (not a.unaccounted or t.status == "unaccounted") and (not a.kind or t.kind == a.kind)]
    if a.json:
        print(json.dumps({"summary": summary(toks, rules), "tokens": [t.as_dict() for t in sel]}, ensure_ascii=False, indent=1))
    else:
        seeds = load_seeds() if a.context else {}
        for t in sel:
            ctx = ""
            if a.context:
                raw = seeds[SEED_KEYS[t.seed]].text
                ctx = "\t" + " ".join(FOOTNOTE_MARKER.sub("", raw[max(0, t.start - 60):t.end + 40]).split())
            print(f"{t.seed}:{t.line}\t{t.kind}\t{t.text}\t{t.status}\t{t.why}{ctx}")
        print(summary(toks, rules), file=sys.stderr)
    return 1 if any(t.status == "unaccounted" for t in toks) else 0


if __name__ == "__main__":
    sys.exit(main())
