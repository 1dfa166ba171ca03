"""Splice rendered output sheets into a user's .xlsx/.xlsm package.

Why splice instead of an openpyxl round-trip
--------------------------------------------
salesplan writes its output tabs into the user's own workbook. That workbook
may hold a 1,000,000-row Sales tab, VBA macros, form buttons, user tabs, data
validation and defined names. Loading and re-saving it with openpyxl takes
minutes, needs the whole sheet in memory, and silently loses or rewrites
things openpyxl does not model (the Excel 2010 ``<controls>`` element of form
buttons, VML drawings, unknown extensions...).

So the output tabs are rendered with openpyxl into a small separate workbook
(``rendered``), and this module splices those sheets into the user's package
(``original``) at the zip/XML level:

* every zip entry that does not have to change is copied byte for byte
  (streamed, so a 100+ MB sheet is never held in memory);
* the sheets the program owns are removed together with the parts only they
  use (drawings, charts, tables, comments, VML, printer settings...);
* the rendered sheets and their parts are added under free part names;
* the few workbook-level parts that must change are edited surgically as
  text (``[Content_Types].xml``, ``xl/workbook.xml`` and its rels,
  ``xl/styles.xml``, ``docProps/app.xml``; ``xl/calcChain.xml`` is dropped
  when a sheet is removed, Excel rebuilds it).

The workbook-level parts are edited as text with narrow regular expressions
rather than parsed and re-serialised with ``xml.etree``: ElementTree would
rename namespace prefixes and drop the declarations that ``mc:Ignorable``
refers to, which makes Excel reject the file. Everything we generate
ourselves is simple, and everything we do not understand is left untouched.

Rendered shared strings are turned into inline strings (``t="inlineStr"``),
so the user's ``sharedStrings.xml`` is never rewritten.

Limits, on purpose: the rendered workbook's own named cell styles, custom
table styles, pivot tables, external links and sheet-to-workbook-level part
references are not carried over; rendered fonts/fills/borders 0 and xf 0
map onto the user's defaults; theme colours follow the user's theme; a
renamed rendered table (name clash with a user table) keeps structured
references in rendered formulas pointing at the old name.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import shutil
import struct
import tempfile
import threading
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Iterable
from urllib.parse import quote, unquote

from ..errors import PackageError

if TYPE_CHECKING:
    from .bulkrows import Block

__all__ = ["EntryCheck", "PackageError", "replace_sheets", "start_entry_check"]


# --------------------------------------------------------------------------
# Namespaces, relationship and content types
# --------------------------------------------------------------------------

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_XML = "http://www.w3.org/XML/1998/namespace"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"

RT_OFFICE_DOCUMENT = NS_R + "/officeDocument"
RT_CALC_CHAIN = NS_R + "/calcChain"
RT_SHARED_STRINGS = NS_R + "/sharedStrings"
RT_STYLES = NS_R + "/styles"

CT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Child order of <styleSheet> and <workbook> per the schema; Excel rejects
# files whose children are out of order, so new elements are inserted after
# the last present predecessor.
STYLE_CHILDREN = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs",
                  "cellStyles", "dxfs", "tableStyles", "colors", "extLst"]
WORKBOOK_BEFORE_DEFINED_NAMES = ["fileVersion", "fileSharing", "workbookPr", "workbookProtection",
                                 "bookViews", "sheets", "functionGroups", "externalReferences"]
WORKBOOK_BEFORE_CALC_PR = WORKBOOK_BEFORE_DEFINED_NAMES + ["definedNames"]

# Rendered style entries that are the workbook defaults: they map onto the
# user's defaults (font 0 is the user's body font, fills 0/1 are the
# mandatory "none"/"gray125", border 0 is empty, xf 0 is Normal), so a
# rendered cell that is "default" looks like the user's default cells.
FIXED_STYLE_ENTRIES = {"fonts": 1, "fills": 2, "borders": 1, "cellXfs": 1, "dxfs": 0}

TABLE_DXF_ATTRS = ("headerRowDxfId", "dataDxfId", "totalsRowDxfId",
                   "headerRowBorderDxfId", "tableBorderDxfId", "totalsRowBorderDxfId")

VML_BLOCK = 1024  # VML shape ids come in blocks of 1024, one <o:idmap> number each


def _key(name: str) -> str:
    """Sheet, table and defined names compare case-insensitively in Excel."""
    return name.casefold()


# --------------------------------------------------------------------------
# Small XML text helpers (regex based, see module docstring for why)
# --------------------------------------------------------------------------

_PFX = r"(?:[\w.-]+:)?"  # optional namespace prefix of an element name


def _esc_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _esc_attr(value: str) -> str:
    return _esc_text(value).replace('"', "&quot;")


def _attr_re(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<=\s)" + re.escape(name) + r"""\s*=\s*("([^"]*)"|'([^']*)')""")


def _get_attr(tag: str, name: str) -> str | None:
    """Unescaped value of attribute `name` in start tag `tag`, or None."""
    m = _attr_re(name).search(tag)
    if m is None:
        return None
    return html.unescape(m.group(2) if m.group(2) is not None else m.group(3))


def _set_attr(tag: str, name: str, value: str) -> str:
    """Start tag `tag` with attribute `name` set to `value` (added if absent)."""
    pattern = _attr_re(name)
    new = f'{name}="{_esc_attr(value)}"'
    if pattern.search(tag):
        return pattern.sub(lambda _m: new, tag, count=1)
    end = re.search(r"\s*/?>$", tag)
    return tag[: end.start()] + " " + new + tag[end.start():]


def _del_attr(tag: str, name: str) -> str:
    return re.sub(r"\s+" + re.escape(name) + r"""\s*=\s*("[^"]*"|'[^']*')""", "", tag, count=1)


def _element_re(local: str, prefix: str) -> re.Pattern[str]:
    """Whole element `prefix:local`, empty or not. Only for elements that do
    not nest inside themselves (all the ones we look for)."""
    q = re.escape(prefix + local)
    return re.compile(rf"<{q}(?=[\s/>])[^>]*?/>|<{q}(?=[\s/>])[^>]*>.*?</{q}\s*>", re.S)


def _start_tag_re(local: str, prefix: str = _PFX, literal: bool = False) -> re.Pattern[str]:
    p = re.escape(prefix) if literal else prefix
    return re.compile(rf"<{p}{re.escape(local)}(?=[\s/>])[^>]*>")


def _start_tag(element: str) -> str:
    return element[: element.index(">") + 1]


def _root_tag(text: str) -> str:
    m = re.search(r"<(?![?!])[^>]*>", text)
    if m is None:
        raise ValueError("no root element")
    return m.group(0)


def _ns_prefix(root_tag: str, namespace: str) -> str | None:
    """The prefix ('' for default, 'x:' otherwise) bound to `namespace` on `root_tag`."""
    for m in re.finditer(r"""\sxmlns(?::([\w.-]+))?\s*=\s*["']([^"']*)["']""", root_tag):
        if m.group(2) == namespace:
            return m.group(1) + ":" if m.group(1) else ""
    return None


def _insert_child(text: str, prefix: str, order: list[str], local: str, fragment: str) -> str:
    """Insert `fragment` (a new `local` element) into the root of `text` after
    the last present element among those preceding `local` in `order`."""
    position = None
    for sibling in order[: order.index(local)]:
        for m in _element_re(sibling, prefix).finditer(text):
            position = max(position or 0, m.end())
    if position is None:
        position = text.index(_root_tag(text)) + len(_root_tag(text))
    return text[:position] + fragment + text[position:]


# --------------------------------------------------------------------------
# Package access
# --------------------------------------------------------------------------

@dataclass
class _Rel:
    id: str
    type: str
    target: str      # as written
    external: bool
    part: str | None  # resolved part name (zip entry name), None if external


