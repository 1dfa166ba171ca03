"""Limits on what a package may make a reader do: checked before the readers see it.

The readers of a workbook are mostly Rust (python-calamine and fastexcel), and Rust ends the
process when it cannot allocate memory: no exception, no message, a backtrace on the screen. Two
things in a package make them allocate without bound, and both are checked here first:

- **Inflated size** (a zip bomb): each part may inflate to :data:`MAX_PART` bytes, all of them to
  :data:`MAX_TOTAL`, and a big part may not be squeezed more than :data:`MAX_RATIO` times
  (:func:`check_directory`, from the zip directory alone). The sizes written in the directory are
  only claims: the parts a reader inflates are inflated here first, in a stream, and one that
  inflates past its claim is refused as it does (:func:`entry_chunks`, :func:`verify_entries`).
- **A sheet's used range**: the readers hold a sheet as a grid from cell A1 to its farthest cell
  holding a value, 32 bytes a cell, so one value typed in XFD1048576 asks for 512 GiB. The range is
  read from the cells themselves (:class:`SheetScan`), never from the ``<dimension>`` the sheet
  declares, and a sheet whose grid would pass :data:`MAX_CELLS` cells is refused, naming the cells
  that stretch it.

A limit passed raises :class:`LimitError`, whose fields say which part or cell and by how much;
the input readers turn it into a message for the user. This module reads the zip and the XML as
bytes with the standard library and ISA-L's inflate (no pandas, nothing else of this package), so a
head start can use it.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

# Intel's ISA-L inflates a Sales part over twice as fast as zlib (0.57 against 1.3 CPU seconds for
# the 394 MB of a 1 048 575-row sheet), with zlib's stream interface and the same bytes out, and
# its CRC-32 is three times zlib's: both lie on the path every big Sales tab is read through.
from isal import isal_zlib

__all__ = [
    "MAX_CELLS", "MAX_PART", "MAX_RATIO", "MAX_TOTAL", "Cell", "LimitError", "SheetScan",
    "check_directory", "check_package", "column_name", "crc32", "entry_chunks", "scan_sheet_part",
    "verify_entries",
]

#: The CRC-32 of zip entries (zlib's function, faster): ``crc32(data, running)``.
crc32 = isal_zlib.crc32
#: What inflating damaged bytes raises (isal_zlib.error is typed as an instance in its stub).
_INFLATE_ERRORS: tuple[type[Exception], ...] = (zlib.error, cast("type[Exception]", isal_zlib.error))

#: One part inflated: five times the XML of a 1 048 575-row, ten-column Sales tab (405 MB).
MAX_PART = 1 << 30
#: All parts inflated together.
MAX_TOTAL = 2 << 30
#: How much a part of more than :data:`RATIO_FROM` bytes may be compressed. Spreadsheet XML
#: deflates 5 to 20 times; a zip bomb, close to deflate's limit of 1 032.
MAX_RATIO = 100
RATIO_FROM = 16 << 20
#: Entries in one zip: a workbook has tens of them, a thousand sheets a few thousand.
MAX_ENTRIES = 100_000
#: The grid a reader holds for one sheet, from A1 to its farthest value: all 1 048 576 rows of 64
#: columns (2 GiB in the Rust readers).
MAX_CELLS = 1 << 26
#: Excel's last row; a sheet whose cells stay within it and within :data:`NEAR_COLUMNS` columns
#: is within :data:`MAX_CELLS` without further counting.
MAX_ROWS = 1 << 20
NEAR_COLUMNS = MAX_CELLS // MAX_ROWS

#: Inflated bytes handed on at a time.
CHUNK = 1 << 22


@dataclass(frozen=True)
class Cell:
    """A cell of a sheet, 1-based: ``Cell(1048576, 16384)`` is XFD1048576."""

    row: int
    column: int

    @property
    def name(self) -> str:
        return f"{column_name(self.column)}{self.row}"


class LimitError(ValueError):
    """A package or a sheet passes a limit. ``kind``: ``part`` (a part inflates past
    :data:`MAX_PART`), ``total`` (all parts past :data:`MAX_TOTAL`), ``ratio`` (a part compressed
    past :data:`MAX_RATIO`), ``entries``, ``damaged`` (a part inflates to other than its declared
    size), ``crc`` (a part inflates to bytes other than those stored, by its CRC-32), ``method``
    (a compression no reader here checks), ``tag`` (an XML tag longer than any
    spreadsheet writes), ``cells`` (a sheet's grid past :data:`MAX_CELLS`)."""

    def __init__(self, kind: str, part: str = "", *, size: int = 0, limit: int = 0,
                 far_row: Cell | None = None, far_column: Cell | None = None) -> None:
        self.kind, self.part, self.size, self.limit = kind, part, size, limit
        self.far_row, self.far_column = far_row, far_column
        super().__init__(f"{kind}: {part} ({size} > {limit})")


def column_name(column: int) -> str:
    """The letters of a 1-based column number: 1 -> A, 16384 -> XFD."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --------------------------------------------------------------------------------------------------
# The zip: declared sizes, and parts inflated against them


def check_directory(package: zipfile.ZipFile, *, max_part: int | None = None, max_total: int | None = None) -> None:
    """Raise :class:`LimitError` if the zip directory declares a part or a total the readers must
    not inflate (see the module's docstring; by default :data:`MAX_PART` and :data:`MAX_TOTAL`).
    Reads nothing but the directory."""
    max_part = MAX_PART if max_part is None else max_part
    max_total = MAX_TOTAL if max_total is None else max_total
    infos = package.infolist()
    if len(infos) > MAX_ENTRIES:
        raise LimitError("entries", size=len(infos), limit=MAX_ENTRIES)
    total = 0
    for info in infos:
        if info.file_size > max_part:
            raise LimitError("part", info.filename, size=info.file_size, limit=max_part)
        if info.file_size >= RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise LimitError("ratio", info.filename, size=info.file_size // max(info.compress_size, 1),
                             limit=MAX_RATIO)
        total += info.file_size
        if total > max_total:
            raise LimitError("total", info.filename, size=total, limit=max_total)


# The local file header (PKWARE's APPNOTE.TXT, 4.3.7): its fixed part and where the lengths are.
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\003\004"


def entry_chunks(source: BinaryIO, info: zipfile.ZipInfo, chunk: int = CHUNK) -> Iterator[bytes]:
    """The inflated bytes of entry ``info`` of the zip open as ``source``, ``chunk`` bytes or fewer
    at a time, inflating no more than the entry declares: one that would inflate past its declared
    size raises :class:`LimitError` ``damaged`` before the excess is made, as does one that ends
    short of it. (zipfile itself stops at the declared size without a word, but the Rust readers
    go on inflating.)"""
    if info.flag_bits & 0x1:
        raise LimitError("method", info.filename)
    source.seek(info.header_offset)
    header = source.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
        raise LimitError("damaged", info.filename)
    fields = _LOCAL_HEADER.unpack(header)
    source.seek(fields[10] + fields[11], 1)  # the name and the extra field
    declared, left = info.file_size, info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        if left != declared:
            raise LimitError("damaged", info.filename, size=left, limit=declared)
        while left:
            data = source.read(min(left, chunk))
            if not data:
                raise LimitError("damaged", info.filename, size=declared - left, limit=declared)
            left -= len(data)
            yield data
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise LimitError("method", info.filename)
    inflater = isal_zlib.decompressobj(-zlib.MAX_WBITS)
    made = 0
    pending = b""
    while not inflater.eof:
        if not pending and left:
            pending = source.read(min(left, 1 << 20))
            if not pending:
                break
            left -= len(pending)
        # At most one byte past the declared size is ever made: enough to know it lies.
        try:
            data = inflater.decompress(pending, min(chunk, declared - made + 1))
        except _INFLATE_ERRORS:
            raise LimitError("damaged", info.filename, size=made, limit=declared) from None
        pending = inflater.unconsumed_tail
        made += len(data)
        if made > declared:
            raise LimitError("damaged", info.filename, size=made, limit=declared)
        if data:
            yield data
        elif not pending and not left:
            break  # all read and nothing more comes out: the stream ends short
    if not inflater.eof or made != declared:
        raise LimitError("damaged", info.filename, size=made, limit=declared)


def verify_entries(path: Path, wanted: Callable[[str], bool]) -> None:
    """Inflate the entries of the zip at ``path`` whose names ``wanted`` accepts, checking that
    each inflates to exactly its declared size (:func:`entry_chunks`)."""
    with zipfile.ZipFile(path) as package, open(path, "rb") as source:
        for info in package.infolist():
            if not info.is_dir() and wanted(info.filename):
                for _ in entry_chunks(source, info):
                    pass


def _read_at_open(name: str) -> bool:
    """The parts a reader inflates whole when it opens a workbook (strings, styles, the workbook
    and its relationships): every XML part but the sheets, which are scanned as they are read."""
    lower = name.lower()
    return lower.endswith((".xml", ".rels")) and not lower.startswith(("xl/worksheets/", "xl/chartsheets/"))


def check_package(path: Path, *, max_part: int | None = None, max_total: int | None = None) -> None:
    """:func:`check_directory`, then :func:`verify_entries` of the parts a reader inflates whole
    when it opens the workbook. Raises :class:`LimitError` (and zipfile's BadZipFile for a file
    that is not a zip)."""
    with zipfile.ZipFile(path) as package:
        check_directory(package, max_part=max_part, max_total=max_total)
    verify_entries(path, _read_at_open)


# --------------------------------------------------------------------------------------------------
# A sheet's used range, from its cells


# A reference within :data:`NEAR_COLUMNS` columns and :data:`MAX_ROWS` rows: one letter, or two
# up to BL; a row from 1 to 1 048 576 without leading zeros.
_NEAR_ROW = rb"(?:[1-9]\d{0,5}|10[0-3]\d{4}|104[0-7]\d{3}|1048[0-4]\d\d|10485[0-6]\d|104857[0-6])"
_NEAR_REF = rb"(?:[A-Za-z]|[Aa][A-Za-z]|[Bb][A-La-l])" + _NEAR_ROW + b'"'
_REF = re.compile(rb"([A-Za-z]+)([0-9]+)")
_CANONICAL_CELL = re.compile(rb' r="([A-Za-z]+)([0-9]+)"')
_REF_ROW = re.compile(rb' r="[A-Za-z]+([0-9]+)"')
#: The tags the exact scan follows: the end of sheetData or of a row (group 1), the start of
#: sheetData, a row or a cell (group 2), with its attributes up to the first ">" (group 3; a tag
#: whose quotes do not pair up is read again with :data:`_QUOTED_TAG`).
_EXACT_TAG = re.compile(rb"<(?:/(?:[A-Za-z_][\w.-]*:)?(sheetData|row)|(?:[A-Za-z_][\w.-]*:)?(sheetData|row|c))"
                        rb"(?=[\s/>])([^>]*)>")
_QUOTED_TAG = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?(?:sheetData|row|c)((?:[^>"\']|"[^"]*"|\'[^\']*\')*)>')
_CELL_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?c>")
_ROW_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?row>")
#: A cell's start tag that is not an empty element (<c/> is passed by); a ">" in a quoted value.
_CELL_OPEN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c(?:>|\s[^>]*(?<!/)>)")
_QUOTED_GT = re.compile(rb"""=\s*(?:"[^"]*>|'[^']*>)""")
_ANY_R = re.compile(rb"\sr\s*=")
#: A value in a cell: <v> with something in it, or <is> (an inline string).
_ANY_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v(?:\s[^>]*)?>[^<]|is[\s>])")
_R_ATTR = re.compile(rb'(?:^|\s)r\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_SHEET_DATA = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?sheetData(?=[\s/>])")
_TAG_START = re.compile(rb"</?(?:[A-Za-z_][\w.-]*:)?(?:sheetData|row|c)(?:[\s/>]|$)")
#: A tag of the exact scan may be this long at most (a spreadsheet writes tens of bytes); a cell
#: that would stretch the grid is read whole if its content is within _MAX_CELL bytes, else counted
#: as holding a value.
_MAX_TAG = 1 << 20
_MAX_CELL = 1 << 16


def _fast_patterns(prefix: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]:
    """For a sheet whose cells are written ``<{prefix}c``: a cell tag that does not begin
    ``<c r="B7"`` with one letter and a near row (cheap: most sheets have no other cells), one
    that does not begin ``<c r="NEAR"`` (a far reference, a cell without one, an unusual
    spelling), and a cell written with another prefix than the sheet's."""
    escaped = re.escape(prefix)
    narrow = re.compile(rb"<" + escaped + rb'c(?! r="[A-Za-z]' + _NEAR_ROW + rb'")[\s/>]')
    odd = re.compile(rb"<" + escaped + rb'c(?! r="' + _NEAR_REF + rb")[\s/>]")
    if prefix:
        other = re.compile(rb"<(?:(?!" + escaped + rb")[A-Za-z_][\w.-]*:)?c[\s/>]")
    else:
        other = re.compile(rb":c[\s/>]")
    return narrow, odd, other


