"""The log of an internal error: the traceback for us, where the user's message points.

One file per user, in the user's own cache folder (``$XDG_CACHE_HOME/salesplan`` or
``~/.cache/salesplan``; ``%LOCALAPPDATA%\\salesplan`` on Windows), the folder private (0700) and the
file private (0600). It is opened without following a symbolic link planted at its name, so the log
can never be turned into a write to another file. When the cache folder cannot be written, a fresh
private file in the temporary folder is used (``mkstemp``: a new name, never an existing file).

Light on purpose: the command line imports it before anything heavy.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from pathlib import Path

LOG_NAME = "salesplan-error.log"


def log_folder() -> Path:
    """The folder of the user's error log (not made here)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        base = xdg if os.path.isabs(xdg) else str(Path.home() / ".cache")  # the spec: a relative one is ignored
    return Path(base) / "salesplan"


def write_error_log(text: str | None = None) -> Path | None:
    """Write ``text`` (by default the exception being handled, with its traceback) to the user's
    error log and return its path; None if no log could be written anywhere. Never raises."""
    if text is None:
        text = traceback.format_exc()
    data = f"{dt.datetime.now().isoformat()}\n{text}".encode()
    try:
        folder = log_folder()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not folder.is_symlink():
            os.chmod(folder, 0o700)
        path = folder / LOG_NAME
        _write_private(path, data)
        return path
    except OSError:
        pass
    try:
        fd, name = tempfile.mkstemp(prefix="salesplan-error-", suffix=".log")  # 0600, a name nobody had
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        return Path(name)
    except OSError:
        return None


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def _write_private(path: Path, data: bytes) -> None:
    """Replace the contents of ``path`` with ``data``, mode 0600, never through a symbolic link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW | _BINARY
    if path.is_symlink():  # planted: removed (it is in the user's own folder), not followed
        path.unlink()
        flags |= os.O_EXCL
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "wb") as f:
        if hasattr(os, "fchmod"):
            os.fchmod(f.fileno(), 0o600)  # an older log may have been made with a wider mode
        f.write(data)
