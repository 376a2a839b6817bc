"""Every use of MkDocs, Material or mkdocs-macros internals, in one place, each pinned by tests/unit/test_compat.py.

The rest of the site layer uses only documented API (plugin events, `File.generated`, `Page` subclasses,
mkdocs-macros' `register_macros` and `env.page`). What is here reaches further: a field MkDocs fills while it
renders Markdown (which a finished page must fill itself), the tags plugin's collections (for `serve --dirty`),
mkdocs-macros' git lookup and the theme's template folders. When an upstream release changes one of these, its test
in tests/unit/test_compat.py fails by name, and this module is the one place to adapt (also for ProperDocs).
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc


def finish_page(page: Page, html: str, headings: Iterable[tuple[str, str]]) -> None:
    """Fill what `Page.render` fills, for a page whose HTML was made elsewhere: content, the table of contents
    (level-2 headings), no title taken from the HTML, and the anchors MkDocs checks links against."""
    pairs = list(headings)
    page.content = html
    page.toc = get_toc([{"level": 2, "id": hid, "name": name, "children": []} for hid, name in pairs])
    page._title_from_render = None  # MkDocs would take the first <h1>: the title is the record's, from meta
    page.present_anchor_ids = {hid for hid, _ in pairs}  # validation.anchors: links to #id on this page
    page.links_to_anchors = {}  # the page's own links were checked when it was rendered (render.py)


def add_theme_dir(config: Any, folder: str) -> None:
    """Put the generator's theme overrides after the playbook's own custom_dir and before the theme's templates."""
    dirs = config.theme.dirs
    if folder not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, folder)


def tags_plugin(config: Any) -> Any | None:
    """Material's tags plugin instance when mkdocs.yml enables it (it keeps its pages in `mappings`)."""
    return next((p for p in config.plugins.values() if hasattr(p, "mappings") and hasattr(p, "listings")), None)


def add_tagged_page(tags: Any, page: Page) -> None:
    """Hand the tags plugin a page it did not read this build (a dirty rebuild skips unchanged pages), so its
    listings stay complete."""
    if tags.filter(page.file):
        tags.mappings.add(page, page.markdown or "")


def macros_plugin(config: Any) -> Any | None:
    """The mkdocs-macros plugin instance, if mkdocs.yml lists it (found by the `register_macros` hook it offers and
    its `page` property, which raises until a page is rendered)."""
    return next((p for p in config.plugins.values()
                 if callable(getattr(p, "register_macros", None)) and isinstance(getattr(type(p), "page", None),
                                                                                 property)), None)


def ask_git_once() -> None:
    """mkdocs-macros asks git a dozen questions, a process each, on every build (about 0.4 s): under `serve`, where
    every edit is a build, ask once per server. A page showing `git.commit` shows the commit the server began on."""
    try:
        from mkdocs_macros import context
    except ImportError:
        return
    asked: Callable[[], dict] = context.get_git_info
    if getattr(asked, "pb_once", False):
        return
    answers: list[dict] = []

    def get_git_info() -> dict:
        if not answers:
            answers.append(asked())
        return dict(answers[0])

    get_git_info.pb_once = True  # type: ignore[attr-defined]
    context.get_git_info = get_git_info
