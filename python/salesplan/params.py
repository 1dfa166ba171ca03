"""Every Config parameter, declared once.

The Config tab, its validation, the ``--set`` option and the README's parameter table are all
generated from :data:`PARAMS`; nothing else in the package spells a default or a range.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any, TypedDict, cast

from .errors import InputError


@dataclass(frozen=True)
class Param:
    """One parameter of the method, as a supervisor sees it on the Config tab."""

    key: str
    default: Any
    kind: str  # "int", "float", "share", "money", "month", "date", "choice", "text", "path"
    label_ru: str
    label_en: str
    help_ru: str
    help_en: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_ru

    def help(self, lang: str) -> str:
        return self.help_en if lang == "en" else self.help_ru

    def allowed(self, lang: str = "ru") -> str:
        """The allowed values as a short text for the Config tab and the docs."""
        if self.kind == "choice":
            return " | ".join(self.choices)
        if self.kind == "month":
            return "ГГГГ-ММ или пусто" if lang == "ru" else "YYYY-MM or empty"
        if self.kind == "date":
            return "ДД.ММ.ГГГГ или пусто" if lang == "ru" else "DD.MM.YYYY or empty"
        if self.kind == "text":
            return "текст" if lang == "ru" else "text"
        if self.kind == "path":
            return "путь или пусто" if lang == "ru" else "path or empty"
        return f"{_fmt_number(self.minimum)} … {_fmt_number(self.maximum)}"


def _fmt_number(x: float | None) -> str:
    if x is None:
        return ""
    if float(x).is_integer():
        return f"{int(x):,}".replace(",", " ")
    return f"{x:g}"


PARAMS: tuple[Param, ...] = (
    Param("plan_month", "", "month", "Месяц плана", "Plan month",
          "Месяц, который планируем (ГГГГ-ММ). Пусто — текущий месяц.",
          "The month being planned (YYYY-MM). Empty means the current month."),
    Param("as_of_date", "", "date", "Дата факта для панели", "Fact as of",
          "День, на который панель и обзвон считают факт месяца (ДД.ММ.ГГГГ). Пусто — сегодня; "
          "месяц, который уже закончился, показан итогом.",
          "The day the dashboard and the call sheet count the month's fact to (DD.MM.YYYY). Empty means "
          "today; a month that is over is shown as its result."),
    Param("window_months", 4, "int", "Окно статистики, мес.", "Window, months",
          "Сколько полных месяцев перед месяцем плана берём в статистику (seed: 4).",
          "Full months before the plan month taken as statistics (seed: 4).", 1, 24),
    Param("regular_min_months", 3, "int", "Мин. месяцев с закупкой для постоянного",
          "Active months to be regular",
          "Клиент постоянный, если закупался не меньше стольких месяцев из окна (seed: 3 из 4).",
          "A client is regular with at least this many active months in the window (seed: 3 of 4).",
          1, 24),
    Param("funnel_rate", 0.20, "share", "Доля остатка в воронку", "Funnel rate",
          "Какую часть остатка (разовые клиенты) можно смело планировать (seed: 20–25%).",
          "The safe share of the remainder from one-time clients (seed: 20-25%).", 0.0, 1.0),
    Param("existing_share", 0.5, "share", "Доля разрыва на старых клиентов (3А)",
          "Gap share for existing clients (3A)",
          "Часть разрыва, которую закрываем активными продажами старым клиентам (seed: 1/2–2/3).",
          "The part of the gap closed by active sales to existing clients (seed: 1/2 to 2/3).",
          0.0, 1.0),
    Param("offer_multiplier", 5, "float", "Кратность предложений (×)", "Offer multiplier (x)",
          "Во сколько раз больше объёма 3А распределяем в предложения (seed: ×5, сработает ~20%).",
          "How many times the 3A volume is placed in offers (seed: x5, about 20% converts).",
          1, 20),
    Param("minimal_share", 0.05, "share", "Порог «минимальных объёмов»", "Minimal share",
          "Категория годится для кросс-продажи, если у клиента её доля в обороте не выше этой.",
          "A category can be cross-sold when it is at most this share of the client's turnover.",
          0.0, 1.0),
    Param("new_after_months", 5, "int", "Новый клиент: не покупал, мес.", "New after, months",
          "Клиент считается новым, если не покупал столько полных месяцев (seed: 5 и более).",
          "A client counts as new after this many full months without turnover (seed: 5+).",
          1, 36),
    Param("long_list_min", 50, "int", "Длинный список: минимум", "Long list: minimum",
          "Наименьшее число компаний в длинном списке менеджера на месяц (seed: 50).",
          "The fewest companies on a manager's long list for a month (seed: 50).", 0, 1000),
    Param("long_list_max", 100, "int", "Длинный список: максимум", "Long list: maximum",
          "Наибольшее число компаний в длинном списке менеджера на месяц (seed: 100).",
          "The most companies on a manager's long list for a month (seed: 100).", 1, 1000),
    Param("lookback_months", 24, "int", "Глубина поиска ушедших, мес.", "Lookback, months",
          "За сколько месяцев ищем клиентов, которые перестали покупать (seed: год или два).",
          "How far back to look for clients who stopped buying (seed: one or two years).", 6, 60),
    Param("min_monthly_potential", 60000, "money", "Мин. потенциал в месяц, ₽",
          "Min. monthly potential",
          "В длинный список — только те, кто может брать столько в месяц (seed: 60 тыс.).",
          "Only companies that can buy this much a month enter the long list (seed: 60 000).",
          0, 1e9),
    Param("min_yearly_potential", 500000, "money", "Мин. потенциал в год, ₽",
          "Min. yearly potential",
          "…или столько в год (seed: 500 тыс.).",
          "...or this much a year (seed: 500 000).", 0, 1e10),
    Param("calls_per_week", 2, "int", "Звонков постоянному клиенту в неделю", "Calls per week",
          "Сколько раз в неделю звоним каждому постоянному клиенту (seed: не реже 2 раз).",
          "How often each regular client is called a week (seed: at least twice).", 1, 7),
    Param("max_skipped_share", 0.05, "share", "Допустимая доля пропущенных строк продаж",
          "Skipped sales rows allowed",
          "Если строк продаж пропущено больше (ошибки в данных), план строится, но команда завершается с "
          "кодом 1 и лист «План» называет причины.",
          "When more sales rows are skipped (errors in the data), the plan is built, but the command exits "
          "with 1 and the Plan tab names the causes.", 0.0, 1.0),
    Param("company", "", "text", "Компания (для шапки листов А4)", "Company (A4 header)",
          "Название компании в шапке листов «Инструмент №1» и «№2».",
          "The company name printed in the header of the Instrument sheets."),
    Param("language", "ru", "choice", "Язык листов", "Language",
          "Язык вкладок, подписей и листов А4: ru или en.",
          "Language of tabs, labels and A4 sheets: ru or en.", choices=("ru", "en")),
    Param("sales_source", "", "path", "Продажи из файла или папки", "Sales from a file or folder",
          "История продаж вне книги: файл Parquet или папка месячных выгрузок (.parquet, .xlsx, .csv); путь "
          "от папки книги. Пусто — лист «Продажи».",
          "Sales history kept outside the workbook: a Parquet file or a folder of monthly exports (.parquet, "
          ".xlsx, .csv); a relative path starts at the workbook's folder. Empty means the Sales tab."),
)

PARAMS_BY_KEY: dict[str, Param] = {p.key: p for p in PARAMS}

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


class Params(TypedDict):
    """The parameters' values by key, as the method reads them: one key per entry of :data:`PARAMS`
    (a test holds the two together), each with the type its ``kind`` gives."""

    plan_month: str             # "YYYY-MM" or "" (the current month)
    as_of_date: str             # "YYYY-MM-DD" or "" (today)
    window_months: int
    regular_min_months: int
    funnel_rate: float
    existing_share: float
    offer_multiplier: float
    minimal_share: float
    new_after_months: int
    long_list_min: int
    long_list_max: int
    lookback_months: int
    min_monthly_potential: float
    min_yearly_potential: float
    calls_per_week: int
    max_skipped_share: float
    company: str
    language: str
    sales_source: str           # a file or folder (relative to the workbook's folder), or "" (the Sales tab)


def defaults() -> Params:
    """The default value of every parameter."""
    return cast(Params, {p.key: p.default for p in PARAMS})


def coerce(key: str, raw: Any, *, where: object = "") -> Any:
    """Turn a cell value or a ``--set`` text into the parameter's value, or raise InputError.

    An empty cell means the default. ``where`` names the place for the message
    (e.g. ``"Настройки!C5"``). See :func:`coerce_noted` for what a share typed as a percent gives.
    """
    return coerce_noted(key, raw, where=where)[0]


#: A note on how a typed value was understood: (text key, fields), or None when it was read as typed.
Note = tuple[str, dict[str, Any]] | None


def coerce_noted(key: str, raw: Any, *, where: object = "") -> tuple[Any, Note]:
    """:func:`coerce`, and a note when the value was understood other than as typed.

    A share is a fraction from 0 to 1 (``0.2``), a percent with its sign (``20%``) or a fraction
    (``2/3``). A whole number from 2 to 100 without the sign (``25``) can only be a percent: it is
    read as one, with the note ``note.share_as_percent``. Any other number above 1 (``1.5``: 1.5%
    or 150%?) is refused with the allowed range (``param_share``), never silently rescaled.
    """
    param = PARAMS_BY_KEY.get(key)
    if param is None:
        raise InputError("unknown_param", where=where, key=key,
                         known=", ".join(PARAMS_BY_KEY))
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return param.default, None
    if param.kind == "choice":
        value = str(raw).strip().lower()
        if value not in param.choices:
            raise InputError("param_choice", where=where, key=key, value=raw,
                             allowed=param.allowed())
        return value, None
    if param.kind == "month":
        return parse_month(raw, where=where, key=key), None
    if param.kind == "date":
        return parse_date(raw, where=where, key=key), None
    if param.kind == "text":
        return " ".join(str(raw).split())[:100], None
    if param.kind == "path":  # a path keeps its spaces, and may be long
        return str(raw).strip(), None
    number, percent = _to_number(raw)
    if number is None:
        raise InputError("param_number", where=where, key=key, value=raw)
    if not math.isfinite(number):  # nan, inf, -inf, 1e999: no place in any range (nan compares false)
        raise InputError("param_range", where=where, key=key, value=raw, allowed=param.allowed())
    note: Note = None
    if param.kind == "share" and not percent and number > 1:
        if not (float(number).is_integer() and number <= 100):
            raise InputError("param_share", where=where, key=key, value=raw, allowed=param.allowed())
        number = number / 100
        note = ("note.share_as_percent", {"key": key, "value": raw, "percent": show_share(number)})
    if (param.minimum is not None and number < param.minimum) or (
        param.maximum is not None and number > param.maximum
    ):
        raise InputError("param_range", where=where, key=key, value=raw,
                         allowed=param.allowed())
    if param.kind == "int":
        if not float(number).is_integer():
            raise InputError("param_int", where=where, key=key, value=raw)
        return int(number), note
    return float(number), note


def show_share(value: float) -> str:
    """A share as a supervisor reads it: ``0.2`` -> ``20%``, ``0.225`` -> ``22.5%``, ``2/3`` -> ``66.7%``."""
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return text + "%"


def show(key: str, value: Any) -> str:
    """A parameter's value as the Config tab would show it (a share as a percent)."""
    param = PARAMS_BY_KEY.get(key)
    if param is not None and param.kind == "share" and isinstance(value, (int, float)):
        return show_share(float(value))
    if value == "":
        return "—"
    return _fmt_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def parse_month(raw: Any, *, where: object = "", key: str = "plan_month") -> str:
    """``2026-09``, ``2026-9``, ``09.2026`` or a date -> ``"2026-09"``."""
    if hasattr(raw, "year") and hasattr(raw, "month"):
        return f"{raw.year:04d}-{raw.month:02d}"
    text = str(raw).strip()
    m = _MONTH.match(text) or re.match(r"^\s*(\d{1,2})\.(\d{4})\s*$", text)
    if m and "." in text:
        year, month = int(m.group(2)), int(m.group(1))
    elif m:
        year, month = int(m.group(1)), int(m.group(2))
    else:
        raise InputError("param_month", where=where, key=key, value=raw)
    if not 1 <= month <= 12 or not 1990 <= year <= 2200:
        raise InputError("param_month", where=where, key=key, value=raw)
    return f"{year:04d}-{month:02d}"


