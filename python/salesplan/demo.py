"""The demo workbook: the demo distributor's ledger and Config, planned.

Targets are set from the demo's own base plans so that each manager's gap falls inside the seed's
25-40% of the target, as it would for a well-set plan.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from .demo_data import DemoData, make_demo
from .inputs.config import DEFAULT_CROSSSELL, Config
from .inputs.ledger import ledger_from_frame
from .method.plan import plan_month
from .months import current_month, first_day, month_label, month_name, parse_label

DEMO_COMPANY = "ООО «ОхранаСнаб»"
#: The shipped salesplan.xlsm is built for a fixed month so that it can be rebuilt byte-comparably.
SHIPPED_MONTH = "2026-11"


def demo_build_time(month: str) -> dt.datetime:
    """The demo's data run to day 10 of the plan month: that morning is when it was "built"."""
    start = first_day(parse_label(month))
    return dt.datetime(start.year, start.month, 10, 9, 0)


def demo_config(data: DemoData, month: str, seed: int = 7, as_of: dt.date | None = None) -> Config:
    """Config for the demo: default parameters, the plan month, owners, and targets with a 26-38% gap.

    ``as_of``: the demo's last day of sales (by default day 10 of the month, as :func:`make_demo`
    makes them), kept as the Config's «Дата факта»: the demo month is seen as of that day whenever
    it is planned again, and its tabs say it is a demo."""
    as_of = as_of or demo_build_time(month).date()
    config = Config().with_params(plan_month=month, company=DEMO_COMPANY, as_of_date=as_of.isoformat())
    config.owners = data.clients.rename(columns={"Client": "client", "Owner": "owner"})[["client", "owner"]]
    ledger, _ = ledger_from_frame(data.ledger, config.statuses)
    plan = plan_month(ledger, config.params, config.targets, config.owners, config.tiers)
    rng = np.random.default_rng(seed)
    base = plan.summary.set_index("manager")["base_plan"]
    gap_share = rng.uniform(0.26, 0.38, size=len(base))
    targets = np.ceil(base.to_numpy() / (1 - gap_share) / 10000) * 10000
    shares = [float("nan")] * len(base)
    if len(base) > 1:
        shares[0] = 2 / 3  # a senior manager with many old clients: the supervisor set 2/3 (seed 3.1.1)
    config.targets = pd.DataFrame({"manager": base.index, "target": targets.astype("float64"),
                                   "existing_share": pd.Series(shares, dtype="float64")})
    return config


#: The demo's Cross-sell table: the seed's two examples, then what a supervisor would add.
DEMO_CROSSSELL = DEFAULT_CROSSSELL + (
    ("Видеорегистраторы", "Камеры видеонаблюдения, Кабель, Блоки питания"),
    ("Домофоны", "СКУД, Блоки питания, Кабель"),
    ("Шлагбаумы", "СКУД, Камеры видеонаблюдения"),
    ("ОПС", "Аккумуляторы, Блоки питания, Кабель"),
)

_NEW_ITEMS = (
    ("Камера IP 6 Мп ColorVu Hikvision DS-2CD2367G2-LU", "Hikvision", "Камеры видеонаблюдения", 21900,
     "цветная картинка ночью, 4 недели под заказ"),
    ("Видеорегистратор 8-кан. PoE HiWatch DS-N308/2P(D)", "HiWatch", "Видеорегистраторы", 15900, "8 PoE-портов"),
    ("Монитор видеодомофона Tantos Prime Slim 7\"", "Tantos", "Домофоны", 11900, "Wi-Fi, запись в облако"),
    ("Контроллер СКУД Болид С2000-2 исп. 02", "Болид", "СКУД", 6400, "замена снятой версии"),
    ("Блок питания Бастион РАПАН-60 бесперебойный", "Бастион", "Блоки питания", 4300, ""),
)
_BRANDS = (
    ("Вся линейка Dahua", "Dahua", "", "бонус менеджеру +3% с оборота"),
    ("Домофония Tantos", "Tantos", "Домофоны", "бонус +2%, демо-стенд для клиента"),
    ("Шлагбаумы DoorHan", "DoorHan", "Шлагбаумы", "бонус +2%, доставка за наш счёт"),
    ("Охранная сигнализация Болид", "Болид", "ОПС", "бонус +2%"),
)


