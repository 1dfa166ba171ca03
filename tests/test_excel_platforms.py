"""The buttons' code on both platforms: every button function runs against a double of xlwings'
objects as Windows and as a Mac give them, and on the Mac double no Windows-only COM member is
ever touched.

xlwings' own API (``Book``, ``Sheet``, ``App``, ``Range``: ``sheet.copy(after=…)``, ``app.alert``,
``book.to_pdf``…) is the same on both; what differs is the object behind ``.api``: pywin32's COM
object on Windows (members in PascalCase: ``Visible``, ``Saved``, ``GetOpenFilename``), an appscript
reference on a Mac (the AppleScript dictionary's lower-case names: ``visible``, ``saved``), with
StandardAdditions (``osax``) for dialogs. The doubles record every member touched behind ``.api``.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest

from salesplan import excel
from salesplan.inputs.rows import WorkbookSource
from salesplan.ooxml.marks import MARK_NAME
from salesplan.ooxml.peek import sheet_marks
from workbooks import make_workbook, simple_sales

VISIBLE, HIDDEN, VERY_HIDDEN = -1, 0, 2  # Excel's XlSheetVisibility
MAC_VISIBILITY = {VISIBLE: "sheet_visible", HIDDEN: "sheet_hidden", VERY_HIDDEN: "sheet_very_hidden"}


class Api:
    """The object behind ``.api``: records each member touched; a member it does not have raises
    AttributeError, as COM and appscript do."""

    def __init__(self, log: list[str], get: dict[str, Any], set_: dict[str, Any] | None = None) -> None:
        self.__dict__.update(_log=log, _get=get, _set=set_ or {})

    def __getattr__(self, name: str) -> Any:
        self._log.append(name)
        if name not in self._get:
            raise AttributeError(name)
        return self._get[name]()

    def __setattr__(self, name: str, value: Any) -> None:
        self._log.append(name)
        if name not in self._set:
            raise AttributeError(name)
        self._set[name](value)


class Property:
    """An appscript property reference: ``.get()`` and ``.set(value)``."""

    def __init__(self, get, set_) -> None:
        self.get, self.set = get, set_


class Name:
    def __init__(self, name: str, refers_to: str) -> None:
        self.name, self.refers_to = name, refers_to


class Cell:
    def __init__(self, row: int, column: int) -> None:
        self.row, self.column = row, column


class Range:
    def __init__(self, sheet: Sheet, first: tuple[int, int], last: tuple[int, int] | None = None) -> None:
        self.sheet, self.first, self.last = sheet, first, last

    def options(self, ndim: int = 2, empty: Any = "") -> Range:
        assert ndim == 2 and empty == ""
        return self

    @property
    def value(self) -> list[list[Any]]:
        (r1, c1), (r2, c2) = self.first, self.last
        return [[(self.sheet.rows[r - 1][c - 1] if r <= len(self.sheet.rows) and c <= len(self.sheet.rows[r - 1])
                  else "") for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]

    @value.setter
    def value(self, block: list[list[Any]]) -> None:
        r1, c1 = self.first
        assert c1 == 1
        while len(self.sheet.rows) < r1 - 1 + len(block):
            self.sheet.rows.append([])
        for i, row in enumerate(block):
            self.sheet.rows[r1 - 1 + i] = list(row)


class Sheet:
    """xlwings' Sheet, as far as the buttons use it."""

    def __init__(self, book: Book, name: str, rows: list[list[Any]], mark: str | None, state: int = VISIBLE) -> None:
        self.book, self.name, self.rows, self.mark, self.state = book, name, rows, mark, state

    @property
    def api(self) -> Api:
        log = self.book.app.log
        if self.book.app.platform == "mac":
            return Api(log, {"visible": lambda: Property(lambda: getattr(k, MAC_VISIBILITY[self.state]),
                                                         self._set_mac_state)})
        return Api(log, {"Visible": lambda: self.state}, {"Visible": self._set_com_state})

    def _set_mac_state(self, value: str) -> None:
        self.state = {v: s for s, v in MAC_VISIBILITY.items()}[value]

    def _set_com_state(self, value: int) -> None:
        self.state = value

    @property
    def visible(self) -> bool:
        return self.state == VISIBLE

    @visible.setter
    def visible(self, value: bool) -> None:
        self.state = VISIBLE if value else HIDDEN

    @property
    def names(self) -> list[Name]:  # Excel lists a sheet's local names as «Sheet!name»
        return [Name(f"'{self.name}'!{MARK_NAME}", f'="{self.mark}"')] if self.mark else []

    @property
    def used_range(self):
        width = max((len(r) for r in self.rows), default=1) or 1
        return types.SimpleNamespace(last_cell=Cell(max(len(self.rows), 1), width))

    def range(self, first, last=None) -> Range:
        return Range(self, first, last)

    def clear_contents(self) -> None:
        self.rows = []

    def delete(self) -> None:
        self.book.sheets.items.remove(self)

    def copy(self, before=None, after=None, name=None) -> Sheet:
        assert before is None and name is None and after is not None
        target = after.book
        copied = Sheet(target, self.name, [list(r) for r in self.rows], self.mark, self.state)
        target.sheets.items.insert(target.sheets.items.index(after) + 1, copied)
        return copied


