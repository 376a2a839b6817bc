"""What's new: the recent additions and changes as entries, and as an Atom feed (feed.xml) and a JSON Feed (feed.json).

Entries come from history.py (the git history of data/) and the current model (titles, summaries, addresses). Record
text is data here too: XML is written by ElementTree (escaped) and JSON by json.

Not mkdocs-rss-plugin: it writes RSS 2.0 and JSON Feed under its own file names (no Atom, no feed.xml), requires
site_url (we leave unknown addresses off), and dates a page by its source file, which generated record pages lack.
"""
from __future__ import annotations

import datetime
import json
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook.site.history import History
from playbook.records.model import Base, Playbook
from playbook.core.strings import Strings

PAGE_ENTRIES = 200  # on the what's new page
FEED_ENTRIES = 50  # in each feed
ATOM = "http://www.w3.org/2005/Atom"
JSON_FEED = "https://jsonfeed.org/version/1.1"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # characters XML 1.0 cannot hold


@dataclass(frozen=True)
class Entry:
    """One record added or changed on one day."""

    record: Base
    day: str  # YYYY-MM-DD (UTC)
    time: int  # the day's last change to the record, seconds since the epoch
    added: bool
    commit: str

    @property
    def id(self) -> str:
        """A permanent id for the entry: the same record changed by the same commit is the same entry."""
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'playbook-change:{self.record.path}@{self.commit}')}"


def entries(pb: Playbook, history: History, limit: int = PAGE_ENTRIES) -> list[Entry]:
    """The recent additions and changes of the records there are now: newest day first, and within a day the
    additions first, then by title."""
    by_path = {record.path: record for record in pb.all()}
    found = [Entry(by_path[c.path], c.day, c.time, c.added, c.commit) for c in history.recent(set(by_path), limit)]
    found.sort(key=lambda e: (not e.added, e.record.title.lower()))
    found.sort(key=lambda e: e.day, reverse=True)  # stable: each day keeps the order above
    return found


def by_day(found: list[Entry]) -> list[tuple[str, list[Entry]]]:
    """Entries grouped by day, in their order."""
    groups: dict[str, list[Entry]] = {}
    for entry in found:
        groups.setdefault(entry.day, []).append(entry)
    return list(groups.items())


def _stamp(seconds: int) -> str:
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _entry_title(entry: Entry, strings: Strings) -> str:
    change = strings("whats_new.added" if entry.added else "whats_new.changed")
    return strings("feed.entry_title", title=entry.record.title, change=change)


def _base(site_url: str) -> str:
    return site_url.rstrip("/") + "/" if site_url else ""


def _updated(found: list[Entry], now: int) -> int:
    return max((e.time for e in found), default=now)


def atom(pb: Playbook, history: History, title: str, site_url: str, strings: Strings, now: int) -> str:
    """An Atom 1.0 feed (RFC 4287) of the latest entries; links are relative when the site's address is unknown."""
    found = entries(pb, history, FEED_ENTRIES)
    base = _base(site_url)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = _clean(text)
        return node

    add(feed, "title", _clean(title))
    add(feed, "subtitle", strings("whats_new.intro_plain"))
    add(feed, "id", f"{base}feed.xml" if base else f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'playbook:' + title)}")
    add(feed, "updated", _stamp(_updated(found, now)))
    add(feed, "author").append(_named(title))
    add(feed, "link", rel="alternate", type="text/html", href=f"{base}whats-new/")
    if base:
        add(feed, "link", rel="self", type="application/atom+xml", href=f"{base}feed.xml")
    add(feed, "generator", "playbook")
    for entry in found:
        node = add(feed, "entry")
        add(node, "title", _entry_title(entry, strings))
        add(node, "id", entry.id)
        add(node, "updated", _stamp(entry.time))
        add(node, "link", rel="alternate", type="text/html", href=f"{base}{entry.record.url}")
        add(node, "category", term="added" if entry.added else "changed",
            label=strings("whats_new.added" if entry.added else "whats_new.changed"))
        add(node, "summary", entry.record.summary)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _named(title: str) -> ET.Element:
    name = ET.Element(f"{{{ATOM}}}name")
    name.text = _clean(title)
    return name


def json_feed(pb: Playbook, history: History, title: str, site_url: str, strings: Strings, now: int) -> str:
    """A JSON Feed 1.1 of the latest entries."""
    found = entries(pb, history, FEED_ENTRIES)
    base = _base(site_url)
    document: dict[str, Any] = {"version": JSON_FEED, "title": title,
                                "description": strings("whats_new.intro_plain")}
    if base:
        document.update(home_page_url=f"{base}whats-new/", feed_url=f"{base}feed.json")
    document["authors"] = [{"name": title}]
    document["items"] = [{
        "id": entry.id,
        "url": f"{base}{entry.record.url}",
        "title": _entry_title(entry, strings),
        "content_text": entry.record.summary,
        "date_modified": _stamp(entry.time),
        "tags": ["added" if entry.added else "changed"],
    } for entry in found]
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def write_feeds(pb: Playbook, history: History, title: str, site_url: str, strings: Strings, site_dir: Path,
                now: int) -> None:
    """feed.xml and feed.json at the site root."""
    (site_dir / "feed.xml").write_text(atom(pb, history, title, site_url, strings, now), encoding="utf-8")
    (site_dir / "feed.json").write_text(json_feed(pb, history, title, site_url, strings, now), encoding="utf-8")

