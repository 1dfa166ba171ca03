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
import errno
import logging
import os
import re
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..errors import InputError, PackageError, WorkbookWriteError
from ..ooxml.package import EntryCheck, check_written
from ..ooxml.splice import replace_sheets, start_entry_check

BACKUP_FOLDER = "salesplan-backups"

#: A backup's name: the workbook's full file name, the time it was made, the workbook's suffix
#: (``План.xlsx.20261110-090000-123456.xlsx``). Rotation removes only names of exactly this form for
#: exactly this workbook, so «План.xlsx» never touches the backups of «План.v2.xlsx» or the other way.
BACKUP_STAMP = "%Y%m%d-%H%M%S-%f"
_BACKUP_STAMP_PATTERN = r"\d{8}-\d{6}-\d{6}"
#: A temporary file's name: ``.~<full file name>.salesplan-<8 random characters><suffix>``.
_TEMP_INFIX = ".salesplan-"
_TEMP_RANDOM_PATTERN = r"[a-z0-9_]{8}"  # what tempfile.mkstemp puts between prefix and suffix


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name the same file: the same file on disk when both exist (links,
    ``..``, another case on a case-insensitive disk), else the same resolved path (case-insensitively
    on Windows and macOS, whose disks usually are)."""
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
    except OSError:
        pass
    return _path_key(a) == _path_key(b)


def _path_key(path: Path) -> str:
    key = os.path.normcase(os.path.realpath(path))
    return key.casefold() if sys.platform in ("darwin", "win32") else key


def check_outputs(workbook: Path, *, out: Path | None = None, json_path: Path | None = None,
                  inputs: Sequence[tuple[str, Path | None]] = (), templates: Sequence[Path] = ()) -> None:
    """Refuse, before any work, an output that would destroy an input or cannot be written.

    ``out`` (the planned workbook; the workbook itself when None) and ``json_path`` must not name an
    existing folder, a file in a missing folder, any of ``inputs`` (option, path: ``--sales``,
    ``--targets``) or ``templates``; ``json_path`` must not name the workbook or ``out``; ``out``
    keeps the workbook's suffix (an .xlsm's macros in an .xlsx is a file Excel refuses).
    """
    workbook = Path(workbook)
    outputs = [(option, Path(path)) for option, path in (("--out", out), ("--json", json_path)) if path is not None]
    for option, path in outputs:
        _check_output_path(option, path, path / (workbook.name if option == "--out" else "plan.json"))
        for input_option, source in inputs:
            if source is not None and same_file(path, Path(source)):
                raise InputError("err.output_is_input", option=option, path=str(path), input_option=input_option,
                                 input=str(source))
        for template in templates:
            if same_file(path, template):
                raise InputError("err.output_is_template", option=option, path=str(path), input=str(template))
    if json_path is not None:
        json_path = Path(json_path)
        if same_file(json_path, workbook):
            raise InputError("err.output_is_workbook", option="--json", path=str(json_path), input=str(workbook))
        if out is not None and same_file(json_path, Path(out)):
            raise InputError("err.json_is_out", path=str(json_path), out=str(out))
    if out is not None:
        out, suffix = Path(out), workbook.suffix.lower()
        if suffix in {".xlsx", ".xlsm"} and out.suffix.lower() != suffix and not same_file(out, workbook):
            raise InputError("err.out_suffix", path=str(out), workbook=str(workbook), suffix=suffix,
                             suggestion=str(out.with_name(_without_workbook_suffix(out) + suffix)))


def _without_workbook_suffix(path: Path) -> str:
    """``plan.xlsx`` -> ``plan``; ``plan.v2`` stays ``plan.v2`` (a dot in a name is not a suffix)."""
    return path.stem if path.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".xlsb"} else path.name


def _check_output_path(option: str, path: Path, example: Path) -> None:
    if path.is_dir():
        raise InputError("err.output_is_folder", option=option, path=str(path), example=str(example))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("err.output_no_folder", option=option, path=str(path), folder=str(folder))


def check_pdf_folder(out_dir: Path) -> None:
    """``salesplan pdf --out``: a folder (made if missing), never an existing file."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("err.pdf_out_is_file", path=str(out_dir))


