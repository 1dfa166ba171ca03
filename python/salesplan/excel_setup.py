"""``salesplan excel-setup``: the workbook's buttons run the Python salesplan is installed in.

xlwings' ``RunPython`` (the buttons) and its UDF server (the cell functions) start the interpreter
named by ``INTERPRETER_WIN`` (Windows) or ``INTERPRETER_MAC`` (macOS), with the ``PYTHONPATH``
entries put on ``sys.path``. It looks each key up on the workbook's ``xlwings.conf`` tab first,
then in an ``xlwings.conf`` *file beside the workbook*, then in the user's own file (xlwings.bas,
``GetConfig``). A key that is on the tab, even with an empty value, is never looked up further; a
key that is not can come from a file anyone drops into a shared folder, and the buttons would start
that program. So the tab carries every key whose value reaches the command line xlwings builds
(:data:`PINNED`): the interpreter of each platform, ``PYTHONPATH``, conda's two keys, the licence
key and the OneDrive/SharePoint folders, empty where salesplan needs nothing.

The command:

1. asks the interpreter (``sys.executable``: the one salesplan runs in) to start as RunPython starts
   it — ``import xlwings.utils; xlwings.utils.prepare_sys_path(...)``, then ``import salesplan.excel``
   — and to say which salesplan and xlwings it has; if salesplan is found only with a
   ``PYTHONPATH``, that path is what the tab gets; xlwings must be the version whose VBA module is
   in the workbook (the pin in ``pyproject.toml``);
2. writes the tab (the one sheet spliced in: every other part of the file stays byte for byte,
   the previous version goes to ``salesplan-backups``);
3. on a Mac, runs ``xlwings runpython install`` (the AppleScript Excel calls RunPython through).

Nothing is written when a check fails; ``--dry-run`` prints what would be written and runs nothing
but the check.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, SalesplanError

#: The tab xlwings reads its settings from (keys in column A from A1 down to the first empty one).
CONF_SHEET = "xlwings.conf"
#: The interpreter's key per platform (xlwings compares keys in upper case).
INTERPRETER_KEYS = {"win": "Interpreter_Win", "mac": "Interpreter_Mac"}
#: Keys that must be on the tab so that no file can give them (see the module docstring), with the
#: value a new workbook has: ``python`` as xlwings' own default, the others empty.
PINNED: tuple[tuple[str, str], ...] = (
    ("Interpreter_Win", "python"), ("Interpreter_Mac", "python"), ("PYTHONPATH", ""),
    ("Conda Path", ""), ("Conda Env", ""), ("LICENSE_KEY", ""),
    ("ONEDRIVE_CONSUMER_WIN", ""), ("ONEDRIVE_COMMERCIAL_WIN", ""), ("SHAREPOINT_WIN", ""),
    ("ONEDRIVE_CONSUMER_MAC", ""), ("ONEDRIVE_COMMERCIAL_MAC", ""), ("SHAREPOINT_MAC", ""),
)
#: The whole tab of a new workbook (:func:`salesplan.build.workbook.write_xlwings_conf`).
NEW_WORKBOOK_CONF: tuple[tuple[str, Any], ...] = (
    # The installed package, never a stray salesplan/ folder beside the workbook.
    ("ADD_WORKBOOK_TO_PYTHONPATH", False),
    ("UDF Modules", "salesplan.excel"),
    ("Show Console", False),
    *PINNED,
)

#: What the interpreter runs to prove itself: RunPython's own first steps (xlwings.bas builds
#: ``import xlwings.utils;xlwings.utils.prepare_sys_path("<add dir>;<book>;<book>;<3 cloud
#: folders>;<PYTHONPATH>")``), then the buttons' import.
PROBE = ("import xlwings.utils;xlwings.utils.prepare_sys_path({args!r});"
         "import json, salesplan, xlwings, salesplan.excel;"
         "print(json.dumps({{'salesplan': salesplan.__version__, 'xlwings': xlwings.__version__, "
         "'path': salesplan.__file__}}))")
PROBE_TIMEOUT = 120


class SetupError(SalesplanError):
    """``excel-setup`` cannot set this workbook up; the message says what to do (nothing was written)."""


@dataclass
class Probe:
    """What the interpreter said: versions and where salesplan came from, or why it failed."""

    ok: bool
    salesplan: str = ""
    xlwings: str = ""
    path: str = ""
    missing: str = ""  # the module it could not import, if that is why
    error: str = ""    # the last line of its error output


@dataclass
class Setup:
    """What ``excel-setup`` found and will write."""

    workbook: Path
    platform: str                    # "win" or "mac"
    interpreter: str
    pythonpath: str
    probe: Probe
    rows: list[list[Any]]            # the tab as it will be
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)  # key, old, new
    notes: list[str] = field(default_factory=list)                     # text keys with fields


# --- reading and changing the tab ------------------------------------------------------------------


def read_conf(workbook: Path) -> list[list[Any]] | None:
    """The ``xlwings.conf`` tab's rows as they are, or None if the workbook has no such tab."""
    from .inputs.rows import WorkbookSource

    source = WorkbookSource(workbook)
    name = next((s for s in source.sheet_names if s.casefold() == CONF_SHEET), None)
    if name is None:
        return None
    return [list(r) for r in source.rows(name).rows]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def updated_conf(rows: list[list[Any]] | None, values: dict[str, Any]) -> tuple[list[list[Any]], list[tuple]]:
    """The tab with ``values`` set and every :data:`PINNED` key present, and what changed.

    xlwings reads keys from A1 down to the first empty cell of column A: a key is set in that
    block, or added at its end; rows after the block are kept below it as they were. A key twice
    in the block (xlwings itself stops with an error then) keeps its first row.
    """
    rows = [list(r) + [""] * (2 - len(r)) for r in (rows or [])]
    end = next((i for i, r in enumerate(rows) if _blank(r[0])), len(rows))
    block, rest = rows[:end], rows[end:]
    changes: list[tuple] = []
    seen: dict[str, int] = {}
    kept = []
    for row in block:
        key = str(row[0]).upper()
        if key in seen:
            changes.append((str(row[0]), row[1], None))  # removed
            continue
        seen[key] = len(kept)
        kept.append(row)
    wanted = dict(values)
    for key, default in PINNED:
        wanted.setdefault(key, default)
    for key, value in wanted.items():
        at = seen.get(key.upper())
        if at is None:
            kept.append([key, value])
            seen[key.upper()] = len(kept) - 1
            changes.append((key, None, value))
        elif key in values and _text(kept[at][1]) != _text(value):
            changes.append((str(kept[at][0]), kept[at][1], value))
            kept[at][1] = value
    if rest and not all(_blank(v) for v in rest[0]):
        rest = [[""], *rest]
    return kept + rest, changes


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# --- the interpreter -------------------------------------------------------------------------------


