"""The pages the generator adds to a playbook's site: one per record, what's new, the agenda and the repository guides.

Each reaches MkDocs the supported way, as a file made in `on_files` (`File.generated`) with its page object made
right away (as Material's blog plugin makes its posts): a `PlaybookPage` whose HTML, headings and metadata the
renderer made, so MkDocs reads no Markdown for it and converts none. `PlaybookFile.is_modified` answers from content
keys, so `mkdocs serve --dirty` rebuilds only what changed.
"""
from __future__ import annotations

import hashlib
import html
import os
import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from playbook.site.compat import finish_page
from playbook.site.feeds import by_day, entries
from playbook.site.history import History
from playbook.site.render import RecordPage, render

REPO_DOCS = {"CONTRIBUTING.md": "contributing.md", "ADOPTING.md": "adopting.md"}
AGENDA = "agenda.md"  # the agenda builder, made (like the guides above) only when the nav lists it
WHATS_NEW = "whats-new.md"  # recent additions and changes (feeds.py), made on every playbook unless it has its own
_PLAYBOOK_MARKS = ("{{", "{%", "material/tags")  # a macro call or statement; a tags plugin listing


class PlaybookFile(File):
    """A file whose `is_modified` answers from content keys, for dirty rebuilds under `mkdocs serve --dirty`."""

    modified: bool = True

    def is_modified(self) -> bool:
        return self.modified or not os.path.isfile(self.abs_dest_path)


class PlaybookPage(Page):
    """A page whose HTML, headings and metadata the playbook renderer made; MkDocs only places it in the theme."""

    def __init__(self, record_page: RecordPage, file: File, config: Any, title: str | None = None) -> None:
        # A title mkdocs.yml's nav gives the page (`title`) wins, as it would for a page MkDocs made from the nav.
        super().__init__(title, file, config)
        self.playbook = record_page
        # Known from the start, also for pages a dirty rebuild does not read: a tag listing shows their titles.
        self.meta = dict(record_page.meta)
        self.markdown = ""

    def read_source(self, config: Any) -> None:
        self.markdown = ""
        self.meta = dict(self.playbook.meta)

    def render(self, config: Any, files: Files) -> None:
        finish_page(self, self.playbook.html, self.playbook.toc)


def nav_lists(nav: object, uri: str) -> bool:
    """Whether mkdocs.yml's nav names the page `uri` at any depth (no nav: MkDocs lists every page)."""
    if nav is None:
        return True
    if isinstance(nav, str):
        return nav == uri
    items = nav.values() if isinstance(nav, dict) else nav
    return any(nav_lists(item, uri) for item in items or ())


def listed(config: Any, uri: str) -> bool:
    """Whether a page the generator can make is wanted: the nav lists it, or there is no nav (MkDocs lists all)."""
    return nav_lists(config.nav, uri)


def nav_titles(nav: Any) -> dict[str, str]:
    """Each page path mkdocs.yml's nav gives a title (`- Title: page.md`), at any depth, with that title."""
    items = nav.items() if isinstance(nav, dict) else [(None, item) for item in nav] if isinstance(nav, list) else []
    titles: dict[str, str] = {}
    for title, item in items:
        if isinstance(item, str):
            if isinstance(title, str):
                titles.setdefault(item, title)
        else:
            titles = {**nav_titles(item), **titles}
    return titles


def whats_new_page(pb: Any, history: History, strings: Any) -> RecordPage:
    """The what's new page (whats-new/): recent additions and changes by day, from the history read this build."""
    body = str(render("whats_new.html", strings, days=by_day(entries(pb, history)), missing=bool(history.problem),
                      base="../"))
    return _made_page(WHATS_NEW, body, strings("whats_new.title"))


def agenda_page(strings: Any) -> RecordPage:
    """The agenda builder page (agenda/): the reader's list for their next meeting, kept in their browser."""
    return _made_page(AGENDA, str(render("agenda.html", strings)), strings("agenda.title"))


