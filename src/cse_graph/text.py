"""Wording shared by every layer (the lowest layer, beside vocab)."""

from __future__ import annotations


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 violation', '2 violations', '0 steps', '1 month'."""
    return f"{n} {word if n == 1 else (words or word + 's')}"
