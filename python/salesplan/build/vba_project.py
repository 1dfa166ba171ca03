"""Assemble ``salesplan.xlsm``'s VBA project (``xl/vbaProject.bin``) from text, on any platform.

The project is xlwings' *standalone* one, so Excel needs no xlwings add-in, with our own macros
added::

    ThisWorkbook          document module   from xlwings' quickstart_standalone.xlsm
    Sheet1 ... SheetN     document modules  one per worksheet code name the caller passes
    xlwings               standard module   the installed xlwings.bas (RunPython and friends)
    Dictionary            class module      from the template; xlwings.bas needs it on macOS
    SalesPlan, ...        standard modules  salesplan/vba/*.bas, or whatever the caller passes

Everything is written *source-only*, the form MS-OVBA asks writers to use: ``_VBA_PROJECT`` is its
7-byte header with version 0xFFFF and no performance cache (2.3.4.1), every module stream is just
the compressed source (MODULEOFFSET 0, no p-code, 2.3.4.3), and Excel compiles the modules from
source when it opens the file. xlwings' template is written the same way where it matters (version
0xFFFF, no cache, and its xlwings module has no p-code), and Excel opens every workbook
``xlwings quickstart --standalone`` copies from it.

The project-level records (name, code page 1252, LCID, references to MSForms and Office, the
``PROJECT`` stream's ID and protection fields) are copied from the template untouched, so the
project is, to Excel, the one xlwings ships with different modules. The ``PROJECT`` stream's module
lines and ``[Workspace]`` section and the ``PROJECTwm`` stream are regenerated from the modules.

Sheet code names
----------------
Excel pairs each worksheet with the document module named by the ``codeName`` in the sheet's XML
(XlsxWriter: ``worksheet.set_vba_name``; by default ``Sheet1``, ``Sheet2``... in tab order) and the
workbook with ``ThisWorkbook`` (``workbook.set_vba_name``). MS-OVBA itself requires no document
module at all, and nothing in our macros refers to a sheet by code name, so a project with only
``ThisWorkbook`` would also be valid. We still declare one document module per worksheet because
that is what Excel writes on every save and what xlwings' template does (``Sheet1`` and ``Sheet2``
for its two sheets): a project that matches its workbook leaves Excel nothing to repair or add.
:func:`attach_vba_project` keeps the two in step for an XlsxWriter workbook; a caller of
:func:`build_vba_project` passes the same code names it gives ``set_vba_name``.

VBA source is stored in the project's code page (1252) and Excel shows it through the system code
page, so module source must be ASCII. Russian text belongs on the sheets; button captions live in
the sheet's drawing, not in VBA, so they may be Russian.
"""

from __future__ import annotations

import functools
import importlib.resources
import importlib.util
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import IncompressibleError, VbaProjectError
from ..ooxml.package import read_entry
from .cfb import find_stream, read_cfb, write_cfb
from .ovba_compression import compress, decompress
from .vba_dir import DirStream, ModuleEntry, read_dir, write_dir

THIS_WORKBOOK = "ThisWorkbook"
XLWINGS = "xlwings"
DICTIONARY = "Dictionary"
TEMPLATE = "quickstart_standalone.xlsm"
TEMPLATE_SHEET = "Sheet1"  # the template's worksheet module, the model for ours

# Reserved1 0x61CC, Version 0xFFFF, Reserved2 0x00, Reserved3 0x0001: MS-OVBA 3.1.1's example of
# what a writer puts in _VBA_PROJECT, with no performance cache after it.
VBA_PROJECT_SOURCE_ONLY = bytes.fromhex("CC61FFFF000100")

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}\Z")
_VB_NAME = re.compile(r'Attribute VB_Name = "([^"]*)"')
_MODULE_LINE = re.compile(r"(Document|Module|Class|BaseClass|Package)=")


@dataclass(frozen=True)
class _Module:
    name: str
    kind: str  # "Document", "Module" or "Class": its keyword in the PROJECT stream
    source: str  # CRLF line ends, ASCII
    docstring: str = ""


@dataclass(frozen=True)
class _Template:
    project_text: str  # the PROJECT stream
    dir_stream: DirStream
    this_workbook: _Module
    sheet_source: str
    dictionary: _Module


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------

