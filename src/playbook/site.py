"""What the site build needs from the core, with no knowledge of MkDocs: the current model, reloaded on change."""
from __future__ import annotations

from pathlib import Path

from .load import record_files
from .model import Playbook, load_playbook

_current: dict[Path, tuple[tuple[tuple[str, int, int], ...], Playbook]] = {}


def _stamp(root: Path) -> tuple[tuple[str, int, int], ...]:
    files, strays = record_files(root / "data")
    stamp = []
    for path in files + strays:
        st = path.stat()
        stamp.append((path.as_posix(), st.st_mtime_ns, st.st_size))
    return tuple(stamp)


def current_playbook(root: Path, *, recheck: bool = True) -> Playbook:
    """The validated model of root/data, rebuilt only when a data file changed (raises ContentError).

    With recheck=False the model of the last check is returned as it is: pages built in the same build
    call this many times, and stat-ing every data file each time would cost more than the pages.
    """
    root = root.resolve()
    cached = _current.get(root)
    if cached and not recheck:
        return cached[1]
    stamp = _stamp(root)
    if cached and cached[0] == stamp:
        return cached[1]
    pb = load_playbook(root)
    _current[root] = (stamp, pb)
    return pb
