"""What a file really is, before any reader opens it: a clear message for the usual mistakes.

A password-protected .xlsx is not a zip at all but an OLE compound file holding an encrypted
package; an old .xls is OLE too; a renamed PDF or a half-copied file is neither. Readers fail on all
of them with messages a user cannot act on, so look at the first bytes first.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_workbook_file(path: Path) -> None:
    """Raise InputError naming the problem if ``path`` cannot be an .xlsx/.xlsm/.xls workbook."""
    path = Path(path)
    if not path.exists():
        raise InputError("err.no_file", path=str(path))
    if path.is_dir():
        raise InputError("err.not_workbook", path=str(path), detail="a folder")
    with path.open("rb") as f:
        head = f.read(8)
    if not head:
        raise InputError("err.not_workbook", path=str(path), detail="the file is empty (0 bytes)")
    if head.startswith(_OLE):
        if _is_encrypted(path):
            raise InputError("err.encrypted", path=str(path))
        return  # a legacy .xls: the reader handles it
    if not head.startswith(_ZIP):
        raise InputError("err.not_workbook", path=str(path), detail="not an Excel file inside")


def _is_encrypted(path: Path) -> bool:
    """An encrypted OOXML file is an OLE container with an ``EncryptionInfo`` stream."""
    data = path.read_bytes()[:1 << 20]
    return "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data
