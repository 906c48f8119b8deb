"""The one exception hierarchy: what the user can fix, what is a negative answer, and (everything else) a bug.

::

    CseGraphError
    ├── UserError          exit 2: one line naming the file/row/line or option, and what to do; no traceback
    │   ├── DataFileError      a data file that does not parse (build.py)
    │   ├── SeedsMissing       the seed texts are not where they should be (seeds.py)
    │   ├── SourceError        a source registry or document problem (sources.py)
    │   ├── SheetError         a sheet or mapping that cannot be imported (tabular.py)
    │   └── QueryError         a query that does not parse or run (engine.py)
    └── NoAnswer           exit 1: a negative answer — nothing matched (explore NotFound)

Library errors keep the built-in class they always had as a second base (``SourceError`` is still a
``ValueError``, ``NotFound`` a ``LookupError``), so existing ``except`` clauses keep working. The command line
maps them to exit codes in one place, ``cli/errors.py`` (:func:`exit_code_of`); an exception outside the
hierarchy (and not an environment ``OSError``) is a bug and says so.
"""

from __future__ import annotations

EXIT_OK, EXIT_NO_ANSWER, EXIT_USER_ERROR = 0, 1, 2


class CseGraphError(Exception):
    """Base of every error cse-graph raises on purpose."""

    exit_code = EXIT_USER_ERROR


class UserError(CseGraphError):
    """Something the user can fix (bad input, a missing file, an unreachable endpoint): exit 2, one line."""

    exit_code = EXIT_USER_ERROR


class NoAnswer(CseGraphError):
    """A negative answer, not a failure (nothing matched): exit 1."""

    exit_code = EXIT_NO_ANSWER


def exit_code_of(e: BaseException) -> int | None:
    """The exit code an error maps to, or None for a bug (an exception outside the hierarchy).

    >>> exit_code_of(UserError("no such file"))
    2
    >>> exit_code_of(NoAnswer("nothing matched"))
    1
    >>> exit_code_of(KeyError("x")) is None
    True
    """
    if isinstance(e, CseGraphError):
        return e.exit_code
    if isinstance(e, ConnectionError):      # the engine's RemoteStore: an endpoint that cannot be reached
        return EXIT_USER_ERROR
    return None
