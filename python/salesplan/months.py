"""Months as whole numbers, so that windows are ranges and differences are subtraction.

``month_number(2026-09-15) == 2026 * 12 + 8``; :func:`month_label` turns it back into ``"2026-09"``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

MONTHS_RU = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
             "октябрь", "ноябрь", "декабрь")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def month_number(dates: pd.Series) -> pd.Series:
    """datetime64 Series -> int64 month numbers."""
    months: pd.Series = (dates.dt.year * 12 + dates.dt.month - 1).astype("int64")
    return months


def parse_label(label: str) -> int:
    """``"2026-09"`` -> month number."""
    year, month = label.split("-")
    return int(year) * 12 + int(month) - 1


def month_label(number: int) -> str:
    """Month number -> ``"2026-09"``."""
    year, month0 = divmod(int(number), 12)
    return f"{year:04d}-{month0 + 1:02d}"


def month_name(number: int, lang: str = "ru") -> str:
    """Month number -> ``"сентябрь 2026"`` / ``"September 2026"``."""
    year, month0 = divmod(int(number), 12)
    names = MONTHS_EN if lang == "en" else MONTHS_RU
    return f"{names[month0]} {year}"


def first_day(number: int) -> dt.date:
    year, month0 = divmod(int(number), 12)
    return dt.date(year, month0 + 1, 1)


def current_month(today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    return today.year * 12 + today.month - 1
