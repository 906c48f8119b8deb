"""cse-graph: report-to-action lineage in the public record on South Yorkshire Police and CSE.

The library is organised as load → validate → query/analyse → export:

* :mod:`cse_graph.build`    parse Turtle, skolemise, derive (SPARQL Update rules in queries/derive)
* :mod:`cse_graph.validate` SHACL shapes, SPARQL checks, quote checks against the seeds
* :mod:`cse_graph.cache`    compile once, reuse until an input file changes
* :mod:`cse_graph.store`    one query interface over pyoxigraph, rdflib or a remote endpoint
* :mod:`cse_graph.explore`  the questions: lineage, path, missed, gaps, timeline, stats, rank …
* :mod:`cse_graph.cli`      a thin click layer over all of the above
"""

__version__ = "0.1.0"
