"""The styles part (``xl/styles.xml``; ECMA-376 Part 1, §18.8 Styles).

Cells name their format by its index in ``<cellXfs>``, which names a font, fill, border and number
format by index; conditional formats and tables name differential formats (``<dxfs>``). Merging
the styles of a rendered workbook into the user's appends the entries the user's part lacks and
maps every rendered index onto the merged part's.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .xml import (
    NS_MAIN,
    NS_XML,
    element_re,
    esc_attr,
    esc_text,
    insert_child,
    ns_prefix,
    root_tag,
    set_attr,
    start_tag,
)

__all__ = ["StyleMerge", "merge_styles"]

# Child order of <styleSheet> per the schema; Excel rejects files whose children are out of
# order, so new elements are inserted after the last present predecessor.
STYLE_CHILDREN = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs",
                  "cellStyles", "dxfs", "tableStyles", "colors", "extLst"]

# Rendered style entries that are the workbook defaults: they map onto the
# user's defaults (font 0 is the user's body font, fills 0/1 are the
# mandatory "none"/"gray125", border 0 is empty, xf 0 is Normal), so a
# rendered cell that is "default" looks like the user's default cells.
FIXED_STYLE_ENTRIES = {"fonts": 1, "fills": 2, "borders": 1, "cellXfs": 1, "dxfs": 0}


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
        decl = f' xmlns="{esc_attr(ns)}"'
        default_ns = ns
    attrs = []
    extra_ns: dict[str, str] = {}
    for key, value in el.attrib.items():
        ans, alocal = _local(key)
        if not ans:
            attrs.append(f'{alocal}="{esc_attr(value)}"')
        elif ans == NS_XML:
            attrs.append(f'xml:{alocal}="{esc_attr(value)}"')
        else:
            pfx = extra_ns.setdefault(ans, f"a{len(extra_ns)}")
            attrs.append(f'{pfx}:{alocal}="{esc_attr(value)}"')
    decl += "".join(f' xmlns:{p}="{esc_attr(n)}"' for n, p in extra_ns.items())
    head = "<" + name + decl + "".join(" " + a for a in attrs)
    inner = esc_text(el.text or "") + "".join(_serialize(c, main_prefix, default_ns) for c in el)
    body = head + (f">{inner}</{name}>" if inner else "/>")
    return body + esc_text(el.tail or "") if el.tail and el.tail.strip() else body


def _canonical(el: ET.Element) -> str:
    """Order-insensitive identity of a style entry, for de-duplication."""
    attrs = ",".join(f"{k}={v}" for k, v in sorted(el.attrib.items()))
    children = "".join(sorted(_canonical(c) for c in el))
    return f"<{el.tag} {attrs}>{(el.text or '').strip()}{children}</>"


def _children(root: ET.Element, local: str) -> list[ET.Element]:
    el = root.find(f"{{{NS_MAIN}}}{local}")
    return list(el) if el is not None else []


def _required(el: ET.Element, name: str) -> str:
    """Attribute `name` of `el`; TypeError (a broken styles part) if it has none."""
    value = el.get(name)
    if value is None:
        raise TypeError(f"{_local(el.tag)[1]} without {name}")
    return value


@dataclass
class StyleMerge:
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


def merge_styles(original_text: str, rendered_xml: bytes) -> StyleMerge:
    """Append the rendered workbook's fonts, fills, borders, number formats,
    cell formats and differential formats to the original styles.

    Raises ET.ParseError, ValueError or TypeError for a styles part it cannot merge."""
    o = ET.fromstring(original_text.encode("utf-8"))
    r = ET.fromstring(rendered_xml)
    prefix = ns_prefix(root_tag(original_text), NS_MAIN)
    if prefix is None:
        raise ValueError("styles part is not SpreadsheetML")
    fragments: dict[str, tuple[int, list[str]]] = {}  # element -> (new count, appended xml)

    # Number formats: reuse an identical format code, else a fresh id >= 164.
    o_fmts = {el.get("formatCode"): int(_required(el, "numFmtId")) for el in _children(o, "numFmts")}
    next_id = [max([163, *o_fmts.values()]) + 1]
    new_fmts: list[str] = []

    def format_id(code: str) -> int:
        if code not in o_fmts:
            o_fmts[code] = next_id[0]
            new_fmts.append(f'<{prefix}numFmt numFmtId="{next_id[0]}" formatCode="{esc_attr(code)}"/>')
            next_id[0] += 1
        return o_fmts[code]

    fmt_map = {int(_required(el, "numFmtId")): format_id(_required(el, "formatCode")) for el in _children(r, "numFmts")}

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
            code = fmt.get("formatCode")
            if code is not None:
                fmt.set("numFmtId", str(format_id(code)))
        dxfs.append(el)
    dxf_map, appended = _merge_list(_children(o, "dxfs"), dxfs, FIXED_STYLE_ENTRIES["dxfs"])
    if appended:
        fragments["dxfs"] = (len(_children(o, "dxfs")) + len(appended), [_serialize(el, prefix) for el in appended])

    if new_fmts:
        fragments["numFmts"] = (len(_children(o, "numFmts")) + len(new_fmts), new_fmts)
    text = original_text
    for local, (count, items) in fragments.items():
        text = _append_children(text, prefix, local, items, count)
    return StyleMerge(text if fragments else None, xf_map, dxf_map)


def _copy(el: ET.Element) -> ET.Element:
    return ET.fromstring(ET.tostring(el))


def _append_children(text: str, prefix: str, local: str, items: list[str], count: int) -> str:
    """Append `items` to the top-level `local` list of styles.xml and fix its count."""
    m = element_re(local, prefix).search(text)
    if m is None:
        fragment = f'<{prefix}{local} count="{count}">{"".join(items)}</{prefix}{local}>'
        return insert_child(text, prefix, STYLE_CHILDREN, local, fragment)
    element = m.group(0)
    start = start_tag(element)
    if start.endswith("/>"):
        new_start = set_attr(start[:-2].rstrip() + ">", "count", str(count))
        new = new_start + "".join(items) + f"</{prefix}{local}>"
    else:
        close = element.rindex("</")
        new = set_attr(start, "count", str(count)) + element[len(start):close] + "".join(items) + element[close:]
    return text[: m.start()] + new + text[m.end():]
