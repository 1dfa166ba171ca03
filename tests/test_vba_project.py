"""salesplan.build: the VBA project of salesplan.xlsm, built from text and read back by others.

Independent readers judge what we write: olefile (the compound file), oletools' olevba and its
decompressor (the VBA project), and LibreOffice (the workbook, its modules and its buttons).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import warnings
import zipfile
from pathlib import Path

import olefile
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from salesplan.build import VbaProjectError, attach_vba_project, build_vba_project, default_modules, read_vba_modules
from salesplan.build.cfb import BLACK, RED, CompoundFileError, name_key, read_cfb, write_cfb
from salesplan.build.ovba_compression import IncompressibleError, compress, decompress
from salesplan.build.vba_dir import read_dir
from salesplan.build.vba_project import _xlwings_folder

with warnings.catch_warnings():  # oletools 0.60 still uses pyparsing 2 names
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser, decompress_stream

XLWINGS = _xlwings_folder()
MACROS = {  # button macro -> the Python it runs
    "BuildPlan": "import salesplan.excel as x; x.build_plan()",
    "MakeInstruments": "import salesplan.excel as x; x.make_instruments()",
    "PrintInstruments": "import salesplan.excel as x; x.print_instruments()",
    "ImportSales": "import salesplan.excel as x; x.import_sales()",
    "RefreshDashboard": "import salesplan.excel as x; x.refresh_dashboard()",
    "CheckMethod": "import salesplan.excel as x; x.backtest()",
}
# A RunPython that LibreOffice can run: it writes its command where the test can read it.
STUB_XLWINGS = '''Attribute VB_Name = "xlwings"
Public Function RunPython(PythonCommand As String)
    ThisWorkbook.Worksheets("Start").Range("Z1").Value = PythonCommand
End Function
'''


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def installed_xlwings_bas() -> str:
    return (XLWINGS / "xlwings.bas").read_bytes().decode("ascii")  # as is: CRLF


def template_bin() -> bytes:
    with zipfile.ZipFile(XLWINGS / "quickstart_standalone.xlsm") as package:
        return package.read("xl/vbaProject.bin")


def olevba_modules(vba_bin: bytes) -> dict[str, tuple[str, str]]:
    """olevba's view: module name -> (file name olevba gives it, source)."""
    parser = VBA_Parser("vbaProject.bin", data=vba_bin)
    try:
        assert parser.detect_vba_macros()
        return {name.rsplit(".", 1)[0]: (name, code)
                for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.fixture(scope="module")
def project() -> bytes:
    return build_vba_project(default_modules(), sheets=["Sheet1", "Sheet2"])


# ---------------------------------------------------------------------------------------------
# MS-OVBA compression
# ---------------------------------------------------------------------------------------------

def seeded_ascii(n: int, alphabet: bytes, seed: int = 0) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.choice(alphabet) for _ in range(n))


VBA_LINES = b'Sub Macro%d()\r\n    RunPython "import salesplan.excel as x; x.f()"\r\nEnd Sub\r\n'
ROUND_TRIPS = {
    "empty": b"",
    "one byte": b"a",
    "shorter than a match": b"ab",
    "overlapping copy": b"abcabcabc",
    "one chunk exactly": seeded_ascii(4096, b"ab c\r\n"),
    "one byte over a chunk": seeded_ascii(4097, b"ab c\r\n"),
    "repetitive, many chunks": b"x" * 20_000,
    "VBA-like, many chunks": b"".join(VBA_LINES.replace(b"%d", b"%d" % i) for i in range(400)),
    "random printable ASCII, 3 chunks": seeded_ascii(10_000, bytes(range(32, 127))),
}


