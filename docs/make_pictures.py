"""Make the README's pictures of the A4 sheets from what the program prints.

    python docs/make_pictures.py [WORKBOOK] [--manager NAME]

Plans a copy of WORKBOOK (default: the shipped salesplan.xlsm) with ``salesplan plan``, prints it
with ``salesplan pdf`` exactly as a manager would, and turns the first manager's (or NAME's) two
pages into ``docs/instrument1.png`` and ``docs/instrument2.png``. Needs LibreOffice and poppler-utils
(``pdftoppm``). Nothing here draws a page of its own: the pictures are the program's print.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from salesplan.cli import main as salesplan

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent


def make_pictures(workbook: Path, docs: Path = DOCS, manager: str | None = None, dpi: int = 100) -> list[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / workbook.name
        shutil.copy(workbook, book)
        if salesplan(["plan", str(book), "--backups", "0"]) != 0:
            raise SystemExit("salesplan plan failed")
        out = Path(tmp) / "pdf"
        if salesplan(["pdf", str(book), "--out", str(out)]) != 0:
            raise SystemExit("salesplan pdf failed")
        pdfs = sorted(out.glob("*.pdf"))
        chosen = next((p for p in pdfs if manager and p.name.startswith(manager)), pdfs[0] if pdfs else None)
        if chosen is None:
            raise SystemExit("salesplan pdf printed nothing")
        written = []
        for page in (1, 2):
            stem = docs / f"instrument{page}"
            subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                            str(chosen), str(stem)], check=True)
            written.append(stem.with_suffix(".png"))
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workbook", nargs="?", default=str(ROOT / "salesplan.xlsm"))
    parser.add_argument("--manager")
    args = parser.parse_args()
    for path in make_pictures(Path(args.workbook), manager=args.manager):
        print(path)
    sys.exit(0)
