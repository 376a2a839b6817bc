"""Record pages kept by key: a hash of everything a page shows, and the cache of finished pages across builds.

Under `mkdocs serve` only the pages whose key changed are rendered again; across builds the pages are kept as JSON
(never pickle) in the playbook's cache folder, and each one read back is checked before it is used.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from playbook.records.model import Base, Item, Playbook, Section
from playbook.records.schema_source import KINDS
from playbook.core.storage import fingerprint, write_atomic
from playbook.core.strings import Strings


@dataclass(frozen=True)
class RecordPage:
    """A record's page, finished: its path under the docs folder, its HTML, table of contents and metadata.

    The metadata is data (title and description HTML-escaped, as MkDocs' templates print them raw), never front
    matter, and the HTML is never Markdown: nothing here is parsed again by Python-Markdown.
    """

    src_uri: str
    html: str
    toc: tuple[tuple[str, str], ...]
    meta: dict[str, Any]
    source_path: str
    title: str
    key: str = ""  # a hash of everything the page shows: equal keys, identical pages


@lru_cache(maxsize=1)
def _templates_digest() -> str:
    """The generator's fingerprint (code, templates, library versions): changing any invalidates every cached page."""
    return fingerprint("pages")


_LINKED: dict[tuple[str, str, str], str] = {}  # a linked record's kind, id, title and summary, hashed, by its data


def _linked(record: Base) -> str:
    """A short hash of what a page shows of a record it links to (hub pages link to thousands: hash each once)."""
    key = (record.kind, record.id, data_digest(record.data))
    hit = _LINKED.get(key)
    if hit is None:
        text = json.dumps([record.kind, record.id, record.title, record.summary], ensure_ascii=False)
        hit = _LINKED[key] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    return hit


def _shown(value: Any) -> Any:
    """What a page shows of a linked value: a record's kind, id, title and summary; an item's words; as JSON data."""
    if isinstance(value, Base):
        return _linked(value)
    if isinstance(value, (list, tuple)):
        return [_shown(v) for v in value]
    if isinstance(value, Item):
        return [value.text, value.critical, _shown(value.guards)]
    if isinstance(value, Section):
        return [value.pause, _shown(value.items)]
    if dataclasses.is_dataclass(value):
        return [_shown(getattr(value, f.name)) for f in dataclasses.fields(value)]
    return value


# The hash of a record's data by the data's identity: the loader hands back the same object for an unchanged file,
# so under `mkdocs serve` only edited records are serialised again. The object is kept so its id stays its own.
_DATA_DIGESTS: dict[int, tuple[Any, str]] = {}


def data_digest(data: Any) -> str:
    """A hash of a record's data, worked out once per data object."""
    hit = _DATA_DIGESTS.get(id(data))
    if hit is not None and hit[0] is data:
        return hit[1]
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    _DATA_DIGESTS[id(data)] = (data, digest)
    return digest


def _links(value: Any) -> bool:
    """Whether a field holds other records (or items pointing at them), which its page shows by title and summary."""
    if isinstance(value, (list, tuple)):
        return bool(value) and isinstance(value[0], (Base, Section, tuple))
    return isinstance(value, Base)


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.name != "data")


def page_key(pb: Playbook, record: Base, strings_digest: str, changed: str = "") -> str:
    """A hash of everything a record's page shows: its own fields, what it links to, the words and templates, and
    its last change date."""
    linked = {name: _shown(value) for name in _field_names(type(record))
              if _links(value := getattr(record, name))}
    shown = [_templates_digest(), strings_digest, record.kind, record.id, record.path, data_digest(record.data),
             linked, changed]
    if record.kind == "steps":  # a step page shows the whole path
        shown.append(_shown(pb.path))
    text = json.dumps(shown, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def strings_digest(strings: Strings) -> str:
    """A hash of a playbook's words, part of every page key."""
    return hashlib.sha256(json.dumps(sorted(strings.items()), ensure_ascii=False).encode("utf-8")).hexdigest()


class PageCache:
    """Rendered record pages by page key, kept across `mkdocs serve` rebuilds and, as JSON, across builds."""

    def __init__(self, path: Path | None = None):
        self.path = path  # JSON lines: a version line, then one page a line
        self.pages: dict[str, RecordPage] = {}
        self.dirty = False
        self.loaded = path is None

    def _load(self) -> None:
        self.loaded = True
        # JSON, never pickle: the cache folder is just a folder, and its content is data. One page a line, so
        # reading it never holds the whole file's text besides the pages.
        try:
            with self.path.open(encoding="utf-8") as lines:
                head = json.loads(next(lines, "null"))
                if not isinstance(head, dict) or head.get("version") != _templates_digest():
                    return
                for line in lines:
                    src_uri, key, body, toc, meta, source_path, title = json.loads(line)
                    page = RecordPage(src_uri, body, tuple(tuple(t) for t in toc), meta, source_path, title, key)
                    if not _plausible(page):  # a cache is data from disk, not a source: checked again
                        raise ValueError(f"not a record page: {src_uri!r}")
                    self.pages[src_uri] = page
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            self.pages.clear()  # missing or unreadable (or an older format): render everything again

    def get(self, src_uri: str, key: str) -> RecordPage | None:
        if not self.loaded:
            self._load()
        page = self.pages.get(src_uri)
        return page if page is not None and page.key == key else None

    def put(self, page: RecordPage) -> None:
        self.pages[page.src_uri] = page
        self.dirty = True

    def keep_only(self, src_uris: set[str]) -> None:
        """Forget pages of records that are gone."""
        for gone in set(self.pages) - src_uris:
            del self.pages[gone]
            self.dirty = True

    def save(self) -> None:
        """Write the cache if anything changed (atomically: a half-written file is never read back)."""
        if self.path is None or not self.dirty:
            return

        def lines() -> Iterator[bytes]:  # one page at a time: never the whole file's text at once
            yield (json.dumps({"version": _templates_digest()}) + "\n").encode()
            for p in self.pages.values():
                line = [p.src_uri, p.key, p.html, p.toc, p.meta, p.source_path, p.title]
                text = json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n"
                yield text.encode("utf-8", "surrogatepass")

        write_atomic(self.path, lines(), self.path.parent)
        self.dirty = False


_PAGE_URI = re.compile(rf"^({'|'.join(KINDS)})/([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")


def _plausible(page: RecordPage) -> bool:
    """Whether a page read back from the cache is one record_page could have made: a record's place and edit path,
    text where text goes, headings as pairs of text."""
    where = _PAGE_URI.match(page.src_uri) if isinstance(page.src_uri, str) else None
    return (where is not None and page.source_path == f"data/{where.group(1)}/{where.group(2)}.yaml"
            and all(isinstance(v, str) for v in (page.html, page.title, page.key)) and isinstance(page.meta, dict)
            and all(len(t) == 2 and all(isinstance(v, str) for v in t) for t in page.toc))


def forget_keys() -> None:
    """Drop the per-process memos of record hashes (a one-off build has no later edit to reuse them for)."""
    _DATA_DIGESTS.clear()
    _LINKED.clear()
