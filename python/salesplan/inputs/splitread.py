"""A big sheet read in parts, one reader per core, each part laid out as soon as it is checked.

fastexcel reads a sheet on one core: at Excel's maximum of rows that is most of a build, while the
other cores wait. And no reader may start before the sheet's cells are checked
(:class:`salesplan.ooxml.limits.SheetScan`: a value typed in XFD1048576 would make it ask for
512 GiB and end the process), so the check used to come first, on its own, for two seconds more.

Here the sheet part is inflated once, for both: each chunk is fed to the check and written into one
of a few small packages of its own (stored, not deflated, in a scratch folder), each holding a run
of whole rows under a copy of the header row moved just above them, and the parts the values need
(shared strings, styles). A package goes to a reader in a thread (fastexcel lets go of the
interpreter) as soon as the check has passed every byte of it, while the next part is still being
inflated and checked; the parts' columns are then put end to end, each part's missing last rows
(empty in the sheet) as empty cells, so that the whole is what one read of the sheet gives.

Only what is laid out as expected is read this way (the header row found with its number, each cut
made at a row that carries its number, every part's header read back as the wanted names, each
column of one kind in every part); anything else is :class:`NotSplit` before the sheet is read, or
``None`` after (as for one read: the caller reads the sheet row by row). Rows written out of order,
which Excel refuses to open, are not followed.

This module imports neither pandas nor the writers: the command line's head start runs it.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..ooxml.limits import CHUNK, LimitError, SheetScan, crc32, entry_chunks
from ..ooxml.package import EntryClaim, claim_entry
from ..ooxml.peek import ROOT_TAG, ROW_NUMBER, ROW_TAG, cut_sheet, sheet_parts, value_parts
from ..scratch import scratch_folder

__all__ = ["SPLIT_FROM", "NotSplit", "Part", "ReadCancelled", "cut_points", "read_in_parts", "split_count"]

#: Each part holds at least this many bytes of the sheet part (about 40 000 rows of a Sales tab); a
#: smaller sheet is read in one piece: below that the parts' own costs (the shared strings read
#: once per part, a package written) outweigh the cores.
SPLIT_FROM = 16 << 20

_NAME = rb"(?:[A-Za-z_][\w.-]*:)?"
_ROW_END = re.compile(rb"</" + _NAME + rb"row\s*>")
_DIMENSION = re.compile(rb"<" + _NAME + rb"dimension(?=[\s/>])[^>]*>")
_CELL_REF = re.compile(rb"(<" + _NAME + rb"c(?=[\s>/])[^>]*?\sr\s*=\s*[\"'][A-Za-z]+)(\d+)")
#: Bytes of each chunk kept back until the next, so that a row tag is never cut in two.
_KEEP = 4096


class ReadCancelled(Exception):
    """The read was stopped from outside (its ``cancel`` event was set)."""


class NotSplit(Exception):
    """The sheet is not read in parts (too small, one core, or not laid out as expected); nothing
    has been read of it."""


@dataclass(frozen=True)
class Part:
    """One package of rows: sheet rows ``first_row`` to ``end_row - 1`` (``end_row`` None: to the
    sheet's last), their header row copied just above them."""

    path: Path
    first_row: int
    end_row: int | None


def split_count(size: int, cores: int | None = None) -> int:
    """How many parts a sheet part of ``size`` inflated bytes is read in: three per core (enough
    to keep every core busy, few enough that the shared strings, which every part's reader parses
    again, cost little), of at least :data:`SPLIT_FROM` bytes each; 1: in one piece."""
    cores = cores if cores is not None else (os.cpu_count() or 1)
    if cores < 2:
        return 1
    return max(1, min(3 * cores, size // SPLIT_FROM))


#: The share of the sheet in the first and in the last part, against one of the others: a small
#: first part is soon checked, so that a reader starts early; a small last part, which waits for
#: the whole check and is read on its own at the end, is soon read.
FIRST_PART, LAST_PART = 0.5, 0.35


def cut_points(size: int, count: int) -> list[int]:
    """Where the sheet's ``size`` bytes are cut into ``count`` parts (see :data:`FIRST_PART`), each
    cut then moved to the next row's start."""
    if count < 2:
        return []
    weights = [FIRST_PART] + [1.0] * (count - 2) + [LAST_PART]
    total, cuts, reached = sum(weights), [], 0.0
    for weight in weights[:-1]:
        reached += weight
        cuts.append(int(size * reached / total))
    return cuts


def read_in_parts(path: Path, sheet: str, first_row: int,
                  load: Callable[[Path, int], Any], *, parts: int | None = None,
                  cancel: threading.Event | None = None) -> list[tuple[Part, Any]]:
    """Check sheet ``sheet`` of the package at ``path`` and read it in parts.

    Args:
        path: the workbook file (its zip directory already checked, see
            :class:`salesplan.inputs.rows.WorkbookSource`).
        sheet: the sheet's name.
        first_row: 1-based sheet row of the first data row; the row above it is the header.
        load: reads one part: ``load(package, first_row)`` gives that part's columns from
            ``first_row`` down (its header row is ``first_row - 1``); it runs in a thread.
        parts: how many (default :func:`split_count`).
        cancel: once set, the read stops at the next chunk (:class:`ReadCancelled`), after the
            readers already given a part have ended.

    Returns:
        each part with what ``load`` gave for it, in sheet order.

    Raises:
        NotSplit: before reading, when the sheet is not read this way.
        LimitError: the check refused the sheet (from :class:`SheetScan`); no reader has laid out
            a byte it had not passed.
    """
    if first_row < 2:
        raise NotSplit("no header row")
    with zipfile.ZipFile(path) as package:
        workbook, names = sheet_parts(package)
        part_name = names.get(sheet)
        info = package.NameToInfo.get(part_name or "")
        if part_name is None or info is None:
            raise NotSplit("no such sheet part")
        count = parts if parts is not None else split_count(info.file_size)
        if count < 2:
            raise NotSplit("one part")
        with package.open(info) as stream:
            head = _head(stream, first_row - 1)
        values = value_parts(package, workbook)
    cores = os.cpu_count() or 2
    # The check paces the read: no part is read before it has passed the part. While it runs it
    # keeps a core to itself (the readers take the others); one reader more joins once it ends.
    seats = threading.Semaphore(max(1, cores - 1))
    # The parts are written and read back at once: in memory where the platform has room.
    with scratch_folder("read", memory_for=info.file_size) as folder:
        writer = _Writer(folder, part_name, values, head, first_row)
        with ThreadPoolExecutor(max_workers=cores, thread_name_prefix="salesplan-part") as pool:
            futures: list[tuple[Part, Future[Any]]] = []
            try:
                try:
                    _split(path, info, writer, count, pool, _seated(seats, _removing(load)), futures, cancel)
                finally:
                    if cores > 1:
                        seats.release()  # the check's core, now free
            except BaseException:
                writer.discard()
                for _, future in futures:
                    future.cancel()
                raise
            return [(part, future.result()) for part, future in futures]


def _removing(load: Callable[[Path, int], Any]) -> Callable[[Path, int], Any]:
    """``load``, the part's package removed once it is read (a part in memory takes no room after)."""
    def load_and_remove(package: Path, first_row: int) -> Any:
        try:
            return load(package, first_row)
        finally:
            with contextlib.suppress(OSError):  # Windows: a reader may hold it open a little longer
                package.unlink()
    return load_and_remove


def _seated(seats: threading.Semaphore, load: Callable[[Path, int], Any]) -> Callable[[Path, int], Any]:
    """``load``, run once one of ``seats`` is free."""
    def seated_load(package: Path, first_row: int) -> Any:
        with seats:
            return load(package, first_row)
    return seated_load


def _split(path: Path, info: zipfile.ZipInfo, writer: _Writer, count: int,
           pool: ThreadPoolExecutor, load: Callable[[Path, int], Any],
           futures: list[tuple[Part, Future[Any]]], cancel: threading.Event | None) -> None:
    """Inflate the sheet part once, feeding the check and the part packages; hand each package to
    a reader once the check has passed all of it (see :func:`read_in_parts`)."""

    def again() -> Any:
        with open(path, "rb") as source:
            yield from entry_chunks(source, info)

    scan = SheetScan(info.filename, restart=again)
    # The check of every entry before the plan is written (ooxml.package.EntryCheck) would inflate
    # this part again beside the readers: its CRC is checked here instead, as it is inflated.
    claim = claim_entry(path, info.filename)
    try:
        _split_checked(path, info, scan, writer, count, pool, load, futures, claim, cancel)
    finally:
        claim.settle(False)  # if not settled as verified already


def _split_checked(path: Path, info: zipfile.ZipInfo, scan: SheetScan, writer: _Writer, count: int,
                   pool: ThreadPoolExecutor, load: Callable[[Path, int], Any],
                   futures: list[tuple[Part, Future[Any]]], claim: EntryClaim,
                   cancel: threading.Event | None) -> None:
    waiting: list[tuple[Part, int]] = []  # closed packages, with where they end in the part's bytes

    def hand_over() -> None:
        while waiting and scan.far_column is None and scan.examined >= waiting[0][1]:
            part, _ = waiting.pop(0)
            futures.append((part, pool.submit(load, part.path, part.first_row)))

    size = info.file_size
    cuts = cut_points(size, count)
    carry = b""
    start = 0  # where ``carry`` begins in the part's bytes
    crc = 0
    with open(path, "rb") as source:
        for chunk in entry_chunks(source, info, CHUNK):
            if cancel is not None and cancel.is_set():
                raise ReadCancelled
            crc = crc32(chunk, crc)
            scan.feed(chunk)
            data = carry + chunk if carry else chunk
            pos = 0
            while cuts and start + len(data) > cuts[0]:
                found = _row_at(data, max(pos, cuts[0] - start), len(data) - _KEEP, writer.first_row)
                if found is None:
                    break
                at, number = found
                writer.write(data[pos:at])
                waiting.append((writer.close_part(number), start + at))
                cuts.pop(0)
                pos = at
            keep = max(pos, len(data) - _KEEP)
            writer.write(data[pos:keep])
            carry, start = data[keep:], start + keep
            hand_over()
    if crc != info.CRC:
        raise LimitError("crc", info.filename, size=crc, limit=info.CRC)
    claim.settle(True)
    writer.write(carry)
    waiting.append((writer.close_part(None), size))
    scan.finish()
    for part, _ in waiting:  # the check has passed the whole sheet
        futures.append((part, pool.submit(load, part.path, part.first_row)))


def _row_at(data: bytes, start: int, end: int, after: int) -> tuple[int, int] | None:
    """The first row tag in ``data[start:end]`` that carries a row number past ``after``: (where
    it starts, the number); None if there is none (the search goes on with the next chunk)."""
    if start >= end:
        return None
    for match in ROW_TAG.finditer(data, start, end):
        number = ROW_NUMBER.search(match.group(0))
        if number is not None and int(number.group(1)) > after + 1:
            return match.start(), int(number.group(1))
    return None


@dataclass(frozen=True)
class _Head:
    prefix: bytes  # the sheet part up to its first row, without its <dimension>
    header: bytes  # the header row's XML, start tag to end tag
    suffix: bytes  # what closes a part that ends before the sheet does


def _head(stream: IO[bytes], header_row: int) -> _Head:
    """The beginning of the sheet part read from ``stream``, up to and with row ``header_row``."""
    cut = cut_sheet(stream, header_row)
    root = ROOT_TAG.search(cut) if cut is not None else None
    if cut is None or root is None:
        raise NotSplit("no <worksheet>")
    number, first, header = 0, None, None
    for match in ROW_TAG.finditer(cut):
        found = ROW_NUMBER.search(match.group(0))
        number = int(found.group(1)) if found else number + 1
        first = match.start() if first is None else first
        if number == header_row and not match.group(0).endswith(b"/>"):
            end = _ROW_END.search(cut, match.end())
            if end is not None:
                header = cut[match.start():end.end()]
    if first is None or header is None:
        raise NotSplit("no header row")
    ns = root.group(1)
    return _Head(_DIMENSION.sub(b"", cut[:first]), header, b"</" + ns + b"sheetData></" + ns + b"worksheet>")


def _moved(header: bytes, row: int) -> bytes:
    """The header row's XML moved to sheet row ``row``: its number and its cells' references."""
    tag = ROW_TAG.match(header)
    assert tag is not None, "a header found by ROW_TAG"
    number = f'r="{row}"'.encode()
    start = tag.group(0)
    if ROW_NUMBER.search(start):
        start = ROW_NUMBER.sub(b" " + number, start, count=1)
    else:
        start = start.replace(b"row", b"row " + number, 1)
    rest = _CELL_REF.sub(lambda m: m.group(1) + str(row).encode(), header[tag.end():])
    return start + rest


class _Writer:
    """Writes the part packages one after the other into ``folder``."""

    def __init__(self, folder: Path, part_name: str, values: list[tuple[str, bytes]], head: _Head,
                 first_row: int) -> None:
        self.folder, self.part_name, self.values, self.head = folder, part_name, values, head
        self.count = 0
        self.first_row = first_row  # of the part being written (the first starts with the sheet's own start)
        self._open()

    def _open(self) -> None:
        self.path = self.folder / f"part{self.count}.xlsx"
        self._zip = zipfile.ZipFile(self.path, "w", zipfile.ZIP_STORED)
        for name, data in self.values:
            self._zip.writestr(name, data)
        self._stream = self._zip.open(self.part_name, "w", force_zip64=True)

    def discard(self) -> None:
        """Close the package being written, the work given up (the folder is removed after)."""
        try:
            self._stream.close()
        finally:
            self._zip.close()

    def write(self, data: bytes) -> None:
        if data:
            self._stream.write(data)

    def close_part(self, next_row: int | None) -> Part:
        """Close the part being written (at the row numbered ``next_row``; None: the sheet's end)
        and, unless it was the last, open the next one, starting at that row."""
        if next_row is not None:
            self._stream.write(self.head.suffix)
        self._stream.close()
        self._zip.close()
        part = Part(self.path, self.first_row, next_row)
        if next_row is not None:
            self.count += 1
            self.first_row = next_row
            self._open()
            self._stream.write(self.head.prefix + _moved(self.head.header, next_row - 1))
        return part

