"""``/describe?iri=…``: what the graph says about one entity, as a small HTML page — its facts
(each linked to the other entity's own page) and the verbatim quotes they rest on.

The page is built by ``explore.show`` (the same answer as ``cse-graph show``) on the build's
read-only store, in a thread with a time limit, and rendered by Jinja2 with autoescaping: every
label, literal and quote is text, never markup.
"""

from __future__ import annotations

import asyncio
import urllib.parse
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "templates" / "describe.html"


def _env():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATE.parent)), autoescape=select_autoescape(["html"]))
    env.filters["link"] = lambda iri: "/describe?" + urllib.parse.urlencode({"iri": iri})
    return env


class Describer:
    def __init__(self, store_dir: Path):
        self.store_dir = store_dir
        self._store = None
        self.env = _env()

    def store(self):
        if self._store is None:
            from ..store import OxigraphStore

            self._store = OxigraphStore.open(self.store_dir)
        return self._store

    def render(self, iri: str) -> tuple[int, bytes]:
        from ..explore.show import show

        tpl = self.env.get_template(TEMPLATE.name)
        if not iri.startswith(("http://", "https://")) or any(c in iri for c in '<>"{}|^`\\ \n\r\t'):
            return 400, tpl.render(iri=iri, entity=None, error="Give an entity IRI: /describe?iri=https://…").encode()
        store = self.store()
        if not store.ask(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}"):
            return 404, tpl.render(iri=iri, entity=None, error="The graph says nothing about this IRI.").encode()
        return 200, tpl.render(iri=iri, entity=show(store, iri), error=None).encode()

    def terms(self) -> dict[str, list[str]]:
        """Every class and property the graph uses, for the workbench's completion."""
        store = self.store()
        classes = [str(r["c"]) for r in store.select("SELECT DISTINCT ?c WHERE { ?s a ?c } ORDER BY ?c")]
        props = [str(r["p"]) for r in store.select("SELECT DISTINCT ?p WHERE { ?s ?p ?o } ORDER BY ?p")]
        return {"class": classes, "property": props}

    async def page(self, iri: str, timeout: float) -> tuple[int, bytes]:
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(loop.run_in_executor(None, self.render, iri), timeout)
        except asyncio.TimeoutError:
            tpl = self.env.get_template(TEMPLATE.name)
            return 503, tpl.render(iri=iri, entity=None, error="Describing this entity took too long.").encode()
