"""Importing WeasyPrint without two of its slow steps: finding its C libraries, and parsing C for sized arrays.

WeasyPrint finds each C library (GObject, Pango, HarfBuzz, fontconfig...) by trying a list of names made for every
platform, in turn, with cffi. When the dynamic loader does not know a name, cffi asks `ctypes.util.find_library`,
which on Linux runs `ldconfig`, then `gcc` and `ld`, in subprocesses: about 16 ms for each name made for another
platform, 0.2 s of every cold render. The list always holds the library's Linux soname (`libpango-1.0.so.0`),
which the dynamic loader finds itself.

So on Linux the first import attempt answers "not found" at once for every name the loader did not find itself.
Should that attempt fail (a library only `gcc` could find), WeasyPrint is imported again the usual way, with its
own message when a library is truly missing.

When it embeds a font, WeasyPrint asks cffi for arrays typed with their length in the text (`hb_codepoint_t[50]`).
cffi parses each new such text with pycparser together with every type name WeasyPrint declared, about 4 ms, and
the lengths differ from font to font and sheet to sheet. `sized_arrays_from_item_type` gives WeasyPrint's cffi
instance a shortcut: an array of a plain type name with a number is built from the item type, parsed once, with
cffi's own model, which is the type the full parse yields (a test checks that they are the same object).
"""
from __future__ import annotations

import contextlib
import io
import re
import sys
from types import ModuleType
from typing import Any, Iterator

_SIZED_ARRAY = re.compile(r"\s*([A-Za-z_]\w*)\s*\[\s*([0-9]+)\s*\]\s*\Z")


@contextlib.contextmanager
def _loader_only() -> Iterator[None]:
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = search


def import_weasyprint() -> ModuleType:
    """The `weasyprint` module, imported once per process."""
    if "weasyprint" not in sys.modules and sys.platform.startswith("linux"):
        try:
            # Quiet: on failure WeasyPrint prints advice, which the usual import below prints again if it applies.
            with _loader_only(), contextlib.redirect_stdout(io.StringIO()):
                import weasyprint  # noqa: F401
        except (OSError, ImportError):
            pass
    import weasyprint
    from weasyprint.text.ffi import ffi

    sized_arrays_from_item_type(ffi)
    return weasyprint


def sized_arrays_from_item_type(ffi: Any) -> None:
    """Let ffi build `name[N]` from the type `name`, parsed once, instead of parsing C again for every new N.

    Anything else, and anything the shortcut cannot build, goes through cffi's own parser as before; a cffi whose
    parser differs from the one this was written for is left as it is.
    """
    parser = getattr(ffi, "_parser", None)
    parse = getattr(parser, "parse_type", None)
    if parse is None or getattr(parse, "sized_arrays", False):
        return
    try:
        from cffi.model import ArrayType
    except ImportError:
        return
    items: dict[str, Any] = {}

    def parse_type(cdecl: str) -> Any:
        match = _SIZED_ARRAY.match(cdecl) if isinstance(cdecl, str) else None
        if match is None:
            return parse(cdecl)
        name, length = match.groups()
        if name not in items:
            items[name] = parse(name)
        return ArrayType(items[name], int(length))

    parse_type.sized_arrays = True  # type: ignore[attr-defined]
    parser.parse_type = parse_type
