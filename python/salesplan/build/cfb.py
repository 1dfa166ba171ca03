"""MS-CFB compound files: read any, write version 3 (the container a ``vbaProject.bin`` is).

A compound file is a FAT file system inside one file: fixed-size sectors, a file allocation table
(FAT) chaining them, a directory of 128-byte entries (storages are folders, streams are files), and
a *mini stream* of 64-byte sectors that holds every stream shorter than 4096 bytes so that small
streams do not each waste a 512-byte sector.

Streams are named by paths here: ``{"PROJECT": b"...", "VBA/dir": b"..."}``. Storages follow from
the paths. The writer is deterministic (no timestamps, no CLSIDs), so the same streams always give
the same bytes, and it writes version 3 only: 512-byte sectors and no DIFAT sectors, which caps the
file at 109 FAT sectors (about 7 MB); a VBA project is a few hundred kilobytes at most.

Why our own: olefile (BSD) reads but cannot create a file or add streams, and the one PyPI package
that writes complete compound files, cfbwrite, is AGPL.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from ..errors import CompoundFileError

SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
HEADER_DIFAT = 109
DIR_ENTRY = 128

STORAGE, STREAM, ROOT = 1, 2, 5
RED, BLACK = 0, 1

_HEADER = struct.Struct("<8s16sHHHHH6sIIIIIIIII")
_ENTRY = struct.Struct("<64sHBBIII16sIQQIQ")


def name_key(name: str) -> tuple[int, str]:
    """Sort key of a directory entry name among its siblings (MS-CFB 2.6.4).

    Shorter names come first; names of equal length compare by their upper-case form.
    """
    return len(name), name.upper()


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------

def read_cfb(data: bytes) -> dict[str, bytes]:
    """All streams of a compound file, keyed by path (``"VBA/dir"``), siblings in name order.

    Raises:
        CompoundFileError: not a compound file, or its FAT or directory is inconsistent.
    """
    if len(data) < 512 or data[:8] != SIGNATURE:
        raise CompoundFileError("not a compound file (bad signature)")
    (_, _, _, major, _, sector_shift, mini_shift, _, _, n_fat, dir_start, _, cutoff, minifat_start,
     n_minifat, difat_start, n_difat) = _HEADER.unpack_from(data, 0)
    sector = 1 << sector_shift
    mini = 1 << mini_shift

    def sector_bytes(sid: int) -> bytes:
        offset = (sid + 1) * sector  # the header fills sector "-1"
        if offset >= len(data):
            raise CompoundFileError("sector %d lies beyond the end of the file" % sid)
        return data[offset:offset + sector]

    # The DIFAT lists the FAT's own sectors: 109 in the header, more in DIFAT sectors.
    fat_sectors = list(struct.unpack_from("<109I", data, 76))
    sid = difat_start
    for _ in range(n_difat):
        if sid in (ENDOFCHAIN, FREESECT):
            break
        difat = struct.unpack("<%dI" % (sector // 4), sector_bytes(sid))
        fat_sectors += difat[:-1]  # the last entry links to the next DIFAT sector
        sid = difat[-1]
    fat: list[int] = []
    for sid in fat_sectors[:n_fat]:
        fat += struct.unpack("<%dI" % (sector // 4), sector_bytes(sid))

    def chain(start: int, table: list[int]) -> list[int]:
        sids, seen = [], set()
        while start not in (ENDOFCHAIN, FREESECT):
            if start in seen or start >= len(table):
                raise CompoundFileError("broken sector chain at %d" % start)
            seen.add(start)
            sids.append(start)
            start = table[start]
        return sids

    def big_stream(start: int) -> bytes:
        return b"".join(sector_bytes(s) for s in chain(start, fat))

    directory = big_stream(dir_start)
    entries = [_ENTRY.unpack_from(directory, at) for at in range(0, len(directory) - 127, DIR_ENTRY)]
    minifat_bytes = big_stream(minifat_start) if n_minifat else b""
    minifat = list(struct.unpack("<%dI" % (len(minifat_bytes) // 4), minifat_bytes))

    def start_and_size(entry) -> tuple[int, int]:
        # Version 3 writers may leave garbage in the high half of the size (MS-CFB 2.6.3).
        return entry[11], (entry[12] & 0xFFFFFFFF if major == 3 else entry[12])

    root = entries[0]
    root_start, root_size = start_and_size(root)
    mini_stream = big_stream(root_start)[:root_size] if root_size else b""

    def stream(entry) -> bytes:
        start, size = start_and_size(entry)
        if size < cutoff:
            parts = [mini_stream[s * mini:(s + 1) * mini] for s in chain(start, minifat)]
        else:
            parts = [sector_bytes(s) for s in chain(start, fat)]
        return b"".join(parts)[:size]

    streams: dict[str, bytes] = {}

    def walk(sid: int, prefix: str, depth: int) -> None:
        # In-order walk of one storage's sibling tree, then down into storages.
        if sid == NOSTREAM:
            return
        if sid >= len(entries) or depth > len(entries):
            raise CompoundFileError("broken directory tree at entry %d" % sid)
        entry = entries[sid]
        name = entry[0][:max(entry[1] - 2, 0)].decode("utf-16-le")
        walk(entry[4], prefix, depth + 1)
        if entry[2] == STREAM:
            streams[prefix + name] = stream(entry)
        elif entry[2] == STORAGE:
            walk(entry[6], prefix + name + "/", depth + 1)
        walk(entry[5], prefix, depth + 1)

    walk(root[6], "", 0)
    return streams


def find_stream(streams: dict[str, bytes], path: str) -> bytes:
    """The stream at ``path``; compound file names are case-insensitive (MS-CFB 2.6.1)."""
    if path in streams:
        return streams[path]
    wanted = path.upper()
    for key, value in streams.items():
        if key.upper() == wanted:
            return value
    raise KeyError(path)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Entry] = field(default_factory=dict)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def _tree(streams: dict[str, bytes]) -> _Entry:
    root = _Entry("Root Entry", ROOT)
    for path, data in streams.items():
        *storages, name = path.split("/")
        parent = root
        for storage in storages:
            node = parent.children.setdefault(storage.upper(), _Entry(storage, STORAGE))
            if node.kind != STORAGE:
                raise CompoundFileError("%r is both a stream and a storage" % storage)
            parent = node
        if name.upper() in parent.children:
            raise CompoundFileError("duplicate entry %r (names are case-insensitive)" % path)
        parent.children[name.upper()] = _Entry(name, STREAM, bytes(data))
    return root


def _link_siblings(siblings: list[_Entry], depth: int, red_depth: int) -> int:
    """Link sorted siblings as a balanced binary search tree; return the id of its root.

    Splitting at the middle keeps every leaf on the last two levels. Colouring the nodes of an
    incomplete last level red and all others black makes it a valid red-black tree (MS-CFB 2.6.4):
    every path from the root then passes the same number of black nodes, and red nodes only have
    empty children.
    """
    if not siblings:
        return NOSTREAM
    middle = len(siblings) // 2
    node = siblings[middle]
    node.left = _link_siblings(siblings[:middle], depth + 1, red_depth)
    node.right = _link_siblings(siblings[middle + 1:], depth + 1, red_depth)
    node.color = RED if depth == red_depth else BLACK
    return node.sid


def _number(root: _Entry) -> list[_Entry]:
    """Give every entry its directory index (root first) and link the sibling trees."""
    order: list[_Entry] = []

    def visit(entry: _Entry) -> None:
        entry.sid = len(order)
        order.append(entry)
        children = sorted(entry.children.values(), key=lambda e: name_key(e.name))
        for child in children:
            visit(child)
        if children:
            depth = len(children).bit_length() - 1  # depth of the last level
            complete = len(children) == 2 ** (depth + 1) - 1
            entry.child = _link_siblings(children, 0, -1 if complete or depth == 0 else depth)

    visit(root)
    return order


def _sectors(size: int, unit: int) -> int:
    return -(-size // unit)


def write_cfb(streams: dict[str, bytes]) -> bytes:
    """A version 3 compound file holding ``streams`` (paths like ``"VBA/dir"``).

    Raises:
        CompoundFileError: a name is longer than 31 characters, a path is both a stream and a
            storage, or the file would need more than 109 FAT sectors.
    """
    for path in streams:
        if any(not part or len(part) > 31 or set(part) & set("/\\:!") for part in path.split("/")):
            raise CompoundFileError("bad stream path %r (1-31 characters, none of /\\:!)" % path)
    root = _tree(streams)
    order = _number(root)

    # Small streams go to the mini stream, in 64-byte mini sectors with their own FAT.
    mini_stream = bytearray()
    minifat: list[int] = []
    big: list[_Entry] = []
    for entry in order:
        if entry.kind == STORAGE:
            entry.start = 0  # storages own no sectors; MS-CFB 2.6.3 wants 0 here
        if entry.kind != STREAM:
            continue
        entry.size = len(entry.data)
        if entry.size == 0:
            entry.start = ENDOFCHAIN
        elif entry.size < MINI_CUTOFF:
            count = _sectors(entry.size, MINI_SECTOR)
            entry.start = len(minifat)
            minifat += list(range(entry.start + 1, entry.start + count)) + [ENDOFCHAIN]
            mini_stream += entry.data.ljust(count * MINI_SECTOR, b"\0")
        else:
            big.append(entry)

    n_dir = _sectors(len(order) * DIR_ENTRY, SECTOR)
    n_minifat = _sectors(len(minifat) * 4, SECTOR)
    n_mini = _sectors(len(mini_stream), SECTOR)
    n_big = sum(_sectors(e.size, SECTOR) for e in big)
    # The FAT has to map its own sectors too.
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + n_dir + n_minifat + n_mini + n_big:
        n_fat += 1
    if n_fat > HEADER_DIFAT:
        raise CompoundFileError("the streams need %d FAT sectors; this writer stops at 109" % n_fat)

    fat: list[int] = [FATSECT] * n_fat

    def allocate(count: int) -> int:
        if not count:
            return ENDOFCHAIN
        start = len(fat)
        fat.extend(range(start + 1, start + count))
        fat.append(ENDOFCHAIN)
        return start

    dir_start = allocate(n_dir)
    minifat_start = allocate(n_minifat)
    root.start, root.size = allocate(n_mini), len(mini_stream)
    for entry in big:
        entry.start = allocate(_sectors(entry.size, SECTOR))
    fat += [FREESECT] * (n_fat * SECTOR // 4 - len(fat))

    directory = bytearray()
    for entry in order:
        name = entry.name.encode("utf-16-le") + b"\0\0"
        directory += _ENTRY.pack(name, len(name), entry.kind, entry.color, entry.left,
                                 entry.right, entry.child, b"\0" * 16, 0, 0, 0, entry.start,
                                 entry.size)
    unused = _ENTRY.pack(b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\0" * 16, 0, 0, 0, 0, 0)
    directory += unused * (n_dir * SECTOR // DIR_ENTRY - len(order))

    header = _HEADER.pack(SIGNATURE, b"\0" * 16, 0x003E, 0x0003, 0xFFFE, 9, 6, b"\0" * 6,
                          0, n_fat, dir_start, 0, MINI_CUTOFF, minifat_start, n_minifat,
                          ENDOFCHAIN, 0)
    header += struct.pack("<109I", *(list(range(n_fat)) + [FREESECT] * (HEADER_DIFAT - n_fat)))

    parts = [header, struct.pack("<%dI" % len(fat), *fat), bytes(directory),
             struct.pack("<%dI" % len(minifat), *minifat).ljust(n_minifat * SECTOR, b"\xff"),
             bytes(mini_stream).ljust(n_mini * SECTOR, b"\0")]
    parts += [e.data.ljust(_sectors(e.size, SECTOR) * SECTOR, b"\0") for e in big]
    return b"".join(parts)
