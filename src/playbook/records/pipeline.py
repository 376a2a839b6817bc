"""The one way to the validated playbook: load -> validate -> model, with reuse in memory and on disk as options.

Every caller that needs the model (exports, the site build, page macros, tests, benchmarks) asks here, so the model
is checked the same way whatever made it: validated now, kept from the last call when no data file changed, or read
back from the disk cache (records/cache.py, checked again as it is read) when nothing validation reads changed.
Commands that report on content as it is (`playbook validate`, `playbook stale`) call validate.validate themselves.
"""
from __future__ import annotations

import os
from pathlib import Path

from playbook.core.diagnostics import ContentError
from playbook.core.settings import Settings
from playbook.records.cache import validate_cached
from playbook.records.load import record_files
from playbook.records.model import Playbook, build
from playbook.records.validate import validate

Stamp = tuple[tuple[str, int, int], ...]
# The last model of each playbook, with the stamp of its data files and the settings it was checked with.
_LAST: dict[Path, tuple[Stamp, Settings | None, Playbook]] = {}


def _stamp(root: Path) -> Stamp:
    """Name, modification time and size of every file under data/ (a link is named, never followed)."""
    files, strays = record_files(root / "data")
    stamp = []
    for path in files + strays:
        try:
            info = os.lstat(path)
        except OSError:  # gone since it was listed: a change all the same
            stamp.append((str(path), -1, -1))
            continue
        stamp.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(stamp)


def validated_playbook(root: Path, settings: Settings | None = None, *, strict: bool = False,
                       cache_file: Path | None = None, reuse: bool = False, recheck: bool = True) -> Playbook:
    """The validated model of root/data; raises ContentError (errors, and warnings too when strict).

    settings: the playbook's settings, read once by the caller (None: read from root/mkdocs.yml, and a mistake
    in them is reported with the records' problems). cache_file: a disk cache that lets a new process skip
    validation when no record, setting or generator file changed. reuse: keep the last model in memory and
    return it while no data file changed and the settings are equal (pass the same settings, or None, on every
    call); with recheck=False it is returned without looking at the files (the pages of one build ask many times,
    and stat-ing every data file each time would cost more than the pages).
    """
    key = Path(root).resolve()
    last = _LAST.get(key) if reuse else None
    stamp: Stamp | None = None
    if last is not None and last[1] == settings:
        if not recheck or last[0] == (stamp := _stamp(key)):
            return _checked(last[2], strict)
    if reuse and stamp is None:
        stamp = _stamp(key)  # before validating: an edit made meanwhile is seen next time
    report, records = (validate(key, settings) if cache_file is None
                       else validate_cached(key, cache_file, settings))
    if report.failed(strict):
        raise ContentError(report, strict)
    playbook = build(records, key, report)
    if reuse and stamp is not None:
        _LAST[key] = (stamp, settings, playbook)
    return playbook


def _checked(playbook: Playbook, strict: bool) -> Playbook:
    """A kept model, as strict as this call asks (it was kept because it had no errors)."""
    if playbook.report.failed(strict):
        raise ContentError(playbook.report, strict)
    return playbook
