"""The CLI's progress bar: on a terminal it follows the steps; piped, nothing but the result."""

import io
import logging
import time

import pytest

from salesplan import cli
from salesplan.cli import PROGRESS_LOG, ProgressBar, progress_bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_follows_the_steps_and_clears_its_line():
    screen = Terminal()
    log = logging.getLogger(PROGRESS_LOG)
    with progress_bar(screen, "en"):
        log.info("read", extra={"sheet": "Продажи", "size": 10_000_000})
        time.sleep(0.25)
        log.info("plan", extra={"rows": 1_000_000})
        log.info("render")
        log.info("write", extra={"size": 10_000_000})
    text = screen.getvalue()
    for label in ("reading «Продажи»", "planning", "plan tabs", "writing the workbook"):
        assert label in text
    assert text.endswith("\r") and text.rstrip("\r").split("\r")[-1].strip() == ""  # the last thing: a cleared line
    assert not log.handlers and log.level == logging.NOTSET and log.propagate  # left as found


def test_the_bar_never_goes_back_and_stays_within_its_step():
    bar = ProgressBar(Terminal(), "ru")
    try:
        seen = []
        for step in ("read", "plan", "read", "render", "write"):  # a second sheet read later
            bar.handle(logging.LogRecord(PROGRESS_LOG, logging.INFO, "", 0, step, None, None))
            seen.append(bar.fraction())
        assert seen == sorted(seen) and 0 <= seen[0] and seen[-1] <= 1
        assert cli.STEPS["write"][0] <= seen[-1]
    finally:
        bar.close()


def test_piped_output_gets_no_bar():
    piped = io.StringIO()
    log = logging.getLogger(PROGRESS_LOG)
    with progress_bar(piped, "ru"):
        log.info("read", extra={"sheet": "Продажи", "size": 1})
        assert not log.isEnabledFor(logging.INFO)  # nobody listens: the readers do not even format it
    assert piped.getvalue() == ""


@pytest.mark.slow
def test_plan_command_piped_prints_only_its_lines(demo_copy, tmp_path, capfd):
    book = demo_copy("demo.xlsm")
    capfd.readouterr()
    assert cli.main(["plan", str(book), "--out", str(tmp_path / "out.xlsm"), "--backups", "0"]) == 0
    out, err = capfd.readouterr()
    assert err == "" and "█" not in out and "\r" not in out
