"""Relationships parts (``_rels/*.rels``; ECMA-376 Part 2, §9.3 Relationships).

Every part that refers to another does so through its relationships part: an id, a type and a
target relative to the source part. Reading them (with ElementTree: a relationships part has no
markup-compatibility declarations to keep), resolving targets to part names, and editing or writing
them as text.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import unquote

from ..errors import PackageError
from .xml import NS_R, element_re, esc_attr, get_attr, ns_prefix, root_tag, start_tag

__all__ = [
    "NS_PKG_RELS", "RT_CALC_CHAIN", "RT_OFFICE_DOCUMENT", "RT_SHARED_STRINGS", "RT_STYLES", "Rel",
    "edit_relationships", "free_rel_id", "parse_rels", "relative", "rels_name", "rels_xml", "resolve",
]

NS_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"

RT_OFFICE_DOCUMENT = NS_R + "/officeDocument"
RT_CALC_CHAIN = NS_R + "/calcChain"
RT_SHARED_STRINGS = NS_R + "/sharedStrings"
RT_STYLES = NS_R + "/styles"


@dataclass
class Rel:
    id: str
    type: str
    target: str      # as written
    external: bool
    part: str | None  # resolved part name (zip entry name), None if external


def rels_name(part: str) -> str:
    """The .rels entry of `part` ('' is the package itself)."""
    directory, base = posixpath.split(part)
    return posixpath.join(directory, "_rels", base + ".rels")


def resolve(source: str, target: str) -> str:
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def relative(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def parse_rels(data: bytes, source: str, where: str) -> list[Rel]:
    """The relationships in the .rels part `data` of part `source`, targets resolved to part names
    (as written: the caller maps them onto its entries). `where` starts the PackageError message
    of broken XML."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise PackageError(f"{where}: {e}") from e
    rels: list[Rel] = []
    for el in root:
        if el.tag != f"{{{NS_PKG_RELS}}}Relationship":
            continue
        external = el.get("TargetMode") == "External"
        target = el.get("Target", "")
        resolved = None if external else resolve(source, target)
        rels.append(Rel(el.get("Id", ""), el.get("Type", ""), target, external, resolved))
    return rels


def rels_xml(rels: list[tuple[str, str, str, bool]]) -> bytes:
    """A new relationships part: (id, type, target, external) each."""
    items = "".join(
        f'<Relationship Id="{esc_attr(i)}" Type="{esc_attr(t)}" Target="{esc_attr(target)}"'
        + (' TargetMode="External"' if external else "") + "/>"
        for i, t, target, external in rels)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{NS_PKG_RELS}">{items}</Relationships>').encode()


def free_rel_id(used: set[str]) -> str:
    n = 1
    while f"rId{n}" in used:
        n += 1
    used.add(f"rId{n}")
    return f"rId{n}"


def edit_relationships(text: str, drop_ids: set[str], add: list[tuple[str, str, str]]) -> str:
    """The relationships part `text` without the ids `drop_ids` and with (id, type, target) `add`."""
    p = ns_prefix(root_tag(text), NS_PKG_RELS) or ""

    def keep(m: re.Match[str]) -> str:
        return "" if get_attr(start_tag(m.group(0)), "Id") in drop_ids else m.group(0)
    text = element_re("Relationship", p).sub(keep, text)
    new = "".join(f'<{p}Relationship Id="{esc_attr(i)}" Type="{esc_attr(t)}" Target="{esc_attr(target)}"/>'
                  for i, t, target in add)
    end = re.search(rf"</{re.escape(p)}Relationships\s*>", text)
    assert end is not None, "a relationships part without its end tag"
    return text[: end.start()] + new + text[end.start():]
