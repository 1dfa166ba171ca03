"""What every test shares: the helpers on the path, the rule for tests marked ``libreoffice``, the
property tests' examples in the fast set, and the demo workbooks built once a session."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Tests import their helpers by module name.
sys.path.insert(0, str(Path(__file__).parent))

pytest_plugins = ["pytester"]  # test_libreoffice_marker.py runs pytest on a sample with this conftest


# --- LibreOffice ----------------------------------------------------------------------------------
# A test that runs LibreOffice carries ``@pytest.mark.libreoffice`` (``uno=True`` when it drives
# LibreOffice through python3-uno, ``poppler=True`` when it reads the PDFs with pdftotext). When
# what it needs is missing, it fails in CI (the variable CI is set: .ci/run installs everything) and
# is skipped elsewhere, with the reason in the summary (-ra).

LIBREOFFICE_REQUIRED_IN_CI = "LibreOffice is required in CI: .ci/run installs it"
LIBREOFFICE_NOT_INSTALLED = ("LibreOffice not installed (apt-get install libreoffice-calc-nogui python3-uno "
                             "fonts-dejavu-core fonts-crosextra-carlito poppler-utils)")
SYSTEM_PYTHON = "/usr/bin/python3"  # the python3 with LibreOffice's UNO bridge (Debian: python3-uno)


@functools.cache
def _uno_importable() -> bool:
    return Path(SYSTEM_PYTHON).exists() and subprocess.run(
        [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


def libreoffice_missing(uno: bool = False, poppler: bool = False) -> list[str]:
    """What a ``libreoffice`` test needs and this machine lacks (empty: nothing), looked up on PATH."""
    missing = []
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        missing.append("soffice")
    if uno and not _uno_importable():
        missing.append("python3-uno")
    if poppler and shutil.which("pdftotext") is None:
        missing.append("pdftotext")
    return missing


def in_ci() -> bool:
    """Whether this run is CI's: the variable CI is set (to anything but empty, 0, false or no)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before a ``libreoffice`` test's fixtures are set up: fail in CI, skip elsewhere, if it cannot run."""
    marker = item.get_closest_marker("libreoffice")
    if marker is None:
        return
    missing = libreoffice_missing(**marker.kwargs)
    if not missing:
        return
    if in_ci():
        pytest.fail(f"{LIBREOFFICE_REQUIRED_IN_CI} (missing: {', '.join(missing)})", pytrace=False)
    pytest.skip(f"{LIBREOFFICE_NOT_INSTALLED}; missing: {', '.join(missing)}")


# --- property tests in the fast set -------------------------------------------------------------
# Property tests ask for helpers.examples(N): N examples under Hypothesis' default profile (100),
# a quarter under "fast", which the fast set (-m "not slow") loads unless --hypothesis-profile is given.
# The full suite, CI's run, keeps every example.

hypothesis_settings.register_profile("fast", max_examples=25)


def pytest_configure(config: pytest.Config) -> None:
    if "not slow" in (config.getoption("markexpr") or "") and not config.getoption("--hypothesis-profile", None):
        hypothesis_settings.load_profile("fast")


# --- the demo workbook, built once ----------------------------------------------------------------

DEMO_MONTH = "2026-11"


@pytest.fixture(scope="session")
def demo_workbooks(tmp_path_factory):
    """The demo distributor's input workbook (Start, Sales, Config, Catalog, lists; not planned),
    built once a session for each ``(scale, lang, suffix)`` asked for: ``demo_workbooks(scale=0.5)``
    returns its path. The file is shared: never write to it — take a copy (``demo_copy``). At the end
    of the session each file is checked to be as it was built."""
    from salesplan.demo import demo_config, write_input_workbook
    from salesplan.demo_data import make_demo

    built: dict[tuple, tuple[Path, str]] = {}

    def path(scale: float = 0.5, lang: str = "ru", suffix: str = ".xlsm") -> Path:
        key = (scale, lang, suffix)
        if key not in built:
            data = make_demo(DEMO_MONTH, scale=scale)
            book = tmp_path_factory.mktemp("demo") / f"demo-{lang}-{scale}{suffix}"
            config = demo_config(data, DEMO_MONTH)
            if lang != "ru":
                config = config.with_params(language=lang)
            write_input_workbook(book, data, config, lang, DEMO_MONTH)
            book.chmod(0o444)
            built[key] = book, hashlib.sha256(book.read_bytes()).hexdigest()
        return built[key][0]

    yield path
    changed = [str(book) for book, digest in built.values()
               if hashlib.sha256(book.read_bytes()).hexdigest() != digest]
    assert not changed, f"a test wrote to the shared demo workbook instead of a copy: {changed}"


@pytest.fixture
def demo_copy(demo_workbooks, tmp_path):
    """``demo_copy(name="demo.xlsm", scale=..., lang=..., suffix=...)``: a copy of the shared demo
    workbook in this test's ``tmp_path``, to plan or change at will."""

    def copy(name: str = "demo.xlsm", **kind) -> Path:
        target = tmp_path / name
        shutil.copyfile(demo_workbooks(**kind), target)
        return target

    return copy
