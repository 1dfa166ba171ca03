"""Work beside the build: a forked child on Linux, in place elsewhere; same results either way."""

import datetime as dt
import os
import signal
import time
import zipfile
from pathlib import Path

import pytest

from salesplan import beside
from salesplan.beside import Beside, Either
from salesplan.errors import InputError
from salesplan.monthly import build

pytestmark = pytest.mark.skipif(not beside.can_fork(), reason="forks only on Linux with two cores")


def test_the_work_runs_in_a_child_and_its_result_comes_back():
    parent = os.getpid()
    with Beside(lambda: (os.getpid(), {"figures": [1.5, 2.5]})) as job:
        pid, value = job.result()
    assert pid != parent and value == {"figures": [1.5, 2.5]}


def test_an_error_in_the_child_is_raised_in_the_parent_with_its_message():
    def fails():
        raise InputError("err.no_file", path="продажи.xlsx")

    with Beside(fails) as job, pytest.raises(InputError) as raised:
        job.result()
    assert raised.value.key == "err.no_file" and "продажи.xlsx" in raised.value.text("ru")


def test_a_result_that_cannot_be_handed_over_becomes_an_error_naming_it():
    with Beside(lambda: (lambda: None)) as job, pytest.raises(RuntimeError, match="function"):
        job.result()


def test_a_child_that_dies_is_replaced_by_doing_the_work_in_place():
    parent = os.getpid()

    def work():
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        return "done here"

    with Beside(work) as job:
        assert job.result() == "done here"


def test_leaving_the_block_without_the_result_stops_the_child():
    with Beside(lambda: time.sleep(60)) as job:
        process = job._process
        assert process.is_alive()
    began = time.monotonic()
    process.join(5)
    assert not process.is_alive() and time.monotonic() - began < 5


def test_the_switch_runs_the_work_in_place(monkeypatch):
    monkeypatch.setenv(beside.ENVIRONMENT_SWITCH, "0")
    with Beside(os.getpid) as job:
        assert job.result() == os.getpid()


def test_work_either_side_may_do_goes_to_the_first_that_asks_and_to_it_alone():
    child_first = Either()
    with Beside(child_first.take) as job:
        assert job.result() is True
    assert child_first.take() is False

    parent_first = Either()
    assert parent_first.take() is True
    with Beside(parent_first.take) as job:
        assert job.result() is False


def test_work_either_side_may_do_in_place_is_done_once(monkeypatch):
    monkeypatch.setenv(beside.ENVIRONMENT_SWITCH, "0")
    either = Either()
    assert [either.take(), either.take(), either.take()] == [True, False, False]


@pytest.mark.slow
@pytest.mark.parametrize("slow", ["instrument1", "new_client_lists"])
def test_a_build_with_the_instruments_made_beside_equals_one_made_in_a_single_process(tmp_path, monkeypatch, slow):
    """Whichever process does Instrument #2 (the one free first: ``slow`` holds up the other), the
    workbook is byte for byte the one a single process makes."""
    import dataclasses

    import pandas as pd

    from salesplan import monthly
    from salesplan.demo import demo_config, write_input_workbook
    from salesplan.demo_data import make_demo

    source = tmp_path / "book.xlsm"
    data = make_demo("2026-11", scale=0.3)
    data = dataclasses.replace(data, ledger=pd.concat([data.ledger, data.ledger.iloc[[5, 9]]], ignore_index=True))
    write_input_workbook(source, data, demo_config(data, "2026-11"), "ru", "2026-11")
    built, today = dt.datetime(2026, 11, 10, 9, 0), dt.date(2026, 11, 10)
    done_by = tmp_path / "instrument2.pids"
    module = monthly.longlist if slow == "new_client_lists" else monthly.instrument_content
    instrument2, held_up = monthly.instrument_content.instrument2, getattr(module, slow)

    def slowly(*args, **kwargs):
        time.sleep(1.5)
        return held_up(*args, **kwargs)

    def noting_who(*args, **kwargs):
        with done_by.open("a") as pids:
            pids.write(f"{os.getpid()}\n")
        return instrument2(*args, **kwargs)

    monkeypatch.setattr(monthly.instrument_content, "instrument2", noting_who)
    monkeypatch.setattr(module, slow, slowly)
    outputs = {}
    for switch in ("1", "0"):
        monkeypatch.setenv(beside.ENVIRONMENT_SWITCH, switch)
        out = tmp_path / f"planned-{switch}.xlsm"
        done_by.unlink(missing_ok=True)
        result = build(source, out=out, built=built, today=today, keep_backups=0)
        pids = done_by.read_text().split()
        assert len(pids) == 1  # done once, by one of the two
        if switch == "1":  # by the process that was not held up
            assert (pids[0] == str(os.getpid())) == (slow == "new_client_lists")
        assert any(name.startswith("№1") for name in result.tabs)
        assert len([p for p in result.problems if p.key == "prob.duplicate_row"]) == 2  # the two repeated rows
        with zipfile.ZipFile(out) as package:
            outputs[switch] = {n: package.read(n) for n in package.namelist()}
    assert outputs["1"] == outputs["0"]


