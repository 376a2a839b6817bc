"""mkdocs-macros module: the functions hand-written pages call to place records.

Each returns a placeholder comment; the hook swaps it for the escaped HTML the playbook renderer made once
Python-Markdown is done with the page, so record text is never Markdown source and never re-rendered as a
template. Only pages with `render_macros: true` in their front matter are rendered.
"""
from __future__ import annotations

import difflib
import logging
import secrets
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import Abort

from playbook.diagnostics import ContentError
from playbook.render import checklist_widget, render, widget
from playbook.schema_source import KINDS
from playbook.settings import load_settings
from playbook.site import SLOTS, add_macro_problem, current_playbook, nav_lists


def _slot(html: str) -> Markup:
    token = secrets.token_hex(8)
    SLOTS[token] = str(html)
    return Markup(f"<!-- pb-slot {token} -->")


def define_env(env) -> None:
    """Register the playbook macros."""
    root = Path(env.conf["config_file_path"]).resolve().parent
    try:
        settings = load_settings(root)
    except ContentError as exc:  # mkdocs-macros loads this module before the hook's on_config sees the settings
        for d in exc.report.sorted():
            logging.getLogger("mkdocs.plugins.playbook").error(d.text())
        raise Abort(f"mkdocs.yml has {len(exc.report.errors)} error(s) in extra.playbook; fix them and build again "
                    f"(`playbook validate` shows the same list).")
    strings = settings.strings

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
        return _slot(widget(name, current_playbook(root, recheck=False), base(), strings, **extra))

    @env.macro
    def checklist(checklist_id: str):
        """A tickable checklist with its downloads."""
        pb = current_playbook(root, recheck=False)
        if checklist_id not in pb.checklists:
            return unknown("checklist", checklist_id, sorted(pb.checklists))
        return _slot(checklist_widget(pb, pb.checklists[checklist_id], base(), strings))

    @env.macro
    def scenario_table():
        """Every scenario with its tags, difficulty and time, filterable."""
        return _widget("scenario_table")

    @env.macro
    def situations(level: int = 2):
        """Every play by theme (extra.playbook.themes), its title first, then its situation; `level`: the themes'
        heading level (3 under a page's own `##` heading)."""
        if type(level) is not int or not 2 <= level <= 6:
            return problem("situations", f"level={level!r} must be a heading level from 2 to 6")
        return _widget("situations", themes=settings.themes, level=level)

    @env.macro
    def search_box():
        """A large "describe what is happening" box that hands what the reader types to the header's search."""
        return _slot(render("search_box.html", strings))

    @env.macro
    def agenda_entry():
        """A way to the agenda page, with what it is for; nothing when the playbook has no agenda page (nav)."""
        if not nav_lists(env.conf.get("nav"), "agenda.md"):
            return Markup("")
        return _slot(render("agenda_entry.html", strings, base=base()))

    @env.macro
    def steps_path():
        """The steps in order."""
        return _widget("steps_path")

    @env.macro
    def record_list(kind: str):
        """Every record of one kind: principles, pitfalls or checklists."""
        if kind not in KINDS:
            return unknown("record_list", kind, list(KINDS))
        return _widget("record_list", kind=kind)

    @env.macro
    def sources():
        """Each source, grouped, with where in the playbook it lives."""
        return _widget("sources")

    @env.macro
    def playbook_stats():
        """How many records of each kind the playbook holds."""
        pb = current_playbook(root, recheck=False)
        return {kind: len(pb.kind(kind)) for kind in KINDS}
