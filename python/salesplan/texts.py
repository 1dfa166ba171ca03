"""Every text a manager or supervisor reads, in Russian and English.

Code refers to texts by key; :func:`t` picks the language chosen on the Config tab (``language``).
Keeping them in one table makes the English switch complete and the Russian wording easy to review.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TEXTS: dict[str, tuple[str, str]] = {
    # --- sheet names (the input tabs accept both languages) ---
    "sheet.sales": ("Продажи", "Sales"),
    "sheet.config": ("Настройки", "Config"),
    "sheet.plan": ("План", "Plan"),
    "sheet.calls": ("Обзвон постоянных", "Regular calls"),
    "sheet.open_orders": ("Открытые заказы", "Open orders"),
    "sheet.problems": ("Проблемы", "Problems"),
    # --- Config tab blocks ---
    "config.title": ("Настройки планирования", "Planning settings"),
    "config.note": (
        "Меняйте только жёлтые ячейки. Пустое значение = значение по умолчанию.",
        "Edit the yellow cells only. An empty value means the default.",
    ),
    "config.params": ("Параметры", "Parameters"),
    "config.key": ("Ключ", "Key"),
    "config.param": ("Параметр", "Parameter"),
    "config.value": ("Значение", "Value"),
    "config.default": ("По умолчанию", "Default"),
    "config.allowed": ("Допустимо", "Allowed"),
    "config.help": ("Пояснение", "Explanation"),
    "config.statuses": ("Статусы заказов", "Order statuses"),
    "config.status_sale": ("Продажа", "Sale"),
    "config.status_open": ("Открытый заказ", "Open order"),
    "config.status_refused": ("Отказ", "Refused"),
    "config.tiers": ("Частота контактов по открытым заказам", "Open-order contact tiers"),
    "config.tier_from": ("Сумма заказа от, ₽", "Order amount from"),
    "config.tier_contact": ("Как часто связываться", "Contact"),
    "config.targets": ("Планы менеджеров", "Targets"),
    "config.manager": ("Менеджер", "Manager"),
    "config.target": ("План на месяц, ₽", "Monthly target"),
    "config.existing_share": ("Доля 3А (необяз.)", "Existing share (optional)"),
    "config.clients": ("Закрепление клиентов", "Clients"),
    "config.crosssell": ("Кросс-продажи", "Cross-sell"),
    "config.cs_when": ("Если клиент покупает", "If the client buys"),
    "config.cs_offer": ("Предложить", "Offer"),
    "config.exclusions": ("Исключения", "Exclusions"),
    "config.ex_category": ("Категория (или «все»)", "Category (or 'all')"),
    "config.ex_reason": ("Причина", "Reason"),
    "sheet.catalog": ("Каталог", "Catalog"),
    "config.client": ("Клиент", "Client"),
    "config.owner": ("Менеджер", "Owner"),
    # --- Plan summary ---
    "plan.title": ("План продаж на {month}", "Sales plan for {month}"),
    "plan.subtitle": (
        "Окно статистики: {window}. Построено {built}.",
        "Statistics window: {window}. Built {built}.",
    ),
    "col.manager": ("Менеджер", "Manager"),
    "col.target": ("План месяца", "Target"),
    "col.regular_clients": ("Постоянных клиентов", "Regular clients"),
    "col.regular_plan": ("1. Постоянные клиенты", "1. Regular clients"),
    "col.average_monthly": ("Среднемесячный оборот", "Average monthly"),
    "col.remainder": ("Остаток (разовые)", "Remainder (one-time)"),
    "col.funnel_plan": ("2. Воронка", "2. Funnel"),
    "col.base_plan": ("Базовый план (1+2)", "Base plan (1+2)"),
    "col.gap": ("3. Разрыв до плана", "3. Gap to target"),
    "col.gap_share": ("Разрыв, % плана", "Gap, % of target"),
    "col.existing_clients_plan": ("3А. Старые клиенты", "3A. Existing clients"),
    "col.new_clients_plan": ("3Б. Новые клиенты", "3B. New clients"),
    "col.open_orders_count": ("Открытых заказов", "Open orders"),
    "col.open_orders_amount": ("Сумма открытых", "Open amount"),
    "col.mtd_turnover": ("Факт с начала месяца", "Month to date"),
    "col.warnings": ("Замечания", "Warnings"),
    "plan.total": ("ИТОГО", "TOTAL"),
    "plan.layers_note": (
        "1 — постоянные: 1/{window} оборота за окно; 2 — воронка: {rate} от остатка; "
        "3 — разрыв = план − (1+2): 3А старым клиентам, 3Б новым.",
        "1 — regular: 1/{window} of window turnover; 2 — funnel: {rate} of the remainder; "
        "3 — gap = target − (1+2): 3A to existing clients, 3B to new ones.",
    ),
    "warn.no_target": ("нет плана в «Планы менеджеров»", "no target in Targets"),
    "warn.gap_low": (
        "разрыв {share} плана — меньше 25%: план занижен?",
        "gap is {share} of target, below 25%: target too low?",
    ),
    "warn.gap_high": (
        "разрыв {share} плана — больше 40%: план завышен или база мала",
        "gap is {share} of target, above 40%: target too high or base too small",
    ),
    "warn.no_sales": ("нет продаж в окне", "no sales in the window"),
    # --- call sheet ---
    "calls.title": ("Обзвон постоянных клиентов — {month}", "Regular clients' calls — {month}"),
    "calls.rule": (
        "Звонить каждому не реже {calls} раз в неделю и просить заказ на недельную цель (1/4 месячного плана). "
        "Отмечайте звонки в клетке недели (например, «03.11 ✓ 05.11 ✓») и дату последнего контакта: записи сохраняются при каждом построении.",
        "Call each at least {calls} times a week and ask for an order of the weekly target (1/4 of the monthly plan). "
        "Mark each call in the week's cell (e.g. '03.11 ✓ 05.11 ✓') and the last contact's date: they are kept on every build.",
    ),
    "calls.manager": ("Менеджер: {manager}", "Manager: {manager}"),
    "calls.none": ("Постоянных клиентов нет.", "No regular clients."),
    "col.client": ("Клиент", "Client"),
    "col.active_months": ("Месяцев с закупкой", "Active months"),
    "col.window_turnover": ("Оборот за окно", "Window turnover"),
    "col.monthly_plan": ("План на месяц", "Monthly plan"),
    "col.weekly_target": ("Цель на неделю", "Weekly target"),
    "col.client_mtd": ("Факт месяца", "Month to date"),
    "col.missing": ("Осталось", "Still missing"),
    "col.calls": ("Звонки (отметки)", "Calls (marks)"),
    "col.call_notes": ("Заметки", "Notes"),
    "col.week": ("Нед.", "Week"),
    "col.last_contact": ("Последний контакт", "Last contact"),
    # --- open orders ---
    "orders.title": ("Открытые заказы — проработать все", "Open orders — follow up every one"),
    "orders.rule": (
        "Заказы без явного отказа, крупные первыми. Чем больше сумма, тем чаще контакт.",
        "Orders with no refusal, largest first. The larger the amount, the more often to call.",
    ),
    "orders.none": ("Открытых заказов нет.", "No open orders."),
    "col.order": ("Заказ", "Order"),
    "col.date": ("Дата", "Date"),
    "col.amount": ("Сумма", "Amount"),
    "col.lines": ("Строк", "Lines"),
    "col.contact": ("Как часто связываться", "Contact"),
    "col.age_days": ("Дней с заказа", "Days open"),
    "col.next_step": ("Следующий шаг", "Next step"),
    # --- instruments ---
    "inst1.offers_empty": ("Нет клиентов, которым можно предложить новую категорию: проверьте правила кросс-продаж.",
                           "No client to offer a new category to: check the cross-sell rules."),
    "inst1.key_clients_empty": ("Нет клиентов с оборотом за окно.", "No clients with turnover in the window."),
    "inst2.new_empty": ("Новинок в этом месяце нет", "No new products this month"),
    "inst2.promo_empty": ("Действующих акций нет", "No current promotions"),
    "inst2.brands_empty": ("Брендов повышенной мотивации нет", "No motivation brands"),
    "inst2.sale_empty": ("Распродажи нет", "No clearance"),
    "inst1.left_out": ("Ещё {n} предложений не поместились на лист.", "{n} more offers did not fit on the page."),
    "inst1.short": ("Кандидатов меньше, чем нужно разместить: добавьте правила кросс-продаж.",
                    "Fewer candidates than the volume to place: add cross-sell rules."),
    "inst1.no_units": ("нет данных о ценах товаров", "no product prices in the sales"),
    "inst2.left_out": ("Ещё {n} позиций не поместились — оставлены самые важные для ваших клиентов.",
                       "{n} more items did not fit: the most relevant to your clients are kept."),
    # --- problems ---
    "problems.title": ("Проблемы во входных данных", "Problems in the input"),
    "problems.none": ("Проблем не найдено.", "No problems found."),
    "problems.summary": (
        "Строк прочитано: {read}; пропущено: {skipped}. Пропущенные строки не участвуют в плане.",
        "Rows read: {read}; skipped: {skipped}. Skipped rows are left out of the plan.",
    ),
    "col.sheet": ("Лист", "Sheet"),
    "col.row": ("Строка", "Row"),
    "col.column": ("Столбец", "Column"),
    "col.value": ("Значение", "Value"),
    "col.problem": ("Что не так и что сделать", "Problem and what to do"),
    # --- problems (rows skipped) ---
    "prob.bad_date": ("Дата не распознана — строка пропущена. Введите дату как дату или ДД.ММ.ГГГГ.",
                      "Not a date: row skipped. Enter a date or DD.MM.YYYY."),
    "prob.far_date": (
        "Дата {date} далеко от месяца плана (больше 10 лет до него или года после) — строка не учитывается. "
        "Проверьте год.",
        "Date {date} is far from the plan month (over 10 years before or a year after): row left out. "
        "Check the year.",
    ),
    "prob.ambiguous_amount": (
        "Сумма «{value}» неоднозначна: тысяча с лишним или единица с дробью? Остальные суммы столбца не "
        "подсказывают — строка пропущена. Запишите сумму числом или с копейками («1 234,00»).",
        "Amount '{value}' is ambiguous: over a thousand or one and a bit? The column's other amounts do "
        "not tell: row skipped. Write it as a number or with decimals ('1,234.00').",
    ),
    "prob.bad_amount": ("Сумма не число — строка пропущена.", "Amount is not a number: row skipped."),
    "prob.bad_quantity": ("Количество не число — оставлено пустым.", "Quantity is not a number: left empty."),
    "prob.bad_chars": (
        "В тексте есть символы, которые Excel не может сохранить ({chars}): на листах программы они убраны, "
        "строка учтена.",
        "The text holds characters Excel cannot store ({chars}): left out on the program's tabs, the row is "
        "counted."),
    "prob.no_manager": ("Не указан менеджер — строка пропущена.", "No manager: row skipped."),
    "prob.no_client": ("Не указан клиент — строка пропущена.", "No client: row skipped."),
    "prob.unknown_status": (
        "Неизвестный статус «{status}» — строка пропущена. Добавьте слово в «Статусы заказов» на листе настроек.",
        "Unknown status '{status}': row skipped. Add the word to Order statuses on the Config tab.",
    ),
    "prob.totals_row": ("Строка итогов — пропущена.", "Totals row: skipped."),
    "prob.future_date": ("Дата позже месяца плана — строка не учитывается.",
                         "Date after the plan month: row left out."),
    "prob.target_unknown_manager": (
        "Менеджера нет в продажах — в плане будет строка из нулей.",
        "Manager has no sales: listed with zeros.",
    ),
    "prob.client_unknown": ("Клиента нет в продажах — закрепление не используется.",
                            "Client not in the sales: assignment unused."),
    "prob.duplicate_row": (
        "Такая же строка уже есть (строка {first}) — учтены обе. Если это повтор выгрузки, удалите лишнюю.",
        "The same row is already there (row {first}): both are counted. If the export repeated it, delete one.",
    ),
    "prob.catalog_no_item": ("Не указана позиция — строка пропущена.", "No item: row skipped."),
    "prob.catalog_section": (
        "Неизвестный раздел «{value}» — строка пропущена. Разделы: Новинки, Акции, Бренды, Распродажа.",
        "Unknown section '{value}': row skipped. Sections: new, promo, brands, sale.",
    ),
    "prob.crosssell_empty": ("Правило кросс-продаж без категорий — пропущено.", "Cross-sell rule without categories: skipped."),
    "prob.exclusion_no_client": ("Исключение без клиента — пропущено.", "Exclusion without a client: skipped."),
    "skip.summary": (
        "Пропущено {skipped} из {read} строк продаж ({share}), больше допустимых {limit}: план построен по остальным "
        "и занижен. Причины: {causes}.",
        "{skipped} of {read} sales rows skipped ({share}), more than the {limit} allowed: the plan is built from the "
        "rest and too low. Causes: {causes}.",
    ),
    "skip.prob.no_manager": ("{n} без менеджера (если ячейки «Менеджер» объединены, как выгружает 1С, — "
                             "разъедините и заполните вниз)",
                             "{n} without a manager (if the Manager cells are merged, as 1C exports them, unmerge "
                             "and fill down)"),
    "skip.prob.bad_amount": ("{n} с суммой не числом (формулы без сохранённых значений — откройте файл в Excel "
                             "и сохраните)",
                             "{n} with an amount that is not a number (formulas without saved values: open the "
                             "file in Excel and save it)"),
    "skip.prob.bad_date": ("{n} с нераспознанной датой (даты как даты или ДД.ММ.ГГГГ)",
                           "{n} with a date not recognised (dates as dates or DD.MM.YYYY)"),
    "skip.prob.no_client": ("{n} без клиента", "{n} without a client"),
    "skip.prob.ambiguous_amount": ("{n} с неоднозначной суммой (как «1.234»: запишите числом или с копейками)",
                                   "{n} with an ambiguous amount (as '1.234': write it as a number or with decimals)"),
    "skip.prob.unknown_status": ("{n} с неизвестным статусом (добавьте слово в «Статусы заказов»)",
                                 "{n} with an unknown status (add the word to Order statuses)"),
    "skip.prob.totals_row": ("{n} строк итогов", "{n} totals rows"),
    "skip.other": ("{n}: {what}", "{n}: {what}"),
    "prob.tab_kept": (
        "Лист «{tab}» — ваш (его писала не программа): он не тронут, лист программы записан как «{new}».",
        "The tab '{tab}' is yours (the program did not write it): it is kept; the program's tab is written as '{new}'.",
    ),
    "prob.block_missing": (
        "Блок «{block}» не найден на листе — взяты значения по умолчанию. Проверьте заголовок блока (ровно «{block}»).",
        "Block '{block}' not found on the tab: defaults are used. Check the block's title (exactly '{block}').",
    ),
    "prob.status_twice": (
        "Статус «{value}» записан в двух списках ({groups}) — строки с ним считаются по первому. Оставьте его в одном.",
        "Status '{value}' is in two lists ({groups}): rows with it count as the first. Keep it in one.",
    ),
    "prob.min_above_window": (
        "«Месяцев с закупкой для постоянного» = {minimum} больше окна = {window} мес.: постоянных клиентов не будет.",
        "Regular client's months = {minimum} exceed the window of {window} months: no client can be regular.",
    ),
    # --- fatal errors ---
    "err.where": ("Лист «{sheet}», строка {row}, столбец {column}", "Sheet '{sheet}', row {row}, column {column}"),
    "err.not_workbook": (
        "Файл «{path}» не является книгой Excel (.xlsx, .xlsm) или CSV: {detail}",
        "'{path}' is not an Excel workbook (.xlsx, .xlsm) or CSV: {detail}",
    ),
    "err.encrypted": (
        "Файл «{path}» защищён паролем. Откройте его в Excel, снимите пароль (Файл → Сведения → Защитить книгу) "
        "и сохраните, затем повторите.",
        "'{path}' is protected with a password. Open it in Excel, remove the password (File > Info > Protect "
        "Workbook), save, and try again.",
    ),
    "err.no_file": ("Файл «{path}» не найден.", "File '{path}' not found."),
    # --- limits: what a file may make the readers do (salesplan.ooxml.limits) ---
    "err.zip_part": (
        "Файл «{path}»: часть «{part}» распаковывается в {size} МБ — больше предела {limit} МБ на одну часть. Файл не прочитан: так бывает у повреждённых файлов и «zip-бомб». Если это настоящая выгрузка, сохраните её в CSV и передайте через --sales.",
        "'{path}': part '{part}' inflates to {size} MB, over the limit of {limit} MB for one part. The file was not read: damaged files and zip bombs do this. If it is a real export, save it as CSV and pass it with --sales.",
    ),
    "err.zip_total": (
        "Файл «{path}»: все его части вместе распаковываются больше чем в {limit} МБ (уже {size} МБ к части «{part}»). Файл не прочитан: так бывает у повреждённых файлов и «zip-бомб». Если это настоящая выгрузка, сохраните её в CSV и передайте через --sales.",
        "'{path}': its parts inflate to more than {limit} MB together ({size} MB by part '{part}'). The file was not read: damaged files and zip bombs do this. If it is a real export, save it as CSV and pass it with --sales.",
    ),
    "err.zip_ratio": (
        "Файл «{path}»: часть «{part}» сжата в {size} раз (предел {limit}) — так сжимают «zip-бомбы», а не книги Excel. Файл не прочитан. Откройте его в Excel и сохраните заново.",
        "'{path}': part '{part}' is compressed {size} times (the limit is {limit}): zip bombs are, Excel workbooks are not. The file was not read. Open it in Excel and save it again.",
    ),
    "err.zip_entries": (
        "Файл «{path}»: в архиве {size} частей (предел {limit}) — это не книга Excel. Файл не прочитан.",
        "'{path}': the zip holds {size} entries (the limit is {limit}); it is not an Excel workbook. The file was not read.",
    ),
    "err.zip_damaged": (
        "Файл «{path}»: часть «{part}» повреждена — распаковывается не в тот размер, что записан в архиве. Файл не прочитан. Откройте его в Excel и сохраните заново.",
        "'{path}': part '{part}' is damaged: it inflates to another size than the zip declares. The file was not read. Open it in Excel and save it again.",
    ),
    "err.zip_method": (
        "Файл «{path}»: часть «{part}» сжата необычным способом или зашифрована. Файл не прочитан. Откройте его в Excel и сохраните заново.",
        "'{path}': part '{part}' is compressed in an unusual way or encrypted. The file was not read. Open it in Excel and save it again.",
    ),
    "err.zip_tag": (
        "Файл «{path}»: в части «{part}» тег XML длиннее {limit} байт — это не книга Excel. Файл не прочитан.",
        "'{path}': part '{part}' holds an XML tag longer than {limit} bytes; it is not an Excel workbook. The file was not read.",
    ),
    "err.far_cell": (
        "Лист «{sheet}» книги «{path}»: значение в ячейке {cell} (строка {row}, столбец {column}) слишком далеко от начала листа: чтобы прочитать лист, пришлось бы держать в памяти {cells} ячеек, а предел — {limit}. Очистите эту ячейку (Ctrl+End в Excel переходит к последней ячейке листа) и сохраните книгу.",
        "Sheet '{sheet}' of '{path}': the value in cell {cell} (row {row}, column {column}) lies too far from the start of the sheet: reading the sheet would hold {cells} cells in memory, over the limit of {limit}. Clear that cell (Ctrl+End in Excel goes to the last cell of the sheet) and save the workbook.",
    ),
    "err.far_cells": (
        "Лист «{sheet}» книги «{path}»: значения в ячейках {cell} (строка {row}, столбец {column}) и {cell2} (строка {row2}, столбец {column2}) слишком далеко друг от друга: чтобы прочитать лист, пришлось бы держать в памяти {cells} ячеек, а предел — {limit}. Очистите лишнюю из них (Ctrl+End в Excel переходит к последней ячейке листа) и сохраните книгу.",
        "Sheet '{sheet}' of '{path}': the values in cells {cell} (row {row}, column {column}) and {cell2} (row {row2}, column {column2}) lie too far apart: reading the sheet would hold {cells} cells in memory, over the limit of {limit}. Clear the stray one (Ctrl+End in Excel goes to the last cell of the sheet) and save the workbook.",
    ),
    "err.read_failed": (
        "Не удалось прочитать лист «{sheet}» книги «{path}»: {detail}. Откройте книгу в Excel, проверьте этот лист и сохраните её заново.",
        "Could not read sheet '{sheet}' of '{path}': {detail}. Open the workbook in Excel, check that sheet and save it again.",
    ),
    "err.no_sheet": (
        "В книге «{path}» нет листа «{sheet}». Есть листы: {sheets}.",
        "Workbook '{path}' has no sheet '{sheet}'. Its sheets: {sheets}.",
    ),
    "err.empty_sheet": ("Лист «{sheet}» пуст: нет ни заголовков, ни строк.",
                        "Sheet '{sheet}' is empty: no headers, no rows."),
    "err.no_header": (
        "Лист «{sheet}»: не найдена строка заголовков (нужны столбцы {required}) в первых {scanned} строках.",
        "Sheet '{sheet}': no header row found (needed columns {required}) in the first {scanned} rows.",
    ),
    "err.missing_columns": (
        "Лист «{sheet}», строка заголовков {row}: нет обязательных столбцов {missing}. Есть: {found}.",
        "Sheet '{sheet}', header row {row}: required columns missing: {missing}. Found: {found}.",
    ),
    "err.duplicate_header": (
        "Лист «{sheet}», строка {row}: столбцы {columns} оба означают «{field}». Оставьте один.",
        "Sheet '{sheet}', row {row}: columns {columns} both mean '{field}'. Keep one.",
    ),
    "err.no_rows": ("Лист «{sheet}»: под заголовками нет ни одной строки продаж.",
                    "Sheet '{sheet}': no sales rows under the headers."),
    "unknown_param": ("{where}: неизвестный параметр «{key}». Известные: {known}.",
                      "{where}: unknown parameter '{key}'. Known: {known}."),
    "param_choice": ("{where}: «{key}» = «{value}», допустимо: {allowed}.",
                     "{where}: '{key}' = '{value}', allowed: {allowed}."),
    "param_number": ("{where}: «{key}» = «{value}» — не число.", "{where}: '{key}' = '{value}' is not a number."),
    "param_range": ("{where}: «{key}» = {value} вне допустимого: {allowed}.",
                    "{where}: '{key}' = {value} is outside {allowed}."),
    "param_int": ("{where}: «{key}» = {value} — нужно целое число.", "{where}: '{key}' = {value} must be a whole number."),
    "param_month": ("{where}: «{key}» = «{value}» — нужен месяц ГГГГ-ММ.",
                    "{where}: '{key}' = '{value}' must be a month YYYY-MM."),
    "err.set_syntax": ("--set «{text}»: нужно ключ=значение.", "--set '{text}': expected key=value."),
    "err.target_nobody": (
        "{where}: план {target} без имени менеджера. Впишите менеджера или удалите строку.",
        "{where}: target {target} names no manager. Fill in the manager or delete the row.",
    ),
    "err.target_value": ("{where}: план «{value}» — не число.", "{where}: target '{value}' is not a number."),
    "err.target_duplicate": ("{where}: менеджер «{manager}» уже есть в строке {first}.",
                             "{where}: manager '{manager}' already in row {first}."),
    "err.share_value": ("{where}: доля «{value}» — нужно число от 0 до 1.",
                        "{where}: share '{value}' must be a number from 0 to 1."),
    "err.tier_value": ("{where}: сумма «{value}» — не число.", "{where}: amount '{value}' is not a number."),
    "err.locked": (
        "Не могу записать «{path}»: файл открыт в Excel или только для чтения ({detail}). "
        "Закройте его и повторите. Исходный файл не изменён.",
        "Cannot write '{path}': it is open in Excel or read-only ({detail}). "
        "Close it and try again. The original file is unchanged.",
    ),
    "err.busy": ("Книгу «{path}» сейчас строит другой запуск salesplan. Дождитесь его окончания и повторите.",
                 "Another salesplan run is building '{path}' right now. Wait for it to finish and try again."),
    "err.write_failed": (
        "Не удалось записать «{path}»: {detail}. Исходный файл не изменён.",
        "Could not write '{path}': {detail}. The original file is unchanged.",
    ),
    "err.bad_json_path": ("Не могу записать JSON в «{path}»: {detail}.", "Cannot write JSON to '{path}': {detail}."),
    "err.month_before_data": (
        "Месяц плана {month}: в окне {window} нет ни одной продажи, а на листе продаж есть данные с {first} по {last}.",
        "Plan month {month}: no sales in the window {window}; the sales run from {first} to {last}.",
    ),
    # where the outputs go: refused before any work, nothing written
    "err.output_is_workbook": (
        "{option} «{path}» — это сама книга «{input}»: запись туда уничтожила бы её. Укажите другой файл. "
        "Ничего не записано.",
        "{option} '{path}' is the workbook '{input}' itself: writing there would destroy it. Give another file. "
        "Nothing was written.",
    ),
    "err.output_is_input": (
        "{option} «{path}» — это входной файл {input_option} «{input}»: запись туда уничтожила бы его. "
        "Укажите другой файл. Ничего не записано.",
        "{option} '{path}' is the input file {input_option} '{input}': writing there would destroy it. "
        "Give another file. Nothing was written.",
    ),
    "err.output_is_template": (
        "{option} «{path}» — это шаблон листов А4 «{input}»: запись туда уничтожила бы его. Укажите другой файл. "
        "Ничего не записано.",
        "{option} '{path}' is the A4 template '{input}': writing there would destroy it. Give another file. "
        "Nothing was written.",
    ),
    "err.json_is_out": (
        "--json «{path}» и книга плана «{out}» — один и тот же файл. Укажите для JSON другой файл. "
        "Ничего не записано.",
        "--json '{path}' and the planned workbook '{out}' are the same file. Give JSON another file. "
        "Nothing was written.",
    ),
    "err.output_is_folder": (
        "{option} «{path}» — это папка, а нужен файл, например «{example}». Ничего не записано.",
        "{option} '{path}' is a folder; a file is needed, e.g. '{example}'. Nothing was written.",
    ),
    "err.output_no_folder": (
        "{option} «{path}»: папки «{folder}» нет. Создайте её или укажите другой путь. Ничего не записано.",
        "{option} '{path}': there is no folder '{folder}'. Create it or give another path. Nothing was written.",
    ),
    "err.out_suffix": (
        "--out «{path}»: книга «{workbook}» — файл {suffix}, и копию нужно назвать так же, на {suffix}: "
        "под другим расширением Excel её не откроет (а макросы работают только в .xlsm). "
        "Укажите, например, «{suggestion}». Ничего не записано.",
        "--out '{path}': the workbook '{workbook}' is a {suffix} file, and so must its copy be: Excel refuses "
        "a workbook under another extension (and macros work only in .xlsm). Give e.g. '{suggestion}'. "
        "Nothing was written.",
    ),
    "err.pdf_out_is_file": (
        "--out «{path}» — это файл, а для PDF нужна папка (её создадут, если её нет). Укажите папку. "
        "Ничего не записано.",
        "--out '{path}' is a file; the PDFs need a folder (made if missing). Give a folder. Nothing was written.",
    ),
    "err.changed_during_build": (
        "Книга «{path}» изменилась во время построения (её сохранила другая программа): план не записан, "
        "новая версия книги не тронута. Постройте ещё раз.",
        "The workbook '{path}' changed while the plan was being built (another program saved it): the plan "
        "was not written and the newer workbook is untouched. Build again.",
    ),
    "err.temp_failed": (
        "Не удалось создать временные файлы в папке «{folder}»: {detail}. Освободите место на диске "
        "(или укажите другую временную папку в TMPDIR / TEMP) и повторите. Исходный файл не изменён.",
        "Could not make temporary files in '{folder}': {detail}. Free some disk space (or point TMPDIR / TEMP "
        "at another folder) and try again. The original file is unchanged.",
    ),
    "err.backup_failed": (
        "Не удалось сохранить предыдущую версию «{path}» в «{folder}»: {detail}. Исходный файл не изменён. "
        "Освободите место или стройте с --backups 0 (без резервной копии).",
        "Could not keep the previous version of '{path}' in '{folder}': {detail}. The original file is "
        "unchanged. Free some space or build with --backups 0 (no backup).",
    ),
    # --- new clients: tabs and columns ---
    "sheet.prospects": ("Потенциальные клиенты", "Prospects"),
    "sheet.long_list": ("Длинный список", "Long list"),
    "sheet.short_list": ("Короткий список", "Short list"),
    "sheet.list_summary": ("Итоги списков", "List summary"),
    "sheet.list_archive": ("Архив списка", "List archive"),
    "sheet.notes_archive": ("Архив записей", "Notes archive"),
    "na.tab": ("Лист", "Tab"),
    "na.key": ("Клиент или заказ", "Client or order"),
    "na.field": ("Столбец", "Column"),
    "na.value": ("Запись", "Note"),
    "na.left_month": ("Месяц", "Month"),
    "na.reason": ("Почему в архиве", "Why archived"),
    "na.row_gone": ("строки больше нет на листе", "the row is no longer on the tab"),
    "na.column_gone": ("неделя прошлого месяца", "a week of an earlier month"),
    "na.duplicate": ("записано дважды для одной строки", "typed twice for one row"),
    "sheet.wishes": ("Пожелания клиентов", "Wishes"),
    "ll.manager": ("Менеджер", "Manager"),
    "ll.company": ("Компания", "Company"),
    "ll.kind": ("Тип", "Kind"),
    "ll.reason": ("Почему в списке", "Why on the list"),
    "ll.potential": ("Потенциал в месяц", "Monthly potential"),
    "ll.entered": ("В списке с", "On the list since"),
    "ll.list_month": ("Месяц списка", "List month"),
    "ll.flag": ("Отметка программы", "Program note"),
    "ll.called_on": ("Дата звонка", "Called on"),
    "ll.result": ("Результат звонка", "Result"),
    "ll.interested": ("Интерес (да/нет)", "Interested (yes/no)"),
    "ll.why_not": ("Почему не покупает", "Why not buying"),
    "ll.next_step": ("Следующий шаг", "Next step"),
    "ll.notes": ("Заметки", "Notes"),
    "ll.left_reason": ("Почему ушёл из списка", "Why it left"),
    "ll.left_month": ("Месяц ухода", "Left in"),
    "ll.kind_lapsed": ("ушедший клиент", "lapsed client"),
    "ll.kind_prospect": ("новая компания", "prospect"),
    "ll.reason_lapsed": ("последняя покупка {last}; лучший оборот за 12 мес. {best}",
                         "last purchase {last}; best 12-month turnover {best}"),
    "ll.reason_prospect": ("потенциал {potential} в месяц ({source})", "potential {potential} a month ({source})"),
    "ll.flag_missing": ("компании нет в продажах и на листе «Потенциальные клиенты» — переименована? Проверьте",
                        "company not in the sales nor on Prospects: renamed? Check"),
    "ll.left_became_client": ("купил — стал клиентом", "bought: became a client"),
    "ll.left_refused": ("отказ навсегда", "refused for good"),
    "ll.results": ("не дозвонился|перезвонить|отправил КП|назначена встреча|нет потребности сейчас|отказ навсегда",
                   "no answer|call back|offer sent|meeting set|no need now|refused for good"),
    "ll.yes_no": ("да|нет", "yes|no"),
    "ll.title": ("Длинный список новых клиентов — {month}", "Long list of new clients — {month}"),
    "ll.rule": ("Звоним каждому раз в месяц, лучше в начале месяца. Жёлтые столбцы — ваши: программа их не меняет. "
                "«Отказ навсегда» убирает компанию из списка (в архив).",
                "Call each once a month, early in the month. The yellow columns are yours: the program never changes "
                "them. 'Refused for good' takes a company off the list (to the archive)."),
    "sl.title": ("Короткий список — {month}", "Short list — {month}"),
    "sl.rule": ("Компании с интересом: выясняем потребности и причины, решаем их проблемы всей компанией.",
                "Interested companies: learn needs and reasons, solve their problems with the whole company."),
    "sl.needs": ("Потребности", "Needs"),
    "sl.why_before": ("Почему раньше не покупали", "Why they did not buy before"),
    "sl.objections": ("Возражения", "Objections"),
    "sl.to_solve": ("Что решить (ассортимент, качество, условия)", "To solve (range, quality, terms)"),
    "sl.next_date": ("Дата следующего шага", "Next step date"),
    "sl.orphan": ("интерес снят или компания ушла из списка — заметки сохранены",
                  "no longer interested or off the list: notes kept"),
    "ls.title": ("Итоги длинных списков — {month}", "Long lists — {month}"),
    "ls.carried": ("Перенесено с прошлого месяца", "Carried over"),
    "ls.carried_share": ("Доля переноса (ожидаем 80–90%)", "Carried share (80-90% expected)"),
    "ls.added_lapsed": ("Добавлено ушедших клиентов", "Lapsed clients added"),
    "ls.added_prospects": ("Добавлено новых компаний", "Prospects added"),
    "ls.total": ("В списке", "On the list"),
    "ls.interested": ("С интересом (короткий список)", "Interested (short list)"),
    "ls.left": ("Ушли из списка", "Left the list"),
    "ls.below_min": ("меньше {min}: добавьте потенциальных клиентов", "fewer than {min}: add prospects"),
    "ls.left_title": ("Ушли из списка в этом месяце", "Left the list this month"),
    "ls.none_left": ("Никто не ушёл из списка.", "Nobody left the list."),
    "pr.company": ("Компания", "Company"),
    "pr.city": ("Город", "City"),
    "pr.contact": ("Контактное лицо", "Contact"),
    "pr.phone": ("Телефон", "Phone"),
    "pr.email": ("E-mail", "Email"),
    "pr.site": ("Сайт", "Site"),
    "pr.potential": ("Потенциал в месяц, ₽", "Monthly potential"),
    "pr.source": ("Источник", "Source"),
    "pr.manager": ("Менеджер", "Manager"),
    "wi.client": ("Клиент", "Client"),
    "wi.what": ("Товар или категория", "Product or category"),
    "wi.date": ("Дата", "Date"),
    "wi.manager": ("Менеджер", "Manager"),
    "wi.status": ("Статус", "Status"),
    "wi.statuses": ("новое|заказали|привезли|отказались", "new|ordered|in stock|declined"),
    "prob.list_no_company": ("Строка без названия компании: сохранена как есть, впишите компанию.",
                             "A list row without a company name: kept as it is; fill in the company."),
    # --- Start tab ---
    "sheet.start": ("Старт", "Start"),
    "start.title": ("salesplan — план продаж на месяц", "salesplan — the month's sales plan"),
    "start.month": ("Месяц плана:", "Plan month:"),
    "start.month_empty": ("текущий месяц", "the current month"),
    "start.built": ("Последнее построение:", "Last build:"),
    "start.not_built": ("план ещё не построен", "not built yet"),
    "btn.build": ("Построить план", "Build the plan"),
    "btn.instruments": ("Листы А4: Инструменты №1 и №2", "A4 sheets: Instruments #1 and #2"),
    "btn.pdf": ("Печать листов А4 в PDF", "Print the A4 sheets to PDF"),
    "btn.import": ("Загрузить продажи из файла…", "Import sales from a file…"),
    "start.how": ("Как пользоваться", "How to use"),
    "start.step1": ("1. Руководитель: вставьте выгрузку продаж на лист «Продажи» (или кнопка «Загрузить продажи из файла»).",
                    "1. Supervisor: paste the sales export into the Sales tab (or use «Import sales from a file»)."),
    "start.step2": ("2. Руководитель: проверьте лист «Настройки»: месяц плана, планы менеджеров, правила кросс-продаж; лист «Каталог» — новинки, акции, бренды, распродажа.",
                    "2. Supervisor: check the Config tab: plan month, targets, cross-sell rules; the Catalog tab: new items, promotions, brands, clearance."),
    "start.step3": ("3. Нажмите «Построить план»: появятся листы «План», «Обзвон постоянных», «Открытые заказы», «Проблемы» и листы А4 каждого менеджера (№1 и №2).",
                    "3. Click «Build the plan»: the Plan, Regular calls, Open orders and Problems tabs and each manager's A4 sheets (#1 and #2) appear."),
    "start.step4": ("4. Менеджеры: распечатайте свои листы №1 и №2 (кнопка «Печать в PDF» кладёт PDF в папку PDF рядом с книгой) и держите их перед глазами весь месяц.",
                    "4. Managers: print your #1 and #2 sheets («Print to PDF» puts them in a PDF folder beside the workbook) and keep them at hand all month."),
    "start.step5": ("5. Проблемы во входных данных — на листе «Проблемы»: строка, столбец и что исправить.",
                    "5. Input problems are on the Problems tab: row, column and what to fix."),
    "start.note": ("Листы, которые строит программа, заменяются при каждом построении; ваши листы и записи не трогаются.",
                   "Tabs the program builds are replaced on every build; your own tabs and notes are never touched."),
    # --- Excel ---
    "xl.reading": ("salesplan: читаю листы…", "salesplan: reading the sheets…"),
    "xl.read_progress": ("salesplan: прочитано {done} из {total} строк…", "salesplan: read {done} of {total} rows…"),
    "xl.planning": ("salesplan: планирую…", "salesplan: planning…"),
    "xl.writing": ("salesplan: записываю листы…", "salesplan: writing the tabs…"),
    "xl.printing": ("salesplan: печатаю в PDF…", "salesplan: printing to PDF…"),
    "xl.done": ("План построен: {managers} менеджеров. Проблем во входных данных: {problems} (лист «Проблемы»).",
                "Plan built: {managers} managers. Input problems: {problems} (Problems tab)."),
    "xl.done_instruments": ("Листы А4 готовы: {sheets}.", "A4 sheets ready: {sheets}."),
    "xl.done_pdf": ("PDF готовы: {n} файлов в папке {folder}.", "PDFs ready: {n} files in {folder}."),
    "xl.pick_file": ("Выберите выгрузку продаж", "Choose the sales export"),
    "xl.done_import": ("Загружено {rows} строк из «{path}» на лист «Продажи».",
                       "Loaded {rows} rows from '{path}' into the Sales tab."),
    "xl.import_skipped": ("Пропущено строк: {n} (первые: {first}).", "Rows skipped: {n} (first: {first})."),
    "xl.internal": ("Внутренняя ошибка salesplan. Книга не изменена. Подробности: {log}",
                    "Internal error in salesplan. The workbook is unchanged. Details: {log}"),
    "udf.no_manager": ("Нет менеджера «{manager}» в продажах", "No manager '{manager}' in the sales"),
    "udf.no_client": ("Нет клиента «{client}» в продажах", "No client '{client}' in the sales"),
    "udf.kind": ("Тип клиента", "Kind"),
    "udf.regular": ("постоянный", "regular"),
    "udf.one_time": ("разовый", "one-time"),
    "udf.lapsed": ("нет оборота в окне", "no turnover in the window"),
    "err.no_libreoffice": (
        "Не найден LibreOffice — он нужен команде salesplan pdf, чтобы напечатать листы А4 в PDF (в Excel "
        "кнопка «Печать листов А4 в PDF» печатает без него). Windows: скачайте и установите "
        "LibreOffice с https://www.libreoffice.org/download/. Debian/Ubuntu: sudo apt-get install "
        "libreoffice-calc-nogui. Если LibreOffice установлен в другую папку, укажите путь к soffice в "
        "переменной SALESPLAN_SOFFICE.",
        "LibreOffice was not found; salesplan pdf needs it to print the A4 sheets to PDF (in Excel the button "
        "«Print the A4 sheets to PDF» prints without it). Windows: download and install "
        "LibreOffice from https://www.libreoffice.org/download/. Debian/Ubuntu: sudo apt-get install "
        "libreoffice-calc-nogui. If it is installed elsewhere, set SALESPLAN_SOFFICE to the full path of soffice.",
    ),
    "err.pdf_timeout": ("LibreOffice не успел напечатать «{path}» в PDF за {seconds} с и был остановлен. Повторите попытку.",
                        "LibreOffice did not print '{path}' to PDF within {seconds} s and was stopped. Try again."),
    "err.pdf_failed": ("Не удалось напечатать «{path}» в PDF: {detail}.", "Could not print '{path}' to PDF: {detail}."),
    "err.no_instrument_sheets": (
        "В книге «{name}» нет листов А4 «№1 …» и «№2 …» — печатать нечего. Сначала постройте план: "
        "кнопка «Построить план» в Excel или команда salesplan plan «{path}», затем печатайте.",
        "The workbook '{name}' has no A4 sheets '#1 …' and '#2 …': nothing to print. Build the plan first "
        "(the «Build the plan» button in Excel, or salesplan plan '{path}'), then print.",
    ),
    "err.pdf_no_replan": (
        "salesplan pdf печатает листы №1 и №2 такими, какие они в книге, и план заново не строит: {option} "
        "здесь ничего не меняет. Постройте план с {option}: salesplan plan «{path}» {option} …, затем "
        "salesplan pdf «{path}» --out ПАПКА. Ничего не записано.",
        "salesplan pdf prints the #1 and #2 sheets as they are in the workbook and does not plan again: "
        "{option} changes nothing here. Plan with {option} (salesplan plan '{path}' {option} …), then "
        "salesplan pdf '{path}' --out FOLDER. Nothing was written.",
    ),
    "pdf.alone": (
        "Лист «{sheet}» напечатан один: второго листа этого менеджера ({other}) в книге нет.",
        "Sheet '{sheet}' was printed alone: the workbook has no other sheet of this manager ({other}).",
    ),
    "err.pdf_unreadable": ("Не могу прочитать PDF «{path}»: {detail}.", "Cannot read the PDF '{path}': {detail}."),
    "err.template_two_tables": (
        "Шаблон «{path}», строка {row}: в одной строке поля двух таблиц ({tables}). У каждой таблицы своя строка.",
        "Template '{path}', row {row}: fields of two tables ({tables}) in one row. Each table needs its own row.",
    ),
    "err.template_far_cell": (
        "Шаблон «{path}», лист «{sheet}»: значение в ячейке {cell} далеко за пределами страницы. Шаблон — это одна страница А4: очистите эту ячейку (Ctrl+End в Excel переходит к последней ячейке листа) и сохраните шаблон.",
        "Template '{path}', sheet '{sheet}': the value in cell {cell} lies far outside the page. A template is one A4 page: clear that cell (Ctrl+End in Excel goes to the last cell of the sheet) and save the template.",
    ),
    "err.template_formula": (
        "Шаблон «{path}», ячейка {cell}: формула «{formula}». Шаблон — это оформление листа: в нём допустимы только расчёты по ячейкам этого же листа (СУММ, ОКРУГЛ, ЕСЛИ и т. п.), а ссылки на другие листы и книги, DDE, веб-запросы (WEBSERVICE) и подключения к данным — нет. Уберите формулу в Excel и сохраните шаблон.",
        "Template '{path}', cell {cell}: formula '{formula}'. A template is the layout of a sheet: it may compute with cells of its own sheet (SUM, ROUND, IF and the like), but not refer to other sheets or workbooks, DDE, web queries (WEBSERVICE) or data connections. Remove the formula in Excel and save the template.",
    ),
    "err.template_formula_rule": (
        "Шаблон «{path}», условное форматирование или проверка данных на {range}: формула «{formula}» ссылается за пределы листа или вызывает недопустимую функцию. Уберите её в Excel и сохраните шаблон.",
        "Template '{path}', conditional format or data validation on {range}: formula '{formula}' refers outside the sheet or calls a function a template may not. Remove it in Excel and save the template.",
    ),
    "err.template_formula_name": (
        "Шаблон «{path}», имя «{name}»: формула «{formula}» ссылается на другую книгу, DDE или веб-запрос. Удалите это имя (Формулы → Диспетчер имён) и сохраните шаблон.",
        "Template '{path}', name '{name}': formula '{formula}' refers to another workbook, DDE or a web query. Delete the name (Formulas > Name Manager) and save the template.",
    ),
    "err.template_table_rows": (
        "Шаблон «{path}»: поля таблицы «{table}» стоят в строках {first} и {row}; все они должны быть в одной строке.",
        "Template '{path}': fields of table '{table}' are in rows {first} and {row}; they must all be in one row.",
    ),
    # --- dashboard: plan against fact ---
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
    # --- CLI ---
    "cli.planned": ("План на {month} построен: {managers} менеджеров, {rows} строк продаж, проблем: {problems}. Записано: {path}",
                    "Planned {month}: {managers} managers, {rows} sales rows, {problems} problems. Written: {path}"),
    "check.stops": ("План построить нельзя, пока это не исправлено.", "The plan cannot be built until this is fixed."),
    "check.summary": ("Строк продаж: {rows}. Проблем: {problems}. План можно строить.",
                      "Sales rows: {rows}. Problems: {problems}. The plan can be built."),
    "cli.backup": ("Предыдущая версия сохранена: {path}", "Previous version kept: {path}"),
    "cli.internal": ("Внутренняя ошибка salesplan; исходный файл не изменён. Подробности: {log}",
                     "Internal error in salesplan; the original file is unchanged. Details: {log}"),
    "cli.internal_after_write": (
        "Внутренняя ошибка salesplan после записи: план записан в «{path}». Подробности: {log}",
        "Internal error in salesplan after the write: the plan was written to '{path}'. Details: {log}",
    ),
    "cli.interrupted": ("Прервано: исходный файл не изменён.", "Interrupted: the original file is unchanged."),
    "cli.interrupted_after_write": ("Прервано после записи: план записан в «{path}».",
                                    "Interrupted after the write: the plan was written to '{path}'."),
    "cli.pipe_closed": (
        "Вывод JSON закрыт получателем до конца (например, | head); план записан в «{path}».",
        "The JSON output was closed by its reader before the end (e.g. | head); the plan was written to '{path}'.",
    ),
}


@dataclass(frozen=True)
class Where:
    """A place in the workbook, named in the reader's language."""

    sheet: str
    row: int | None = None
    column: str = ""

    def text(self, lang: str = "ru") -> str:
        if self.row is None:
            return self.sheet
        return t("err.where", lang, sheet=self.sheet, row=self.row, column=self.column or "—")

    def __str__(self) -> str:
        return self.text("en")


def t(key: str, lang: str = "ru", /, **fields: Any) -> str:
    """The text ``key`` in ``lang`` (``"ru"`` or ``"en"``) with ``fields`` filled in."""
    ru, en = TEXTS.get(key, (key, key))
    template = en if lang == "en" else ru
    # Places (sheet, row, column) are rendered in the same language as the message around them.
    fields = {k: (v.text(lang) if isinstance(v, Where) else v) for k, v in fields.items()}
    try:
        return template.format(**fields)
    except (KeyError, IndexError):
        return template


def names(key: str) -> tuple[str, ...]:
    """Both spellings of a text, e.g. to find a sheet whatever the workbook's language."""
    return TEXTS[key]