class Sheets:
    def __init__(self) -> None:
        self.items: list[Sheet] = []

    def __getitem__(self, key):
        if isinstance(key, int):
            return self.items[key]
        return next(s for s in self.items if s.name.casefold() == key.casefold())

    def __iter__(self):
        return iter(list(self.items))

    def __len__(self) -> int:
        return len(self.items)


class Book:
    """xlwings' Book over a workbook file's values: what the buttons read, copy in and print."""

    def __init__(self, app: App, path: Path) -> None:
        self.app, self.fullname = app, str(path)
        self.sheets = Sheets()
        self.saved = True
        self.printed: list[tuple[str, list[str]]] = []
        source, marks = WorkbookSource(path), sheet_marks(path)
        for name in source.sheet_names:
            self.sheets.items.append(Sheet(self, name, [list(r) for r in source.rows(name).rows], marks.get(name)))

    @property
    def api(self) -> Api:
        log = self.app.log
        if self.app.platform == "mac":
            return Api(log, {"saved": lambda: Property(lambda: self.saved, self._set_saved)})
        return Api(log, {"Saved": lambda: self.saved}, {"Saved": self._set_saved})

    def _set_saved(self, value: bool) -> None:
        self.saved = value

    def to_pdf(self, path, include=None, exclude=None, layout=None, exclude_start_string="#", show=False,
               quality="standard"):
        """As xlwings does it: every other sheet hidden while Excel prints, then each set back to
        visible True/False — a very hidden sheet comes back merely hidden, the book «changed»."""
        before = {s.name: s.visible for s in self.sheets}
        for s in self.sheets:
            s.visible = s.name in include
        self.printed.append((path, list(include)))
        for s in self.sheets:
            s.visible = before[s.name]
        self.saved = False

    def close(self) -> None:
        self.app.closed.append(self.fullname)


class App:
    """xlwings' App: alerts, the status bar, books.open, the process id; ``.api`` per platform."""

    def __init__(self, platform: str, pick: Path | None) -> None:
        self.platform, self.pick = platform, pick
        self.log: list[str] = []
        self.alerts: list[str] = []
        self.status: list[Any] = []
        self.closed: list[str] = []
        self.display_alerts = True
        self.pid = 4242
        self.books = types.SimpleNamespace(open=lambda path: Book(self, Path(path)))

    @property
    def api(self) -> Api:
        if self.platform == "mac":
            return Api(self.log, {})  # the Mac's dialogs are not Excel's: see osax below
        return Api(self.log, {"GetOpenFilename": lambda: self._get_open_filename})

    def _get_open_filename(self, file_filter, filter_index, title):
        assert "*.csv" in file_filter and filter_index == 1
        return str(self.pick) if self.pick else False  # COM gives False for «Cancel»

    @property
    def status_bar(self):
        return self.status[-1] if self.status else False

    @status_bar.setter
    def status_bar(self, value) -> None:
        self.status.append(value)

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None) -> str:
        self.alerts.append(prompt)
        return "ok"


# StandardAdditions and appscript's keywords, as a Mac's Python has them.
k = types.SimpleNamespace(sheet_visible="sheet_visible", sheet_hidden="sheet_hidden",
                          sheet_very_hidden="sheet_very_hidden")


