"""Untouched entries are copied as they are stored, and still checked.

A million-row Sales sheet is some 400 MB of XML; inflating and deflating it again took most of the
write. The splice now copies each untouched entry's stored bytes (so they are the user's byte for
byte, compressed too), while a thread inflates every entry and checks its CRC, so a damaged one
still stops the write.
"""

import zipfile
from pathlib import Path

import pytest

from package_fixtures import OWNED, make_original, make_rendered, package_problems
from salesplan.outputs.package import PackageError, replace_sheets, start_entry_check


def stored(path: Path, name: str) -> tuple[bytes, zipfile.ZipInfo]:
    """The bytes of entry ``name`` as they lie in the zip (compressed), and its record."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(name)
    raw = path.read_bytes()
    name_length, extra_length = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little"), \
        int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    return raw[start:start + info.compress_size], info


def with_big_stored_and_deflated_entries(path: Path) -> Path:
    """The original with a large deflated part and a part stored without compression."""
    big = ("<x>" + "строка " * 300_000 + "</x>").encode()
    with zipfile.ZipFile(path, "a") as z:
        z.writestr(zipfile.ZipInfo("customXml/big.xml", (2024, 5, 6, 7, 8, 10)), big, zipfile.ZIP_DEFLATED, 9)
        z.writestr(zipfile.ZipInfo("customXml/plain.bin", (2024, 5, 6, 7, 8, 10)), b"\x00\x01" * 5000, zipfile.ZIP_STORED)
    return path


def test_untouched_entries_keep_their_stored_bytes(tmp_path):
    original = with_big_stored_and_deflated_entries(make_original(tmp_path / "orig.xlsm"))
    out = tmp_path / "out.xlsm"
    replace_sheets(original, make_rendered(tmp_path / "rendered.xlsx"), out, OWNED)
    for name in ("customXml/big.xml", "customXml/plain.bin", "xl/vbaProject.bin", "xl/styles.xml"):
        before, old = stored(original, name)
        after, new = stored(out, name)
        if name == "xl/styles.xml":  # edited: new styles are appended
            assert after != before
            continue
        assert after == before, name
        assert (new.CRC, new.file_size, new.compress_type, new.date_time) == \
               (old.CRC, old.file_size, old.compress_type, old.date_time)
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
        assert z.read("customXml/big.xml").startswith(b"<x>")
    assert [p for p in package_problems(out) if "customXml/" not in p] == []  # the two added parts are orphans


def test_a_damaged_big_entry_stops_the_write_though_it_is_not_inflated_to_copy_it(tmp_path):
    original = with_big_stored_and_deflated_entries(make_original(tmp_path / "orig.xlsm"))
    data, info = stored(original, "customXml/big.xml")
    raw = bytearray(original.read_bytes())
    start = raw.index(data)
    for i in range(start + len(data) // 2, start + len(data) // 2 + 16):
        raw[i] ^= 0x5A
    original.write_bytes(bytes(raw))
    out = tmp_path / "out.xlsm"
    with pytest.raises(PackageError, match="damaged"):
        replace_sheets(original, make_rendered(tmp_path / "rendered.xlsx"), out, OWNED)
    assert not out.exists() and not list(tmp_path.glob("*.tmp"))


def test_a_check_started_early_is_used(tmp_path):
    original = make_original(tmp_path / "orig.xlsm")
    check = start_entry_check(original)
    replace_sheets(original, make_rendered(tmp_path / "rendered.xlsx"), tmp_path / "out.xlsm", OWNED, check=check)
    assert not check.is_alive() and check.error is None
    assert package_problems(tmp_path / "out.xlsm") == []


def test_a_check_of_a_file_saved_again_since_is_not_trusted(tmp_path):
    """The check now starts with the build, seconds before the write: a workbook saved meanwhile (and
    damaged) is checked again, not passed on the strength of the earlier check."""
    import os

    original = with_big_stored_and_deflated_entries(make_original(tmp_path / "orig.xlsm"))
    check = start_entry_check(original)
    check.join()
    assert check.error is None
    data, _ = stored(original, "customXml/big.xml")
    raw = bytearray(original.read_bytes())
    start = raw.index(data) + len(data) // 2
    raw[start:start + 16] = bytes(b ^ 0x5A for b in raw[start:start + 16])
    original.write_bytes(bytes(raw))
    os.utime(original, ns=(check.stamp[1] + 10**9, check.stamp[1] + 10**9))  # a later save
    with pytest.raises(PackageError, match="damaged"):
        replace_sheets(original, make_rendered(tmp_path / "rendered.xlsx"), tmp_path / "out.xlsm", OWNED, check=check)
