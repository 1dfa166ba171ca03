"""The package: the zip file of parts (ECMA-376 Part 2, Open Packaging Conventions, §9 and Annex C).

Reading a package's parts (:class:`Package`), writing a new package from an original one whose
unchanged entries are copied as they are stored (:func:`write_package`, :func:`copy_stored`), a
check of every entry's CRC in a thread (:class:`EntryCheck`), and the small whole-package reads
and rewrites other modules need (one part read, parts edited in place, a copy with fixed time
stamps, a written package checked).
"""

from __future__ import annotations

import os
import posixpath
import shutil
import struct
import tempfile
import threading
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import BinaryIO, Self

from ..errors import PackageError
from .content_types import ContentTypes
from .limits import LimitError, check_directory
from .peek import sheet_parts
from .relationships import RT_OFFICE_DOCUMENT, Rel, parse_rels, rels_name

__all__ = [
    "EntryCheck", "EntryClaim", "Package", "check_written", "claim_entry", "copy_stamped", "copy_stored",
    "edit_in_place", "file_stamp", "free_part_name", "read_entry", "write_package",
]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

DateTime = tuple[int, int, int, int, int, int]


class Package:
    """Read access to one OOXML zip package."""

    def __init__(self, path: Path, role: str):
        self.path = Path(path)
        self.role = role
        with open(self.path, "rb") as f:  # FileNotFoundError propagates as is
            magic = f.read(8)
        if magic == OLE_MAGIC:
            raise PackageError(
                f"{role} workbook {self.path}: is an OLE compound file (a password-protected "
                f"workbook or a legacy .xls), not an .xlsx/.xlsm package; remove the password "
                f"or save it as .xlsx/.xlsm")
        try:
            self.zip = zipfile.ZipFile(self.path)
        except zipfile.BadZipFile as e:
            raise PackageError(f"{role} workbook {self.path}: not a zip (.xlsx/.xlsm) package: {e}") from e
        try:
            self._open()
        except Exception:
            self.zip.close()
            raise

    def _open(self) -> None:
        self.infos: dict[str, zipfile.ZipInfo] = {}
        for info in self.zip.infolist():
            self.infos.setdefault(info.filename, info)
        # OPC part names are case-insensitive
        self._entries = {name.lower(): name for name in self.infos}
        self._rels_cache: dict[str, list[Rel]] = {}
        if self.entry("[Content_Types].xml") is None:
            raise PackageError(f"{self.role} workbook {self.path}: no [Content_Types].xml, not an OOXML package")
        self.types = ContentTypes(self.text("[Content_Types].xml"))
        documents = [r for r in self.rels("") if r.type == RT_OFFICE_DOCUMENT and r.part]
        workbook = self.entry(documents[0].part) if documents and documents[0].part else None
        if workbook is None:
            raise PackageError(f"{self.role} workbook {self.path}: no workbook part, not a spreadsheet package")
        self.workbook_part: str = workbook

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def entry(self, part: str) -> str | None:
        """The zip entry name of `part`, or None if the package has no such part."""
        return self._entries.get(part.lower())

    def read(self, part: str) -> bytes:
        return self.zip.read(self.require(part))

    def require(self, part: str) -> str:
        """The zip entry name of `part`; PackageError if the package has no such part."""
        name = self.entry(part)
        if name is None:
            raise PackageError(f"{self.role} workbook {self.path}: missing part {part}")
        return name

    def text(self, part: str) -> str:
        data = self.read(part)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise PackageError(f"{self.role} workbook {self.path}: part {part} is not UTF-8 XML") from e

    def head(self, part: str, size: int = 65536) -> str:
        """The first bytes of a (possibly huge) part, decoded loosely."""
        with self.zip.open(self.require(part)) as f:
            return f.read(size).decode("utf-8", errors="ignore")

    def content_type(self, part: str) -> str | None:
        return self.types.of(part)

    def rels(self, part: str) -> list[Rel]:
        """Relationships whose source is `part` ('' = the package)."""
        if part in self._rels_cache:
            return self._rels_cache[part]
        rels: list[Rel] = []
        name = self.entry(rels_name(part))
        if name is not None:
            rels = parse_rels(self.zip.read(name), part, f"{self.role} workbook {self.path}: broken XML in {name}")
            for rel in rels:
                if rel.part is not None:
                    rel.part = self.entry(rel.part) or rel.part
        self._rels_cache[part] = rels
        return rels

    def reachable(self, roots: Iterable[str], skip: frozenset[tuple[str, str]] = frozenset()) -> list[str]:
        """Parts reachable from `roots` through relationships (roots included,
        except the package root ''), in a deterministic breadth-first order.
        `skip` holds (source part, relationship id) pairs not to follow."""
        order: list[str] = []
        seen: set[str] = set()
        queue = list(roots)
        for root in queue:
            name = self.entry(root) if root else None
            if name and root.lower() not in seen:
                seen.add(root.lower())
                order.append(name)
        i = 0
        while i < len(queue):
            source = queue[i]
            i += 1
            for rel in self.rels(source):
                if rel.external or (source, rel.id) in skip or rel.part is None:
                    continue
                target = self.entry(rel.part)
                if target is None:
                    continue
                if target.lower() not in seen:
                    seen.add(target.lower())
                    order.append(target)
                    queue.append(target)
        return order


