"""The VBA ``dir`` stream (MS-OVBA 2.3.4.2): the project's records, its references and its modules.

Once decompressed, the stream is a flat list of records, each ``Id`` (2 bytes), ``Size`` (4 bytes)
and ``Size`` bytes of data, in three groups and a terminator::

    PROJECTINFORMATION   SYSKIND, LCID, CODEPAGE, NAME, DOCSTRING, ..., VERSION, CONSTANTS
    PROJECTREFERENCES    REFERENCENAME, REFERENCECONTROL / REGISTERED / PROJECT ...
    PROJECTMODULES       count, cookie, then per module: MODULENAME ... MODULE terminator (0x2B)
    0x0010, 0            end of the stream

One record breaks the pattern: PROJECTVERSION (0x09) writes 4 in its Size field and then carries
6 bytes. Every nested part of a reference is itself shaped like a record, so the first two groups
can be read and written back byte for byte without understanding them; only modules are rebuilt.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

PROJECTCODEPAGE = 0x0003
PROJECTVERSION = 0x0009
PROJECTMODULES = 0x000F
DIR_TERMINATOR = 0x0010
PROJECTCOOKIE = 0x0013
MODULENAME = 0x0019
MODULESTREAMNAME = 0x001A
MODULEDOCSTRING = 0x001C
MODULEHELPCONTEXT = 0x001E
MODULETYPE_PROCEDURAL = 0x0021
MODULETYPE_DOCUMENT = 0x0022  # document and class modules alike
MODULE_TERMINATOR = 0x002B
MODULECOOKIE = 0x002C
MODULEOFFSET = 0x0031
MODULESTREAMNAME_UNICODE = 0x0032
MODULENAME_UNICODE = 0x0047
MODULEDOCSTRING_UNICODE = 0x0048

# "MUST be ignored on read. MUST be 0xFFFF on write." (2.3.4.2.3.1, 2.3.4.2.3.2.7)
COOKIE_ON_WRITE = b"\xff\xff"

Record = tuple[int, bytes]


@dataclass(frozen=True)
class ModuleEntry:
    """What the ``dir`` stream says about one module.

    ``offset`` is where the compressed source starts in the module's stream: anything before it is
    the performance cache (compiled p-code), which only the VBA version that wrote it may use.
    ``procedural`` is True for standard modules, False for document and class modules.
    """

    name: str
    stream: str
    offset: int
    procedural: bool
    docstring: str = ""


@dataclass(frozen=True)
class DirStream:
    """A decoded ``dir`` stream: the project-level records kept as read, and the modules."""

    project_records: tuple[Record, ...]
    codepage: str
    modules: tuple[ModuleEntry, ...]


def parse_records(data: bytes) -> list[Record]:
    """Split a decompressed ``dir`` stream into ``(id, data)`` records, up to its terminator."""
    records: list[Record] = []
    at = 0
    while at + 6 <= len(data):
        record_id, size = struct.unpack_from("<HI", data, at)
        at += 6
        if record_id == PROJECTVERSION:
            size = 6  # its Size field holds the constant 4, the data is 6 bytes
        records.append((record_id, data[at:at + size]))
        at += size
        if record_id == DIR_TERMINATOR:
            return records
    raise ValueError("dir stream ends without its terminator record (0x0010)")


def serialise_records(records: list[Record] | tuple[Record, ...]) -> bytes:
    """The inverse of :func:`parse_records`."""
    out = bytearray()
    for record_id, data in records:
        size = 4 if record_id == PROJECTVERSION else len(data)
        out += struct.pack("<HI", record_id, size) + data
    return bytes(out)


def read_dir(data: bytes) -> DirStream:
    """Decode a decompressed ``dir`` stream.

    Raises:
        ValueError: the stream has no CODEPAGE or MODULES record, or a module lacks its name,
            stream name or offset.
    """
    records = parse_records(data)
    try:
        codepage = next(d for i, d in records if i == PROJECTCODEPAGE)
        modules_at = next(n for n, (i, _) in enumerate(records) if i == PROJECTMODULES)
    except StopIteration:
        raise ValueError("dir stream has no CODEPAGE or MODULES record") from None
    encoding = "cp%d" % int.from_bytes(codepage, "little")
    modules: list[ModuleEntry] = []
    fields: dict[int, bytes] = {}
    for record_id, value in records[modules_at + 1:]:
        if record_id == MODULENAME:
            fields = {}
        fields.setdefault(record_id, value)
        if record_id == MODULE_TERMINATOR:
            if not {MODULENAME, MODULESTREAMNAME, MODULEOFFSET} <= fields.keys():
                raise ValueError("a module record lacks its name, stream name or offset")
            modules.append(ModuleEntry(
                name=fields[MODULENAME].decode(encoding),
                stream=fields[MODULESTREAMNAME].decode(encoding),
                offset=int.from_bytes(fields[MODULEOFFSET], "little"),
                procedural=MODULETYPE_PROCEDURAL in fields,
                docstring=fields.get(MODULEDOCSTRING, b"").decode(encoding)))
    return DirStream(tuple(records[:modules_at]), encoding, tuple(modules))


def _module_records(module: ModuleEntry, encoding: str) -> list[Record]:
    """The MODULE record (2.3.4.2.3.2) of a module written source-only."""

    def text(value: str) -> bytes:
        return value.encode(encoding)

    def unicode(value: str) -> bytes:
        return value.encode("utf-16-le")

    return [
        (MODULENAME, text(module.name)),
        (MODULENAME_UNICODE, unicode(module.name)),
        (MODULESTREAMNAME, text(module.stream)),
        (MODULESTREAMNAME_UNICODE, unicode(module.stream)),
        (MODULEDOCSTRING, text(module.docstring)),
        (MODULEDOCSTRING_UNICODE, unicode(module.docstring)),
        (MODULEOFFSET, struct.pack("<I", module.offset)),
        (MODULEHELPCONTEXT, struct.pack("<I", 0)),
        (MODULECOOKIE, COOKIE_ON_WRITE),
        (MODULETYPE_PROCEDURAL if module.procedural else MODULETYPE_DOCUMENT, b""),
        (MODULE_TERMINATOR, b""),
    ]


def write_dir(dir_stream: DirStream) -> bytes:
    """Serialise a ``dir`` stream (still to be compressed): project records, then the modules."""
    records = list(dir_stream.project_records)
    records.append((PROJECTMODULES, struct.pack("<H", len(dir_stream.modules))))
    records.append((PROJECTCOOKIE, COOKIE_ON_WRITE))
    for module in dir_stream.modules:
        records += _module_records(module, dir_stream.codepage)
    records.append((DIR_TERMINATOR, b""))
    return serialise_records(records)
