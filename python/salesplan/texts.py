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
    "warn.funnel_rate": (
        "Доля остатка в воронку (funnel_rate) = {value}, методика советует 20–25% («рассчитывать на большее "
        "нельзя»). План посчитан с {value}.",
        "Funnel rate (funnel_rate) = {value}; the method advises 20-25% ('do not count on more'). The plan "
        "uses {value}.",
    ),
    "warn.existing_share": (
        "Доля разрыва на старых клиентов (existing_share) = {value}, методика советует от 1/2 до 2/3 "
        "(50–67%). План посчитан с {value}.",
        "Gap share for existing clients (existing_share) = {value}; the method advises 1/2 to 2/3 (50-67%). "
        "The plan uses {value}.",
    ),
    "warn.manager_share": (
        "доля 3А = {value} (методика: от 1/2 до 2/3)",
        "3A share = {value} (the method: 1/2 to 2/3)",
    ),
    "warn.offer_multiplier": (
        "Кратность предложений (offer_multiplier) = ×{value}, методика — ×5: срабатывает примерно каждое пятое "
        "предложение. План посчитан с ×{value}.",
        "Offer multiplier (offer_multiplier) = x{value}; the method uses x5: about one offer in five "
        "converts. The plan uses x{value}.",
    ),
    "warn.long_list_range": (
        "Длинный список: от {low} до {high} компаний, методика — от 50 до 100 в месяц.",
        "Long list: {low} to {high} companies; the method says 50 to 100 a month.",
    ),
    "warn.returns": (
        "крупные возвраты за окно у {n} клиент.: {clients}{more} — план этих клиентов снижен, «(0)» — "
        "возвраты больше покупок, план 0",
        "large returns in the window at {n} client(s): {clients}{more}; their plans are lower, '(0)': "
        "returns exceed purchases, plan 0",
    ),
    "warn.long_list_short": (
        "длинный список: {n} из {low}, не хватает {missing} — добавьте потенциальных клиентов",
        "long list: {n} of {low}, {missing} short — add prospects",
    ),
    "warn.unassigned": (
        "нет плана, а клиентов с покупками {n} (оборот {turnover}): закрепите их за другими менеджерами "
        "в таблице «Клиенты» на листе настроек (список — ниже)",
        "no target, but {n} clients with purchases ({turnover}): assign them to other managers in the Clients "
        "table on the Config tab (listed below)",
    ),
    "plan.attention": ("Обратите внимание", "Please note"),
    "plan.attention_pointer": ("Обратите внимание: {n} замечаний под таблицей.",
                               "Please note: {n} warnings below the table."),
    "plan.see_below": ("см. ниже", "see below"),
    "plan.whole_plan": ("весь план", "whole plan"),
    "plan.unassigned": (
        "Клиенты без менеджера с планом — закрепите каждого в таблице «Клиенты» на листе настроек",
        "Clients without a manager with a target: assign each in the Clients table on the Config tab",
    ),
    "col.former_owner": ("Был у менеджера", "Former manager"),
    "col.lookback_turnover": ("Оборот за глубину поиска", "Lookback turnover"),
    "col.last_purchase": ("Последняя покупка", "Last purchase"),
    "col.is_regular": ("Постоянный", "Regular"),
    "col.long_list_now": ("В длинном списке у", "On the long list of"),
    "col.what": ("Что", "What"),
    "yes": ("да", "yes"),
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
    "inst.no_target": (
        "План месяца не задан: впишите менеджеру план в «Планы менеджеров» на листе настроек — без плана нет "
        "ни разрыва, ни предложений на 3А.",
        "No monthly target is set: give the manager a target in Targets on the Config tab; without one there "
        "is no gap and no 3A offers.",
    ),
    "inst.no_target_short": ("План месяца не задан — предложений нет.", "No monthly target set: no offers."),
    "inst1.title.regular": ("ИНСТРУМЕНТ №1 · Что предложить постоянным клиентам",
                            "INSTRUMENT #1 · What to offer your regular clients"),
    "inst1.title.mixed": ("ИНСТРУМЕНТ №1 · Что предложить постоянным и разовым клиентам",
                          "INSTRUMENT #1 · What to offer your regular and one-time clients"),
    "inst1.title.one_time": ("ИНСТРУМЕНТ №1 · Что предложить разовым клиентам",
                             "INSTRUMENT #1 · What to offer your one-time clients"),
    "inst1.title.none": ("ИНСТРУМЕНТ №1 · Что предложить вашим клиентам",
                         "INSTRUMENT #1 · What to offer your clients"),
    "inst1.offers_title.regular": ("ЧТО ПРЕДЛОЖИТЬ ПОСТОЯННЫМ КЛИЕНТАМ", "WHAT TO OFFER YOUR REGULAR CLIENTS"),
    "inst1.offers_title.mixed": ("ЧТО ПРЕДЛОЖИТЬ ПОСТОЯННЫМ (ПЕРВЫМИ) И РАЗОВЫМ КЛИЕНТАМ",
                                 "WHAT TO OFFER REGULAR (FIRST) AND ONE-TIME CLIENTS"),
    "inst1.offers_title.one_time": ("ЧТО ПРЕДЛОЖИТЬ РАЗОВЫМ КЛИЕНТАМ", "WHAT TO OFFER YOUR ONE-TIME CLIENTS"),
    "inst1.offers_title.none": ("ЧТО ПРЕДЛОЖИТЬ КЛИЕНТАМ", "WHAT TO OFFER YOUR CLIENTS"),
    "inst1.enough": ("Предложений на листе хватает: {offered} при нужных {volume}.",
                     "The offers on this sheet are enough: {offered} against {volume} needed."),
    "inst1.nothing_to_place": ("План 3А равен нулю: размещать в предложениях нечего.",
                               "The 3A plan is zero: there is nothing to place in offers."),
    "inst1.shortfall_page": (
        "Не хватает {shortfall}: на листе предложения на {offered} из {volume}. Ещё {n} предложений на {left} "
        "не поместились на лист (их хватило бы); или перенесите {to_3b} плана из 3А в 3Б.",
        "Short by {shortfall}: the offers on this sheet add up to {offered} of {volume}. {n} more offers worth "
        "{left} did not fit on the sheet (they would be enough); or move {to_3b} of the plan from 3A to 3B.",
    ),
    "inst1.shortfall": (
        "Не хватает {shortfall}: на листе предложения на {offered} из {volume}, других кандидатов нет. "
        "Закрыть: добавить правила в «Кросс-продажи» (Настройки){threshold} или перенести {to_3b} плана "
        "из 3А в 3Б.",
        "Short by {shortfall}: the offers on this sheet add up to {offered} of {volume}; there are no other "
        "candidates. To close it: add Cross-sell rules (Config){threshold}, or move {to_3b} of the plan "
        "from 3A to 3B.",
    ),
    "inst1.shortfall_all": (
        "Не хватает {shortfall}: на листе предложения на {offered} из {volume}, а все кандидаты вместе дали бы "
        "лишь {candidates}. Закрыть: добавить правила в «Кросс-продажи» (Настройки){threshold} или перенести "
        "{to_3b} плана из 3А в 3Б.",
        "Short by {shortfall}: the offers on this sheet add up to {offered} of {volume}, and all candidates "
        "together would give only {candidates}. To close it: add Cross-sell rules (Config){threshold}, or move "
        "{to_3b} of the plan from 3A to 3B.",
    ),
    "inst1.threshold": (", поставить «Порог минимальных объёмов» {share} (кандидатов станет на {total})",
                        ", set the minimal share to {share} (candidates would add up to {total})"),
    "inst1.key_left_out": ("Ещё {n} ключевых клиентов не поместились на лист.",
                           "{n} more key clients did not fit on the page."),
    "inst1.no_units": ("нет данных о заказах этих категорий", "no orders of these categories in the sales"),
    "inst1.order_forms": ("заказ|заказа|заказов", "order|orders|orders"),
    "inst1.goods": ("{category} — {n} {orders} по ≈ {amount}", "{category}: {n} {orders} of ≈ {amount}"),
    "col.i1_volume": ("№1: разместить (3А × {multiplier})", "#1: to place (3A × {multiplier})"),
    "col.i1_offered": ("№1: в предложениях", "#1: offered"),
    "col.i1_shortfall": ("№1: не хватает", "#1: short by"),
    "warn.i1_shortfall": ("№1: не хватает {shortfall} в предложениях — см. лист №1",
                          "#1: offers short by {shortfall}, see the #1 sheet"),
    "inst2.left_out": ("Ещё {n} позиций не поместились — оставлены самые важные для ваших клиентов.",
                       "{n} more items did not fit: the most relevant to your clients are kept."),
    "inst2.struck": ("Убрано вами: {n} (скрытые строки; чтобы вернуть, покажите их и сотрите ✗).",
                     "Removed by you: {n} (hidden rows; to bring one back, unhide it and clear its ✗)."),
    # --- problems ---
    "problems.title": ("Проблемы во входных данных", "Problems in the input"),
    "problems.none": ("Проблем не найдено.", "No problems found."),
    "problems.summary": (
        "Строк продаж прочитано: {read}; пропущено: {skipped}. Пропущенные строки не участвуют в плане. "
        "Прочих замечаний (настройки, списки, план): {other}.",
        "Sales rows read: {read}; skipped: {skipped}. Skipped rows are left out of the plan. "
        "Other notes (Config, lists, the plan): {other}.",
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
    "prob.target_unknown_manager_like": (
        "Менеджера нет в продажах — в плане будет строка из нулей. Может быть, имелся в виду {closest}? "
        "Исправьте имя, как оно записано в продажах.",
        "Manager has no sales: listed with zeros. Did you mean {closest}? Write the name as the sales spell it.",
    ),
    "prob.owner_unknown": (
        "Такого менеджера нет ни в продажах, ни в «Планах менеджеров»: у него нет плана, и клиент попадёт в "
        "«Клиенты без менеджера с планом». Исправьте имя или впишите ему план.",
        "No such manager in the sales or the Targets: it has no target, so the client is listed under "
        "'Clients without a manager with a target'. Correct the name or give it a target.",
    ),
    "prob.owner_unknown_like": (
        "Такого менеджера нет ни в продажах, ни в «Планах менеджеров». Может быть, имелся в виду {closest}? "
        "Пока у него нет плана, клиент числится в «Клиенты без менеджера с планом».",
        "No such manager in the sales or the Targets. Did you mean {closest}? Until it has a target, the client "
        "is listed under 'Clients without a manager with a target'.",
    ),
    "prob.no_target": (
        "У менеджера «{manager}» есть продажи, но нет плана в «Планах менеджеров» (средний оборот за окно "
        "{average}, клиентов с покупками: {clients}). Если он работает — впишите ему план месяца. Если ушёл — "
        "закрепите его клиентов за другими менеджерами в таблице «Клиенты» (список — на листе «План»); его "
        "ушедших крупных клиентов длинные списки уже отдали менеджеру с самым коротким списком.",
        "Manager '{manager}' has sales but no target in Targets (window average {average}, clients with "
        "purchases: {clients}). If they still work here, give them a monthly target. If they left, assign "
        "their clients to other managers in the Clients table (listed on the Plan tab); their big lapsed "
        "clients already went to the manager with the shortest long list.",
    ),
    "prob.no_targets": (
        "Таблица «Планы менеджеров» пуста: у менеджеров {managers} нет плана, разрыв и 3А/3Б не считаются. "
        "Впишите каждому план месяца.",
        "The Targets table is empty: managers {managers} have no target, so no gap and no 3A/3B. Give each a "
        "monthly target.",
    ),
    "prob.negative_turnover": (
        "У менеджера «{manager}» возвраты за окно больше продаж: средний оборот {average}. План не бывает "
        "отрицательным: базовый план взят 0, разрыв — весь план месяца. Проверьте возвраты в продажах "
        "(клиенты названы на листе «План»).",
        "Manager '{manager}' has more returns than sales in the window: average {average}. A plan is never "
        "negative: the base plan is 0 and the gap the whole target. Check the returns in the sales (the "
        "clients are named on the Plan tab).",
    ),
    "prob.order_two_clients": (
        "Номер заказа «{order}» у двух клиентов ({clients}): это разные заказы, каждый со своим статусом. "
        "Если это один заказ — исправьте клиента.",
        "Order number '{order}' is used by two clients ({clients}): planned as two orders, each with its own "
        "status. If it is one order, correct the client.",
    ),
    "prob.client_unknown": ("Клиента нет в продажах — закрепление не используется.",
                            "Client not in the sales: assignment unused."),
    "prob.source_own_workbook": (
        "«{file}» — книга salesplan с листами плана, а не выгрузка продаж: в продажи не взята. Храните выгрузки в отдельной папке.",
        "'{file}' is a salesplan workbook with plan tabs, not a sales export: not read as sales. Keep the exports in a folder of their own.",
    ),
    "prob.source_month_twice": (
        "Месяц {month} есть в двух выгрузках: учтён один раз, из «{kept}» ({kept_lines} строк); строки этого месяца из «{left}» ({left_lines} строк) не учтены. Уберите лишнюю выгрузку из папки.",
        "Month {month} is in two exports: counted once, from '{kept}' ({kept_lines} lines); the lines of that month in '{left}' ({left_lines} lines) are left out. Take the extra export out of the folder.",
    ),
    "prob.duplicate_row": (
        "Такая же строка уже есть (строка {first}) — учтены обе. Если это повтор выгрузки, удалите лишнюю.",
        "The same row is already there (row {first}): both are counted. If the export repeated it, delete one.",
    ),
    "prob.catalog_no_item": ("Не указана позиция — строка пропущена.", "No item: row skipped."),
    "prob.catalog_section": (
        "Неизвестный раздел «{value}» — строка пропущена. Разделы: Новинки, Акции, Бренды, Распродажа.",
        "Unknown section '{value}': row skipped. Sections: new, promo, brands, sale.",
    ),
    "prob.catalog_no_brand": ("Не указан бренд позиции «{value}» — на листе №2 она без бренда; бренду "
                              "повышенной мотивации не подобрать клиентов, покупающих у других.",
                              "Item '{value}' has no brand: Instrument #2 shows it without one; a motivation "
                              "brand cannot be offered to those who buy from other brands."),
    "prob.catalog_expired": ("Срок позиции «{item}» истёк до месяца плана — на лист №2 она не попадает. "
                             "Исправьте дату или удалите строку.",
                             "Item '{item}' expired before the plan month: it is not on Instrument #2. Fix the "
                             "date or delete the row."),
    "prob.i2_unknown_client": ("Клиента «{value}» нет в продажах — на листе №2 он оставлен как вы написали. "
                               "Проверьте название.",
                               "Client '{value}' is in no sales: Instrument #2 keeps it as you wrote it. Check the "
                               "name."),
    "prob.crosssell_empty": ("Правило кросс-продаж без категорий — пропущено.", "Cross-sell rule without categories: skipped."),
    "prob.exclusion_no_client": ("Исключение без клиента — пропущено.", "Exclusion without a client: skipped."),
    "prob.category_unknown": (
        "«{value}» — в продажах нет такой категории; похожие: {similar}. Исправьте название, иначе правило "
        "не сработает.",
        "«{value}»: no such category in the sales; similar: {similar}. Fix the name, or the rule does nothing.",
    ),
    "prob.category_unknown_none": (
        "«{value}» — в продажах нет такой категории (и похожих нет; в продажах, например: {some}). Исправьте "
        "название, иначе правило не сработает.",
        "«{value}»: no such category in the sales (nor a similar one; the sales have, e.g.: {some}). Fix the "
        "name, or the rule does nothing.",
    ),
    "col.category": ("Категория", "Category"),
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
    "prob.param_refused": ("{error} Взято значение по умолчанию: {default}.",
                           "{error} The default is used: {default}."),
    "prob.param_unknown": ("{error} Строка не используется.", "{error} The row is not used."),
    "prob.share_refused": ("{error} Взята доля из параметров (existing_share).",
                           "{error} The Config share (existing_share) is used."),
    "note.share_as_percent": (
        "«{key}» = {value} понято как {percent}. Чтобы не было сомнений, пишите долю (0,25) или процент со "
        "знаком (25%).",
        "'{key}' = {value} is read as {percent}. To be unambiguous, write a share (0.25) or a percent with its "
        "sign (25%).",
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
    # --- a sales history outside the workbook (salesplan.inputs.salessource) ---
    "xl.reading_source": ("Читаю продажи из «{path}» (настройка sales_source)…", "Reading sales from '{path}' (the sales_source setting)…"),
    "err.source_empty": (
        "В папке «{path}» нет выгрузок продаж ({kinds}). Положите в неё файлы выгрузок или укажите другой путь.",
        "Folder '{path}' holds no sales exports ({kinds}). Put the export files into it or name another path.",
    ),
    "err.source_unreadable": (
        "Файл «{path}» не удалось прочитать: {detail}. Выгрузите его заново или уберите из папки.",
        "Could not read '{path}': {detail}. Export it again or take it out of the folder.",
    ),
    "type.date": ("дата", "a date"),
    "type.number": ("число", "a number"),
    "type.text": ("текст", "text"),
    "type.bool": ("да/нет", "true/false"),
    "type.time": ("время", "a time"),
    "err.source_type": (
        "Файл «{path}»: в столбце «{column}» тип «{found}», а нужен «{expected}». Сохраните столбец с этим типом (дата — как дата, сумма и количество — как числа, остальное — как текст).",
        "'{path}': column '{column}' holds {found}, but {expected} is needed. Save that column with that type (the date as a date, amount and quantity as numbers, the rest as text).",
    ),
    "err.source_columns": (
        "Файл «{path}» выгружен с другими столбцами, чем «{first}»: нет {missing}; лишние {extra}. Выгрузите все месяцы одинаково.",
        "'{path}' has other columns than '{first}': missing {missing}; extra {extra}. Export every month the same way.",
    ),
    "err.sales_source_missing": (
        "Источник продаж «{path}» из настройки «{key}» не найден (путь считается от папки книги: {folder}). Исправьте путь в настройках или оставьте его пустым, чтобы брать лист «Продажи».",
        "Sales source '{path}' named by the '{key}' setting was not found (a relative path starts at the workbook's folder: {folder}). Correct it on the Config tab, or leave it empty to use the Sales tab.",
    ),
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
    "err.zip_crc": (
        "Файл «{path}»: часть «{part}» повреждена — её содержимое не сходится с контрольной суммой (CRC), записанной в архиве. Файл не прочитан. Откройте его в Excel и сохраните заново.",
        "'{path}': part '{part}' is damaged: its content does not match the checksum (CRC) the zip holds for it. The file was not read. Open it in Excel and save it again.",
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
    "param_date": ("{where}: «{key}» = «{value}» — нужна дата ДД.ММ.ГГГГ (или пусто: сегодня).",
                   "{where}: '{key}' = '{value}' — expected a date DD.MM.YYYY (or empty: today)."),
    "unknown_param": ("{where}: неизвестный параметр «{key}». Известные: {known}.",
                      "{where}: unknown parameter '{key}'. Known: {known}."),
    "param_choice": ("{where}: «{key}» = «{value}», допустимо: {allowed}.",
                     "{where}: '{key}' = '{value}', allowed: {allowed}."),
    "param_number": ("{where}: «{key}» = «{value}» — не число.", "{where}: '{key}' = '{value}' is not a number."),
    "param_range": ("{where}: «{key}» = {value} вне допустимого: {allowed}.",
                    "{where}: '{key}' = {value} is outside {allowed}."),
    "param_share": (
        "{where}: «{key}» = {value} — доля или процент? Долю пишут от 0 до 1 (0,2), процент — со знаком % "
        "(20%) или целым числом (20). Допустимо: {allowed}.",
        "{where}: '{key}' = {value}: a share or a percent? Write a share from 0 to 1 (0.2), a percent with "
        "its sign (20%) or as a whole number (20). Allowed: {allowed}.",
    ),
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
    "err.new_exists": (
        "Файл «{path}» уже есть: salesplan new не перезаписывает книги. Укажите другое имя или удалите файл сами.",
        "'{path}' already exists: salesplan new never overwrites a workbook. Give another name or remove the file yourself.",
    ),
    "err.new_suffix": (
        "«{path}»: новая книга — файл .xlsm (кнопки работают только в книге с макросами). Укажите, например, «{suggestion}».",
        "'{path}': a new workbook is an .xlsm file (the buttons need a macro-enabled workbook). Give e.g. '{suggestion}'.",
    ),
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
    "na.older_call": ("заменён звонком следующего месяца", "replaced by a later month's call"),
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
    "ll.reason_lapsed": ("последняя покупка {last}, лучший месяц {best_month}, лучшие 12 мес. {best}",
                         "last purchase {last}, best month {best_month}, best 12 months {best}"),
    "ll.prev_called_on": ("Прошлый звонок", "Last call"),
    "ll.prev_result": ("Результат прошлого звонка", "Last call's result"),
    "ll.block_prefix": ("Менеджер:", "Manager:"),
    "ll.block": ("{manager} · 3Б, новые клиенты: {plan_3b} · в списке {total} (нужно {low}–{high})",
                 "{manager} · 3B, new clients: {plan_3b} · on the list {total} ({low}-{high} needed)"),
    "ll.missing": ("не хватает {n} {companies} до {low}: добавьте потенциальных клиентов на лист «{sheet}»",
                   "{n} {companies} short of {low}: add prospects on the '{sheet}' sheet"),
    "ll.plan_missing": ("длинный список: {missing}", "long list: {missing}"),
    "ll.companies": ("компании|компаний", "company|companies"),
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
    "sl.block": ("{manager} · 3Б, новые клиенты: {plan_3b} · в коротком списке {total}",
                 "{manager} · 3B, new clients: {plan_3b} · on the short list {total}"),
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
    "start.demo": (
        "ДЕМО-КНИГА: вымышленный дистрибьютор, месяц плана — {month}, продажи — по {last}; панель всегда "
        "показывает этот месяц на {last}. Для своей компании создайте чистую книгу: salesplan new МОЯ.xlsm.",
        "DEMO WORKBOOK: a made-up distributor, plan month {month}, sales up to {last}; the dashboard always "
        "shows this month as of {last}. For your own company make a clean workbook: salesplan new MINE.xlsm.",
    ),
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
    "xl.reading_saved": ("salesplan: книга сохранена — читаю «{sheet}» из файла на диске (быстро)…", "salesplan: the workbook is saved — reading «{sheet}» from the file on disk (fast)…"),
    "xl.reading_live": ("salesplan: в книге есть несохранённые изменения — читаю «{sheet}» из Excel (медленнее; сохраните книгу, чтобы читать быстро)…", "salesplan: the workbook has unsaved changes — reading «{sheet}» from Excel (slower; save the workbook to read fast)…"),
    "xl.reading_live_unreadable": ("salesplan: файл книги на диске не читается ({detail}) — читаю «{sheet}» из Excel…", "salesplan: the workbook's file on disk cannot be read ({detail}) — reading «{sheet}» from Excel…"),
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
    # --- the method check: past months planned and compared (issue 20) ---
    "sheet.method_check": ("Проверка метода", "Method check"),
    "bt.title": ("Проверка метода на прошлых месяцах: {first} – {last}", "The method checked on past months: {first} – {last}"),
    "bt.subtitle": (
        "Каждый месяц спланирован только по продажам до его начала (как в его первый день) и сравнён с тем, что пришло. "
        "Окно {window} мес., доля воронки {rate:.0%}. Построено {built}.",
        "Each month is planned from the sales before it only (as on its first day) and compared with what came. "
        "Window {window} months, funnel rate {rate:.0%}. Built {built}.",
    ),
    "bt.none": ("Ни один месяц не проверен: нет месяцев с достаточной историей продаж.",
                "No month was checked: no month has enough sales history before it."),
    "bt.skip_history": (
        "{month}: не проверен — до него {have} мес. истории продаж, окну нужно {window}.",
        "{month}: not checked — {have} months of sales history before it, the window needs {window}.",
    ),
    "bt.targets_unknown": (
        "Планы прошлых месяцев не известны (нет листа «Планы прошлых месяцев» со столбцами Месяц, Менеджер, План): "
        "разрыв показан как доля фактического оборота месяца, не плана.",
        "The targets of past months are not known (no «Targets history» tab with columns Month, Manager, Target): "
        "the gap is shown as a share of the month's actual turnover, not of a target.",
    ),
    "sheet.targets_history": ("Планы прошлых месяцев", "Targets history"),
    "th.month": ("Месяц", "Month"),
    "th.manager": ("Менеджер", "Manager"),
    "th.target": ("План", "Target"),
    "prob.bad_month": ("Месяц не распознан (нужно ГГГГ-ММ или ММ.ГГГГ) — строка пропущена.",
                       "Month not understood (YYYY-MM or MM.YYYY) — row skipped."),
    "bt.problem": ("Лист «{sheet}», строка {row}, столбец «{column}»: «{value}» — {problem}",
                   "Tab «{sheet}», row {row}, column «{column}»: «{value}» — {problem}"),
    "bt.team": ("Команда по месяцам", "The team, month by month"),
    "bt.managers": ("По менеджерам", "By manager"),
    "bt.col.month": ("Месяц", "Month"),
    "bt.col.manager": ("Менеджер", "Manager"),
    "bt.col.regular_plan": ("1. Постоянные: план", "1. Regular: plan"),
    "bt.col.regular_actual": ("1. Постоянные: факт", "1. Regular: actual"),
    "bt.col.regular_fit": ("Факт / план", "Actual / plan"),
    "bt.col.regular_clients": ("Постоянных", "Regular clients"),
    "bt.col.regular_bought": ("Из них купили", "Of them bought"),
    "bt.col.remainder": ("2. Остаток", "2. Remainder"),
    "bt.col.funnel_plan": ("2. Воронка: план", "2. Funnel: plan"),
    "bt.col.one_time_actual": ("2. Разовые: факт", "2. One-time: actual"),
    "bt.col.remainder_share": ("Пришло от остатка", "Share of remainder"),
    "bt.col.actual": ("Факт месяца", "Month's actual"),
    "bt.col.gap_share": ("Разрыв, доля", "Gap share"),
    "bt.col.gap_of": ("Доля от", "Share of"),
    "bt.col.offers": ("№1: предложений", "#1: offers"),
    "bt.col.offers_bought": ("Купили", "Bought"),
    "bt.col.conversion": ("Конверсия", "Conversion"),
    "bt.col.long_list": ("Длинный список: ушедших", "Long list: lapsed"),
    "bt.col.came_back": ("Вернулись", "Came back"),
    "bt.col.came_back_share": ("Доля", "Share"),
    "bt.col.notes": ("Примечания", "Notes"),
    "bt.gap_of.target": ("плана", "target"),
    "bt.gap_of.actual": ("факта", "actual"),
    "bt.note.new_manager": ("новый менеджер: до месяца истории нет", "new manager: no history before the month"),
    "bt.note.no_sales": ("продаж в месяце нет", "no sales this month"),
    "bt.note.offers_pending": ("конверсия: следующий месяц ещё не закончен", "conversion: the next month is not over"),
    "bt.note.comeback_pending": ("возврат: 3 месяца ещё не прошли", "came back: 3 months have not passed"),
    "bt.chart.regular": ("Слой 1, постоянные клиенты: план и факт, команда", "Layer 1, regular clients: plan and actual, the team"),
    "bt.chart.one_time": ("Слой 2, разовые клиенты: план воронки и факт, команда", "Layer 2, one-time clients: funnel plan and actual, the team"),
    "bt.series.regular_plan": ("1. Постоянные — план", "1. Regular — plan"),
    "bt.series.regular_actual": ("1. Постоянные — факт", "1. Regular — actual"),
    "bt.series.funnel_plan": ("2. Воронка — план", "2. Funnel — plan"),
    "bt.series.one_time_actual": ("2. Разовые — факт", "2. One-time — actual"),
    "bt.calibration": ("Что говорят прошлые месяцы о настройках", "What the past months say about the settings"),
    "bt.cal.col.setting": ("Настройка", "Setting"),
    "bt.cal.col.config": ("Сейчас", "Now"),
    "bt.cal.col.data": ("По данным", "From the data"),
    "bt.cal.col.evidence": ("На чём основано", "Evidence"),
    "bt.cal.funnel": ("Доля остатка в воронку (funnel_rate)", "Funnel rate (funnel_rate)"),
    "bt.cal.funnel_evidence": (
        "Доля, выполненная в {met:.0%} месяцев: {rate}. Нынешняя {config:.0%} выполнялась в {config_met} из {months}. "
        "По месяцам: {shares}.",
        "The rate met in {met:.0%} of the months: {rate}. Today's {config:.0%} was met in {config_met} of {months}. "
        "Month by month: {shares}.",
    ),
    "bt.cal.multiplier": ("Кратность предложений (offer_multiplier)", "Offer multiplier (offer_multiplier)"),
    "bt.cal.multiplier_evidence": (
        "Из {offers} предложений инструмента №1 клиенты купили эту категорию в том же или следующем месяце в {bought} "
        "случаях: конверсия {conversion}, значит кратность ≈ 1 / конверсия.",
        "Of {offers} Instrument #1 offers, the client bought that category in the month or the next in {bought}: "
        "conversion {conversion}, so the multiplier ≈ 1 / conversion.",
    ),
    "bt.cal.regular": ("Мин. месяцев для постоянного (regular_min_months)", "Regular: minimum months (regular_min_months)"),
    "bt.cal.regular_line": ("{minimum} из {window}: {clients} клиенто-мес., купили {bought}, факт/план {fit}",
                            "{minimum} of {window}: {clients} client-months, {bought} bought, actual/plan {fit}"),
    "bt.cal.verdict.good": ("предсказывает хорошо", "predicts well"),
    "bt.cal.verdict.over": ("план выше факта", "plans above the actual"),
    "bt.cal.verdict.under": ("план ниже факта", "plans below the actual"),
    "bt.cal.long_list": ("Длинный список: ушедшие клиенты", "Long list: lapsed clients"),
    "bt.cal.long_list_evidence": (
        "Из {listed} ушедших клиентов, с которых начались бы длинные списки, за 3 месяца вернулись {back}.",
        "Of {listed} lapsed clients the long lists would have started with, {back} came back within 3 months.",
    ),
    "bt.cal.note": (
        "Ничего не меняется само: если согласны, перенесите значение на лист «Настройки».",
        "Nothing is changed by itself: if you agree, copy the value to the Config tab.",
    ),
    "bt.pairs": ("Пары категорий из продаж: кто покупает A, чаще обычного покупает и B ({first} – {last}, не меньше {min} клиентов)",
                 "Category pairs from the sales: who buys A buys B more often than chance ({first} – {last}, at least {min} clients)"),
    "bt.pairs.col.from": ("Покупает (A)", "Buys (A)"),
    "bt.pairs.col.to": ("Предложить (B)", "Offer (B)"),
    "bt.pairs.col.clients": ("Клиентов с A и B", "Clients with A and B"),
    "bt.pairs.col.support": ("Поддержка", "Support"),
    "bt.pairs.col.confidence": ("Достоверность", "Confidence"),
    "bt.pairs.col.lift": ("Лифт", "Lift"),
    "bt.pairs.col.verdict": ("Таблица кросс-продаж", "Cross-sell table"),
    "bt.pairs.supported": ("есть, данные подтверждают", "in it, the data supports it"),
    "bt.pairs.not_supported": ("есть, данные не подтверждают", "in it, the data does not support it"),
    "bt.pairs.missing": ("нет — добавить?", "missing — add it?"),
    "bt.pairs.none": ("Пар на достаточном числе клиентов нет.", "No pair on enough clients."),
    "bt.pairs.note": (
        "Лифт > 1: B покупают чаще среди покупателей A, чем среди всех. Пара переносится в таблицу кросс-продаж "
        "на листе «Настройки» руководителем; сама она не применяется.",
        "Lift > 1: B is bought more often by A's buyers than by all. The supervisor copies a pair into the "
        "Cross-sell table on the Config tab; nothing is applied by itself.",
    ),
    "cli.backtested": (
        "Проверка метода: {tested} мес. проверено, {skipped} пропущено, {managers} менеджеров. Записано: {path}",
        "Method check: {tested} months checked, {skipped} skipped, {managers} managers. Written: {path}",
    ),
    "xl.done_backtest": ("Готово: лист «Проверка метода», проверено месяцев: {tested}.",
                         "Done: the «Method check» tab, months checked: {tested}."),
    "err.backtest_months": ("--months {value}: нужно число месяцев от 1.", "--months {value}: give a number of months from 1."),
    "btn.backtest": ("Проверить метод на прошлых месяцах", "Check the method on past months"),
    # --- dashboard: plan against fact ---
    "sheet.dashboard": ("Панель", "Dashboard"),
    "dash.title": ("План и факт: {month}", "Plan against fact: {month}"),
    "dash.subtitle": (
        "Факт на {today}. Рабочих дней в месяце по производственному календарю РФ: {all}, прошло {elapsed}, "
        "осталось {left} (сегодня — в оставшихся). Построено {built}.",
        "Fact as of {today}. Working days this month by Russia's production calendar: {all}, past {elapsed}, "
        "left {left} (today counts as left). Built {built}.",
    ),
    "dash.title_over": ("Итоги месяца: {month} (месяц закончился)", "Month's result: {month} (the month is over)"),
    "dash.subtitle_over": (
        "Месяц закончился: факт за весь месяц, по {today}. Рабочих дней в месяце по производственному "
        "календарю РФ: {all}. Построено {built}.",
        "The month is over: the fact of the whole month, to {today}. Working days this month by Russia's "
        "production calendar: {all}. Built {built}.",
    ),
    "dash.expected": (
        "Ожидаемое выполнение к сегодня ({elapsed} из {all} рабочих дней):",
        "Expected by today ({elapsed} of {all} working days):",
    ),
    "dash.expected_over": (
        "Месяц закончился: план месяца должен быть выполнен полностью:",
        "The month is over: the target should have been reached in full:",
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
    "dash.rule_over": (
        "Красным — план месяца не выполнен. Рабочих дней не осталось: «нужно в день» не считается. Факт по "
        "слоям: новые (длинный список или не покупали {new_after} мес.), кросс-продажи (категория, которую "
        "клиент не брал за окно), постоянные, разовые; каждая продажа — в одном слое.",
        "Red: the target was not reached. No working day is left: no pace is needed. Fact by layer: new (on "
        "the long list or no purchase for {new_after} months), cross-selling (a category the client did not "
        "buy in the window), regular, one-time; each sale in one layer only.",
    ),
    "dash.title_demo": ("{title} — ДЕМО-МЕСЯЦ, продажи по {last}", "{title} — DEMO MONTH, sales up to {last}"),
    "dash.demo": (
        "ДЕМО: вымышленная компания, месяц плана {month}, продажи в книге — по {last}. Панель показывает этот "
        "демо-месяц на {last} («Дата факта» в «Настройках»), какой бы ни была сегодняшняя дата. "
        "Для своей компании — новая книга: salesplan new.",
        "DEMO: a made-up company, plan month {month}, sales in the workbook up to {last}. The dashboard shows "
        "this demo month as of {last} ('Fact as of' in Config), whatever today's date. "
        "For your own company, a new workbook: salesplan new.",
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
    "dash.done": ("выполнен", "reached"),
    "dash.not_done": ("не выполнен", "not reached"),
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
    # --- command-line help (salesplan --help, salesplan plan --help, ...) ---
    "help.description": (
        "Планирует месяц каждого менеджера продаж по методике и записывает листы плана в книгу Excel.",
        "Plans each sales manager's month by the method and writes the plan tabs into the Excel workbook.",
    ),
    "help.epilog": (
        "Новая компания: salesplan new МОЯ.xlsm. Демо: salesplan plan salesplan.xlsm. Справка по команде: "
        "salesplan КОМАНДА --help. По-английски: --lang en или SALESPLAN_LANG=en.",
        "A new company: salesplan new MINE.xlsm. The demo: salesplan plan salesplan.xlsm. A command's help: "
        "salesplan COMMAND --help. In Russian: --lang ru or SALESPLAN_LANG=ru.",
    ),
    "help.version": ("показать версию и выйти", "show the version and exit"),
    "help.lang": ("язык сообщений в терминале (по умолчанию ru; также SALESPLAN_LANG)",
                  "language of the messages on the terminal (default ru; also SALESPLAN_LANG)"),
    "help.commands": ("команды", "commands"),
    "help.backtest": ("проверить методику на прошлых месяцах: каждый спланировать по продажам до него, сравнить "
                      "с тем, что пришло; записать лист «Проверка метода»",
                      "check the method on past months: plan each from the sales before it, compare with what "
                      "came; write the Method check tab"),
    "help.backtest_month": ("месяц плана ГГГГ-ММ: проверяются месяцы до него",
                            "the plan month YYYY-MM: the months before it are checked"),
    "help.backtest_months": ("сколько месяцев проверить (по умолчанию: %(default)s)",
                             "months to check (default: %(default)s)"),
    "help.setup": ("настроить кнопки и функции ячеек книги на этот Python: записать его на лист xlwings.conf, "
                   "проверив, что он запускает salesplan",
                   "make the workbook's buttons and cell functions run this Python: write it into the xlwings.conf "
                   "tab, proving first that it starts salesplan"),
    "help.setup_workbook": ("книга .xlsm (по умолчанию: %(default)s)", "the .xlsm workbook (default: %(default)s)"),
    "help.setup_platform": ("для какого Excel: win (Interpreter_Win) или mac (Interpreter_Mac); по умолчанию — "
                            "эта система", "which Excel reads it: win (Interpreter_Win) or mac (Interpreter_Mac); "
                            "default: this system's"),
    "help.setup_python": ("какой Python записать (по умолчанию — тот, что запускает salesplan)",
                          "the interpreter to write (default: the one running salesplan)"),
    "help.setup_dry_run": ("показать, что будет записано, ничего не меняя", "print what would be written; change nothing"),
    "help.plan": ("построить план месяца и записать листы плана в книгу", "plan the month and write the plan tabs into the workbook"),
    "help.workbook": ("книга .xlsm/.xlsx с листами «Продажи» и «Настройки»", "the .xlsm/.xlsx workbook with the Sales and Config tabs"),
    "help.sales": ("взять строки продаж из этого файла .xlsx/.xlsm/.csv, а не с листа «Продажи»",
                   "read the sales rows from this .xlsx/.xlsm/.csv instead of the Sales tab"),
    "help.check_sales": ("проверить этот файл продаж вместо листа «Продажи»", "check this sales file instead of the Sales tab"),
    "help.targets": ("файл .csv/.xlsx со столбцами Менеджер, План (вместо таблицы планов в «Настройках»)",
                     ".csv/.xlsx with the columns Manager, Target (instead of the Config's Targets table)"),
    "help.month": ("месяц плана ГГГГ-ММ (вместо «Месяц плана» в «Настройках»)", "plan month YYYY-MM (overrides Config plan_month)"),
    "help.set": ("задать параметр «Настроек» на этот запуск (можно несколько раз): {keys}",
                 "override a Config parameter for this run (repeatable): {keys}"),
    "help.out": ("записать книгу с планом сюда, исходную не трогать", "write the planned workbook here, leaving the workbook untouched"),
    "help.json": ("записать цифры ещё и в JSON ('-' = на экран)", "also write the figures as JSON ('-' = stdout)"),
    "help.backups": ("сколько прежних версий хранить в salesplan-backups/ (по умолчанию %(default)s; 0 — ни одной)",
                     "previous versions to keep in salesplan-backups/ (default %(default)s; 0 = none)"),
    "help.check": ("только проверить книгу и перечислить все проблемы (ничего не записывает)",
                   "only validate the workbook and list every problem (writes nothing)"),
    "help.pdf": ("напечатать листы А4 (№1 и №2) каждого менеджера такими, как они в книге, в PDF (LibreOffice); "
                 "сначала постройте план командой plan",
                 "print each manager's A4 sheets (#1 and #2) as they are in the workbook to PDF (LibreOffice); "
                 "plan first with 'plan'"),
    "help.pdf_out": ("папка для PDF", "folder for the PDFs"),
    "help.new": ("чистая книга для своей компании: кнопки, «Настройки» по умолчанию, никаких демо-данных",
                 "a clean workbook for a real company: buttons, Config defaults, no demo data"),
    "help.new_file": ("новый файл .xlsm (существующий файл никогда не перезаписывается)",
                      "the new .xlsm (an existing file is never overwritten)"),
    "help.new_lang": ("язык листов книги (по умолчанию — язык сообщений)", "language of the workbook's tabs (default: the messages' language)"),
    "help.demo": ("сделать демо-книгу вымышленного дистрибьютора (текущий месяц, продажи по сегодня) и построить план",
                  "generate the demo distributor's workbook (this month, sales up to today) and plan it"),
    "help.demo_folder": ("куда записать (по умолчанию текущая папка)", "where to write it (default: the current folder)"),
    "help.demo_month": ("месяц плана ГГГГ-ММ (по умолчанию текущий)", "plan month YYYY-MM (default: the current month)"),
    "help.demo_name": ("имя файла (по умолчанию %(default)s)", "file name (default: %(default)s)"),
    "help.build": ("собрать salesplan.xlsm из исходников (VBA, листы, демо-данные)",
                   "build salesplan.xlsm from source (VBA, tabs, demo data)"),
    "help.build_out": ("куда (по умолчанию %(default)s)", "where (default: %(default)s)"),
    "help.build_month": ("месяц плана демо-данных (по умолчанию месяц поставляемой книги)",
                         "plan month of the demo data (default: the shipped month)"),
    "help.build_language": ("язык листов", "language of the tabs"),
    "cli.planned": ("План на {month} построен: {managers} менеджеров, {rows} строк продаж, проблем: {problems}. Записано: {path}",
                    "Planned {month}: {managers} managers, {rows} sales rows, {problems} problems. Written: {path}"),
    "check.stops": ("План построить нельзя, пока это не исправлено.", "The plan cannot be built until this is fixed."),
    "check.summary": ("Строк продаж: {rows}. Проблем: {problems}. План можно строить.",
                      "Sales rows: {rows}. Problems: {problems}. The plan can be built."),
    "cli.new": (
        "Новая книга: {path}. Дальше: вставьте выгрузку продаж на лист «Продажи», впишите планы менеджеров на "
        "листе «Настройки» и нажмите «Построить план» (или: salesplan plan {path}).",
        "New workbook: {path}. Next: paste the sales export into the Sales tab, type the managers' targets on the "
        "Config tab and press «Построить план» / Build plan (or: salesplan plan {path}).",
    ),
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
    # --- salesplan excel-setup ---
    "setup.choose_platform": (
        "Здесь ({system}) нет Excel: укажите, для какого Excel настроить книгу, — --platform win (Windows) "
        "или --platform mac (macOS). Книга не изменена.",
        "There is no Excel here ({system}): say which Excel to set the workbook up for, --platform win "
        "(Windows) or --platform mac (macOS). The workbook is unchanged.",
    ),
    "setup.no_xlwings": (
        "В Python «{python}» нет xlwings {version}, а без него кнопки книги не работают. Установите его: "
        "\"{python}\" -m pip install xlwings=={version} (или pip install . в папке salesplan) и повторите. "
        "Книга не изменена.",
        "The Python '{python}' has no xlwings {version}, and the workbook's buttons need it. Install it: "
        "\"{python}\" -m pip install xlwings=={version} (or pip install . in the salesplan folder) and try "
        "again. The workbook is unchanged.",
    ),
    "setup.wrong_xlwings": (
        "В Python «{python}» xlwings {found}, а книге нужен xlwings {version} (его модуль VBA — в книге). "
        "Установите нужный: \"{python}\" -m pip install xlwings=={version} и повторите. Книга не изменена.",
        "The Python '{python}' has xlwings {found}; the workbook needs xlwings {version} (its VBA module is in "
        "the workbook). Install it: \"{python}\" -m pip install xlwings=={version} and try again. "
        "The workbook is unchanged.",
    ),
    "setup.probe_failed": (
        "Python «{python}» не запускает salesplan так, как его запустит кнопка: {error}. Установите salesplan "
        "в этот Python (pip install . в папке salesplan) и повторите. Книга не изменена.",
        "The Python '{python}' does not start salesplan as a button would: {error}. Install salesplan into "
        "that Python (pip install . in the salesplan folder) and try again. The workbook is unchanged.",
    ),
    "setup.mac_path_spaces": (
        "В пути к Python «{python}» есть пробел, кавычка или обратная косая черта: на Mac xlwings вставляет "
        "этот путь в команду без кавычек, и кнопки не запустятся. Создайте окружение в папке без пробелов "
        "(python3 -m venv ~/salesplan-venv), установите в него salesplan и запустите excel-setup оттуда. "
        "Книга не изменена.",
        "The path of the Python '{python}' has a space, a quote or a backslash: on a Mac xlwings puts it "
        "into a shell command unquoted, and the buttons would not start. Make the environment in a folder "
        "without spaces (python3 -m venv ~/salesplan-venv), install salesplan into it and run excel-setup "
        "from there. The workbook is unchanged.",
    ),
    "setup.read_only": (
        "Книга «{path}» только для чтения. Снимите отметку «Только чтение» в свойствах файла (на Mac: "
        "«Свойства» → «Общий доступ и права доступа») или скопируйте книгу в папку, куда можно писать, "
        "и повторите. Книга не изменена.",
        "The workbook '{path}' is read-only. Clear 'Read-only' in the file's properties (on a Mac: Get Info "
        "→ Sharing & Permissions) or copy the workbook to a folder you can write to, and try again. "
        "The workbook is unchanged.",
    ),
    "setup.would_write": ("Пробный запуск, книга не изменена. В «{path}», лист «{sheet}», было бы записано:",
                          "Dry run, the workbook is unchanged. Would write to '{path}', tab '{sheet}':"),
    "setup.wrote": ("Записано в «{path}», лист «{sheet}»:", "Written to '{path}', tab '{sheet}':"),
    "setup.no_change": ("Лист «{sheet}» в «{path}» уже такой, как нужно: книга не изменена.",
                        "The '{sheet}' tab of '{path}' is as it should be already: the workbook is unchanged."),
    "setup.duplicate": ("повтор ключа, на котором xlwings остановился бы: убран",
                        "a repeated key xlwings would stop at: removed"),
    "setup.was": ("было «{old}»", "was '{old}'"),
    "setup.proof": (
        "Проверено: {python} запускает salesplan {salesplan} и xlwings {xlwings} так же, как кнопка "
        "(salesplan из {path}).",
        "Proved: {python} starts salesplan {salesplan} and xlwings {xlwings} as a button would "
        "(salesplan from {path}).",
    ),
    "setup.other_machine": (
        "Внимание: «{python}» — путь на этом компьютере, а {key} читает Excel на другом. Чтобы книга "
        "работала там, запустите salesplan excel-setup на том компьютере.",
        "Note: '{python}' is a path on this computer, and {key} is read by Excel on another one. For the "
        "workbook to work there, run salesplan excel-setup on that computer.",
    ),
    "setup.no_dll": (
        "Рядом с «{python}» нет xlwings64-{version}.dll: кнопки работать будут, а функции в ячейках "
        "(=SALESPLAN_MANAGER…) — нет. Переустановите xlwings: \"{python}\" -m pip install --force-reinstall "
        "xlwings=={version}.",
        "There is no xlwings64-{version}.dll beside '{python}': the buttons will work, the cell functions "
        "(=SALESPLAN_MANAGER…) will not. Reinstall xlwings: \"{python}\" -m pip install --force-reinstall "
        "xlwings=={version}.",
    ),
    "setup.would_run": ("Было бы выполнено: {command}", "Would run: {command}"),
    "setup.ran": ("Выполнено: {command}", "Ran: {command}"),
    "setup.run_on_mac": (
        "На Mac выполните один раз в Терминале: {command} (разрешает Excel запускать Python).",
        "On the Mac, run once in Terminal: {command} (lets Excel start Python).",
    ),
    "setup.install_failed": (
        "Не удалось выполнить {command}: {error}. Лист xlwings.conf уже записан; выполните эту команду "
        "в Терминале сами.",
        "Could not run {command}: {error}. The xlwings.conf tab is written; run that command in Terminal "
        "yourself.",
    ),
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


@dataclass(frozen=True)
class Word:
    """A text used as a field of another (``type.date``): worded in that message's language."""

    key: str

    def text(self, lang: str = "ru") -> str:
        return t(self.key, lang)


def t(key: str, lang: str = "ru", /, **fields: Any) -> str:
    """The text ``key`` in ``lang`` (``"ru"`` or ``"en"``) with ``fields`` filled in."""
    ru, en = TEXTS.get(key, (key, key))
    template = en if lang == "en" else ru
    # Places (sheet, row, column) are rendered in the same language as the message around them.
    # A place, or a whole message (an error kept on the Problems tab), is worded in ``lang``.
    fields = {k: (v.text(lang) if isinstance(v, Where) or callable(getattr(v, "text", None)) else v)
              for k, v in fields.items()}
    try:
        return template.format(**fields)
    except (KeyError, IndexError):
        return template


def names(key: str) -> tuple[str, ...]:
    """Both spellings of a text, e.g. to find a sheet whatever the workbook's language."""
    return TEXTS[key]