def probe(interpreter: str, pythonpath: str, *, timeout: float = PROBE_TIMEOUT) -> Probe:
    """Start ``interpreter`` as RunPython starts it (no ``PYTHONPATH`` variable, ``-B -c``) with
    ``pythonpath`` as the tab's ``PYTHONPATH`` and import what the buttons import."""
    args = "false;;;;;;" + pythonpath  # ADD_WORKBOOK_TO_PYTHONPATH false, as the tab says
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    folder = str(Path(interpreter).parent) if Path(interpreter).parent.is_dir() else None
    try:
        done = subprocess.run([interpreter, "-B", "-c", PROBE.format(args=args)], capture_output=True,
                              text=True, timeout=timeout, env=env, cwd=folder)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Probe(False, error=getattr(exc, "strerror", None) or str(exc))
    if done.returncode == 0:
        try:
            said = json.loads(done.stdout.strip().splitlines()[-1])
            return Probe(True, said["salesplan"], said["xlwings"], said["path"])
        except (ValueError, IndexError, KeyError):
            return Probe(False, error=done.stdout.strip()[-300:])
    lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else f"exit {done.returncode}"
    missing = re.search(r"No module named '([\w.]+)'", last)
    return Probe(False, missing=missing.group(1).split(".")[0] if missing else "", error=last)


def own_package_folder() -> str:
    """The folder this salesplan is imported from (what ``PYTHONPATH`` needs when the interpreter
    does not find it by itself, e.g. a source checkout run with ``PYTHONPATH=python``)."""
    import salesplan

    return str(Path(salesplan.__file__).resolve().parent.parent)


def find_pythonpath(interpreter: str, run: Callable[[str, str], Probe] | None = None) -> tuple[str, Probe]:
    """``PYTHONPATH`` the tab needs ("" if none) and the interpreter's answer with it."""
    run = run or probe
    first = run(interpreter, "")
    if first.ok or first.missing != "salesplan":
        return "", first
    folder = own_package_folder()
    return folder, run(interpreter, folder)


