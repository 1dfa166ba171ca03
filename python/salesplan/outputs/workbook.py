"""Saving a workbook safely: temporary file, check, backup, replace.

The user's workbook is never written in place. The new version is assembled in a temporary file in
the same folder (so the final rename stays on one disk and is atomic), checked (it opens and has the
expected tabs), then swapped in with :func:`os.replace`. The previous version is kept in the
``salesplan-backups`` folder beside it. If anything fails — the file is open in Excel, read-only, the
disk is full, the process is interrupted — the original stays as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import InputError, PackageError, WorkbookWriteError
from ..ooxml.package import EntryCheck, check_written
from ..ooxml.splice import replace_sheets, start_entry_check

BACKUP_FOLDER = "salesplan-backups"


def check_writable(target: Path) -> None:
    """Fail early, before any work, when ``target`` cannot be replaced."""
    target = Path(target)
    lock = target.with_name("~$" + target.name)
    if lock.exists():  # Excel keeps this owner file beside a workbook it has open
        raise WorkbookWriteError("err.locked", path=str(target), detail=f"{lock.name}")
    if target.exists() and not os.access(target, os.W_OK):
        raise WorkbookWriteError("err.locked", path=str(target), detail="read-only")
    folder = target.parent if str(target.parent) else Path(".")
    if not os.access(folder, os.W_OK):
        raise WorkbookWriteError("err.locked", path=str(target), detail=f"folder {folder} is read-only")


def save_with_tabs(original: Path, target: Path, render: Callable[[Path], list[str]], owned: set[str],
                   keep_backups: int = 5, check: EntryCheck | None = None, rows: list | None = None) -> Path | None:
    """Write ``target`` = ``original`` with the tabs made by ``render`` in place of the ``owned`` ones.

    ``render(path)`` writes the new tabs into a fresh workbook at ``path`` and returns their names.
    ``check``: the check of ``original``'s entries, if already started (see :func:`start_entry_check`).
    ``rows``: table rows the rendered tabs still lack, filled in by ``render`` (see
    :func:`salesplan.outputs.tabs.render_plan_tabs`), for the splice to write.
    Returns the backup of the previous ``target``, if there was one.
    """
    original, target = Path(original), Path(target)
    check_writable(target)
    folder = target.parent if str(target.parent) else Path(".")
    with build_lock(target), tempfile.TemporaryDirectory(prefix="salesplan-") as scratch:
        _remove_stale_temporaries(target)
        rendered = Path(scratch) / "tabs.xlsx"
        if check is None:
            check = start_entry_check(original)  # a big workbook's entries are checked while tabs render
        progress = logging.getLogger("salesplan.progress")
        progress.info("render")
        names = render(rendered)
        progress.info("write", extra={"size": original.stat().st_size if original.exists() else 0})
        fd, tmp_name = tempfile.mkstemp(prefix=f".~{target.stem}.", suffix=target.suffix, dir=folder)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            try:
                # The new tabs are deflated at level 1: three times faster than the default 6 on a
                # big open-orders tab, for a file 0.4 % larger (parts copied over keep theirs).
                replace_sheets(original, rendered, tmp, owned | set(names), check=check, compresslevel=1,
                               rows=rows or ())
            except PackageError as exc:
                raise InputError("err.not_workbook", path=str(original), detail=str(exc)) from None
            except OSError as exc:
                detail = exc.strerror or str(exc)
                raise WorkbookWriteError("err.write_failed", path=str(target), detail=detail) from None
            _verify(tmp, names)
            _copy_mode(target if target.exists() else None, tmp)
            backup = _backup(target, keep_backups)
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise WorkbookWriteError("err.locked", path=str(target), detail=exc.strerror or str(exc)) from None
            return backup
        finally:
            tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """One build at a time per workbook: a second one (another user on the share, a double click)
    is told so instead of racing the first. A lock left by a killed run is taken over."""
    lock = Path(target).with_name(f".~{Path(target).name}.salesplan-lock")
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            if _lock_is_stale(lock):
                lock.unlink(missing_ok=True)
                continue
            raise WorkbookWriteError("err.busy", path=str(target)) from None
        except OSError as exc:
            raise WorkbookWriteError("err.locked", path=str(target), detail=exc.strerror or str(exc)) from None
        with os.fdopen(fd, "w") as f:
            f.write(f"{os.getpid()} {socket.gethostname()} {time.time():.0f}\n")
        break
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


#: A lock older than this is from a run that died, whatever its process id says.
STALE_LOCK_SECONDS = 3600


def _lock_is_stale(lock: Path) -> bool:
    try:
        pid, host, started = lock.read_text().split()
        age = time.time() - float(started)
    except (OSError, ValueError):
        return True
    if age > STALE_LOCK_SECONDS:
        return True
    if host == socket.gethostname():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except (PermissionError, ValueError):
            return False
    return False


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary files of an interrupted earlier run (we hold the lock, so none is in use)."""
    for stale in target.parent.glob(f".~{target.stem}.*"):
        if stale.name.endswith((target.suffix, ".tmp")):  # not our own lock file
            stale.unlink(missing_ok=True)


#: XML parts up to this size are parsed by :func:`_verify`: every part a build rewrites (workbook,
#: relationships, content types, styles) and the tabs it adds, but not a big Sales sheet or shared
#: string table, which are copied as they were and checked against their CRCs on the way.
VERIFY_XML_UP_TO = 1 << 20


def _verify(path: Path, names: list[str]) -> None:
    """The written file is a sound package naming every new tab; otherwise the original is not touched."""
    try:
        found = set(check_written(path, VERIFY_XML_UP_TO))
    except PackageError as exc:  # its message names the error's type, as the detail did
        raise WorkbookWriteError("err.write_failed", path=str(path), detail=str(exc)) from None
    missing = [n for n in names if n not in found]
    if missing:
        raise WorkbookWriteError("err.write_failed", path=str(path), detail=f"tabs missing: {missing}")


def _copy_mode(source: Path | None, dest: Path) -> None:
    """Give the new file the old one's permissions (mkstemp makes it private to the owner)."""
    if source is not None:
        shutil.copymode(source, dest)
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(dest, 0o666 & ~umask)


def _backup(target: Path, keep: int) -> Path | None:
    """Keep the current ``target`` in the backups folder (a hard link when possible: instant)."""
    if not target.exists() or keep <= 0:
        return None
    folder = target.parent / BACKUP_FOLDER
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    backup = folder / f"{target.stem}.{stamp}{target.suffix}"
    try:
        os.link(target, backup)
    except OSError:
        shutil.copy2(target, backup)
    old = sorted(folder.glob(f"{target.stem}.*{target.suffix}"))
    for stale in old[:-keep]:
        stale.unlink(missing_ok=True)
    return backup
