"""Print workbooks to PDF with headless LibreOffice, and read back what was printed.

LibreOffice prints every sheet of a workbook by the sheet's own page setup (paper, orientation,
fit to page, print area, header and footer) into one PDF. Each conversion runs with a private,
throw-away LibreOffice profile (``-env:UserInstallation``), so parallel runs, CI and a LibreOffice
the user has open never share a profile or hand the job to each other.

Keep the workbooks small: a manager's two instrument sheets convert in about a second and a half,
most of it LibreOffice starting up; :func:`workbooks_to_pdf` starts it once for many workbooks.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError, PdfExportError, ToolMissingError

#: Where LibreOffice installs itself when it is not on the PATH.
_WINDOWS_DIRS = ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")
_MAC_APP = "/Applications/LibreOffice.app/Contents/MacOS/soffice"


def soffice_path() -> str:
    """The LibreOffice program to run.

    Looks at ``SALESPLAN_SOFFICE`` (a full path), then ``soffice`` and ``libreoffice`` on the PATH,
    then the usual install folders on Windows and macOS.

    Raises:
        ToolMissingError: ``err.no_libreoffice`` when LibreOffice is not installed.
    """
    configured = os.environ.get("SALESPLAN_SOFFICE")
    if configured and Path(configured).is_file():
        return configured
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates = []
    if sys.platform == "win32":
        for var in _WINDOWS_DIRS:
            base = os.environ.get(var)
            if base:
                # soffice.com waits for the conversion and passes its messages to the console
                candidates += [Path(base, "LibreOffice", "program", "soffice.com"),
                               Path(base, "LibreOffice", "program", "soffice.exe")]
    elif sys.platform == "darwin":
        candidates.append(Path(_MAC_APP))
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    raise ToolMissingError("err.no_libreoffice")


def workbook_to_pdf(xlsx: Path, pdf: Path, timeout: float = 180) -> None:
    """Print every sheet of ``xlsx`` into ``pdf``, each sheet by its own page setup.

    Args:
        xlsx: the workbook (.xlsx); keep it small, e.g. one manager's two instrument sheets.
        pdf: the PDF to write (replaced if it exists; its folder is made).
        timeout: seconds to wait for LibreOffice before stopping it.

    Raises:
        InputError: ``err.no_file`` when ``xlsx`` does not exist.
        ToolMissingError: ``err.no_libreoffice``.
        PdfExportError: ``err.pdf_timeout`` or ``err.pdf_failed``.
    """
    _convert([(Path(xlsx), Path(pdf))], timeout)


def workbooks_to_pdf(books: Sequence[Path], out_dir: Path, timeout: float | None = None) -> list[Path]:
    """Print several workbooks with one start of LibreOffice: ``out_dir/<name>.pdf`` for each.

    Much faster than one :func:`workbook_to_pdf` per workbook (LibreOffice starts once).

    Args:
        books: the workbooks; their names (without .xlsx) name the PDFs, made unique if two clash.
        out_dir: the folder for the PDFs (made if missing; existing PDFs of the same name replaced).
        timeout: seconds for the whole batch; by default 120 plus 20 per workbook.

    Returns:
        The PDFs written, in the order of ``books``.
    """
    out_dir = Path(out_dir)
    targets: list[Path] = []
    used: set[str] = set()
    for book in books:
        stem, n = Path(book).stem, 2
        name = stem
        while name.casefold() in used:
            name, n = f"{stem} ({n})", n + 1
        used.add(name.casefold())
        targets.append(out_dir / f"{name}.pdf")
    if not targets:
        return []
    _convert(list(zip(map(Path, books), targets)), timeout if timeout is not None else 120 + 20 * len(targets))
    return targets


def _convert(jobs: list[tuple[Path, Path]], timeout: float) -> None:
    """Convert (workbook, pdf) pairs in one LibreOffice run with a private profile."""
    for xlsx, _ in jobs:
        if not xlsx.is_file():
            raise InputError("err.no_file", path=str(xlsx))
    soffice = soffice_path()
    with tempfile.TemporaryDirectory(prefix=f"salesplan-{os.getpid()}-lo-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        # Plain ASCII copies: LibreOffice names each PDF after its input, and odd names trip some builds.
        sources = []
        for i, (xlsx, _) in enumerate(jobs, start=1):
            source = work / f"book{i:04d}.xlsx"
            shutil.copyfile(xlsx, source)
            sources.append(source)
        outdir = work / "out"
        command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                   "--invisible", "--nodefault", "--nologo", "--norestore", "--nolockcheck",
                   "--convert-to", "pdf:calc_pdf_Export", "--outdir", str(outdir), *map(str, sources)]
        output = _run(command, timeout, jobs[0][0])
        for source, (xlsx, pdf) in zip(sources, jobs):
            produced = outdir / (source.stem + ".pdf")
            if not produced.is_file() or produced.stat().st_size == 0:
                raise PdfExportError("err.pdf_failed", path=str(xlsx),
                                     detail=_last_line(output) or "no PDF written")
            part = None
            try:
                pdf.parent.mkdir(parents=True, exist_ok=True)
                # A name of its own (never an existing file, never through a link planted there), so
                # two runs printing into one folder cannot write into each other's part file.
                fd, name = tempfile.mkstemp(prefix=f".~{pdf.name}.", suffix=".part", dir=pdf.parent)
                part = Path(name)
                with os.fdopen(fd, "wb") as f, produced.open("rb") as src:
                    shutil.copyfileobj(src, f)
                os.chmod(part, 0o666 & ~_umask())  # as a plain new file would be (mkstemp makes it 0600)
                os.replace(part, pdf)
            except OSError as exc:
                if part is not None:
                    part.unlink(missing_ok=True)
                raise PdfExportError("err.pdf_failed", path=str(pdf), detail=str(exc)) from exc


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _run(command: list[str], timeout: float, xlsx: Path) -> str:
    """Run LibreOffice; on timeout stop it and every process it started."""
    posix = os.name == "posix"
    kwargs = {"start_new_session": True} if posix else {
        "creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            **kwargs)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc, posix)
        proc.communicate()
        raise PdfExportError("err.pdf_timeout", path=str(xlsx), seconds=round(timeout)) from None
    text = out.decode("utf-8", "replace") if out else ""
    if proc.returncode != 0:
        raise PdfExportError("err.pdf_failed", path=str(xlsx),
                             detail=_last_line(text) or f"LibreOffice exit code {proc.returncode}")
    return text


def _stop(proc: subprocess.Popen[bytes], posix: bool) -> None:
    if posix:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    else:  # the launcher starts soffice.bin: stop the whole tree
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True)
        proc.kill()


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


# --- reading a PDF back ------------------------------------------------------------------------------

_PDFINFO_SIZE = re.compile(r"^Page\s+(\d+)\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", re.M)
_PDFINFO_ROT = re.compile(r"^Page\s+(\d+)\s+rot:\s+(\d+)", re.M)


def page_info(pdf: Path) -> list[tuple[float, float]]:
    """The size (width, height) in points of every page of ``pdf``, in order.

    Uses ``pdfinfo`` (poppler-utils) when it is installed; otherwise reads the page tree itself,
    which works for the PDFs LibreOffice writes. A4 portrait is about (595.3, 841.9).

    Raises:
        InputError: ``err.no_file`` when ``pdf`` does not exist.
        PdfExportError: ``err.pdf_unreadable`` when the file is not a PDF that can be read.
    """
    pdf = Path(pdf)
    if not pdf.is_file():
        raise InputError("err.no_file", path=str(pdf))
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        return _pdfinfo_pages(pdfinfo, pdf)
    return _scan_pages(pdf)


def _pdfinfo_pages(pdfinfo: str, pdf: Path) -> list[tuple[float, float]]:
    def run(*args: str) -> str:
        proc = subprocess.run([pdfinfo, *args, str(pdf)], capture_output=True, timeout=60)
        if proc.returncode != 0:
            raise PdfExportError("err.pdf_unreadable", path=str(pdf),
                                 detail=_last_line(proc.stderr.decode("utf-8", "replace")))
        return proc.stdout.decode("utf-8", "replace")

    count = re.search(r"^Pages:\s+(\d+)", run(), re.M)
    if not count:
        raise PdfExportError("err.pdf_unreadable", path=str(pdf), detail="no page count")
    n = int(count.group(1))
    if n == 0:
        return []
    text = run("-f", "1", "-l", str(n))
    sizes = {int(m.group(1)): (float(m.group(2)), float(m.group(3))) for m in _PDFINFO_SIZE.finditer(text)}
    # pdfinfo reports the media box; a page rotated by 90 or 270 degrees is printed the other way round
    for m in _PDFINFO_ROT.finditer(text):
        page, rot = int(m.group(1)), int(m.group(2))
        if rot % 180 == 90 and page in sizes:
            sizes[page] = sizes[page][::-1]
    return [sizes[i] for i in range(1, n + 1)]


_OBJECT = re.compile(rb"(\d+)\s+0\s+obj\b(.*?)\bendobj", re.S)
_STREAM = re.compile(rb"<<(.*?)>>\s*stream\r?\n", re.S)
_NUMBERS = rb"\[\s*(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*\]"


def _scan_pages(pdf: Path) -> list[tuple[float, float]]:
    """Page sizes from the page tree, for PDFs whose page objects are not in compressed streams."""
    data = pdf.read_bytes()
    if not data.startswith(b"%PDF"):
        raise PdfExportError("err.pdf_unreadable", path=str(pdf), detail="not a PDF")
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(data)}
    for body in list(objects.values()):  # object streams (PDF 1.5) hold further objects
        head = _STREAM.search(body)
        if head and b"/ObjStm" in head.group(1) and b"/FlateDecode" in head.group(1):
            try:
                raw = zlib.decompress(body[head.end():])
            except zlib.error:
                continue
            first = int(re.search(rb"/First\s+(\d+)", head.group(1)).group(1))
            pairs = [int(x) for x in raw[:first].split()]
            offsets = list(zip(pairs[0::2], pairs[1::2]))
            for i, (number, offset) in enumerate(offsets):
                end = offsets[i + 1][1] if i + 1 < len(offsets) else len(raw) - first
                objects.setdefault(number, raw[first + offset:first + end])
    root = re.search(rb"/Root\s+(\d+)\s+0\s+R", data)
    if not root or int(root.group(1)) not in objects:
        raise PdfExportError("err.pdf_unreadable", path=str(pdf), detail="no document catalogue")
    pages_ref = re.search(rb"/Pages\s+(\d+)\s+0\s+R", objects[int(root.group(1))])
    if not pages_ref:
        raise PdfExportError("err.pdf_unreadable", path=str(pdf), detail="no page tree")
    sizes: list[tuple[float, float]] = []

    def walk(number: int, inherited: tuple[bytes | None, int]) -> None:
        body = objects.get(number, b"")
        box = re.search(rb"/MediaBox\s*" + _NUMBERS, body)
        rotate = re.search(rb"/Rotate\s+(-?\d+)", body)
        state = (box.group(0) if box else inherited[0], int(rotate.group(1)) if rotate else inherited[1])
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
        if kids and re.search(rb"/Type\s*/Pages\b", body):
            for kid in re.findall(rb"(\d+)\s+0\s+R", kids.group(1)):
                walk(int(kid), state)
            return
        if state[0] is None:
            raise PdfExportError("err.pdf_unreadable", path=str(pdf), detail="a page without a MediaBox")
        x0, y0, x1, y1 = (float(v) for v in re.search(_NUMBERS, state[0]).groups())
        size = (abs(x1 - x0), abs(y1 - y0))
        sizes.append(size[::-1] if state[1] % 180 == 90 else size)

    walk(int(pages_ref.group(1)), (None, 0))
    return sizes
