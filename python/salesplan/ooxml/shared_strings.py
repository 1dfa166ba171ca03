"""The shared string table (``xl/sharedStrings.xml``; ECMA-376 Part 1, §18.4 Shared String Table).

A cell of type ``s`` holds an index into this table. The splice reads the rendered workbook's
table and writes its strings inline into the rendered sheets (see
:func:`salesplan.ooxml.worksheet.adapt_rendered_sheet`), so the user's table is never rewritten.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .relationships import RT_SHARED_STRINGS
from .xml import PREFIX

if TYPE_CHECKING:
    from .package import Package

__all__ = ["shared_strings"]

_SI = re.compile(rf"<({PREFIX})si(?:\s[^>]*)?(?:/>|>(.*?)</\1si>)", re.DOTALL)


def shared_strings(pkg: Package, workbook_part: str) -> list[str]:
    """Inner XML of every <si> of the package's shared string table ([] if it has none)."""
    for rel in pkg.rels(workbook_part):
        if rel.type == RT_SHARED_STRINGS and rel.part and pkg.entry(rel.part):
            return [m.group(2) or "" for m in _SI.finditer(pkg.text(rel.part))]
    return []