def free_part_name(template: str, used: set[str]) -> str:
    """`template` renumbered to the first free name: xl/charts/chart7.xml."""
    directory, base = posixpath.split(template)
    stem, ext = posixpath.splitext(base)
    stem = stem.rstrip("0123456789") or "part"
    n = 1
    while posixpath.join(directory, f"{stem}{n}{ext}").lower() in used:
        n += 1
    name = posixpath.join(directory, f"{stem}{n}{ext}")
    used.add(name.lower())
    return name


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------

def _zip_info(name: str, date_time: DateTime, compresslevel: int, external_attr: int = 0o600 << 16) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.external_attr = external_attr
    info.compress_type = zipfile.ZIP_STORED if name.endswith("/") else zipfile.ZIP_DEFLATED
    # ZipFile(compresslevel=) only applies to entries written by name, not by ZipInfo
    info._compresslevel = compresslevel  # type: ignore[attr-defined]  # compress_level from Python 3.13
    return info


def write_package(orig: Package, out: Path, replaced: dict[str, bytes], dropped: set[str],
                  added: list[tuple[str, bytes]], compresslevel: int, check: EntryCheck | None = None) -> None:
    """Write the output zip: the original's entries in their order (copied
    as they are stored, or replaced), then the added ones. Written to a
    temporary file renamed over `out` at the end, so a failure leaves nothing
    half-written and `out` may be the original itself. `check`, when given,
    must find every original entry sound before the file is put in place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        written: set[str] = set()
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zout, \
                open(orig.path, "rb") as source:
            for info in orig.zip.infolist():
                name = info.filename
                if name in dropped or name in written:
                    continue
                written.add(name)
                new_info = _zip_info(name, info.date_time, compresslevel, info.external_attr)
                if name in replaced:
                    zout.writestr(new_info, replaced[name])
                    continue
                if name.endswith("/"):
                    zout.writestr(new_info, b"")
                    continue
                if copy_stored(source, info, zout):
                    continue
                new_info.file_size = info.file_size  # lets zipfile pick zip64 for huge sheets
                with orig.zip.open(info) as src, zout.open(new_info, "w", force_zip64=info.file_size > 2**30) as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
            for name, data in added:
                zout.writestr(_zip_info(name, (1980, 1, 1, 0, 0, 0), compresslevel), data)
        if check is not None:
            check.join()
            if check.error is not None:
                raise check.error
        # mkstemp makes the file private (0600): give it the original's permissions
        shutil.copymode(orig.path, tmp)
        os.replace(tmp, out)
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        tmp.unlink(missing_ok=True)
        raise PackageError(f"original workbook {orig.path}: damaged zip entry: {e}") from e
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class EntryClaim:
    """An entry a reader inflates whole anyway, checking its CRC-32 as it goes (the Sales sheet
    read in parts, :mod:`salesplan.inputs.splitread`): :class:`EntryCheck` leaves it to that
    reader rather than inflating 400 MB twice on cores the reader needs. The reader
    :meth:`settle` s it, whatever happens: ``verified`` True only when every byte was inflated and
    the CRC matched; otherwise the check inflates the entry itself."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.verified = False

    def settle(self, verified: bool) -> None:
        if not self.done.is_set():
            self.verified = verified
            self.done.set()


