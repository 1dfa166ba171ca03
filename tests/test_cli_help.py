"""The command line's help and argparse's own messages speak the user's language: Russian by
default, English with ``--lang en`` (before the command) or ``SALESPLAN_LANG=en``."""

from __future__ import annotations

import argparse
import re

import pytest

from salesplan import cli

ENGLISH_WORDS = ("usage:", "options:", "positional arguments", "show this help", "the following arguments",
                 "error:", "default:")


def help_text(capsys, argv: list[str]) -> str:
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.fixture(autouse=True)
def no_language_variable(monkeypatch):
    monkeypatch.delenv("SALESPLAN_LANG", raising=False)


def test_the_main_help_is_russian_by_default_and_names_every_command(capsys):
    text = help_text(capsys, ["--help"])
    assert text.startswith("использование: salesplan")
    assert "команды:" in text and "параметры:" in text
    for command in cli.COMMANDS:
        assert re.search(rf"^\s+{re.escape(command)}\b", text, re.M), command
    assert "salesplan new МОЯ.xlsm" in text  # where a new company starts
    assert not [w for w in ENGLISH_WORDS if w in text]


@pytest.mark.parametrize("command", cli.COMMANDS)
def test_every_commands_help_is_russian_and_every_argument_is_explained(capsys, command):
    text = help_text(capsys, [command, "--help"])
    assert text.startswith(f"использование: salesplan {command}")
    assert not [w for w in ENGLISH_WORDS if w in text], text
    assert not re.search(r"[A-Za-z]{4,} (the|a|of|to|from) ", text), text  # no English sentence left
    parser = cli._parser("ru")
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    assert all(action.help for action in sub._actions), command


def test_english_with_the_variable_or_the_option(capsys, monkeypatch):
    text = help_text(capsys, ["--lang", "en", "plan", "--help"])
    assert text.startswith("usage: salesplan plan") and "options:" in text and "WORKBOOK" in text
    assert "показать" not in text
    monkeypatch.setenv("SALESPLAN_LANG", "en")
    text = help_text(capsys, ["--help"])
    assert text.startswith("usage: salesplan") and "commands:" in text
    # The option wins over the variable
    assert help_text(capsys, ["--lang=ru", "--help"]).startswith("использование:")


def test_argparse_errors_speak_russian_and_exit_2(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["plan"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "salesplan plan: ошибка: не хватает обязательных аргументов: КНИГА" in err
    with pytest.raises(SystemExit):
        cli.main(["plan", "x.xlsm", "--backups", "пять"])
    assert "аргумент --backups: неверное значение (int): 'пять'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["--lang", "en", "plan"])
    assert "salesplan plan: error: the following arguments are required: WORKBOOK" in capsys.readouterr().err


def test_argparse_is_left_as_it_was():
    # Its gettext hook is put back: another program's parser in the same Python stays English.
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert argparse._("usage: ") == "usage: "


def test_new_books_language_is_its_own_option(tmp_path, capsys):
    # «new --lang en» makes an English workbook; the terminal stays Russian.
    assert cli.main(["new", str(tmp_path / "book.xlsm"), "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("Новая книга:")
