"""mkdocs-macros module: the functions hand-written pages call to place records.

Each returns escaped HTML from the playbook renderer; mkdocs-macros never re-renders what a macro returns,
so record text stays data. Only pages with `render_macros: true` in their front matter are rendered.
"""
from __future__ import annotations

from pathlib import Path

from playbook.render import checklist_widget, widget
from playbook.site import current_playbook


def define_env(env) -> None:
    """Register the playbook macros."""
    root = Path(env.conf["config_file_path"]).resolve().parent

    def base() -> str:
        url = env.page.url if env.page else ""
        depth = url.strip("/").count("/") + 1 if url.strip("/") else 0
        return "../" * depth

    def _widget(name: str, **extra):
        return widget(name, current_playbook(root, recheck=False), base(), **extra)

    @env.macro
    def checklist(checklist_id: str):
        """A tickable checklist with its downloads."""
        pb = current_playbook(root, recheck=False)
        if checklist_id not in pb.checklists:
            raise KeyError(f"checklist({checklist_id!r}): no such checklist; known: {', '.join(sorted(pb.checklists))}")
        return checklist_widget(pb, pb.checklists[checklist_id], base())

    @env.macro
    def scenario_table():
        """Every scenario with its tags, difficulty and time, filterable."""
        return _widget("scenario_table")

    @env.macro
    def situations():
        """Each scenario's trigger, linking to it."""
        return _widget("situations")

    @env.macro
    def steps_path():
        """The steps in order."""
        return _widget("steps_path")

    @env.macro
    def record_list(kind: str):
        """Every record of one kind: principles, pitfalls or checklists."""
        return _widget("record_list", kind=kind)

    @env.macro
    def sources():
        """Each source, grouped, with where in the playbook it lives."""
        return _widget("sources")

    @env.macro
    def playbook_stats():
        """How many records of each kind the playbook holds."""
        pb = current_playbook(root, recheck=False)
        return {kind: len(pb.kind(kind)) for kind in ("principles", "steps", "pitfalls", "checklists", "scenarios")}