#: A sheet with more cells than this past column Z (all near) is searched for far ones with the
#: pattern that knows the near columns, rather than each of them looked at.
_WIDE = 4096


class _Restart(Exception):
    """The fast scan met something only the exact scan reads: start again with it."""


class SheetScan:
    """The used range of a worksheet part, from its cells, as the Rust readers will lay it out.

    Feed the part's XML in chunks (:meth:`feed`, until :attr:`done`), then :meth:`finish`. Like the
    readers, only a cell holding a value counts (a formatted empty cell ``<c r="XFD1" s="3"/>`` does
    not), a cell's place is its ``r`` reference or, without one, the place after the cell before
    it, and only cells inside ``<sheetData>`` count.

    Most sheets are read by a fast scan: two regular-expression searches over each chunk, which
    find nothing in a sheet whose cells are all written ``<c r="B7"...`` within 64 columns and
    Excel's rows, so that its grid is within :data:`MAX_CELLS` (the first search stops at every
    cell past column Z, and gives way to one that knows columns AA to BL when there are many). A
    far cell it finds is looked at where it is; anything it cannot read that way (a cell without a
    reference, an unusual spelling) makes it start again with the exact scan, which follows every
    row and cell tag.

    Not followed: a tag with two ``r`` attributes (``<c r="A1" r="XFD1">``), which is not
    well-formed XML and which Excel refuses to open; the readers take the last one.

    ``restart``: gives the part's chunks again from the start, for the exact scan; without it,
    what was fed is kept (small parts: a sheet's first rows).
    """

    def __init__(self, part: str = "", restart: Callable[[], Iterable[bytes]] | None = None) -> None:
        self.part = part
        self.restart = restart
        self.far_row: Cell | None = None  # the cell holding a value in the lowest row
        self.far_column: Cell | None = None  # ... in the rightmost column past NEAR_COLUMNS
        self.done = False  # the exact scan has read the whole part again: feed no more
        self._buffer = b""
        self._fed: list[bytes] | None = []
        self._patterns: tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]] | None = None
        self._wide = 0  # cells past column Z the narrow pattern made us look at
        self._tags = (b"<c ", b"</c>")
        self._exact = False
        self._row = self._column = 0
        self._in_data = False
        self._fed_bytes = 0  # how many bytes of the part were fed

    @property
    def examined(self) -> int:
        """How many bytes of the part, from its start, the scan has looked at: all that was fed but
        the last few held back for the next chunk (a tag may straddle the two), or the whole part
        once the exact scan has read it again (:attr:`done`). While :attr:`far_column` is None,
        every cell holding a value in them lies within :data:`NEAR_COLUMNS` columns and Excel's
        rows: a reader may lay those bytes out (:mod:`salesplan.inputs.splitread`)."""
        return (1 << 62) if self.done else self._fed_bytes - len(self._buffer)

    def feed(self, chunk: bytes) -> None:
        if self.done:
            return
        self._fed_bytes += len(chunk)
        if self._fed is not None:
            if self.restart is None or len(self._fed) < 4:
                self._fed.append(chunk)
            else:
                self._fed = None  # too much to keep: the exact scan would read the part again
        if self._exact:
            self._exact_feed(chunk)
            return
        try:
            self._fast_feed(chunk)
        except _Restart:
            self._exact_from_start()

    def finish(self) -> tuple[Cell | None, Cell | None]:
        """The farthest cells holding a value (by row; by column, if past :data:`NEAR_COLUMNS`),
        having checked the grid they stretch: :class:`LimitError` ``cells`` past
        :data:`MAX_CELLS`."""
        if not self._exact:
            try:
                self._fast_feed(b"", final=True)
                if self.far_column is not None and self._area() <= MAX_CELLS:
                    # A far column, and the rows seen so far do not make the grid too big: only the
                    # exact scan, which reads every cell, knows the lowest row.
                    raise _Restart
            except _Restart:
                self._exact_from_start()
        if self._exact:
            self._exact_feed(b"", final=True)
        self._check()
        return self.far_row, self.far_column

    # --- the fast scan ---

    def _fast_feed(self, chunk: bytes, final: bool = False) -> None:
        data = self._buffer + chunk if self._buffer else chunk
        if self._patterns is None:
            found = _SHEET_DATA.search(data)
            if found is None:  # the cells have not begun: keep the bytes a tag may straddle
                self._buffer = data[-64:]
                return
            self._set_prefix(found.group(1))
            data = data[found.start():]
        assert self._patterns is not None, "set with the prefix"
        narrow, odd, other = self._patterns
        # A match counts only where all it looks at is in hand; the last bytes wait for the next
        # chunk (a cell tag and its reference are a few tens of bytes), cut where no tag is cut.
        limit = len(data) if final else _cut(data, len(data) - 256)
        found_other = other.search(data)
        if found_other is not None and found_other.start() < limit:
            raise _Restart
        pattern = narrow if self._wide <= _WIDE else odd
        pos = 0
        while (match := pattern.search(data, pos)) is not None and match.start() < limit:
            pos = match.end()
            if pattern is narrow and odd.match(data, match.start()) is None:
                self._wide += 1  # a near cell past column Z: no need to look further at it
                continue
            if not self._far_cell(data, match.start() + len(self._tags[0]) - 1, final):
                limit = match.start()  # the cell goes on into the next chunk: read it with that
                break
        self._sample(data, limit)
        self._buffer = data[limit:]
        if len(self._buffer) > _MAX_TAG:
            raise _Restart

    def _far_cell(self, data: bytes, at: int, final: bool) -> bool:
        """A cell tag whose name ends at ``at`` and which has no near reference: note it if it holds
        a value. False if the cell is not all in ``data`` yet (the tag and its reference always
        are: a match is taken only with 256 bytes after it)."""
        ref = _CANONICAL_CELL.match(data, at)
        if ref is None:
            raise _Restart  # no reference or an unusual spelling: the exact scan reads it
        end = data.find(b">", ref.end())
        if end >= 0 and data[end - 1:end] == b"/":
            return True  # <c r="XFD1" s="3"/>: formatted, empty, not read
        close = data.find(self._tags[1], end) if end >= 0 else -1
        if close < 0:
            if final:
                raise _Restart
            return False
        if _holds_value(data[end + 1:close]):
            self._note(_cell(ref.group(1), ref.group(2)))
            self._check()
        return True

    def _sample(self, data: bytes, limit: int) -> None:
        """Note the last cell before ``limit`` that holds a value: a row the sheet surely reaches
        (the fast scan counts no rows otherwise; it needs them only to prove a far column too far)."""
        open_tag, close_tag = self._tags
        close = data.rfind(close_tag, 0, limit)
        start = data.rfind(open_tag, 0, close) if close > 0 else -1
        if start < 0:
            return
        ref = _CANONICAL_CELL.match(data, start + len(open_tag) - 1)
        end = data.find(b">", start, close)
        if ref is not None and end > 0 and data[end - 1:end] != b"/" and _holds_value(data[end + 1:close]):
            self._note(_cell(ref.group(1), ref.group(2)))

    def _set_prefix(self, name: bytes | None) -> None:
        """The sheet's elements are written with this namespace prefix (None: without one)."""
        prefix = name + b":" if name else b""
        self._patterns = _fast_patterns(prefix)
        self._tags = (b"<" + prefix + b"c ", b"</" + prefix + b"c>")

    # --- the exact scan ---

    def _near_row(self, data: bytes, start: int, end: int) -> tuple[bool, Cell | None]:
        """For the content of a row between ``start`` and ``end``, if every cell in it is written
        ``<c r="NEAR"`` on one and the same row: (True, a cell of it holding a value, or None if
        none does); (False, None) if the row is to be read tag by tag."""
        if self._patterns is None:
            return False, None
        _, odd, other = self._patterns
        if odd.search(data, start, end) is not None or other.search(data, start, end) is not None:
            return False, None
        if len(set(_REF_ROW.findall(data, start, end))) > 1:
            return False, None
        value = _ANY_VALUE.search(data, start, end)
        if value is None:
            return True, None
        cell_start = data.rfind(self._tags[0], start, value.start())
        ref = _CANONICAL_CELL.match(data, cell_start + len(self._tags[0]) - 1) if cell_start >= 0 else None
        if ref is None:
            return False, None
        return True, _cell(ref.group(1), ref.group(2))

    def _exact_from_start(self) -> None:
        self._exact = True
        self._buffer = b""
        self._row = self._column = 0
        self._in_data = False
        self.far_row = self.far_column = None
        if self._fed is not None:
            chunks: Iterable[bytes] = list(self._fed)
        elif self.restart is not None:
            chunks = self.restart()
            self.done = True
        else:  # pragma: no cover - feed keeps every chunk when it cannot restart
            raise RuntimeError("no way to read the part again")
        self._fed = None
        for chunk in chunks:
            self._exact_feed(chunk)

    def _exact_feed(self, chunk: bytes, final: bool = False) -> None:
        data = self._buffer + chunk if self._buffer else chunk
        self._buffer = b""
        pos = 0
        # The readers' own walk over the tags, kept in locals: this loop runs once per cell.
        row, column, in_data = self._row, self._column, self._in_data
        far_row = self.far_row.row if self.far_row is not None else 0
        far_column = self.far_column.column if self.far_column is not None else NEAR_COLUMNS
        try:
            while (match := _EXACT_TAG.search(data, pos)) is not None:
                closing, opening, attributes = match.groups()
                end = match.end()
                if closing is not None:
                    if closing == b"sheetData":
                        in_data = False
                    elif in_data:  # </row>
                        row += 1
                        column = 0
                    pos = end
                    continue
                if attributes.count(b'"') & 1 or attributes.count(b"'") & 1:
                    # a ">" inside a quoted value ended the match early: read the tag again, quotes and all
                    quoted = _QUOTED_TAG.match(data, match.start())
                    if quoted is None and not final:
                        self._wait(data[match.start():])
                        return
                    if quoted is not None:
                        attributes, end = quoted.group(1), quoted.end()
                pos = end
                if opening == b"sheetData":
                    in_data = in_data or not attributes.endswith(b"/")
                    if self._patterns is None and (found_data := _SHEET_DATA.match(data, match.start())):
                        self._set_prefix(found_data.group(1))
                    continue
                if not in_data or attributes.endswith(b"/"):
                    continue  # outside the cells; or <row/>, <c .../>: nothing the readers count
                found = _r_attribute(attributes) if b"r" in attributes else None
                if opening == b"row":
                    if found is not None and found.isdigit() and int(found) > 0:
                        row = int(found) - 1
                    # A row read at once: one whose cells all have near references to this row (as
                    # Excel writes them), or none at all (a writer that leaves them out leaves them
                    # all out: its cells are the next places along).
                    close = _ROW_END.search(data, end) if column == 0 else None
                    read, near = self._near_row(data, end, close.start()) if close is not None else (False, None)
                    if read and close is not None:
                        if near is not None and near.row > far_row:
                            self._note(near)
                            self._check()
                            far_row = near.row
                        row += 1
                        pos = close.end()
                        continue
                    if close is not None:
                        starts = _rless_starts(data[end:close.start()])
                        if starts is not None:
                            if starts and (row + 1 > far_row or starts > far_column) \
                                    and _ANY_VALUE.search(data, end, close.start()) is not None:
                                # its last started cell counted as holding a value (an empty cell is
                                # written <c/>, which a reader passes by)
                                self._note(Cell(row + 1, starts))
                                self._check()
                                far_row = self.far_row.row if self.far_row is not None else 0
                                far_column = self.far_column.column if self.far_column is not None else NEAR_COLUMNS
                            row += 1
                            pos = close.end()
                    continue
                ref = _REF.fullmatch(found) if found is not None else None
                previous = column
                if ref is not None and int(ref.group(2)) > 0:
                    cell_row, column = int(ref.group(2)), _column_number(ref.group(1))
                else:  # no reference (or one the readers refuse, and so stop at): the place after the last
                    cell_row, column = row + 1, column + 1
                if cell_row > far_row or column > far_column:
                    # a cell that would stretch the grid counts if it holds a value
                    close = _CELL_END.search(data, end)
                    if close is None and not final and len(data) - end < _MAX_CELL:
                        self._wait(data[match.start():])  # its value comes with the next chunk
                        column = previous
                        return
                    if close is None or _holds_value(data[end:close.start()]):
                        self._note(Cell(cell_row, column))
                        self._check()
                        far_row = self.far_row.row if self.far_row is not None else 0
                        far_column = self.far_column.column if self.far_column is not None else NEAR_COLUMNS
            # Keep an unfinished tag for the next chunk, if it may be one this scan follows.
            rest = data.rfind(b"<", pos)
            if rest >= 0 and not final and data.find(b">", rest) < 0:
                tail = data[rest:]
                if _TAG_START.match(tail) or len(tail) < 64:
                    self._wait(tail)
        finally:
            self._row, self._column, self._in_data = row, column, in_data

    def _wait(self, tail: bytes) -> None:
        """Keep ``tail`` for the next chunk (a tag, or a cell, that goes on into it)."""
        if len(tail) > _MAX_TAG:
            raise LimitError("tag", self.part, size=len(tail), limit=_MAX_TAG)
        self._buffer = tail

    # --- both ---

    def _note(self, cell: Cell) -> None:
        if self.far_row is None or cell.row > self.far_row.row:
            self.far_row = cell
        if cell.column > NEAR_COLUMNS and (self.far_column is None or cell.column > self.far_column.column):
            self.far_column = cell

    def _area(self) -> int:
        """The grid from A1 to the farthest cells seen (a sheet within NEAR_COLUMNS counts them all)."""
        if self.far_row is None:
            return 0
        columns = self.far_column.column if self.far_column is not None else NEAR_COLUMNS
        return self.far_row.row * max(columns, NEAR_COLUMNS)

    def _check(self) -> None:
        area = self._area()
        if area > MAX_CELLS:
            raise LimitError("cells", self.part, size=area, limit=MAX_CELLS, far_row=self.far_row,
                             far_column=self.far_column)


