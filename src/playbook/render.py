"""Render the model to HTML: record pages and the widgets that hand-written pages place through macros.

One Jinja environment with autoescape on. Contributor text is only ever a template *variable*, never template
source, so `{{ 7*7 }}` or `<script>` in a record is shown literally.
"""
from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .markup import inline, inline_span
from .model import Base, Checklist, Playbook
from .strings import Strings

_BLANK_LINES = re.compile(r"\n\s*\n+")


_HEADING = re.compile(r'<h2 id="([^"]+)">(.*?)<a class="headerlink"')


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


def item_key(section: int, text: str) -> str:
    """A stable key for a checklist item's tick: its section and a hash of its text."""
    return f"s{section}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:8]}"


def _t_html(strings: Strings) -> Any:
    def t_html(key: str, **values: Any) -> Markup:
        """A string whose placeholders take HTML (links); the string's own text is escaped."""
        parts = re.split(r"(\{[a-z_]+\})", strings[key])
        out = Markup("")
        for part in parts:
            name = part[1:-1] if part.startswith("{") and part.endswith("}") else None
            out += escape(values[name]) if name in values else escape(part)
        return out
    return t_html


def _link_titles(rendered: Markup, records: list[Base], base: str) -> Markup:
    """Turn an emphasized record title (`*I made a mistake*`) in rendered prose into a link to that record."""
    by_title = {str(escape(r.title)).lower(): r for r in records}

    def link(match: re.Match[str]) -> str:
        record = by_title.get(match.group(1).lower())
        if record is None:
            return match.group(0)
        return f'<a href="{escape(base + record.url)}">{match.group(0)}</a>'

    return Markup(re.sub(r"<em>(.*?)</em>", link, str(rendered)))


def _quote(text: str) -> Markup:
    return Markup("<q>{}</q>").format(text)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one Jinja environment: package templates, autoescape on, undefined names are errors."""
    env = Environment(loader=PackageLoader("playbook", "templates"), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, comment_start_string="{#=", comment_end_string="=#}",
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters["md"] = inline
    env.filters["md_line"] = inline_span
    env.globals.update(item_key=item_key, quote=_quote, link_titles=_link_titles)
    return env


def _html_block(text: str) -> str:
    """Collapse blank lines so Markdown keeps the HTML as one raw block."""
    return _BLANK_LINES.sub("\n", text.strip())


def _words(strings: Strings) -> dict[str, Any]:
    return {"t": strings, "t_html": _t_html(strings)}


def render(template: str, strings: Strings, **context: Any) -> Markup:
    """Render a package template to an HTML block."""
    return Markup(_html_block(environment().get_template(template).render(**_words(strings), **context)))


def record_page(pb: Playbook, record: Base, strings: Strings) -> RecordPage:
    """The finished page of one record: HTML, its headings for the table of contents, and its metadata."""
    body = environment().get_template(f"record_{record.kind}.html").render(pb=pb, r=record, base="../../",
                                                                          **_words(strings))
    body = _html_block(body)
    toc = tuple((hid, name) for hid, name in _HEADING.findall(body))
    meta: dict[str, Any] = {
        "title": html.escape(record.title, quote=True),
        "description": html.escape(record.summary, quote=True),
    }
    tags = getattr(record, "tags", None)
    if tags:
        meta["tags"] = list(tags)
    return RecordPage(f"{record.kind}/{record.id}.md", body, toc, meta, record.path, record.title)


def record_pages(pb: Playbook, strings: Strings) -> list[RecordPage]:
    """Every record's page."""
    return [record_page(pb, record, strings) for record in pb.all()]


def checklist_widget(pb: Playbook, checklist: Checklist, base: str, strings: Strings, *,
                     own_page: bool = False) -> Markup:
    """The tickable checklist with its downloads, for its own page or the home page."""
    folder = "" if own_page else f"{base}checklists/{checklist.id}/"
    return render("checklist_widget.html", strings, c=checklist, base=base, folder=folder, own_page=own_page)


def source_groups(pb: Playbook) -> list[dict[str, Any]]:
    """Each cited work once (the most used first), with every record that uses it and the idea taken."""
    groups: dict[str, dict[str, Any]] = {}
    for record in pb.all():
        for source in record.sources:
            group = groups.setdefault(source.title, {"source": source, "uses": []})
            group["uses"].append((record, source.note))
            if not group["source"].url and source.url:
                group["source"] = source
    for group in groups.values():
        group["uses"].sort(key=lambda use: (use[0].kind, use[0].title))
    return sorted(groups.values(), key=lambda g: (-len(g["uses"]), g["source"].title.lower()))


def widget(name: str, pb: Playbook, base: str, strings: Strings, **extra: Any) -> Markup:
    """An index widget (`scenario_table`, `situations`, `steps_path`, ...) rendered for a page at `base`."""
    if name == "sources":
        extra["groups"] = source_groups(pb)
    return render(f"{name}.html", strings, pb=pb, base=base, **extra)