def test_a_child_dies_with_its_parent_killed_mid_build(tmp_path):
    """``kill -9`` of a build leaves no worker running on alone."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = ("import sys, time\n"
              "from salesplan.beside import Beside\n"
              "with Beside(lambda: time.sleep(60)) as job:\n"
              "    print(job._process.pid, flush=True)\n"
              "    time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    os.kill(child, 0)  # running
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        # A child of a dead parent is a zombie until its new parent reaps it: look at its state.
        try:
            state = open(f"/proc/{child}/stat").read().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return
        if state == "Z":
            return
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    raise AssertionError("the worker outlived its parent")


def test_scratch_folders_of_a_killed_build_are_removed_by_the_next_run(tmp_path):
    """``kill -9`` leaves a scratch folder behind; the next run removes it, and never one of a live
    process, another program's folder or a link."""
    import os
    import subprocess
    import sys

    from salesplan.scratch import remove_stale, scratch_folder

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = tmp_path / f"salesplan-{int(dead.stdout)}-render-abc"
    (gone / "inner").mkdir(parents=True)
    live = tmp_path / f"salesplan-{os.getppid()}-render-def"
    live.mkdir()
    other = tmp_path / "salesplan-backups"
    other.mkdir()
    link = tmp_path / f"salesplan-{int(dead.stdout)}-pdf-ghi"
    link.symlink_to(other)
    assert remove_stale(tmp_path) == [gone]
    assert not gone.exists() and live.exists() and other.exists() and link.is_symlink()
    with scratch_folder("render") as mine:
        assert mine.name.startswith(f"salesplan-{os.getpid()}-render-")
        assert remove_stale(mine.parent) == [] or mine.exists()
    assert not mine.exists()


def test_a_scratch_folder_for_much_writing_is_made_in_memory_when_there_is_room(tmp_path, monkeypatch):
    """The split read's parts go to Linux's file system in memory when it has room for them; to the
    temporary folder when it has not, or where there is none; a killed run's folder there is removed
    by the next run like one in the temporary folder."""
    import os
    import subprocess
    import sys
    import tempfile

    from salesplan import scratch

    memory = tmp_path / "shm"
    memory.mkdir()
    monkeypatch.setattr(scratch, "MEMORY_FOLDER", memory)
    monkeypatch.setattr(sys, "platform", "linux")
    with scratch.scratch_folder("read", memory_for=1 << 20) as folder:
        # tmp_path's disk stands in for the memory folder: room for 2 MB, and the machine has 4 MB
        assert folder.parent == memory
    assert not folder.exists()
    with scratch.scratch_folder("read") as folder:  # nothing said about its size: the usual place
        assert folder.parent == Path(tempfile.gettempdir())
    with scratch.scratch_folder("read", memory_for=1 << 60) as folder:  # no room
        assert folder.parent == Path(tempfile.gettempdir())
    monkeypatch.setattr(scratch, "MEMORY_FOLDER", tmp_path / "none")
    with scratch.scratch_folder("read", memory_for=1 << 20) as folder:
        assert folder.parent == Path(tempfile.gettempdir())

    monkeypatch.setattr(scratch, "MEMORY_FOLDER", memory)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = memory / f"salesplan-{int(dead.stdout)}-read-abc"
    gone.mkdir()
    live = memory / f"salesplan-{os.getpid()}-read-def"
    live.mkdir()
    assert gone in scratch.remove_stale()
    assert not gone.exists() and live.exists()
