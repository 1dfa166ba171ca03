"""A quick look into a package: its sheets' names and parts, and the first rows of one sheet as a
small package of their own, for a reader that wants a sheet's header and not the million rows
under it.

This is the head start of reading a big Sales tab, so it reads with ElementTree and imports nothing
of the rest of :mod:`salesplan.ooxml` (the splice's :class:`~salesplan.ooxml.package.Package`,
its dataclasses and text helpers): it reads the package relationships and the workbook's
relationships (ECMA-376 Part 2, §9.3), the workbook part's ``<sheets>`` (Part 1, §18.2) and the
beginning of a worksheet part (Part 1, §18.3).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import IO, cast

__all__ = ["ROOT_TAG", "ROW_NUMBER", "ROW_TAG", "cut_sheet", "relationship_ids", "relationships",
           "sheet_head", "sheet_marks", "sheet_names", "sheet_parts", "value_parts", "with_own_strings"]

_NS_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_NS_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
#: Workbook-level parts a reader needs to give a sheet's values (strings, number formats).
_VALUE_PARTS = ("/sharedStrings", "/styles", "/theme")
#: A namespace prefix, if any, of an element's name.
_NAME = rb"(?:[A-Za-z_][\w.-]*:)?"


def sheet_names(path: Path) -> list[str]:
    """The sheet names of the package at `path`, in order, from its workbook part alone."""
    with zipfile.ZipFile(path) as package:
        return list(sheet_parts(package)[1])


def sheet_marks(path: Path) -> dict[str, str]:
    """Sheet name -> the name the program wrote it under, for each sheet of the package at `path`
    that carries the program's mark (see :mod:`salesplan.ooxml.marks`); none if `path` is not a
    package laid out as expected (its reader has said why by the time tabs are written)."""
    from .marks import MARK_NAME, mark_value

    try:
        with zipfile.ZipFile(path) as package:
            workbook, _ = sheet_parts(package)
            root = ET.fromstring(package.read(workbook))
    except (OSError, zipfile.BadZipFile, ET.ParseError, KeyError, StopIteration):
        return {}
    sheets = [cast(str, e.get("name")) for e in root.iter() if e.tag.endswith("}sheet")]
    marks: dict[str, str] = {}
    for element in root.iter():
        local = element.get("localSheetId")
        if element.tag.endswith("}definedName") and element.get("name") == MARK_NAME and local is not None:
            recorded = mark_value(element.text)
            if local.isdigit() and int(local) < len(sheets) and recorded is not None:
                marks[sheets[int(local)]] = recorded
    return marks


def sheet_parts(package: zipfile.ZipFile) -> tuple[str, dict[str, str]]:
    """The workbook part and, per sheet name, its worksheet part."""
    workbook = next(t for t, kind in relationships(package, "") if kind.endswith("/officeDocument"))
    targets = {rid: t for rid, (t, _) in relationship_ids(package, workbook).items()}
    root = ET.fromstring(package.read(workbook))
    parts = {}
    for element in root.iter():
        if element.tag.endswith("}sheet") and element.get(_NS_R + "id") in targets:
            # name is required by the schema; a sheet without one is taken as it comes, as ever
            parts[cast(str, element.get("name"))] = targets[element.get(_NS_R + "id")]
    return workbook, parts


def value_parts(package: zipfile.ZipFile, workbook: str) -> list[tuple[str, bytes]]:
    """The parts a package of one sheet needs beside the sheet for a reader to give its values:
    the package's and the workbook's relationships, the workbook part, shared strings, styles."""
    names = ["[Content_Types].xml", "_rels/.rels", workbook, _rels_of(workbook)]
    names += [target for target, kind in relationships(package, workbook)
              if kind.endswith(_VALUE_PARTS) and target in package.NameToInfo]
    return [(name, package.read(name)) for name in names]


#: Any element marked a shared string: as many as the cells read with _STRING_VALUE, or the
#: rows hold one written another way.
_STRING_MARK = re.compile(rb"\st\s*=\s*[\"']s[\"']")
#: A cell holding a shared string, and its string's number (group 2).
_STRING_VALUE = re.compile(rb"(<" + _NAME + rb"c(?=\s)[^>]*?\st\s*=\s*[\"']s[\"'][^>]*><" + _NAME + rb"v>)"
                           rb"(\d{1,9})(?=</)")
_SST_ROOT = re.compile(rb"<(" + _NAME + rb")sst(?=[\s>])[^>]*>")
_COUNTS = re.compile(rb"\s(?:count|uniqueCount)\s*=\s*[\"']\d*[\"']")


def with_own_strings(sheet_xml: bytes, strings: bytes) -> tuple[bytes, bytes] | None:
    """``sheet_xml`` (a few rows) and a shared strings part of only the strings its cells use,
    numbered anew: a reader parses the whole table when it opens a package, and the first rows of
    a big ledger name a few hundred of its hundreds of thousands of strings. None when a string
    cell or the table is written in a way not read here (then the whole table goes with them)."""
    if len(_STRING_VALUE.findall(sheet_xml)) != len(_STRING_MARK.findall(sheet_xml)):
        return None
    root = _SST_ROOT.search(strings)
    if root is None or root.group(1) or re.search(rb"<si\s*/>|<!\[CDATA\[", strings):
        return None  # a prefixed or empty item, or "</si>" as text, would be split wrongly below
    items = strings[root.end():].split(b"</si>")  # item k, without its end tag; then </sst>
    renumbered: dict[int, int] = {}

    def renumber(match: re.Match[bytes]) -> bytes:
        old = int(match.group(2))
        new = renumbered.setdefault(old, len(renumbered))
        return match.group(1) + str(new).encode()

    sheet_xml = _STRING_VALUE.sub(renumber, sheet_xml)
    if any(old >= len(items) - 1 for old in renumbered):
        return None
    kept = b"".join(items[old] + b"</si>" for old in renumbered)
    return sheet_xml, strings[:root.start()] + _COUNTS.sub(b"", root.group(0)) + kept + b"</sst>"


def _rels_of(part: str) -> str:
    """The relationships part of `part` ('' = the package), as ooxml.relationships.rels_name."""
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def relationship_ids(package: zipfile.ZipFile, source: str) -> dict[str | None, tuple[str, str]]:
    """Relationship id -> (target part, type) of ``source`` ('' = the package)."""
    root = ET.fromstring(package.read(_rels_of(source) if source else "_rels/.rels"))
    folder = PurePosixPath(source).parent
    out = {}
    for rel in root.iter(_NS_REL + "Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        resolved = target.lstrip("/") if target.startswith("/") else str(folder / target)
        out[rel.get("Id")] = (_normalise_part(resolved), rel.get("Type", ""))
    return out


def relationships(package: zipfile.ZipFile, source: str) -> list[tuple[str, str]]:
    """(target part, type) of each internal relationship of ``source`` ('' = the package)."""
    return list(relationship_ids(package, source).values())


def _normalise_part(name: str) -> str:
    parts: list[str] = []
    for piece in name.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def sheet_head(path: Path, sheet: str, count: int,
               check: Callable[[bytes], None] | None = None) -> io.BytesIO | None:
    """An in-memory package (stored, not deflated) of the workbook at `path` holding only sheet
    `sheet` cut after row `count`, and the parts its values need; None if it has no such sheet
    or the sheet cannot be cut. `check`, if given, is called with the cut sheet's XML before
    the package is made (it raises to refuse it). Any other surprise in the package raises (the
    caller reads the whole sheet instead)."""
    with zipfile.ZipFile(path) as package:
        workbook, parts = sheet_parts(package)
        part = parts.get(sheet)
        if part is None:
            return None
        with package.open(part) as stream:
            cut = cut_sheet(stream, count)
        if cut is None:
            return None
        if check is not None:
            check(cut)
        values = value_parts(package, workbook)
        tables = {t for t, kind in relationships(package, workbook) if kind.endswith("/sharedStrings")}
        for i, (name, data) in enumerate(values):
            if name in tables and (own := with_own_strings(cut, data)) is not None:
                cut, values[i] = own[0], (name, own[1])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as copy:
            for name, data in values:
                copy.writestr(name, data)
            copy.writestr(part, cut)
    buffer.seek(0)
    return buffer


ROW_TAG = re.compile(rb"<(" + _NAME + rb")row(?=[\s>/])[^>]*>")
ROW_NUMBER = re.compile(rb"\sr\s*=\s*[\"'](\d+)[\"']")
_SHEET_DATA_END = re.compile(rb"</" + _NAME + rb"sheetData\s*>|<" + _NAME + rb"sheetData\s*/>")
ROOT_TAG = re.compile(rb"<(" + _NAME + rb")worksheet(?=[\s>])")


#: Bytes read from the stream at a time, and how many of the last ones are searched again with the
#: next chunk (a tag that straddles the two).
_CHUNK = 1 << 16
_OVERLAP = 4096


def cut_sheet(stream: IO[bytes], count: int) -> bytes | None:
    """The worksheet XML read from ``stream`` with only the rows up to sheet row ``count``
    (decompressing no more of it than that takes); None if the cut finds no <worksheet> root.

    Linear in what it reads: each chunk is searched once with the last few bytes of the one
    before, and the chunks are joined once at the end, however much comes before the first row
    (64 MiB of spaces once took 40 s here: every chunk was added to one growing bytes object)."""
    pieces: list[bytes] = []
    carry = b""  # the end of the bytes searched so far, searched again with the next chunk
    start = 0  # where ``carry`` begins in the whole
    root: bytes | None = None  # the root element's namespace prefix, once found
    number = 0
    while True:
        chunk = stream.read(_CHUNK)
        pieces.append(chunk)
        data = carry + chunk
        if root is None and (found_root := ROOT_TAG.search(data)) is not None:
            root = found_root.group(1)
        searched = 0
        for match in ROW_TAG.finditer(data):
            found = ROW_NUMBER.search(match.group(0))
            number = int(found.group(1)) if found else number + 1
            if number > count:
                if root is None:
                    return None
                return (b"".join(pieces)[:start + match.start()] + b"</" + match.group(1) + b"sheetData></"
                        + root + b"worksheet>")
            searched = match.end()
        if _SHEET_DATA_END.search(data, searched) or not chunk:
            return b"".join(pieces) + stream.read()
        keep = max(searched, len(data) - _OVERLAP)
        carry = data[keep:]
        start += keep
