"""One place that maps errors to exit codes: 0 ok · 1 a negative answer · 2 usage or runtime error.

The library's errors form one hierarchy (cse_graph/errors.py: UserError → 2, NoAnswer → 1); the commands raise
:class:`Failure` or :class:`NegativeAnswer` for their own messages; anything else is a bug, reported in one line
(``CSE_GRAPH_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import sys

import click

from ..errors import EXIT_NO_ANSWER, EXIT_OK, EXIT_USER_ERROR, NoAnswer, exit_code_of

EXIT_FINDING, EXIT_ERROR = EXIT_NO_ANSWER, EXIT_USER_ERROR     # the names the commands use


class Failure(click.ClickException):
    """A user-facing error (exit 2) with no traceback."""

    exit_code = EXIT_ERROR

    def show(self, file=None):
        click.echo(f"cse-graph: error: {self.format_message()}", err=True)


class NegativeAnswer(click.ClickException):
    """A negative answer (exit 1): nothing matched, validation failed. (Not a cse:Finding, the domain class.)"""

    exit_code = EXIT_FINDING

    def show(self, file=None):
        click.echo(f"cse-graph: {self.format_message()}", err=True)


def as_click_exception(e: BaseException) -> click.ClickException | None:
    """The clean, exit-coded form of a library error (the hierarchy, an unreachable endpoint, the
    environment), or None when ``e`` is a bug."""
    if isinstance(e, BrokenPipeError):       # a closed pipe is not an error to report (run() exits quietly)
        return None
    code = exit_code_of(e)
    if code is not None:
        return NegativeAnswer(str(e)) if isinstance(e, NoAnswer) else Failure(str(e))
    if isinstance(e, OSError) and not isinstance(e, BrokenPipeError):   # disk full, permissions, a file for a folder
        return Failure(environment_message(e))
    return None


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
        try:
            return super().invoke(ctx)
        except click.ClickException:
            raise
        except Exception as e:
            clean = as_click_exception(e)
            if clean is None:
                raise
            raise clean from None


def run(cli, argv=None):
    try:
        cli.main(args=argv, prog_name="cse-graph", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("cse-graph: aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_OK)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:
        clean = as_click_exception(e)
        if clean is not None:
            clean.show()
            sys.exit(clean.exit_code)
        import os  # a bug, not a user mistake: one line unless debugging

        if os.environ.get("CSE_GRAPH_DEBUG"):
            raise
        click.echo(f"cse-graph: internal error: {type(e).__name__}: {e} (set CSE_GRAPH_DEBUG=1 for the traceback)", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_OK)

