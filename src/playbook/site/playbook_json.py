"""The whole playbook as data (`playbook.json` at the site root), for chat bots and other tools.

Each record's fields are handed on exactly as loaded from its YAML file; `schema_version` changes only when
the shape of this document changes, so a consumer can refuse a document it does not know.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playbook import __version__
from playbook.records.model import Playbook

SCHEMA_VERSION = 1


def playbook_json(pb: Playbook, site_url: str, title: str) -> str:
    """The playbook's records, sorted by kind then id, as one JSON document (UTF-8 text, no escapes)."""
    # Records hold only strings, integers, booleans, lists and mappings; allow_nan=False keeps the output JSON.
    return json.dumps(_document(pb, site_url, title), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def write_playbook_json(pb: Playbook, site_url: str, title: str, path: Path) -> None:
    """Write playbook_json() to path as it is encoded, never holding the whole text (a big site's build peak)."""
    with path.open("w", encoding="utf-8") as out:
        json.dump(_document(pb, site_url, title), out, ensure_ascii=False, indent=2, allow_nan=False)
        out.write("\n")


def _document(pb: Playbook, site_url: str, title: str) -> dict[str, Any]:
    base = site_url.rstrip("/") + "/" if site_url else ""
    records: list[dict[str, Any]] = []
    for record in sorted(pb.all(), key=lambda r: (r.kind, r.id)):
        entry: dict[str, Any] = {"kind": record.kind, "id": record.id, "url": record.url}
        if base:
            entry["href"] = base + record.url
        entry["fields"] = record.data
        records.append(entry)
    return {"schema_version": SCHEMA_VERSION, "generator": f"playbook {__version__}", "title": title,
            "site_url": base or None, "records": records}
