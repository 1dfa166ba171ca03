"""Every Markdown table in the README and docs/ has as many cells in each row as in its header.

GitHub splits a row at every ``|`` not escaped as ``\\|`` (inside backticks too): one stray ``|``
shifts the rest of the row into the wrong columns, or off the table.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_SPLIT = re.compile(r"(?<!\\)\|")


def cells(line: str) -> int:
    """The number of cells GitHub sees in a table row."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return len(_SPLIT.split(text))


def mismatches(text: str) -> list[tuple[int, int, int]]:
    """(line number, cells, header cells) of every table row whose cell count is not its header's."""
    out = []
    lines = text.splitlines()
    fenced = False
    header = None
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("```"):
            fenced, header = not fenced, None
            continue
        if fenced:
            continue
        if header is None:
            if _DELIMITER.match(line) and number > 1 and "|" in lines[number - 2]:
                header = cells(lines[number - 2])
                if cells(line) != header:
                    out.append((number, cells(line), header))
            continue
        if not line.strip() or "|" not in line:
            header = None
            continue
        if cells(line) != header:
            out.append((number, cells(line), header))
    return out


def test_cells_are_counted_as_github_does():
    assert cells("| a | b \\| c | `d` |") == 3
    assert mismatches("| a | b |\n|---|---|\n| 1 | 2 | 3 |\n\n| x |\n|---|\n| y |\n") == [(3, 3, 2)]


def test_every_table_row_has_its_headers_cell_count():
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    found = {str(f.relative_to(ROOT)): mismatches(f.read_text(encoding="utf-8")) for f in files}
    assert {f: m for f, m in found.items() if m} == {}
