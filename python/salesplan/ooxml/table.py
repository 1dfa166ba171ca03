"""Table parts (``xl/tables/tableN.xml``; ECMA-376 Part 1, §18.5 Tables).

A table's id and name must be unique in the workbook (its name shares the defined names' name
space), and its differential formats are indices into the styles part. Reading a table's identity,
and giving a rendered table a free id, a free name and the merged styles' indices.
"""

from __future__ import annotations

import re

from .xml import get_attr, key, root_tag, set_attr

__all__ = ["TABLE_DXF_ATTRS", "rewrite_table", "table_identity", "table_name"]

TABLE_DXF_ATTRS = ("headerRowDxfId", "dataDxfId", "totalsRowDxfId",
                   "headerRowBorderDxfId", "tableBorderDxfId", "totalsRowBorderDxfId")


def table_identity(head: str) -> tuple[int | None, set[str]]:
    """The id (None if it has no numeric one) and the names (``name``, ``displayName``; compared
    case-blind) of the table whose part starts with `head`."""
    root = root_tag(head)
    table_id = get_attr(root, "id") or ""
    names = set()
    for attr in ("name", "displayName"):
        name = get_attr(root, attr)
        if name:
            names.add(key(name))
    return (int(table_id) if table_id.isdigit() else None), names


def table_name(xml: str) -> str:
    """The name a table part gives its table (its display name first)."""
    return get_attr(root_tag(xml), "displayName") or get_attr(root_tag(xml), "name") or "Table"


def rewrite_table(xml: str, table_id: int, name: str, dxf_map: dict[int, int]) -> str:
    """The table part `xml` with id `table_id`, name `name` and its differential formats mapped."""
    root = root_tag(xml)
    new_root = set_attr(root, "id", str(table_id))
    new_root = set_attr(set_attr(new_root, "name", name), "displayName", name)
    xml = xml.replace(root, new_root, 1)
    for attr in TABLE_DXF_ATTRS:
        def mapped(a: re.Match[str], attr: str = attr) -> str:
            return f'{attr}="{dxf_map.get(int(a.group(1)), 0)}"'
        xml = re.sub(r"(?<=\s)" + attr + r"""\s*=\s*["'](\d+)["']""", mapped, xml)
    return xml