def _made_page(uri: str, body: str, title_words: str) -> RecordPage:
    # The title is metadata, which the theme prints raw (nav, <title>): escaped like a record page's (render.py).
    title = html.escape(title_words, quote=True)
    return RecordPage(uri, body, (), {"title": title, "search": {"exclude": True}}, "", "",
                      hashlib.sha256(f"{title}\0{body}".encode()).hexdigest())


def add_pages(files: Files, config: Any, pages: list[RecordPage], built: dict[str, str], same_config: bool) -> None:
    """Add each made page to the site as a generated file with its finished page; `built`: each page's key in the
    last build (a dirty rebuild writes only pages whose key changed)."""
    titles = nav_titles(config.nav)
    # The agenda is made only when the nav lists it; what's new is made always, in the nav only where it is listed.
    in_nav = {AGENDA} | ({WHATS_NEW} if nav_lists(config.nav or [], WHATS_NEW) else set())
    for page in pages:
        file = PlaybookFile.generated(config, page.src_uri, content="",
                                      inclusion=InclusionLevel.UNDEFINED if page.src_uri in in_nav
                                      else InclusionLevel.NOT_IN_NAV)
        file.modified = not same_config or built.get(page.src_uri) != page.key
        file.edit_uri = page.source_path or None
        files.append(file)
        # Page() sets file.page, which MkDocs's navigation then uses as it is.
        PlaybookPage(page, file, config, titles.get(page.src_uri))


def track_written_pages(files: Files, same_config: bool, same_playbook: bool) -> None:
    """Swap each hand-written page's file for a PlaybookFile that says whether it needs writing again: always when
    mkdocs.yml changed, when its own file did, or when the records changed and it can show them."""
    for file in list(files.documentation_pages()):
        if isinstance(file, PlaybookFile) or file.generated_by:
            continue  # made this build (a guide from the repository root): written every time
        tracked = PlaybookFile(file.src_uri, file.src_dir, file.dest_dir, file.use_directory_urls,
                               dest_uri=file.dest_uri, inclusion=file.inclusion)
        tracked.edit_uri = file.edit_uri
        tracked.modified = not same_config or File.is_modified(file) or (not same_playbook and _shows_playbook(file))
        files.remove(file)
        files.append(tracked)


def _shows_playbook(file: File) -> bool:
    """Whether a hand-written page can show records: it calls macros or holds a tag listing. Others need no
    rebuild when only the records changed (a generated page never reaches here unmarked: it has its own key)."""
    try:
        text = file.content_string
    except (OSError, UnicodeDecodeError):
        return True
    return any(mark in text for mark in _PLAYBOOK_MARKS)


def repo_doc(guide: Path, uri: str, config: Any) -> File:
    """A repository guide (CONTRIBUTING.md, ADOPTING.md) as a site page, its repo-relative links made absolute."""
    repo = (config.repo_url or "").rstrip("/")

    def absolute(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2)
        if re.match(r"^([a-z]+:|#|/)", target):
            return match.group(0)
        if target in REPO_DOCS and (guide.parent / target).is_file():
            return f"[{label}]({REPO_DOCS[target]})"
        return f"[{label}]({repo}/blob/main/{target})" if repo else label  # no repository known: plain text

    text = re.sub(r"\[([^\]]*)\]\(([^)\s]+)\)", absolute, guide.read_text(encoding="utf-8"))
    # A playbook's nav may leave the guide out (it is reached by links): then it is no "omitted" page for --strict.
    page = File.generated(config, uri, content=text,
                          inclusion=InclusionLevel.UNDEFINED if listed(config, uri) else InclusionLevel.NOT_IN_NAV)
    page.edit_uri = guide.name
    return page


def add_repo_docs(files: Files, config: Any, root: Path) -> None:
    """CONTRIBUTING.md and ADOPTING.md as pages, when the nav lists them and the playbook has no page of its own."""
    for name, uri in REPO_DOCS.items():
        guide = root / name
        if listed(config, uri) and guide.is_file() and not guide.is_symlink() and files.get_file_from_path(uri) is None:
            files.append(repo_doc(guide, uri, config))
