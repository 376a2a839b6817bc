"""How the print sheets' engine starts and runs: WeasyPrint imported without a subprocess, cffi types built without
parsing C again, and Python's cycle collector out of a sheet's way."""
from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import cffi
import pytest

from playbook.core.diagnostics import BuildError
from playbook.sheets.export import PAPERS, Renderer
from playbook.records.model import Checklist, Item, Section
from playbook.sheets.engine import import_weasyprint, sized_arrays_from_item_type
from playbook.core.settings import Settings
from support import REPO

TYPES = """
    typedef uint32_t hb_codepoint_t;
    typedef struct { int x; int y; } point_t;
"""


def _ffi(shortcut: bool) -> cffi.FFI:
    ffi = cffi.FFI()
    ffi.cdef(TYPES)
    if shortcut:
        sized_arrays_from_item_type(ffi)
    return ffi


@pytest.mark.own_fixtures
@pytest.mark.parametrize("text", ["hb_codepoint_t[50]", " hb_codepoint_t [ 7 ] ", "hb_codepoint_t[0]", "char[4]",
                                  "unsigned int[3]", "hb_codepoint_t[]", "hb_codepoint_t *", "unsigned int *",
                                  "hb_codepoint_t[2][3]"])
def test_sized_arrays_are_the_types_cffi_would_parse(text: str) -> None:
    fast, plain = _ffi(True), _ffi(False)
    assert fast.typeof(text) is plain.typeof(text)  # cffi shares one type object per C type between instances


@pytest.mark.own_fixtures
def test_sized_arrays_of_a_struct_are_arrays_of_that_struct() -> None:
    ffi = _ffi(True)
    array = ffi.typeof("point_t[3]")
    assert (array.kind, array.length, array.item) == ("array", 3, ffi.typeof("point_t"))
    assert ffi.sizeof(array) == 3 * ffi.sizeof("point_t")
    filled = ffi.new("point_t[2]", [(1, 2), (3, 4)])
    assert (filled[1].x, filled[1].y) == (3, 4)


@pytest.mark.own_fixtures
def test_a_new_length_parses_no_c() -> None:
    ffi = _ffi(True)
    ffi.typeof("hb_codepoint_t[1]")
    parses: list[str] = []
    real_parse = ffi._parser._parse
    ffi._parser._parse = lambda csource: parses.append(csource) or real_parse(csource)
    data = ffi.new("hb_codepoint_t[5043]", list(range(5043)))
    assert ffi.typeof("hb_codepoint_t[17]").length == 17
    assert parses == [] and data[5042] == 5042
    with pytest.raises(cffi.CDefError):  # names cffi does not know still fail as cffi fails them
        ffi.typeof("no_such_t[3]")


@pytest.mark.own_fixtures
def test_the_shortcut_is_installed_once_on_weasyprints_ffi() -> None:
    import_weasyprint()
    from weasyprint.text.ffi import ffi

    parse = ffi._parser.parse_type
    assert getattr(parse, "sized_arrays", False)
    sized_arrays_from_item_type(ffi)
    assert ffi._parser.parse_type is parse


IMPORT = """
import json, subprocess, sys
spawned = []
real = subprocess.Popen.__init__
def popen(self, args, *rest, **kw):
    spawned.append(args if isinstance(args, str) else " ".join(map(str, args)))
    return real(self, args, *rest, **kw)
subprocess.Popen.__init__ = popen
from playbook.sheets.engine import import_weasyprint
weasyprint = import_weasyprint()
weasyprint.HTML(string="<p>x</p>").write_pdf()
print(json.dumps(spawned))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the library search this avoids is Linux's")
def test_weasyprint_loads_its_libraries_without_running_a_program() -> None:
    """ctypes' library search runs ldconfig, gcc and ld for each of the names WeasyPrint tries (0.2 s in all)."""
    result = subprocess.run([sys.executable, "-c", IMPORT], capture_output=True, text=True, cwd=REPO,
                            env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []


def _checklist(items: int) -> Checklist:
    return Checklist(kind="checklists", id="c", path="data/checklists/c.yaml", title="C", summary="s", sources=[],
                     type="DO-CONFIRM", when="now", sections=[Section("Now", [Item(f"Item {i}") for i in range(items)])])


def test_the_collector_waits_for_the_end_of_a_sheet_and_is_restored() -> None:
    renderer = Renderer(Settings(root=Path(REPO), title="Test"))
    runs: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            runs.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        assert renderer.pdf(_checklist(5), PAPERS["a4"]).startswith(b"%PDF-")
        assert runs == [0], "one pass over the youngest generation, once the sheet is done"
        assert gc.isenabled()
        runs.clear()
        with pytest.raises(BuildError):
            renderer.pdf(_checklist(90), PAPERS["letter"])
        assert runs == [0] and gc.isenabled()
        gc.disable()
        try:
            renderer.pdf(_checklist(3), PAPERS["letter"])
            assert not gc.isenabled(), "a collector someone turned off stays off"
        finally:
            gc.enable()
    finally:
        gc.callbacks.remove(seen)
