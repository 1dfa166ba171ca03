"""The demo workbook: the demo distributor's ledger and Config, planned.

Targets are set from the demo's own base plans so that each manager's gap falls inside the seed's
25-40% of the target, as it would for a well-set plan.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from .demo_data import DemoData, make_demo
from .inputs.config import Config
from .inputs.ledger import ledger_from_frame
from .method.plan import plan_month
from .months import current_month, month_label
from .outputs.input_tabs import write_config_tab, write_sales_tab
from .outputs.tabs import new_book

#: The shipped salesplan.xlsm is built for a fixed month so that it can be rebuilt byte-comparably.
SHIPPED_MONTH = "2026-11"


def demo_config(data: DemoData, month: str, seed: int = 7) -> Config:
    """Config for the demo: default parameters, the plan month, owners, and targets with a 26-38% gap."""
    config = Config().with_params(plan_month=month)
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


def vba_project_bin() -> bytes:
    """The VBA project of xlwings' standalone workbook (the xlwings module, no add-in needed)."""
    import xlwings

    template = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(template) as z:
        return z.read("xl/vbaProject.bin")


def write_input_workbook(path: Path, data: DemoData, config: Config, lang: str = "ru") -> None:
    """A new workbook with the Sales and Config tabs (and the VBA project when ``path`` is .xlsm)."""
    book = new_book(path)
    if path.suffix.lower() == ".xlsm":
        with tempfile.TemporaryDirectory() as scratch:
            vba = Path(scratch) / "vbaProject.bin"
            vba.write_bytes(vba_project_bin())
            book.add_vba_project(str(vba))
            book.set_vba_name("ThisWorkbook")
            _fill(book, data, config, lang)
            book.close()
        return
    _fill(book, data, config, lang)
    book.close()


def _fill(book, data: DemoData, config: Config, lang: str) -> None:
    write_sales_tab(book, data.ledger, lang)
    write_config_tab(book, config, lang)
    for i, ws in enumerate(book.worksheets()):
        ws.set_vba_name(f"Sheet{i + 1}") if book.vba_project else None


def write_demo(folder: Path, name: str = "salesplan-demo.xlsm", month: str | None = None,
               lang: str = "ru") -> Path:
    """Generate the demo workbook in ``folder`` and plan it; returns its path."""
    from .monthly import build

    month = month or month_label(current_month())
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    data = make_demo(plan_month=month)
    config = demo_config(data, month).with_params(language=lang)
    write_input_workbook(path, data, config, lang)
    build(path, today=dt.date.today(), keep_backups=0)
    return path