def _rels_name(part: str) -> str:
    """The .rels entry of `part` ('' is the package itself)."""
    directory, base = posixpath.split(part)
    return posixpath.join(directory, "_rels", base + ".rels")


def _resolve(source: str, target: str) -> str:
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _relative(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


class _Package:
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
        self._rels_cache: dict[str, list[_Rel]] = {}
        if self.entry("[Content_Types].xml") is None:
            raise PackageError(f"{self.role} workbook {self.path}: no [Content_Types].xml, not an OOXML package")
        self.content_types = self.text("[Content_Types].xml")
        self._defaults: dict[str, str] = {}
        self._overrides: dict[str, str] = {}
        for tag in _start_tag_re("Default").findall(self.content_types):
            self._defaults[(_get_attr(tag, "Extension") or "").lower()] = _get_attr(tag, "ContentType") or ""
        for tag in _start_tag_re("Override").findall(self.content_types):
            part = unquote(_get_attr(tag, "PartName") or "").lstrip("/").lower()
            self._overrides[part] = _get_attr(tag, "ContentType") or ""
        documents = [r for r in self.rels("") if r.type == RT_OFFICE_DOCUMENT and r.part]
        if not documents or self.entry(documents[0].part) is None:
            raise PackageError(f"{self.role} workbook {self.path}: no workbook part, not a spreadsheet package")
        self.workbook_part = self.entry(documents[0].part)

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> "_Package":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def entry(self, part: str) -> str | None:
        """The zip entry name of `part`, or None if the package has no such part."""
        return self._entries.get(part.lower())

    def read(self, part: str) -> bytes:
        name = self.entry(part)
        if name is None:
            raise PackageError(f"{self.role} workbook {self.path}: missing part {part}")
        return self.zip.read(name)

    def text(self, part: str) -> str:
        data = self.read(part)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise PackageError(f"{self.role} workbook {self.path}: part {part} is not UTF-8 XML") from e

    def head(self, part: str, size: int = 65536) -> str:
        """The first bytes of a (possibly huge) part, decoded loosely."""
        with self.zip.open(self.entry(part)) as f:
            return f.read(size).decode("utf-8", errors="ignore")

    def content_type(self, part: str) -> str | None:
        ct = self._overrides.get(part.lower())
        if ct is None:
            ct = self._defaults.get(posixpath.splitext(part)[1].lstrip(".").lower())
        return ct

    def rels(self, part: str) -> list[_Rel]:
        """Relationships whose source is `part` ('' = the package)."""
        if part in self._rels_cache:
            return self._rels_cache[part]
        rels: list[_Rel] = []
        name = self.entry(_rels_name(part))
        if name is not None:
            try:
                root = ET.fromstring(self.zip.read(name))
            except ET.ParseError as e:
                raise PackageError(f"{self.role} workbook {self.path}: broken XML in {name}: {e}") from e
            for el in root:
                if el.tag != f"{{{NS_PKG_RELS}}}Relationship":
                    continue
                external = el.get("TargetMode") == "External"
                target = el.get("Target", "")
                resolved = None if external else _resolve(part, target)
                if resolved is not None:
                    resolved = self.entry(resolved) or resolved
                rels.append(_Rel(el.get("Id", ""), el.get("Type", ""), target, external, resolved))
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
            if root and self.entry(root) and root.lower() not in seen:
                seen.add(root.lower())
                order.append(self.entry(root))
        i = 0
        while i < len(queue):
            source = queue[i]
            i += 1
            for rel in self.rels(source):
                if rel.external or (source, rel.id) in skip or self.entry(rel.part) is None:
                    continue
                target = self.entry(rel.part)
                if target.lower() not in seen:
                    seen.add(target.lower())
                    order.append(target)
                    queue.append(target)
        return order


# --------------------------------------------------------------------------
# workbook.xml model
# --------------------------------------------------------------------------

@dataclass
class _Sheet:
    name: str
    sheet_id: int
    rid: str
    state: str        # visible / hidden / veryHidden
    raw: str          # the <sheet> element as written
    part: str | None  # sheet part name
    rel_type: str


@dataclass
class _DefinedName:
    name: str
    local: int | None  # localSheetId (a position in <sheets>)
    raw: str


@dataclass
class _Workbook:
    text: str
    prefix: str           # prefix of the spreadsheetml namespace ('' usually)
    r_prefix: str | None  # prefix of the relationships namespace
    sheets: list[_Sheet]
    names: list[_DefinedName]


def _parse_workbook(pkg: _Package) -> _Workbook:
    text = pkg.text(pkg.workbook_part)
    try:
        root = _root_tag(text)
    except ValueError:
        raise PackageError(f"{pkg.role} workbook {pkg.path}: empty {pkg.workbook_part}") from None
    prefix = _ns_prefix(root, NS_MAIN)
    if prefix is None:
        if _ns_prefix(root, NS_STRICT_MAIN) is not None:
            raise PackageError(f"{pkg.role} workbook {pkg.path}: Strict Open XML is not supported; "
                               f"save it as a regular Excel workbook")
        raise PackageError(f"{pkg.role} workbook {pkg.path}: {pkg.workbook_part} is not a SpreadsheetML workbook")
    r_prefix = _ns_prefix(root, NS_R)
    rels = {r.id: r for r in pkg.rels(pkg.workbook_part)}
    sheets: list[_Sheet] = []
    sheets_el = _element_re("sheets", prefix).search(text)
    if sheets_el is None:
        raise PackageError(f"{pkg.role} workbook {pkg.path}: {pkg.workbook_part} has no <sheets>")
    for m in _element_re("sheet", prefix).finditer(sheets_el.group(0)):
        tag = _start_tag(m.group(0))
        rid_m = re.search(r"""\s[\w.-]+:id\s*=\s*["']([^"']*)["']""", tag)
        rid = html.unescape(rid_m.group(1)) if rid_m else ""
        rel = rels.get(rid)
        sheets.append(_Sheet(
            name=_get_attr(tag, "name") or "",
            sheet_id=int(_get_attr(tag, "sheetId") or 0),
            rid=rid,
            state=_get_attr(tag, "state") or "visible",
            raw=m.group(0),
            part=pkg.entry(rel.part) if rel and rel.part else None,
            rel_type=rel.type if rel else "",
        ))
    names: list[_DefinedName] = []
    names_el = _element_re("definedNames", prefix).search(text)
    for m in _element_re("definedName", prefix).finditer(names_el.group(0) if names_el else ""):
        tag = _start_tag(m.group(0))
        local = _get_attr(tag, "localSheetId")
        names.append(_DefinedName(_get_attr(tag, "name") or "", int(local) if local is not None else None, m.group(0)))
    return _Workbook(text, prefix, r_prefix, sheets, names)


# --------------------------------------------------------------------------
# Styles merge
# --------------------------------------------------------------------------

def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, local = tag[1:].split("}", 1)
        return ns, local
    return "", tag


def _serialize(el: ET.Element, main_prefix: str, default_ns: str = NS_MAIN) -> str:
    """Serialise an ElementTree element of a styles fragment as text for a
    document whose spreadsheetml prefix is `main_prefix`."""
    ns, local = _local(el.tag)
    decl = ""
    if ns == NS_MAIN and main_prefix and default_ns == NS_MAIN:
        name = main_prefix + local
    elif ns == default_ns:
        name = local
    else:  # a foreign element: redeclare the default namespace for its subtree
        name = local
        decl = f' xmlns="{_esc_attr(ns)}"'
        default_ns = ns
    attrs = []
    extra_ns: dict[str, str] = {}
    for key, value in el.attrib.items():
        ans, alocal = _local(key)
        if not ans:
            attrs.append(f'{alocal}="{_esc_attr(value)}"')
        elif ans == NS_XML:
            attrs.append(f'xml:{alocal}="{_esc_attr(value)}"')
        else:
            pfx = extra_ns.setdefault(ans, f"a{len(extra_ns)}")
            attrs.append(f'{pfx}:{alocal}="{_esc_attr(value)}"')
    decl += "".join(f' xmlns:{p}="{_esc_attr(n)}"' for n, p in extra_ns.items())
    head = "<" + name + decl + "".join(" " + a for a in attrs)
    inner = _esc_text(el.text or "") + "".join(_serialize(c, main_prefix, default_ns) for c in el)
    body = head + (f">{inner}</{name}>" if inner else "/>")
    return body + _esc_text(el.tail or "") if el.tail and el.tail.strip() else body


def _canonical(el: ET.Element) -> str:
    """Order-insensitive identity of a style entry, for de-duplication."""
    attrs = ",".join(f"{k}={v}" for k, v in sorted(el.attrib.items()))
    children = "".join(sorted(_canonical(c) for c in el))
    return f"<{el.tag} {attrs}>{(el.text or '').strip()}{children}</>"


def _children(root: ET.Element, local: str) -> list[ET.Element]:
    el = root.find(f"{{{NS_MAIN}}}{local}")
    return list(el) if el is not None else []


@dataclass
class _StyleMerge:
    text: str | None          # new styles.xml text, None if unchanged
    xf_map: dict[int, int]    # rendered cellXfs index -> output index
    dxf_map: dict[int, int]   # rendered dxfs index -> output index


def _merge_list(original: list[ET.Element], rendered: list[ET.Element], fixed: int,
                ) -> tuple[dict[int, int], list[ET.Element]]:
    """Map rendered entries onto the original list, appending the missing
    ones. Identical entries are reused, so re-running a build does not grow
    styles.xml."""
    index: dict[str, int] = {}
    for i, el in enumerate(original):
        index.setdefault(_canonical(el), i)
    mapping: dict[int, int] = {}
    appended: list[ET.Element] = []
    for i, el in enumerate(rendered):
        if i < min(fixed, len(original)):
            mapping[i] = i
            continue
        key = _canonical(el)
        if key not in index:
            index[key] = len(original) + len(appended)
            appended.append(el)
        mapping[i] = index[key]
    return mapping, appended


def _merge_styles(original_text: str, rendered_xml: bytes) -> _StyleMerge:
    """Append the rendered workbook's fonts, fills, borders, number formats,
    cell formats and differential formats to the original styles."""
    o = ET.fromstring(original_text.encode("utf-8"))
    r = ET.fromstring(rendered_xml)
    prefix = _ns_prefix(_root_tag(original_text), NS_MAIN)
    if prefix is None:
        raise ValueError("styles part is not SpreadsheetML")
    fragments: dict[str, tuple[int, list[str]]] = {}  # element -> (new count, appended xml)

    # Number formats: reuse an identical format code, else a fresh id >= 164.
    o_fmts = {el.get("formatCode"): int(el.get("numFmtId")) for el in _children(o, "numFmts")}
    next_id = [max([163, *o_fmts.values()]) + 1]
    new_fmts: list[str] = []

    def format_id(code: str) -> int:
        if code not in o_fmts:
            o_fmts[code] = next_id[0]
            new_fmts.append(f'<{prefix}numFmt numFmtId="{next_id[0]}" formatCode="{_esc_attr(code)}"/>')
            next_id[0] += 1
        return o_fmts[code]

    fmt_map = {int(el.get("numFmtId")): format_id(el.get("formatCode")) for el in _children(r, "numFmts")}

    maps: dict[str, dict[int, int]] = {}
    for local in ("fonts", "fills", "borders"):
        mapping, appended = _merge_list(_children(o, local), _children(r, local), FIXED_STYLE_ENTRIES[local])
        maps[local] = mapping
        if appended:
            fragments[local] = (len(_children(o, local)) + len(appended),
                                [_serialize(el, prefix) for el in appended])

    # Cell formats: remap their references first, then merge. Named cell
    # styles are not carried over: every rendered xf is based on Normal.
    remapped: list[ET.Element] = []
    for el in _children(r, "cellXfs"):
        el = _copy(el)
        for attr, mapping in (("fontId", maps["fonts"]), ("fillId", maps["fills"]), ("borderId", maps["borders"])):
            el.set(attr, str(mapping.get(int(el.get(attr, "0")), 0)))
        num = int(el.get("numFmtId", "0"))
        el.set("numFmtId", str(fmt_map.get(num, num)))
        el.set("xfId", "0")
        remapped.append(el)
    xf_map, appended = _merge_list(_children(o, "cellXfs"), remapped, FIXED_STYLE_ENTRIES["cellXfs"])
    if appended:
        fragments["cellXfs"] = (len(_children(o, "cellXfs")) + len(appended),
                                [_serialize(el, prefix) for el in appended])

    dxfs = []
    for el in _children(r, "dxfs"):
        el = _copy(el)
        for fmt in el.iter(f"{{{NS_MAIN}}}numFmt"):  # a dxf carries its format code: match by code
            if fmt.get("formatCode") is not None:
                fmt.set("numFmtId", str(format_id(fmt.get("formatCode"))))
        dxfs.append(el)
    dxf_map, appended = _merge_list(_children(o, "dxfs"), dxfs, FIXED_STYLE_ENTRIES["dxfs"])
    if appended:
        fragments["dxfs"] = (len(_children(o, "dxfs")) + len(appended), [_serialize(el, prefix) for el in appended])

    if new_fmts:
        fragments["numFmts"] = (len(_children(o, "numFmts")) + len(new_fmts), new_fmts)
    text = original_text
    for local, (count, items) in fragments.items():
        text = _append_children(text, prefix, local, items, count)
    return _StyleMerge(text if fragments else None, xf_map, dxf_map)


def _copy(el: ET.Element) -> ET.Element:
    return ET.fromstring(ET.tostring(el))


def _append_children(text: str, prefix: str, local: str, items: list[str], count: int) -> str:
    """Append `items` to the top-level `local` list of styles.xml and fix its count."""
    m = _element_re(local, prefix).search(text)
    if m is None:
        fragment = f'<{prefix}{local} count="{count}">{"".join(items)}</{prefix}{local}>'
        return _insert_child(text, prefix, STYLE_CHILDREN, local, fragment)
    element = m.group(0)
    start = _start_tag(element)
    if start.endswith("/>"):
        new_start = _set_attr(start[:-2].rstrip() + ">", "count", str(count))
        new = new_start + "".join(items) + f"</{prefix}{local}>"
    else:
        close = element.rindex("</")
        new = _set_attr(start, "count", str(count)) + element[len(start):close] + "".join(items) + element[close:]
    return text[: m.start()] + new + text[m.end():]


# --------------------------------------------------------------------------
# Rewriting rendered parts
# --------------------------------------------------------------------------

_DXF_ATTR = re.compile(r"""(?<=\s)dxfId\s*=\s*["'](\d+)["']""")
_CF_RULE_TAG = re.compile(rf"<{_PFX}cfRule(?=[\s/>])[^>]*>")
_SST_CELL = re.compile(rf"<({_PFX})c(?=[\s>])([^>]*)>\s*<\1v>\s*(\d+)\s*</\1v>\s*</\1c>")
_SI = re.compile(rf"<({_PFX})si(?:\s[^>]*)?(?:/>|>(.*?)</\1si>)", re.S)
_FORMULA = re.compile(rf"<{_PFX}f[\s/>]")


def _shared_strings(pkg: _Package, workbook_part: str) -> list[str]:
    """Inner XML of every <si> of the rendered shared string table."""
    for rel in pkg.rels(workbook_part):
        if rel.type == RT_SHARED_STRINGS and rel.part and pkg.entry(rel.part):
            return [m.group(2) or "" for m in _SI.finditer(pkg.text(rel.part))]
    return []


# The style of a <c> or <row> (its s="N") and of a <col> (its style="N"), found in one pass over a
# big sheet rather than by a search inside every tag. Group 1 is everything up to the number.
_STYLED_TAG_S = re.compile(rf"""(<{_PFX}(?:c|row)(?=[\s/>])[^>]*?\ss\s*=\s*["'])(\d+)(?=["'])""")
_STYLED_COL = re.compile(rf"""(<{_PFX}col(?=[\s/>])[^>]*?\sstyle\s*=\s*["'])(\d+)(?=["'])""")
_T_ATTR = _attr_re("t")


def _remap_styles_in_sheet(xml: str, xf_map: dict[int, int], dxf_map: dict[int, int],
                           styled_tags: tuple[re.Pattern[str], ...] = (_STYLED_TAG_S, _STYLED_COL),
                           cf_rule: re.Pattern[str] = _CF_RULE_TAG) -> str:
    def style(m: re.Match[str]) -> str:
        return f"{m.group(1)}{xf_map.get(int(m.group(2)), 0)}"

    def dxf(m: re.Match[str]) -> str:
        return _DXF_ATTR.sub(lambda a: f'dxfId="{dxf_map.get(int(a.group(1)), 0)}"', m.group(0), count=1)

    for tags in styled_tags:
        xml = tags.sub(style, xml)
    return cf_rule.sub(dxf, xml)


# A cell as XlsxWriter and openpyxl write it: <c r="B7" s="5"...>, a shared string as
# <c r="B7" s="5" t="s"><v>12</v></c>. One pass over a sheet in this form remaps the style and
# inlines the string of every cell at once (the open-orders tab of a million-row ledger has some
# 90 000 cells); anything else goes through the two general passes.
_CANONICAL_CELL = re.compile(r'<c r="([A-Z]{1,3}[0-9]{1,7})"(?: s="([0-9]+)")?( t="s"><v>([0-9]+)</v></c>)?')
# The same for a sheet with no prefixed element at all: patterns that start with a literal, which
# the regex engine finds by a fast scan instead of trying every "<" (four times faster on the
# open orders of a million-row ledger).
_STYLED_ROW_S = re.compile(r"""(<row(?=[\s/>])[^>]*?\ss\s*=\s*["'])(\d+)(?=["'])""")
_STYLED_COL_UNPREFIXED = re.compile(r"""(<col(?=[\s/>])[^>]*?\sstyle\s*=\s*["'])(\d+)(?=["'])""")
_CF_RULE_UNPREFIXED = re.compile(r"<cfRule(?=[\s/>])[^>]*>")
_PREFIXED_TAG = re.compile(r"<[\w.-]+:")


def _rewrite_sheet(xml: str, xf_map: dict[int, int], dxf_map: dict[int, int], strings: list[str], where: str) -> str:
    """Styles remapped and shared strings inlined (see :func:`_remap_styles_in_sheet` and
    :func:`_inline_shared_strings`), in one pass when every cell is in the canonical form."""
    fast = _rewrite_canonical_cells(xml, xf_map, strings, where)
    if fast is None:
        return _inline_shared_strings(_remap_styles_in_sheet(xml, xf_map, dxf_map), strings, where)
    # The cells are done; rows and columns may carry a style too.
    return _remap_styles_in_sheet(fast, xf_map, dxf_map, (_STYLED_ROW_S, _STYLED_COL_UNPREFIXED), _CF_RULE_UNPREFIXED)


def _rewrite_canonical_cells(xml: str, xf_map: dict[int, int], strings: list[str], where: str) -> str | None:
    if _PREFIXED_TAG.search(xml):  # the one-pass form is XlsxWriter's and openpyxl's: no prefixes
        return None
    styles = {old: f' s="{new}"' for old, new in xf_map.items()}
    unknown = ' s="0"'  # as the general pass maps a style it does not know
    count = 0

    def cell(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        ref, style, shared, index = m.groups()
        out = f'<c r="{ref}"' if style is None else f'<c r="{ref}"{styles.get(int(style), unknown)}'
        if shared is None:
            return out
        i = int(index)
        if i >= len(strings):
            raise PackageError(f"rendered workbook: {where} refers to shared string {i}, the table has {len(strings)}")
        return f'{out} t="inlineStr"><is>{strings[i]}</is></c>'

    out = _CANONICAL_CELL.sub(cell, xml)
    if count != xml.count("<c ") + xml.count("<c>") or ' t="s"' in out:
        return None  # a cell in another form: the general passes take the original
    return out


def _inline_shared_strings(xml: str, strings: list[str], where: str) -> str:
    """Turn t="s" cells into t="inlineStr" cells, so the user's shared string
    table does not have to be rewritten."""
    def inline(m: re.Match[str]) -> str:
        p, attrs, index = m.group(1), " " + m.group(2), int(m.group(3))
        t = _T_ATTR.search(attrs)
        if t is None or html.unescape(t.group(2) if t.group(2) is not None else t.group(3)) != "s":
            return m.group(0)
        if index >= len(strings):
            raise PackageError(f"rendered workbook: {where} refers to shared string {index}, "
                               f"the table has {len(strings)}")
        attrs = attrs[:t.start()] + 't="inlineStr"' + attrs[t.end():]
        return f"<{p}c {attrs.strip()}><{p}is>{strings[index]}</{p}is></{p}c>"

    return _SST_CELL.sub(inline, xml)


def _set_tab_selected(xml: str, selected: bool) -> str:
    """Only the active sheet may be selected, else Excel opens with sheets grouped."""
    def fix(m: re.Match[str]) -> str:
        tag = _del_attr(m.group(0), "tabSelected")
        return _set_attr(tag, "tabSelected", "1") if selected else tag
    return _start_tag_re("sheetView").sub(fix, xml, count=1)


def _set_code_name(xml: str, code_name: str) -> str:
    """Give the new sheet the VBA code name of the sheet it replaces, so the
    sheet's document module in vbaProject.bin stays bound to it."""
    m = _start_tag_re("sheetPr").search(xml)
    if m:
        return xml[: m.start()] + _set_attr(m.group(0), "codeName", code_name) + xml[m.end():]
    root = _root_tag(xml)
    p = re.match(r"<([\w.-]+:)?", root).group(1) or ""
    at = xml.index(root) + len(root)
    return xml[:at] + f'<{p}sheetPr codeName="{_esc_attr(code_name)}"/>' + xml[at:]


def _code_name(head: str) -> str | None:
    m = _start_tag_re("sheetPr").search(head)
    return _get_attr(m.group(0), "codeName") if m else None


def _rewrite_table(xml: str, table_id: int, name: str, dxf_map: dict[int, int]) -> str:
    root = _root_tag(xml)
    new_root = _set_attr(root, "id", str(table_id))
    new_root = _set_attr(_set_attr(new_root, "name", name), "displayName", name)
    xml = xml.replace(root, new_root, 1)
    for attr in TABLE_DXF_ATTRS:
        xml = re.sub(r"(?<=\s)" + attr + r"""\s*=\s*["'](\d+)["']""",
                     lambda a, attr=attr: f'{attr}="{dxf_map.get(int(a.group(1)), 0)}"', xml)
    return xml


def _vml_blocks(xml: str) -> set[int]:
    blocks: set[int] = set()
    for m in re.finditer(rf"<{_PFX}idmap\b[^>]*>", xml):
        for part in (_get_attr(m.group(0), "data") or "").split(","):
            if part.strip().isdigit():
                blocks.add(int(part))
    return blocks


def _rewrite_vml(xml: str, used_blocks: set[int]) -> str:
    """Move the VML shape ids to free id blocks: Excel needs them unique in
    the workbook, and openpyxl always starts at block 1, like XlsxWriter and
    Excel do for the user's first button or comment drawing."""
    ids = [int(n) for n in re.findall(r"_x0000_s(\d+)", xml)]
    old_blocks = sorted(_vml_blocks(xml) | {n // VML_BLOCK for n in ids})
    mapping: dict[int, int] = {}
    candidate = 1
    for old in old_blocks:
        while candidate in used_blocks:
            candidate += 1
        mapping[old] = candidate
        used_blocks.add(candidate)
    xml = re.sub(r"_x0000_s(\d+)",
                 lambda m: f"_x0000_s{mapping[int(m.group(1)) // VML_BLOCK] * VML_BLOCK + int(m.group(1)) % VML_BLOCK}",
                 xml)

    def idmap(m: re.Match[str]) -> str:
        return _set_attr(m.group(0), "data", ",".join(str(mapping[b]) for b in old_blocks))
    return re.sub(rf"<{_PFX}idmap\b[^>]*>", idmap, xml)


def _rels_xml(rels: list[tuple[str, str, str, bool]]) -> bytes:
    items = "".join(
        f'<Relationship Id="{_esc_attr(i)}" Type="{_esc_attr(t)}" Target="{_esc_attr(target)}"'
        + (' TargetMode="External"' if external else "") + "/>"
        for i, t, target, external in rels)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{NS_PKG_RELS}">{items}</Relationships>').encode("utf-8")


# --------------------------------------------------------------------------
# Workbook-level parts of the output
# --------------------------------------------------------------------------

def _free_part_name(template: str, used: set[str]) -> str:
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


def _free_rel_id(used: set[str]) -> str:
    n = 1
    while f"rId{n}" in used:
        n += 1
    used.add(f"rId{n}")
    return f"rId{n}"


def _edit_relationships(text: str, drop_ids: set[str], add: list[tuple[str, str, str]]) -> str:
    p = _ns_prefix(_root_tag(text), NS_PKG_RELS) or ""

    def keep(m: re.Match[str]) -> str:
        return "" if _get_attr(_start_tag(m.group(0)), "Id") in drop_ids else m.group(0)
    text = _element_re("Relationship", p).sub(keep, text)
    new = "".join(f'<{p}Relationship Id="{_esc_attr(i)}" Type="{_esc_attr(t)}" Target="{_esc_attr(target)}"/>'
                  for i, t, target in add)
    end = re.search(rf"</{re.escape(p)}Relationships\s*>", text)
    return text[: end.start()] + new + text[end.start():]


def _edit_content_types(text: str, pkg: _Package, drop_parts: set[str], add: dict[str, str]) -> str:
    p = _ns_prefix(_root_tag(text), NS_CT) or ""

    def keep(m: re.Match[str]) -> str:
        part = unquote(_get_attr(_start_tag(m.group(0)), "PartName") or "").lstrip("/").lower()
        return "" if part in drop_parts else m.group(0)
    text = _element_re("Override", p).sub(keep, text)
    new = []
    defaults = {ext: ct for ext, ct in pkg._defaults.items()}
    for part, ct in add.items():
        ext = posixpath.splitext(part)[1].lstrip(".").lower()
        if defaults.get(ext) == ct:
            continue
        if ext and ext not in defaults and ext != "xml":  # e.g. png: a Default, as Excel writes
            defaults[ext] = ct
            new.append(f'<{p}Default Extension="{_esc_attr(ext)}" ContentType="{_esc_attr(ct)}"/>')
        else:
            new.append(f'<{p}Override PartName="/{_esc_attr(quote(part))}" ContentType="{_esc_attr(ct)}"/>')
    # Defaults first: the schema allows any order, Excel writes them first
    new.sort(key=lambda s: "Default " not in s)
    end = re.search(rf"</{re.escape(p)}Types\s*>", text)
    return text[: end.start()] + "".join(new) + text[end.start():]


def _app_title(name: str, sheet: str | None) -> str:
    """How Excel lists a defined name in docProps/app.xml: Итого, 'Мой лист'!Print_Area."""
    short = name[len("_xlnm."):] if name.startswith("_xlnm.") else name
    if sheet is None:
        return short
    quoted = sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!{short}"


def _app_title_key(title: str) -> tuple[str, str | None]:
    if "!" not in title:
        return _key(title), None
    sheet, name = title.rsplit("!", 1)
    if len(sheet) > 1 and sheet[0] == sheet[-1] == "'":
        sheet = sheet[1:-1].replace("''", "'")
    return _key(name), _key(sheet)


def _edit_app_properties(text: str, old_sheets: list[str], new_sheets: list[str],
                         old_names: list[tuple[str, str | None, bool]],
                         new_names: list[tuple[str, str | None, bool]]) -> str | None:
    """docProps/app.xml lists the sheet titles and the named ranges, in
    groups counted in HeadingPairs. Update the sheets group and the named
    ranges group; leave any other group alone. Returns None when nothing
    changes. If the lists cannot be understood they are removed (both
    elements are optional)."""
    hp = re.search(r"<([\w.-]+:)?HeadingPairs\b[^>]*>(.*?)</\1?HeadingPairs\s*>", text, re.S)
    tp = re.search(r"<([\w.-]+:)?TitlesOfParts\b[^>]*>(.*?)</\1?TitlesOfParts\s*>", text, re.S)
    if not hp or not tp:
        return None
    vt_m = re.search(r"<([\w.-]+:)vector\b", tp.group(2))
    vt = vt_m.group(1) if vt_m else "vt:"
    values = re.findall(r"<(?:[\w.-]+:)?(lpstr|i4)>([^<]*)</", hp.group(2))
    titles = [html.unescape(m.group(2) or "") for m in
              re.finditer(r"<([\w.-]+:)?lpstr(?:\s*/>|>([^<]*)</\1?lpstr>)", tp.group(2))]
    pairs = [(values[i][1], int(values[i + 1][1])) for i in range(0, len(values) - 1, 2)
             if values[i][0] == "lpstr" and values[i + 1][0] == "i4" and values[i + 1][1].strip().isdigit()]
    if len(pairs) * 2 != len(values) or sum(c for _, c in pairs) != len(titles):
        return text.replace(hp.group(0), "").replace(tp.group(0), "")
    groups, at = [], 0
    for _, count in pairs:
        groups.append(titles[at: at + count])
        at += count
    old = list(groups)

    # The sheets group: every title is an original sheet name.
    sheet_keys = {_key(n) for n in old_sheets}
    sheet_group = next((i for i, g in enumerate(groups) if g and all(_key(t) in sheet_keys for t in g)), None)
    if sheet_group is not None:
        elsewhere = {_key(t) for i, g in enumerate(groups) if i != sheet_group for t in g if _key(t) in sheet_keys}
        groups[sheet_group] = [n for n in new_sheets if _key(n) not in elsewhere]

    # The named ranges group: every title is one of the original's names.
    def name_key(name: str, sheet: str | None) -> tuple[str, str | None]:
        return _app_title_key(_app_title(name, sheet))
    old_keys = {name_key(n, s) for n, s, _ in old_names}
    names_group = next((i for i, g in enumerate(groups) if i != sheet_group and g
                        and all(_app_title_key(t) in old_keys for t in g)), None)
    if names_group is not None:
        listed = [n for n in new_names if not n[2] and n[0] != "_xlnm._FilterDatabase"]
        new_keys = {name_key(n, s) for n, s, _ in listed}
        kept = [t for t in groups[names_group] if _app_title_key(t) in new_keys]
        present = {_app_title_key(t) for t in kept}
        groups[names_group] = kept + [_app_title(n, s) for n, s, _ in listed if name_key(n, s) not in present]

    if groups == old:
        return None
    pairs = [(label, len(g)) for (label, _), g in zip(pairs, groups) if g]  # no empty groups
    groups = [g for g in groups if g]
    heading = (f'<{vt}vector size="{2 * len(pairs)}" baseType="variant">'
               + "".join(f"<{vt}variant><{vt}lpstr>{label}</{vt}lpstr></{vt}variant>"
                         f"<{vt}variant><{vt}i4>{count}</{vt}i4></{vt}variant>" for label, count in pairs)
               + f"</{vt}vector>")
    all_titles = [t for g in groups for t in g]
    parts = (f'<{vt}vector size="{len(all_titles)}" baseType="lpstr">'
             + "".join(f"<{vt}lpstr>{_esc_text(t)}</{vt}lpstr>" for t in all_titles)
             + f"</{vt}vector>")
    new_hp = hp.group(0).replace(hp.group(2), heading, 1)
    new_tp = tp.group(0).replace(tp.group(2), parts, 1)
    return text.replace(hp.group(0), new_hp, 1).replace(tp.group(0), new_tp, 1)


# --------------------------------------------------------------------------
# The splice
# --------------------------------------------------------------------------

@dataclass
class _Slot:
    """One sheet of the output, in order."""
    name: str
    state: str
    kept: _Sheet | None = None       # an original sheet kept as is
    new: _Sheet | None = None        # a rendered sheet...
    replaces: _Sheet | None = None   # ...put at the place of this original sheet


def _layout(orig: _Workbook, rend: _Workbook, owned: set[str], original: Path) -> list[_Slot]:
    """Output sheet order: the original order with owned sheets replaced by
    the rendered sheet of the same name (or removed), then the other
    rendered sheets in their order."""
    orig_by_key = {_key(s.name): s for s in orig.sheets}
    for s in rend.sheets:
        clash = orig_by_key.get(_key(s.name))
        if clash is not None and _key(clash.name) not in owned:
            raise ValueError(f"rendered sheet {s.name!r} would overwrite the user's sheet {clash.name!r} "
                             f"of {original}: it is not one of the owned sheets")
    rend_by_key = {_key(s.name): s for s in rend.sheets}
    slots: list[_Slot] = []
    placed: set[str] = set()
    for s in orig.sheets:
        k = _key(s.name)
        if k not in owned:
            slots.append(_Slot(s.name, s.state, kept=s))
        elif k in rend_by_key:
            r = rend_by_key[k]
            slots.append(_Slot(r.name, r.state, new=r, replaces=s))
            placed.add(k)
    for r in rend.sheets:
        if _key(r.name) not in placed:
            slots.append(_Slot(r.name, r.state, new=r))
    if not any(slot.state == "visible" for slot in slots):
        raise ValueError("the output would have no visible sheet: Excel needs one")
    return slots


def _sheet_element(prefix: str, r_prefix: str | None, name: str, sheet_id: int, state: str, rid: str) -> str:
    state_attr = f' state="{_esc_attr(state)}"' if state != "visible" else ""
    if r_prefix:
        rel = f'{r_prefix}id="{_esc_attr(rid)}"'
    else:  # the workbook does not declare the relationships namespace on its root
        rel = f'xmlns:r="{NS_R}" r:id="{_esc_attr(rid)}"'
    return f'<{prefix}sheet name="{_esc_attr(name)}" sheetId="{sheet_id}"{state_attr} {rel}/>'


def _with_prefix(raw: str, local: str, from_prefix: str, to_prefix: str) -> str:
    if from_prefix == to_prefix:
        return raw
    return re.sub(rf"<(/?){re.escape(from_prefix + local)}(?=[\s/>])", rf"<\g<1>{to_prefix}{local}", raw)


def _defined_names(orig: _Workbook, rend: _Workbook, slots: list[_Slot], owned: set[str]) -> list[str]:
    """The output's <definedName> elements: names local to removed sheets
    are dropped, rendered names are added (a rendered global name replaces
    the original global of the same name), and every localSheetId is
    renumbered to the new sheet positions."""
    position = {_key(slot.name): i for i, slot in enumerate(slots)}
    rendered_globals = {_key(n.name) for n in rend.names if n.local is None}
    result = []

    def relocal(raw: str, index: int) -> str:
        start = _start_tag(raw)
        return _set_attr(start, "localSheetId", str(index)) + raw[len(start):]

    for n in orig.names:
        if n.local is None:
            if _key(n.name) not in rendered_globals:
                result.append(n.raw)
        elif 0 <= n.local < len(orig.sheets):
            sheet = _key(orig.sheets[n.local].name)
            if sheet not in owned:
                result.append(relocal(n.raw, position[sheet]))
        # a localSheetId out of range was already invalid: drop it
    for n in rend.names:
        raw = _with_prefix(n.raw, "definedName", rend.prefix, orig.prefix)
        if n.local is None:
            result.append(raw)
        elif 0 <= n.local < len(rend.sheets):
            result.append(relocal(raw, position[_key(rend.sheets[n.local].name)]))
    return result


def _edit_workbook(wb: _Workbook, sheet_elements: list[str], names: list[str],
                   active: int, new_position: dict[int, int], full_calc: bool) -> str:
    text, p = wb.text, wb.prefix
    sheets = _element_re("sheets", p).search(text)
    start = _start_tag(sheets.group(0))
    if start.endswith("/>"):
        start = start[:-2].rstrip() + ">"
    text = text[: sheets.start()] + start + "".join(sheet_elements) + f"</{p}sheets>" + text[sheets.end():]

    names_xml = f"<{p}definedNames>{''.join(names)}</{p}definedNames>" if names else ""
    existing = _element_re("definedNames", p).search(text)
    if existing:
        text = text[: existing.start()] + names_xml + text[existing.end():]
    elif names_xml:
        text = _insert_child(text, p, WORKBOOK_BEFORE_DEFINED_NAMES + ["definedNames"], "definedNames", names_xml)

    def fix_view(m: re.Match[str]) -> str:
        # activeTab and firstSheet are positions; activeTab must name an existing, visible sheet
        tag = m.group(0)
        if active or _get_attr(tag, "activeTab") is not None:
            tag = _set_attr(tag, "activeTab", str(active))
        first = _get_attr(tag, "firstSheet")
        if first is not None:
            old = int(first) if first.isdigit() else 0
            tag = _set_attr(tag, "firstSheet", str(min(new_position.get(old, 0), active)))
        return tag
    text = _start_tag_re("workbookView", p, literal=True).sub(fix_view, text)

    if full_calc:
        # openpyxl writes formulas without cached values: ask Excel to compute on open
        calc = _start_tag_re("calcPr", p, literal=True).search(text)
        if calc:
            text = text[: calc.start()] + _set_attr(calc.group(0), "fullCalcOnLoad", "1") + text[calc.end():]
        else:
            text = _insert_child(text, p, WORKBOOK_BEFORE_CALC_PR + ["calcPr"], "calcPr",
                                 f'<{p}calcPr fullCalcOnLoad="1"/>')
    return text


def start_entry_check(original: Path) -> "EntryCheck":
    """Start checking every entry of the package `original` (inflating it and
    comparing its CRC-32) in a thread, to hand to :func:`replace_sheets`
    later: started before the output tabs are rendered, the check of a big
    workbook is over by the time it is written."""
    check = EntryCheck(Path(original))
    check.start()
    return check


def replace_sheets(original: Path, rendered: Path, out: Path, owned: Iterable[str], compresslevel: int = 6,
                   check: "EntryCheck | None" = None, rows: "Iterable[Block]" = ()) -> None:
    """Write `out`: the package `original` with each sheet whose name is in
    `owned` removed, and every sheet of `rendered` put in.

    A rendered sheet takes the position of the removed original sheet of the
    same name, else it is appended, in `rendered`'s order. Every entry of
    `original` that does not have to change is copied byte for byte.
    `out` may be `original` itself (it is written to a temporary file first).

    Raises ValueError if a rendered sheet has the name of an original sheet
    that is not owned (nothing is written), PackageError (a ValueError) if
    either file is not an OOXML spreadsheet package or an entry of `original`
    is damaged (`check`, from :func:`start_entry_check`, or one started here,
    finds that out while the rest is done).

    `rows`: table rows a rendered sheet still lacks (see :mod:`salesplan.outputs.bulkrows`),
    written into it after its cells are rewritten, so they are never read back.
    """
    original, rendered, out = Path(original), Path(rendered), Path(out)
    if isinstance(owned, str):  # a lone name, not its characters
        owned = [owned]
    owned_keys = {_key(n) for n in owned}
    with _Package(original, "original") as orig, _Package(rendered, "rendered") as rend:
        # The original's entries are copied as they are stored; meanwhile they are inflated and
        # their CRCs checked on another core, so a damaged one still stops the write.
        if check is None or Path(check.path) != orig.path or check.stamp != _file_stamp(orig.path):
            check = start_entry_check(orig.path)
        splice = _Splice(orig, rend, owned_keys, rows)
        _write_package(orig, out, splice.replaced, splice.dropped, splice.added, compresslevel, check)


class _Splice:
    """Works out every entry of the output that differs from `original`."""

    def __init__(self, orig: _Package, rend: _Package, owned: set[str], rows: "Iterable[Block]" = ()):
        self.orig, self.rend, self.owned = orig, rend, owned
        self.rows: dict[str, list[Block]] = {}
        for block in rows:
            self.rows.setdefault(block.sheet_name, []).append(block)
        self.owb = _parse_workbook(orig)
        self.rwb = _parse_workbook(rend)
        self.slots = _layout(self.owb, self.rwb, owned, orig.path)
        self.replaced: dict[str, bytes] = {}   # original entry -> new content
        self.dropped: set[str] = set()         # original entries left out
        self.added: list[tuple[str, bytes]] = []
        self.new_types: dict[str, str] = {}    # new part -> content type
        for s in self.rwb.sheets:
            if s.part is None:
                raise PackageError(f"rendered workbook {rend.path}: sheet {s.name!r} has no part")
        if lost := set(self.rows) - {s.name for s in self.rwb.sheets}:
            raise ValueError(f"rows for sheets the rendered workbook lacks: {sorted(lost)}")
        self._drop_removed_sheets()
        self._merge_styles()
        self._add_rendered_parts()
        self._edit_workbook_parts()

    # -- removal -------------------------------------------------------------

    def _drop_removed_sheets(self) -> None:
        """Drop the owned sheets and every part only they reach; drop the
        calculation chain too, since it lists cells of removed sheets."""
        orig, wb_part = self.orig, self.orig.workbook_part
        self.removed = [s for s in self.owb.sheets if _key(s.name) in self.owned]
        self.dropped_rel_ids = {s.rid for s in self.removed}
        roots = [s.part for s in self.removed if s.part]
        if self.removed:
            for rel in orig.rels(wb_part):
                if rel.type == RT_CALC_CHAIN:
                    self.dropped_rel_ids.add(rel.id)
                    if rel.part:
                        roots.append(rel.part)
        skip = frozenset((wb_part, rid) for rid in self.dropped_rel_ids)
        kept = {p.lower() for p in orig.reachable([""], skip)}
        gone = [p for p in orig.reachable(roots) if p.lower() not in kept]
        for part in gone:
            self.dropped.add(part)
            rels = orig.entry(_rels_name(part))
            if rels:
                self.dropped.add(rels)
        # names taken in the output, for naming the new parts
        self.used_names = {n.lower() for n in orig.infos if n not in self.dropped}

    # -- styles --------------------------------------------------------------

    def _merge_styles(self) -> None:
        orig, rend = self.orig, self.rend
        o_rel = next((r for r in orig.rels(orig.workbook_part) if r.type == RT_STYLES and orig.entry(r.part or "")), None)
        r_rel = next((r for r in rend.rels(rend.workbook_part) if r.type == RT_STYLES and rend.entry(r.part or "")), None)
        if r_rel is None:  # rendered without styles: every cell is Normal
            self.xf_map, self.dxf_map = {}, {}
            return
        if o_rel is None:
            raise PackageError(f"original workbook {orig.path}: has no styles part")
        part = orig.entry(o_rel.part)
        try:
            merge = _merge_styles(orig.text(part), rend.read(r_rel.part))
        except (ET.ParseError, ValueError, TypeError) as e:
            raise PackageError(f"cannot merge styles of {rend.path} into {orig.path}: {e}") from e
        self.xf_map, self.dxf_map = merge.xf_map, merge.dxf_map
        if merge.text is not None:
            self.replaced[part] = merge.text.encode("utf-8")

    # -- rendered parts ------------------------------------------------------

    def _kept_tables(self) -> tuple[set[int], set[str]]:
        """Table ids and names (plus defined names, which share the name
        space) of the original's remaining parts."""
        ids = set()
        names = {_key(n.name) for n in self.owb.names + self.rwb.names if n.local is None}
        for name in self.orig.infos:
            if name in self.dropped or self.orig.content_type(name) != CT_TABLE:
                continue
            root = _root_tag(self.orig.head(name, 4096))
            if (_get_attr(root, "id") or "").isdigit():
                ids.add(int(_get_attr(root, "id")))
            for attr in ("name", "displayName"):
                if _get_attr(root, attr):
                    names.add(_key(_get_attr(root, attr)))
        return ids, names

    def _kept_vml_blocks(self) -> set[int]:
        blocks: set[int] = set()
        for name in self.orig.infos:
            if name not in self.dropped and (name.lower().endswith(".vml") or self.orig.content_type(name) == CT_VML):
                blocks |= _vml_blocks(self.orig.head(name, 8192))
        return blocks

    def _add_rendered_parts(self) -> None:
        rend = self.rend
        # Name every part reached from the rendered sheets; sheets first, so a
        # re-run gives every part the same name again.
        sheet_parts = [s.part for s in self.rwb.sheets]
        parts = rend.reachable(sheet_parts)
        self.new_name: dict[str, str] = {}
        for part in parts:
            self.new_name[part] = _free_part_name(part, self.used_names)

        strings = _shared_strings(rend, rend.workbook_part)
        table_ids, table_names = self._kept_tables()
        vml_blocks = self._kept_vml_blocks()
        next_table_id = max(table_ids, default=0) + 1
        active = self._active_slot()
        code_names = {id(slot.new): _code_name(self.orig.head(slot.replaces.part))
                      for slot in self.slots if slot.replaces and slot.replaces.part}
        self.has_formulas = False

        for part in parts:
            ct = rend.content_type(part)
            data = rend.read(part)
            sheet = next((s for s in self.rwb.sheets if s.part == part), None)
            if sheet is not None:
                xml = data.decode("utf-8-sig")
                xml = _rewrite_sheet(xml, self.xf_map, self.dxf_map, strings, f"sheet {sheet.name!r}")
                xml = _set_tab_selected(xml, active is not None and active.new is sheet)
                code_name = code_names.get(id(sheet))
                if code_name:
                    xml = _set_code_name(xml, code_name)
                self.has_formulas |= bool(_FORMULA.search(xml))
                if sheet.name in self.rows:  # after the passes above: they need not read these rows
                    from .bulkrows import insert_rows

                    xml = insert_rows(xml, self.rows[sheet.name], f"sheet {sheet.name!r}")
                data = xml.encode("utf-8")
            elif ct == CT_TABLE:
                xml = data.decode("utf-8-sig")
                name = _get_attr(_root_tag(xml), "displayName") or _get_attr(_root_tag(xml), "name") or "Table"
                unique, n = name, 1
                while _key(unique) in table_names:  # structured references to it are not renamed
                    n += 1
                    unique = f"{name}_{n}"
                table_names.add(_key(unique))
                data = _rewrite_table(xml, next_table_id, unique, self.dxf_map).encode("utf-8")
                next_table_id += 1
            elif part.lower().endswith(".vml") or ct == CT_VML:
                data = _rewrite_vml(data.decode("utf-8-sig", errors="replace"), vml_blocks).encode("utf-8")
            self._add(self.new_name[part], data, ct)
            self._add_part_rels(part)

    def _add_part_rels(self, part: str) -> None:
        rels = self.rend.rels(part)
        if not rels:
            return
        out = []
        for rel in rels:
            if rel.external:
                out.append((rel.id, rel.type, rel.target, True))
            elif rel.part in self.new_name:
                out.append((rel.id, rel.type, _relative(self.new_name[part], self.new_name[rel.part]), False))
            else:
                raise PackageError(f"rendered workbook {self.rend.path}: {part} refers to a missing "
                                   f"or workbook-level part {rel.target}")
        self._add(_rels_name(self.new_name[part]), _rels_xml(out), None)

    def _add(self, part: str, data: bytes, content_type: str | None) -> None:
        self.added.append((part, data))
        if content_type:
            self.new_types[part] = content_type

    # -- workbook-level parts ------------------------------------------------

    def _active_slot(self) -> _Slot | None:
        """The output's active sheet: the original's active sheet if it is
        still there (replaced or not), else the first visible sheet."""
        view = _start_tag_re("workbookView", self.owb.prefix, literal=True).search(self.owb.text)
        active = int(_get_attr(view.group(0), "activeTab") or 0) if view else 0
        if 0 <= active < len(self.owb.sheets):
            k = _key(self.owb.sheets[active].name)
            for slot in self.slots:
                if _key(slot.name) == k and slot.state == "visible":
                    return slot
        return next(s for s in self.slots if s.state == "visible")

    def _edit_workbook_parts(self) -> None:
        orig, owb = self.orig, self.owb
        wb_part = orig.workbook_part
        used_rids = {r.id for r in orig.rels(wb_part) if r.id not in self.dropped_rel_ids}
        used_rids |= {slot.replaces.rid for slot in self.slots if slot.replaces}
        next_sheet_id = max((s.sheet_id for s in owb.sheets), default=0) + 1
        sheet_elements, new_rels = [], []
        for slot in self.slots:
            if slot.kept:
                sheet_elements.append(slot.kept.raw)
                continue
            if slot.replaces:  # keep the replaced sheet's id and rId: stable across re-runs
                sheet_id, rid = slot.replaces.sheet_id, slot.replaces.rid
            else:
                sheet_id, rid = next_sheet_id, _free_rel_id(used_rids)
                next_sheet_id += 1
            sheet_elements.append(_sheet_element(owb.prefix, owb.r_prefix, slot.name, sheet_id, slot.state, rid))
            new_rels.append((rid, slot.new.rel_type, _relative(wb_part, self.new_name[slot.new.part])))

        positions = {id(s.kept or s.replaces): i for i, s in enumerate(self.slots) if s.kept or s.replaces}
        new_position = {old: positions[id(s)] for old, s in enumerate(owb.sheets) if id(s) in positions}
        active = self.slots.index(self._active_slot())
        names = _defined_names(owb, self.rwb, self.slots, self.owned)
        workbook = _edit_workbook(owb, sheet_elements, names, active, new_position, self.has_formulas)
        self.replaced[wb_part] = workbook.encode("utf-8")

        wb_rels = orig.entry(_rels_name(wb_part))
        self.replaced[wb_rels] = _edit_relationships(orig.text(wb_rels), self.dropped_rel_ids, new_rels).encode("utf-8")

        ct_entry = orig.entry("[Content_Types].xml")
        self.replaced[ct_entry] = _edit_content_types(
            orig.content_types, orig, {p.lower() for p in self.dropped}, self.new_types).encode("utf-8")

        self._edit_app_properties(names)

    def _edit_app_properties(self, names: list[str]) -> None:
        def described(wb_sheets: list[str], raws: Iterable[str]) -> list[tuple[str, str | None, bool]]:
            out = []
            for raw in raws:
                tag = _start_tag(raw)
                local = _get_attr(tag, "localSheetId")
                sheet = wb_sheets[int(local)] if local is not None and int(local) < len(wb_sheets) else None
                out.append((_get_attr(tag, "name") or "", sheet, _get_attr(tag, "hidden") in ("1", "true")))
            return out

        old_sheets = [s.name for s in self.owb.sheets]
        new_sheets = [s.name for s in self.slots]
        for rel in self.orig.rels(""):
            if rel.type.endswith("/extended-properties") and rel.part and self.orig.entry(rel.part):
                part = self.orig.entry(rel.part)
                new = _edit_app_properties(self.orig.text(part), old_sheets, new_sheets,
                                           described(old_sheets, (n.raw for n in self.owb.names)),
                                           described(new_sheets, names))
                if new is not None:
                    self.replaced[part] = new.encode("utf-8")


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------

def _zip_info(name: str, date_time: tuple, compresslevel: int, external_attr: int = 0o600 << 16) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.external_attr = external_attr
    info.compress_type = zipfile.ZIP_STORED if name.endswith("/") else zipfile.ZIP_DEFLATED
    # ZipFile(compresslevel=) only applies to entries written by name, not by ZipInfo
    info._compresslevel = compresslevel
    return info


def _write_package(orig: _Package, out: Path, replaced: dict[str, bytes], dropped: set[str],
                   added: list[tuple[str, bytes]], compresslevel: int, check: "EntryCheck | None" = None) -> None:
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
                if _copy_stored(source, info, zout):
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


class EntryCheck(threading.Thread):
    """Inflates every entry of a zip and checks its CRC-32, in a thread: zlib
    lets go of the interpreter while it inflates, so this runs beside the
    splice on another core. ``error`` is what reading an entry raised."""

    def __init__(self, path: Path) -> None:
        super().__init__(name="salesplan-zip-check", daemon=True)
        self.path = path
        self.stamp = _file_stamp(path)  # a file saved again since is checked again
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with zipfile.ZipFile(self.path) as z:
                for info in z.infolist():
                    if info.filename.endswith("/"):
                        continue
                    with z.open(info) as entry:
                        while entry.read(1 << 22):
                            pass
        except BaseException as e:  # noqa: BLE001 - handed to the writing thread, which raises it
            self.error = e


def _file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


#: Compression methods whose stored bytes are copied as they are (every .xlsx uses one of them).
_COPYABLE = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


def _copy_stored(source: BinaryIO, info: zipfile.ZipInfo, zout: zipfile.ZipFile) -> bool:
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
    source.seek(info.header_offset)
    header = source.read(zipfile.sizeFileHeader)
    if len(header) != zipfile.sizeFileHeader or header[:4] != zipfile.stringFileHeader:
        raise zipfile.BadZipFile(f"bad local header of {info.filename}")
    fields = struct.unpack(zipfile.structFileHeader, header)
    source.seek(fields[zipfile._FH_FILENAME_LENGTH] + fields[zipfile._FH_EXTRA_FIELD_LENGTH], os.SEEK_CUR)

    entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    entry.compress_type = info.compress_type
    entry.external_attr = info.external_attr
    entry.create_system = info.create_system
    entry.flag_bits = info.flag_bits & 0x800  # keep "UTF-8 name"; sizes are in this header, no descriptor
    entry.CRC, entry.compress_size, entry.file_size = info.CRC, info.compress_size, info.file_size
    zip64 = entry.file_size > zipfile.ZIP64_LIMIT or entry.compress_size > zipfile.ZIP64_LIMIT
    entry.header_offset = zout.fp.tell()
    zout.fp.write(entry.FileHeader(zip64))
    left = entry.compress_size
    while left:
        chunk = source.read(min(left, 1 << 20))
        if not chunk:
            raise EOFError(f"{info.filename} is cut short")
        zout.fp.write(chunk)
        left -= len(chunk)
    zout.filelist.append(entry)
    zout.NameToInfo[entry.filename] = entry
    zout.start_dir = zout.fp.tell()
    zout._didModify = True
    return True
