"""What changed when: the git history of data/, read once per build with one `git log` (no shell, no per-page call).

It gives each record's last change (shown on its page) and the recent additions and changes (the what's new page
and the feeds). Without git, outside a repository, or in a shallow clone the build goes on with what is known, and
`History.problem` says what is missing, for the build to say once. (mkdocs-git-revision-date-localized-plugin asks
git once per page and dates pages by their source files: generated record pages have none.)
"""
from __future__ import annotations

import datetime
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from playbook.records.schema_source import KINDS

# One line per commit (a record separator, the hash, the committer time, the decorations: "grafted" marks the
# oldest commit of a shallow clone), then its files. --relative keeps paths relative to the playbook's folder, which
# may sit anywhere in the repository.
_FORMAT = "--format=%x1e%H %ct %D"
GIT_TIMEOUT = 60


@dataclass(frozen=True)
class Change:
    """One commit's change to one record file."""

    path: str  # data/<kind>/<id>.yaml
    commit: str
    time: int  # committer time, seconds since the epoch
    added: bool
    day: str  # the commit's date in UTC, YYYY-MM-DD


@dataclass
class History:
    """The record files' changes, newest first, and why any history is missing ("" when it is all there)."""

    changes: list[Change] = field(default_factory=list)
    problem: str = ""

    def last_changed(self) -> dict[str, str]:
        """Each record file's last change date (UTC), by path."""
        out: dict[str, str] = {}
        for change in self.changes:  # newest first: the first seen is the last change
            out.setdefault(change.path, change.day)
        return out

    def recent(self, paths: set[str], limit: int) -> list[Change]:
        """The latest change of each record (of those at `paths`, the records there now) per day, newest first, at
        most `limit`; a record added that day is marked added, whatever else changed it the same day."""
        by_day: dict[tuple[str, str], Change] = {}
        for change in self.changes:
            if change.path not in paths:
                continue
            key = (change.day, change.path)
            first = by_day.get(key)
            if first is None:
                by_day[key] = change
            elif change.added and not first.added:
                by_day[key] = Change(first.path, first.commit, first.time, True, first.day)
        return list(by_day.values())[:limit]


def day(seconds: int) -> str:
    """A time as its UTC date, YYYY-MM-DD."""
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).date().isoformat()


def _record_path(path: str) -> bool:
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "data" and parts[1] in KINDS and parts[2].endswith(".yaml")


def parse_log(text: str) -> History:
    """Read `git log --name-status` output in the format above; a shallow clone's oldest commit is left out (its
    files would all read as added that day)."""
    history = History()
    for block in text.split("\x1e")[1:]:
        head, _, files = block.partition("\n")
        commit, _, rest = head.partition(" ")
        seconds, _, decorations = rest.partition(" ")
        if "grafted" in (d.strip() for d in decorations.split(",")):
            history.problem = ("the git clone is shallow, so changes up to " + day(int(seconds)) + " are unknown; "
                               "fetch the whole history (actions/checkout: fetch-depth: 0)")
            continue
        if not seconds.isdigit():
            continue
        when = int(seconds)
        on = day(when)  # once per commit: a commit may touch every record
        for line in files.splitlines():
            status, _, path = line.partition("\t")
            if status in ("A", "M") and _record_path(path):
                history.changes.append(Change(path, commit, when, status == "A", on))
    return history


def read_history(root: Path) -> History:
    """The history of root/data from git, or an empty one saying why there is none."""
    command = ["git", "-c", "core.quotepath=off", "log", "--no-renames", "--name-status", _FORMAT, "--relative",
               "--", "data"]
    # No prompt, no lock taken on the repository, no pager: a build only reads.
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_PAGER": "cat"}
    try:
        result = subprocess.run(command, cwd=root, capture_output=True, env=env, timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        return History(problem="git is not installed, so pages show no change dates and what's new is empty")
    except (OSError, subprocess.SubprocessError) as exc:
        return History(problem=f"git could not be run ({exc}), so pages show no change dates and what's new is empty")
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()
        return History(problem=f"no git history here ({reason[0] if reason else f'git exited {result.returncode}'}), "
                               "so pages show no change dates and what's new is empty")
    return parse_log(result.stdout.decode("utf-8", "replace"))
