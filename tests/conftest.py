"""What every test shares: the helpers on the path and the demo workbooks built once a session."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pytest

# Tests import their helpers by module name.
sys.path.insert(0, str(Path(__file__).parent))


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
