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
rather than parsed and re-serialised (see :mod:`salesplan.ooxml.xml` for why);
each part's edits live in the module named after it (``content_types``,
``relationships``, ``workbook``, ``styles``, ``app``, ``worksheet``, ``table``,
``vml``), and this module decides what goes where.

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

import logging
import shutil
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import PackageError
from ..scratch import scratch_folder
from . import worksheet
from .app import edit_app_properties
from .content_types import CT_TABLE, CT_VML, edit_content_types
from .marks import MARK_NAME, mark_element
from .package import EntryCheck, Package, file_stamp, free_part_name, write_package
from .relationships import (
    NS_PKG_RELS,
    RT_CALC_CHAIN,
    RT_OFFICE_DOCUMENT,
    RT_STYLES,
    edit_relationships,
    free_rel_id,
    relative,
    rels_name,
    rels_xml,
)
from .shared_strings import shared_strings
from .styles import merge_styles
from .table import rewrite_table, table_identity, table_name
from .vba import (
    RT_VBA_PROJECT,
    SIGNATURE_TYPE,
    VbaProject,
    edit_document_modules,
    editable,
    free_code_name,
    read_project,
)
from .vml import rewrite_vml, vml_blocks
from .workbook import (
    Sheet,
    Workbook,
    active_tab,
    defined_names,
    edit_workbook,
    parse_workbook,
    sheet_element,
)
from .worksheet import Block
from .xml import NS_MAIN, NS_R, get_attr, key, start_tag

__all__ = ["extract_sheets", "replace_sheets", "start_entry_check"]

log = logging.getLogger(__name__)


@dataclass
class _Slot:
    """One sheet of the output, in order."""
    name: str
    state: str
    kept: Sheet | None = None       # an original sheet kept as is
    new: Sheet | None = None        # a rendered sheet...
    replaces: Sheet | None = None   # ...put at the place of this original sheet


def _layout(orig: Workbook, rend: Workbook, owned: set[str], original: Path) -> list[_Slot]:
    """Output sheet order: the original order with owned sheets replaced by
    the rendered sheet of the same name (or removed), then the other
    rendered sheets in their order."""
    orig_by_key = {key(s.name): s for s in orig.sheets}
    for s in rend.sheets:
        clash = orig_by_key.get(key(s.name))
        if clash is not None and key(clash.name) not in owned:
            raise ValueError(f"rendered sheet {s.name!r} would overwrite the user's sheet {clash.name!r} "
                             f"of {original}: it is not one of the owned sheets")
    rend_by_key = {key(s.name): s for s in rend.sheets}
    slots: list[_Slot] = []
    placed: set[str] = set()
    for s in orig.sheets:
        k = key(s.name)
        if k not in owned:
            slots.append(_Slot(s.name, s.state, kept=s))
        elif k in rend_by_key:
            r = rend_by_key[k]
            slots.append(_Slot(r.name, r.state, new=r, replaces=s))
            placed.add(k)
    for r in rend.sheets:
        if key(r.name) not in placed:
            slots.append(_Slot(r.name, r.state, new=r))
    if not any(slot.state == "visible" for slot in slots):
        raise ValueError("the output would have no visible sheet: Excel needs one")
    return slots


def _is_mark(raw: str) -> bool:
    """Whether the <definedName> `raw` is the program's mark on a sheet."""
    return get_attr(start_tag(raw), "name") == MARK_NAME


def start_entry_check(original: Path) -> EntryCheck:
    """Start checking every entry of the package `original` (inflating it and
    comparing its CRC-32) in a thread, to hand to :func:`replace_sheets`
    later: started before the output tabs are rendered, the check of a big
    workbook is over by the time it is written."""
    check = EntryCheck(Path(original))
    check.start()
    return check


