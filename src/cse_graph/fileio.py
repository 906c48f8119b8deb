"""Writing files the way every command writes them: atomically (a temporary file beside the target,
renamed over it only when complete, so a failure leaves the previous file intact) and with the
permissions a plain open()/mkdir() would give under the user's umask (tempfile's 0600/0700 would make
a shared copy unreadable to anyone else).
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def public_mode(folder: bool = False) -> int:
    """The mode a plain open()/mkdir() would give: 0644 files, 0755 folders under umask 022
    (tempfile's 0600/0700 would make exports unreadable to anyone else, e.g. a web server)."""
    return (0o777 if folder else 0o666) & ~_umask()


def temp_dir(parent: Path, prefix: str) -> Path:
    """A temporary folder beside the target with ordinary permissions (to be renamed into place)."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    os.chmod(tmp, public_mode(folder=True))
    return tmp


@contextmanager
def atomic_write(path: Path, mode: str = "w"):
    """Yield a file handle whose contents replace ``path`` only if the block succeeds.

    The folder must exist (a missing one is an error, never created silently, except one level:
    the default exports/ folder); the file gets ordinary permissions (0644 under umask 022).
    """
    path.parent.mkdir(exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({"encoding": "utf-8", "newline": ""} if "b" not in mode else {})) as fh:
            yield fh
        os.chmod(tmp, public_mode())
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError) and not e.filename:
            e.filename = str(path)          # a failed write (disk full) names the file it was writing
        raise
