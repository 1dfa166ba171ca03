"""The Config tab: parameters, status words, contact tiers, Targets and Clients.

Blocks are found by their titles (in either language), not by fixed addresses, so a supervisor who
inserts a row or moves a block does not break anything. A missing Config tab means all defaults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

import pandas as pd

from .. import params as P
from ..errors import InputError, Problem
from ..texts import Where, names, t
from ..words import fold as norm
from .header import ALIASES, CONTACT_FIELDS
from .ledger import StatusWords, column_letter, normalise_header, normalise_status, parse_amounts
from .rows import SheetRows, WorkbookSource, read_csv_rows
from .shapes import CrossSellRule

DEFAULT_STATUSES = {
    "sale": ("отгружен", "оплачен", "реализован", "закрыт", "возврат", "shipped", "paid", "return"),
    "open": ("конечный потребитель не оплатил", "ожидает оплаты", "не оплачен", "в работе",
             "awaiting payment", "open"),
    "refused": ("отказ", "отменен", "refused", "cancelled", "canceled"),
}
#: The seed's own examples (3.1.1, docs/method.md#3a-and-instrument-1): "если покупает только
#: камеры - регистраторы, домофоны, СКУД, если покупает СКУД, камеры и регистраторы - кабель, блоки
#: питания, аккумуляторы и домофоны, ОПС".
DEFAULT_CROSSSELL = (
    ("Камеры видеонаблюдения", "Видеорегистраторы, Домофоны, СКУД"),
    ("СКУД + Камеры видеонаблюдения + Видеорегистраторы", "Кабель, Блоки питания, Аккумуляторы, Домофоны, ОПС"),
)
ALL_CATEGORIES = {"все", "всё", "all", "*", "любая", "any"}
DEFAULT_TIERS = {
    "ru": ((300000.0, "каждый день"), (100000.0, "2–3 раза в неделю"), (0.0, "раз в неделю")),
    "en": ((300000.0, "every day"), (100000.0, "2-3 times a week"), (0.0, "once a week")),
}


@dataclass
class Config:
    """Everything a supervisor sets on the Config tab, typed."""

    params: P.Params = field(default_factory=P.defaults)
    statuses: StatusWords = field(default_factory=lambda: status_words(DEFAULT_STATUSES))
    tiers: tuple[tuple[float, str], ...] = DEFAULT_TIERS["ru"]
    targets: pd.DataFrame = field(default_factory=lambda: empty_targets())
    owners: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"client": [], "owner": []}, dtype=object))
    crosssell: list[CrossSellRule] = field(default_factory=lambda: [crosssell_rule(w, o) for w, o in DEFAULT_CROSSSELL])
    exclusions: pd.DataFrame = field(default_factory=lambda: empty_exclusions())

    @property
    def lang(self) -> str:
        return self.params["language"]

    def with_params(self, **values: Any) -> Config:
        return replace(self, params=cast(P.Params, {**self.params, **values}))


def empty_targets() -> pd.DataFrame:
    return pd.DataFrame({"manager": pd.Series([], dtype=object), "target": pd.Series([], dtype="float64"),
                         "existing_share": pd.Series([], dtype="float64")})


#: The Exclusions table: client, category (normalised, ``*`` = every one), reason, the Config row,
#: and the category as typed.
EXCLUSION_COLUMNS = ["client", "category", "reason", "row", "category_text"]


def empty_exclusions() -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in EXCLUSION_COLUMNS}, dtype=object)


def crosssell_rule(when: str, offer: str, row: int | None = None) -> CrossSellRule:
    """``"СКУД + Камеры"``, ``"Кабель, ОПС"`` -> a rule over normalised category names."""
    offers = [" ".join(c.split()) for c in re.split(r"[,;]", str(offer)) if c.strip()]
    whens = [" ".join(c.split()) for c in re.split(r"[+,;]", str(when)) if c.strip()]
    return CrossSellRule(frozenset(norm(c) for c in whens), tuple(norm(c) for c in offers), tuple(offers),
                         tuple(whens), row)


def status_words(groups: dict[str, tuple[str, ...]]) -> StatusWords:
    return StatusWords(*(frozenset(normalise_status(w) for w in groups[g] if str(w).strip())
                         for g in ("sale", "open", "refused")))


def read_config(sheet: SheetRows | None) -> tuple[Config, list[Problem]]:
    """Read the Config tab; ``None`` (no tab) gives the defaults."""
    config = Config()
    if sheet is None:
        return config, []
    problems: list[Problem] = []
    config.params = _read_params(sheet, problems)
    lang = config.lang
    for key in CONFIG_BLOCKS:  # a mistyped title would silently give the defaults
        if _find_title(sheet, key) is None:
            title = names(key)[0 if lang == "ru" else 1]
            problems.append(Problem(sheet.name, None, "", title, "prob.block_missing", {"block": title}))
    statuses = _read_block(sheet, "config.statuses", 3)
    if statuses is not None and any(any(col) for col in statuses.columns_values):
        groups = dict(zip(("sale", "open", "refused"), statuses.columns_values))
        config.statuses = status_words({k: tuple(str(v) for v in vals) for k, vals in groups.items()})
        problems += _status_conflicts(sheet.name, statuses, lang)
    tiers = _read_block(sheet, "config.tiers", 2)
    if tiers is not None and tiers.rows:
        config.tiers = _read_tiers(sheet, tiers)
    else:
        config.tiers = DEFAULT_TIERS[config.lang]
    targets = _read_block(sheet, "config.targets", 3)
    if targets is not None:
        config.targets = _read_targets(targets, problems)
    clients = _read_block(sheet, "config.clients", 2)
    if clients is not None:
        rows = [(str(c).strip(), str(o).strip(), r) for r, (c, o) in clients.rows if _filled(c) and _filled(o)]
        config.owners = pd.DataFrame(rows, columns=["client", "owner", "row"])
        config.owners = _with_contacts(sheet, clients, config.owners)
    crosssell = _read_block(sheet, "config.crosssell", 2)
    if crosssell is not None:
        config.crosssell = []
        for r, (when, offer) in crosssell.rows:
            rule = crosssell_rule(when if _filled(when) else "", offer if _filled(offer) else "", r)
            if not rule.when or not rule.offer:
                problems.append(Problem(sheet.name, r, "", f"{when} → {offer}", "prob.crosssell_empty"))
                continue
            config.crosssell.append(rule)
    exclusions = _read_block(sheet, "config.exclusions", 3)
    if exclusions is not None:
        rows = []
        for r, (client, category, reason) in exclusions.rows:
            if not _filled(client):
                problems.append(Problem(sheet.name, r, "", category, "prob.exclusion_no_client"))
                continue
            cat = norm(category) if _filled(category) else "*"
            rows.append((" ".join(str(client).split()), "*" if cat in ALL_CATEGORIES else cat,
                         str(reason).strip() if _filled(reason) else "", r,
                         " ".join(str(category).split()) if _filled(category) else ""))
        config.exclusions = pd.DataFrame(rows, columns=EXCLUSION_COLUMNS)
    return config, problems


def apply_overrides(config: Config, settings: list[str], month: str | None) -> Config:
    """``--set key=value`` (repeatable) and ``--month YYYY-MM`` over the Config tab."""
    values: dict[str, Any] = dict(config.params)
    for text in settings:
        if "=" not in text:
            raise InputError("err.set_syntax", text=text)
        key, raw = (s.strip() for s in text.split("=", 1))
        values[key] = P.coerce(key, raw, where=f"--set {key}")
    if month:
        values["plan_month"] = P.parse_month(month, where="--month")
    config = replace(config, params=cast(P.Params, values))
    _check_long_list(values, "--set")
    return config


def read_targets_file(path: Path) -> pd.DataFrame:
    """``--targets FILE``: a CSV or workbook with columns Manager, Target (and optional share)."""
    path = Path(path)
    if path.suffix.lower() in {".csv", ".txt"}:
        sheet = read_csv_rows(path)
    else:
        source = WorkbookSource(path)
        sheet = source.rows(source.sheet_names[0])
    if not sheet.rows:
        raise InputError("err.empty_sheet", sheet=sheet.name)
    block = _Block(sheet.name, header_row=1, first_col=1, width=len(sheet.rows[0]),
                   header=list(sheet.rows[0]),
                   rows=[(i + 2, list(r)) for i, r in enumerate(sheet.rows[1:]) if any(_filled(v) for v in r)])
    return _read_targets(block)


def override_notes(settings: list[str]) -> list[Problem]:
    """How ``--set`` values were understood other than as typed (``funnel_rate=25`` is 25%), as
    Problems of the sheet ``--set`` (the values themselves are read by :func:`apply_overrides`)."""
    out = []
    for text in settings:
        key, _, raw = (s.strip() for s in text.partition("="))
        _, note = P.coerce_noted(key, raw, where=f"--set {key}")
        if note is not None:
            out.append(Problem("--set", None, key, raw, note[0], note[1]))
    return out


# --- blocks -------------------------------------------------------------------------------------


@dataclass
class _Block:
    sheet: str
    header_row: int
    first_col: int
    width: int
    header: list[Any]
    rows: list[tuple[int, list[Any]]]  # (sheet row, values)

    @property
    def columns_values(self) -> list[list[Any]]:
        return [[r[i] for _, r in self.rows if _filled(r[i])] for i in range(self.width)]

    def column_of(self, *keys: str) -> int | None:
        """Index within the block of the header matching any text key (both languages)."""
        wanted = {normalise_header(n) for k in keys for n in names(k)}
        for i, value in enumerate(self.header):
            if normalise_header(value) in wanted:
                return i
        return None

    def where(self, row: int, index: int) -> Where:
        column = self.header[index] if index < len(self.header) else ""
        return _where(self.sheet, row, self.first_col + index, column)


#: The blocks of the Config tab, by the text key of their title.
CONFIG_BLOCKS = ("config.params", "config.statuses", "config.tiers", "config.targets", "config.clients",
                 "config.crosssell", "config.exclusions")


def _status_conflicts(sheet: str, block: _Block, lang: str) -> list[Problem]:
    """A status word in two of the lists (sale, open, refused): the plan would take it as the first."""
    group_names = [str(h) for h in block.header]
    seen: dict[str, int] = {}
    out = []
    for r, values in block.rows:
        for i, value in enumerate(values[:3]):
            if not _filled(value):
                continue
            word = normalise_status(value)
            if word in seen and seen[word] != i:
                both = f"{group_names[seen[word]]}, {group_names[i]}"
                out.append(Problem(sheet, r, group_names[i], str(value).strip(), "prob.status_twice",
                                   {"value": str(value).strip(), "groups": both}))
            seen.setdefault(word, i)
    return out


def config_problems(config: Config, sheet: str) -> list[Problem]:
    """Parameters that contradict each other (after ``--set``): named, not silently planned with."""
    params = config.params
    if params["regular_min_months"] > params["window_months"]:
        return [Problem(sheet, None, "regular_min_months", params["regular_min_months"], "prob.min_above_window",
                        {"minimum": params["regular_min_months"], "window": params["window_months"]})]
    return []


def _with_contacts(sheet: SheetRows, clients: _Block, owners: pd.DataFrame) -> pd.DataFrame:
    """The Clients table's phone, contact and city, when a supervisor added such columns right of
    it: each header next to the table that names one (as the Sales tab would) is read, by row."""
    out = owners.copy()
    for offset in range(2, 2 + len(CONTACT_FIELDS)):
        field = next((f for f in CONTACT_FIELDS
                      if normalise_header(sheet.cell(clients.header_row, clients.first_col + offset))
                      in {normalise_header(a) for a in ALIASES[f]}), None)
        if field is None:
            break
        out[field] = [str(v).strip() if _filled(v := sheet.cell(r, clients.first_col + offset)) else ""
                      for r in out["row"]]
    return out


def _find_title(sheet: SheetRows, key: str) -> tuple[int, int] | None:
    wanted = {normalise_header(n) for n in names(key)}
    for r, row in enumerate(sheet.rows, start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str) and normalise_header(value) in wanted:
                return r, c
    return None


def _read_block(sheet: SheetRows, title_key: str, width: int) -> _Block | None:
    found = _find_title(sheet, title_key)
    if found is None:
        return None
    title_row, col = found
    header = [sheet.cell(title_row + 1, col + i) for i in range(width)]
    # Blank rows are skipped, not an end: a supervisor who clears a row in the middle of a table
    # must not lose the rows below it. Blocks stand side by side, so their columns hold nothing else.
    rows = []
    for r in range(title_row + 2, len(sheet.rows) + 1):
        values = [sheet.cell(r, col + i) for i in range(width)]
        if any(_filled(v) for v in values):
            rows.append((r, values))
    return _Block(sheet.name, title_row + 1, col, width, header, rows)


def _read_params(sheet: SheetRows, problems: list[Problem] | None = None) -> P.Params:
    """The Parameters block. A value that cannot be used is a Problem naming its cell, and the
    parameter keeps its default (the plan is still made); without ``problems`` it stops the read,
    and so does a plan month that is not a month (every figure depends on it)."""
    values: dict[str, Any] = dict(P.defaults())
    found = _find_title(sheet, "config.params")
    if found is None:
        return cast(P.Params, values)
    title_row, col = found
    header = sheet.rows[title_row] if title_row < len(sheet.rows) else []
    key_col = value_col = None
    for c, value in enumerate(header, start=1):
        norm = normalise_header(value)
        if norm in {normalise_header(n) for n in names("config.key")}:
            key_col = c
        elif norm in {normalise_header(n) for n in names("config.value")}:
            value_col = c
    if key_col is None or value_col is None:
        return cast(P.Params, values)
    column = str(header[value_col - 1]).strip() if _filled(header[value_col - 1]) else t("config.value", "ru")
    for r in range(title_row + 2, len(sheet.rows) + 1):
        key = sheet.cell(r, key_col)
        if not _filled(key):
            break
        key = str(key).strip()
        raw = sheet.cell(r, value_col)
        try:
            values[key], note = P.coerce_noted(key, raw, where=_where(sheet.name, r, value_col, column))
        except InputError as exc:
            # The plan month decides every figure: planning another month than meant is no default.
            if problems is None or exc.key == "param_month":
                raise
            if exc.key == "unknown_param":
                problems.append(Problem(sheet.name, r, column, key, "prob.param_unknown", {"error": exc}))
            else:
                problems.append(Problem(sheet.name, r, column, raw, "prob.param_refused",
                                        {"error": exc, "default": P.show(key, P.PARAMS_BY_KEY[key].default)}))
            continue
        if note is not None and problems is not None:
            problems.append(Problem(sheet.name, r, column, raw, note[0], note[1]))
    try:
        _check_long_list(values, sheet.name)
    except InputError as exc:
        if problems is None:
            raise
        low, high = P.PARAMS_BY_KEY["long_list_min"].default, P.PARAMS_BY_KEY["long_list_max"].default
        problems.append(Problem(sheet.name, None, "long_list_min", values["long_list_min"], "prob.param_refused",
                                {"error": exc, "default": f"{low}, long_list_max = {high}"}))
        values["long_list_min"], values["long_list_max"] = low, high
    return cast(P.Params, values)


def _check_long_list(values: dict[str, Any], where: str) -> None:
    if values["long_list_min"] > values["long_list_max"]:
        raise InputError("param_range", where=where, key="long_list_min", value=values["long_list_min"],
                         allowed=f"≤ long_list_max ({values['long_list_max']})")


def _read_tiers(sheet: SheetRows, block: _Block) -> tuple[tuple[float, str], ...]:
    tiers = []
    for row, (amount, contact) in block.rows:
        number = parse_amounts(pd.Series([amount], dtype=object)).iloc[0]
        if pd.isna(number):
            raise InputError("err.tier_value", where=block.where(row, 0), value=amount)
        tiers.append((float(number), str(contact).strip()))
    return tuple(sorted(tiers, reverse=True))


def _read_targets(block: _Block, problems: list[Problem] | None = None) -> pd.DataFrame:
    """The Targets table. A manager's share that cannot be used is a Problem (the Config share is
    used) when ``problems`` is given (the Config tab), else it stops the read (``--targets``)."""
    manager_col = block.column_of("config.manager", "col.manager")
    target_col = block.column_of("config.target", "col.target")
    share_col = block.column_of("config.existing_share")
    if manager_col is None or target_col is None:
        # A bare two-column table: Manager, Target in that order.
        manager_col, target_col = 0, 1
    rows, seen = [], {}
    for row, values in block.rows:
        manager, target = values[manager_col], values[target_col]
        share = values[share_col] if share_col is not None and share_col < len(values) else ""
        if not _filled(manager):
            raise InputError("err.target_nobody", where=block.where(row, manager_col), target=target)
        manager = " ".join(str(manager).split())
        if manager in seen:
            raise InputError("err.target_duplicate", where=block.where(row, manager_col),
                             manager=manager, first=seen[manager])
        seen[manager] = row
        number = _target_number(target)
        if not _filled(target):
            number = float("nan")  # listed without a target: the plan says so
        elif pd.isna(number) or number < 0:
            raise InputError("err.target_value", where=block.where(row, target_col), value=target)
        share_value = float("nan")
        if _filled(share):
            try:
                share_value, note = P.coerce_noted("existing_share", share)
            except InputError:
                error = InputError("err.share_value", where=block.where(row, share_col), value=share)
                if problems is None:
                    raise error from None
                problems.append(Problem(block.sheet, row, str(block.header[share_col]), share,
                                        "prob.share_refused", {"error": error}))
            else:
                if note is not None and problems is not None:
                    problems.append(Problem(block.sheet, row, str(block.header[share_col]), share, *note))
        rows.append({"manager": manager, "target": number, "existing_share": share_value, "row": row})
    frame = pd.DataFrame(rows, columns=["manager", "target", "existing_share", "row"])
    return frame.astype({"target": "float64", "existing_share": "float64"})


def _target_number(value: object) -> float:
    """A target as a number, NaN when it is none: plain numbers and digits at once, anything else
    (``12 000``, ``1,5 млн``…) by :func:`parse_amounts`, whose pandas calls cost a few
    milliseconds a row (forty managers' targets took a third of a second)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return float(value)
    return float(parse_amounts(pd.Series([value], dtype=object)).iloc[0])


def _where(sheet: str, row: int, col: int, header: Any) -> Where:
    column = column_letter(col - 1) + (f" ({header})" if _filled(header) else "")
    return Where(sheet, row, column)


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip()) and not (
        isinstance(value, float) and value != value)
