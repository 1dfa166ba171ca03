"""Instrument #1 and #2 sheets: one page each per manager, filled from the templates.

Sheet names are ``№1 Фамилия И.`` and ``№2 Фамилия И.`` (``#1 …`` in English): the ``№``/``#``
prefix marks them as the program's, so the next build replaces them and never touches a user's tab.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import Problem
from ..method.catalog import SECTIONS, PageRoom
from ..method.instruments import Instrument1, Instrument2
from ..months import month_name
from ..texts import t
from ..words import fold, utf16_cut, without_legal_form, xml_text
from .templates import HIDDEN_RECORD, Page, TableLines, TableRoom, render_sheets, table_lines

#: The Russian templates; another language's are named ``instrument1.<lang>.xlsx`` (see
#: :func:`localized_template_name`).
TEMPLATE_NAMES = ("instrument1.xlsx", "instrument2.xlsx")
_OWNED = re.compile(r"^(№|#)[12] ")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\']")


def is_instrument_sheet(name: str) -> bool:
    return bool(_OWNED.match(name))


def localized_template_name(name: str, lang: str) -> str:
    """``instrument1.xlsx`` in ``lang``: ``instrument1.en.xlsx`` for English, the name itself for Russian."""
    if lang == "ru":
        return name
    path = Path(name)
    return path.stem + "." + lang + path.suffix


def template_path(name: str, folders: list[Path] = (), lang: str = "ru") -> Path:
    """The template ``name`` (``instrument1.xlsx``) in ``lang``: the first of ``folders`` that has it
    (e.g. ``templates/`` beside the workbook, restyled by a supervisor), else the one shipped with the
    package. When no folder and no shipped copy has the language's own template
    (``instrument1.en.xlsx``), the Russian one is looked up the same way."""
    wanted = [localized_template_name(name, lang), name] if lang != "ru" else [name]
    for local in wanted:
        found = next((Path(f) / local for f in folders if (Path(f) / local).exists()), None)
        if found is None and _shipped_template(local).exists():
            found = _shipped_template(local)
        if found is not None:
            return found
    return _shipped_template(name)


def _shipped_template(name: str) -> Path:
    """The template shipped with the package (which may not exist)."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "templates" / name       # a wheel install ships them inside the package
    source = package.parent.parent / "templates" / name  # a source checkout (editable install)
    return installed if installed.exists() else source


def short_name(manager: str) -> str:
    """``Васильева Елена`` -> ``Васильева Е.``; anything else is kept as it is."""
    parts = manager.split()
    if len(parts) >= 2 and all(p[:1].isalpha() for p in parts[1:]):
        return parts[0] + " " + "".join(p[0] + "." for p in parts[1:3])
    return manager


def sheet_names(managers: list[str], number: int, lang: str) -> dict[str, str]:
    """Unique, valid Excel sheet names for one instrument of every manager: at most 31 UTF-16 units
    as Excel counts them (an emoji counts two), none of ``[]:*?/\\'`` nor a character XML cannot
    carry."""
    prefix = f"{'№' if lang == 'ru' else '#'}{number} "
    out: dict[str, str] = {}
    used: set[str] = set()
    for manager in managers:
        base = " ".join(_BAD_SHEET_CHARS.sub("", prefix + xml_text(short_name(manager))).split())
        if base == prefix.strip():  # nothing of the name is left a tab name can hold
            base = prefix + "-"
        name, n = utf16_cut(base, 31).rstrip(), 2
        while name.casefold() in used:
            suffix = f" ({n})"
            name = utf16_cut(base, 31 - len(suffix)).rstrip() + suffix
            n += 1
        used.add(name.casefold())
        out[manager] = name
    return out


_LEGAL_FORM = re.compile(r"^\s*(ООО|ОАО|ЗАО|ПАО|АО|ИП|ЧОП|ЧОО|ГК|ТОО|LLC|Ltd\.?)\s+", re.IGNORECASE)


def short_client(name: str) -> str:
    """``ООО «Северная звезда»`` -> ``Северная звезда``: a narrow column shows three clients, not one."""
    short = _LEGAL_FORM.sub("", name).strip()
    if short.startswith("«") and short.endswith("»") and short.count("«") == 1:
        short = short[1:-1]
    return short.strip('"').strip() or name


def file_name(manager: str) -> str:
    """A manager's name as a safe file name on Windows and Linux."""
    cleaned = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "", manager).strip(" .")
    return cleaned[:80] or "manager"