def parse_date(raw: Any, *, where: object = "", key: str = "as_of_date") -> str:
    """``10.11.2026``, ``2026-11-10`` or a date -> ``"2026-11-10"``."""
    if hasattr(raw, "year") and hasattr(raw, "month") and hasattr(raw, "day"):
        return f"{raw.year:04d}-{raw.month:02d}-{raw.day:02d}"
    text = str(raw).strip()
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", text)
    dotted = re.match(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$", text)
    try:
        if m:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif dotted:
            day = dt.date(int(dotted.group(3)), int(dotted.group(2)), int(dotted.group(1)))
        else:
            raise ValueError(text)
    except ValueError:
        raise InputError("param_date", where=where, key=key, value=raw) from None
    if not 1990 <= day.year <= 2200:
        raise InputError("param_date", where=where, key=key, value=raw)
    return day.isoformat()


_FRACTION = re.compile(r"^([+-]?\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)$")


def _to_number(raw: Any) -> tuple[float | None, bool]:
    """A typed number and whether it carried a percent sign: ``"20%"`` -> (0.2, True),
    ``"2/3"`` -> (0.666…, False), ``"1 234,5 ₽"`` -> (1234.5, False), ``"много"`` -> (None, False)."""
    if isinstance(raw, bool):
        return None, False
    if isinstance(raw, (int, float)):
        return float(raw), False
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    percent = text.endswith("%")
    text = text.rstrip("%").replace("₽", "")
    fraction = _FRACTION.match(text)
    try:
        if fraction:
            value = float(fraction.group(1)) / float(fraction.group(2))
        else:
            value = float(text)
    except (ValueError, ZeroDivisionError):
        return None, False
    return (value / 100 if percent else value), percent


def markdown_table() -> str:
    """The parameter table for the README, generated from :data:`PARAMS`.

    A ``|`` inside a cell (the choices ``ru | en``) is escaped as ``\\|``, so that every row keeps its
    five cells on GitHub; an empty default reads as what it means for the parameter's kind.
    """
    lines = ["| key | default | allowed | Config label (ru) | meaning |", "|---|---|---|---|---|"]
    for p in PARAMS:
        # An empty plan month is the current one; an empty fact date, today.
        empty = {"month": "(current month)", "date": "(today)"}.get(p.kind, "(empty)")
        default = p.default if p.default != "" else empty
        cells = (f"`{p.key}`", default, p.allowed("en"), p.label_ru, p.help_en)
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)