@pytest.mark.parametrize("data", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_compression_round_trips(data):
    container = compress(data)
    assert decompress(container) == data
    # oletools' decompressor, written from the same spec by others, agrees
    assert bytes(decompress_stream(bytearray(container))) == data


SPEC_EXAMPLES = {  # MS-OVBA 3.2.1 and 3.2.2: input, and the output of the spec's own algorithm
    "no compression": (b"abcdefghijklmnopqrstuv.",
                       "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 "
                       "73 74 75 76 2E"),
    "normal": (b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa",
               "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C "
               "00 20 6D 6E 6F 70 06 71 02 70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C"),
}


@pytest.mark.parametrize("data, expected", SPEC_EXAMPLES.values(), ids=SPEC_EXAMPLES.keys())
def test_compression_matches_the_spec_examples_byte_for_byte(data, expected):
    assert compress(data) == bytes.fromhex(expected)
    assert decompress(bytes.fromhex(expected)) == data


def test_compression_shrinks_text():
    data = ROUND_TRIPS["VBA-like, many chunks"]
    assert len(data) > 5 * 4096
    assert len(compress(data)) < len(data) / 4


def test_long_match_late_in_a_chunk():
    # Past byte 2048 of a chunk a copy token has 12 offset bits and 4 length bits: a match is at
    # most 15 + 3 = 18 bytes, so a long run there must be split. ms-ovba-compression 1.0.1
    # computes that limit as 0xFFFF << bit_count + 3 and corrupts exactly this case.
    data = seeded_ascii(3000, bytes(range(32, 127))) + b"A" * 1000 + b"B" * 200
    data = data * 3  # and in later chunks, at every offset width
    container = compress(data)
    assert decompress(container) == data
    assert bytes(decompress_stream(bytearray(container))) == data


def test_installed_xlwings_module_round_trips():
    data = (XLWINGS / "xlwings.bas").read_bytes()
    assert len(data) > 10 * 4096
    container = compress(data)
    assert decompress(container) == data
    assert bytes(decompress_stream(bytearray(container))) == data


def test_incompressible_last_chunk_is_padded_as_the_spec_says():
    # 4000 random bytes do not fit a compressed chunk: MS-OVBA stores them raw, and a raw chunk
    # is always 4096 bytes, so 96 zeros come back too. VBA source (text) never gets here.
    data = random.Random(1).randbytes(4000)
    container = compress(data)
    assert container[1:3] == b"\xff\x3f"  # raw chunk header
    padded = data + b"\0" * 96
    assert decompress(container) == padded
    assert bytes(decompress_stream(bytearray(container))) == padded
    with pytest.raises(IncompressibleError):  # what a VBA project writer asks for
        compress(data, allow_raw=False)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab cdRunPython\"()\r\n\t", max_size=9000))
def test_compression_round_trips_any_text(text):
    data = text.encode("ascii")
    assert decompress(compress(data)) == data


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=9000))
def test_compression_round_trips_any_bytes_up_to_padding(data):
    back = decompress(compress(data))
    assert back[:len(data)] == data and not back[len(data):].strip(b"\0")
    assert back == bytes(decompress_stream(bytearray(compress(data))))


def test_decompressing_xlwings_own_module_stream_gives_its_source():
    ole = olefile.OleFileIO(io.BytesIO(template_bin()))
    source = decompress(ole.openstream("VBA/xlwings").read())  # MODULEOFFSET 0: source only
    assert source.startswith(b'Attribute VB_Name = "xlwings"')
    assert b"Public Function RunPython(PythonCommand As String)" in source
    # the template keeps the same module as the installed xlwings.bas (it stores bare LFs)
    assert crlf(source.decode("ascii")) == installed_xlwings_bas()


def test_decompress_rejects_what_is_not_a_container():
    with pytest.raises(ValueError):
        decompress(b"")
    with pytest.raises(ValueError):
        decompress(b"\x02\x00\xb0")
    with pytest.raises(ValueError, match="before its chunk"):
        decompress(b"\x01\x03\xb0\x01\x00\x00")  # a copy token as the very first token


# ---------------------------------------------------------------------------------------------
# Compound file
# ---------------------------------------------------------------------------------------------

def olefile_streams(data: bytes) -> dict[str, bytes]:
    ole = olefile.OleFileIO(io.BytesIO(data))
    try:
        return {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}
    finally:
        ole.close()


