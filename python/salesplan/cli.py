"""The ``salesplan`` command.

Exit codes: 0 done; 1 ``check`` found a problem that stops the plan, or more Sales rows were
skipped than ``max_skipped_share`` allows (``plan`` still writes the plan, and says why it is too
low); 2 the input or the file cannot be used (the message names sheet, row and column; nothing was
changed); 3 an internal error (details in a log file, never a traceback on the screen).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import math
import os
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .errorlog import write_error_log
from .errors import SalesplanError
from .inputs.early import head_start
from .memory import hold_freed_memory
from .outputs.workbook import file_stamp
from .params import PARAMS
from .texts import t

if TYPE_CHECKING:
    from .monthly import BuildResult

# 2 (bad input) comes with the error itself: SalesplanError.exit_code.
EXIT_OK, EXIT_CHECK_STOPS, EXIT_INTERNAL = 0, 1, 3


#: The subcommands, in the order ``salesplan --help`` lists them.
COMMANDS = ("plan", "check", "backtest", "pdf", "new", "excel-setup", "demo", "build-workbook")

#: argparse's own words (usage, section titles, its error messages) in Russian; argparse looks
#: them up through ``argparse._`` (gettext) each time it prints, see :func:`_argparse_words`.
ARGPARSE_RU = {
    "usage: ": "использование: ",
    "positional arguments": "аргументы",
    "options": "параметры",
    "show this help message and exit": "показать эту справку и выйти",
    "%(prog)s: error: %(message)s\n": "%(prog)s: ошибка: %(message)s\n",
    "the following arguments are required: %s": "не хватает обязательных аргументов: %s",
    "unrecognized arguments: %s": "непонятные аргументы: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "недопустимое значение %(value)r (можно: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "аргумент %(argument_name)s: %(message)s",
    "expected one argument": "нужно одно значение",
    "expected at most one argument": "нужно не больше одного значения",
    "expected at least one argument": "нужно хотя бы одно значение",
    "invalid %(type)s value: %(value)r": "неверное значение (%(type)s): %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "неоднозначный параметр %(option)s: подходят %(matches)s",
    "not allowed with argument %s": "нельзя вместе с %s",
    "ignored explicit argument %r": "лишнее значение %r",
}


@contextlib.contextmanager
def _argparse_words(lang: str) -> Iterator[None]:
    """argparse's own words in ``lang`` while the block runs (it has no other switch for them)."""
    if lang == "en":
        yield
        return
    original = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda text: ARGPARSE_RU.get(text, text)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]


def cli_language(argv: Sequence[str]) -> str:
    """The language of the terminal: ``--lang`` before the subcommand, else ``SALESPLAN_LANG``, else
    Russian. Known before the arguments are parsed, so that ``--help`` and argparse's errors speak it."""
    lang = os.environ.get("SALESPLAN_LANG", "ru").strip().lower()
    for i, arg in enumerate(argv):
        if arg in COMMANDS:
            break
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return "en" if lang == "en" else "ru"


