"""The SPARQL files behind the analyses (``queries/analyses/*.rq``), with their parameters filled in.

Each file runs as it stands (``cse-graph query queries/analyses/known-documents.rq``) on the
defaults written in its ``VALUES ?param { … }`` lines; the library replaces those lines' contents
with the caller's values, so the rule lives in one file and a threshold or date is only a parameter.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from .. import paths


def analysis_query(name: str, **params) -> str:
    """The text of ``queries/analyses/NAME.rq`` with each ``VALUES ?param { … }`` set to ``params[param]``.

    Values are SPARQL terms already written by the caller from checked input (a date, an integer,
    an IRI that came out of the store); a parameter missing from the file is a programming error.
    """
    text = (paths.queries_dir() / "analyses" / f"{name}.rq").read_text(encoding="utf-8")
    for key, term in params.items():
        pattern = re.compile(r"(VALUES\s+\?" + re.escape(key) + r"\s*\{)[^}]*(\})")
        text, n = pattern.subn(lambda m: f"{m.group(1)} {term} {m.group(2)}", text, count=1)
        if n != 1:
            raise KeyError(f"queries/analyses/{name}.rq has no 'VALUES ?{key} {{ … }}' parameter")
    return text


def date_term(day: str) -> str:
    return f'"{day}"^^xsd:date'


def iri_term(iri: str) -> str:
    if any(c in iri for c in '<>"{}|^`\\ '):
        raise ValueError(f"not an IRI: {iri!r}")
    return f"<{iri}>"


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_as_of(text: str) -> dict:
    """'2008' · '2008-01' · '2008-01-15' → {"text", "earliest", "latest", "precision"}.

    ``latest`` (the period's last day) is the cut-off the analyses compare bounds with: "as of
    2008-01" means "by the end of January 2008". Raises ValueError with a readable message.
    """
    m = _DATE.match(text.strip())
    if not m:
        raise ValueError(f"not a date: {text!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if d:
            day = date(y, int(mo), int(d))
            return {"text": text.strip(), "earliest": day.isoformat(), "latest": day.isoformat(), "precision": "day"}
        if mo:
            mo_i = int(mo)
            last = calendar.monthrange(y, mo_i)[1]
            return {"text": text.strip(), "earliest": date(y, mo_i, 1).isoformat(),
                    "latest": date(y, mo_i, last).isoformat(), "precision": "month"}
    except ValueError:
        raise ValueError(f"not a date: {text!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from None
    return {"text": text.strip(), "earliest": f"{y:04d}-01-01", "latest": f"{y:04d}-12-31", "precision": "year"}
