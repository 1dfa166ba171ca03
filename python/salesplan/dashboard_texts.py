"""Texts of the Dashboard tab and the call sheet's week columns, (Russian, English) by key.

To be merged into :data:`salesplan.texts.TEXTS`.
"""

from __future__ import annotations

DASHBOARD_TEXTS: dict[str, tuple[str, str]] = {
    "sheet.dashboard": ("Панель", "Dashboard"),
    "dash.title": ("План и факт: {month}", "Plan against fact: {month}"),
    "dash.subtitle": (
        "Факт на {today}. Рабочих дней (пн–пт) в месяце: {all}, прошло {elapsed}, осталось {left} "
        "(сегодня — в оставшихся). Построено {built}.",
        "Fact as of {today}. Working days (Mon–Fri) this month: {all}, past {elapsed}, left {left} "
        "(today counts as left). Built {built}.",
    ),
    "dash.expected": (
        "Ожидаемое выполнение к сегодня ({elapsed} из {all} рабочих дней):",
        "Expected by today ({elapsed} of {all} working days):",
    ),
    "dash.rule": (
        "Красным — отстаёт от темпа: выполнено меньше ожидаемого. Нужно в день = (план месяца − факт) / "
        "оставшиеся рабочие дни. Факт по слоям: новые (длинный список или не покупали {new_after} мес.), "
        "кросс-продажи (категория, которую клиент не брал за окно), постоянные, разовые; "
        "каждая продажа — в одном слое.",
        "Red: behind pace, less reached than expected by today. Needed per day = (target − fact) / working "
        "days left. Fact by layer: new (on the long list or no purchase for {new_after} months), cross-selling "
        "(a category the client did not buy in the window), regular, one-time; each sale in one layer only.",
    ),
    "dash.col.manager": ("Менеджер", "Manager"),
    "dash.col.kind": ("", ""),
    "dash.col.regular": ("1. Постоянные", "1. Regular"),
    "dash.col.one_time": ("2. Разовые (воронка)", "2. One-time (funnel)"),
    "dash.col.crosssell": ("3А. Кросс-продажи", "3A. Cross-selling"),
    "dash.col.new": ("3Б. Новые клиенты", "3B. New clients"),
    "dash.col.total": ("Итого", "Total"),
    "dash.col.target": ("План месяца", "Target"),
    "dash.col.reached": ("Выполнено", "Reached"),
    "dash.col.remaining": ("Осталось продать", "Still to sell"),
    "dash.col.pace": ("Нужно в день", "Needed a day"),
    "dash.col.status": ("Темп", "Pace"),
    "dash.plan": ("план", "plan"),
    "dash.fact": ("факт", "fact"),
    "dash.behind": ("отстаёт", "behind"),
    "dash.on_pace": ("в графике", "on pace"),
    "dash.no_target": ("нет плана", "no target"),
    "dash.team": ("Команда", "Team"),
    "dash.none": ("Нет менеджеров: нет ни продаж, ни планов.", "No managers: no sales and no targets."),
    "dash.chart_layers": ("План (светлые столбцы) и факт (тёмные) по слоям, ₽",
                          "Plan (pale columns) and fact (solid) by layer"),
    "dash.chart_team": ("Команда: факт нарастающим итогом и план", "Team: cumulative fact against the target"),
    "dash.series_pace": ("План равномерно по дням", "Target at an even pace"),
    "dash.series_fact": ("Факт", "Fact"),
    "dash.series_target": ("План месяца", "Target"),
    "dash.data": ("Данные графика команды", "Team chart data"),
    "dash.col.day": ("Рабочий день", "Working day"),
    "dash.axis_millions": ('[$-419]#,##0,," млн"', '#,##0,,"M"'),
    "dash.axis_thousands": ('[$-419]#,##0," тыс."', '#,##0,"k"'),
    "dash.axis_days": ("рабочие дни месяца (число)", "working days of the month (day)"),
    "dash.axis_units": ('[$-419]#,##0', '#,##0'),
    "btn.dashboard": ("Обновить панель", "Refresh the dashboard"),
    # --- the regular clients' call sheet: this week's ask ---
    "col.week_sales": ("Продажи за неделю", "Sales this week"),
    "col.week_met": ("Цель недели", "Week's ask"),
    "calls.week_met": ("выполнена", "met"),
    "calls.week_not_met": ("не выполнена", "not met"),
    "calls.week": (
        "Неделя {start}–{today}: цель недели = месячный план / 4; продажи с понедельника по сегодня.",
        "Week {start}–{today}: the week's ask = monthly plan / 4; sales from Monday to today.",
    ),
}
