"""Hostile paths and hostile moments: every output that would destroy an input, every file name that
could confuse one workbook's backups or temporaries with another's, a symbolic link, a save by
another program while the plan is built, a full disk, a closed pipe, a planted link at the error log.

Each case ends in exit code 2 with a message naming the thing (or 0 with a true message), and where
nothing may be written the folder is byte for byte as it was.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import pytest

from salesplan import errorlog, excel, monthly
from salesplan.cli import main
from salesplan.outputs import workbook as safe_save
from salesplan.outputs.instruments import template_path
from workbooks import make_workbook, simple_sales

TARGETS = {"Иванов": 150000, "Петров": 100000}


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, object]:
    """Every file and link under ``folder``: its bytes, or where it points."""
    found: dict[str, object] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            key = str(path.relative_to(folder))
            if path.is_symlink():
                found[key] = ("link", os.readlink(path))
            elif path.is_file():
                found[key] = digest(path)
            else:
                found[key] = "folder"
    return found


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory, monkeypatch):
    """An internal error's log goes to a cache folder of the test's own, not the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def book(tmp_path):
    return make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets=TARGETS)


@pytest.fixture
def no_build(monkeypatch):
    """A refusal must come before the build: reading the inputs is then an error of the test."""
    def started(*args, **kwargs):
        raise AssertionError("the build started before the outputs were checked")

    monkeypatch.setattr(monthly, "read_workbook_inputs", started)


def refused(capsys, argv: list[str], folder: Path, *fragments: str) -> str:
    """Run ``argv``: exit code 2, every fragment in the message, nothing in ``folder`` changed."""
    before = snapshot(folder)
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    assert "Внутренняя ошибка" not in err
    assert snapshot(folder) == before
    return err


def plan_tab(path: Path) -> bool:
    return "План" in openpyxl.load_workbook(path, keep_vba=True).sheetnames


# --- 1. an output naming an input ---------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["same", "dotdot", "symlink", "hardlink"])
def test_json_naming_the_workbook_never_overwrites_it(book, tmp_path, capsys, no_build, spelling):
    (tmp_path / "sub").mkdir()
    if spelling == "same":
        json = book
    elif spelling == "dotdot":
        json = tmp_path / "sub" / ".." / book.name
    elif spelling == "symlink":
        json = tmp_path / "sub" / "plan.json"
        json.symlink_to(book)
    else:
        json = tmp_path / "sub" / "plan.json"
        os.link(book, json)
    refused(capsys, ["plan", str(book), "--json", str(json)], tmp_path, "--json", "это сама книга", book.name,
            "Ничего не записано")


def test_json_naming_the_out_workbook_is_refused(book, tmp_path, capsys, no_build):
    out = tmp_path / "copy.xlsm"
    refused(capsys, ["plan", str(book), "--out", str(out), "--json", str(out)], tmp_path,
            "--json", "один и тот же файл", "copy.xlsm")


@pytest.mark.parametrize("option", ["--out", "--json"])
@pytest.mark.parametrize("input_option", ["--sales", "--targets"])
def test_outputs_naming_the_sales_or_targets_file_never_overwrite_it(book, tmp_path, capsys, no_build,
                                                                      option, input_option):
    source = tmp_path / "input.csv"
    source.write_text("Manager,Target\nИванов,150000\n", encoding="utf-8")
    refused(capsys, ["plan", str(book), input_option, str(source), option, str(source)], tmp_path,
            option, input_option, "входной файл", "input.csv")


@pytest.mark.parametrize("option", ["--out", "--json"])
def test_outputs_naming_a_template_in_use_never_overwrite_it(book, tmp_path, capsys, no_build, option):
    templates = tmp_path / "templates"
    templates.mkdir()
    restyled = templates / "instrument1.xlsx"
    shutil.copyfile(template_path("instrument1.xlsx"), restyled)
    refused(capsys, ["plan", str(book), option, str(restyled)], tmp_path, option, "шаблон", "instrument1.xlsx")


def test_out_naming_a_folder_is_refused_before_the_build(book, tmp_path, capsys, no_build):
    folder = tmp_path / "plans"
    folder.mkdir()
    for spelling in (str(folder), str(folder) + os.sep):
        refused(capsys, ["plan", str(book), "--out", spelling], tmp_path, "--out", "это папка",
                str(folder / book.name))


