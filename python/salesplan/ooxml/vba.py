"""The VBA project part (``xl/vbaProject.bin``): its document modules kept in step with the sheets.

Excel pairs each sheet with the *document module* named by the sheet's code name
(``<sheetPr codeName="Sheet3">``) and the workbook with the one named by ``<workbookPr codeName>``.
When the program replaces its tabs in a user's ``.xlsm``, the project has to follow: a tab it adds
gets a new code name and a document module of that name, a tab it removes takes its module with it
(a module without a sheet is a phantom object in the VBA editor that no one can delete). Excel would
give a sheet without a code name one (and a module) when it opens the file, but a module without a
sheet stays.

How the project is edited (MS-OVBA): the compound file is read (:mod:`salesplan.build.cfb`); in the
``dir`` stream the records of each removed module are dropped, one MODULE record per new module is
appended and the module count is set; the ``PROJECT`` stream's ``Document=`` and ``[Workspace]``
lines and the ``PROJECTwm`` name map follow. Every other record, module stream and line is kept
byte for byte. The compiled state is dropped, since it describes the old set of modules:
``_VBA_PROJECT`` becomes the 7-byte header that tells Excel to compile from source (MS-OVBA 2.3.4.1,
what a writer is to write, and what every ``salesplan.xlsm`` holds), and the ``__SRP_*`` caches go.
Module streams keep their p-code in front of the source (MODULEOFFSET unchanged): Excel ignores it
under that header. The compound file is written anew by :func:`salesplan.build.cfb.write_cfb`.

What is left alone, byte for byte (:func:`editable` says why), in which case a new tab gets no code
name and Excel gives it one when it opens the file:

* a signed project (``vbaProjectSignature`` and friends): any change would break the signature and
  Excel would disable the macros;
* a project with anything but the ``VBA`` storage and the ``PROJECT``/``PROJECTwm``/``PROJECTlk``
  streams: UserForms live in storages whose class ids the writer does not keep;
* a project that does not read back as MS-OVBA says (then nothing is known well enough to change).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass

from ..build.cfb import find_stream, read_cfb, write_cfb
from ..build.ovba_compression import compress, decompress
from ..build.vba_dir import (
    DIR_TERMINATOR,
    MODULE_TERMINATOR,
    MODULENAME,
    MODULENAME_UNICODE,
    MODULESTREAMNAME,
    MODULETYPE_DOCUMENT,
    PROJECTCODEPAGE,
    PROJECTMODULES,
    ModuleEntry,
    _module_records,
    parse_records,
    read_dir,
    serialise_records,
)

__all__ = ["SOURCE_ONLY", "VbaProject", "edit_document_modules", "editable", "free_code_name", "read_project"]

RT_VBA_PROJECT = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
#: A signature of the project (MS-OVBA 2.3.2.* in a part of its own, three kinds since Office 2016).
SIGNATURE_TYPE = re.compile(r"/vbaProjectSignature(Agile|V3)?$")

#: ``_VBA_PROJECT`` with no performance cache: compile the modules from source (MS-OVBA 3.1.1).
SOURCE_ONLY = bytes.fromhex("CC61FFFF000100")

#: A worksheet's document module as Excel writes it (VB_Base: the Worksheet class).
WORKSHEET_MODULE = (
    'Attribute VB_Name = "{name}"\r\n'
    'Attribute VB_Base = "0{{00020820-0000-0000-C000-000000000046}}"\r\n'
    "Attribute VB_GlobalNameSpace = False\r\n"
    "Attribute VB_Creatable = False\r\n"
    "Attribute VB_PredeclaredId = True\r\n"
    "Attribute VB_Exposed = True\r\n"
    "Attribute VB_TemplateDerived = False\r\n"
    "Attribute VB_Customizable = True\r\n")

_PLAIN_STREAMS = {"PROJECT", "PROJECTWM", "PROJECTLK"}
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}\Z")


@dataclass(frozen=True)
class VbaProject:
    """What the edit needs to know of a project: every module's name and which are documents."""

    modules: tuple[str, ...]     # every module, in the dir stream's order
    documents: tuple[str, ...]   # the document modules (``Document=`` in the PROJECT stream)