def build_vba_project(modules: Mapping[str, str], *, sheets: Iterable[str] = (),
                      xlwings_bas: str | None = None) -> bytes:
    """A source-only ``vbaProject.bin`` holding xlwings' standalone project plus ``modules``.

    Args:
        modules: standard modules, name -> VBA source. The source may start with
            ``Attribute VB_Name = "<name>"`` (as a ``.bas`` export does) or not; any line ends.
            ASCII only.
        sheets: the workbook's worksheet code names in tab order (``Sheet1``, ``Sheet2``...): one
            document module is declared for each, next to ``ThisWorkbook``.
        xlwings_bas: a stand-in for xlwings' VBA side. By default the project holds the
            installed ``xlwings.bas`` and the template's ``Dictionary`` class it uses on macOS;
            a source given here replaces both. Tests pass a stub ``RunPython`` that LibreOffice
            can run (it compiles neither of the real ones, and one module that fails to compile
            silences the whole project there).

    Returns:
        The bytes of an OLE compound file, for ``workbook.add_vba_project(..., is_stream=True)``.

    Raises:
        VbaProjectError: a name is not a VBA identifier or is used twice (case-insensitively, as
            VBA compares them), a ``VB_Name`` line names another module, or a source is not ASCII.
    """
    template = _template()
    sheet_names = list(sheets)
    if xlwings_bas is None:
        xlwings = [_Module(XLWINGS, "Module", _vba_text(XLWINGS, _installed_xlwings_bas())),
                   template.dictionary]
    else:
        xlwings = [_Module(XLWINGS, "Module", _vba_text(XLWINGS, xlwings_bas))]
    _check_names([THIS_WORKBOOK, *sheet_names, *(m.name for m in xlwings), *modules])

    project = [template.this_workbook]
    project += [_Module(name, "Document", _rename(template.sheet_source, TEMPLATE_SHEET, name))
                for name in sheet_names]
    project += xlwings
    project += [_Module(name, "Module", _vba_text(name, source))
                for name, source in modules.items()]
    return _write_project(template, project)


def read_vba_modules(vba_project_bin: bytes) -> dict[str, str]:
    """Every module's source in a ``vbaProject.bin``, name -> text, in the project's order.

    The text is what the project stores (VBA writes CRLF line ends), ``Attribute`` lines included;
    any p-code in front of it is skipped.

    Raises:
        ValueError: the bytes are not a VBA project (see :mod:`.cfb`, :mod:`.vba_dir`).
    """
    streams = read_cfb(vba_project_bin)
    dir_stream = read_dir(decompress(find_stream(streams, "VBA/dir")))
    sources = {}
    for module in dir_stream.modules:
        data = find_stream(streams, "VBA/" + module.stream)[module.offset:]
        # A raw last chunk is zero-padded to 4096 bytes by the format; source has no NULs.
        sources[module.name] = decompress(data).rstrip(b"\0").decode(dir_stream.codepage)
    return sources


def default_modules() -> dict[str, str]:
    """The project's own standard modules: ``salesplan/vba/*.bas``, name -> source, by file name.

    Each module is named by its ``Attribute VB_Name`` line, as VBA's import names it.

    Raises:
        VbaProjectError: a file lacks the ``VB_Name`` line or is not ASCII.
    """
    folder = importlib.resources.files("salesplan").joinpath("vba")
    modules = {}
    for item in sorted(folder.iterdir(), key=lambda f: f.name):
        if not item.name.lower().endswith(".bas"):
            continue
        source = _ascii(item.name, item.read_bytes().decode("latin-1"))
        match = _VB_NAME.match(source)
        if match is None:
            raise VbaProjectError("%s does not start with Attribute VB_Name = \"...\"" % item.name)
        modules[match.group(1)] = source
    return modules


def attach_vba_project(workbook, modules: Mapping[str, str] | None = None, *,
                       xlwings_bas: str | None = None) -> bytes:
    """Build the VBA project for an XlsxWriter ``workbook`` and add it, code names in step.

    Call it after the last ``add_worksheet`` and before ``close``. Worksheets without a code name
    get XlsxWriter's default (``Sheet<n>`` by tab position), the workbook gets ``ThisWorkbook``,
    and the project declares exactly those document modules.

    Args:
        workbook: an ``xlsxwriter.Workbook`` whose file name ends in ``.xlsm``.
        modules: standard modules as for :func:`build_vba_project`; default
            :func:`default_modules`.
        xlwings_bas: as for :func:`build_vba_project`.

    Returns:
        The ``vbaProject.bin`` bytes added to the workbook.

    Raises:
        VbaProjectError: the workbook has a chartsheet (its module would need another base
            class) or its code name is not ``ThisWorkbook``.
    """
    if workbook.vba_codename not in (None, THIS_WORKBOOK):
        raise VbaProjectError("the workbook's code name must be %s, not %r"
                              % (THIS_WORKBOOK, workbook.vba_codename))
    workbook.set_vba_name(THIS_WORKBOOK)
    sheets = []
    for sheet in workbook.worksheets():
        if getattr(sheet, "is_chartsheet", False):
            raise VbaProjectError("chartsheet %r is not supported in a macro workbook" % sheet.name)
        if sheet.vba_codename is None:
            sheet.set_vba_name()
        sheets.append(sheet.vba_codename)
    data = build_vba_project(default_modules() if modules is None else modules, sheets=sheets,
                             xlwings_bas=xlwings_bas)
    workbook.add_vba_project(io.BytesIO(data), is_stream=True)
    return data


# ---------------------------------------------------------------------------------------------
# The template and the installed xlwings module
# ---------------------------------------------------------------------------------------------

