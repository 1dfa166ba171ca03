"""Scratch folders: named after the process that made them, removed on every way out, and — when
a process was killed before it could remove its own (``kill -9``, a power cut) — by the next run.

A folder is ``salesplan-<pid>-<kind>-<random>`` in the temporary folder. A normal end or an
exception removes it (``TemporaryDirectory``); the next run removes every such folder whose process
is gone and which belongs to the same user.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

_NAME = re.compile(r"^salesplan-(\d+)-[a-z]+-")


@contextlib.contextmanager
def scratch_folder(kind: str) -> Iterator[Path]:
    """A private folder for one piece of work (``kind``: ``render``, ``pdf``…), removed after it."""
    with tempfile.TemporaryDirectory(prefix=f"salesplan-{os.getpid()}-{kind}-", ignore_cleanup_errors=True) as path:
        yield Path(path)


def remove_stale(folder: Path | None = None) -> list[Path]:
    """Remove the scratch folders of processes that are gone; returns what was removed."""
    if os.name == "nt":  # os.kill would end the process there, not ask about it
        return []
    folder = Path(folder or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _NAME.match(entry.name)
        if match is None or _alive(int(match.group(1))):
            continue
        try:
            if entry.is_symlink() or not entry.is_dir() or entry.stat().st_uid != os.getuid():
                continue
        except (OSError, AttributeError):  # no st_uid ownership to check (Windows): leave it
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # another user's process, or no way to tell: not ours to remove
    return True