def demo_catalog(data: DemoData, month: str) -> pd.DataFrame:
    """A realistic Catalog tab: new items, current promotions (one already expired), motivation
    brands and clearance, dated around the plan month."""
    start = pd.Timestamp(first_day(parse_label(month)))
    end = start + pd.offsets.MonthEnd(0)
    rows = []
    for item, brand, category, price, note in _NEW_ITEMS:
        rows.append(("new", item, brand, category, float(price), start - pd.Timedelta(days=12), pd.NaT, note))
    products = data.products.sort_values(["Category", "Price"])
    promo = products.groupby("Category").nth(2).head(6)
    for i, p in enumerate(promo.itertuples(index=False)):
        discount = (10, 15, 7, 12, 10, 5)[i]
        rows.append(("promo", p.Product, p.Brand, p.Category, round(p.Price * (100 - discount) / 100, 0),
                     start, end, f"−{discount}% до {end:%d.%m}"))
    expired = products.iloc[0]
    rows.append(("promo", expired.Product, expired.Brand, expired.Category, float(expired.Price),
                 start - pd.DateOffset(months=2), start - pd.Timedelta(days=1), "акция прошлого месяца"))
    for item, brand, category, note in _BRANDS:
        rows.append(("brands", item, brand, category, float("nan"), pd.NaT, end, note))
    clearance = products.groupby("Category").nth(0).head(5)
    for i, p in enumerate(clearance.itertuples(index=False)):
        rows.append(("sale", p.Product, p.Brand, p.Category, round(p.Price * 0.7, 0), pd.NaT,
                     end + pd.Timedelta(days=31), f"остаток {(12, 30, 7, 18, 9)[i]} шт., −30%"))
    return pd.DataFrame(rows, columns=["section", "item", "brand", "category", "price", "valid_from",
                                       "valid_until", "note"])


def demo_exclusions(data: DemoData) -> tuple[tuple[str, str, str], ...]:
    """Three stated reasons not to offer (seed: "отсутствие явных объективных причин")."""
    regular = data.profiles[data.profiles["Kind"] == "regular"]["Client"].tolist() if len(data.profiles) else []
    if len(regular) < 3:
        return ()
    return ((regular[0], "Видеорегистраторы", "берёт у производителя напрямую по проекту"),
            (regular[1], "все", "просрочена дебиторка — только предоплата"),
            (regular[2], "СКУД", "работает только с Sigur, у нас нет"))


_ROOTS = ("Альтаир", "Бастион", "Вектор", "Гарант", "Дельта", "Енисей", "Зенит", "Импульс", "Каскад", "Лидер",
          "Магистраль", "Надёжность", "Орион", "Периметр", "Рубеж", "Сигнал", "Титан", "Урал", "Форпост", "Центр",
          "Эгида", "Юпитер", "Ястреб", "Аргус", "Барьер", "Восток", "Гелиос", "Держава", "Кордон", "Меридиан")
_TRADES = ("Безопасность", "Монтаж", "Телеком", "СтройСервис", "Охрана", "Инжиниринг", "Системы", "Автоматика")
_CITIES = ("Москва", "Санкт-Петербург", "Казань", "Екатеринбург", "Новосибирск", "Нижний Новгород", "Самара",
           "Краснодар", "Ростов-на-Дону", "Воронеж", "Пермь", "Уфа")
_SOURCES = ("сайт", "выставка", "2ГИС", "рекомендация", "тендеры", "холодная база")


def demo_prospects(data: DemoData, per_manager: int = 125, seed: int = 11) -> pd.DataFrame:
    """The demo's Prospects tab: the generator's companies plus enough more that every manager's
    long list can reach 50-100 entries, as in a real month (about a fifth below the threshold)."""
    base = data.prospects.rename(columns={
        "Company": "company", "City": "city", "Contact": "contact", "Phone": "phone", "Email": "email",
        "Site": "site", "MonthlyPotential": "potential", "Source": "source", "Manager": "manager"})
    rng = np.random.default_rng(seed)
    taken = {longlist_key(c) for c in data.ledger["Client"].unique()} | {longlist_key(c) for c in base["company"]}
    rows = []
    names = [f"{form} «{root}-{trade}»"
             for form in ("ООО", "АО", "ГК", "ТД", "НПО") for trade in _TRADES for root in _ROOTS]
    rng.shuffle(names)
    managers = list(data.managers)
    for name in names[: per_manager * len(managers)]:
        if longlist_key(name) in taken:
            continue
        potential = float(np.round(rng.lognormal(11.6, 0.6), -3))
        rows.append({"company": name, "city": str(rng.choice(_CITIES)), "contact": "", "phone": "",
                     "email": "", "site": "", "potential": potential, "source": str(rng.choice(_SOURCES)),
                     "manager": managers[len(rows) % len(managers)] if rng.random() > 0.1 else ""})
    return pd.concat([base, pd.DataFrame(rows)], ignore_index=True)


