"""Render the model to HTML: record pages and the widgets that hand-written pages place through macros.

One Jinja environment with autoescape on. Contributor text is only ever a template *variable*, never template
source, so `{{ 7*7 }}` or `<script>` in a record is shown literally.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .markup import inline
from .model import HOW_TO, SCRIPT_LABELS, Base, Checklist, Playbook

KIND_LABELS = {"principles": "Principle", "steps": "Step", "pitfalls": "Pitfall", "checklists": "Checklist",
               "scenarios": "Scenario"}
_BLANK_LINES = re.compile(r"\n\s*\n+")


@dataclass(frozen=True)
class GeneratedPage:
    """A page made in memory: its path under the docs folder, its Markdown, and the YAML file it comes from."""

    src_uri: str
    content: str
    source_path: str


def item_key(section: int, text: str) -> str:
    """A stable key for a checklist item's tick: its section and a hash of its text."""
    return f"s{section}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:8]}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one Jinja environment: package templates, autoescape on, undefined names are errors."""
    env = Environment(loader=PackageLoader("playbook", "templates"), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, comment_start_string="{#=", comment_end_string="=#}",
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters["md"] = inline
    env.globals.update(KIND_LABELS=KIND_LABELS, TYPE_HELP=HOW_TO, SCRIPT_LABELS=SCRIPT_LABELS, item_key=item_key)
    return env


def _html_block(text: str) -> str:
    """Collapse blank lines so Markdown keeps the HTML as one raw block."""
    return _BLANK_LINES.sub("\n", text.strip())


def render(template: str, **context: Any) -> Markup:
    """Render a package template to an HTML block."""
    return Markup(_html_block(environment().get_template(template).render(**context)))


def record_page(pb: Playbook, record: Base) -> GeneratedPage:
    """The generated Markdown page of one record: front matter, then HTML blocks under fixed headings."""
    body = environment().get_template(f"{record.kind}.md.j2").render(pb=pb, r=record, base="../../")
    meta: dict[str, Any] = {
        "title": html.escape(record.title, quote=True),
        "description": html.escape(record.summary, quote=True),
    }
    tags = getattr(record, "tags", None)
    if tags:
        meta["tags"] = list(tags)
    front = "\n".join(f"{key}: {json.dumps(value)}" for key, value in meta.items())
    return GeneratedPage(f"{record.kind}/{record.id}.md", f"---\n{front}\n---\n\n{body.strip()}\n", record.path)


def record_pages(pb: Playbook) -> list[GeneratedPage]:
    """Every record's page."""
    return [record_page(pb, record) for record in pb.all()]


def checklist_widget(pb: Playbook, checklist: Checklist, base: str, *, own_page: bool = False) -> Markup:
    """The tickable checklist with its downloads, for its own page or the home page."""
    folder = "" if own_page else f"{base}checklists/{checklist.id}/"
    return render("checklist_widget.html", c=checklist, base=base, folder=folder, own_page=own_page)


def source_groups(pb: Playbook) -> list[dict[str, Any]]:
    """Each cited work once (seed articles first), with every record that uses it and the idea taken."""
    groups: dict[str, dict[str, Any]] = {}
    for record in pb.all():
        for source in record.sources:
            group = groups.setdefault(source.title, {"source": source, "uses": []})
            group["uses"].append((record, source.note))
            if not group["source"].url and source.url:
                group["source"] = source
    for group in groups.values():
        group["uses"].sort(key=lambda use: (use[0].kind, use[0].title))
    return sorted(groups.values(), key=lambda g: (not g["source"].title.startswith("Seed "), g["source"].title.lower()))


def widget(name: str, pb: Playbook, base: str, **extra: Any) -> Markup:
    """An index widget (`scenario_table`, `situations`, `steps_path`, ...) rendered for a page at `base`."""
    if name == "sources":
        extra["groups"] = source_groups(pb)
    return render(f"{name}.html", pb=pb, base=base, **extra)