def _cut(data: bytes, at: int) -> int:
    """Where to cut ``data`` at about ``at`` (or before it) without cutting a tag."""
    if at <= 0:
        return 0
    lt, gt = data.rfind(b"<", 0, at), data.rfind(b">", 0, at)
    return lt if lt > gt else at


def _rless_starts(content: bytes) -> int | None:
    """The cells a reader counts in a row's ``content`` when none of them has a reference: the
    cell tags that are not empty elements. None when the row is not that simple (a reference, a
    ">" inside a quoted value), to be read tag by tag."""
    if _ANY_R.search(content) is not None or _QUOTED_GT.search(content) is not None:
        return None
    return len(_CELL_OPEN.findall(content))


def _holds_value(content: bytes) -> bool:
    """Whether a cell's content (from after its start tag to its end tag) holds a value."""
    for match in re.finditer(rb"<(?:[A-Za-z_][\w.-]*:)?(v|is)(?=[\s/>])([^>]*)>", content):
        if match.group(1) == b"is" and not match.group(2).endswith(b"/"):
            return True
        if match.group(1) == b"v" and not match.group(2).endswith(b"/") \
                and content[match.end():match.end() + 2] != b"</":
            return True
    return False


def _r_attribute(attributes: bytes) -> bytes | None:
    """The value of the last ``r`` attribute of a tag (a reader keeps the last one)."""
    found = _R_ATTR.findall(attributes)
    if not found:
        return None
    double, single = found[-1]
    return bytes(double or single)