def editable(data: bytes, signed: bool) -> str | None:
    """Why the project ``data`` is to be left as it is, or None when :func:`edit_document_modules`
    may change it. ``signed``: the package holds a signature of it."""
    if signed:
        return "signed"
    try:
        streams = read_cfb(data)
        read_project(data)
    except (ValueError, KeyError, IndexError, struct.error, UnicodeError) as exc:
        return f"unreadable ({exc})"
    others = [p for p in streams if not p.upper().startswith("VBA/") and p.upper() not in _PLAIN_STREAMS]
    if others:
        return f"holds more than code ({others[0]})"
    return None


def read_project(data: bytes) -> VbaProject:
    """The modules of the ``vbaProject.bin`` ``data``.

    Raises:
        ValueError (CompoundFileError), KeyError: not a VBA project as MS-OVBA describes it.
    """
    streams = read_cfb(data)
    dir_stream = read_dir(decompress(find_stream(streams, "VBA/dir")))
    project = find_stream(streams, "PROJECT").decode(dir_stream.codepage, "surrogateescape")
    documents = tuple(m.group(1) for m in re.finditer(r"^Document=([^/\r\n]+)/", project, re.MULTILINE))
    names = tuple(_module_names(decompress(find_stream(streams, "VBA/dir"))))
    return VbaProject(names, documents)


def free_code_name(taken: Iterable[str], start: int = 1) -> str:
    """The first ``Sheet<n>`` not in ``taken`` (compared case-blind, as VBA compares names)."""
    used = {t.casefold() for t in taken}
    n = start
    while f"sheet{n}" in used:
        n += 1
    return f"Sheet{n}"


def edit_document_modules(data: bytes, remove: Iterable[str], add: Iterable[str]) -> bytes:
    """The project ``data`` without the document modules ``remove`` and with a worksheet document
    module for each name of ``add`` (ASCII identifiers, new to the project), compiled state dropped.

    Raises:
        ValueError: a name to add is not a VBA identifier or is a module already; a name to remove
            is not a document module of the project.
    """
    streams = read_cfb(data)
    dir_data = decompress(find_stream(streams, "VBA/dir"))
    records = parse_records(dir_data)
    codepage = next(d for i, d in records if i == PROJECTCODEPAGE)
    encoding = "cp%d" % int.from_bytes(codepage, "little")
    project = read_project(data)
    gone = {n.casefold() for n in remove}
    documents = {d.casefold() for d in project.documents}
    if stray := gone - documents:
        raise ValueError(f"not a document module of the project: {sorted(stray)}")
    new = list(add)
    existing = {m.casefold() for m in project.modules}
    for name in new:
        if not _IDENTIFIER.match(name) or name.casefold() in existing:
            raise ValueError(f"cannot add the document module {name!r}")
        existing.add(name.casefold())

    # dir: the project's records, then the modules but the removed ones, then the new ones.
    at = next(n for n, (i, _) in enumerate(records) if i == PROJECTMODULES)
    head, body = records[:at], records[at + 2:]  # PROJECTMODULES and PROJECTCOOKIE are rewritten
    cookie = records[at + 1]
    modules: list[list[tuple[int, bytes]]] = []
    current: list[tuple[int, bytes]] = []
    for record in body:
        if record[0] == DIR_TERMINATOR:
            break
        current.append(record)
        if record[0] == MODULE_TERMINATOR:
            modules.append(current)
            current = []
    kept, dropped_streams = [], set()
    for module in modules:
        if _name_of(module, encoding).casefold() in gone and any(i == MODULETYPE_DOCUMENT for i, _ in module):
            dropped_streams.add(_field(module, MODULESTREAMNAME).decode(encoding, "surrogateescape").upper())
        else:
            kept.append(module)
    taken_streams = {p.split("/", 1)[1].upper() for p in streams if p.upper().startswith("VBA/")} - dropped_streams
    added = []
    for name in new:
        stream = name
        while stream.upper() in taken_streams:
            stream += "_"
        taken_streams.add(stream.upper())
        added.append((name, stream))
        kept.append(_module_records(ModuleEntry(name, stream, 0, procedural=False), encoding))
    out_records = [*head, (PROJECTMODULES, struct.pack("<H", len(kept))), cookie]
    for module in kept:
        out_records += module
    out_records.append((DIR_TERMINATOR, b""))

    out: dict[str, bytes] = {}
    for path, value in streams.items():
        upper = path.upper()
        if upper.startswith("VBA/"):
            name = upper[4:]
            if name in dropped_streams or name.startswith("__SRP_"):
                continue
            if name == "_VBA_PROJECT":
                value = SOURCE_ONLY
            elif name == "DIR":
                value = compress(serialise_records(out_records), allow_raw=False)
        elif upper == "PROJECT":
            value = _project_stream(value, encoding, gone, [n for n, _ in added])
        elif upper == "PROJECTWM":
            value = _name_map(value, encoding, gone, [n for n, _ in added])
        out[path] = value
    for name, stream in added:
        out["VBA/" + stream] = compress(WORKSHEET_MODULE.format(name=name).encode(encoding), allow_raw=False)
    result = write_cfb(out)
    check = read_project(result)  # what was written reads back as meant
    if {m.casefold() for m in check.modules} != existing - gone:
        raise ValueError("the edited VBA project does not read back with the intended modules")
    return result