def _xlwings_folder() -> Path:
    # find_spec locates the package without importing it (xlwings pulls in numpy and pandas).
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise VbaProjectError("xlwings is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def _installed_xlwings_bas() -> str:
    path = _xlwings_folder() / "xlwings.bas"
    return _ascii(str(path), path.read_bytes().decode("latin-1"))


@functools.lru_cache(maxsize=1)
def _template() -> _Template:
    streams = read_cfb(read_entry(_xlwings_folder() / TEMPLATE, "xl/vbaProject.bin"))
    dir_stream = read_dir(decompress(find_stream(streams, "VBA/dir")))
    encoding = dir_stream.codepage
    project_text = find_stream(streams, "PROJECT").decode(encoding)
    kinds = {}  # module name -> Document / Module / Class, from the PROJECT stream's lines
    for line in project_text.splitlines():
        match = re.match(r"(Document|Module|Class)=([^/]+)", line)
        if match:
            kinds[match.group(2)] = match.group(1)

    def module(name: str) -> _Module:
        entry = next((m for m in dir_stream.modules if m.name == name), None)
        if entry is None:
            raise VbaProjectError("%s has no %s module" % (TEMPLATE, name))
        data = find_stream(streams, "VBA/" + entry.stream)[entry.offset:]
        source = _crlf(decompress(data).rstrip(b"\0").decode(encoding))
        return _Module(name, kinds.get(name, "Module"), source, entry.docstring)

    return _Template(project_text=project_text,
                     dir_stream=replace(dir_stream, modules=()),
                     this_workbook=module(THIS_WORKBOOK),
                     sheet_source=module(TEMPLATE_SHEET).source,
                     dictionary=module(DICTIONARY))


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

def _write_project(template: _Template, modules: list[_Module]) -> bytes:
    encoding = template.dir_stream.codepage
    entries = tuple(ModuleEntry(name=m.name, stream=m.name, offset=0,
                                procedural=m.kind == "Module", docstring=m.docstring)
                    for m in modules)
    streams = {
        "PROJECT": _project_stream(template.project_text, modules).encode(encoding),
        "PROJECTwm": b"".join(m.name.encode(encoding) + b"\0" + m.name.encode("utf-16-le")
                              + b"\0\0" for m in modules) + b"\0\0",
        "VBA/_VBA_PROJECT": VBA_PROJECT_SOURCE_ONLY,
        "VBA/dir": compress(write_dir(replace(template.dir_stream, modules=entries)),
                            allow_raw=False),
    }
    for module in modules:
        try:
            streams["VBA/" + module.name] = compress(module.source.encode(encoding),
                                                     allow_raw=False)
        except IncompressibleError:
            raise VbaProjectError("module %s has 4096 bytes in a row that do not compress (long "
                                  "random-looking data?); split it up" % module.name) from None
    return write_cfb(streams)


def _project_stream(template_text: str, modules: list[_Module]) -> str:
    """The template's PROJECT stream (MS-OVBA 2.3.1) with our module lines and workspace.

    Module lines follow the ``ID=`` line; ``[Workspace]`` (window positions) is rewritten with
    one closed window per module. Everything else, including the protection fields, is kept.
    """
    lines = []
    for line in template_text.split("\r\n"):
        if line == "[Workspace]":
            break
        if _MODULE_LINE.match(line):
            continue
        lines.append(line)
        if line.startswith("ID="):
            lines += [("Document=%s/&H00000000" if m.kind == "Document" else m.kind + "=%s")
                      % m.name for m in modules]
    while lines and lines[-1] == "":
        lines.pop()
    lines += ["", "[Workspace]"] + ["%s=0, 0, 0, 0, C" % m.name for m in modules]
    return "\r\n".join(lines) + "\r\n"


# ---------------------------------------------------------------------------------------------
# Module text
# ---------------------------------------------------------------------------------------------

def _check_names(names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if not _IDENTIFIER.match(name):
            raise VbaProjectError("%r is not a VBA module name (a letter, then letters, digits or "
                                  "_, at most 31 characters)" % name)
        if name.lower() in seen:
            raise VbaProjectError("module name %r is used twice" % name)
        seen.add(name.lower())


def _ascii(origin: str, text: str) -> str:
    if not text.isascii():
        at = next(i for i, char in enumerate(text) if not char.isascii())
        raise VbaProjectError("%s: VBA source must be ASCII; %r at character %d, line %d"
                              % (origin, text[at], at, text.count("\n", 0, at) + 1))
    return text


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def _vba_text(name: str, source: str) -> str:
    """Source as a module stores it: VB_Name line first, CRLF line ends, a final line end."""
    text = _crlf(_ascii("module " + name, source))
    match = _VB_NAME.match(text)
    if match is None:
        text = 'Attribute VB_Name = "%s"\r\n' % name + text
    elif match.group(1) != name:
        raise VbaProjectError("module %r says Attribute VB_Name = %r" % (name, match.group(1)))
    return text if text.endswith("\r\n") else text + "\r\n"


def _rename(source: str, old: str, new: str) -> str:
    return source.replace('Attribute VB_Name = "%s"' % old, 'Attribute VB_Name = "%s"' % new, 1)