def longlist_key(name: str) -> str:
    from .method.longlist import company_key

    return company_key(name)


_RESULTS = ("не дозвонился", "перезвонить", "отправил КП", "назначена встреча", "нет потребности сейчас")
_WHY_NOT = ("работают с другим дистрибьютором", "дорого по камерам", "нет нужного бренда (Sigur)",
            "отсрочка платежа 30 дней у конкурента", "сменился закупщик", "проект заморожен до весны", "")
_NEXT = ("позвонить в начале месяца", "отправить прайс по СКУД", "пригласить на демо-день", "КП на кабель",
         "уточнить объёмы на 2027 год", "")


_NEEDS = ("видеонаблюдение для складов, 40–60 камер в квартал", "СКУД на 3 бизнес-центра",
          "домофония для ЖК, 600 квартир", "шлагбаумы и парковки для ТЦ", "ОПС для сети аптек")
_WHY_BEFORE = ("не знали о нашем складе в их городе", "работали с другим дистрибьютором", "не было нужного бренда",
               "не устраивала отсрочка платежа")
_OBJECTIONS = ("цены на Hikvision выше на 5%", "долгая доставка в регион", "нужна отсрочка 45 дней",
               "сомневаются в качестве HiWatch")
_TO_SOLVE = ("спеццена от объёма", "доставка за наш счёт", "отсрочка 30 дней после 3 заказов",
             "ввести бренд Sigur в ассортимент")
_SHORT_NEXT = ("встреча с техническим директором", "тестовая поставка", "КП с проектной ценой", "демо-день у нас")


def demo_previous_lists(data: DemoData, config: Config, month: str, seed: int = 7) -> tuple[object, pd.DataFrame]:
    """Last month's long list as managers left it: most entries called, notes typed, some interested,
    a few refused for good; and the short list notes of the interested ones."""
    from .method import longlist
    from .texts import t

    previous = month_label(parse_label(month) - 1)
    ledger, _ = ledger_from_frame(data.ledger, config.statuses)
    # Last month's lists were a little short of the maximum, so this month has room for newcomers.
    cfg = config.with_params(plan_month=previous, long_list_max=config.params["long_list_max"] - 12)
    plan = plan_month(ledger, cfg.params, config.targets, config.owners, config.tiers)
    params = cfg.params
    lapsed = longlist.lapsed_clients(plan.turnover, plan.owners, plan.plan_month, params["new_after_months"],
                                     params["lookback_months"], params["min_monthly_potential"],
                                     params["min_yearly_potential"])
    empty = pd.DataFrame(columns=longlist.ENTRY_COLUMNS + longlist.TYPED + ["own_columns"])
    reasons = {"lapsed": t("ll.reason_lapsed", "ru"), "prospect": t("ll.reason_prospect", "ru")}
    result = longlist.build_long_lists(empty, lapsed, demo_prospects(data), plan.turnover,
                                       list(plan.summary["manager"]), plan.plan_month, params, reasons)
    rng = np.random.default_rng(seed)
    entries = result.entries.astype(object)  # managers type dates and text into the same columns
    start = pd.Timestamp(first_day(parse_label(previous)))
    shorts = []
    for i in entries.index:
        if rng.random() < 0.15:
            continue  # not called yet
        entries.at[i, "called_on"] = (start + pd.Timedelta(days=int(rng.integers(1, 12)))).to_pydatetime()
        roll = rng.random()
        if roll < 0.05:
            entries.at[i, "result"] = "отказ навсегда"
            entries.at[i, "notes"] = "просили больше не звонить"
            continue
        interested = roll > 0.82
        entries.at[i, "result"] = "назначена встреча" if interested else str(rng.choice(_RESULTS))
        entries.at[i, "interested"] = "да" if interested else "нет"
        entries.at[i, "why_not"] = str(rng.choice(_WHY_NOT))
        entries.at[i, "next_step"] = str(rng.choice(_NEXT))
        if interested:
            shorts.append({"manager": entries.at[i, "manager"], "company": entries.at[i, "company"],
                           "potential": entries.at[i, "potential"], "interested": True,
                           "needs": str(rng.choice(_NEEDS)), "why_before": str(rng.choice(_WHY_BEFORE)),
                           "objections": str(rng.choice(_OBJECTIONS)), "to_solve": str(rng.choice(_TO_SOLVE)),
                           "next_step": str(rng.choice(_SHORT_NEXT)),
                           "next_date": (start + pd.Timedelta(days=int(rng.integers(35, 50)))).to_pydatetime(),
                           "own_columns": {},
                           "orphan": False})
    result = dataclasses.replace(result, entries=entries)
    short = pd.DataFrame(shorts, columns=["manager", "company", "potential", "interested"] + longlist.SHORT_TYPED
                         + ["own_columns", "orphan"])
    return result, short


