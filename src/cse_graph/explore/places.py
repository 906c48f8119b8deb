"""Filters by place and by year shared by missed, timeline and the exports."""

from __future__ import annotations

from ..store import Store


def place_filter(store: Store, place: str | None, exact: bool = False) -> set[str] | None:
    """The set of place IRIs that count as "in" ``place``: itself, and (unless exact) the
    places it lies within (a county-wide item concerns every district). None = no filter."""
    if not place:
        return None
    keep = {place}
    if not exact:
        for r in store.select(f"SELECT ?p WHERE {{ <{place}> dct:isPartOf+ ?p }}"):
            keep.add(str(r["p"]))
    return keep


def bound(value, end: bool) -> str | None:
    """A year (int) or an ISO date (str) as the ISO day that starts (or, with end, ends) it.

    >>> bound(2012, end=False), bound(2012, end=True)
    ('2012-01-01', '2012-12-31')
    >>> bound("2016-07-14", end=True)
    '2016-07-14'
    """
    if value is None:
        return None
    if isinstance(value, int):
        return f"{value:04d}-12-31" if end else f"{value:04d}-01-01"
    import datetime

    return datetime.date.fromisoformat(str(value)).isoformat()   # ValueError for anything but a day


def within_years(date: dict | None, since: int | str | None, until: int | str | None) -> bool:
    """Does a date (with earliest/latest bounds) overlap since..until (years, or ISO days)? Undated: only if unfiltered.

    >>> late_2006 = {"earliest": "2006-09-01", "latest": "2006-12-31"}
    >>> within_years(late_2006, 2006, None), within_years(late_2006, 2007, None), within_years(None, None, None)
    (True, False, True)
    """
    if since is None and until is None:
        return True
    if not date:
        return False
    if since is not None and date["latest"] < bound(since, False):
        return False
    if until is not None and date["earliest"] > bound(until, True):
        return False
    return True


def spatial_of(store: Store, ids) -> dict[str, set[str]]:
    """{id: {place IRI, …}} for the given entities (looked up by anchor; one scan for big sets)."""
    from .sparql import BULK, chunks, values

    ids = sorted(set(ids))
    out: dict[str, set[str]] = {}
    if len(ids) > BULK:
        wanted = set(ids)
        for r in store.select("SELECT ?s ?p WHERE { ?s dct:spatial ?p }"):
            if str(r["s"]) in wanted:
                out.setdefault(str(r["s"]), set()).add(str(r["p"]))
        return out
    for chunk in chunks(ids, 500):
        for r in store.select(f"SELECT ?s ?p WHERE {{ VALUES ?s {{ {values(chunk)} }} ?s dct:spatial ?p }}"):
            out.setdefault(str(r["s"]), set()).add(str(r["p"]))
    return out
