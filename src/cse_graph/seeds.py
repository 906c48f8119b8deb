"""The two source texts: finding a quote in them and saying where it stands.

Every evidence node in ``data/`` carries a short verbatim quote and a human
locator ("Chapter 4 › Operation Central and its aftermath", "Appendix 4 › …",
"FAQ › Who is in charge of Operation Stovewood?", with "› footnote 52" when the
quote sits in a footnote).  This module computes those locators from the text
itself, so curators never type them by hand and tests can check them.

Matching allows only whitespace and quote-mark normalisation (curly ↔ straight
quotes, runs of spaces/tabs/newlines ↔ one space) and ignores the conversion's
``[footnoteRef:N]`` markers; all of it lives in :func:`fold`.  Nothing here
imports rdflib.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import UserError

DREW = "000_097f522c8c510e03.txt"
FAQ = "003_be1dc688c2c7c598.txt"

# IRIs of the two seed documents as they appear in data/ (oa:hasSource).
SEED_IRIS = {
    DREW: "https://w3id.org/cse-graph/id/report/drew-review-2016",
    FAQ: "https://w3id.org/cse-graph/id/report/syp-cse-faq-2016",
}

# The structure of each seed, in reading order.  ("part", prefix, name) starts a
# chapter/appendix; ("section", prefix, name) starts a section inside the current
# part.  A prefix is matched against a whole line with surrounding whitespace
# stripped; each entry is searched for after the previous one, so a heading that
# occurs twice (e.g. "Recommendations") is found in the right place.
_DREW_STRUCTURE: list[tuple[str, str, str]] = [
    ("part", "Preface", "Preface"),
    ("part", "Summary and recommendations", "Summary and recommendations"),
    ("section", "Rotherham", "Rotherham"),
    ("section", "The rest of South Yorkshire", "The rest of South Yorkshire"),
    ("section", "[2] Has South Yorkshire Police understood", "[2] Acting on previous reports"),
    ("section", "[3] Is the police response", "[3] Adequate now?"),
    ("section", "Assurance about the past", "Assurance about the past"),
    ("section", "Recommendations", "Recommendations"),
    ("part", "Scope and limits of the Review", "Chapter 2"),
    ("section", "Terms of Reference", "Terms of Reference"),
    ("section", "Four constraints on this review", "Four constraints on this review"),
    ("section", "1. Investigations by the Independent Police Complaints Commission", "1. Investigations by the IPCC"),
    ("section", "2. Investigations by the National Crime Agency", "2. Investigations by the National Crime Agency"),
    ("section", "3. Continuing operations led by South Yorkshire Police", "3. Continuing operations led by SYP"),
    ("section", "4. Legal action against South Yorkshire Police", "4. Legal action"),
    ("section", "The consequence of these constraints", "The consequence of these constraints"),
    ("part", "What is child sexual exploitation?", "Chapter 3"),
    ("section", "Survivors and family members", "Survivors' and family members' account"),
    ("section", "The current definition of child sexual exploitation", "The current definition of child sexual exploitation"),
    ("section", "Facing up to the challenge of child sexual exploitation", "Facing up to the challenge of child sexual exploitation"),
    ("section", "Statistics on child sexual exploitation in South Yorkshire today", "Statistics on child sexual exploitation in South Yorkshire today"),
    ("part", "[bookmark: Chapter4]Chapter 4", "Chapter 4"),
    ("section", "Judgement and summary", "Judgement and summary"),
    ("section", "Police policy in 1998", "Police policy in 1998"),
    ("section", "The policing of child sexual exploitation in Rotherham 2000", "The policing of child sexual exploitation in Rotherham 2000 – 2007"),
    ("section", "The Home Office Research in Rotherham, 2000-2001", "The Home Office Research in Rotherham, 2000-2001"),
    ("section", "Continuing police contact with agencies in Rotherham", "Continuing police contact with agencies in Rotherham"),
    ("section", "The policing of child sexual exploitation in Rotherham 2007-2014", "The policing of child sexual exploitation in Rotherham 2007-2014"),
    ("section", "Operation Central and its aftermath", "Operation Central and its aftermath"),
    ("section", "Growing scrutiny", "Growing scrutiny"),
    ("section", "The policing of child sexual exploitation in the rest of South Yorkshire", "The policing of child sexual exploitation in the rest of South Yorkshire 2000-2015"),
    ("section", "Early days in Sheffield", "Early days in Sheffield"),
    ("section", "Operation Insight", "Operation Insight"),
    ("section", "The intelligence reports produced by Dr. Heal", "The intelligence reports produced by Dr. Heal"),
    ("section", "Sheffield - 2003 to 2006", "Sheffield - 2003 to 2006"),
    ("section", "Sheffield - 2007 - 2013", "Sheffield - 2007 - 2013"),
    ("section", "Sheffield - 2013 - 2015", "Sheffield - 2013 - 2015"),
    ("section", "Barnsley", "Barnsley"),
    ("section", "Doncaster", "Doncaster"),
    ("section", "Child sexual exploitation and abuse in South Yorkshire before this period", "Child sexual exploitation and abuse in South Yorkshire before this period"),
    ("section", "In conclusion", "In conclusion"),
    ("part", "[bookmark: Chapter5]Chapter 5", "Chapter 5"),
    ("section", "Judgement and summary", "Judgement and summary"),
    ("section", "Lack of understanding about child sexual exploitation", "Lack of understanding about child sexual exploitation"),
    ("section", "Too narrow a definition of child sexual exploitation", "Too narrow a definition of child sexual exploitation"),
    ("section", "The distorting impact of national priorities", "The distorting impact of national priorities"),
    ("section", "The impact of a top down culture combined with a lack of professional curiosity", "The impact of a top down culture combined with a lack of professional curiosity"),
    ("section", "Attitudes to young people", "Attitudes to young people"),
    ("section", "Potential corruption", "Potential corruption"),
    ("section", "The question of race and", "The question of race and ‘political correctness’"),
    ("part", "[bookmark: Chapter6]Chapter 6", "Chapter 6"),
    ("section", "Judgement and summary", "Judgement and summary"),
    ("section", "Raising the priority of child sexual exploitation", "Raising the priority of child sexual exploitation"),
    ("section", "The Child Sexual Exploitation Action Plan", "The Child Sexual Exploitation Action Plan"),
    ("section", "Tasking and analysis", "Tasking and analysis"),
    ("section", "Multi-agency safeguarding", "Multi-agency safeguarding"),
    ("section", "Training", "Training"),
    ("section", "Resourcing [staff welfare]", "Resourcing [staff welfare]"),
    ("section", "Raising awareness", "Raising awareness"),
    ("section", "Operation Makesafe", "Operation Makesafe"),
    ("section", "Investigation", "Investigation"),
    ("section", "Online child sexual exploitation", "Online child sexual exploitation"),
    ("section", "Development", "Development"),
    ("section", "Refining the action plan", "Refining the action plan"),
    ("section", "Conclusions", "Conclusions"),
    ("part", "[bookmark: Chapter7]", "Chapter 7"),
    ("section", "Judgement and summary", "Judgement and summary"),
    ("section", "Current strengths and weaknesses", "Current strengths and weaknesses"),
    ("section", "Strength: Commitment of the Senior Leadership", "Strength: Commitment of the Senior Leadership"),
    ("section", "Strength: Scale of resources", "Strength: Scale of resources allocated to combatting child sexual exploitation"),
    ("section", "Strength: Commitment to multi-agency working", "Strength: Commitment to multi-agency working"),
    ("section", "Strength: Positive policing initiatives", "Strength: Positive policing initiatives"),
    ("section", "Operation ‘A’", "Strength: Positive policing initiatives › Operation ‘A’"),
    ("section", "Operation ‘B’", "Strength: Positive policing initiatives › Operation ‘B’"),
    ("section", "Strength: Successful prosecutions and other interventions", "Strength: Successful prosecutions and other interventions"),
    ("section", "Strength and weakness[footnoteRef:107]: Attitudes towards victims", "Strength and weakness: Attitudes towards victims of child sexual exploitation"),
    ("section", "Strength and weakness[footnoteRef:110]: Disciplinary action", "Strength and weakness: Disciplinary action and criminal proceedings against Police officers and staff"),
    ("section", "Strength and weakness: Engagement with victims", "Strength and weakness: Engagement with victims and survivors and their families"),
    ("section", "Weakness: Intelligence gathering", "Weakness: Intelligence gathering"),
    ("section", "Weakness: Management oversight of casework", "Weakness: Management oversight of casework"),
    ("section", "Weakness: Learning from Police Officers", "Weakness: Learning from Police Officers joining South Yorkshire from other forces"),
    ("part", "[bookmark: Chapter8]Chapter 8", "Chapter 8"),
    ("section", "Culture:", "Culture"),
    ("section", "Effective, appropriate leadership:", "Effective, appropriate leadership"),
    ("section", "Performance:", "Performance"),
    ("section", "Victim focus:", "Victim focus"),
    ("section", "Scale:", "Scale"),
    ("section", "Partnership working:", "Partnership working"),
    ("section", "Prosecutions and case building:", "Prosecutions and case building"),
    ("section", "Resource management:", "Resource management"),
    ("part", "Additional themes that arose during the Review", "Chapter 9"),
    ("section", "The unsatisfactory treatment of victims", "The unsatisfactory treatment of victims, survivors and their families by the whole Criminal Justice System"),
    ("section", "Difficulties with measuring success", "Difficulties with measuring success in combatting child sexual exploitation"),
    ("section", "The Independent Police Complaints Commission (IPCC)", "The Independent Police Complaints Commission (IPCC)’s investigations"),
    ("part", "Recommendations", "Chapter 10"),
    ("section", "Summary", "Summary"),
    ("section", "Action Plan", "Action Plan"),
    ("section", "Engagement with victims, survivors and their families", "Engagement with victims, survivors and their families"),
    ("section", "Learning Lessons Review", "Learning Lessons Review"),
    ("section", "Intelligence gathering", "Intelligence gathering"),
    ("section", "Making full use of the knowledge and experience", "Making full use of the knowledge and experience of recruits from other forces"),
    ("section", "Information and Communications Technology (ICT)", "Information and Communications Technology (ICT)"),
    ("section", "Investigation and supervision", "Investigation and supervision"),
    ("section", "Governance", "Governance"),
    ("section", "The response to intelligence reports produced between 2003 and 2006", "The response to intelligence reports produced between 2003 and 2006"),
    ("part", "INDEPENDENT REVIEW OF SOUTH YORKSHIRE POLICE IN RELATION TO ITS RESPONSE", "Appendix 1 (Terms of Reference)"),
    ("section", "Aim and timescales of the Independent Review", "Aim and timescales of the Independent Review"),
    ("section", "Context", "Context"),
    ("section", "Review areas", "Review areas"),
    ("section", "Reporting", "Reporting"),
    ("part", "This review was not an Inspection", "Appendix (Methodology)"),
    ("part", "At the outset of this Review we identified 11 separate investigations", "Appendix 4 (Previous reviews)"),
    ("section", "Lessons Learned Review – Operation Central", "Lessons Learned Review – Operation Central, 2010"),
    ("section", "Child Sexual Exploitation – A Strategic Problem Profile", "Child Sexual Exploitation – A Strategic Problem Profile, 2010"),
    ("section", "Association of Chief Police Officers (ACPO)", "ACPO Child Sexual Exploitation Action Plan"),
    ("section", "South Yorkshire Police’s Response to Child Sexual Exploitation – Her Majesty’s", "HMIC 2013"),
    ("section", "South Yorkshire Police’s Response to Child Sexual Exploitation Re-visit", "HMIC 2014 re-visit"),
    ("section", "Independent Inquiry into Child Sexual Exploitation in Rotherham 1997-2013", "Independent Inquiry into Child Sexual Exploitation in Rotherham (Jay, 2014)"),
    ("section", "College of Policing Peer Reviews of Doncaster and Rotherham", "College of Policing Peer Reviews of Doncaster and Rotherham, 2014"),
    ("section", "Report of Inspection of Rotherham Metropolitan Borough Council 2015", "Report of Inspection of Rotherham MBC (Casey, 2015)"),
    ("section", "‘What does good look like?’", "‘What does good look like?’, 2015"),
    ("section", "Operation Stovewood – Review report", "Operation Stovewood review report, NCA 2015"),
    ("section", "PEEL: Police effectiveness 2015", "PEEL: Police effectiveness 2015 (Vulnerability)"),
    ("part", "OPERATION STOVEWOOD – Update for review", "Appendix 5 (NCA briefing on Operation Stovewood)"),
    ("section", "Purpose", "Purpose"),
    ("section", "Background – the NCA and invitation to investigate", "Background – the NCA and invitation to investigate"),
    ("section", "Terms of Reference – what is Operation Stovewood investigating?", "Terms of Reference"),
    ("section", "Review and intelligence gathering", "Review and intelligence gathering"),
    ("section", "New criminal investigations", "New criminal investigations"),
    ("section", "Leadership and Priorities", "Leadership and Priorities"),
    ("section", "Current Activity – investigation update", "Current Activity – investigation update"),
    ("section", "Victims and survivors", "Victims and survivors"),
    ("part", "Voices from the Swinton Lock", "Appendix 6 (Survivors' voices)"),
    ("part", "CROP", "Glossary"),
]

_FAQ_QUESTIONS = [
    "What is child sexual exploitation?",
    "Does the force take CSE seriously?",
    "How many officers are working on child sexual exploitation now?",
    "How many investigations into CSE do you have ongoing?",
    "Who is investigating the abuse of 1,400 victims in Rotherham referred to in the Jay Report?",
    "Who is in charge of Operation Stovewood?",
    "What is happening at the moment?",
    "What has the investigation found so far?",
    "Have you identified all 1,400 victims of abuse?",
    "Does the force plan on making more arrests?",
    "Why do you release suspects on bail?",
    "Are all the offenders Asian?",
    "Are there Asian victims?",
    "Will I have to go to court if I report CSE to police?",
    "What is happening with the Independent Investigation?",
    "Will officers face disciplinary action?",
    "What progress has been made by South Yorkshire Police since the Jay report?",
    "How can I report child sexual exploitation?",
]
_FAQ_STRUCTURE: list[tuple[str, str, str]] = [("part", "Frequently asked questions", "FAQ")]
for _q in _FAQ_QUESTIONS:
    _FAQ_STRUCTURE.append(("section", _q, _q))
    if _q.startswith("What progress has been made"):
        for _sub in ("Investigations", "Training", "Campaigns", "Legislation"):
            _FAQ_STRUCTURE.append(("section", _sub, f"{_q} › {_sub}"))

STRUCTURES = {DREW: _DREW_STRUCTURE, FAQ: _FAQ_STRUCTURE}

_QUOTE_MAP = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
                            "“": '"', "”": '"', "„": '"', "″": '"', "\u00a0": " "})
_WS = re.compile(r"\s+")
FOOTNOTE_MARKER = re.compile(r"\[footnoteRef:\d+\]")


def fold(text: str) -> tuple[str, list[int]]:
    """The one normalisation quotes are matched under, and where each kept character came from.

    Curly quote marks become straight ones, every run of whitespace one space (none at either
    end), and the conversion's ``[footnoteRef:N]`` markers are dropped, so a quote stored without
    them matches a seed that has them.  Any other difference (a letter, a bracket, case) remains.
    Returns the folded text and, for each of its characters, the offset in ``text`` it stands for.

    >>> fold("‘Risky  Business’[footnoteRef:7] is\\n here")[0]
    "'Risky Business' is here"
    >>> fold(" a [footnoteRef:12] b ")
    ('a b', [1, 2, 20])
    >>> fold("see [12] and [footnoteRef:x]")[0]
    'see [12] and [footnoteRef:x]'
    """
    skip = [m.span() for m in FOOTNOTE_MARKER.finditer(text)]
    chars: list[str] = []
    index: list[int] = []
    prev_space = True
    k = 0
    for i, ch in enumerate(text.translate(_QUOTE_MAP)):
        while k < len(skip) and i >= skip[k][1]:
            k += 1
        if k < len(skip) and skip[k][0] <= i:
            continue
        if ch.isspace():
            if prev_space:
                continue
            ch, prev_space = " ", True
        else:
            prev_space = False
        chars.append(ch)
        index.append(i)
    if chars and chars[-1] == " ":
        chars.pop()
        index.pop()
    return "".join(chars), index


def normalise(text: str) -> str:
    """``fold(text)`` without the offsets.

    >>> normalise("  the “Jay”  report[footnoteRef:12]\\n was  published ")
    'the "Jay" report was published'
    """
    return fold(text)[0]


class SeedsMissing(UserError, RuntimeError):
    """The seed directory is not where it should be."""


def default_seeds_dir() -> Path | None:
    """``$CSE_GRAPH_SEEDS``, or ``../shared/seeds`` beside the project checkout; None for an
    installed copy (a wheel ships no seeds and has no checkout to stand beside)."""
    env = os.environ.get("CSE_GRAPH_SEEDS")
    if env:
        return Path(env)
    from . import paths

    root = paths.resource_root()
    if root.name == "_resources":
        return None
    return root.parent / "shared" / "seeds"


@dataclass(frozen=True)
class Location:
    seed: str          # file name of the seed
    line: int          # 1-based line of the first character of the match
    locator: str       # "Chapter 4 › Operation Central and its aftermath"
    offset: int        # offset of the match in the normalised text
    exact: str         # the matched words as the seed prints them (whitespace folded)


class Seed:
    """One seed text, normalised once, with its headings and footnotes mapped."""

    def __init__(self, name: str, text: str, headings: list[tuple[int, str]] | None = None):
        """``headings``: (raw offset, locator) marks in reading order, for texts that are not
        one of the two seeds (a registered PDF's "page 3 › Heading"); the seeds' own come
        from their STRUCTURES."""
        self.name = name
        self.text = text
        self.norm, self._raw_index = fold(text)   # offsets map back to raw lines
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._headings = [tuple(h) for h in headings] if headings is not None else self._map_headings(STRUCTURES.get(name, []))
        self._footnotes = self._map_footnotes() if headings is None else []

    def _map_headings(self, structure):
        lines = self.text.split("\n")
        marks: list[tuple[int, str]] = []  # (raw offset, locator)
        part = ""
        pos = 0
        for kind, prefix, name in structure:
            for n in range(pos, len(lines)):
                if lines[n].strip().startswith(prefix):
                    break
            else:
                raise ValueError(f"{self.name}: heading {prefix!r} not found after line {pos + 1}")
            pos = n + 1
            if kind == "part":
                part = name
                marks.append((self._line_starts[n], part))
            else:
                marks.append((self._line_starts[n], f"{part} › {name}"))
        return marks

    def _map_footnotes(self):
        spans = []
        for m in re.finditer(r"\[(\d+):", self.text):
            end = self.text.find("]", m.end())
            spans.append((m.start(), end if end >= 0 else len(self.text), int(m.group(1))))
        return spans

    def line_of(self, raw_offset: int) -> int:
        return bisect.bisect_right(self._line_starts, raw_offset)

    def locator_at(self, raw_offset: int) -> str:
        keys = [off for off, _ in self._headings]
        i = bisect.bisect_right(keys, raw_offset) - 1
        loc = self._headings[i][1] if i >= 0 else "Front matter"
        for start, end, num in self._footnotes:
            if start <= raw_offset < end:
                return f"{loc} › footnote {num}"
        return loc

    def find(self, quote: str) -> list[Location]:
        """Every place the (normalised) quote occurs."""
        q = normalise(quote)
        out: list[Location] = []
        if not q:
            return out
        start = self.norm.find(q)
        while start >= 0:
            raw = self._raw_index[start]
            # the seed's own characters, whitespace folded, footnote markers left out
            exact = "".join(" " if self.text[j].isspace() else self.text[j]
                            for j in self._raw_index[start:start + len(q)])
            out.append(Location(self.name, self.line_of(raw), self.locator_at(raw), start, exact))
            start = self.norm.find(q, start + 1)
        return out


@lru_cache(maxsize=4)
def load_seeds(seeds_dir: str | None = None) -> dict[str, Seed]:
    """Read both seeds; raise SeedsMissing with a helpful message if absent."""
    d = Path(seeds_dir) if seeds_dir else default_seeds_dir()
    if d is None:
        raise SeedsMissing(
            "seed texts not found: this is an installed copy of cse-graph, which does not ship the two "
            "seed texts. Name the folder that holds them with --seeds DIR or CSE_GRAPH_SEEDS=DIR "
            "(or pass --no-quotes to validate without checking quotes)."
        )
    missing = [n for n in (DREW, FAQ) if not (d / n).is_file()]
    if missing:
        why = "no such folder" if not d.is_dir() else f"missing {', '.join(missing)}"
        raise SeedsMissing(
            f"seed texts not found in {d} ({why}). Name the folder that holds "
            f"{DREW} and {FAQ} with --seeds DIR or CSE_GRAPH_SEEDS=DIR; from a checkout the default is "
            f"../shared/seeds beside it (or pass --no-quotes to validate without checking quotes)."
        )
    return {n: Seed(n, (d / n).read_text(encoding="utf-8")) for n in (DREW, FAQ)}


def seed_for_iri(iri: str) -> str | None:
    for name, seed_iri in SEED_IRIS.items():
        if seed_iri == iri:
            return name
    return None