def test_olefile_reads_every_stream_we_write():
    streams = {
        "PROJECT": b"ID=...\r\n",
        "VBA/dir": b"d" * 100,
        "VBA/empty": b"",
        "VBA/mini, just under the cutoff": random.Random(2).randbytes(4095),
        "VBA/big, at the cutoff": random.Random(3).randbytes(4096),
        "VBA/Nested/big": random.Random(4).randbytes(70_000),
    }
    data = write_cfb(streams)
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1") and len(data) % 512 == 0
    assert olefile_streams(data) == streams
    assert read_cfb(data) == streams


def test_small_streams_go_to_the_mini_stream():
    data = write_cfb({"small": b"s" * 4095, "big": b"b" * 4096})
    ole = olefile.OleFileIO(io.BytesIO(data))
    root = ole.direntries[0]
    assert root.size == 64 * 64  # 4095 bytes fill 64 mini sectors
    assert ole.minisectorcutoff == 4096 and ole.sectorsize == 512


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 7, 8, 12, 15, 16, 31, 40])
def test_directory_siblings_form_a_valid_red_black_tree(count):
    names = ["M%d" % i for i in range(count)] + ["_VBA_PROJECT"] * (count > 5)
    data = write_cfb({"VBA/" + name: name.encode() for name in names})
    ole = olefile.OleFileIO(io.BytesIO(data))
    entries = {e.sid: e for e in ole.direntries if e is not None}
    storage = next(e for e in entries.values() if e.name == "VBA")

    def check(sid: int, low, high) -> int:
        """Black height of the subtree; asserts ordering and colours on the way."""
        if sid == olefile.NOSTREAM:
            return 1
        entry = entries[sid]
        key = name_key(entry.name)
        assert (low is None or low < key) and (high is None or key < high)
        if entry.color == RED:
            for child in (entry.sid_left, entry.sid_right):
                assert child == olefile.NOSTREAM or entries[child].color == BLACK
        left = check(entry.sid_left, low, key)
        assert left == check(entry.sid_right, key, high)
        return left + (entry.color == BLACK)

    assert entries[storage.sid_child].color == BLACK
    check(storage.sid_child, None, None)
    assert sorted(olefile_streams(data)) == sorted("VBA/" + n for n in names)


def test_compound_file_names_are_checked():
    with pytest.raises(CompoundFileError):
        write_cfb({"x" * 32: b""})
    with pytest.raises(CompoundFileError):
        write_cfb({"VBA/dir": b"", "vba/DIR": b""})


def test_read_cfb_agrees_with_olefile_on_the_template():
    assert read_cfb(template_bin()) == olefile_streams(template_bin())


# ---------------------------------------------------------------------------------------------
# The VBA project
# ---------------------------------------------------------------------------------------------

EXPECTED_MODULES = {  # name -> the file name olevba gives it (.bas standard, .cls the others)
    "ThisWorkbook": "ThisWorkbook.cls", "Sheet1": "Sheet1.cls", "Sheet2": "Sheet2.cls",
    "xlwings": "xlwings.bas", "Dictionary": "Dictionary.cls", "SalesPlan": "SalesPlan.bas",
}


def test_olevba_lists_exactly_the_expected_modules_with_their_sources(project):
    modules = olevba_modules(project)
    assert {name: file for name, (file, _) in modules.items()} == EXPECTED_MODULES
    sales_plan = (Path(__file__).parents[1] / "python/salesplan/vba/SalesPlan.bas").read_bytes()
    assert modules["SalesPlan"][1] == sales_plan.decode("ascii")  # stored CRLF, like the file
    assert modules["xlwings"][1] == installed_xlwings_bas()
    assert modules["Sheet2"][1].startswith('Attribute VB_Name = "Sheet2"\r\n'
                                           'Attribute VB_Base = "0{00020820-')  # a Worksheet
    assert 'VB_Base = "0{00020819-' in modules["ThisWorkbook"][1]  # a Workbook


def test_read_vba_modules_gives_back_what_was_built(project):
    modules = read_vba_modules(project)
    assert list(modules) == list(EXPECTED_MODULES)
    assert {name: code for name, (_, code) in olevba_modules(project).items()} == modules


