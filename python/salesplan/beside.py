"""Work done beside the build, on the machine's second core.

The instrument sheets (their content, from the ledger, and their rendering with openpyxl) and the
plan tabs (XlsxWriter) do not depend on each other, and both are plain Python, which one process
runs one piece at a time. On Linux forked child processes make Instrument #1 and #2 (one each)
while the build writes the plan tabs: a child shares the parent's memory as it was at the fork (the
million-row ledger is neither copied nor pickled) and hands back only its small result. Where
there is no fork (Windows), where fork is unsafe (macOS), or on one core, the work simply runs in
place when its result is asked for — the same result, a little later.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from .memory import give_back

T = TypeVar("T")

#: Set to "0" to run everything in one process (to compare, or to debug).
ENVIRONMENT_SWITCH = "SALESPLAN_PARALLEL"


def can_fork() -> bool:
    return (sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1
            and os.environ.get(ENVIRONMENT_SWITCH, "1") != "0")


class Beside(Generic[T]):
    """``work()`` running in a child process (see the module); :meth:`result` waits for it.

    Use as a context manager: leaving the block stops a child whose result was never asked for
    (the build failed or was interrupted meanwhile).
    """

    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._process: Any = None
        if can_fork():
            give_back()  # the child starts from the parent's pages: none it holds only for reuse
            context = multiprocessing.get_context("fork")
            self._receiver, sender = context.Pipe(duplex=False)
            self._process = context.Process(target=_run_child, args=(work, sender, self._receiver, os.getpid()),
                                            daemon=True, name="salesplan-beside")
            self._process.start()
            sender.close()

    def result(self) -> T:
        """The work's result; its exception if it raised one."""
        work = self._work
        if self._process is None:
            return work()
        try:
            outcome = self._receiver.recv()
        except EOFError:  # the child died without a word (killed, out of memory): do it here
            outcome = None
        finally:
            self._stop()
        if outcome is None:
            return work()
        done, value = outcome
        if done:
            return value
        raise value

    def _stop(self) -> None:
        if self._process is not None:
            self._receiver.close()
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None

    def __enter__(self) -> Beside[T]:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._stop()


class Either:
    """A piece of work that the build or its child may do, whichever is free first: :meth:`take`
    says yes to the first that asks and no to the other (see :func:`salesplan.monthly.plan`).

    Made before the child is forked, so that both see one flag in shared memory; where the work
    runs in place, a plain flag.
    """

    def __init__(self) -> None:
        self._shared: Any = multiprocessing.get_context("fork").Value("b", 0) if can_fork() else None
        self._taken = False

    def take(self) -> bool:
        if self._shared is None:
            taken, self._taken = self._taken, True
            return not taken
        with self._shared.get_lock():
            taken, self._shared.value = self._shared.value, 1
        return not taken


def _die_with_parent(parent: int) -> None:
    """Have the kernel end this child when its parent dies (``kill -9`` of a build included), rather
    than let it run on alone; Linux only, where the children are forked."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was in place
        os._exit(1)


def _run_child(work: Callable[[], Any], sender: Any, receiver: Any, parent: int) -> None:
    _die_with_parent(parent)
    # The child's copy of the parent's end: were it left open, a child whose parent was killed
    # would wait for ever to hand over its result, instead of failing to and ending.
    receiver.close()
    # The parent draws the progress bar; a child writing to it would garble the line.
    logging.getLogger("salesplan.progress").disabled = True
    try:
        outcome: tuple[bool, Any] = (True, work())
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        outcome = (False, exc)
    try:
        try:
            sender.send(outcome)
        except OSError:
            return  # the parent is gone (killed): nobody is waiting, end quietly
        except Exception as exc:  # a result or error that cannot be pickled: say what it was
            sender.send((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]} ({exc})")))
    except OSError:
        return
    finally:
        sender.close()
