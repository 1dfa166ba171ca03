"""The rule for tests marked ``libreoffice`` (conftest.py): with LibreOffice missing from PATH such a
test fails in CI and is skipped elsewhere, with the reason in the summary, before any of its fixtures
is set up. Checked by running pytest, with this suite's conftest.py, on a sample with PATH emptied."""

from pathlib import Path

import pytest

CONFTEST = Path(__file__).with_name("conftest.py")
SAMPLE = '''
import pytest


@pytest.fixture(scope="module")
def office():
    raise AssertionError("a fixture of a libreoffice test was set up without LibreOffice")


@pytest.mark.libreoffice
def test_prints(office):
    pass


@pytest.mark.libreoffice(uno=True)
def test_clicks_the_buttons(office):
    pass


def test_plans_without_libreoffice():
    pass
'''


@pytest.fixture
def without_libreoffice(pytester, monkeypatch):
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makepyfile(test_sample=SAMPLE)
    pytester.makeini("[pytest]\naddopts = -ra\nmarkers =\n    libreoffice: needs LibreOffice\n")
    monkeypatch.setenv("PATH", str(pytester.mkdir("empty-path")))
    return pytester


@pytest.mark.parametrize("ci", ["true", "1"])
def test_missing_libreoffice_fails_in_ci(without_libreoffice, monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    result = without_libreoffice.runpytest("-p", "no:cacheprovider", "-p", "no:hypothesispytest")
    result.assert_outcomes(passed=1, errors=2)
    result.stdout.fnmatch_lines(["ERROR test_sample.py::test_prints - Failed: LibreOffice is required in CI: "
                                 ".ci/run installs it (missing: soffice)*"])
    result.stdout.no_fnmatch_line("*a fixture of a libreoffice test was set up*")
    assert result.ret == pytest.ExitCode.TESTS_FAILED


@pytest.mark.parametrize("ci", [None, "", "false"])
def test_missing_libreoffice_is_skipped_with_the_reason_elsewhere(without_libreoffice, monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    result = without_libreoffice.runpytest("-p", "no:cacheprovider", "-p", "no:hypothesispytest")
    result.assert_outcomes(passed=1, skipped=2)
    result.stdout.fnmatch_lines(["SKIPPED [[]*] *LibreOffice not installed (apt-get install libreoffice-calc-nogui*"])
    result.stdout.no_fnmatch_line("*a fixture of a libreoffice test was set up*")
    assert result.ret == pytest.ExitCode.OK


def test_libreoffice_on_path_runs_the_test(without_libreoffice, monkeypatch, tmp_path):
    """A program named soffice on PATH is enough for a test without ``uno`` (it is not started here)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "soffice").write_text("#!/bin/sh\nexit 0\n")
    (folder / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setenv("CI", "true")
    result = without_libreoffice.runpytest("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-k", "prints or plans")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*AssertionError: a fixture of a libreoffice test was set up*"])


def test_every_libreoffice_test_is_also_slow(request):
    """The fast set (-m "not slow") needs no LibreOffice: a libreoffice test left unmarked would be
    collected with this one."""
    unmarked = [item.nodeid for item in request.session.items
                if item.get_closest_marker("libreoffice") and not item.get_closest_marker("slow")]
    assert not unmarked
