"""Load record files: read each one safely (never through a link, never past the size limit), cache it by content,
check its name and place, and find every record file under data/ and every page under content/.

The text of a file becomes a Record in yaml_reader.py, which locates every value; its names are importable from
here too.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from pathlib import Path

from playbook.core.diagnostics import ERROR, Diagnostic
from playbook.records.schema_source import KINDS, SLUG
from playbook.records.yaml_reader import (DEFAULT_LIMITS, MAX_INT, Limits, LoadResult, Path_, Record,  # noqa: F401
                                          Tagged, Yaml12Loader, field_name, parse_text, too_large)

SLUG_RE = re.compile(SLUG)

# An id names a page folder and files such as `<id>-letter.pdf`, which must stay under 255 bytes everywhere.
MAX_ID_LENGTH = 100


def _decode(raw: bytes, rel: str) -> tuple[str | None, list[Diagnostic]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [Diagnostic(rel, line, column, ERROR,
                                 f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8",
                                 "file.encoding")]
    return text, []


_CACHE: dict[tuple[str, Limits], LoadResult] = {}  # the last version of each file: an edit replaces its entry
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _symlink(rel: str) -> Diagnostic:
    return Diagnostic(rel, 1, 1, ERROR, "this is a symbolic link; records must be plain files in the repository, "
                                        "and links are never followed", "file.symlink")


def _read(path: Path, rel: str, limits: Limits) -> bytes | Diagnostic:
    """The file's bytes, read without following a link and never past the size limit."""
    if path.is_symlink():
        return _symlink(rel)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _symlink(rel)
        return Diagnostic(rel, 1, 1, ERROR, f"cannot read the file: {exc.strerror}", "file.read")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Diagnostic(rel, 1, 1, ERROR, "this is not a plain file; records must be plain files", "file.read")
        if info.st_size > limits.max_bytes:
            return too_large(rel, info.st_size, limits)
        chunks, size = [], 0
        while size <= limits.max_bytes:
            chunk = os.read(fd, limits.max_bytes + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limits.max_bytes:  # it grew after fstat
            return too_large(rel, size, limits)
        return b"".join(chunks)
    except OSError as exc:
        return Diagnostic(rel, 1, 1, ERROR, f"cannot read the file: {exc.strerror}", "file.read")
    finally:
        os.close(fd)


def load_file(path: Path, root: Path, limits: Limits = DEFAULT_LIMITS) -> LoadResult:
    """Load one record file; results are cached by content hash so an unchanged file is parsed once."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    kind = path.parent.name
    record_id = path.stem
    diags: list[Diagnostic] = []
    if path.is_symlink():
        return LoadResult(None, [_symlink(rel)])
    if path.suffix != ".yaml":
        return LoadResult(None, [Diagnostic(rel, 1, 1, ERROR,
                                            f"record files end in .yaml; rename it to {record_id}.yaml", "file.name")])
    if len(record_id) > MAX_ID_LENGTH:
        diags.append(Diagnostic(rel, 1, 1, ERROR, f"the id is {len(record_id)} characters long; shorten the file "
                                                  f"name to at most {MAX_ID_LENGTH} (ids name pages and files)",
                                "file.name"))
    elif not SLUG_RE.match(record_id):
        diags.append(Diagnostic(rel, 1, 1, ERROR,
                                f"file name {path.name!r} breaks the id rule: use lowercase words and digits joined by "
                                f"single hyphens, e.g. {_suggest_slug(record_id)}.yaml", "file.name"))
    raw = _read(path, rel, limits)
    if isinstance(raw, Diagnostic):
        return LoadResult(None, diags + [raw])
    digest = hashlib.sha256(raw).hexdigest()
    cached = _CACHE.get((rel, limits))
    if cached is None or cached.digest != digest:
        text, decode_diags = _decode(raw, rel)
        cached = LoadResult(None, decode_diags, digest) if text is None else parse_text(text, rel, kind, record_id,
                                                                                       limits)
        cached.digest = digest
        _CACHE[(rel, limits)] = cached
    return LoadResult(cached.record, diags + cached.diagnostics, digest)


def forget_parsed() -> None:
    """Drop the parse cache: a one-off build has no later edit to reuse it for, and frees the memory for pages."""
    _CACHE.clear()


def _suggest_slug(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "my-record"


def _walk(top: Path) -> tuple[list[tuple[Path, tuple[str, ...], str]], list[Path]]:
    """Every file below top as (its folder, the folder's parts below top, its name), and every symbolic link.

    Links are listed, never followed: not into a folder, and not to a file (`/dev/zero`, or one outside the
    repository); top itself, when it is a link, is the one link. Names stay strings: a big playbook has many files.
    """
    files: list[tuple[Path, tuple[str, ...], str]] = []
    links: list[Path] = []
    if top.is_symlink():
        return files, [top]
    folders: list[tuple[Path, tuple[str, ...]]] = [(top, ())]
    while folders:
        folder, parts = folders.pop()
        try:
            with os.scandir(folder) as entries:
                listing = list(entries)
        except OSError:  # missing, not a folder, or unreadable: nothing in it
            continue
        for entry in listing:
            name = entry.name
            if entry.is_symlink():
                links.append(folder / name)
            elif entry.is_dir(follow_symlinks=False):
                folders.append((folder / name, parts + (name,)))
            else:
                files.append((folder, parts, name))
    return files, links


def record_files(data_dir: Path) -> tuple[list[Path], list[Path]]:
    """The record files under data/, and stray files that sit where no record may (symbolic links among them).

    Links are listed, never followed: not into a folder, and not to a file (`/dev/zero`, or one outside the repository).
    """
    files, strays = _walk(data_dir)
    records: list[Path] = []
    for folder, parts, name in files:
        if name.startswith(".") or not name.endswith((".yaml", ".yml")):
            continue
        # A record sits exactly one folder down, in a kind's folder.
        (records if len(parts) == 1 and parts[0] in KINDS else strays).append(folder / name)
    return sorted(records), sorted(strays)


def content_files(docs_dir: Path) -> tuple[set[str], list[Path]]:
    """The hand-written pages' folder (the MkDocs docs_dir): its plain files, relative, and its symbolic links.

    MkDocs follows links there and publishes what they point at (a file or folder outside the repository, or
    anyone's home folder), so links are listed, never followed, and validation refuses them as under data/.
    """
    files, links = _walk(docs_dir)
    return {"/".join((*parts, name)) for _, parts, name in files}, sorted(links)


def content_link_diagnostic(path: Path, root: Path) -> Diagnostic:
    """A symbolic link among the hand-written pages."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    return Diagnostic(rel, 1, 1, ERROR, "this is a symbolic link; pages must be plain files in the repository, and "
                                        "links are never followed (the site would publish what it points at)",
                      "file.symlink")


def within_totals(files: list[Path], root: Path, limits: Limits) -> tuple[list[Path], list[Diagnostic]]:
    """The record files to load, or none and one located error when there are too many or they are too large together.

    Checked on the sizes the file system reports, before a file is read: a playbook over either total is refused
    in milliseconds, and its records are not checked (each would cost time and memory the limit is there to cap).
    """
    if len(files) > limits.max_records:
        rel = files[limits.max_records].relative_to(root).as_posix()
        return [], [Diagnostic(rel, 1, 1, ERROR, f"the playbook has {len(files):,} record files, over the limit of "
                                                 f"{limits.max_records:,} (extra.playbook.limits.max_records); this is "
                                                 f"the first one past it", "file.too-many")]
    total = 0
    for path in files:
        try:
            size = os.lstat(path).st_size
        except OSError:
            continue  # reported when it is read
        if size > limits.max_bytes:
            continue  # refused on its own, never read
        total += size
        if total > limits.max_total_bytes:
            rel = path.relative_to(root).as_posix()
            return [], [Diagnostic(rel, 1, 1, ERROR, f"with this file the record files hold {total:,} bytes, over "
                                                     f"the limit of {limits.max_total_bytes:,} for all of them "
                                                     f"(extra.playbook.limits.max_total_bytes)",
                                   "file.total-too-large")]
    return files, []


def stray_diagnostic(path: Path, root: Path) -> Diagnostic:
    """A YAML file that is not in one of the five kind folders, or a symbolic link anywhere under data/."""
    rel = path.relative_to(root).as_posix()
    if path.is_symlink():
        return _symlink(rel)
    kinds = ", ".join(KINDS)
    return Diagnostic(rel, 1, 1, ERROR, f"records live in data/<kind>/<id>.yaml with kind one of {kinds}; move this file",
                      "file.place")
