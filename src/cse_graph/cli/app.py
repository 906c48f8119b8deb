"""The ``cse-graph`` group; the command modules register themselves on it."""

from __future__ import annotations

import click

from .. import __version__
from .errors import CseGroup


@click.group(cls=CseGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="cse-graph")
def cli():
    """Explore the public record on how South Yorkshire Police responded to child sexual
    exploitation: which report prompted which action, which opportunities were missed, and the
    passage every answer rests on.

    \b
    Start here:
      cse-graph build                      compile data/ and print a summary
      cse-graph validate                   check the data (exit 1 on violations)
      cse-graph cite "a verbatim quote"    the evidence block for a quote, with its locator
    """
