"""What the browser tests visit on the shipped playbook, and small helpers to read and visit it."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"

# One record of each kind that the issue names; the checklist is also the one the home page embeds.
SCENARIO = "my-manager-micromanages"
CHECKLIST = "prepare-for-a-1-1"
PRINCIPLE = "no-surprises"
CHECKLISTS = sorted(path.stem for path in (REPO / "data" / "checklists").glob("*.yaml"))

PAGES = {
    "home": "",
    "situations": "situations/",
    "scenarios": "scenarios/",
    "steps": "steps/",
    "principles": "principles/",
    "pitfalls": "pitfalls/",
    "checklists": "checklists/",
    "sources": "sources/",
    "faq": "faq/",
    "tags": "tags/",
    "scenario": f"scenarios/{SCENARIO}/",
    "checklist": f"checklists/{CHECKLIST}/",
    "principle": f"principles/{PRINCIPLE}/",
}
PALETTES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material's data-md-color-scheme


@dataclass(frozen=True)
class Item:
    """One checklist item as the shipped Markdown export lists it."""

    section: str
    text: str


def expect(target: Any) -> Any:
    """Playwright's `expect`, imported on use so that a missing playwright skips tests instead of breaking collection."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def goto(page: Any, path: str) -> Any:
    """Open a site path (relative to the served root) and insist it loaded."""
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: HTTP {response.status if response else 'no response'}"
    return response


def _export(site_dir: Path, checklist: str) -> list[str]:
    return (site_dir / "checklists" / checklist / f"{checklist}.md").read_text(encoding="utf-8").splitlines()


def checklist_title(site_dir: Path, checklist: str) -> str:
    """A checklist's title, the heading of its `<id>.md` export."""
    heading = _export(site_dir, checklist)[0]
    assert heading.startswith("# "), heading
    return heading[2:].strip()


def checklist_items(site_dir: Path, checklist: str) -> list[Item]:
    """The items of a checklist read from its `<id>.md` export, the source independent of the page's JS."""
    section = ""
    items = []
    for line in _export(site_dir, checklist):
        if line.startswith("## "):
            section = line[3:].strip()
        elif line.startswith("- [ ] "):
            text = line[6:].replace("**", "")
            items.append(Item(section, re.sub(r"\s*\(critical\)$", "", text).strip()))
    assert items, f"no task-list items in the Markdown export of {checklist}"
    return items


def _search_index(site_dir: Path) -> list[dict[str, Any]]:
    return json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def page_title(site_dir: Path, location: str) -> str:
    """A page's title as Material's search index holds it."""
    titles = [doc["title"] for doc in _search_index(site_dir) if doc["location"] == location]
    assert titles, f"{location} is not in the search index"
    return titles[0]


def search_docs(site_dir: Path) -> dict[str, str]:
    """Lowercased title and text of every page in Material's search index, by page location."""
    pages: dict[str, str] = {}
    for doc in _search_index(site_dir):
        text = re.sub(r"<[^>]+>", " ", f"{doc['title']} {doc['text']}").lower()
        location = doc["location"].split("#")[0]
        pages[location] = pages.get(location, "") + " " + text
    return pages


def rarest_word(site_dir: Path, location: str, text: str) -> str:
    """The word of `text` (five letters or more) on the page at `location` found on the fewest indexed pages."""
    pages = search_docs(site_dir)
    assert location in pages, f"{location} is not in the search index"
    words = sorted(word for word in set(re.findall(r"[a-z]{5,}", text.lower())) if word in pages[location])
    assert words, f"no searchable word of {text!r} is indexed for {location}"

    def pages_with(word: str) -> int:
        return sum(1 for body in pages.values() if re.search(rf"\b{word}\b", body))

    return min(words, key=lambda word: (pages_with(word), -len(word)))


def nav_titles() -> list[str]:
    """The navigation titles of mkdocs.yml (they must not appear on a printed checklist)."""
    return [title for entry in site_config()["nav"] for title in entry]


def site_config() -> dict[str, Any]:
    """mkdocs.yml as plain data (it uses no Python tags)."""
    return yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))


def foreign_requests(requests: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The recorded requests that went to any host other than 127.0.0.1 (data: and blob: stay local)."""
    return [(url, origin) for url, origin in requests
            if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != HOST]