def _parser(lang: str = "ru") -> argparse.ArgumentParser:
    def h(key: str, **fields: object) -> str:
        return t(f"help.{key}", lang, **fields)

    ru = lang != "en"
    book, file, month, path = ("КНИГА", "ФАЙЛ", "ГГГГ-ММ", "ПУТЬ") if ru else ("WORKBOOK", "FILE", "YYYY-MM", "PATH")
    setting = "КЛЮЧ=ЗНАЧЕНИЕ" if ru else "KEY=VALUE"

    parser = argparse.ArgumentParser(prog="salesplan", description=h("description"), epilog=h("epilog"),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"salesplan {__version__}", help=h("version"))
    parser.add_argument("--lang", choices=("ru", "en"), default=lang, help=h("lang"))
    sub = parser.add_subparsers(dest="command", required=True, title=h("commands"),
                                metavar="КОМАНДА" if ru else "COMMAND")
    keys = ", ".join(p.key for p in PARAMS)

    def inputs(command: argparse.ArgumentParser, sales: str = "sales", month_help: str = "month") -> None:
        """What plan, backtest and check read: the workbook, its Sales and targets, the month, settings."""
        command.add_argument("workbook", type=Path, metavar=book, help=h("workbook"))
        command.add_argument("--sales", type=Path, metavar=file, help=h(sales))
        command.add_argument("--targets", type=Path, metavar=file, help=h("targets"))
        command.add_argument("--month", metavar=month, help=h(month_help))

    def outputs(command: argparse.ArgumentParser) -> None:
        """What plan and backtest write: settings for the run, the workbook elsewhere, JSON, backups."""
        command.add_argument("--set", action="append", default=[], metavar=setting, help=h("set", keys=keys))
        command.add_argument("--out", type=Path, metavar=path, help=h("out"))
        command.add_argument("--json", type=Path, metavar=path, help=h("json"))
        command.add_argument("--backups", type=int, default=5, metavar="N", help=h("backups"))

    plan = sub.add_parser("plan", help=h("plan"), description=h("plan"))
    inputs(plan)
    outputs(plan)

    backtest = sub.add_parser("backtest", help=h("backtest"), description=h("backtest"))
    inputs(backtest, month_help="backtest_month")
    backtest.add_argument("--months", type=int, default=12, metavar="N", help=h("backtest_months"))
    outputs(backtest)

    check = sub.add_parser("check", help=h("check"), description=h("check"))
    inputs(check, sales="check_sales")
    check.add_argument("--set", action="append", default=[], metavar=setting, help=h("set", keys=keys))

    pdf = sub.add_parser("pdf", help=h("pdf"), description=h("pdf"))
    pdf.add_argument("workbook", type=Path, metavar=book, help=h("workbook"))
    pdf.add_argument("--out", type=Path, required=True, metavar="ПАПКА" if ru else "DIR", help=h("pdf_out"))
    # What planned the month once: refused with a message that says to plan with it (see _pdf).
    for option in ("--sales", "--month", "--targets"):
        pdf.add_argument(option, help=argparse.SUPPRESS)
    pdf.add_argument("--set", action="append", default=[], help=argparse.SUPPRESS)

    new = sub.add_parser("new", help=h("new"), description=h("new"))
    new.add_argument("file", type=Path, metavar=f"{file}.xlsm", help=h("new_file"))
    new.add_argument("--lang", dest="book_lang", choices=("ru", "en"), default=None, help=h("new_lang"))

    setup = sub.add_parser("excel-setup", help=h("setup"), description=h("setup"))
    setup.add_argument("workbook", nargs="?", type=Path, default=Path("salesplan.xlsm"), metavar=book,
                       help=h("setup_workbook"))
    setup.add_argument("--platform", choices=("win", "mac"), help=h("setup_platform"))
    setup.add_argument("--python", metavar=path, help=h("setup_python"))
    setup.add_argument("--dry-run", action="store_true", help=h("setup_dry_run"))

    demo = sub.add_parser("demo", help=h("demo"), description=h("demo"))
    demo.add_argument("folder", nargs="?", type=Path, default=Path("."), metavar="ПАПКА" if ru else "FOLDER",
                      help=h("demo_folder"))
    demo.add_argument("--month", metavar=month, help=h("demo_month"))
    demo.add_argument("--name", default="salesplan-demo.xlsm", metavar=file, help=h("demo_name"))

    build = sub.add_parser("build-workbook", help=h("build"), description=h("build"))
    build.add_argument("--out", type=Path, default=Path("salesplan.xlsm"), metavar=path, help=h("build_out"))
    build.add_argument("--month", metavar=month, help=h("build_month"))
    build.add_argument("--language", choices=("ru", "en"), default="ru", help=h("build_language"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    hold_freed_memory()  # before anything is read: Arrow chooses its pool on first use
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = cli_language(argv)
    with _argparse_words(lang):
        args = _parser(lang).parse_args(argv)
    lang = args.lang
    try:
        if args.command == "plan":
            with _no_cyclic_gc():
                return _plan(args, lang)
        if args.command == "backtest":
            with _no_cyclic_gc():
                return _backtest(args, lang)
        if args.command == "check":
            return _check(args, lang)
        if args.command == "new":
            return _new(args, lang)
        if args.command == "demo":
            return _demo(args, lang)
        if args.command == "pdf":
            return _pdf(args, lang)
        if args.command == "build-workbook":
            return _build_workbook(args, lang)
        if args.command == "excel-setup":
            return _excel_setup(args, lang)
    except SalesplanError as exc:
        print(exc.text(lang), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(t("cli.interrupted", lang), file=sys.stderr)
        return 130
    except Exception:  # the last line of defence: a log for us, a sentence for the user
        print(t("cli.internal", lang, log=write_error_log() or "—"), file=sys.stderr)
        return EXIT_INTERNAL
    return EXIT_OK


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Python's cycle collector off for one build: a build makes millions of short-lived objects
    and no cycles worth collecting, and the collector's passes over everything imported cost a
    tenth of a second at a million rows (measured). Memory is freed by reference counting as
    before; the collector is back on afterwards (the Excel add-in's Python lives on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run() -> None:
    """The process entry point (console script and ``python -m salesplan``)."""
    try:
        code = main()
    except KeyboardInterrupt:  # Ctrl-C before main's own handler was in place: nothing was touched
        print("Прервано: исходный файл не изменён.", file=sys.stderr)
        code = 130
    # The work is done (or undone): a Ctrl-C from here on, while Python shuts down, has nothing
    # left to stop and would only turn a clean exit into a signal death.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_without_teardown(code)


def _exit_without_teardown(code: int) -> None:
    """End the process once its output is flushed, without Python's teardown.

    Every file is written and closed and every helper process has ended by now (all of them are
    context-managed). What the teardown would still do is free a million-row ledger object by
    object, some 0.15 s of a build, for memory the operating system takes back at once anyway.
    """
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``salesplan ... | head``): nothing to keep
            pass
    os._exit(int(code or 0))


def _plan(args: argparse.Namespace, lang: str) -> int:
    json_path = None if args.json in (None, Path("-")) else args.json
    with progress_bar(sys.stderr, lang):
        read_stamp = file_stamp(args.workbook)  # before the head start reads it (see build)
        sources = head_start(args.workbook, args.sales)  # before the heavy imports: see its module
        from .monthly import build

        result = build(args.workbook, out=args.out, sales_file=args.sales, targets_file=args.targets,
                       month=args.month, settings=args.set, json_path=json_path,
                       keep_backups=max(args.backups, 0), sources=sources, read_stamp=read_stamp)
    # The workbook is written: from here on no message may say it is unchanged.
    try:
        _report_plan(args, lang, result)
    except BrokenPipeError:  # ``salesplan plan … --json - | head``: the reader wanted no more
        _drop_stdout()
        print(t("cli.pipe_closed", lang, path=result.written), file=sys.stderr)
    except KeyboardInterrupt:
        print(t("cli.interrupted_after_write", lang, path=result.written), file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - the last line of defence, true to what was done
        print(t("cli.internal_after_write", lang, path=result.written, log=write_error_log() or "—"),
              file=sys.stderr)
        return EXIT_INTERNAL
    from .outputs.tabs import skipped_text

    # Too many Sales rows skipped: the plan is written, but it is too low, and the exit code says so.
    incomplete = skipped_text(result.result.skipped, lang)
    if incomplete:
        print(incomplete, file=sys.stderr)
        return EXIT_CHECK_STOPS
    # A month exported twice into a history folder: counted once, but the folder needs tidying.
    twice = [p for p in result.problems if p.key == "prob.source_month_twice"]
    for problem in twice:
        print(f"{problem.sheet}: {problem.text(lang)}", file=sys.stderr)
    return EXIT_CHECK_STOPS if twice else EXIT_OK


def _report_plan(args: argparse.Namespace, lang: str, result: BuildResult) -> None:
    """What a finished ``plan`` prints: the JSON (``--json -``) or the summary lines."""
    if args.json == Path("-"):
        from .result import as_json_text

        print(as_json_text(result.result))
        sys.stdout.flush()  # a closed pipe is found here, not at the exit
        return
    from .months import month_label

    print(t("cli.planned", lang, month=month_label(result.plan.plan_month),
            managers=len(result.plan.summary), rows=result.inputs.rows_read,
            problems=len(result.problems), path=result.written))
    if result.backup:
        print(t("cli.backup", lang, path=result.backup))
    sys.stdout.flush()


def _drop_stdout() -> None:
    """After a closed pipe: what is still buffered for stdout goes nowhere, quietly (the flush at
    the exit would otherwise fail on it again)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _backtest(args: argparse.Namespace, lang: str) -> int:
    """Plan each past month from the sales before it and compare; the tab goes into the workbook."""
    from .errors import InputError

    if args.months < 1:
        raise InputError("err.backtest_months", value=args.months)
    json_path = None if args.json in (None, Path("-")) else args.json
    with progress_bar(sys.stderr, lang):
        read_stamp = file_stamp(args.workbook)
        sources = head_start(args.workbook, args.sales)
        from .methodcheck import build_backtest

        done = build_backtest(args.workbook, out=args.out, sales_file=args.sales, targets_file=args.targets,
                              month=args.month, months=args.months, settings=args.set, json_path=json_path,
                              keep_backups=max(args.backups, 0), sources=sources, read_stamp=read_stamp)
    try:
        if args.json == Path("-"):
            from .methodcheck import as_json_text

            print(as_json_text(done.result))
        else:
            managers = done.result.months["manager"].nunique() if len(done.result.months) else 0
            print(t("cli.backtested", lang, tested=len(done.result.tested), skipped=len(done.result.skipped),
                    managers=managers, path=done.written))
            for month, key, fields in done.result.skipped:
                from .months import month_label

                print(t(key, lang, month=month_label(month), **fields), file=sys.stderr)
            if done.backup:
                print(t("cli.backup", lang, path=done.backup))
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_stdout()
        print(t("cli.pipe_closed", lang, path=done.written), file=sys.stderr)
    from .methodcheck import incomplete_text

    incomplete = incomplete_text(done, lang)
    if incomplete:
        print(incomplete, file=sys.stderr)
        return EXIT_CHECK_STOPS
    return EXIT_OK


def _check(args: argparse.Namespace, lang: str) -> int:
    """Exit 0: the plan can be built (problems, if any, are listed); 1: something stops it."""
    sources = head_start(args.workbook, args.sales)
    from .monthly import category_problems, plan_layers, read_workbook_inputs, target_problems
    from .texts import t as text

    try:
        inputs = read_workbook_inputs(args.workbook, sales_file=args.sales, targets_file=args.targets,
                                      month=args.month, settings=args.set, sources=sources)
        problems = inputs.problems + target_problems(inputs, plan_layers(inputs)) + category_problems(inputs)
    except SalesplanError as exc:
        print(exc.text(lang))
        print(text("check.stops", lang))
        return EXIT_CHECK_STOPS
    header = [text(k, lang) for k in ("col.sheet", "col.row", "col.column", "col.value", "col.problem")]
    print("\t".join(header))
    located = [inputs.locate(p) for p in problems] if inputs.locate is not None else problems
    for p in located:  # a line of a folder's export: its file and its row there
        value = str(p.value).replace("\n", " ")[:60] if p.value is not None else ""
        print("\t".join([p.sheet, str(p.row or ""), p.column, value, p.text(lang)]))
    print(text("check.summary", lang, rows=inputs.rows_read, problems=len(problems)))
    from .inputs.ledger import skipped_rows
    from .outputs.tabs import skipped_text

    incomplete = skipped_text(skipped_rows(problems, inputs.rows_read, inputs.sales_sheet,
                                           inputs.config.params["max_skipped_share"]), lang)
    if incomplete:
        print(incomplete)
        return EXIT_CHECK_STOPS
    return EXIT_OK


def _pdf(args: argparse.Namespace, lang: str) -> int:
    """Print the №1/№2 sheets that are in the workbook, as they are: nothing is planned again."""
    from .errors import InputError
    from .outputs.printing import print_workbook
    from .outputs.workbook import check_pdf_folder, full_temp_folder_is_a_message
    from .scratch import remove_stale

    replan = next((f"--{name}" for name in ("sales", "month", "targets", "set") if getattr(args, name)), None)
    if replan:
        raise InputError("err.pdf_no_replan", option=replan, path=str(args.workbook))
    remove_stale()
    check_pdf_folder(args.out)
    with full_temp_folder_is_a_message():
        printed = print_workbook(args.workbook, args.out)
    for job, path in printed:
        print(path)
        if job.alone:
            print(t("pdf.alone", lang, sheet=job.sheets[0], other=job.missing), file=sys.stderr)
    return EXIT_OK


def _build_workbook(args: argparse.Namespace, lang: str) -> int:
    from .demo import SHIPPED_MONTH, demo_build_time, write_demo

    out = args.out
    month = args.month or SHIPPED_MONTH
    path = write_demo(out.parent if str(out.parent) else Path("."), name=out.name, month=month,
                      lang=args.language, built=demo_build_time(month))
    print(path)
    return EXIT_OK


def _new(args: argparse.Namespace, lang: str) -> int:
    from .build.workbook import write_new_workbook

    path = write_new_workbook(args.file, lang=args.book_lang or lang)
    print(t("cli.new", lang, path=path))
    return EXIT_OK


def _excel_setup(args: argparse.Namespace, lang: str) -> int:
    from .excel_setup import run_setup

    return run_setup(args.workbook, args.platform, args.python, dry_run=args.dry_run, lang=lang, out=print)


def _demo(args: argparse.Namespace, lang: str) -> int:
    from .demo import write_demo

    path = write_demo(args.folder, name=args.name, month=args.month)
    print(("Демо-книга: " if lang == "ru" else "Demo workbook: ") + str(path))
    return EXIT_OK


# --------------------------------------------------------------------------------------------------
# The progress bar: the readers and the writer log their steps to the "salesplan.progress" logger
# (message: the step; extra "size": bytes of the file read or written, "rows": ledger rows); on a
# terminal the bar shows them, piped it stays silent.

PROGRESS_LOG = "salesplan.progress"
#: step -> (where it starts on the bar, where it ends); the read is most of a big workbook's time.
STEPS = {"read": (0.0, 0.6), "plan": (0.6, 0.7), "render": (0.7, 0.9), "write": (0.9, 1.0)}
STEP_LABELS = {"ru": {"read": "чтение «{sheet}»", "plan": "расчёт плана", "render": "листы плана",
                      "write": "запись книги"},
               "en": {"read": "reading «{sheet}»", "plan": "planning", "render": "plan tabs",
                      "write": "writing the workbook"}}


@contextlib.contextmanager
def progress_bar(stream: TextIO, lang: str = "ru") -> Iterator[None]:
    """Show a progress bar on ``stream`` while the block runs, if ``stream`` is a terminal."""
    if not stream.isatty():
        yield
        return
    bar = ProgressBar(stream, lang)
    log = logging.getLogger(PROGRESS_LOG)
    level, propagate = log.level, log.propagate
    log.addHandler(bar)
    log.setLevel(logging.INFO)
    log.propagate = False
    try:
        yield
    finally:
        log.removeHandler(bar)
        log.setLevel(level)
        log.propagate = propagate
        bar.close()


class ProgressBar(logging.Handler):
    """One line redrawn ten times a second: the step, a bar, the share done and the seconds.

    A step's own progress is not known (a reader gives no news until it is done), so within a step
    the bar moves towards the step's end more slowly the longer it takes: 1 - e^(-t/τ), with τ
    guessed from the size of the file or the number of rows. It never goes back.
    """

    WIDTH = 30

    def __init__(self, stream: TextIO, lang: str = "ru") -> None:
        super().__init__(logging.INFO)
        self.stream, self.labels = stream, STEP_LABELS.get(lang, STEP_LABELS["en"])
        self.started = time.monotonic()
        self.step, self.label, self.step_started, self.tau = "", "", self.started, 1.0
        self.size, self.rows, self.shown, self.drawn = 0, 0, 0.0, False
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="salesplan-progress", daemon=True)
        self._thread.start()

    def emit(self, record: logging.LogRecord) -> None:
        step = record.getMessage()
        if step not in STEPS:
            return
        with self._lock:
            self.size = getattr(record, "size", None) or self.size
            self.rows = getattr(record, "rows", None) or self.rows
            self.step, self.step_started = step, time.monotonic()
            self.label = self.labels[step].format(sheet=getattr(record, "sheet", ""))
            self.tau = {"read": 0.3 + self.size / 12e6, "plan": 0.2 + self.rows * 1e-6,
                        "render": 0.5 + self.rows * 2e-6, "write": 0.2 + self.size / 100e6}[step]
        self._draw()

    def fraction(self) -> float:
        """The share of the work done, as far as it can be told."""
        if not self.step:
            return 0.0
        start, end = STEPS[self.step]
        elapsed = time.monotonic() - self.step_started
        self.shown = max(self.shown, start + (end - start) * (1 - math.exp(-elapsed / self.tau)))
        return self.shown

    def _draw(self) -> None:
        with self._lock:
            if not self.step:
                return
            done = self.fraction()
            filled = int(done * self.WIDTH)
            line = (f"\r{self.label[:28]:<28} [{'█' * filled}{'·' * (self.WIDTH - filled)}] "
                    f"{done:4.0%} {time.monotonic() - self.started:5.1f} s")
            self.stream.write(line)
            self.stream.flush()
            self.drawn = True

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self._draw()

    def close(self) -> None:
        """Stop redrawing and clear the line, so what is printed next starts on a clean line."""
        self._stop.set()
        self._thread.join()
        with self._lock:
            if self.drawn:
                self.stream.write("\r" + " " * (28 + self.WIDTH + 18) + "\r")
                self.stream.flush()
                self.drawn = False
        super().close()
