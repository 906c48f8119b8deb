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


_ADVICE = {
    "ENOSPC": "the disk is full: free some space, or write elsewhere (-o, or CSE_GRAPH_CACHE for the cache)",
    "EDQUOT": "the disk quota is used up: free some space, or write elsewhere",
    "EFBIG": "the file is larger than this system allows here: write elsewhere",
    "EACCES": "permission denied: choose a folder you can write to (or fix its permissions)",
    "EPERM": "operation not permitted: choose a folder you can write to",
    "EROFS": "the file system is read-only: choose another folder",
    "ENOTDIR": "a part of this path is a file, not a folder",
    "EISDIR": "this is a folder, not a file",
    "EEXIST": "this already exists and is not a folder",
    "ELOOP": "a symbolic link loop: remove or fix the link",
    "ENOENT": "no such file or folder",
    "ENAMETOOLONG": "the name is too long",
    "EMFILE": "too many open files: raise the limit (ulimit -n) and try again",
}


def environment_message(e: OSError) -> str:
    """One line for an environment error: the path, what went wrong, what to do."""
    import errno
    import os

    from .. import paths

    code = errno.errorcode.get(e.errno or 0, "")
    what = _ADVICE.get(code) or (e.strerror or str(e))
    path = e.filename or ""
    if e.filename2:
        path = f"{path} → {e.filename2}"
    hint = ""
    try:
        if path and os.path.abspath(str(e.filename)).startswith(os.path.abspath(paths.cache_root())):
            hint = " (this is the graph cache: set CSE_GRAPH_CACHE to a folder you can write to)"
        elif path and code in ("EACCES", "EPERM", "EROFS", "ENOTDIR", "EEXIST") and \
                str(paths.cache_root()).startswith(os.path.abspath(str(e.filename))):
            hint = f" (the graph cache goes in {paths.cache_root()}: set CSE_GRAPH_CACHE to a folder you can write to)"
    except (OSError, ValueError):
        pass
    return f"{path}: {what}{hint}" if path else f"{what}{hint}"


class CseGroup(click.Group):
    """Turns the library's user-facing errors into clean messages (exit 2), however it is invoked."""

    def invoke(self, ctx):
        from ..build import DataFileError
        from ..seeds import SeedsMissing
        from ..sources import SourceError

        try:
            return super().invoke(ctx)
        except (DataFileError, SeedsMissing, SourceError, ConnectionError) as e:
            raise Failure(str(e)) from None
        except BrokenPipeError:
            raise
        except OSError as e:      # the environment (disk full, permissions, a file where a folder should be)
            raise Failure(environment_message(e)) from None


def run(cli, argv=None):
    from ..build import DataFileError
    from ..seeds import SeedsMissing
    from ..sources import SourceError

    try:
        cli.main(args=argv, prog_name="cse-graph", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("cse-graph: aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except (DataFileError, SeedsMissing, SourceError, ConnectionError) as e:
        click.echo(f"cse-graph: error: {e}", err=True)
        sys.exit(EXIT_ERROR)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_OK)
    except OSError as e:
        click.echo(f"cse-graph: error: {environment_message(e)}", err=True)
        sys.exit(EXIT_ERROR)
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

