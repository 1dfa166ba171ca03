"""The README's parameter table is generated from params.py and must not drift from it."""

from pathlib import Path

from salesplan.params import markdown_table

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_parameter_table_matches_the_declaration():
    text = README.read_text(encoding="utf-8")
    start, end = text.index("<!-- params:start -->"), text.index("<!-- params:end -->")
    assert text[start:end].split("-->", 1)[1].strip() == markdown_table()


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_command():
    text = README.read_text(encoding="utf-8")
    blocks = [b.split("\n", 1)[1].strip() for b in text.split("```bash")[1:3]]
    assert blocks[0].startswith("python3 -m venv .venv && ")  # a stock Debian Python refuses pip outside a venv
    assert ".venv/bin/salesplan plan salesplan.xlsm" in blocks[0]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].split("```")[0].strip() in ci


def test_ci_runs_the_test_command_as_ci_with_the_slow_tests():
    """.ci/run sets CI (a missing LibreOffice then fails the tests marked libreoffice, conftest.py)
    before the README's test command, and selects no markers away: the slow tests run too."""
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    command = ci.index("python -m pytest")
    assert 'export CI="${CI:-true}"' in ci[:command]
    assert " -m " not in ci[command + len("python -m pytest"):].splitlines()[0]