def file_stamp(path: Path) -> tuple[int, int] | None:
    """What tells a file's versions apart without reading it: its size and modification time (ns);
    None when there is no file."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def written_path(target: Path) -> Path:
    """Where a build writes ``target``: the file a symbolic link points to (the link stays a link,
    the file it names gets the plan), else ``target`` itself."""
    target = Path(target)
    return Path(os.path.realpath(target)) if target.is_symlink() else target


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
                   keep_backups: int = 5, check: EntryCheck | None = None, rows: list | None = None,
                   unchanged_since: tuple[int, int] | None = None) -> Path | None:
    """Write ``target`` = ``original`` with the tabs made by ``render`` in place of the ``owned`` ones.

    ``render(path)`` writes the new tabs into a fresh workbook at ``path`` and returns their names.
    ``check``: the check of ``original``'s entries, if already started (see :func:`start_entry_check`).
    ``rows``: table rows the rendered tabs still lack, filled in by ``render`` (see
    :func:`salesplan.outputs.tabs.render_plan_tabs`), for the splice to write.
    ``unchanged_since``: the :func:`file_stamp` of ``original`` taken before it was read; if the file
    on disk is another one by the time of the swap (another program saved it meanwhile), nothing is
    written and WorkbookWriteError says so: the newer save is never overwritten.
    A ``target`` that is a symbolic link keeps being one: the file it points to gets the plan.
    Returns the backup of the previous ``target``, if there was one.
    """
    original, target = Path(original), written_path(Path(target))
    check_writable(target)
    folder = target.parent if str(target.parent) else Path(".")
    with build_lock(target), _scratch_folder() as scratch:
        _remove_stale_temporaries(target)
        rendered = Path(scratch) / "tabs.xlsx"
        if check is None:
            check = start_entry_check(original)  # a big workbook's entries are checked while tabs render
        progress = logging.getLogger("salesplan.progress")
        progress.info("render")
        with full_temp_folder_is_a_message():
            names = render(rendered)
        progress.info("write", extra={"size": original.stat().st_size if original.exists() else 0})
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".~{target.name}{_TEMP_INFIX}", suffix=target.suffix, dir=folder)
        except OSError as exc:
            raise WorkbookWriteError("err.write_failed", path=str(target), detail=exc.strerror or str(exc)) from None
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            try:
                # The new tabs are deflated at level 1: three times faster than the default 6 on a
                # big open-orders tab, for a file 0.4 % larger (parts copied over keep theirs).
                replace_sheets(original, rendered, tmp, owned, check=check, compresslevel=1,
                               rows=rows or ())
            except PackageError as exc:
                raise InputError("err.not_workbook", path=str(original), detail=str(exc)) from None
            except OSError as exc:
                detail = exc.strerror or str(exc)
                raise WorkbookWriteError("err.write_failed", path=str(target), detail=detail) from None
            _verify(tmp, names)
            _copy_mode(target if target.exists() else None, tmp)
            if unchanged_since is not None and file_stamp(original) != unchanged_since:
                raise WorkbookWriteError("err.changed_during_build", path=str(original))
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


#: The errors of a full disk (or a full quota).
_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


@contextlib.contextmanager
def full_temp_folder_is_a_message() -> Iterator[None]:
    """A full disk met while writing scratch files (however a writer wrapped it) is a message,
    ``err.temp_failed``; any other error goes on as it was."""
    try:
        yield
    except Exception as exc:
        full = disk_full(exc)
        if full is None:
            raise
        raise WorkbookWriteError("err.temp_failed", folder=tempfile.gettempdir(),
                                 detail=full.strerror or str(full)) from None


def disk_full(exc: BaseException) -> OSError | None:
    """The full-disk error behind ``exc``, if that is what it is (a writer may wrap it: XlsxWriter's
    FileCreateError carries the OSError as its argument)."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        error = stack.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in _NO_SPACE:
            return error
        stack += [error.__cause__, error.__context__, *(a for a in error.args if isinstance(a, BaseException))]
    return None


