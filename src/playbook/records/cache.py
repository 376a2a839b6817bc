"""The validated playbook cached across builds: when no record, setting or generator file changed, skip validation.

The key hashes every record file's bytes, the stray files, mkdocs.yml and the generator (storage.fingerprint: its
code, templates and library versions), so any change anywhere runs the full validation again. The cache is JSON
(record data and the warnings), never pickle, kept outside the checkout (storage.cache_dir), and what is read back
is checked again: a record whose kind, id or path is not one a record file could have drops the whole entry.
Records come back without their line and column tables, which only validation needs.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from playbook.core.diagnostics import ContentError, Diagnostic, Report
from playbook.records.load import MAX_ID_LENGTH, SLUG_RE, Record, record_files
from playbook.records.schema_source import KINDS
from playbook.core.settings import Settings, load_settings
from playbook.core.storage import fingerprint, write_atomic
from playbook.records.validate import validate


def content_key(root: Path) -> str:
    """A hash of everything validation reads: every record file, stray files, mkdocs.yml and the generator."""
    digest = hashlib.sha256()
    files, strays = record_files(root / "data")
    for path in files:
        digest.update(b"\0f" + path.relative_to(root).as_posix().encode("utf-8", "surrogatepass") + b"\0")
        digest.update(_file_digest(path))
    for path in strays:
        digest.update(b"\0s" + path.relative_to(root).as_posix().encode("utf-8", "surrogatepass"))
    config = root / "mkdocs.yml"
    try:
        digest.update(b"\0c" + config.read_bytes())
    except OSError:
        digest.update(b"\0no-config")
    return fingerprint("model", digest.hexdigest(), _page_names(root))


def _file_digest(path: Path) -> bytes:
    """A record file's hash, read a piece at a time; a link, a pipe or a device is named, never read or followed."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return f"unreadable {exc.errno}".encode()
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b"not a file"
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        return digest.digest()
    except OSError as exc:
        return f"unreadable {exc.errno}".encode()
    finally:
        os.close(fd)


def _page_names(root: Path) -> list[str]:
    """The names in the hand-written pages' folder (validation refuses links there and pages at a record's place)."""
    try:
        docs = root / load_settings(root).docs_dir
    except ContentError:
        return ["bad settings"]
    names = []
    for folder, dirs, files in os.walk(docs):
        rel = Path(folder).relative_to(root).as_posix()
        names += [f"{rel}/{name}" + ("@" if os.path.islink(os.path.join(folder, name)) else "")
                  for name in sorted(dirs + files)]
        dirs.sort()  # the same order every time (a link to a folder is listed, never walked into)
    return names


def _save(path: Path, key: str, report: Report, records: list[Record]) -> None:
    """JSON lines: the key, the report, then one record a line (read back without the whole file's text)."""
    head = {"key": key, "files": report.files,
            "diagnostics": [[d.file, d.line, d.column, d.severity, d.message, d.rule, d.field]
                            for d in report.diagnostics]}
    try:
        lines = [json.dumps(head, ensure_ascii=False, allow_nan=False)]
        lines += [json.dumps([r.kind, r.id, r.path, r.data], ensure_ascii=False, separators=(",", ":"),
                             allow_nan=False) for r in records]
        write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"), path.parent)
    except (TypeError, ValueError, OSError):  # a value JSON cannot carry exactly, or no room: validate next time
        return


def _load(path: Path, key: str) -> tuple[Report, list[Record]] | None:
    try:
        with path.open(encoding="utf-8") as lines:
            head: dict[str, Any] = json.loads(next(lines, "null")) or {}
            if head.get("key") != key:
                return None
            report = Report([Diagnostic(*d) for d in head["diagnostics"]], head["files"])
            records = [_checked(*json.loads(line)) for line in lines]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return report, records


def _checked(kind: Any, rid: Any, rel: Any, data: Any) -> Record:
    """A record read back from the cache, if a record file could have made it (ValueError otherwise)."""
    if not (kind in KINDS and isinstance(rid, str) and len(rid) <= MAX_ID_LENGTH and SLUG_RE.match(rid)
            and rel == f"data/{kind}/{rid}.yaml" and isinstance(data, dict)):
        raise ValueError(f"not a record: {kind!r} {rid!r} {rel!r}")
    return Record(kind, rid, rel, data)


def validate_cached(root: Path, cache_file: Path, settings: Settings | None = None) -> tuple[Report, list[Record]]:
    """validate(), or its clean result read back from cache_file when nothing it reads changed (pipeline.py asks)."""
    key = content_key(root)
    hit = _load(cache_file, key)
    if hit is not None:  # exactly the records of the files now under data/ (a clean entry has one for each)
        files, _ = record_files(root / "data")
        if sorted(r.path for r in hit[1]) != sorted(p.relative_to(root).as_posix() for p in files):
            hit = None
    if hit is None:
        report, records = validate(root, settings)
        if not report.failed():
            _save(cache_file, key, report, records)
        return report, records
    return hit