def pinned_xlwings() -> str:
    """The xlwings version salesplan is built for: the pin in its package metadata (``==``)."""
    try:
        requires = importlib.metadata.requires("salesplan") or []
    except importlib.metadata.PackageNotFoundError:
        requires = []
    for line in requires:
        match = re.fullmatch(r"xlwings\s*==\s*([\w.]+)", line.split(";")[0].strip())
        if match:
            return match.group(1)
    from .build.vba_project import _installed_xlwings_bas

    return workbook_xlwings_version(_installed_xlwings_bas()) or ""


def installed_xlwings() -> str | None:
    """This Python's xlwings version, None if it has none."""
    try:
        return importlib.metadata.version("xlwings")
    except importlib.metadata.PackageNotFoundError:
        return None


def workbook_xlwings_version(xlwings_module: str) -> str | None:
    """The ``'Version: x.y.z`` line of an xlwings VBA module."""
    match = re.search(r"^'Version: ([\w.]+)", xlwings_module, re.M)
    return match.group(1) if match else None


def _book_xlwings_version(workbook: Path) -> str | None:
    """The version of the xlwings VBA module in the workbook; None without one."""
    import zipfile

    from .build import read_vba_modules

    try:
        with zipfile.ZipFile(workbook) as z:
            data = z.read("xl/vbaProject.bin")
        return workbook_xlwings_version(read_vba_modules(data).get("xlwings", ""))
    except (KeyError, ValueError, OSError, zipfile.BadZipFile):
        return None


def current_platform() -> str | None:
    """``win`` or ``mac`` for the machine this runs on; None elsewhere (Linux: Excel is not here)."""
    if sys.platform.startswith("win") or sys.platform == "cygwin":
        return "win"
    if sys.platform == "darwin":
        return "mac"
    return None


# --- the command -----------------------------------------------------------------------------------


def prepare(workbook: Path, platform: str | None, interpreter: str | None = None,
            run: Callable[[str, str], Probe] | None = None) -> Setup:
    """Everything ``excel-setup`` checks before it writes; raises :class:`SetupError` with the
    message for the user when something stops it (nothing is written then)."""
    workbook = Path(workbook)
    if not workbook.is_file():
        raise InputError("err.no_file", path=str(workbook))
    if platform is None:
        platform = current_platform()
        if platform is None:
            raise SetupError("setup.choose_platform", system=sys.platform)
    pinned = pinned_xlwings()
    here = installed_xlwings()
    if here is None:
        raise SetupError("setup.no_xlwings", python=sys.executable, version=pinned)
    interpreter = interpreter or sys.executable
    if platform == "mac" and re.search(r"[\s'\"\\]", interpreter):
        # RunPython on a Mac puts the path into a shell command unquoted (xlwings' AppleScript).
        raise SetupError("setup.mac_path_spaces", python=interpreter)
    pythonpath, answer = find_pythonpath(interpreter, run)
    if not answer.ok:
        if answer.missing == "xlwings":
            raise SetupError("setup.no_xlwings", python=interpreter, version=pinned)
        raise SetupError("setup.probe_failed", python=interpreter, error=answer.error)
    book_version = _book_xlwings_version(workbook)
    for needed in {pinned, book_version} - {None, ""}:
        if answer.xlwings != needed:
            raise SetupError("setup.wrong_xlwings", python=interpreter, found=answer.xlwings, version=needed)
    key = INTERPRETER_KEYS[platform]
    rows, changes = updated_conf(read_conf(workbook), {key: interpreter, "PYTHONPATH": pythonpath})
    setup = Setup(workbook, platform, interpreter, pythonpath, answer, rows, changes)
    if platform != current_platform():
        setup.notes.append("setup.other_machine")
    if platform == "win" and platform == current_platform():
        dlls = [f"xlwings{bits}-{answer.xlwings}.dll" for bits in ("64", "32")]
        folders = [Path(interpreter).parent, Path(interpreter).parent.parent]
        if not any((folder / dll).exists() for folder in folders for dll in dlls):
            setup.notes.append("setup.no_dll")
    return setup