_claims: dict[tuple[str, tuple[int, int] | None, str], EntryClaim] = {}
_claims_lock = threading.Lock()
_MAX_CLAIMS = 64  # a long-lived process (the Excel buttons' server) keeps no more than these


def claim_entry(path: Path, entry: str) -> EntryClaim:
    """Claim entry ``entry`` of the package at ``path`` (as it is now: a file saved again is
    checked again) for a reader that checks its CRC (see :class:`EntryClaim`)."""
    claim = EntryClaim()
    with _claims_lock:
        while len(_claims) >= _MAX_CLAIMS:
            del _claims[next(iter(_claims))]
        _claims[(os.path.abspath(path), file_stamp(path), entry)] = claim
    return claim


def _take_claim(path: Path, stamp: tuple[int, int] | None, entry: str) -> EntryClaim | None:
    with _claims_lock:
        return _claims.pop((os.path.abspath(path), stamp, entry), None)


class EntryCheck(threading.Thread):
    """Inflates every entry of a zip and checks its CRC-32, in a thread: zlib
    lets go of the interpreter while it inflates, so this runs beside the
    splice on another core. ``error`` is what reading an entry raised.

    The smallest entries go first, and an entry a reader has claimed (:func:`claim_entry`) is left
    to it: waited for at the end, and inflated here only if the reader could not vouch for it."""

    def __init__(self, path: Path) -> None:
        super().__init__(name="salesplan-zip-check", daemon=True)
        self.path = path
        self.stamp = file_stamp(path)  # a file saved again since is checked again
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with zipfile.ZipFile(self.path) as z:
                try:
                    check_directory(z)  # a zip bomb is not inflated here either: the read refuses it
                except LimitError as e:
                    self.error = PackageError(f"{self.path}: {e}")
                    return
                claimed = []
                for info in sorted(z.infolist(), key=lambda i: i.file_size):
                    if info.filename.endswith("/"):
                        continue
                    claim = _take_claim(self.path, self.stamp, info.filename)
                    if claim is not None:
                        claimed.append((info, claim))
                        continue
                    _inflate(z, info)
                for info, claim in claimed:
                    claim.done.wait()
                    if not claim.verified:
                        _inflate(z, info)
        except BaseException as e:  # noqa: BLE001 - handed to the writing thread, which raises it
            self.error = e


def _inflate(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Inflate entry ``info`` to its end: zipfile compares the CRC-32 there."""
    with package.open(info) as entry:
        while entry.read(1 << 22):
            pass


def file_stamp(path: Path) -> tuple[int, int] | None:
    """Size and modification time of `path` (None if it cannot be read): a file saved again
    since a check started is checked again."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


#: Compression methods whose stored bytes are copied as they are (every .xlsx uses one of them).
_COPYABLE = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}

# The local file header (PKWARE's APPNOTE.TXT, 4.3.7), as zipfile reads it.
_LOCAL_HEADER = "<4s2B4HL2L2H"
_LOCAL_HEADER_SIZE = struct.calcsize(_LOCAL_HEADER)
_LOCAL_HEADER_SIGNATURE = b"PK\003\004"
_NAME_LENGTH, _EXTRA_LENGTH = 10, 11  # the fields of the name's and the extra field's lengths


