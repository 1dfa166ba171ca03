"""The content types part (``[Content_Types].xml``; ECMA-376 Part 2, §10.1.2 Content Types).

Every part's content type is an ``<Override>`` for its name or else the ``<Default>`` for its
extension. Reading them, and editing the part as text when parts are dropped and added.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote, unquote

from .xml import (
    element_re,
    esc_attr,
    get_attr,
    ns_prefix,
    root_tag,
    start_tag,
    start_tag_re,
)

__all__ = ["CT_TABLE", "CT_VML", "NS_CT", "ContentTypes", "edit_content_types"]

NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"

CT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"


class ContentTypes:
    """The defaults and overrides of a content types part (``text``)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.defaults: dict[str, str] = {}   # extension (lower case) -> content type
        self.overrides: dict[str, str] = {}  # part name (lower case) -> content type
        for tag in start_tag_re("Default").findall(text):
            self.defaults[(get_attr(tag, "Extension") or "").lower()] = get_attr(tag, "ContentType") or ""
        for tag in start_tag_re("Override").findall(text):
            part = unquote(get_attr(tag, "PartName") or "").lstrip("/").lower()
            self.overrides[part] = get_attr(tag, "ContentType") or ""

    def of(self, part: str) -> str | None:
        """The content type of `part`, or None if neither an override nor a default gives one."""
        ct = self.overrides.get(part.lower())
        if ct is None:
            ct = self.defaults.get(posixpath.splitext(part)[1].lstrip(".").lower())
        return ct


def edit_content_types(types: ContentTypes, drop_parts: set[str], add: dict[str, str]) -> str:
    """The content types part without the overrides of `drop_parts` (lower case) and with a type
    for each new part of `add` (part -> content type), as a default or an override."""
    text = types.text
    p = ns_prefix(root_tag(text), NS_CT) or ""

    def keep(m: re.Match[str]) -> str:
        part = unquote(get_attr(start_tag(m.group(0)), "PartName") or "").lstrip("/").lower()
        return "" if part in drop_parts else m.group(0)
    text = element_re("Override", p).sub(keep, text)
    new = []
    defaults = {ext: ct for ext, ct in types.defaults.items()}
    for part, ct in add.items():
        ext = posixpath.splitext(part)[1].lstrip(".").lower()
        if defaults.get(ext) == ct:
            continue
        if ext and ext not in defaults and ext != "xml":  # e.g. png: a Default, as Excel writes
            defaults[ext] = ct
            new.append(f'<{p}Default Extension="{esc_attr(ext)}" ContentType="{esc_attr(ct)}"/>')
        else:
            new.append(f'<{p}Override PartName="/{esc_attr(quote(part))}" ContentType="{esc_attr(ct)}"/>')
    # Defaults first: the schema allows any order, Excel writes them first
    new.sort(key=lambda s: "Default " not in s)
    end = re.search(rf"</{re.escape(p)}Types\s*>", text)
    assert end is not None, "a content types part without its end tag"
    return text[: end.start()] + "".join(new) + text[end.start():]