@contextlib.contextmanager
def _scratch_folder() -> Iterator[str]:
    """A private temporary folder for the rendered tabs; one that cannot be made is a message."""
    try:
        scratch = tempfile.TemporaryDirectory(prefix=f"salesplan-{os.getpid()}-save-", ignore_cleanup_errors=True)
    except OSError as exc:
        raise WorkbookWriteError("err.temp_failed", folder=tempfile.gettempdir(),
                                 detail=exc.strerror or str(exc)) from None
    with scratch as name:
        yield name


def _temporary_pattern(target: Path) -> re.Pattern[str]:
    """The exact names of ``target``'s temporary files (see :data:`_TEMP_INFIX`), and no other
    workbook's: the full name is followed by the infix, eight random characters and the suffix; the
    splice writes the package beside it as ``<that name>.<8 random characters>.tmp`` first."""
    return re.compile(re.escape(f".~{target.name}{_TEMP_INFIX}") + _TEMP_RANDOM_PATTERN + re.escape(target.suffix)
                      + rf"(?:\.{_TEMP_RANDOM_PATTERN}\.tmp)?")


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary files of an interrupted earlier run of this workbook (we hold its lock, so none is
    in use); another workbook's are left alone, whatever its name."""
    folder = target.parent if str(target.parent) else Path(".")
    pattern = _temporary_pattern(target)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            Path(entry.path).unlink(missing_ok=True)


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
    """Give the new file the old one's permissions (mkstemp makes it private to the owner), and its
    owner and group where the user may give them (root; a group the user is in)."""
    if source is not None:
        if hasattr(os, "chown"):
            st, now = os.stat(source), os.stat(dest)
            if (st.st_uid, st.st_gid) != (now.st_uid, now.st_gid):
                for uid, gid in ((st.st_uid, st.st_gid), (-1, st.st_gid)):  # the group alone, if not both
                    try:
                        os.chown(dest, uid, gid)
                        break
                    except PermissionError:
                        continue
        shutil.copymode(source, dest)  # after chown, which may clear the set-id bits
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(dest, 0o666 & ~umask)


def backup_pattern(target: Path) -> re.Pattern[str]:
    """The exact names of ``target``'s backups (see :data:`BACKUP_STAMP`), and no other workbook's."""
    name = Path(target).name
    return re.compile(re.escape(f"{name}.") + _BACKUP_STAMP_PATTERN + re.escape(Path(target).suffix))


def _backup(target: Path, keep: int) -> Path | None:
    """Keep the current ``target`` in the backups folder (a hard link when possible: instant), and
    the ``keep`` newest of its backups there; other files, other workbooks' backups among them, stay."""
    if not target.exists() or keep <= 0:
        return None
    folder = target.parent / BACKUP_FOLDER
    stamp = dt.datetime.now().strftime(BACKUP_STAMP)
    backup = folder / f"{target.name}.{stamp}{target.suffix}"
    try:
        folder.mkdir(exist_ok=True)
        try:
            os.link(target, backup)
        except OSError:
            shutil.copy2(target, backup)
    except OSError as exc:
        with contextlib.suppress(OSError):
            backup.unlink(missing_ok=True)  # a partial copy
        raise WorkbookWriteError("err.backup_failed", path=str(target), folder=str(folder),
                                 detail=exc.strerror or str(exc)) from None
    pattern = backup_pattern(target)
    ours = sorted(entry.name for entry in os.scandir(folder)
                  if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False))
    for stale in ours[:-keep]:
        (folder / stale).unlink(missing_ok=True)
    return backup