#: Long legal forms as a narrow column writes them (the short forms stay as they are typed).
_LONG_LEGAL_FORMS = (
    (re.compile(r"общество\s+с\s+ограниченной\s+ответственностью", re.IGNORECASE), "ООО"),
    (re.compile(r"публичное\s+акционерное\s+общество", re.IGNORECASE), "ПАО"),
    (re.compile(r"закрытое\s+акционерное\s+общество", re.IGNORECASE), "ЗАО"),
    (re.compile(r"открытое\s+акционерное\s+общество", re.IGNORECASE), "ОАО"),
    (re.compile(r"акционерное\s+общество", re.IGNORECASE), "АО"),
    (re.compile(r"индивидуальный\s+предприниматель", re.IGNORECASE), "ИП"),
    (re.compile(r"limited\s+liability\s+company", re.IGNORECASE), "LLC"),
)


def abbreviate_legal_form(name: str) -> str:
    """``Общество с ограниченной ответственностью «Альфа»`` -> ``ООО «Альфа»``: the name is kept
    whole, only a spelled-out legal form is shortened (Instrument #1 wraps names, never cuts them)."""
    out = " ".join(str(name).split())
    for pattern, short in _LONG_LEGAL_FORMS:
        out = pattern.sub(short, out)
    return out


#: Lines a list in one cell of Instrument #1 may take (the products of an offer, the categories a
#: client buys): whole names, as many as fit, at least one.
LIST_LINES = 2


def _whole_names(names: list[str], field: str, lines: TableLines | None) -> str:
    """As many of ``names`` as fit in :data:`LIST_LINES` lines of ``field`` (``lines``: the table's
    :func:`~.templates.table_lines`; without it, all), joined with commas; never a name cut."""
    if lines is None:
        return ", ".join(names)
    kept = names[:1]
    for name in names[1:]:
        if lines.lines(field, ", ".join(kept + [name])) > LIST_LINES:
            break
        kept.append(name)
    return ", ".join(kept)


def offer_record(offer: Mapping[str, Any], lines: TableLines | None = None) -> dict[str, Any]:
    """One offer as Instrument #1 prints it: the client's legal form abbreviated, and as many whole
    product names and bought categories as fit in :data:`LIST_LINES` lines (``lines``:
    :func:`~.templates.table_lines` of the offers table)."""
    products = [str(p) for p in (offer.get("products") or ())]
    buys = [b for b in str(offer.get("buys_now") or "").split(", ") if b]
    return {"client": abbreviate_legal_form(str(offer["client"])),
            "buys_now": _whole_names(buys, "buys_now", lines),
            "offer_category": offer.get("offer_category", ""),
            "products": _whole_names(products, "products", lines), "volume": offer.get("volume")}


def key_client_record(key: Mapping[str, Any], lines: TableLines | None = None) -> dict[str, Any]:
    """One key client as Instrument #1 prints it."""
    buys = [b for b in str(key.get("buys") or "").split(", ") if b]
    return {"client": abbreviate_legal_form(str(key["client"])), "turnover": key.get("turnover"),
            "buys": _whole_names(buys, "buys", lines), "wishes": key.get("wishes", "")}


def instrument1_lines(template: Path) -> tuple[Any, Any]:
    """How many of the page's rows an offer and a key client take on ``template`` (functions of the
    method's records, for :func:`salesplan.method.instruments.instrument1`)."""
    offers = table_lines(template, "offers")
    keys = table_lines(template, "key_clients")
    return (lambda offer: offers(offer_record(offer, offers))), (lambda key: keys(key_client_record(key, keys)))


def rub(value: float, lang: str = "ru") -> str:
    """``1 234 567 ₽``: an amount written inside a sentence."""
    return f"{round(float(value)):,}".replace(",", "\u00a0") + "\u00a0₽"


def _plural(n: int, forms: str) -> str:
    one, few, many = forms.split("|")
    if n % 10 == 1 and n % 100 != 11:
        return one
    return few if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else many


def familiar_text(goods: list[dict[str, Any]], lang: str) -> str:
    """``СКУД — 3 заказа по ≈ 41 000 ₽ / Домофоны — 5 заказов по ≈ 25 000 ₽``."""
    forms = t("inst1.order_forms", lang)
    return " / ".join(t("inst1.goods", lang, category=g["category"], n=g["orders"],
                        orders=_plural(int(g["orders"]), forms), amount=rub(_rounded(g["order_amount"]), lang))
                      for g in goods)


def _rounded(amount: float) -> float:
    """An amount to two significant digits: 34 409 -> 34 000, 1 260 -> 1 300."""
    if amount <= 0:
        return amount
    step = 10 ** max(0, math.floor(math.log10(amount)) - 1)
    return round(amount / step) * step