def _cell(letters: bytes, digits: bytes) -> Cell:
    return Cell(int(digits), _column_number(letters))


def _column_number(letters: bytes) -> int:
    column = 0
    for letter in letters.upper():
        column = column * 26 + letter - 64
    return column


def scan_sheet_part(path: Path, part: str) -> tuple[Cell | None, Cell | None]:
    """The farthest cells of worksheet part ``part`` of the zip at ``path`` (see
    :class:`SheetScan`), inflating it against its declared size; raises :class:`LimitError`, and
    StopIteration if the zip has no such part.

    (Inflating a chunk ahead in a thread, zlib letting go of the interpreter, was measured slower
    than this: the thread waits for the interpreter as long as the searches hold it.)"""
    with zipfile.ZipFile(path) as package:
        # the entry named by the relationship; a reader finds one whose name differs in case too
        info = next((i for i in package.infolist() if i.filename == part), None) \
            or next(i for i in package.infolist() if i.filename.lower() == part.lower())

    def chunks() -> Iterator[bytes]:
        with open(path, "rb") as source:
            yield from entry_chunks(source, info)

    scan = SheetScan(part, restart=chunks)
    with open(path, "rb") as source:
        for chunk in entry_chunks(source, info):
            scan.feed(chunk)
            if scan.done:
                break
    return scan.finish()