def test_json_naming_a_folder_is_refused_before_the_build(book, tmp_path, capsys, no_build):
    refused(capsys, ["plan", str(book), "--json", str(tmp_path)], tmp_path, "--json", "это папка", "plan.json")


@pytest.mark.parametrize("option, name", [("--out", "copy.xlsm"), ("--json", "plan.json")])
def test_outputs_in_a_missing_folder_are_refused_before_the_build(book, tmp_path, capsys, no_build, option, name):
    refused(capsys, ["plan", str(book), option, str(tmp_path / "nowhere" / name)], tmp_path,
            option, "папки", "nowhere")


def test_pdf_out_naming_a_file_is_refused_before_the_build(book, tmp_path, capsys, no_build):
    notes = tmp_path / "notes.txt"
    notes.write_text("не трогать", encoding="utf-8")
    for target in (notes, book):
        refused(capsys, ["pdf", str(book), "--out", str(target)], tmp_path, "--out", "это файл", "нужна папка",
                target.name)


def test_same_file_ignores_case_where_the_disk_does(tmp_path, monkeypatch):
    a, b = tmp_path / "Plan.json", tmp_path / "PLAN.JSON"  # neither exists: the names decide
    monkeypatch.setattr(sys, "platform", "linux")
    assert not safe_save.same_file(a, b)
    for platform in ("darwin", "win32"):
        monkeypatch.setattr(sys, "platform", platform)
        assert safe_save.same_file(a, b)


# --- 2. the suffix says what the file is --------------------------------------------------------------


@pytest.mark.parametrize("source, out, suggestion", [("plan.xlsm", "copy.xlsx", "copy.xlsm"),
                                                     ("plan.xlsm", "copy", "copy.xlsm"),
                                                     ("plan.xlsx", "copy.xlsm", "copy.xlsx")])
def test_out_with_another_suffix_than_the_workbook_is_refused(tmp_path, capsys, no_build, source, out, suggestion):
    workbook = make_workbook(tmp_path / source, simple_sales(), targets=TARGETS)
    refused(capsys, ["plan", str(workbook), "--out", str(tmp_path / out)], tmp_path,
            "--out", Path(source).suffix, str(tmp_path / suggestion))


def test_out_with_the_workbooks_suffix_in_capitals_is_planned(book, tmp_path):
    out = tmp_path / "copy.XLSM"
    assert main(["plan", str(book), "--out", str(out)]) == 0
    assert plan_tab(out)


# --- 3. a symbolic link stays a link ------------------------------------------------------------------


def test_a_workbook_given_as_a_symlink_is_planned_in_its_target_and_stays_a_link(tmp_path, capsys):
    (tmp_path / "share").mkdir()
    real = make_workbook(tmp_path / "share" / "plan.xlsm", simple_sales(), targets=TARGETS)
    os.chmod(real, 0o640)
    link = tmp_path / "desk" / "План.xlsm"
    link.parent.mkdir()
    link.symlink_to(Path("..") / "share" / "plan.xlsm")
    assert main(["plan", str(link)]) == 0, capsys.readouterr().err
    assert link.is_symlink() and os.readlink(link) == str(Path("..") / "share" / "plan.xlsm")
    assert plan_tab(real)
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    backups = list((tmp_path / "share" / "salesplan-backups").iterdir())
    assert [b.name.startswith("plan.xlsm.") for b in backups] == [True]
    assert sorted(p.name for p in link.parent.iterdir()) == ["План.xlsm"]  # nothing left beside the link
    assert sorted(p.name for p in real.parent.iterdir()) == ["plan.xlsm", "salesplan-backups"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_the_planned_workbook_keeps_its_mode_and_owner(book):
    os.chown(book, 4321, 4322)
    os.chmod(book, 0o604)
    assert main(["plan", str(book)]) == 0
    st = book.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (4321, 4322, 0o604)
    assert plan_tab(book)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_an_owner_that_cannot_be_given_back_does_not_stop_the_plan(book, monkeypatch):
    os.chown(book, 4321, 4322)
    os.chmod(book, 0o640)
    tried = []

    def refuse(path, uid, gid):
        tried.append((uid, gid))
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "chown", refuse)
    assert main(["plan", str(book)]) == 0
    assert tried == [(4321, 4322), (-1, 4322)]  # the owner and group, then the group alone
    assert stat.S_IMODE(book.stat().st_mode) == 0o640 and plan_tab(book)


