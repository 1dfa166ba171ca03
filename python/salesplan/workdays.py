"""Russia's production calendar: which days of a month are working days.

Public holidays, the days off they are moved to and the Saturdays made working days by the
government's yearly decree come from the ``holidays`` package (its ``RU`` calendar, kept up to date
each year by its maintainers; ``is_working_day`` knows the moved days). A year the package does not
know the decree of yet still gets its fixed public holidays, and weekends as days off.

========== =========================== ==========
month      Monday-Friday days          working
========== =========================== ==========
2026-11    21                          20 (4 November, Unity Day)
2025-11    20                          19 (1 Nov, a Saturday, worked; 3 and 4 Nov off)
2026-01    22                          15 (1-9 January off)
========== =========================== ==========
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

# Imported with the module (``method.progress`` imports it), not at the first call: the command line
# imports the method while the Sales tab is being read, so the package's import (every country's
# calendar, some 0.05-0.1 s) overlaps the read instead of adding to the build.
import holidays
import holidays.countries.russia  # noqa: F401 - loaded now, see above
from holidays import HolidayBase


@lru_cache(maxsize=16)
def _russia(year: int) -> HolidayBase:
    return holidays.country_holidays("RU", years=year)


def month_working_days(year: int, month: int) -> tuple[dt.date, ...]:
    """The working days of a month by Russia's production calendar, in order.

    >>> len(month_working_days(2026, 11))
    20
    """
    days = _russia(year)
    length = calendar.monthrange(year, month)[1]
    return tuple(d for d in (dt.date(year, month, i) for i in range(1, length + 1)) if days.is_working_day(d))
