"""The demo distributor: a realistic, deterministic sales ledger that shows every part of the method.

A B2B distributor of security equipment (cameras, DVRs, intercoms, access control, barriers, cable,
power supplies, batteries, alarm systems) with eight managers and about three hundred clients. The
data is generated, not sampled: each client is given a kind and a purchase profile, and its sales
follow them, so every case docs/method.md talks about is there on purpose:

==========================  =========================================================================
what the demo must show     how the generator makes it
==========================  =========================================================================
regular clients (layer 1)   ``regular``: sales in all 4 months of the window W = M-4..M-1;
                            ``regular_3of4``: in exactly 3 of them
one-time clients (layer 2)  ``occasional``: sales in 1 or 2 months of W, or only sporadically
open orders (funnel)        status «конечный потребитель не оплатил», mostly in M-2, M-1 and M
cross-selling (3A)          profiles: cameras only; cameras + DVRs + access control without cable or
                            power supplies; broad buyers; intercoms; perimeter; fire/burglar alarm
lapsed clients (3B)         ``lapsed_big`` / ``lapsed_small``: sales in M-24..M-6, none in the last
                            5 full months; big ones pass the 500 000 a year threshold, small ones not
new manager                 :data:`NEW_MANAGER` sells only from M-2 on (seed 2.1.1 case)
change of manager           :data:`CHANGED_OWNER_CLIENT` was sold by :data:`CHANGED_OWNER_FROM` up to
                            M-4 and by :data:`CHANGED_OWNER_TO` from M-3; the Clients table names the
                            second one as Owner
handed-over lapsed clients  :data:`HANDED_OVER_CLIENTS`: lapsed clients of other managers that the
                            Clients table gives to the new manager to win back
a return that empties       :data:`EMPTIED_MONTH_CLIENT` bought every month of W, but returned all
a month                     it bought in M-2: that month's net turnover is 0, so it has 3 active
                            months of 4 although it has sale rows in all four
==========================  =========================================================================

Statuses: «отгружен» and «оплачен» are sales; «возврат» is a return (negative quantity and amount,
counted as a sale so that it reduces turnover); «конечный потребитель не оплатил» is an open order;
«отказ» is a refused order. Open and refused orders are extra orders: they never replace a sale, so
the kinds above hold whatever the seed.

Orders are dated on working days (Monday to Friday, not a fixed Russian public holiday); the plan
month has data up to ``today_day`` only, and the chance that a client has already bought in it grows
with the share of the month gone.

The generator is vectorised with numpy (loops run per client, per month or per category only), so
``scale`` can blow the ledger up to a million rows for benchmarks. ``scale`` multiplies the number
of orders; each order keeps its size, so turnover grows with it.

Example::

    >>> demo = make_demo("2026-12", seed=7, today_day=10)
    >>> demo.ledger.columns.tolist()
    ['Date', 'Manager', 'Client', 'Category', 'Brand', 'Product', 'Quantity', 'Amount', 'Order', 'Status']
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "CATEGORIES", "CHANGED_OWNER_CLIENT", "CHANGED_OWNER_FROM", "CHANGED_OWNER_TO", "DemoData",
    "EMPTIED_MONTH_CLIENT", "HANDED_OVER_CLIENTS", "LEDGER_COLUMNS", "MANAGERS", "NEW_MANAGER",
    "PROSPECT_COLUMNS", "STATUS_OPEN", "STATUS_PAID", "STATUS_REFUSED", "STATUS_RETURN",
    "STATUS_SHIPPED", "make_demo",
]

LEDGER_COLUMNS = ("Date", "Manager", "Client", "Category", "Brand", "Product", "Quantity", "Amount",
                  "Order", "Status")
PROSPECT_COLUMNS = ("Company", "City", "Contact", "Phone", "Email", "Site", "MonthlyPotential",
                    "Source", "Manager")

STATUS_SHIPPED = "отгружен"
STATUS_PAID = "оплачен"
STATUS_RETURN = "возврат"
STATUS_OPEN = "конечный потребитель не оплатил"
STATUS_REFUSED = "отказ"
_STATUSES = (STATUS_SHIPPED, STATUS_PAID, STATUS_RETURN, STATUS_OPEN, STATUS_REFUSED)

CATEGORIES = ("Камеры видеонаблюдения", "Видеорегистраторы", "Домофоны", "СКУД", "Шлагбаумы",
              "Кабель", "Блоки питания", "Аккумуляторы", "ОПС")

#: The long-standing managers first, the new one last.
MANAGERS = ("Смирнов Алексей", "Кузнецова Ольга", "Попов Дмитрий", "Васильева Елена",
            "Морозов Игорь", "Новикова Анна", "Соколов Андрей", "Лебедева Дарья")
#: Started two months before the plan month: sales in M-2, M-1 and M only.
NEW_MANAGER = "Лебедева Дарья"
#: Sold by CHANGED_OWNER_FROM up to M-4, by CHANGED_OWNER_TO from M-3 on; owned by the latter.
CHANGED_OWNER_CLIENT = "ООО «Видеоконтроль-Сервис»"
CHANGED_OWNER_FROM = "Морозов Игорь"
CHANGED_OWNER_TO = "Новикова Анна"
#: Bought in every month of W, but returned everything it bought in M-2 (net turnover 0 there).
EMPTIED_MONTH_CLIENT = "ООО «СтройМонтажСервис»"
#: Lapsed clients that the Clients table hands over to the new manager.
HANDED_OVER_CLIENTS = ("АО «Городские системы безопасности»", "ООО «Охранные технологии»",
                       "ООО «СК Магистраль»")

# Months are numbered 0..24: 0 = M-24, 23 = M-1, 24 = the plan month M (up to today_day).
_N_FULL = 24
_PLAN = 24
_WINDOW = (20, 21, 22, 23)
_LAST_LAPSED = 18          # M-6: lapsed clients stop buying here at the latest
_NEW_START = 22            # M-2: the new manager's first month
_CHANGE_MONTH = 21         # M-3: the first month sold by CHANGED_OWNER_TO
_EMPTIED_MONTH = 22        # M-2

# --------------------------------------------------------------------------------------------------
# The catalogue: (product, brand, list price in roubles), per category.
_CATALOGUE: dict[str, list[tuple[str, str, float]]] = {
    "Камеры видеонаблюдения": [
        ("Камера HD-TVI 2 Мп цилиндрическая HiWatch DS-T200(B)", "HiWatch", 2350),
        ("Камера AHD 2 Мп купольная Tantos TSc-Di1080pAHDf", "Tantos", 2890),
        ("Камера MHD 2 Мп уличная CTV-HDB282A PE", "CTV", 3390),
        ("Камера IP 2 Мп Wi-Fi Falcon Eye FE-IPC-WL200P", "Falcon Eye", 3890),
        ("Камера IP 2 Мп цилиндрическая HiWatch DS-I200(D)", "HiWatch", 4890),
        ("Камера IP 2 Мп цилиндрическая Dahua DH-IPC-HFW1230S", "Dahua", 5590),
        ("Камера IP 4 Мп купольная HiWatch DS-I452", "HiWatch", 7290),
        ("Камера IP 4 Мп купольная Dahua DH-IPC-HDW2431TP-AS", "Dahua", 11200),
        ("Камера IP 4 Мп цилиндрическая Hikvision DS-2CD2043G2-IU", "Hikvision", 14800),
        ("Камера IP 8 Мп купольная Hikvision DS-2CD2183G2-IS", "Hikvision", 24500),
        ("Камера IP 4 Мп поворотная PTZ Hikvision DS-2DE4425IW-DE", "Hikvision", 58900),
    ],
    "Видеорегистраторы": [
        ("Видеорегистратор 4-кан. Falcon Eye FE-MHD2104", "Falcon Eye", 5190),
        ("Видеорегистратор 4-кан. HiWatch DS-N204(C)", "HiWatch", 6790),
        ("Видеорегистратор 4-кан. Dahua DHI-NVR2104HS-S3", "Dahua", 7390),
        ("Видеорегистратор 8-кан. HiWatch DS-N208(C)", "HiWatch", 9190),
        ("Видеорегистратор гибридный 8-кан. HiWatch DS-H208QA", "HiWatch", 10900),
        ("Видеорегистратор 8-кан. Hikvision DS-7108NI", "Hikvision", 12400),
        ("Видеорегистратор 8-кан. Dahua DHI-NVR2108HS-8P-S3", "Dahua", 16800),
        ("Видеорегистратор гибридный 16-кан. Tantos TSr-HV1621 Forward", "Tantos", 18500),
        ("Видеорегистратор 16-кан. Hikvision DS-7616NI-K2", "Hikvision", 32500),
        ("Видеорегистратор 32-кан. Hikvision DS-7732NI-K4", "Hikvision", 64000),
    ],
    "Домофоны": [
        ("Трубка аудиодомофона Commax DP-SS", "Commax", 2090),
        ("Вызывная панель CTV-D4000S", "CTV", 3890),
        ("Вызывная панель Tantos Walle+", "Tantos", 4790),
        ("Вызывная панель Commax DRC-4CPN3", "Commax", 5890),
        ("Вызывная панель Rubetek RV-3434", "Rubetek", 6490),
        ("Монитор видеодомофона CTV-M4706AHD", "CTV", 11400),
        ("Монитор видеодомофона Tantos Marilyn HD", "Tantos", 12300),
        ("Комплект видеодомофона Tantos Amelie", "Tantos", 14500),
        ("Комплект видеодомофона Falcon Eye Cosmo HD", "Falcon Eye", 16900),
        ("Монитор видеодомофона Commax CDV-70H2", "Commax", 17800),
        ("Монитор видеодомофона Commax CDV-1020AE", "Commax", 38900),
    ],
    "СКУД": [
        ("Кнопка выхода Tantos TS-CLACK", "Tantos", 480),
        ("Считыватель Proximity Болид Proxy-2МА", "Болид", 2590),
        ("Карты доступа EM-Marine Tantos (уп. 100 шт.)", "Tantos", 2890),
        ("Электромагнитный замок Tantos TS-ML300", "Tantos", 3790),
        ("Электромагнитный замок Tantos TS-ML500", "Tantos", 4890),
        ("Контроллер доступа Болид С2000-2", "Болид", 6890),
        ("Электронный замок Rubetek RL-3320", "Rubetek", 11900),
        ("Контроллер сетевой PERCo-CT/L04", "PERCo", 24800),
        ("Турникет-трипод PERCo TTR-04CW", "PERCo", 91500),
    ],
    "Шлагбаумы": [
        ("Пульт DoorHan Transmitter-4", "DoorHan", 1150),
        ("Фотоэлементы DoorHan Photocell-N", "DoorHan", 3290),
        ("Опора стрелы DoorHan Barrier-Stand", "DoorHan", 4190),
        ("Фотоэлементы CAME DIR10", "CAME", 6490),
        ("Стрела DoorHan Boom-4 (4 м)", "DoorHan", 7890),
        ("Стрела CAME G04000 (4 м)", "CAME", 9790),
        ("Шлагбаум DoorHan Barrier-4000 (G4000)", "DoorHan", 98500),
        ("Шлагбаум DoorHan Barrier-PRO-5000", "DoorHan", 128000),
        ("Шлагбаум CAME GARD GT4 (комплект)", "CAME", 164000),
    ],
    "Кабель": [
        ("Кабель ШВВП 2х0.75 (100 м) Паритет", "Паритет", 2890),
        ("Кабель КСПВ 4х0.5 (200 м) Паритет", "Паритет", 3090),
        ("Кабель RG-59 + 2х0.75 (200 м) Rexant", "Rexant", 6090),
        ("Кабель КВК-В-2 2х0.75 (200 м)", "Паритет", 6190),
        ("Кабель КВК-П-2 2х0.75 (200 м)", "Паритет", 7390),
        ("Кабель КПСнг(А)-FRLS 1х2х0.75 (200 м) Паритет", "Паритет", 7890),
        ("Кабель UTP 4PR 24AWG cat.5e (305 м) Rexant", "Rexant", 8690),
        ("Кабель ParLan U/UTP Cat5e 4х2х0.52 внутр. (305 м)", "Паритет", 9790),
        ("Кабель ParLan U/UTP Cat5e 4х2х0.52 нар. (305 м)", "Паритет", 13900),
    ],
    "Блоки питания": [
        ("Блок питания 12 В 2 А CTV-PS12V2A", "CTV", 690),
        ("Блок питания 12 В 5 А Tantos TS-PS12V5A", "Tantos", 1350),
        ("Блок питания Бастион РАПАН-20", "Бастион", 1690),
        ("Блок питания Бастион РАПАН-50", "Бастион", 2450),
        ("Блок питания Бастион СКАТ-12-3,0 DIN", "Бастион", 2950),
        ("Блок питания Бастион СКАТ-1200", "Бастион", 3890),
        ("Источник питания Болид РИП-12 исп.01", "Болид", 3950),
        ("ИБП Бастион СКАТ-1200Д", "Бастион", 4690),
        ("Блок питания Бастион СКАТ-2400", "Бастион", 5590),
        ("Источник питания Болид РИП-24 исп.06", "Болид", 9790),
    ],
    "Аккумуляторы": [
        ("Аккумулятор Delta DTM 12045", "Delta", 1050),
        ("Аккумулятор Security Force SF 1207", "Security Force", 1150),
        ("Аккумулятор Delta DT 1207", "Delta", 1250),
        ("Аккумулятор Delta DTM 1207", "Delta", 1450),
        ("Аккумулятор Delta HR 12-9", "Delta", 2090),
        ("Аккумулятор Delta DTM 1212", "Delta", 2290),
        ("Аккумулятор Security Force SF 1217", "Security Force", 3290),
        ("Аккумулятор Delta DTM 1217", "Delta", 3690),
        ("Аккумулятор Delta DTM 1226", "Delta", 6490),
    ],
    "ОПС": [
        ("Извещатель магнитоконтактный ИО 102-20", "Магнито-Контакт", 210),
        ("Оповещатель световой Молния-12", "Арсенал Безопасности", 650),
        ("Извещатель пожарный дымовой Болид ДИП-34А-04", "Болид", 1350),
        ("Извещатель пожарный дымовой Рубеж ИП 212-64 прот.R3", "Рубеж", 1890),
        ("Извещатель охранный ИК Болид С2000-ИК", "Болид", 2090),
        ("Контроллер двухпроводной линии Болид С2000-КДЛ", "Болид", 5290),
        ("Пульт контроля и управления Болид С2000-М", "Болид", 5890),
        ("Прибор приемно-контрольный Болид Сигнал-20П", "Болид", 9290),
        ("Прибор приемно-контрольный Рубеж-2ОП прот.R3", "Рубеж", 12800),
        ("Прибор приемно-контрольный Аргус-Спектр Стрелец-ПРО", "Аргус-Спектр", 27900),
    ],
}

# Purchase profiles: the share of each category (in CATEGORIES order) in a client's orders.
_PROFILES: dict[str, tuple[float, ...]] = {
    #                 cam   dvr   icom  acc   barr  cable psu   batt  alarm
    "cameras_only": (1.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00),
    "video_access": (0.45, 0.30, 0.00, 0.25, 0.00, 0.00, 0.00, 0.00, 0.00),
    "video":        (0.50, 0.28, 0.00, 0.00, 0.00, 0.14, 0.08, 0.00, 0.00),
    "broad":        (0.26, 0.15, 0.10, 0.10, 0.06, 0.13, 0.09, 0.06, 0.05),
    "intercom":     (0.00, 0.00, 0.60, 0.22, 0.00, 0.10, 0.08, 0.00, 0.00),
    "perimeter":    (0.20, 0.00, 0.00, 0.30, 0.50, 0.00, 0.00, 0.00, 0.00),
    "alarm":        (0.00, 0.00, 0.00, 0.00, 0.00, 0.07, 0.15, 0.20, 0.58),
}
_PROFILE_NAMES = tuple(_PROFILES)
_PROFILE_SHARES = (0.13, 0.17, 0.20, 0.25, 0.09, 0.05, 0.11)
# Mean number of extra lines per order (an order has 1 + Poisson(lambda) lines).
_PROFILE_LINES = {"cameras_only": 0.6, "video_access": 1.8, "video": 1.8, "broad": 3.2,
                  "intercom": 1.6, "perimeter": 1.2, "alarm": 2.2}

# Fixed public holidays of Russia (month, day); no sales are booked on them.
_HOLIDAYS = ((1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8), (2, 23), (3, 8), (5, 1),
             (5, 9), (6, 12), (11, 4))

# Seasonality of the trade (January slump, summer building season, year-end budgets), by month 1..12.
_SEASON = np.array([0.72, 0.86, 0.95, 1.00, 1.05, 1.10, 1.08, 1.08, 1.05, 1.03, 1.00, 1.22])

# How many clients of each kind a long-standing manager has (before the manager's size factor).
_KINDS_PER_MANAGER = {"regular": (9, 13), "regular_3of4": (3, 5), "occasional": (13, 18),
                      "lapsed_big": (4, 6), "lapsed_small": (5, 8)}
_NEW_MANAGER_CLIENTS = 11

# --------------------------------------------------------------------------------------------------
# Names.
_NAME_HEADS = ("Техно", "Строй", "Спец", "Проф", "Инфо", "Гарант", "Мега", "Нео", "Эко", "Эксперт",
               "Прайм", "Смарт", "Гео", "Мастер", "Энерго", "Вектор", "Сити", "Интел", "Стандарт",
               "Протек", "Авангард")
_NAME_REGIONS = ("Урал", "Волга", "Сибирь", "Нева", "Север", "Кама", "Дон", "Ока", "Байкал")
_NAME_TAILS = ("Щит", "Монтаж", "Безопасность", "Системы", "Сервис", "Контроль", "Охрана", "Телеком",
               "Инжиниринг", "Видео", "Защита", "Страж", "Дозор", "Профи", "Лайн", "Групп", "Комплект",
               "Связь", "Автоматика")
_NAME_PHRASES = ("Безопасный город", "Умный дом", "Системы безопасности", "Первая монтажная компания",
                 "Северная звезда", "Надежная защита", "Цифровые системы", "Зоркий глаз",
                 "Бдительный страж", "Интеллектуальные системы", "Технологии безопасности",
                 "Комплексная безопасность", "Электронный дозор", "Стальной щит", "Видеоглаз",
                 "Инженерные системы", "Слаботочные системы", "Мир видеонаблюдения", "Точка доступа",
                 "Контур безопасности", "Охранные системы", "Центр безопасности", "Домофон-Сервис",
                 "Ваш домофон", "Пожарная автоматика", "Линия защиты", "Спутник безопасности",
                 "Системная интеграция", "Монтаж слаботочных сетей", "Профессиональная охрана")
_NAME_GUARDS = ("Витязь", "Барс", "Легион", "Кольчуга", "Беркут", "Скиф", "Гвардия", "Патриот",
                "Форпост", "Цитадель", "Дружина", "Сокол", "Ратник", "Кордон", "Варяг", "Ермак")
_NAME_BUILDERS = ("Монолит", "Новострой", "Гранит", "Фундамент", "Квартал", "Домострой", "Зодчий",
                  "Основа", "Континент", "Горизонт", "Атлант", "Кирпич", "Мегаполис", "Созвездие")
_SURNAMES_M = ("Соколов", "Волков", "Зайцев", "Павлов", "Семенов", "Голубев", "Виноградов", "Богданов",
               "Воробьев", "Федоров", "Михайлов", "Беляев", "Тарасов", "Белов", "Комаров", "Орлов",
               "Киселев", "Макаров", "Андреев", "Ковалев", "Ильин", "Гусев", "Титов", "Кузьмин",
               "Кудрявцев", "Баранов", "Куликов", "Алексеев", "Степанов", "Яковлев", "Сорокин",
               "Сергеев", "Романов", "Захаров", "Борисов", "Королев", "Герасимов", "Пономарев",
               "Григорьев", "Лазарев", "Медведев", "Ершов", "Никитин", "Соболев", "Рябов", "Поляков",
               "Цветков", "Данилов", "Жуков", "Фролов", "Журавлев", "Николаев", "Крылов", "Максимов")
_FIRST_M = ("Александр", "Андрей", "Дмитрий", "Сергей", "Алексей", "Максим", "Евгений", "Иван",
            "Михаил", "Николай", "Павел", "Роман", "Владимир", "Олег", "Виктор", "Артем", "Игорь")
_FIRST_F = ("Анна", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Мария", "Юлия",
            "Екатерина", "Марина", "Людмила", "Оксана")
_PATRONYMIC_M = ("Александрович", "Андреевич", "Викторович", "Сергеевич", "Владимирович",
                 "Николаевич", "Игоревич", "Михайлович", "Петрович", "Юрьевич")
_PATRONYMIC_F = ("Александровна", "Андреевна", "Викторовна", "Сергеевна", "Владимировна",
                 "Николаевна", "Игоревна", "Михайловна", "Петровна", "Юрьевна")
_INITIALS = "АБВГДЕИКЛМНОПРСТЮ"
_CITIES = ("Москва", "Москва", "Москва", "Санкт-Петербург", "Санкт-Петербург", "Казань",
           "Екатеринбург", "Новосибирск", "Нижний Новгород", "Самара", "Краснодар", "Ростов-на-Дону",
           "Уфа", "Пермь", "Воронеж", "Тюмень", "Челябинск", "Подольск", "Химки", "Тверь")
_SOURCES = ("сайт", "выставка", "2ГИС", "рекомендация")
_SOURCE_SHARES = (0.35, 0.15, 0.35, 0.15)

_SPECIAL_NAMES = (CHANGED_OWNER_CLIENT, EMPTIED_MONTH_CLIENT) + HANDED_OVER_CLIENTS


@dataclass(frozen=True)
class DemoData:
    """The demo distributor's data.

    Attributes:
        ledger: sale lines, columns :data:`LEDGER_COLUMNS`. ``Date`` is ``datetime64[ns]`` (midnight),
            ``Quantity`` int64, ``Amount`` float64 (roubles, 2 decimals), the rest ``str``.
        clients: the Clients table (``Client``, ``Owner``): only clients whose owner is set explicitly.
        managers: all managers, the long-standing ones first, :data:`NEW_MANAGER` last.
        products: the catalogue (``Product``, ``Category``, ``Brand``, ``Price``).
        prospects: never-bought companies, columns :data:`PROSPECT_COLUMNS`; ``Manager`` is ``""``
            for unassigned ones.
        profiles: how each client was generated (``Client``, ``Manager``, ``Kind``, ``Profile``,
            ``MonthlyTurnover``): the answer key for tests; not meant for the workbook.
    """

    ledger: pd.DataFrame
    clients: pd.DataFrame
    managers: list[str]
    products: pd.DataFrame
    prospects: pd.DataFrame
    profiles: pd.DataFrame = field(default_factory=pd.DataFrame)


def make_demo(plan_month: str = "2026-12", seed: int = 7, today_day: int = 10,
              scale: float = 1.0) -> DemoData:
    """Generate the demo distributor's data.

    Args:
        plan_month: the plan month M as ``"YYYY-MM"``; the ledger covers M-24..M-1 and M up to
            ``today_day``.
        seed: seed of the numpy random generator; the same arguments give the same data.
        today_day: the day of M up to which month-to-date sales exist (clipped to the month's length).
        scale: multiplies the number of orders: 1.0 gives about 25 000 rows, 40 about 1 000 000.
            The clients and the special cases stay the same. Every active client-month keeps at
            least one order, so below 1.0 the ledger shrinks less than proportionally.

    Returns:
        A :class:`DemoData`.

    Raises:
        ValueError: for a malformed ``plan_month``, ``today_day`` < 1 or ``scale`` <= 0.
    """
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", str(plan_month))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"plan_month must look like '2026-12', got {plan_month!r}")
    if int(today_day) < 1:
        raise ValueError(f"today_day must be at least 1, got {today_day!r}")
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    year, month = int(match.group(1)), int(match.group(2))
    rng = np.random.default_rng(seed)
    calendar_ = _Calendar(year, month, int(today_day))
    catalogue = _Catalogue()

    names = _NamePool(rng)
    clients = _make_clients(rng, names, calendar_.fraction[_PLAN])
    orders = _make_orders(rng, clients, calendar_, scale)
    lines = _make_lines(rng, orders, clients, catalogue)
    lines = _add_returns(rng, lines, orders, calendar_)
    lines = _empty_one_month(lines, orders, clients, calendar_)
    ledger = _assemble(rng, lines, orders, clients, catalogue, calendar_)

    owners = [(CHANGED_OWNER_CLIENT, CHANGED_OWNER_TO)] + [(c, NEW_MANAGER) for c in HANDED_OVER_CLIENTS]
    return DemoData(
        ledger=ledger,
        clients=pd.DataFrame(owners, columns=["Client", "Owner"]),
        managers=list(MANAGERS),
        products=catalogue.frame(),
        prospects=_make_prospects(rng, names),
        profiles=clients.frame(),
    )


# --------------------------------------------------------------------------------------------------
class _Calendar:
    """Month starts, working days and seasonality of months 0..24."""

    def __init__(self, year: int, month: int, today_day: int) -> None:
        plan_index = year * 12 + month - 1
        self.firsts = [dt.date((plan_index - _N_FULL + m) // 12, (plan_index - _N_FULL + m) % 12 + 1, 1)
                       for m in range(_N_FULL + 1)]
        lengths = [calendar.monthrange(d.year, d.month)[1] for d in self.firsts]
        self.today_day = min(today_day, lengths[_PLAN])
        lengths[_PLAN] = self.today_day
        self.start = np.array(self.firsts, dtype="datetime64[D]")
        # Working days (Mon-Fri, not a public holiday) per month as day offsets from the month
        # start, padded with -1. The plan month may have none yet (today is 3 January).
        offsets = [self._working_days(first, lengths[m]) for m, first in enumerate(self.firsts)]
        self.n_work = np.array([len(o) for o in offsets])
        self.work = np.full((len(offsets), self.n_work.max()), -1)
        for m, o in enumerate(offsets):
            self.work[m, :len(o)] = o
        self.season = np.array([_SEASON[d.month - 1] for d in self.firsts])
        self.trend = 1.10 ** ((np.arange(_N_FULL + 1) - _N_FULL) / 12)  # +10 % a year
        # The partial plan month carries only its share of working days.
        whole_plan = len(self._working_days(self.firsts[_PLAN], calendar.monthrange(year, month)[1]))
        self.fraction = np.ones(_N_FULL + 1)
        self.fraction[_PLAN] = self.n_work[_PLAN] / max(whole_plan, 1)

    @staticmethod
    def _working_days(first: dt.date, length: int) -> np.ndarray:
        days = np.arange(length)
        working = (first.weekday() + days) % 7 < 5
        for month, day in _HOLIDAYS:
            if month == first.month and day <= length:
                working[day - 1] = False
        return days[working]

    def random_days(self, rng: np.random.Generator, months: np.ndarray) -> np.ndarray:
        """A random working day (offset from the month start) in each of ``months``."""
        pick = (rng.random(len(months)) * self.n_work[months]).astype(np.int64)
        return self.work[months, pick]

    def dates(self, months: np.ndarray, days: np.ndarray) -> np.ndarray:
        return self.start[months] + days.astype("timedelta64[D]")


class _Catalogue:
    def __init__(self) -> None:
        rows = [(p, c, b, float(price)) for c in CATEGORIES for p, b, price in _CATALOGUE[c]]
        self.product = np.array([r[0] for r in rows], dtype=object)
        self.category = np.array([CATEGORIES.index(r[1]) for r in rows])
        self.brand = np.array([r[2] for r in rows], dtype=object)
        self.price = np.array([r[3] for r in rows])
        self.brands, self.brand_code = np.unique(self.brand, return_inverse=True)
        # Product ids of each category, sorted by price (cheapest first).
        self.by_category = [np.flatnonzero(self.category == k)[np.argsort(self.price[self.category == k],
                                                                           kind="stable")]
                            for k in range(len(CATEGORIES))]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"Product": pd.array(self.product, dtype="str"),
                             "Category": pd.array(np.array(CATEGORIES, dtype=object)[self.category],
                                                  dtype="str"),
                             "Brand": pd.array(self.brand, dtype="str"),
                             "Price": self.price.astype(float)})


class _NamePool:
    """Unique Russian company names, drawn without repetition for clients and prospects alike."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.used: set[str] = set(_SPECIAL_NAMES)

    def _one(self, kind: str) -> str:
        r = self.rng
        pick = lambda seq: seq[int(r.integers(len(seq)))]  # noqa: E731
        if kind == "ip":
            return f"ИП {pick(_SURNAMES_M)} {pick(_INITIALS)}.{pick(_INITIALS)}."
        if kind == "guard":
            form = "ЧОП" if r.random() < 0.6 else "ООО ЧОО"
            return f"{form} «{pick(_NAME_GUARDS)}»"
        if kind == "builder":
            form, prefix = [("ООО", "СК "), ("ООО", "ГК "), ("АО", ""), ("ООО", "ДСК "),
                            ("ООО", "СМУ ")][int(r.integers(5))]
            return f"{form} «{prefix}{pick(_NAME_BUILDERS)}»"
        form = "АО" if r.random() < 0.1 else "ООО"
        if kind == "phrase":
            return f"{form} «{pick(_NAME_PHRASES)}»"
        if r.random() < 0.3:
            return f"{form} «{pick(_NAME_REGIONS)}-{pick(_NAME_TAILS)}»"
        return f"{form} «{pick(_NAME_HEADS)}{pick(_NAME_TAILS)}»"

    def take(self, n: int, kinds: tuple[str, ...] = ("compound", "phrase", "ip", "guard", "builder"),
             shares: tuple[float, ...] = (0.50, 0.12, 0.16, 0.09, 0.13)) -> list[str]:
        out: list[str] = []
        while len(out) < n:
            kind = kinds[int(self.rng.choice(len(kinds), p=np.array(shares) / sum(shares)))]
            name = self._one(kind)
            if name not in self.used:
                self.used.add(name)
                out.append(name)
        return out


# --------------------------------------------------------------------------------------------------
@dataclass
class _Clients:
    name: np.ndarray          # object
    manager: np.ndarray       # int: manager of each client and month, shape (clients, 25)
    kind: np.ndarray          # object
    profile: np.ndarray       # int into _PROFILE_NAMES
    turnover: np.ndarray      # designed monthly turnover, roubles
    orders: np.ndarray        # expected orders in a full active month (scale 1)
    discount: np.ndarray      # client's discount off the list price
    active: np.ndarray        # bool, shape (clients, 25): months with sale orders

    def frame(self) -> pd.DataFrame:
        owner = self.manager[:, _PLAN].copy()
        owner[np.isin(self.name, HANDED_OVER_CLIENTS)] = MANAGERS.index(NEW_MANAGER)
        return pd.DataFrame({
            "Client": pd.array(self.name, dtype="str"),
            "Manager": pd.array(np.array(MANAGERS, dtype=object)[owner], dtype="str"),
            "Kind": pd.array(self.kind, dtype="str"),
            "Profile": pd.array(np.array(_PROFILE_NAMES, dtype=object)[self.profile], dtype="str"),
            "MonthlyTurnover": np.round(self.turnover, -3),
        })


def _make_clients(rng: np.random.Generator, names: _NamePool, plan_fraction: float) -> _Clients:
    """Decide every client's manager, kind, profile, size and active months.

    ``plan_fraction`` is the share of the plan month's working days up to today: the chance that a
    client has already bought this month grows with it.
    """
    n_months = _N_FULL + 1
    long_standing = [i for i, m in enumerate(MANAGERS) if m != NEW_MANAGER]
    new_index = MANAGERS.index(NEW_MANAGER)
    manager_size = rng.uniform(0.7, 1.4, len(MANAGERS))

    specs: list[tuple[int, str]] = []  # (manager, kind)
    for m in long_standing:
        for kind, (lo, hi) in _KINDS_PER_MANAGER.items():
            count = int(round(rng.integers(lo, hi + 1) * (0.85 + 0.3 * (manager_size[m] - 0.7) / 0.7)))
            specs += [(m, kind)] * max(count, 2)
    specs += [(new_index, "new_manager")] * _NEW_MANAGER_CLIENTS
    generated = names.take(len(specs))

    fixed = [(CHANGED_OWNER_CLIENT, MANAGERS.index(CHANGED_OWNER_FROM), "changed_owner"),
             (EMPTIED_MONTH_CLIENT, long_standing[1], "emptied_month")]
    fixed += [(c, long_standing[i % len(long_standing)], "lapsed_big")
              for i, c in enumerate(HANDED_OVER_CLIENTS)]
    all_names = [n for n, _, _ in fixed] + generated
    all_specs = [(m, k) for _, m, k in fixed] + specs
    n = len(all_specs)

    mgr = np.array([m for m, _ in all_specs])
    kind = np.array([k for _, k in all_specs], dtype=object)
    profile = rng.choice(len(_PROFILE_NAMES), n, p=_PROFILE_SHARES)
    profile[kind == "changed_owner"] = _PROFILE_NAMES.index("broad")
    profile[kind == "emptied_month"] = _PROFILE_NAMES.index("video")
    turnover = np.empty(n)
    active = np.zeros((n, n_months), dtype=bool)
    months = np.arange(n_months)
    for i in range(n):
        k = kind[i]
        size = manager_size[mgr[i]]
        if k in ("regular", "regular_3of4", "changed_owner", "emptied_month"):
            t = np.exp(rng.normal(np.log(150_000), 0.95)) * size
            turnover[i] = np.clip(t, 45_000, 1_500_000)
            start = 0 if rng.random() < 0.75 else int(rng.integers(1, 14))
            row = (rng.random(n_months) < 0.88) & (months >= start)
            row[list(_WINDOW)] = True
            if k == "regular_3of4":
                row[_WINDOW[int(rng.integers(4))]] = False
        elif k == "occasional":
            turnover[i] = np.clip(np.exp(rng.normal(np.log(45_000), 0.8)) * size, 8_000, 600_000)
            start = int(rng.integers(0, 23))
            row = (rng.random(n_months) < 0.22) & (months >= start)
            row[list(_WINDOW)] = False
            if rng.random() < 0.85:   # 1 or 2 months of the window
                chosen = rng.choice(_WINDOW, int(rng.integers(1, 3)), replace=False)
                row[chosen] = True
            else:                     # sporadic: nothing in the window, a purchase in M-5
                row[_WINDOW[0] - 1] = True
        elif k in ("lapsed_big", "lapsed_small"):
            big = k == "lapsed_big"
            turnover[i] = (rng.uniform(130_000, 650_000) if big else rng.uniform(5_000, 25_000)) * size
            end = int(rng.integers(6, _LAST_LAPSED + 1))
            start = int(rng.integers(0, max(end - 8, 1)))
            row = (rng.random(n_months) < 0.7) & (months >= start) & (months <= end)
            if big:                   # a solid year: at least 7 active months in a row of 12
                row[max(end - 6, 0):end + 1] = True
            row[end] = True
        else:                         # new_manager: first purchase in M-2 at the earliest
            turnover[i] = np.clip(np.exp(rng.normal(np.log(60_000), 0.7)), 15_000, 400_000)
            first = int(rng.choice([_NEW_START, _NEW_START + 1], p=[0.6, 0.4]))
            row = (months >= first) & (rng.random(n_months) < 0.75)
            row[first] = True
        if k == "changed_owner":
            turnover[i] = 280_000
            row[:] = True
        if k == "emptied_month":
            turnover[i] = 90_000
            row[list(_WINDOW)] = True
        active[i] = row
    # Perimeter buyers (barriers at ~100 000 each) are big; give them a size that matches.
    perimeter = profile == _PROFILE_NAMES.index("perimeter")
    turnover[perimeter] = np.maximum(turnover[perimeter], 150_000)

    # Month to date: P(at least one order so far) = 1 - exp(-expected orders x share of the month).
    expected_orders = np.clip(1.0 + turnover / 180_000, 1.0, 7.0)
    rate = np.select([np.isin(kind, ["occasional"]), np.isin(kind, ["lapsed_big", "lapsed_small"])],
                     [0.25, 0.0], 1.0)
    active[:, _PLAN] = rng.random(n) < 1.0 - np.exp(-expected_orders * rate * plan_fraction)
    newcomers = np.flatnonzero(kind == "new_manager")
    if plan_fraction > 0 and not active[newcomers, _PLAN].any():
        active[newcomers[0], _PLAN] = True     # the new manager has a month-to-date fact to show

    manager = np.repeat(mgr[:, None], n_months, axis=1)
    changed = kind == "changed_owner"
    manager[changed, _CHANGE_MONTH:] = MANAGERS.index(CHANGED_OWNER_TO)
    discount = rng.choice([0.0, 0.03, 0.05, 0.07, 0.10], n, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    discount = np.where(turnover > 500_000, np.maximum(discount, 0.07), discount)
    return _Clients(np.array(all_names, dtype=object), manager, kind, profile, turnover,
                    expected_orders, discount, active)


# --------------------------------------------------------------------------------------------------
@dataclass
class _Orders:
    client: np.ndarray
    month: np.ndarray
    day: np.ndarray           # offset from the month start
    budget: np.ndarray        # planned order value, roubles
    status: np.ndarray        # int into _STATUSES


def _make_orders(rng: np.random.Generator, clients: _Clients, cal: _Calendar,
                 scale: float) -> _Orders:
    """Sale orders from the active months, then open and refused orders beside them."""
    cell_client, cell_month = np.nonzero(clients.active)
    expected = clients.orders[cell_client] * cal.fraction[cell_month] * scale
    count = 1 + rng.poisson(np.maximum(expected - 1.0, 0.0))
    emptied = (clients.kind[cell_client] == "emptied_month") & (cell_month == _EMPTIED_MONTH)
    count[emptied] = 1
    # Month value = size x season x trend x noise, shared by the month's orders.
    month_value = (clients.turnover[cell_client] * cal.season[cell_month] * cal.trend[cell_month]
                   * rng.lognormal(0.0, 0.3, len(cell_client)))
    per_order = month_value / np.maximum(clients.orders[cell_client], 1.0)
    client = np.repeat(cell_client, count)
    month = np.repeat(cell_month, count)
    budget = np.repeat(per_order, count) * rng.lognormal(-0.08, 0.4, len(client))
    day = cal.random_days(rng, month)
    shipped_share = np.full(_N_FULL + 1, 0.08)
    shipped_share[[_PLAN - 3, _PLAN - 2, _PLAN - 1, _PLAN]] = [0.15, 0.3, 0.55, 0.85]
    status = np.where(rng.random(len(client)) < shipped_share[month],
                      _STATUSES.index(STATUS_SHIPPED), _STATUSES.index(STATUS_PAID))

    # Open orders: ~4.5 % of all orders, mostly in M-2, M-1 and M; refused: ~2 %.
    n_sale = len(client)
    n_open = int(round(n_sale * 0.045 / 0.935))
    n_refused = int(round(n_sale * 0.020 / 0.935))
    open_weight = np.where(month >= _PLAN - 2, 1.0, 0.012)
    open_weight[month == _PLAN] *= 1.5
    pick_open = rng.choice(n_sale, n_open, replace=False, p=open_weight / open_weight.sum())
    pick_refused = rng.choice(n_sale, n_refused, replace=False)
    extra = np.concatenate([pick_open, pick_refused])
    extra_budget = budget[extra] * rng.lognormal(0.1, 0.7, len(extra))
    # A few large open orders (a barrier or a turnstile project) head the follow-up list.
    n_large = min(len(pick_open), max(4, int(round(6 * scale ** 0.5))))
    extra_budget[:n_large] *= rng.uniform(4.0, 10.0, n_large)
    extra_status = np.concatenate([np.full(n_open, _STATUSES.index(STATUS_OPEN)),
                                   np.full(n_refused, _STATUSES.index(STATUS_REFUSED))])
    return _Orders(
        client=np.concatenate([client, client[extra]]),
        month=np.concatenate([month, month[extra]]),
        day=np.concatenate([day, cal.random_days(rng, month[extra])]),
        budget=np.concatenate([budget, extra_budget]),
        status=np.concatenate([status, extra_status]),
    )


@dataclass
class _Lines:
    order: np.ndarray         # index into the orders (returns get orders of their own later)
    product: np.ndarray
    quantity: np.ndarray
    amount: np.ndarray
    # Returns: a day and status of their own, filled by _add_returns.
    is_return: np.ndarray
    day: np.ndarray


def _make_lines(rng: np.random.Generator, orders: _Orders, clients: _Clients,
                cat: _Catalogue) -> _Lines:
    """Lines of every order: category from the client's profile, an affordable product, a quantity."""
    profile = clients.profile[orders.client]
    # Bigger orders have more lines (a project kit), not only bigger quantities.
    lam = np.array([_PROFILE_LINES[p] for p in _PROFILE_NAMES])[profile]
    lam = lam * np.clip(orders.budget / 60_000, 0.4, 5.0) ** 0.5
    n_lines = 1 + rng.poisson(lam)
    order = np.repeat(np.arange(len(orders.client)), n_lines)
    budget = np.repeat(orders.budget / n_lines, n_lines)
    # Category: inverse CDF of the client's profile.
    cumulative = np.cumsum(np.array([_PROFILES[p] for p in _PROFILE_NAMES]), axis=1)
    cumulative[:, -1] = 1.0 + 1e-9
    u = rng.random(len(order))
    category = (u[:, None] >= cumulative[profile[order]]).sum(axis=1)
    # Product: uniform among the products of the category the line budget can pay for.
    product = np.empty(len(order), dtype=np.int64)
    u = rng.random(len(order))
    for k, ids in enumerate(cat.by_category):
        rows = np.flatnonzero(category == k)
        affordable = np.searchsorted(cat.price[ids], budget[rows] * 1.3)
        affordable = np.clip(affordable, 1, len(ids))
        product[rows] = ids[(u[rows] * affordable).astype(np.int64)]
    price = cat.price[product]
    quantity = np.maximum(1, np.rint(budget / price * rng.lognormal(0.0, 0.25, len(order)))).astype(np.int64)
    # One line per product and order.
    key = order * len(cat.price) + product
    _, first = np.unique(key, return_index=True)
    first.sort()
    order, product, quantity = order[first], product[first], quantity[first]
    unit = np.round(cat.price[product] * (1.0 - clients.discount[orders.client[order]]), 2)
    amount = np.round(quantity * unit, 2)
    return _Lines(order, product, quantity, amount, np.zeros(len(order), dtype=bool),
                  orders.day[order].copy())


def _add_returns(rng: np.random.Generator, lines: _Lines, orders: _Orders, cal: _Calendar) -> _Lines:
    """About 1 % of sale lines come back, in part or whole, later in the same month.

    A return never takes more than half of the client's sales of that month, so it never turns an
    active month into an empty one (only _empty_one_month does that, on purpose).
    """
    status = orders.status[lines.order]
    is_sale = (status == _STATUSES.index(STATUS_SHIPPED)) | (status == _STATUSES.index(STATUS_PAID))
    client = orders.client[lines.order]
    month = orders.month[lines.order]
    cell = client * (_N_FULL + 1) + month
    sale_idx = np.flatnonzero(is_sale)
    cell_total = np.bincount(cell[sale_idx], weights=lines.amount[sale_idx],
                             minlength=int(cell.max()) + 1)
    n_ret = int(round(len(sale_idx) * 0.01))
    chosen = rng.choice(sale_idx, min(n_ret * 2, len(sale_idx)), replace=False)
    back = np.ceil(lines.quantity[chosen] * rng.uniform(0.1, 1.0, len(chosen))).astype(np.int64)
    back = np.clip(back, 1, lines.quantity[chosen])
    unit = lines.amount[chosen] / lines.quantity[chosen]
    value = np.round(back * unit, 2)
    ok = value <= 0.5 * cell_total[cell[chosen]]
    chosen, back, value = chosen[ok], back[ok], value[ok]
    _, once = np.unique(cell[chosen], return_index=True)       # one return per client and month
    once = np.sort(once)[:n_ret]
    chosen, back, value = chosen[once], back[once], value[once]
    # A working day from the sale's day to the end of the month's data.
    m = month[chosen]
    work = cal.work[m]
    first = ((work >= 0) & (work < lines.day[chosen][:, None])).sum(axis=1)
    pick = first + (rng.random(len(chosen)) * (cal.n_work[m] - first)).astype(np.int64)
    day = work[np.arange(len(chosen)), pick]
    return _Lines(
        order=np.concatenate([lines.order, lines.order[chosen]]),
        product=np.concatenate([lines.product, lines.product[chosen]]),
        quantity=np.concatenate([lines.quantity, -back]),
        amount=np.concatenate([lines.amount, -value]),
        is_return=np.concatenate([lines.is_return, np.ones(len(chosen), dtype=bool)]),
        day=np.concatenate([lines.day, day]),
    )


def _empty_one_month(lines: _Lines, orders: _Orders, clients: _Clients, cal: _Calendar) -> _Lines:
    """EMPTIED_MONTH_CLIENT returns the whole of its single M-2 order a week after buying it."""
    target = int(np.flatnonzero(clients.kind == "emptied_month")[0])
    in_cell = (orders.client == target) & (orders.month == _EMPTIED_MONTH)
    sale = in_cell & np.isin(orders.status, [_STATUSES.index(STATUS_SHIPPED), _STATUSES.index(STATUS_PAID)])
    (order,) = np.flatnonzero(sale)
    orders.day[order] = cal.work[_EMPTIED_MONTH, 1]             # bought on the 2nd working day
    orders.status[order] = _STATUSES.index(STATUS_PAID)
    mine = lines.order == order
    lines.day[mine] = orders.day[order]
    idx = np.flatnonzero(mine & ~lines.is_return)
    return_day = cal.work[_EMPTIED_MONTH, 6]                    # a week later, same month
    keep = ~(mine & lines.is_return)                            # no random return on this order
    return _Lines(
        order=np.concatenate([lines.order[keep], lines.order[idx]]),
        product=np.concatenate([lines.product[keep], lines.product[idx]]),
        quantity=np.concatenate([lines.quantity[keep], -lines.quantity[idx]]),
        amount=np.concatenate([lines.amount[keep], -lines.amount[idx]]),
        is_return=np.concatenate([lines.is_return[keep], np.ones(len(idx), dtype=bool)]),
        day=np.concatenate([lines.day[keep], np.full(len(idx), return_day)]),
    )


def _strings(values: np.ndarray, codes: np.ndarray) -> pd.Series:
    """``values[codes]`` as a ``str`` column, built through a Categorical (fast for many rows)."""
    cat = pd.Categorical.from_codes(codes, categories=pd.Index(values, dtype="str"), validate=False)
    return pd.Series(cat).astype("str")


def _assemble(rng: np.random.Generator, lines: _Lines, orders: _Orders, clients: _Clients,
              cat: _Catalogue, cal: _Calendar) -> pd.DataFrame:
    """Order numbers in date order, then the ledger table sorted by date and order number."""
    month = orders.month[lines.order]
    # A document is a sale, open or refused order, or one return line: number them by date.
    doc = np.where(lines.is_return, len(orders.client) + np.arange(len(lines.order)), lines.order)
    _, doc_first, doc_inverse = np.unique(doc, return_index=True, return_inverse=True)
    tiebreak = rng.random(len(doc_first))
    rank = np.empty(len(doc_first), dtype=np.int64)
    rank[np.lexsort((tiebreak, lines.day[doc_first], month[doc_first]))] = np.arange(len(doc_first))
    number = rank[doc_inverse] + 1
    width = max(6, len(str(len(doc_first))))
    order_text = pd.Series(number).astype("str").str.zfill(width).radd("ЗК-").astype("str")

    client = orders.client[lines.order]
    manager = clients.manager[client, month]
    status = np.where(lines.is_return, _STATUSES.index(STATUS_RETURN), orders.status[lines.order])
    frame = pd.DataFrame({
        "Date": cal.dates(month, lines.day),
        "Manager": _strings(np.array(MANAGERS, dtype=object), manager),
        "Client": _strings(clients.name, client),
        "Category": _strings(np.array(CATEGORIES, dtype=object), cat.category[lines.product]),
        "Brand": _strings(cat.brands, cat.brand_code[lines.product]),
        "Product": _strings(cat.product, lines.product),
        "Quantity": lines.quantity.astype(np.int64),
        "Amount": lines.amount.astype(np.float64),
        "Order": order_text,
        "Status": _strings(np.array(_STATUSES, dtype=object), status),
    })
    frame["Date"] = frame["Date"].astype("datetime64[ns]")
    # Numbers follow dates, so this sorts by date too; stable keeps the lines of an order in order.
    return frame.take(np.argsort(number, kind="stable")).reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
                      "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
                      "yu", "ya"]))