# --- 4. backups and temporaries: each workbook's own, by exact name ------------------------------------


def _backups(target: Path, keep: int, times: int) -> list[Path]:
    made = []
    for _ in range(times):
        made.append(safe_save._backup(target, keep))
        time.sleep(0.002)  # the stamp is to the microsecond
    return made


@pytest.mark.parametrize("first, second", [("План.xlsx", "План.v2.xlsx"), ("Sales.xlsx", "Sales.2025.xlsx"),
                                           ("[1].xlsx", "1.xlsx"), ("a.b.xlsm", "a.xlsm")])
def test_backups_of_one_workbook_never_rotate_away_another_workbooks(tmp_path, first, second):
    books = [tmp_path / first, tmp_path / second]
    for path in books:
        path.write_bytes(path.name.encode())
    made: dict[str, list[Path]] = {first: [], second: []}
    for _ in range(3):  # taking turns, as two supervisors planning side by side would
        for path in books:
            made[path.name] += _backups(path, keep=2, times=1)
    folder = tmp_path / "salesplan-backups"
    for path in books:
        mine = sorted(p for p in folder.iterdir() if safe_save.backup_pattern(path).fullmatch(p.name))
        assert mine == made[path.name][-2:], path.name  # its two newest, the one just made among them
        assert all(p.read_bytes() == path.name.encode() for p in mine)
    assert len(list(folder.iterdir())) == 4


def test_backup_rotation_keeps_the_newest_even_for_names_with_glob_characters(tmp_path):
    target = tmp_path / "[1] План (копия).xlsx"
    target.write_bytes(b"x")
    made = _backups(target, keep=2, times=4)
    assert sorted((tmp_path / "salesplan-backups").iterdir()) == made[-2:]


def test_backup_rotation_removes_no_file_it_did_not_write(tmp_path):
    target = tmp_path / "plan.xlsm"
    target.write_bytes(b"x")
    folder = tmp_path / "salesplan-backups"
    folder.mkdir()
    strangers = ["plan.xlsm.notes.xlsm", "plan.20250101-000000-000000.xlsm", "plan.xlsm.2025-01-01.xlsm",
                 "plan.xlsm.20250101-000000-000000.xlsm.bak", "x.plan.xlsm.20250101-000000-000000.xlsm"]
    for name in strangers:
        (folder / name).write_bytes(b"user")
    made = _backups(target, keep=1, times=3)
    assert sorted(p.name for p in folder.iterdir()) == sorted(strangers + [made[-1].name])


def test_planning_two_workbooks_with_nested_names_keeps_each_ones_backups(tmp_path, capsys):
    books = [make_workbook(tmp_path / name, simple_sales(), targets=TARGETS)
             for name in ("Sales.xlsm", "Sales.2025.xlsm")]
    for _ in range(2):
        for path in books:
            assert main(["plan", str(path), "--backups", "1"]) == 0
            kept = capsys.readouterr().out.split("Предыдущая версия сохранена: ")[1].strip()
            assert Path(kept).is_file()
    folder = tmp_path / "salesplan-backups"
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2 and names[0].startswith("Sales.2025.xlsm.") and names[1].startswith("Sales.xlsm.")