def test_every_module_is_source_only(project):
    ole = olefile.OleFileIO(io.BytesIO(project))
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")
    dir_stream = read_dir(bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read()))))
    assert [m.offset for m in dir_stream.modules] == [0] * len(EXPECTED_MODULES)
    for module in dir_stream.modules:  # the whole stream is compressed source, nothing before it
        raw = ole.openstream("VBA/" + module.stream).read()
        source = bytes(decompress_stream(bytearray(raw)))
        assert source.startswith(b'Attribute VB_Name = "%s"' % module.name.encode())
    assert [m.procedural for m in dir_stream.modules] == [False, False, False, True, False, True]
    # the template's project records are kept: code page 1252, the MSForms and Office references
    assert dir_stream.codepage == "cp1252"
    assert b"MSForms" in b"".join(data for _, data in dir_stream.project_records)


def test_project_streams_list_the_modules(project):
    ole = olefile.OleFileIO(io.BytesIO(project))
    text = ole.openstream("PROJECT").read().decode("cp1252")
    template = olefile.OleFileIO(io.BytesIO(template_bin())).openstream("PROJECT").read()
    lines = text.split("\r\n")
    assert lines[0] == template.decode("cp1252").split("\r\n")[0]  # the same project ID
    assert lines[1:7] == ["Document=ThisWorkbook/&H00000000", "Document=Sheet1/&H00000000",
                          "Document=Sheet2/&H00000000", "Module=xlwings", "Class=Dictionary",
                          "Module=SalesPlan"]
    assert "Module1" not in text and 'Name="VBAProject"' in text
    assert text.endswith("[Workspace]\r\nThisWorkbook=0, 0, 0, 0, C\r\nSheet1=0, 0, 0, 0, C\r\n"
                         "Sheet2=0, 0, 0, 0, C\r\nxlwings=0, 0, 0, 0, C\r\n"
                         "Dictionary=0, 0, 0, 0, C\r\nSalesPlan=0, 0, 0, 0, C\r\n")
    names = ole.openstream("PROJECTwm").read()
    assert names == b"".join(n.encode() + b"\0" + n.encode("utf-16-le") + b"\0\0"
                             for n in EXPECTED_MODULES) + b"\0\0"


def test_build_is_deterministic(project):
    assert build_vba_project(default_modules(), sheets=["Sheet1", "Sheet2"]) == project


def test_modules_without_vb_name_line_and_with_lf_line_ends():
    built = build_vba_project({"Extra": "Sub A()\nEnd Sub"})
    assert read_vba_modules(built)["Extra"] == 'Attribute VB_Name = "Extra"\r\nSub A()\r\nEnd Sub\r\n'
    assert [n for n in read_vba_modules(built)] == ["ThisWorkbook", "xlwings", "Dictionary", "Extra"]


def test_read_vba_modules_skips_p_code():
    # The template's document modules carry compiled p-code in front of their source.
    modules = read_vba_modules(template_bin())
    assert modules["Module1"].startswith('Attribute VB_Name = "Module1"\r\nSub SampleCall()')
    assert modules["ThisWorkbook"].startswith('Attribute VB_Name = "ThisWorkbook"')


@pytest.mark.parametrize("modules, sheets, message", [
    ({"SalesPlan": "Sub A()\r\n    MsgBox \"Привет\"\r\nEnd Sub"}, [], "ASCII"),
    ({"xlwings": "Sub A()\r\nEnd Sub"}, [], "twice"),
    ({"Dictionary": ""}, [], "twice"),
    ({"sheet1": ""}, ["Sheet1"], "twice"),
    ({"A": ""}, ["Sheet1", "SHEET1"], "twice"),
    ({"1Module": ""}, [], "not a VBA module name"),
    ({"Sales Plan": ""}, [], "not a VBA module name"),
    ({"M" * 32: ""}, [], "not a VBA module name"),
    ({"A": 'Attribute VB_Name = "B"\r\n'}, [], "VB_Name"),
    ({"Blob": "' " + seeded_ascii(5000, bytes(range(33, 127))).decode()}, [], "do not compress"),
])
def test_bad_modules_are_refused(modules, sheets, message):
    with pytest.raises(VbaProjectError, match=message):
        build_vba_project(modules, sheets=sheets)