def _latin(text: str) -> str:
    """``'Безопасный город'`` -> ``'bezopasnyy-gorod'``: a domain-like transliteration."""
    out = "".join(_TRANSLIT.get(ch, ch) for ch in text.casefold())
    return re.sub(r"[^a-z0-9]+", "-", out).strip("-")


def _make_prospects(rng: np.random.Generator, names: _NamePool, n: int = 40) -> pd.DataFrame:
    """Companies that never bought: names unused by the ledger, contacts and a typed potential."""
    companies = names.take(n, kinds=("compound", "phrase", "ip", "guard", "builder"),
                           shares=(0.50, 0.15, 0.08, 0.09, 0.18))
    pick = lambda seq: seq[int(rng.integers(len(seq)))]  # noqa: E731
    rows = []
    for company in companies:
        female = rng.random() < 0.35
        if company.startswith("ИП "):
            surname = company.split()[1]
            first = pick(_FIRST_M)
            contact = f"{surname} {first} {pick(_PATRONYMIC_M)}"
            domain = _latin(surname)
            email = f"{domain}.{_latin(first)[0]}@mail.ru"
            site = ""
        else:
            surname = pick(_SURNAMES_M) + ("а" if female else "")
            first = pick(_FIRST_F if female else _FIRST_M)
            contact = f"{surname} {first} {pick(_PATRONYMIC_F if female else _PATRONYMIC_M)}"
            domain = _latin(company.split("«", 1)[1].rstrip("»"))
            site = f"{domain}.ru"
            email = (f"info@{site}" if rng.random() < 0.5
                     else f"{_latin(first)[0]}.{_latin(surname)}@{site}")
        digits = rng.integers(0, 10, 9)
        phone = (f"+7 (9{digits[0]}{digits[1]}) {digits[2]}{digits[3]}{digits[4]}-"
                 f"{digits[5]}{digits[6]}-{digits[7]}{digits[8]}")
        # One in five is too small for the long list (below 60 000 a month), on purpose.
        raw = (rng.uniform(20_000, 57_500) if rng.random() < 0.2
               else np.clip(np.exp(rng.normal(np.log(140_000), 0.7)), 60_000, 600_000))
        potential = float(np.round(raw / 5_000) * 5_000)
        rows.append((company, pick(_CITIES), contact, phone, email, site, potential,
                     _SOURCES[int(rng.choice(len(_SOURCES), p=_SOURCE_SHARES))]))
    frame = pd.DataFrame(rows, columns=list(PROSPECT_COLUMNS[:-1]))
    frame["MonthlyPotential"] = frame["MonthlyPotential"].astype(float)
    # Most prospects are assigned round-robin after a shuffle; a few wait for a supervisor.
    assigned = rng.permutation(np.resize(np.arange(len(MANAGERS)), n))
    unassigned = rng.choice(n, max(3, n // 8), replace=False)
    manager = np.array(MANAGERS, dtype=object)[assigned]
    manager[unassigned] = ""
    frame["Manager"] = pd.array(manager, dtype="str")
    return frame