def test_a_build_removes_only_its_own_workbooks_stale_temporaries(tmp_path, monkeypatch):
    books = [make_workbook(tmp_path / name, simple_sales(), targets=TARGETS)
             for name in ("Sales.xlsm", "Sales.2025.xlsm")]
    own_stale = [tmp_path / ".~Sales.xlsm.salesplan-ab12cd_3.xlsm",
                 tmp_path / ".~Sales.xlsm.salesplan-ab12cd_3.xlsm.x1y2z3w4.tmp"]  # the splice's, beside it
    others = [tmp_path / ".~Sales.2025.xlsm.salesplan-ab12cd_3.xlsm",  # the other workbook's, in use
              tmp_path / ".~Sales.2025.xlsm.salesplan-lock",
              tmp_path / ".~Sales.xlsm.salesplan-notes.xlsm",           # not a name salesplan makes
              tmp_path / ".~Sales.abcdefgh.xlsm"]
    for path in [*own_stale, *others]:
        path.write_bytes(b"tmp")
    made = []
    real_mkstemp = tempfile.mkstemp

    def recording(*args, **kwargs):
        fd, name = real_mkstemp(*args, **kwargs)
        made.append(Path(name))
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", recording)
    assert main(["plan", str(books[0])]) == 0
    assert not any(p.exists() for p in own_stale)
    assert all(p.read_bytes() == b"tmp" for p in others)
    beside = [p for p in made if p.parent == tmp_path]  # ours, and the splice's beside it
    assert len(beside) == 2
    for path in beside:
        assert safe_save._temporary_pattern(books[0]).fullmatch(path.name), path.name
        assert not safe_save._temporary_pattern(books[1]).fullmatch(path.name), path.name
        assert not path.exists()


# --- 5. a save by another program while the plan is built ---------------------------------------------


@pytest.fixture
def newer(tmp_path):
    """The workbook as another program saved it meanwhile: other sales, other bytes."""
    (tmp_path / "elsewhere").mkdir()
    return make_workbook(tmp_path / "elsewhere" / "newer.xlsm", simple_sales()[:5], targets={"Иванов": 1})


def _save_over(newer: Path, book: Path) -> None:
    shutil.copyfile(newer, book)
    later = book.stat().st_mtime_ns + 2_000_000_000  # a clock that ticks coarsely still shows it
    os.utime(book, ns=(later, later))


@pytest.fixture
def saved_while_rendering(book, newer, monkeypatch):
    """Another program saves ``newer`` over the workbook while the tabs render."""
    real_render = monthly.render

    def render_while_excel_saves(*args, **kwargs):
        names = real_render(*args, **kwargs)
        _save_over(newer, book)
        return names

    monkeypatch.setattr(monthly, "render", render_while_excel_saves)


def test_a_save_by_another_program_during_the_build_is_never_overwritten(book, tmp_path, newer, capsys,
                                                                         saved_while_rendering):
    assert main(["plan", str(book)]) == 2
    err = capsys.readouterr().err
    assert "изменилась во время построения" in err and "Постройте ещё раз" in err and book.name in err, err
    assert digest(book) == digest(newer)  # the newer save stands
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere", "plan.xlsm"]  # no backup, temp or lock


def test_a_save_once_the_head_start_began_reading_is_caught(book, tmp_path, newer, capsys, monkeypatch):
    from salesplan import cli

    real_head_start = cli.head_start

    def saved_while_reading(workbook, sales=None):
        _save_over(newer, book)
        return real_head_start(workbook, sales)

    monkeypatch.setattr(cli, "head_start", saved_while_reading)
    assert main(["plan", str(book)]) == 2
    assert "изменилась во время построения" in capsys.readouterr().err
    assert digest(book) == digest(newer)


def test_a_save_of_the_workbook_while_planning_into_another_file_keeps_both(book, tmp_path, newer,
                                                                            saved_while_rendering):
    out = tmp_path / "copy.xlsm"
    assert main(["plan", str(book), "--out", str(out)]) == 0  # nothing is lost: the workbook is not replaced
    assert digest(book) == digest(newer) and plan_tab(out)


# --- 6. every failure a message ------------------------------------------------------------------------


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_temporary_folder_is_a_message_and_the_workbook_is_unchanged(book, tmp_path, capsys, monkeypatch):
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp(suffix=None, prefix=None, dir=None):
        if prefix and prefix.startswith("salesplan-") and prefix.endswith("-save-"):  # the rendered tabs' folder
            _no_space()
        return real_mkdtemp(suffix, prefix, dir)

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    refused(capsys, ["plan", str(book)], tmp_path, "Не удалось создать временные файлы", os.strerror(errno.ENOSPC),
            "Исходный файл не изменён")


