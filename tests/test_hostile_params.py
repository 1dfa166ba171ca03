"""Parameters that are numbers only in name — nan, inf, -inf, 1e999 — are refused with the allowed range
(exit code 2, the workbook untouched) when they come from the command line (``--set``, a target's
share in ``--targets``); on the Config tab they are a Problem naming the cell, and the plan is made
with the default. Never a plan of NaNs, never «Внутренняя ошибка»."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pytest

from salesplan.cli import main
from salesplan.errors import InputError
from salesplan.params import PARAMS, coerce
from workbooks import make_workbook, simple_sales

NUMERIC = [p for p in PARAMS if p.kind in {"int", "float", "share", "money"}]
NOT_FINITE = ["nan", "NaN", "inf", "-inf", "+Infinity", "1e999", float("nan"), float("inf"), float("-inf")]


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def book(tmp_path):
    return make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets={"Иванов": 150000, "Петров": 100000})


@pytest.mark.parametrize("raw", NOT_FINITE, ids=repr)
@pytest.mark.parametrize("param", NUMERIC, ids=lambda p: p.key)
def test_no_numeric_parameter_takes_a_value_that_is_not_a_finite_number(param, raw):
    with pytest.raises(InputError) as caught:
        coerce(param.key, raw, where="--set " + param.key)
    assert caught.value.key == "param_range"
    message = caught.value.text("ru")
    assert param.key in message and param.allowed() in message  # names the parameter and what it may be


@pytest.mark.parametrize("setting", ["existing_share=nan", "funnel_rate=inf", "window_months=-inf",
                                     "min_monthly_potential=1e999", "offer_multiplier=NaN"])
def test_set_with_a_value_that_is_not_a_finite_number_stops_with_the_allowed_range(book, capsys, setting):
    before = digest(book)
    key = setting.split("=")[0]
    assert main(["plan", str(book), "--set", setting]) == 2
    err = capsys.readouterr().err
    assert f"--set {key}" in err and "вне допустимого" in err, err
    assert "Внутренняя ошибка" not in err
    assert digest(book) == before
    assert not (book.parent / "salesplan-backups").exists()


def _edit(book: Path, edit) -> None:
    wb = openpyxl.load_workbook(book, keep_vba=True)
    edit(wb["Настройки"])
    wb.save(book)


def test_existing_share_nan_on_the_config_tab_is_a_problem_with_the_cell_named(book, tmp_path):
    def nan_share(ws):
        row = next(c.row for c in ws["A"] if c.value == "existing_share")
        ws.cell(row, 3).value = "nan"

    _edit(book, nan_share)
    before = digest(book)
    out, js = tmp_path / "out.xlsm", tmp_path / "plan.json"
    assert main(["plan", str(book), "--out", str(out), "--json", str(js)]) == 0  # planned with the default
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["parameters"]["existing_share"] == 0.5
    [problem] = [p for p in data["problems"] if "existing_share" in p["message"]]
    assert problem["sheet"] == "Настройки" and problem["row"] and problem["column"] == "Значение"
    assert "0 … 1" in problem["message"] and "по умолчанию: 50%" in problem["message"]
    assert digest(book) == before


def test_a_managers_share_nan_on_the_config_tab_is_a_problem_with_the_cell_named(book, tmp_path):
    def nan_share(ws):
        header = next(c for row in ws.iter_rows(max_row=10) for c in row if c.value == "Доля 3А (необяз.)")
        row = next(c.row for c in ws["O"] if c.value == "Иванов")
        ws.cell(row, header.column).value = "nan"

    _edit(book, nan_share)
    before = digest(book)
    out, js = tmp_path / "out.xlsm", tmp_path / "plan.json"
    assert main(["plan", str(book), "--out", str(out), "--json", str(js)]) == 0
    data = json.loads(js.read_text(encoding="utf-8"))
    [problem] = [p for p in data["problems"] if "доля «nan»" in p["message"]]
    assert problem["sheet"] == "Настройки" and problem["column"] == "Доля 3А (необяз.)"
    assert "от 0 до 1" in problem["message"]
    ivanov = next(m for m in data["managers"] if m["manager"] == "Иванов")
    assert ivanov["existing_clients_plan"] == pytest.approx(ivanov["gap"] * 0.5)  # the Config share
    assert digest(book) == before


def test_a_managers_share_inf_in_the_targets_file_stops_with_the_row_named(book, tmp_path, capsys):
    targets = tmp_path / "targets.csv"
    targets.write_text("Manager,Target,Existing share (optional)\nИванов,150000,inf\n", encoding="utf-8")
    before = digest(book), digest(targets)
    assert main(["plan", str(book), "--targets", str(targets)]) == 2
    err = capsys.readouterr().err
    assert "доля «inf»" in err and "строка 2" in err, err
    assert (digest(book), digest(targets)) == before
