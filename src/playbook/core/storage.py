"""Where the build caches live, the one fingerprint every cache entry is keyed on, and the one atomic write.

Caches are untrusted data. They live outside the checkout (a pull request can commit any file inside it, and one
once committed `.cache/` with pages holding script): under `$XDG_CACHE_HOME/playbook/` (else `~/.cache/playbook/`),
one folder per repository. Every key covers everything that made the entry: the sources it was made from, the
generator's own files and the versions of the libraries that shape the output. Writes go through `write_atomic`,
which never leaves its base folder and never writes through a link.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from playbook import __version__

FORMAT = 2  # of every cache file; a change here drops all of them
PACKAGE = Path(__file__).resolve().parent.parent  # the whole generator: its code, templates and assets
# The libraries whose version changes a page, a search entry, a validation result or a sheet.
LIBRARIES = ("PyYAML", "jsonschema", "jsonschema-rs", "Jinja2", "MarkupSafe", "markdown-it-py", "Markdown", "mkdocs",
             "mkdocs-material", "mkdocs-macros-plugin", "weasyprint", "pydyf", "tinycss2", "tinyhtml5", "cssselect2",
             "fonttools", "Pyphen", "pillow")
_SUFFIXES = (".py", ".html", ".css", ".js", ".json", ".svg")


def cache_home(env: Mapping[str, str] | None = None) -> Path | None:
    """`$XDG_CACHE_HOME/playbook` (an absolute path, as the XDG spec requires), else `~/.cache/playbook`."""
    env = os.environ if env is None else env
    xdg = env.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "playbook"
    try:
        return Path.home() / ".cache" / "playbook"
    except RuntimeError:  # no home folder known: no cache
        return None


def cache_dir(root: Path, env: Mapping[str, str] | None = None) -> Path | None:
    """This playbook's cache folder, keyed by its resolved path; None (no cache) when that would be inside it."""
    home = cache_home(env)
    if home is None:
        return None
    root = Path(root).resolve()
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", root.name)[:40] or "playbook"
    folder = home.resolve() / f"{name}-{hashlib.sha256(str(root).encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"
    # A cache inside the checkout could be committed, and a pull request would then write the build's cache.
    return None if folder.is_relative_to(root) else folder


def _library_versions() -> list[tuple[str, str]]:
    from importlib import metadata

    found = []
    for name in LIBRARIES:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, ""))
    return found


@lru_cache(maxsize=1)
def generator_digest() -> str:
    """A hash of the generator: its version, every code, template, theme and asset file, Python and the libraries."""
    digest = hashlib.sha256(f"{FORMAT}:{__version__}:{sys.version}".encode())
    digest.update(json.dumps(_library_versions()).encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in _SUFFIXES and "__pycache__" not in path.parts and path.is_file():
            digest.update(b"\0" + path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    """What json.dumps cannot take as it is (a dataclass, a mapping, a path), as plain data."""
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if hasattr(value, "items"):
        return dict(value.items())
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return str(value)


def fingerprint(*parts: Any) -> str:
    """The key of a cache entry: the generator's digest and every part (plain data), hashed together."""
    text = json.dumps([generator_digest(), *parts], sort_keys=True, ensure_ascii=False, default=_plain,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class OutsideError(OSError):
    """A write aimed outside the folder it must stay in."""


def inside(path: Path, base: Path) -> Path:
    """path, made absolute, when it lies under base (no `..` or link leads out); else OutsideError."""
    base = Path(os.path.abspath(base))
    full = Path(os.path.abspath(path))
    if not full.is_relative_to(base) or full == base:
        raise OutsideError(f"{path} is outside {base}")
    return full


def make_folder(folder: Path, base: Path | None = None) -> None:
    """Make folder a real directory; below base (a folder we own), a link in the way is replaced, never followed."""
    folder = Path(os.path.abspath(folder))
    if base is not None:
        base = Path(os.path.abspath(base))
        if folder != base:
            inside(folder, base)
            probe = base
            for part in folder.relative_to(base).parts:
                probe = probe / part
                if probe.is_symlink():
                    probe.unlink()
    folder.mkdir(parents=True, exist_ok=True)


_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once: mkstemp makes files 0600, but a published file must be as readable as any other


def write_atomic(path: Path, data: bytes | Iterable[bytes], base: Path | None = None) -> None:
    """Write data (bytes, or chunks of them) to path through a fresh temporary file renamed over it.

    A reader never sees half a file, a link at the target or at a temporary name is replaced, never written through,
    and with base nothing is written outside base (OutsideError, an OSError, like any other failure).
    """
    if base is not None:
        path = inside(path, base)
    make_folder(path.parent, base)
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)  # O_EXCL, a fresh random name
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), 0o666 & ~_UMASK)
            if isinstance(data, (bytes, bytearray)):
                handle.write(data)
            else:
                handle.writelines(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


if __name__ == "__main__":  # `python -m playbook.core.storage [ROOT]`: this playbook's cache folder (make clean uses it)
    where = cache_dir(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
    print(where or "")
