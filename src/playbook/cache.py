"""The validated playbook cached across builds: when no record, setting or generator file changed, skip validation.

The key hashes every record file's bytes, the stray files, mkdocs.yml and the generator's own code, so any change
anywhere runs the full validation again. The cache is JSON (record data and the warnings), never pickle: the
cache folder is only a folder, and nothing read from it is ever executed. Records come back without their
line and column tables, which only validation needs.
"""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .diagnostics import ContentError, Diagnostic, Report
from .load import Record, record_files
from .model import Playbook, build
from .validate import validate

FORMAT = 1


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """A hash of the generator's own modules: a changed rule or schema invalidates the cache."""
    digest = hashlib.sha256(f"{FORMAT}:{__version__}".encode())
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def content_key(root: Path) -> str:
    """A hash of everything validation reads: every record file, stray files, mkdocs.yml and the generator."""
    digest = hashlib.sha256(_code_digest().encode())
    files, strays = record_files(root / "data")
    for path in files:
        digest.update(b"\0f" + path.relative_to(root).as_posix().encode() + b"\0")
        try:
            if path.is_symlink():
                digest.update(b"link")
            else:
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError as exc:
            digest.update(f"unreadable {exc.errno}".encode())
    for path in strays:
        digest.update(b"\0s" + path.relative_to(root).as_posix().encode())
    config = root / "mkdocs.yml"
    try:
        digest.update(b"\0c" + config.read_bytes())
    except OSError:
        digest.update(b"\0no-config")
    return digest.hexdigest()


def _save(path: Path, key: str, report: Report, records: list[Record]) -> None:
    """JSON lines: the key, the report, then one record a line (read back without the whole file's text)."""
    head = {"key": key, "files": report.files,
            "diagnostics": [[d.file, d.line, d.column, d.severity, d.message, d.rule, d.field]
                            for d in report.diagnostics]}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as out:
            out.write(json.dumps(head, ensure_ascii=False, allow_nan=False) + "\n")
            for r in records:
                out.write(json.dumps([r.kind, r.id, r.path, r.data], ensure_ascii=False, separators=(",", ":"),
                                     allow_nan=False) + "\n")
    except (TypeError, ValueError):  # a value JSON cannot carry exactly: no cache, validate next time
        tmp.unlink(missing_ok=True)
        return
    os.replace(tmp, path)


def _load(path: Path, key: str) -> tuple[Report, list[Record]] | None:
    try:
        with path.open(encoding="utf-8") as lines:
            head: dict[str, Any] = json.loads(next(lines, "null")) or {}
            if head.get("key") != key:
                return None
            report = Report([Diagnostic(*d) for d in head["diagnostics"]], head["files"])
            records = [Record(kind, rid, rel, record) for kind, rid, rel, record in map(json.loads, lines)]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return report, records


def validated_playbook(root: Path, cache_file: Path) -> Playbook:
    """The model of root/data, validated now or taken from cache_file when nothing changed (raises ContentError)."""
    key = content_key(root)
    hit = _load(cache_file, key)
    if hit is None:
        report, records = validate(root)
        if not report.failed():
            _save(cache_file, key, report, records)
    else:
        report, records = hit
    if report.failed():
        raise ContentError(report, False)
    return build(records, root, report)