def copy_stored(source: BinaryIO, info: zipfile.ZipInfo, zout: zipfile.ZipFile) -> bool:
    """Copy entry `info` of the zip open as `source` into `zout` as it is
    stored: its compressed bytes, CRC and sizes, without inflating and
    deflating it again (a 1,000,000-row sheet is some 400 MB of XML; copying
    its 50 MB of deflated bytes takes a fraction of a second instead of
    several seconds, and they stay byte for byte the user's).

    zipfile has no public call for this, so the entry is appended the way
    ZipFile.write appends one (local header, data, then a central directory
    record at close). The stored CRC-32 goes along with the bytes, so a
    reader still detects an entry damaged in the original.

    Returns False, having written nothing, for an entry this cannot copy
    (encrypted, an unusual compression method) or a zipfile module without
    the attributes used here: the caller then recompresses it.
    """
    if info.flag_bits & 0x1 or info.compress_type not in _COPYABLE:
        return False
    if not all(hasattr(zout, a) for a in ("fp", "filelist", "NameToInfo", "start_dir", "_didModify")):
        return False  # pragma: no cover - CPython's zipfile has had these since 3.x
    out = zout.fp
    assert out is not None, "a zip open for writing"
    source.seek(info.header_offset)
    header = source.read(_LOCAL_HEADER_SIZE)
    if len(header) != _LOCAL_HEADER_SIZE or header[:4] != _LOCAL_HEADER_SIGNATURE:
        raise zipfile.BadZipFile(f"bad local header of {info.filename}")
    fields = struct.unpack(_LOCAL_HEADER, header)
    source.seek(fields[_NAME_LENGTH] + fields[_EXTRA_LENGTH], os.SEEK_CUR)

    entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    entry.compress_type = info.compress_type
    entry.external_attr = info.external_attr
    entry.create_system = info.create_system
    entry.flag_bits = info.flag_bits & 0x800  # keep "UTF-8 name"; sizes are in this header, no descriptor
    entry.CRC, entry.compress_size, entry.file_size = info.CRC, info.compress_size, info.file_size
    zip64 = entry.file_size > zipfile.ZIP64_LIMIT or entry.compress_size > zipfile.ZIP64_LIMIT
    entry.header_offset = out.tell()
    out.write(entry.FileHeader(zip64))
    left = entry.compress_size
    while left:
        chunk = source.read(min(left, 1 << 20))
        if not chunk:
            raise EOFError(f"{info.filename} is cut short")
        out.write(chunk)
        left -= len(chunk)
    zout.filelist.append(entry)
    zout.NameToInfo[entry.filename] = entry
    zout.start_dir = out.tell()
    zout._didModify = True  # type: ignore[attr-defined]  # as ZipFile.write sets it
    return True


# --------------------------------------------------------------------------
# Whole-package reads and rewrites for other modules
# --------------------------------------------------------------------------

def read_entry(path: Path, name: str) -> bytes:
    """The bytes of entry `name` of the zip at `path` (KeyError if it has none)."""
    with zipfile.ZipFile(path) as package:
        return package.read(name)


def edit_in_place(path: Path, edits: Mapping[str, Callable[[bytes], bytes]], what: str = "part") -> None:
    """Rewrite the zip at `path` with each entry named in `edits` replaced by what its function
    makes of it; every other entry is written again as it was. The edited entries are stored, not
    deflated: the packages edited this way are scratch books, read back at once. Raises
    RuntimeError naming the `what` missing if an entry of `edits` is not there."""
    with zipfile.ZipFile(path) as book:
        entries = [(info, book.read(info)) for info in book.infolist()]
    parts = {info.filename for info, _ in entries}
    if missing := set(edits) - parts:
        raise RuntimeError(f"{path.name}: no {what} {sorted(missing)}")
    scratch = path.with_name(path.name + ".part")
    with zipfile.ZipFile(scratch, "w") as out:
        for info, data in entries:
            if info.filename in edits:
                out.writestr(info.filename, edits[info.filename](data), compress_type=zipfile.ZIP_STORED)
            else:
                out.writestr(info, data)
    scratch.replace(path)


def copy_stamped(source: BinaryIO, path: Path, date_time: DateTime,
                 edits: Mapping[str, Callable[[bytes], bytes]]) -> None:
    """Write the zip `source` to `path` with every entry dated `date_time` and deflated, and the
    entries named in `edits` replaced by what their functions make of them: the same content
    always gives the same bytes."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in original.infolist():
            data = original.read(info)
            if info.filename in edits:
                data = edits[info.filename](data)
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, data)


def check_written(path: Path, xml_up_to: int) -> list[str]:
    """The sheet names of the package at `path`, having checked it: every XML part of up to
    `xml_up_to` bytes parses and every sheet's part is there. Raises PackageError naming what is
    wrong (the exception's type and message)."""
    try:
        with zipfile.ZipFile(path) as package:
            for info in package.infolist():
                if info.filename.endswith((".xml", ".rels")) and info.file_size <= xml_up_to:
                    ET.fromstring(package.read(info))
            _, parts = sheet_parts(package)
            for part in parts.values():
                package.getinfo(part)  # every tab's part is there
    except (zipfile.BadZipFile, ET.ParseError, KeyError, StopIteration, OSError) as exc:
        raise PackageError(f"{type(exc).__name__}: {exc}") from exc
    return list(parts)