def shortfall_text(inst: Instrument1, minimal_share: float, multiplier: float, lang: str) -> str:
    """What the page's offers place against the volume, and, when short, what would close it."""
    figures = {"offered": rub(inst.offered_total, lang), "volume": rub(inst.volume_to_place, lang),
               "shortfall": rub(inst.shortfall, lang), "to_3b": rub(inst.shortfall / multiplier, lang)}
    if inst.volume_to_place <= 0:
        return t("inst1.nothing_to_place", lang)
    if inst.shortfall <= 0:
        return t("inst1.enough", lang, **figures)
    if inst.left_out_would_close:
        return t("inst1.shortfall_page", lang, n=inst.offers_left_out, left=rub(inst.left_out_total, lang),
                 **figures)
    hint = inst.threshold_hint
    threshold = "" if hint is None else t("inst1.threshold", lang, share=f"{hint['minimal_share']:.1%}".replace(
        ".0%", "%"), total=rub(hint["candidates_total"], lang))
    if inst.offers_left_out:  # more candidates than on the page, and all of them would not close it
        return t("inst1.shortfall_all", lang, threshold=threshold, candidates=rub(inst.candidates_total, lang),
                 **figures)
    return t("inst1.shortfall", lang, threshold=threshold, **figures)


def instrument1_pages(content: Mapping[str, Instrument1], summary: pd.DataFrame, plan_month: int, company: str,
                      offer_multiplier: float, lang: str, minimal_share: float = 0.05,
                      template: Path | None = None) -> list[Page]:
    """Instrument #1 pages, one per manager of ``content``. ``template``: the page's template, whose
    wrapping columns decide how many product names an offer shows."""
    names = sheet_names(list(content), 1, lang)
    rows = summary.set_index("manager")
    offer_lines = table_lines(template, "offers") if template is not None else None
    key_lines = table_lines(template, "key_clients") if template is not None else None
    pages = []
    for manager, inst in content.items():
        figures = rows.loc[manager]
        no_target = pd.isna(figures["target"])
        fields: dict[str, Any] = {
            "manager": manager, "month": month_name(plan_month, lang), "company": company,
            "title": t(f"inst1.title.{inst.audience}", lang),
            "offers_title": t(f"inst1.offers_title.{inst.audience}", lang),
            "target": _money(figures["target"]), "base_plan": float(figures["base_plan"]),
            "gap": float(figures["gap"]), "existing_clients_plan": inst.existing_clients_plan,
            "offer_multiplier": offer_multiplier, "offer_volume": inst.volume_to_place,
            "offers_total": inst.offered_total, "shortfall": inst.shortfall,
            "shortfall_note": (t("inst.no_target", lang) if no_target
                               else shortfall_text(inst, minimal_share, offer_multiplier, lang)),
            "units_text": familiar_text(inst.familiar_goods, lang) or t("inst1.no_units", lang),
            # a template made before {{ shortfall_note }} shows it below the offers
            "offers_note": (t("inst.no_target", lang) if no_target
                            else shortfall_text(inst, minimal_share, offer_multiplier, lang)),
            "key_clients_note": (t("inst1.key_left_out", lang, n=inst.key_clients_left_out)
                                 if inst.key_clients_left_out else ""),
            "offers_empty": t("inst.no_target_short" if no_target else "inst1.offers_empty", lang),
            "key_clients_empty": t("inst1.key_clients_empty", lang),
        }
        offers = [offer_record(o, offer_lines) for o in inst.offers.to_dict("records")]
        key = [key_client_record(k, key_lines) for k in inst.key_clients.to_dict("records")]
        pages.append(Page(names[manager], fields, {"offers": offers, "key_clients": key}))
    return pages


def item_record(item: Mapping[str, Any], *, struck: bool = False) -> dict[str, Any]:
    """One line of Instrument #2 as its template's table fields: the visible ones, and the hidden
    ones the next build reads the manager's edits against (section, key, proposed clients)."""
    typed = item.get("clients_text")
    program = ", ".join(without_legal_form(c) for c in item["clients"])
    valid = item.get("valid_until")
    return {"item": item["item"], "brand": item["brand"], "category": item["category"],
            "price": _money(item["price"]) if not isinstance(item["price"], str) else item["price"],
            "valid_until": None if valid is None or (not isinstance(valid, str) and pd.isna(valid))
            else valid.to_pydatetime() if hasattr(valid, "to_pydatetime") else valid,
            "note": item["note"], "clients": program if typed is None else typed,
            "mark": "✗" if struck else "", "section": item["section"], "key": item.get("key") or "",
            # his clients are read as his next time, so the proposal beside them is left empty
            "proposed": program if typed is None else "", HIDDEN_RECORD: struck}


