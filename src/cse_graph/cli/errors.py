"""One place that maps errors to exit codes: 0 ok · 1 a finding · 2 usage or runtime error."""

from __future__ import annotations

import sys

import click

EXIT_OK, EXIT_FINDING, EXIT_ERROR = 0, 1, 2


class Failure(click.ClickException):
    """A user-facing error (exit 2) with no traceback."""

    exit_code = EXIT_ERROR

    def show(self, file=None):
        click.echo(f"cse-graph: error: {self.format_message()}", err=True)


class Finding(click.ClickException):
    """A negative answer (exit 1): nothing matched, validation failed."""

    exit_code = EXIT_FINDING

    def show(self, file=None):
        click.echo(f"cse-graph: {self.format_message()}", err=True)


class CseGroup(click.Group):
    """Turns the library's user-facing errors into clean messages (exit 2), however it is invoked."""

    def invoke(self, ctx):
        from ..build import DataFileError
        from ..seeds import SeedsMissing

        try:
            return super().invoke(ctx)
        except (DataFileError, SeedsMissing, ConnectionError) as e:
            raise Failure(str(e)) from None


def run(cli, argv=None):
    from ..build import DataFileError
    from ..seeds import SeedsMissing

    try:
        cli.main(args=argv, prog_name="cse-graph", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("cse-graph: aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except (DataFileError, SeedsMissing, ConnectionError) as e:
        click.echo(f"cse-graph: error: {e}", err=True)
        sys.exit(EXIT_ERROR)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_OK)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:  # a bug, not a user mistake: one line unless debugging
        import os

        if os.environ.get("CSE_GRAPH_DEBUG"):
            raise
        click.echo(f"cse-graph: internal error: {type(e).__name__}: {e} (set CSE_GRAPH_DEBUG=1 for the traceback)", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_OK)

