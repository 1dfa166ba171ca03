"""Instrument #1 and #2 sheets: one page each per manager, filled from the templates.

Sheet names are ``№1 Фамилия И.`` and ``№2 Фамилия И.`` (``#1 …`` in English): the ``№``/``#``
prefix marks them as the program's, so the next build replaces them and never touches a user's tab.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..method.instruments import Instrument1, Instrument2
from ..months import month_name
from ..texts import t
from ..words import utf16_cut, xml_text
from .templates import Page, render_sheets

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


def instrument1_pages(content: Mapping[str, Instrument1], summary: pd.DataFrame, plan_month: int, company: str,
                      offer_multiplier: float, lang: str) -> list[Page]:
    """Instrument #1 pages, one per manager of ``content``."""
    names = sheet_names(list(content), 1, lang)
    rows = summary.set_index("manager")
    pages = []
    for manager, inst in content.items():
        figures = rows.loc[manager]
        note = t("inst1.left_out", lang, n=inst.offers_left_out) if inst.offers_left_out else ""
        if len(inst.offers) and inst.offers_left_out == 0 and inst.offers_total < inst.offer_volume:
            note = (note + " " if note else "") + t("inst1.short", lang)
        fields: dict[str, Any] = {
            "manager": manager, "month": month_name(plan_month, lang), "company": company,
            "target": _money(figures["target"]), "base_plan": float(figures["base_plan"]),
            "gap": float(figures["gap"]), "existing_clients_plan": inst.existing_clients_plan,
            "offer_multiplier": offer_multiplier, "offer_volume": inst.offer_volume,
            "units_text": inst.units_text or t("inst1.no_units", lang), "offers_note": note,
            "offers_total": inst.offers_total,
            "offers_empty": t("inst1.offers_empty", lang), "key_clients_empty": t("inst1.key_clients_empty", lang),
        }
        offers = inst.offers[["client", "buys_now", "offer_category", "products", "volume"]].to_dict("records")
        key = inst.key_clients[["client", "turnover", "buys", "wishes"]].to_dict("records")
        pages.append(Page(names[manager], fields, {"offers": offers, "key_clients": key}))
    return pages


def instrument2_pages(content: Mapping[str, Instrument2], plan_month: int, company: str, lang: str) -> list[Page]:
    names = sheet_names(list(content), 2, lang)
    pages = []
    for manager, inst in content.items():
        tables = {}
        for section in ("new", "promo", "brands", "sale"):
            items = inst.items[inst.items["section"] == section]
            tables[section] = [
                {"item": r["item"], "brand": r["brand"], "category": r["category"], "price": _money(r["price"]),
                 "valid_until": None if pd.isna(r["valid_until"]) else r["valid_until"].to_pydatetime(),
                 "note": r["note"], "clients": ", ".join(short_client(c) for c in r["clients"])}
                for r in items.to_dict("records")]
        note = t("inst2.left_out", lang, n=inst.left_out) if inst.left_out else ""
        fields = {"manager": manager, "month": month_name(plan_month, lang), "company": company,
                  "omitted_note": note, **{f"{s}_empty": t(f"inst2.{s}_empty", lang) for s in tables}}
        pages.append(Page(names[manager], fields, tables))
    return pages


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
