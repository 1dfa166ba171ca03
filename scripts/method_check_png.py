"""Render the Method check tab of the shipped demo to docs/method-check.png (the README's picture).

    python scripts/method_check_png.py                 # salesplan.xlsm -> docs/method-check.png
    python scripts/method_check_png.py BOOK.xlsm OUT.png

Needs LibreOffice (``soffice``) and ``pdftoppm`` (poppler). The workbook is copied, checked with
``salesplan backtest`` (its Config month, 12 months), the tab alone is printed to PDF by
LibreOffice and the first page is turned into a PNG. The workbook itself is not changed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    from salesplan.methodcheck import build_backtest
    from salesplan.ooxml.splice import extract_sheets
    from salesplan.outputs.pdf import workbook_to_pdf

    book = Path(argv[0]) if argv else ROOT / "salesplan.xlsm"
    png = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "method-check.png"
    with tempfile.TemporaryDirectory(prefix="salesplan-png-") as scratch:
        folder = Path(scratch)
        copy = folder / book.name
        shutil.copyfile(book, copy)
        done = build_backtest(copy, keep_backups=0)
        alone = folder / "tab.xlsx"
        extract_sheets(copy, alone, [done.tab])
        pdf = folder / "tab.pdf"
        workbook_to_pdf(alone, pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(png.with_suffix(""))], check=True)
        pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        print(png, next((line for line in pages.splitlines() if line.startswith("Pages")), ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