def _field(module: list[tuple[int, bytes]], record_id: int) -> bytes:
    return next(d for i, d in module if i == record_id)


def _name_of(module: list[tuple[int, bytes]], encoding: str) -> str:
    unicode = next((d for i, d in module if i == MODULENAME_UNICODE), None)
    if unicode is not None:
        return unicode.decode("utf-16-le", "surrogatepass")
    return _field(module, MODULENAME).decode(encoding, "surrogateescape")


def _module_names(dir_data: bytes) -> list[str]:
    records = parse_records(dir_data)
    codepage = next(d for i, d in records if i == PROJECTCODEPAGE)
    encoding = "cp%d" % int.from_bytes(codepage, "little")
    names, current = [], []
    at = next(n for n, (i, _) in enumerate(records) if i == PROJECTMODULES)
    for record in records[at + 1:]:
        current.append(record)
        if record[0] == MODULE_TERMINATOR:
            names.append(_name_of(current, encoding))
            current = []
    return names


def _project_stream(data: bytes, encoding: str, gone: set[str], added: list[str]) -> bytes:
    """The PROJECT stream (MS-OVBA 2.3.1) without the removed modules' lines, with the new ones'.

    A ``Document=`` line per new module after the last module line, a closed window per new module
    in ``[Workspace]``; every other line as it was."""
    text = data.decode(encoding, "surrogateescape")
    lines = text.split("\r\n")
    out: list[str] = []
    section = ""
    last_module = None
    for line in lines:
        if line.startswith("[") and line.rstrip().endswith("]"):
            section = line.strip()
        module = re.match(r"(Document|Module|Class|BaseClass)=([^/\r\n]*)", line) if not section else None
        if module and module.group(1) == "Document" and module.group(2).casefold() in gone:
            continue
        if section == "[Workspace]" and line.split("=", 1)[0].casefold() in gone:
            continue
        out.append(line)
        if module:
            last_module = len(out)
    if last_module is None:  # no module line at all: after the ID line, or first
        last_module = next((n + 1 for n, line in enumerate(out) if line.startswith("ID=")), 0)
    out[last_module:last_module] = [f"Document={name}/&H00000000" for name in added]
    if "[Workspace]" in out:
        end = out.index("[Workspace]") + 1
        while end < len(out) and out[end] and not out[end].startswith("["):
            end += 1
        out[end:end] = [f"{name}=0, 0, 0, 0, C" for name in added]
    return "\r\n".join(out).encode(encoding, "surrogateescape")


def _name_map(data: bytes, encoding: str, gone: set[str], added: list[str]) -> bytes:
    """The PROJECTwm stream (MS-OVBA 2.3.3): each module's name in the code page, then in UTF-16,
    to a final 0x0000; the removed modules' pairs out, the new ones' in."""
    pairs: list[tuple[bytes, bytes]] = []
    at = 0
    while at < len(data) - 1 and data[at:at + 2] != b"\0\0":
        end = data.index(b"\0", at)
        mbcs = data[at:end]
        at = end + 1
        wide_end = at
        while data[wide_end:wide_end + 2] != b"\0\0":
            wide_end += 2
        pairs.append((mbcs, data[at:wide_end]))
        at = wide_end + 2
    pairs = [(m, w) for m, w in pairs if w.decode("utf-16-le", "surrogatepass").casefold() not in gone]
    pairs += [(n.encode(encoding), n.encode("utf-16-le")) for n in added]
    return b"".join(m + b"\0" + w + b"\0\0" for m, w in pairs) + b"\0\0"
