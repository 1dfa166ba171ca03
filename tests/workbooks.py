"""Build small user workbooks for end-to-end tests: Sales, Config, a user tab, VBA and a button."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pandas as pd

from salesplan.demo import vba_project_bin
from salesplan.inputs.config import Config
from salesplan.outputs.input_tabs import write_config_tab
from salesplan.outputs.tabs import new_book, put

SALES_HEADER = ["Дата", "Менеджер", "Клиент", "Категория", "Сумма", "Статус", "Заказ"]


@functools.lru_cache(maxsize=1)
def built_vba_project() -> bytes:
    """The VBA project, built once a session (a tenth of a second each time, the same bytes every time)."""
    return vba_project_bin()


def make_workbook(path: Path, sales: list[list], *, month: str = "2026-10", targets: dict | None = None,
                  sales_header: list[str] | None = None, extra: bool = True, config: bool = True,
                  settings: dict | None = None, prospects: list[list] | None = None,
                  shares: dict | None = None, owners: dict | None = None,
                  crosssell: tuple[tuple[str, str], ...] | None = None) -> Path:
    """An .xlsm (or .xlsx) like a user's: Sales and Config tabs, plus — with ``extra`` — a user tab
    with notes and a data validation, and a Start tab with a form button bound to a macro.

    ``targets``: manager -> target (NaN: listed without one); ``shares``: manager -> its 3A share;
    ``owners``: the Clients table, client -> manager; ``crosssell``: the Cross-sell rules (when,
    offer), the defaults when not given."""
    path = Path(path)
    book = new_book(path)
    with tempfile.TemporaryDirectory() as scratch:
        if path.suffix == ".xlsm":
            vba = Path(scratch) / "vbaProject.bin"
            vba.write_bytes(built_vba_project())
            book.add_vba_project(str(vba))
            book.set_vba_name("ThisWorkbook")
        if extra:
            start = book.add_worksheet("Старт")
            put(start, 0, 0, "Нажмите кнопку")
            start.insert_button("B3", {"macro": "SampleCall", "caption": "Построить план",
                                       "width": 160, "height": 30})
        ws = book.add_worksheet("Продажи")
        for c, h in enumerate(sales_header or SALES_HEADER):
            put(ws, 0, c, h)
        for r, row in enumerate(sales, start=1):
            for c, v in enumerate(row):
                put(ws, r, c, v)
        if config:
            cfg = Config().with_params(plan_month=month, **(settings or {}))
            if targets:
                cfg.targets = pd.DataFrame({"manager": list(targets), "target": [float(v) for v in targets.values()],
                                            "existing_share": [float((shares or {}).get(m, "nan"))
                                                               for m in targets]})
            if owners:
                cfg.owners = pd.DataFrame({"client": list(owners), "owner": list(owners.values())})
            if crosssell is None:
                write_config_tab(book, cfg, "ru")
            else:
                write_config_tab(book, cfg, "ru", crosssell=crosssell)
        if prospects is not None:
            ws = book.add_worksheet("Потенциальные клиенты")
            for c, h in enumerate(["Компания", "Город", "Потенциал в месяц, ₽", "Источник", "Менеджер"]):
                put(ws, 0, c, h)
            for r, row in enumerate(prospects, start=1):
                for c, v in enumerate(row):
                    put(ws, r, c, v)
        if extra:
            notes = book.add_worksheet("Мои заметки")
            put(notes, 0, 0, "Позвонить Альфе во вторник")
            put(notes, 1, 0, 12345.5)
            notes.data_validation("B1", {"validate": "list", "source": ["да", "нет"]})
            book.define_name("МоиКлиенты", "='Мои заметки'!$A$1:$A$2")
        for i, sheet in enumerate(book.worksheets()):
            if book.vba_project:
                sheet.set_vba_name(f"Sheet{i + 1}")
        book.close()
    return path


def simple_sales() -> list[list]:
    """Two managers; Иванов has a regular client, Петров one-time sales and an open order."""
    rows = []
    for m in ("06", "07", "08", "09"):
        rows.append([f"05.{m}.2026", "Иванов", "ООО «Альфа»", "Камеры видеонаблюдения", 100000, "отгружен", f"А-{m}"])
    rows.append(["10.07.2026", "Петров", "ИП Бета", "Кабель", 400000, "оплачен", "Б-1"])
    rows.append(["12.09.2026", "Петров", "ИП Бета", "Кабель", 150000, "конечный потребитель не оплатил", "Б-2"])
    rows.append(["03.10.2026", "Иванов", "ООО «Альфа»", "Камеры видеонаблюдения", 30000, "отгружен", "А-10"])
    return rows