def demo_wishes(data: DemoData, month: str) -> pd.DataFrame:
    """A few requests of key clients (seed 3.1.3: "что еще под них привезти")."""
    regular = data.profiles[data.profiles["Kind"] == "regular"] if len(data.profiles) else pd.DataFrame()
    start = pd.Timestamp(first_day(parse_label(month)))
    asks = ("Шлагбаумы CAME GARD — держать на складе 2–3 шт.", "Кабель UTP cat.6 LSZH бухтами",
            "Домофоны Commax с Wi-Fi", "Аккумуляторы 12 В 17 Ач", "Камеры с ИИ-аналитикой номеров")
    rows = []
    for i, row in enumerate(regular.head(len(asks)).itertuples(index=False)):
        asked_on = (start - pd.Timedelta(days=7 * (i + 1))).to_pydatetime()
        rows.append({"client": row.Client, "what": asks[i], "date": asked_on,
                     "manager": row.Manager, "status": ("новое", "заказали", "новое", "привезли", "новое")[i]})
    return pd.DataFrame(rows, columns=["client", "what", "date", "manager", "status"])


def vba_project_bin() -> bytes:
    """The built VBA project (xlwings' standalone module and the salesplan macros)."""
    from .build.vba_project import build_vba_project, default_modules

    return build_vba_project(default_modules())


def write_input_workbook(path: Path, data: DemoData, config: Config, lang: str = "ru",
                         month: str = SHIPPED_MONTH, built: dt.datetime | None = None) -> None:
    """The demo's input workbook: Start, Sales, Config, Catalog (and the VBA project for .xlsm)."""
    from .build.workbook import write_workbook
    from .texts import t

    previous, short = demo_previous_lists(data, config, month)
    as_of = dt.date.fromisoformat(config.params["as_of_date"] or demo_build_time(month).date().isoformat())
    note = t("start.demo", lang, month=month_name(parse_label(month), lang), last=as_of.strftime("%d.%m.%Y"))
    write_workbook(Path(path), data, config, lang, month, crosssell=DEMO_CROSSSELL, demo=note,
                   exclusions=demo_exclusions(data), catalog=demo_catalog(data, month), created=built,
                   prospects=demo_prospects(data), wishes=demo_wishes(data, month),
                   previous_lists=(previous, short, parse_label(month) - 1))


def write_demo(folder: Path, name: str = "salesplan-demo.xlsm", month: str | None = None,
               lang: str = "ru", built: dt.datetime | None = None) -> Path:
    """Generate the demo workbook in ``folder`` and plan it; returns its path.

    ``built`` fixes the build time written into the workbook (its properties and the Plan tab), so
    that the same month gives the same file byte for byte.
    """
    from .monthly import build

    today = dt.date.today()
    month = month or month_label(current_month(today))
    start = first_day(parse_label(month))
    # The current month's demo has its sales up to today; another month's up to its 10th.
    as_of = (built.date() if built else today if (start.year, start.month) == (today.year, today.month)
             else demo_build_time(month).date())
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    data = make_demo(plan_month=month, today_day=as_of.day)
    config = demo_config(data, month, as_of=as_of).with_params(language=lang)
    write_input_workbook(path, data, config, lang, month, built)
    # The demo's month-to-date data run to its as-of day: the dashboard reads "as of" that day.
    build(path, today=as_of, keep_backups=0, built=built)
    return path