def test_a_stub_replaces_xlwings_and_its_dictionary():
    built = build_vba_project({}, xlwings_bas=STUB_XLWINGS)
    assert list(read_vba_modules(built)) == ["ThisWorkbook", "xlwings"]
    assert read_vba_modules(built)["xlwings"] == crlf(STUB_XLWINGS)


# ---------------------------------------------------------------------------------------------
# The macros
# ---------------------------------------------------------------------------------------------

def test_sales_plan_module_runs_fixed_commands_only():
    modules = default_modules()
    assert list(modules) == ["SalesPlan"]
    source = modules["SalesPlan"]
    assert source.isascii()
    lines = source.replace("\r\n", "\n").split("\n")
    assert lines[:2] == ['Attribute VB_Name = "SalesPlan"', "Option Explicit"]
    subs = re.findall(r"^Sub (\w+)\(\)\n(.*?)\nEnd Sub$", "\n".join(lines), re.M | re.S)
    assert {name: body for name, body in subs} == {
        name: '    RunPython "%s"' % command for name, command in MACROS.items()}
    # one RunPython per macro, each a string literal: nothing is concatenated into a command
    assert source.count("RunPython") == len(MACROS) + 1  # + the comment that explains it
    assert "&" not in source


# ---------------------------------------------------------------------------------------------
# A workbook built with XlsxWriter
# ---------------------------------------------------------------------------------------------

def start_workbook(path: Path, xlwings_bas: str | None = None) -> bytes:
    workbook = xlsxwriter.Workbook(str(path))
    start = workbook.add_worksheet("Start")
    workbook.add_worksheet("xlwings.conf")
    for row, macro in enumerate(MACROS):
        caption = "Построить план" if macro == "BuildPlan" else macro
        start.insert_button(1 + 3 * row, 1, {"macro": macro, "caption": caption,
                                              "width": 160, "height": 30})
    vba_bin = attach_vba_project(workbook, xlwings_bas=xlwings_bas)
    workbook.close()
    return vba_bin


def test_attach_keeps_code_names_and_modules_in_step(tmp_path):
    path = tmp_path / "book.xlsm"
    vba_bin = start_workbook(path)
    with zipfile.ZipFile(path) as package:
        assert package.read("xl/vbaProject.bin") == vba_bin
        workbook_xml = package.read("xl/workbook.xml").decode()
        code_names = [re.search(r'codeName="(\w+)"', package.read(
            "xl/worksheets/sheet%d.xml" % n).decode()).group(1) for n in (1, 2)]
        vml = package.read("xl/drawings/vmlDrawing1.vml").decode()
        content_types = package.read("[Content_Types].xml").decode()
    assert 'codeName="ThisWorkbook"' in workbook_xml
    assert code_names == ["Sheet1", "Sheet2"]
    documents = [name for name, file in
                 ((n, f) for n, (f, _) in olevba_modules(vba_bin).items()) if file.endswith(".cls")]
    assert documents == ["ThisWorkbook", "Sheet1", "Sheet2", "Dictionary"]
    assert re.findall(r"<x:FmlaMacro>(.*?)</x:FmlaMacro>", vml) == ["[0]!" + m for m in MACROS]
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in content_types


def test_attach_refuses_another_workbook_code_name(tmp_path):
    workbook = xlsxwriter.Workbook(str(tmp_path / "book.xlsm"))
    workbook.add_worksheet()
    workbook.set_vba_name("DieseArbeitsmappe")
    with pytest.raises(VbaProjectError, match="ThisWorkbook"):
        attach_vba_project(workbook)


# ---------------------------------------------------------------------------------------------
# LibreOffice: the modules, the buttons, and a click on each
# ---------------------------------------------------------------------------------------------

