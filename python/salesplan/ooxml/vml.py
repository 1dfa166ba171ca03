"""Legacy VML drawings (``xl/drawings/vmlDrawingN.vml``; ECMA-376 Part 4, §19 VML), which hold
form buttons and comment boxes.

Excel needs the shape ids unique in the workbook; they come in blocks of 1024, each drawing naming
its blocks in ``<o:idmap data="...">``. Reading the blocks a drawing takes, and moving a rendered
drawing's shapes to free blocks.
"""

from __future__ import annotations

import re

from .xml import PREFIX, get_attr, set_attr

__all__ = ["VML_BLOCK", "rewrite_vml", "vml_blocks"]

VML_BLOCK = 1024  # VML shape ids come in blocks of 1024, one <o:idmap> number each


def vml_blocks(xml: str) -> set[int]:
    """The id blocks the drawing `xml` names in its <o:idmap>."""
    blocks: set[int] = set()
    for m in re.finditer(rf"<{PREFIX}idmap\b[^>]*>", xml):
        for part in (get_attr(m.group(0), "data") or "").split(","):
            if part.strip().isdigit():
                blocks.add(int(part))
    return blocks


def rewrite_vml(xml: str, used_blocks: set[int]) -> str:
    """Move the VML shape ids to free id blocks: Excel needs them unique in
    the workbook, and openpyxl always starts at block 1, like XlsxWriter and
    Excel do for the user's first button or comment drawing."""
    ids = [int(n) for n in re.findall(r"_x0000_s(\d+)", xml)]
    old_blocks = sorted(vml_blocks(xml) | {n // VML_BLOCK for n in ids})
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
        return set_attr(m.group(0), "data", ",".join(str(mapping[b]) for b in old_blocks))
    return re.sub(rf"<{PREFIX}idmap\b[^>]*>", idmap, xml)
