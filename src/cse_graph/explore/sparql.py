"""SPARQL helpers the questions share: a VALUES list of IRIs, chunks of a long list, the date pattern and the
row → date converter, number conversion. They live in :mod:`cse_graph.entities` (the entity index uses them
too); the questions import them from here."""

from __future__ import annotations

from ..entities import BULK, INSTANT, chunks, date_dict, to_decimal, to_int, values

__all__ = ["BULK", "INSTANT", "chunks", "date_dict", "to_decimal", "to_int", "values"]