class CommandError(Exception):
    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.errornumber = number


@pytest.fixture
def mac_modules(monkeypatch):
    """``appscript`` and ``osax`` as xlwings has them on a Mac; the dialogs shown are recorded."""
    shown: list[dict] = []

    class OSAX:
        def __init__(self, pid=None) -> None:
            self.pid = pid

        def choose_file(self, with_prompt=None, of_type=None):
            shown.append({"pid": self.pid, "prompt": with_prompt, "types": of_type})
            if shown_pick[0] is None:
                raise CommandError(-128)  # «User canceled.»
            return types.SimpleNamespace(path=str(shown_pick[0]))

    shown_pick: list[Path | None] = [None]
    monkeypatch.setitem(sys.modules, "appscript", types.SimpleNamespace(k=k))
    monkeypatch.setitem(sys.modules, "osax", types.SimpleNamespace(OSAX=OSAX))
    return shown, shown_pick


def session_for(path: Path, platform: str, pick: Path | None = None) -> tuple[excel.XlwingsSession, Book]:
    book = Book(App(platform, pick), path)
    return excel.XlwingsSession(book, platform=platform), book


def com_members(log: list[str]) -> list[str]:
    """Members in COM's PascalCase (``Visible``, ``Copy``, ``GetOpenFilename``...)."""
    return [name for name in log if name[:1].isupper()]


def sales_export(folder: Path) -> Path:
    export = folder / "export.csv"
    export.write_text("Период;Контрагент;Ответственный;Номенклатурная группа;Сумма\n"
                      "05.08.2026;ООО Гамма;Сидорова;СКУД;1000\n", encoding="utf-8")
    return export


@pytest.mark.parametrize("platform", ["win", "mac"])
def test_import_sales_picks_the_file_with_the_platforms_own_dialog(tmp_path, platform, mac_modules):
    shown, shown_pick = mac_modules
    path = make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets={"Иванов": 150000})
    export = sales_export(tmp_path)
    shown_pick[0] = export
    session, book = session_for(path, platform, pick=export)
    excel.import_sales(session)
    assert book.app.alerts == ["Загружено 1 строк из «export.csv» на лист «Продажи»."]
    assert book.sheets["Продажи"].rows[1][:4][1:] == ["Сидорова", "ООО Гамма", "СКУД"]
    assert book.app.status[-1] is False  # the status bar is given back to Excel
    if platform == "mac":
        assert shown == [{"pid": 4242, "prompt": "Выберите выгрузку продаж", "types": list(excel._OPEN_TYPES_MAC)}]
        assert com_members(book.app.log) == []
    else:
        assert shown == [] and book.app.log == ["GetOpenFilename"]


@pytest.mark.parametrize("platform", ["win", "mac"])
def test_a_cancelled_file_dialog_changes_nothing_and_says_nothing(tmp_path, platform, mac_modules):
    _, shown_pick = mac_modules
    shown_pick[0] = None
    path = make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets={"Иванов": 150000})
    session, book = session_for(path, platform, pick=None)
    before = [list(r) for r in book.sheets["Продажи"].rows]
    excel.import_sales(session)
    assert book.app.alerts == [] and book.sheets["Продажи"].rows == before
    assert com_members(book.app.log) == ([] if platform == "mac" else ["GetOpenFilename"])


def test_a_mac_dialog_that_fails_otherwise_is_reported_not_taken_for_cancel(tmp_path, mac_modules, monkeypatch):
    path = make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets={"Иванов": 150000})
    session, book = session_for(path, "mac")

    def broken(self, **kwargs):
        raise CommandError(-1743)  # «Not authorized to send Apple events»

    monkeypatch.setattr(sys.modules["osax"].OSAX, "choose_file", broken)
    monkeypatch.setattr("salesplan.errorlog.write_error_log", lambda: Path("/tmp/log"))
    excel.import_sales(session)
    assert len(book.app.alerts) == 1 and "Внутренняя ошибка" in book.app.alerts[0]


