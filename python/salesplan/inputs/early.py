"""A head start on the Sales tab, taken before anything heavy is imported.

Reading a big Sales tab is most of a build (about 4.5 s of fastexcel at Excel's maximum of rows), and
fastexcel reads without holding the GIL. So the command line first opens the workbook, finds the
Sales header and starts that read in a thread — this module and the ones it uses import neither
pandas nor the writers — and only then imports the rest and reads Config and the other tabs.

Nothing here reports anything: the build proper opens the same files and finds whatever is wrong in
its usual order, with its usual messages; a head start that failed only means no head start.
"""

from __future__ import annotations

from pathlib import Path

from ..texts import names
from .header import find_header
from .rows import FAST_SUFFIXES, WorkbookSource, is_panic, sales_sheet_name
from .sniff import check_workbook_file


def head_start(workbook: Path, sales_file: Path | None = None) -> dict[Path, WorkbookSource]:
    """The workbook holding the sales rows, opened, with its Sales columns being read in the
    background; pass it to :func:`salesplan.monthly.read_workbook_inputs` as ``sources``."""
    path = Path(sales_file if sales_file is not None else workbook)
    if path.suffix.lower() not in FAST_SUFFIXES:
        return {}
    try:
        check_workbook_file(path)
        source = WorkbookSource(path, defer=True)
        name = sales_sheet_name(source, names("sheet.sales"), first_if_none=sales_file is not None)
        if name is None:
            return {}
        sheet = source.rows(name)
        header_row, columns = find_header(sheet)
        # A small sheet's cells are scanned here, before the imports: the scan's searches hold the
        # interpreter, which the imports beside it in a thread would share, and the read waits
        # for the scan either way. A big one is scanned as it is read in parts, whose readers
        # leave the interpreter to the imports.
        if not source.reads_in_parts(name):
            source.check_sheet(name)
        sheet.start_columns(header_row + 1, columns)
    except BaseException as exc:  # noqa: BLE001 - see the module's docstring
        if not isinstance(exc, Exception) and not is_panic(exc):
            raise  # KeyboardInterrupt, SystemExit
        return {}
    return {path: source}
