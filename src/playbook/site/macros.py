"""The page macros: what hand-written pages call to place records (`{{ checklist("id") }}`, `{{ scenario_table() }}`).

The plugin registers them with mkdocs-macros through its `register_macros` hook for other plugins, so a playbook's
mkdocs.yml needs only `- macros` (with `render_by_default: false`) and no code of its own. Each returns a placeholder
comment; the plugin swaps it for the escaped HTML the renderer made once Python-Markdown is done with the page, so
record text is never Markdown source and never re-rendered as a template. Only pages with `render_macros: true` in
their front matter are rendered.
"""
from __future__ import annotations

import difflib
import secrets
from pathlib import Path
from typing import Any, Callable

from markupsafe import Markup

from playbook.records.schema_source import KINDS
from playbook.records.pipeline import validated_playbook
from playbook.site.pages import AGENDA, nav_lists
from playbook.site.slots import SLOTS, add_macro_problem
from playbook.site.render import checklist_widget, render, widget


def _slot(html: str) -> Markup:
    token = secrets.token_hex(8)
    SLOTS[token] = str(html)
    return Markup(f"<!-- pb-slot {token} -->")


def macro_functions(env: Any, root: Path, settings: Any) -> dict[str, Callable[..., Any]]:
    """The playbook macros for mkdocs-macros' `register_macros`; `env` is the macros plugin (its `page`, `conf`)."""
    strings = settings.strings
    macros: dict[str, Callable[..., Any]] = {}

    def macro(function: Callable[..., Any]) -> Callable[..., Any]:
        macros[function.__name__] = function
        return function

    def base() -> str:
        url = env.page.url if env.page else ""
        depth = url.strip("/").count("/") + 1 if url.strip("/") else 0
        return "../" * depth

    def problem(macro: str, text: str) -> Markup:
        """Log one located line for a macro called wrongly; the hook stops the build after the page."""
        page = env.page.file.src_uri if env.page else "?"
        source = env.page.file.content_string if env.page else ""
        line = next((i for i, line in enumerate(source.splitlines(), 1) if f"{macro}(" in line), 1)
        add_macro_problem(page, f"{Path(env.conf['docs_dir']).name}/{page}:{line}: error: {macro}(): {text} "
                                f"[macro.argument]")
        return Markup("")

    def unknown(macro: str, wanted: str, known: list[str]) -> Markup:
        """Log one located line for a macro naming a missing record; the hook stops the build after the page."""
        page = env.page.file.src_uri if env.page else "?"
        source = env.page.file.content_string if env.page else ""
        line = next((i for i, text in enumerate(source.splitlines(), 1) if macro in text and wanted in text), 1)
        close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.5)
        hint = f"nearest: {', '.join(close)}" if close else f"known: {', '.join(known[:10]) or 'none'}"
        add_macro_problem(page, f"{Path(env.conf['docs_dir']).name}/{page}:{line}: error: {macro}({wanted!r}): "
                                f"no such record; {hint} [macro.unknown-record]")
        return Markup("")

    def _widget(name: str, **extra):
        return _slot(widget(name, validated_playbook(root, settings, reuse=True, recheck=False), base(), strings, **extra))

    @macro
    def checklist(checklist_id: str):
        """A tickable checklist with its downloads."""
        pb = validated_playbook(root, settings, reuse=True, recheck=False)
        if checklist_id not in pb.checklists:
            return unknown("checklist", checklist_id, sorted(pb.checklists))
        return _slot(checklist_widget(pb, pb.checklists[checklist_id], base(), strings))

    @macro
    def scenario_table():
        """Every scenario with its tags, difficulty and time, filterable."""
        return _widget("scenario_table")

    @macro
    def situations(level: int = 2):
        """Every play by theme (extra.playbook.themes), its title first, then its situation; `level`: the themes'
        heading level (3 under a page's own `##` heading)."""
        if type(level) is not int or not 2 <= level <= 6:
            return problem("situations", f"level={level!r} must be a heading level from 2 to 6")
        return _widget("situations", themes=settings.themes, level=level)

    @macro
    def search_box():
        """A large "describe what is happening" box that hands what the reader types to the header's search."""
        return _slot(render("search_box.html", strings))

    @macro
    def agenda_entry():
        """A way to the agenda page, with what it is for; nothing when the playbook has no agenda page (nav)."""
        if not nav_lists(env.conf.get("nav"), AGENDA):
            return Markup("")
        return _slot(render("agenda_entry.html", strings, base=base()))

    @macro
    def steps_path():
        """The steps in order."""
        return _widget("steps_path")

    @macro
    def record_list(kind: str):
        """Every record of one kind: principles, pitfalls or checklists."""
        if kind not in KINDS:
            return unknown("record_list", kind, list(KINDS))
        return _widget("record_list", kind=kind)

    @macro
    def sources():
        """Each source, grouped, with where in the playbook it lives."""
        return _widget("sources")

    @macro
    def playbook_stats():
        """How many records of each kind the playbook holds."""
        pb = validated_playbook(root, settings, reuse=True, recheck=False)
        return {kind: len(pb.kind(kind)) for kind in KINDS}

    return macros
