"""What the browser tests visit on the playbook the repository holds, and small helpers to read and visit it.

Nothing here names a record: the scenario, checklist and principle come from the playbook's own data, and the
pages from its nav, so the same tests run on any team's playbook (with steps or without, whatever the home page
embeds). Any kind may be missing: what the playbook lacks is None here, and a test that needs it skips with
`need(...)`, saying why.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from playbook.records.pipeline import validated_playbook
from playbook.core.settings import load_settings

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"

PLAYBOOK = validated_playbook(REPO)
SETTINGS = load_settings(REPO)  # read as the build reads it, with this environment's addresses
STRINGS = SETTINGS.strings
CHECKLISTS = sorted(PLAYBOOK.checklists)


def _home_checklist() -> str | None:
    """The checklist the home page places with `{{ checklist("<id>") }}`, if it places one."""
    home = REPO / "content" / "index.md"
    text = home.read_text(encoding="utf-8") if home.is_file() else ""
    found = [cid for cid in re.findall(r"""checklist\(\s*["']([a-z0-9-]+)["']\s*\)""", text) if cid in CHECKLISTS]
    return found[0] if found else None


def _scenario() -> str | None:
    """The first scenario (by id) that names a checklist, else the first scenario; None in a playbook without."""
    ids = sorted(PLAYBOOK.scenarios)
    return next((sid for sid in ids if PLAYBOOK.scenarios[sid].checklist is not None), ids[0] if ids else None)


SCENARIO = _scenario()
HOME_CHECKLIST = _home_checklist()
# The checklist the tests tick: the home page's (so ticks can be seen on both), else the scenario's, else the first.
CHECKLIST = (HOME_CHECKLIST or (getattr(PLAYBOOK.scenarios[SCENARIO].checklist, "id", None) if SCENARIO else None)
             or (CHECKLISTS[0] if CHECKLISTS else None))
PRINCIPLE = (PLAYBOOK.scenarios[SCENARIO].principles[0].id if SCENARIO
             else min(PLAYBOOK.principles) if PLAYBOOK.principles else None)
SCENARIO_TITLE = PLAYBOOK.scenarios[SCENARIO].title if SCENARIO else ""


def need(value: Any, what: str) -> Any:
    """`value`, or skip the test: the playbook lacks what it needs (any kind may be empty, any page left out)."""
    if value is None:
        import pytest

        pytest.skip(f"this playbook has no {what}")
    return value


def _search_word() -> str:
    """A word of a record's title that a reader would type to find it (the scenario's, else any record's): the one
    fewest records of its kind share."""
    records = list(PLAYBOOK.scenarios.values()) if SCENARIO else list(PLAYBOOK.all())
    target = PLAYBOOK.scenarios[SCENARIO] if SCENARIO else min(records, key=lambda r: r.id) if records else None
    if target is None:
        return SETTINGS.title.split()[0]
    texts = [f"{r.title} {getattr(r, 'situation', '')} {r.summary}".lower() for r in records]
    words = sorted(set(re.findall(r"[^\W\d_]{4,}", target.title.lower()))) or [max(target.id.split("-"), key=len)]
    return min(words, key=lambda word: (sum(word in text for text in texts), -len(word)))


SEARCH_WORD = _search_word()


def _nav_pages(entries: list[Any]) -> dict[str, str]:
    """Name -> site path of every hand-written page the nav lists (`index.md` -> "", `faq.md` -> "faq/")."""
    pages: dict[str, str] = {}
    for entry in entries:
        for value in (entry.values() if isinstance(entry, dict) else [entry]):
            if isinstance(value, list):
                pages.update(_nav_pages(value))
            elif isinstance(value, str) and value.endswith(".md") and "://" not in value:
                path = re.sub(r"(^|/)index\.md$", r"\1", value)
                path = re.sub(r"\.md$", "/", path)
                pages[path.strip("/").replace("/", "-") or "home"] = path
    return pages


PAGES = {
    **_nav_pages(yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8")).get("nav") or []),
    **({"scenario": f"scenarios/{SCENARIO}/"} if SCENARIO else {}),
    **({"checklist": f"checklists/{CHECKLIST}/"} if CHECKLIST else {}),
    **({"principle": f"principles/{PRINCIPLE}/"} if PRINCIPLE else {}),
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


def open_search(page: Any) -> Any:
    """Open the header's search as a reader does (the magnifier on a phone, the box itself on a desktop); the box."""
    opener = page.locator("label.md-header__button[for='__search']")
    if opener.is_visible():
        opener.click()
    box = page.locator("header input.md-search__input")
    box.click()
    return box


def search_results(page: Any, query: str) -> list[str]:
    """Type a query into the open search box and return the addresses of the results, in rank order."""
    box = page.locator("header input.md-search__input")
    box.fill(query[:-1])
    box.press(query[-1])
    answered = page.locator(f"#pb-search-results[data-query={json.dumps(query.strip(), ensure_ascii=False)}]")
    answered.wait_for(state="attached", timeout=30_000)
    return page.eval_on_selector_all("[data-search-result] a", "links => links.map(a => a.href)")


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
    critical = load_settings(REPO, env={}).strings["checklist.critical"]  # "(critical)", in the playbook's words
    for line in _export(site_dir, checklist):
        if line.startswith("## "):
            section = line[3:].strip()
        elif line.startswith("- [ ] "):
            text = line[6:].replace("**", "")
            items.append(Item(section, re.sub(rf"\s*{re.escape(critical)}$", "", text).strip()))
    assert items, f"no task-list items in the Markdown export of {checklist}"
    return items


_BODY = re.compile(r"<div data-pagefind-body\b[^>]*>(.*?)</article>", re.S)
_IGNORED = re.compile(r"<(\w+)\b[^>]*\s(?:data-pagefind-ignore|data-search-exclude)\b[^>]*>.*?</\1>", re.S)


def _indexed_pages(site_dir: Path) -> dict[str, str]:
    """The part of every built page search indexes (`data-pagefind-body`), by page location."""
    pages: dict[str, str] = {}
    for path in site_dir.rglob("*.html"):
        body = _BODY.search(path.read_text(encoding="utf-8"))
        if body:
            location = path.relative_to(site_dir).as_posix().removesuffix("index.html")
            pages[location] = body.group(1)
    return pages


def page_title(site_dir: Path, location: str) -> str:
    """A page's title as search shows it: the text of its first heading."""
    body = _indexed_pages(site_dir).get(location)
    assert body is not None, f"{location} is not indexed for search"
    heading = re.search(r"<h1\b[^>]*>(.*?)</h1>", body, re.S)
    assert heading, f"{location} has no title heading"
    return html.unescape(re.sub(r"<[^>]+>", "", heading.group(1))).strip()


def search_docs(site_dir: Path) -> dict[str, str]:
    """Lowercased text of every page search indexes, by page location."""
    return {location: html.unescape(re.sub(r"<[^>]+>", " ", _IGNORED.sub(" ", body))).lower()
            for location, body in _indexed_pages(site_dir).items()}


def rarest_word(site_dir: Path, location: str, text: str) -> str:
    """The word of `text` (five letters or more) on the page at `location` found on the fewest indexed pages."""
    pages = search_docs(site_dir)
    assert location in pages, f"{location} is not in the search index"
    # Whole words in any script ("nächsten", not its ASCII tail "chsten"), five letters or more.
    words = sorted(word for word in set(re.findall(r"[^\W\d_]{5,}", text.lower())) if word in pages[location])
    assert words, f"no searchable word of {text!r} is indexed for {location}"

    def pages_with(word: str) -> int:
        # Search stems words ("tempted" finds "tempting"): count the pages holding any word of its family.
        return sum(1 for body in pages.values() if re.search(rf"\b{word[:5]}", body))

    return min(words, key=lambda word: (pages_with(word), -len(word)))


def nav_titles() -> list[str]:
    """The top navigation titles of mkdocs.yml (they must not appear on a printed checklist)."""
    return [title for entry in site_config().get("nav") or [] if isinstance(entry, dict) for title in entry]


def site_config() -> dict[str, Any]:
    """mkdocs.yml as plain data (it uses no Python tags)."""
    return yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))


def foreign_requests(requests: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The recorded requests that went to any host other than 127.0.0.1 (data: and blob: stay local)."""
    return [(url, origin) for url, origin in requests
            if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != HOST]