def write(setup: Setup, keep_backups: int = 5) -> Path | None:
    """Splice the new ``xlwings.conf`` tab into the workbook (hidden, as xlwings expects it).

    Returns the backup of the previous version, if one was kept."""
    from .ooxml.package import edit_in_place
    from .outputs.tabs import new_book, put
    from .outputs.workbook import save_with_tabs

    workbook = setup.workbook
    if not os.access(workbook, os.W_OK):
        raise SetupError("setup.read_only", path=str(workbook))
    current = read_conf(workbook)
    owned = set()
    if current is not None:
        from .inputs.rows import WorkbookSource

        owned = {n for n in WorkbookSource(workbook).sheet_names if n.casefold() == CONF_SHEET}

    def render(path: Path) -> list[str]:
        book = new_book(path)
        ws = book.add_worksheet(CONF_SHEET)
        for r, row in enumerate(setup.rows):
            for c, value in enumerate(row):
                put(ws, r, c, value)
        ws.set_column(0, 0, 28)
        ws.set_column(1, 1, 60)
        book.close()
        # Hidden, as in a new workbook; XlsxWriter keeps a book's only sheet visible, so the
        # scratch book says it in its workbook part (the splice takes each sheet's state from there).
        edit_in_place(path, {"xl/workbook.xml": _hidden})
        return [CONF_SHEET]

    return save_with_tabs(workbook, workbook, render, owned, keep_backups=keep_backups)


def _hidden(workbook_xml: bytes) -> bytes:
    return re.sub(rb"(<sheet )(name=)", rb'\1state="hidden" \2', workbook_xml, count=1)


def runpython_install_command(interpreter: str) -> list[str]:
    """What a Mac needs once per user, ``xlwings runpython install``: xlwings copies its AppleScript
    to ``~/Library/Application Scripts/com.microsoft.Excel``, the one folder Excel may call scripts
    from. Run through the interpreter's own xlwings (its CLI offers the command on a Mac only)."""
    return [interpreter, "-c", "from xlwings.cli import runpython_install; runpython_install(True)"]


def report(setup: Setup, lang: str, *, dry_run: bool) -> list[str]:
    """The lines ``excel-setup`` prints: what is (or would be) written, the proof, the notes."""
    from .texts import t

    if not setup.changes:
        lines = [t("setup.no_change", lang, path=str(setup.workbook), sheet=CONF_SHEET)]
    else:
        lines = [t("setup.would_write" if dry_run else "setup.wrote", lang, path=str(setup.workbook),
                   sheet=CONF_SHEET)]
    for key, old, new in setup.changes:
        if new is None:
            lines.append(f"  - {key} = {_text(old)!r}  ({t('setup.duplicate', lang)})")
        else:
            lines.append(f"  {key} = {_text(new)!r}" + (f"  ({t('setup.was', lang, old=_text(old))})"
                                                       if old is not None else ""))
    p = setup.probe
    lines.append(t("setup.proof", lang, python=setup.interpreter, salesplan=p.salesplan, xlwings=p.xlwings,
                   path=p.path))
    for note in setup.notes:
        lines.append(t(note, lang, python=setup.interpreter, version=p.xlwings,
                       key=INTERPRETER_KEYS[setup.platform]))
    return lines


def run_setup(workbook: Path, platform: str | None, interpreter: str | None, *, dry_run: bool, lang: str,
              out: Callable[[str], None]) -> int:
    """The whole command: check, write (unless ``dry_run``), the Mac's install step, report."""
    from .texts import t

    if not dry_run and Path(workbook).is_file() and not os.access(workbook, os.W_OK):
        raise SetupError("setup.read_only", path=str(workbook))
    setup = prepare(workbook, platform, interpreter)
    install = runpython_install_command(setup.interpreter) if setup.platform == "mac" else None
    if dry_run:
        for line in report(setup, lang, dry_run=True):
            out(line)
        if install:
            out(t("setup.would_run", lang, command="xlwings runpython install"))
        return 0
    backup = write(setup) if setup.changes else None
    for line in report(setup, lang, dry_run=False):
        out(line)
    if backup:
        out(t("cli.backup", lang, path=backup))
    if install:
        if current_platform() == "mac":
            done = subprocess.run(install, capture_output=True, text=True)
            if done.returncode != 0:
                raise SetupError("setup.install_failed", command="xlwings runpython install",
                                 error=(done.stderr.strip().splitlines() or ["?"])[-1])
            out(t("setup.ran", lang, command="xlwings runpython install"))
        else:
            out(t("setup.run_on_mac", lang, command="xlwings runpython install"))
    return 0