@pytest.mark.slow  # four builds on each platform
@pytest.mark.parametrize("platform", ["win", "mac"])
def test_every_button_runs_on_the_platforms_objects(tmp_path, platform, mac_modules):
    """«Построить план», «Листы А4», «Печать в PDF», «Обновить панель» against the double: the tabs
    are copied in with xlwings' ``Sheet.copy``, the PDFs printed by ``Book.to_pdf``; a very hidden
    sheet stays so and the workbook is not left «changed» by the print, through COM on Windows and
    the AppleScript dictionary on a Mac."""
    path = make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets={"Иванов": 150000, "Петров": 100000})
    session, book = session_for(path, platform)
    secret = Sheet(book, "Секрет", [["x"]], None, VERY_HIDDEN)
    book.sheets.items.append(secret)

    excel.build_plan(session)
    assert book.app.alerts[-1].startswith("План построен: 2 менеджеров"), book.app.alerts
    names = [s.name for s in book.sheets]
    assert names[:4] == ["Старт", "Продажи", "Настройки", "Мои заметки"]
    assert {"План", "Проблемы", "№1 Иванов", "№2 Петров"} <= set(names)
    assert book.sheets["План"].mark == "План"  # the copy keeps the program's mark ...
    excel.build_plan(session)
    assert [s.name for s in book.sheets].count("План") == 1  # ... so the next build replaces it
    assert book.app.closed and all(p.endswith("tabs.xlsx") for p in book.app.closed)  # the scratch book

    excel.make_instruments(session)
    assert book.app.alerts[-1].startswith("Листы А4 готовы: 4")

    book.saved = True
    excel.print_instruments(session)
    assert book.app.alerts[-1].startswith("PDF готовы: 2 файлов"), book.app.alerts[-1]
    assert sorted(include for _, include in book.printed) == [["№1 Иванов", "№2 Иванов"], ["№1 Петров", "№2 Петров"]]
    assert secret.state == VERY_HIDDEN  # put back as only a macro can show it
    assert book.saved is True  # the print does not leave the workbook «changed»

    excel.refresh_dashboard(session)
    assert book.app.alerts[-1].startswith("План построен")
    assert book.app.display_alerts is True and book.app.status[-1] is False
    if platform == "mac":
        assert com_members(book.app.log) == []
        assert {"visible", "saved"} <= set(book.app.log)  # the Mac branch, not a silent skip
    else:
        assert set(book.app.log) == {"Visible", "Saved"}


@pytest.mark.parametrize("platform", ["win", "mac"])
def test_unsaved_changes_come_from_excels_saved_flag_and_a_file_behind_it(tmp_path, platform, mac_modules):
    path = make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets={"Иванов": 150000})
    session, book = session_for(path, platform)
    book.saved = True
    assert session.unsaved_changes() is False
    assert ("saved" if platform == "mac" else "Saved") in book.app.log  # the platform's own member
    book.saved = False
    assert session.unsaved_changes() is True
    book.saved, book.fullname = True, "Книга1"  # a new book: Excel says «saved», but there is no file
    assert session.unsaved_changes() is True


def test_a_saved_flag_that_cannot_be_read_counts_as_changed(tmp_path, monkeypatch):
    path = make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets={"Иванов": 150000})
    session, book = session_for(path, "win")

    def broken(self):
        raise RuntimeError("COM: the object invoked has disconnected from its clients")

    monkeypatch.setattr(excel.XlwingsSession, "_saved", broken)
    assert session.unsaved_changes() is True


@pytest.mark.parametrize(("saved", "read_live"), [(True, False), (False, True)])
def test_the_plan_button_reads_sales_from_disk_only_when_the_workbook_is_saved(tmp_path, saved, read_live, monkeypatch):
    path = make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets={"Иванов": 150000})
    session, book = session_for(path, "win")
    book.saved = saved
    live: list[str] = []
    read_sheet = excel.XlwingsSession.read_sheet
    monkeypatch.setattr(excel.XlwingsSession, "read_sheet", lambda self, name: live.append(name) or read_sheet(self, name))
    inputs = excel._inputs(session)
    assert ("Продажи" in live) is read_live
    assert len(inputs.ledger) == len(simple_sales())
    said = [s for s in book.app.status if isinstance(s, str) and "«Продажи»" in s]
    assert said and ("из файла на диске" in said[-1]) is saved