def test_a_full_temporary_folder_when_printing_pdfs_is_a_message(book, tmp_path, capsys, monkeypatch):
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp(suffix=None, prefix=None, dir=None):
        if prefix and prefix.startswith("salesplan-") and prefix.endswith("-pdf-"):
            _no_space()
        return real_mkdtemp(suffix, prefix, dir)

    assert main(["plan", str(book), "--backups", "0"]) == 0  # its №1/№2 sheets are what is printed
    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    assert main(["pdf", str(book), "--out", str(tmp_path / "pdf")]) == 2
    err = capsys.readouterr().err
    assert "Не удалось создать временные файлы" in err and "Внутренняя ошибка" not in err, err


def test_a_full_disk_while_the_tabs_render_is_a_message(book, tmp_path, capsys, monkeypatch):
    from xlsxwriter.exceptions import FileCreateError

    def render(*args, **kwargs):
        raise FileCreateError(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))  # as XlsxWriter wraps it

    monkeypatch.setattr(monthly, "render", render)
    refused(capsys, ["plan", str(book)], tmp_path, "Не удалось создать временные файлы", "Исходный файл не изменён")


def test_a_full_disk_beside_the_workbook_is_a_message(book, tmp_path, capsys, monkeypatch):
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        if Path(kwargs.get("dir") or tempfile.gettempdir()) == tmp_path:
            _no_space()
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    refused(capsys, ["plan", str(book)], tmp_path, "Не удалось записать", book.name, os.strerror(errno.ENOSPC))