# Run by the system python3, which has LibreOffice's UNO bridge (Debian: python3-uno).
UNO_PROBE = r'''
import json, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

profile, pipe, specs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
office = subprocess.Popen(["soffice", "--headless", "--invisible", "--nologo", "--norestore",
                           "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
                           "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver",
                                                          local)
for _ in range(240):
    try:
        context = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        break
    except Exception:  # not listening yet
        time.sleep(0.25)
else:
    office.kill()
    sys.exit("LibreOffice did not start")
desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
reports = []
try:
    for spec in specs:
        # MacroExecutionMode 4: ALWAYS_EXECUTE_NO_WARN
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(spec["path"]), "_blank", 0,
                                           (prop("Hidden", True), prop("MacroExecutionMode", 4)))
        libraries = doc.BasicLibraries
        report = {"vba_mode": bool(libraries.VBACompatibilityMode), "libraries": {},
                  "buttons": []}
        for name in libraries.ElementNames:
            libraries.loadLibrary(name)
            library = libraries.getByName(name)
            report["libraries"][name] = {m: library.getByName(m) for m in library.ElementNames}
        for sheet in doc.Sheets.ElementNames:
            forms = doc.Sheets.getByName(sheet).DrawPage.Forms
            for f in range(forms.Count):
                form = forms.getByIndex(f)
                for c in range(form.Count):
                    events = form.getScriptEvents(c)
                    button = {"sheet": sheet, "label": form.getByIndex(c).Label,
                              "scripts": [e.ScriptCode for e in events], "ran": []}
                    if spec.get("click"):
                        log = doc.Sheets.getByName(spec.get("log_sheet", "Start")).getCellRangeByName("Z1")
                        for event in events:
                            log.String = ""
                            doc.ScriptProvider.getScript(event.ScriptCode).invoke((), (), ())
                            button["ran"].append(log.String)
                    report["buttons"].append(button)
        doc.close(True)
        reports.append(report)
finally:
    try:
        desktop.terminate()
    except Exception:  # the bridge goes down with the office
        pass
    try:
        office.wait(timeout=30)
    except subprocess.TimeoutExpired:
        office.kill()
print(json.dumps(reports))
'''
SYSTEM_PYTHON = "/usr/bin/python3"  # conftest.py checks it has uno for tests marked libreoffice(uno=True)


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory) -> dict[str, dict]:
    """What LibreOffice makes of the real workbook and of a copy with the stub RunPython."""
    folder = tmp_path_factory.mktemp("libreoffice")
    start_workbook(folder / "real.xlsm")
    start_workbook(folder / "stub.xlsm", xlwings_bas=STUB_XLWINGS)
    (folder / "probe.py").write_text(UNO_PROBE)
    specs = [{"path": str(folder / "real.xlsm")},
             {"path": str(folder / "stub.xlsm"), "click": True}]
    result = subprocess.run(
        [SYSTEM_PYTHON, str(folder / "probe.py"), str(folder / "profile"),
         "salesplan_vba_%d_%s" % (os.getpid(), folder.name), json.dumps(specs)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    real, stub = json.loads(result.stdout)
    return {"real": real, "stub": stub}


@pytest.mark.slow
@pytest.mark.libreoffice(uno=True)
def test_libreoffice_imports_every_module(libreoffice):
    real = libreoffice["real"]
    assert real["vba_mode"]
    modules = real["libraries"]["VBAProject"]
    assert sorted(modules) == sorted(EXPECTED_MODULES)
    assert "Sub BuildPlan()" in modules["SalesPlan"] and "RunPython" in modules["xlwings"]


@pytest.mark.slow
@pytest.mark.libreoffice(uno=True)
def test_libreoffice_binds_each_button_to_its_macro(libreoffice):
    buttons = libreoffice["real"]["buttons"]
    assert [(b["sheet"], b["label"]) for b in buttons] == [
        ("Start", "Построить план" if m == "BuildPlan" else m) for m in MACROS]
    assert [b["scripts"] for b in buttons] == [
        ["vnd.sun.star.script:VBAProject.SalesPlan.%s?language=Basic&location=document" % m]
        for m in MACROS]


@pytest.mark.slow
@pytest.mark.libreoffice(uno=True)
def test_each_button_hands_runpython_its_exact_command(libreoffice):
    stub = libreoffice["stub"]
    assert sorted(stub["libraries"]["VBAProject"]) == ["SalesPlan", "Sheet1", "Sheet2",
                                                       "ThisWorkbook", "xlwings"]
    assert [b["ran"] for b in stub["buttons"]] == [[command] for command in MACROS.values()]
