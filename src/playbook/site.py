"""What the site build needs from the core, with no knowledge of MkDocs: the current model, reloaded on change."""
from __future__ import annotations

import os
from pathlib import Path

from .cache import validated_playbook
from .load import record_files
from .model import Playbook, load_playbook

_current: dict[Path, tuple[tuple[tuple[str, int, int], ...], Playbook]] = {}


def _stamp(root: Path) -> tuple[tuple[str, int, int], ...]:
    files, strays = record_files(root / "data")
    stamp = []
    for path in files + strays:
        name = str(path)
        st = os.lstat(name)  # a link under data/ is reported, never followed (it may be dangling, or /dev/zero)
        stamp.append((name, st.st_mtime_ns, st.st_size))
    return tuple(stamp)


def current_playbook(root: Path, *, recheck: bool = True, cache_file: Path | None = None) -> Playbook:
    """The validated model of root/data, rebuilt only when a data file changed (raises ContentError).

    With recheck=False the model of the last check is returned as it is: pages built in the same build
    call this many times, and stat-ing every data file each time would cost more than the pages. With a
    cache_file, a new process skips validation when nothing it reads changed (see cache.py).
    """
    root = root.resolve()
    cached = _current.get(root)
    if cached and not recheck:
        return cached[1]
    stamp = _stamp(root)
    if cached and cached[0] == stamp:
        return cached[1]
    pb = load_playbook(root) if cache_file is None else validated_playbook(root, cache_file)
    _current[root] = (stamp, pb)
    return pb


# HTML that page macros made, waiting for its placeholder comment: Markdown never sees record text.
SLOTS: dict[str, str] = {}
_MACRO_PROBLEMS: dict[str, list[str]] = {}


def add_macro_problem(page: str, line: str) -> None:
    """Remember a one-line macro error for a page; the build stops on it after the page's macros ran."""
    _MACRO_PROBLEMS.setdefault(page, []).append(line)


def macro_problems(page: str) -> list[str]:
    """The macro errors of a page (and forget them)."""
    return _MACRO_PROBLEMS.pop(page, [])


def nav_lists(nav: object, uri: str) -> bool:
    """Whether mkdocs.yml's nav names the page `uri` at any depth (no nav: MkDocs lists every page)."""
    if nav is None:
        return True
    if isinstance(nav, str):
        return nav == uri
    items = nav.values() if isinstance(nav, dict) else nav
    return any(nav_lists(item, uri) for item in items or ())
