"""The questions cse-graph answers, one pure function per module, over any
:class:`~cse_graph.store.Store`:

=================  ==========================================================
``lineage``        what X set in motion / what set X in motion (lineage.py)
``path``           how A connects to B, on what evidence (path.py)
``missed``         documented missed opportunities (missed.py)
``gaps``           the stock-take: responses and their absence (gaps.py)
``timeline``       dated events in order (timeline.py)
``stats``          the statistics tables, pivoted and checked (stats.py)
``rank``           most influential, by a named measure (rank.py)
``known``          what existed, had reached a body, was open or missed at a date (known.py)
``recurrence``     lessons that recur across documents, curated; TF-IDF only suggests (recurrence.py)
``overdue``        recommendations unanswered N months on: ``gaps --overdue`` (overdue.py)
``breaks``         where knowledge stopped turning into action (breaks.py)
``search``/``show``  finding and describing entities (search.py, show.py)
=================  ==========================================================

Import the function from its module (``from cse_graph.explore.lineage import lineage``);
modules load on demand so each command pays only for what it uses.
"""