def test_a_full_disk_for_the_backup_is_a_message_and_leaves_no_partial_copy(book, tmp_path, capsys, monkeypatch):
    def no_link(*args, **kwargs):
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    def half_a_copy(source, dest, **kwargs):
        Path(dest).write_bytes(Path(source).read_bytes()[:100])
        _no_space()

    monkeypatch.setattr(os, "link", no_link)
    monkeypatch.setattr(shutil, "copy2", half_a_copy)
    before = digest(book)
    assert main(["plan", str(book)]) == 2
    err = capsys.readouterr().err
    assert "Не удалось сохранить предыдущую версию" in err and "--backups 0" in err, err
    assert digest(book) == before
    assert list((tmp_path / "salesplan-backups").iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsm", "salesplan-backups"]


class ClosedPipe:
    """stdout whose reader has gone (``salesplan plan … --json - | head -1``): what is written is
    buffered, and the flush of a buffer with something in it meets the closed pipe."""

    def __init__(self):
        self.buffered = ""

    def write(self, text):
        self.buffered += text
        return len(text)

    def flush(self):
        if self.buffered:
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


def test_a_closed_stdout_pipe_after_the_write_says_the_plan_was_written(book, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["plan", str(book), "--json", "-"]) == 0
    err = capsys.readouterr().err
    assert "план записан" in err and book.name in err, err
    assert "не изменён" not in err and "Внутренняя ошибка" not in err
    assert plan_tab(book)


def test_a_closed_pipe_in_a_real_pipeline_says_the_plan_was_written(book):
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.Popen([sys.executable, "-m", "salesplan", "plan", str(book), "--json", "-"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=buffered)
    proc.stdout.close()  # the reader is gone before the first line: every write meets a closed pipe
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 0, err
    assert "план записан" in err and "не изменён" not in err and "Traceback" not in err, err
    assert plan_tab(book)


def test_an_internal_error_after_the_write_does_not_say_the_file_is_unchanged(book, capsys, monkeypatch,
                                                                               tmp_path):
    from salesplan import months

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def broken(*args, **kwargs):
        raise RuntimeError("after the write")

    monkeypatch.setattr(months, "month_label", broken)
    assert main(["plan", str(book)]) == 3
    err = capsys.readouterr().err
    assert "после записи: план записан" in err and "не изменён" not in err, err
    assert str(tmp_path / "cache" / "salesplan" / "salesplan-error.log") in err
    assert plan_tab(book)


# --- 7. the error log ---------------------------------------------------------------------------------


def _internal_error(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(monthly, "plan", broken)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and modes as on POSIX")
@pytest.mark.parametrize("victim_exists", [True, False])
def test_the_error_log_is_private_and_never_follows_a_planted_link(book, tmp_path, capsys, monkeypatch,
                                                                   victim_exists):
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    (cache / "salesplan").mkdir(parents=True, mode=0o755)
    victim = tmp_path / "victim.txt"
    if victim_exists:
        victim.write_text("чужой файл", encoding="utf-8")
    log = cache / "salesplan" / "salesplan-error.log"
    log.symlink_to(victim)
    _internal_error(monkeypatch)
    before = digest(book)
    assert main(["plan", str(book)]) == 3
    err = capsys.readouterr().err
    assert "Внутренняя ошибка" in err and str(log) in err and "не изменён" in err, err
    assert digest(book) == before
    assert (victim.read_text(encoding="utf-8") == "чужой файл") if victim_exists else not victim.exists()
    assert not log.is_symlink() and "RuntimeError: a bug of ours" in log.read_text(encoding="utf-8")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700


@pytest.mark.skipif(sys.platform == "win32", reason="modes as on POSIX")
def test_the_error_log_is_per_user_in_the_cache_folder_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    old = tmp_path / "home" / ".cache" / "salesplan" / "salesplan-error.log"
    old.parent.mkdir(parents=True)
    old.write_text("PREVIOUS LOG, world-readable")
    old.chmod(0o644)
    try:
        raise ValueError("logged")
    except ValueError:
        path = errorlog.write_error_log()
    assert path == old
    assert "ValueError: logged" in old.read_text() and "PREVIOUS LOG" not in old.read_text()
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # the spec: only an absolute path counts
    assert errorlog.log_folder() == tmp_path / "home" / ".cache" / "salesplan"


def test_the_error_log_on_windows_is_under_localappdata(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert errorlog.log_folder() == tmp_path / "Local" / "salesplan"


@pytest.mark.skipif(sys.platform == "win32", reason="modes as on POSIX")
def test_without_a_writable_cache_the_log_is_a_fresh_private_temporary_file(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    path = errorlog.write_error_log("the details")
    assert path is not None and path.parent == tmp_path / "tmp" and path.name.startswith("salesplan-error-")
    assert path.read_text().endswith("the details") and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_excel_buttons_write_the_same_private_log(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "cache"))

    class Session:
        messages: list[str] = []

        def message(self, text, title):
            self.messages.append(text)

        def status(self, text):
            pass

    def broken(session):
        raise RuntimeError("a bug behind a button")

    session = Session()
    excel._run(session, broken)
    log = errorlog.log_folder() / "salesplan-error.log"
    assert session.messages == [f"Внутренняя ошибка salesplan. Книга не изменена. Подробности: {log}"]
    assert "RuntimeError: a bug behind a button" in log.read_text(encoding="utf-8")


# --- the PDFs: a part file of their own ---------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and modes as on POSIX")
def test_a_pdf_is_written_through_a_part_file_of_its_own_never_through_a_planted_link(tmp_path, monkeypatch):
    from salesplan.outputs import pdf

    def libreoffice(command, timeout, xlsx):  # writes what LibreOffice would: <outdir>/<source stem>.pdf
        outdir = Path(command[command.index("--outdir") + 1])
        outdir.mkdir()
        for source in command[command.index("--outdir") + 2:]:
            (outdir / (Path(source).stem + ".pdf")).write_bytes(b"%PDF-1.7 printed")
        return ""

    monkeypatch.setattr(pdf, "soffice_path", lambda: "soffice")
    monkeypatch.setattr(pdf, "_run", libreoffice)
    book = tmp_path / "Иванов.xlsx"
    book.write_bytes(b"xlsx")
    out = tmp_path / "pdf"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("чужой файл", encoding="utf-8")
    (out / "Иванов.pdf.part").symlink_to(victim)  # the fixed name the part file once had
    assert pdf.workbooks_to_pdf([book], out) == [out / "Иванов.pdf"]
    assert (out / "Иванов.pdf").read_bytes() == b"%PDF-1.7 printed"
    assert victim.read_text(encoding="utf-8") == "чужой файл"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((out / "Иванов.pdf").stat().st_mode) == 0o666 & ~umask
    assert sorted(p.name for p in out.iterdir()) == ["Иванов.pdf", "Иванов.pdf.part"]  # the planted link stays
