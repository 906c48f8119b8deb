"""The ``cse-graph`` command line: a thin click layer over the library, one module per command group.

Exit codes (cli/errors.py): 0 ok · 1 a finding (validation failed, nothing matched) · 2 usage or runtime error.
Every read command takes ``--format`` (cli/output.py: table on a terminal, JSON otherwise by default).
"""

from __future__ import annotations

from . import analyses, data, explore, export, figures, record, server, sources, sparql  # noqa: F401  (they register commands)
from .app import cli
from .errors import EXIT_ERROR, EXIT_FINDING, EXIT_OK, Failure, NegativeAnswer, run


def main(argv=None):
    run(cli, argv)


__all__ = ["cli", "main", "Failure", "NegativeAnswer", "EXIT_OK", "EXIT_FINDING", "EXIT_ERROR"]


if __name__ == "__main__":
    main()