def item_table(item: Mapping[str, Any]) -> str:
    """The template table a line of Instrument #2 goes in: its section's, or its section's yellow
    table of the manager's own lines."""
    return f"{item['section']}_own" if item.get("own") else str(item["section"])


def instrument2_room(room: TableRoom) -> PageRoom:
    """The page of the Instrument #2 template for :func:`salesplan.method.catalog.fit_items`: every
    section's blank yellow line is kept free, and each item is as tall as its wrapped texts."""
    blank = sum(room.row.get(f"{s}_own", 0.0) for s in SECTIONS)
    empty = max((room.row.get(s, 0.0) for s in SECTIONS), default=0.0)
    return PageRoom(room.available - blank, lambda item: room.height(item_table(item), item_record(item)), empty)


def instrument2_pages(content: Mapping[str, Instrument2], plan_month: int, company: str, lang: str,
                      no_target: frozenset[str] = frozenset()) -> list[Page]:
    """Instrument #2 pages, one per manager of ``content``: each section's items (the struck ones
    hidden), then its yellow lines (the manager's own, and a blank one); a manager of ``no_target``
    is told that no target is set."""
    names = sheet_names(list(content), 2, lang)
    pages = []
    for manager, inst in content.items():
        tables: dict[str, list[dict[str, Any]]] = {}
        # Each table turned into records once, not filtered and turned for every section (forty
        # managers' four sections were a second of pandas calls).
        items = inst.items.to_dict("records") if len(inst.items) else []
        struck_items = inst.struck.to_dict("records") if len(inst.struck) else []
        for section in SECTIONS:
            mine = [r for r in items if r["section"] == section]
            program = [item_record(r) for r in mine if not r["own"]]
            tables[section] = program + [item_record(r, struck=True) for r in struck_items if r["section"] == section]
            tables[f"{section}_own"] = [item_record(r) for r in mine if r["own"]] + [{"section": section}]
        notes = [t("inst.no_target", lang)] if manager in no_target else []
        if inst.left_out:
            notes.append(t("inst2.left_out", lang, n=inst.left_out))
        if len(inst.struck):
            notes.append(t("inst2.struck", lang, n=len(inst.struck)))
        fields = {"manager": manager, "month": month_name(plan_month, lang), "company": company,
                  "omitted_note": " ".join(notes),
                  **{f"{s}_empty": t(f"inst2.{s}_empty", lang) for s in SECTIONS}}
        title = inst.sheet if inst.sheet and not is_instrument_sheet(inst.sheet) else names[manager]
        pages.append(Page(title, fields, tables))
    return pages


def edit_problems_placed(problems: list[Problem], pages: Mapping[str, Page],
                         regions: Mapping[str, int]) -> list[Problem]:
    """The problems of the managers' edits, naming the row where the line is on the sheet as this build
    writes it (a struck item above it moves it up): :func:`instrument2_pages`' pages by manager, and
    the template's region rows (:func:`salesplan.outputs.templates.template_placeholders`)."""
    rows = {manager: instrument2_rows(page, regions) for manager, page in pages.items()}
    out = []
    for problem in problems:
        manager, fields = problem.fields.get("manager"), problem.fields
        page = pages.get(manager) if manager else None
        at = rows.get(manager, {}).get((fields.get("section"), fold(fields.get("item", ""))))
        if page is not None and at is not None:
            problem = replace(problem, sheet=page.title, row=at)
        out.append(problem)
    return out


def instrument2_rows(page: Page, regions: Mapping[str, int]) -> dict[tuple[str, str], int]:
    """(section, folded item) -> the sheet row of that line once ``page`` fills its template, whose
    tables start at ``regions`` (each table's records push the tables below it down)."""
    out: dict[tuple[str, str], int] = {}
    shift = 0
    for table, r in sorted(regions.items(), key=lambda kv: kv[1]):
        records = page.tables.get(table) or []
        for i, record in enumerate(records):
            if record.get("item"):
                out.setdefault((str(record.get("section")), fold(record["item"])), r + shift + i)
        shift += max(len(records), 1) - 1
    return out


def render_instruments(out: Path, templates: tuple[Path, Path], pages1: list[Page], pages2: list[Page]) -> list[str]:
    """Both instruments' sheets into one workbook at ``out``: every №1, then every №2."""
    from ..ooxml.splice import replace_sheets
    from ..scratch import scratch_folder

    with scratch_folder("inst") as scratch:
        first, second = Path(scratch) / "i1.xlsx", Path(scratch) / "i2.xlsx"
        names1 = render_sheets(templates[0], pages1, first)
        names2 = render_sheets(templates[1], pages2, second)
        replace_sheets(first, second, out, owned=set())
    return names1 + names2


def _money(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