def replace_sheets(original: Path, rendered: Path, out: Path, owned: Iterable[str], compresslevel: int = 6,
                   check: EntryCheck | None = None, rows: Iterable[Block] = (), mark: bool = False) -> None:
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

    `rows`: table rows a rendered sheet still lacks (see :class:`salesplan.ooxml.worksheet.Block`),
    written into it after its cells are rewritten, so they are never read back.
    `mark`: give every sheet of `out` the program's mark (see :mod:`salesplan.ooxml.marks`): `out`
    is a book of the program's tabs.
    """
    original, rendered, out = Path(original), Path(rendered), Path(out)
    if isinstance(owned, str):  # a lone name, not its characters
        owned = [owned]
    owned_keys = {key(n) for n in owned}
    with Package(original, "original") as orig, Package(rendered, "rendered") as rend:
        # The original's entries are copied as they are stored; meanwhile they are inflated and
        # their CRCs checked on another core, so a damaged one still stops the write.
        if check is None or Path(check.path) != orig.path or check.stamp != file_stamp(orig.path):
            check = start_entry_check(orig.path)
        splice = _Splice(orig, rend, owned_keys, rows, mark)
        write_package(orig, out, splice.replaced, splice.dropped, splice.added, compresslevel, check)


def extract_sheets(original: Path, out: Path, names: Sequence[str], check: EntryCheck | None = None) -> None:
    """Write `out`: a workbook of just the sheets `names` of `original`, in that order, each as it
    is (cells, styles, print settings, drawings, comments and the names local to it, such as its
    print area); the other sheets and the parts only they use are left out.

    In the original's order this is one splice: every other sheet removed, nothing put in. In
    another order each sheet is taken out alone and the next ones are spliced in after it.

    Raises KeyError naming a sheet `original` does not have, and what :func:`replace_sheets` raises.
    """
    original, out = Path(original), Path(out)
    if not names:
        raise ValueError("extract_sheets: no sheet to keep")
    with Package(original, "original") as pkg:
        sheets = [s.name for s in parse_workbook(pkg).sheets]
    position = {key(name): i for i, name in enumerate(sheets)}
    if missing := [n for n in names if key(n) not in position]:
        raise KeyError(f"{original} has no sheet {missing[0]!r}")
    wanted = [position[key(n)] for n in names]
    with scratch_folder("extract") as tmp:
        empty = Path(tmp) / "empty.xlsx"
        _write_empty_package(empty)

        def keep(indices: list[int], target: Path) -> None:
            kept = {key(sheets[i]) for i in indices}
            replace_sheets(original, empty, target, owned=[s for s in sheets if key(s) not in kept], check=check)

        if wanted == sorted(wanted):
            keep(wanted, out)
            return
        done = Path(tmp) / "0.xlsx"
        keep(wanted[:1], done)
        for i, index in enumerate(wanted[1:], start=1):
            alone, joined = Path(tmp) / f"{i}-alone.xlsx", Path(tmp) / f"{i}.xlsx"
            keep([index], alone)
            replace_sheets(done, alone, joined, owned=set())
            done = joined
        shutil.copyfile(done, out)


def _write_empty_package(path: Path) -> None:
    """A workbook package without a sheet: what :func:`extract_sheets` splices in (nothing)."""
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/></Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{NS_PKG_RELS}">'
            f'<Relationship Id="rId1" Type="{RT_OFFICE_DOCUMENT}" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{NS_MAIN}" '
            f'xmlns:r="{NS_R}"><sheets/></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{NS_PKG_RELS}"/>'),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)


class _Splice:
    """Works out every entry of the output that differs from `original`."""

    def __init__(self, orig: Package, rend: Package, owned: set[str], rows: Iterable[Block] = (),
                 mark: bool = False):
        self.orig, self.rend, self.owned, self.mark = orig, rend, owned, mark
        self.rows: dict[str, list[Block]] = {}
        for block in rows:
            self.rows.setdefault(block.sheet_name, []).append(block)
        self.owb = parse_workbook(orig)
        self.rwb = parse_workbook(rend)
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
        self.removed = [s for s in self.owb.sheets if key(s.name) in self.owned]
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
            rels = orig.entry(rels_name(part))
            if rels:
                self.dropped.add(rels)
        # names taken in the output, for naming the new parts
        self.used_names = {n.lower() for n in orig.infos if n not in self.dropped}

    # -- styles --------------------------------------------------------------

    def _merge_styles(self) -> None:
        orig, rend = self.orig, self.rend
        o_rel = next((r for r in orig.rels(orig.workbook_part)
                      if r.type == RT_STYLES and orig.entry(r.part or "")), None)
        r_rel = next((r for r in rend.rels(rend.workbook_part)
                      if r.type == RT_STYLES and rend.entry(r.part or "")), None)
        if r_rel is None:  # rendered without styles: every cell is Normal
            self.xf_map: dict[int, int] = {}
            self.dxf_map: dict[int, int] = {}
            return
        if o_rel is None:
            raise PackageError(f"original workbook {orig.path}: has no styles part")
        part = orig.require(o_rel.part or "")
        try:
            merge = merge_styles(orig.text(part), rend.read(r_rel.part or ""))
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
        names = {key(n.name) for n in self.owb.names + self.rwb.names if n.local is None}
        for name in self.orig.infos:
            if name in self.dropped or self.orig.content_type(name) != CT_TABLE:
                continue
            table_id, table_names = table_identity(self.orig.head(name, 4096))
            if table_id is not None:
                ids.add(table_id)
            names |= table_names
        return ids, names

    def _kept_vml_blocks(self) -> set[int]:
        blocks: set[int] = set()
        for name in self.orig.infos:
            if name not in self.dropped and (name.lower().endswith(".vml") or self.orig.content_type(name) == CT_VML):
                blocks |= vml_blocks(self.orig.head(name, 8192))
        return blocks

    def _add_rendered_parts(self) -> None:
        rend = self.rend
        # Name every part reached from the rendered sheets; sheets first, so a
        # re-run gives every part the same name again.
        sheet_parts = [s.part for s in self.rwb.sheets if s.part is not None]  # all of them: checked
        parts = rend.reachable(sheet_parts)
        self.new_name: dict[str, str] = {}
        for part in parts:
            self.new_name[part] = free_part_name(part, self.used_names)

        strings = shared_strings(rend, rend.workbook_part)
        table_ids, table_names = self._kept_tables()
        used_vml_blocks = self._kept_vml_blocks()
        next_table_id = max(table_ids, default=0) + 1
        active = self._active_slot()
        code_names = self._code_names()
        self.has_formulas = False

        for part in parts:
            ct = rend.content_type(part)
            data = rend.read(part)
            sheet = next((s for s in self.rwb.sheets if s.part == part), None)
            if sheet is not None:
                xml, formulas = worksheet.adapt_rendered_sheet(
                    data.decode("utf-8-sig"), self.xf_map, self.dxf_map, strings, f"sheet {sheet.name!r}",
                    selected=active.new is sheet, code_name=code_names.get(id(sheet)), rows=self.rows.get(sheet.name))
                self.has_formulas |= formulas
                data = xml.encode("utf-8")
            elif ct == CT_TABLE:
                xml = data.decode("utf-8-sig")
                name = table_name(xml)
                unique, n = name, 1
                while key(unique) in table_names:  # structured references to it are not renamed
                    n += 1
                    unique = f"{name}_{n}"
                table_names.add(key(unique))
                data = rewrite_table(xml, next_table_id, unique, self.dxf_map).encode("utf-8")
                next_table_id += 1
            elif part.lower().endswith(".vml") or ct == CT_VML:
                data = rewrite_vml(data.decode("utf-8-sig", errors="replace"), used_vml_blocks).encode("utf-8")
            self._add(self.new_name[part], data, ct)
            self._add_part_rels(part)

    def _code_names(self) -> dict[int, str | None]:
        """The VBA code name of each rendered sheet (by ``id``), the VBA project edited to match.

        A rendered sheet keeps the code name of the sheet it replaces; in a workbook with a VBA
        project that :func:`salesplan.ooxml.vba.editable` allows to change, any other gets the first
        free ``Sheet<n>`` and its document module, and the document modules no sheet names any more
        (those of the removed tabs, and orphans an earlier version left) are removed. Without such
        a project a new sheet gets no code name (Excel gives it one on open). Code names are unique:
        a rendered sheet never brings its own (a template's «Лист1»)."""
        orig = self.orig
        kept_codes = [worksheet.code_name(orig.head(slot.kept.part)) for slot in self.slots
                      if slot.kept and slot.kept.part]
        used = {c.casefold() for c in kept_codes if c}
        vba_part, project = self._vba_project()
        workbook_code = worksheet.code_name_of_workbook(orig.head(orig.workbook_part))
        taken = set(used) | {m.casefold() for m in (project.modules if project else ())}
        if workbook_code:
            taken.add(workbook_code.casefold())
        names: dict[int, str | None] = {}
        for slot in self.slots:
            if slot.new is None:
                continue
            old = worksheet.code_name(orig.head(slot.replaces.part)) if slot.replaces and slot.replaces.part else None
            code = old if old and old.casefold() not in used else None
            if code is None and project is not None:
                code = free_code_name(taken)
            names[id(slot.new)] = code
            if code:
                used.add(code.casefold())
                taken.add(code.casefold())
        if project is None or vba_part is None:
            return names
        sheet_codes = [c for c in kept_codes if c] + [c for c in names.values() if c]
        wanted = {c.casefold() for c in sheet_codes}
        documents = {d.casefold(): d for d in project.documents}
        if workbook_code and workbook_code.casefold() in documents:
            wanted.add(workbook_code.casefold())
            remove = [d for d in project.documents if d.casefold() not in wanted]
        else:  # which module is the workbook's is not known: only the removed tabs' modules go
            removed = {c.casefold() for s in self.removed if s.part and (c := worksheet.code_name(orig.head(s.part)))}
            remove = [d for d in project.documents if d.casefold() in removed - wanted]
        modules = {m.casefold() for m in project.modules}
        add = list(dict.fromkeys(c for c in sheet_codes if c.casefold() not in modules))
        if remove or add:
            try:
                self.replaced[vba_part] = edit_document_modules(orig.read(vba_part), remove, add)
            except ValueError as exc:  # the project stays as it was; Excel names the new sheets
                log.warning("VBA project of %s left as it was: %s", orig.path, exc)
                return {key: (code if code and code.casefold() in modules else None)
                        for key, code in names.items()}
        return names

    def _vba_project(self) -> tuple[str | None, VbaProject | None]:
        """The workbook's VBA project part, and what it holds if the program may edit it."""
        orig = self.orig
        part = next((r.part for r in orig.rels(orig.workbook_part)
                     if r.type == RT_VBA_PROJECT and r.part and orig.entry(r.part)), None)
        if part is None:
            return None, None
        part = orig.require(part)
        signed = any(SIGNATURE_TYPE.search(r.type) for r in orig.rels(part))
        try:
            data = orig.read(part)
        except (OSError, ValueError, zlib.error, zipfile.BadZipFile) as exc:  # a damaged entry: the entry check says so
            log.info("VBA project of %s not read: %s", orig.path, exc)
            return part, None
        why = editable(data, signed)
        if why is not None:
            log.info("VBA project of %s left as it is: %s", orig.path, why)
            return part, None
        return part, read_project(data)

    def _add_part_rels(self, part: str) -> None:
        rels = self.rend.rels(part)
        if not rels:
            return
        out = []
        for rel in rels:
            if rel.external:
                out.append((rel.id, rel.type, rel.target, True))
            elif rel.part is not None and rel.part in self.new_name:
                out.append((rel.id, rel.type, relative(self.new_name[part], self.new_name[rel.part]), False))
            else:
                raise PackageError(f"rendered workbook {self.rend.path}: {part} refers to a missing "
                                   f"or workbook-level part {rel.target}")
        self._add(rels_name(self.new_name[part]), rels_xml(out), None)

    def _add(self, part: str, data: bytes, content_type: str | None) -> None:
        self.added.append((part, data))
        if content_type:
            self.new_types[part] = content_type

    # -- workbook-level parts ------------------------------------------------

    def _active_slot(self) -> _Slot:
        """The output's active sheet: the original's active sheet if it is
        still there (replaced or not), else the first visible sheet."""
        active = active_tab(self.owb)
        if 0 <= active < len(self.owb.sheets):
            k = key(self.owb.sheets[active].name)
            for slot in self.slots:
                if key(slot.name) == k and slot.state == "visible":
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
            assert slot.new is not None and slot.new.part is not None, "a slot is kept or new"
            if slot.replaces:  # keep the replaced sheet's id and rId: stable across re-runs
                sheet_id, rid = slot.replaces.sheet_id, slot.replaces.rid
            else:
                sheet_id, rid = next_sheet_id, free_rel_id(used_rids)
                next_sheet_id += 1
            sheet_elements.append(sheet_element(owb.prefix, owb.r_prefix, slot.name, sheet_id, slot.state, rid))
            new_rels.append((rid, slot.new.rel_type, relative(wb_part, self.new_name[slot.new.part])))

        positions = {id(s.kept or s.replaces): i for i, s in enumerate(self.slots) if s.kept or s.replaces}
        new_position = {old: positions[id(s)] for old, s in enumerate(owb.sheets) if id(s) in positions}
        active = self.slots.index(self._active_slot())
        names = defined_names(owb, self.rwb, [slot.name for slot in self.slots], self.owned)
        if self.mark:
            names = [n for n in names if not _is_mark(n)]
            names += [mark_element(owb.prefix, i, slot.name) for i, slot in enumerate(self.slots)]
        workbook = edit_workbook(owb, sheet_elements, names, active, new_position, self.has_formulas)
        self.replaced[wb_part] = workbook.encode("utf-8")

        wb_rels = orig.require(rels_name(wb_part))
        self.replaced[wb_rels] = edit_relationships(orig.text(wb_rels), self.dropped_rel_ids, new_rels).encode("utf-8")

        ct_entry = orig.require("[Content_Types].xml")
        self.replaced[ct_entry] = edit_content_types(
            orig.types, {p.lower() for p in self.dropped}, self.new_types).encode("utf-8")

        self._edit_app_properties(names)

    def _edit_app_properties(self, names: list[str]) -> None:
        def described(wb_sheets: list[str], raws: Iterable[str]) -> list[tuple[str, str | None, bool]]:
            out = []
            for raw in raws:
                tag = start_tag(raw)
                local = get_attr(tag, "localSheetId")
                sheet = wb_sheets[int(local)] if local is not None and int(local) < len(wb_sheets) else None
                out.append((get_attr(tag, "name") or "", sheet, get_attr(tag, "hidden") in ("1", "true")))
            return out

        old_sheets = [s.name for s in self.owb.sheets]
        new_sheets = [s.name for s in self.slots]
        for rel in self.orig.rels(""):
            part = self.orig.entry(rel.part) if rel.type.endswith("/extended-properties") and rel.part else None
            if part:
                new = edit_app_properties(self.orig.text(part), old_sheets, new_sheets,
                                          described(old_sheets, (n.raw for n in self.owb.names)),
                                          described(new_sheets, names))
                if new is not None:
                    self.replaced[part] = new.encode("utf-8")
