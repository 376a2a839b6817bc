"""Render the model to HTML: record pages and the widgets that hand-written pages place through macros.

One Jinja environment with autoescape on. Contributor text is only ever a template *variable*, never template
source, so `{{ 7*7 }}` or `<script>` in a record is shown literally.
"""
from __future__ import annotations

import hashlib
import html
import re
from functools import lru_cache
from typing import Any, Mapping

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from markupsafe import Markup, escape

from playbook.site.markup import inline, inline_span
from playbook.records.model import Base, Checklist, Playbook
from playbook.core.strings import Strings
# A finished page and the cache of pages by key; RecordPage and PageCache are importable from here as before.
from playbook.site.page_cache import PageCache, RecordPage, data_digest, forget_keys, page_key, strings_digest

_BLANK_LINES = re.compile(r"\n\s*\n+")


_HEADING = re.compile(r'<h2 id="([^"]+)">(.*?)<a class="headerlink"')


def item_key(section: int, text: str) -> str:
    """A stable key for a checklist item's tick: its section and a hash of its text."""
    return f"s{section}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:8]}"


@lru_cache(maxsize=512)
def _placeholders(text: str) -> tuple[tuple[str, str | None], ...]:
    """A string split into its text and `{name}` placeholders, once per string (index pages fill one per row)."""
    return tuple((part, part[1:-1] if part.startswith("{") and part.endswith("}") else None)
                 for part in re.split(r"(\{[a-z_]+\})", text))


def _t_html(strings: Strings) -> Any:
    def t_html(key: str, **values: Any) -> Markup:
        """A string whose placeholders take HTML (links); the string's own text is escaped."""
        out = Markup("")
        for part, name in _placeholders(strings[key]):
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


# One record's line in a list (a link with its summary, an index row) by everything it can show: under `mkdocs
# serve`, an edit re-renders the pages that list the edited record, and each of their other lines comes from here.
_FRAGMENTS: dict[tuple[Any, ...], Markup] = {}
_FRAGMENTS_LIMIT = 100_000
_WORDS: dict[int, tuple[Any, str]] = {}  # a Strings object's digest by its identity (the object is kept)


def _words_digest(strings: Any) -> str:
    hit = _WORDS.get(id(strings))
    if hit is None or hit[0] is not strings:
        hit = _WORDS[id(strings)] = (strings, strings_digest(strings) if isinstance(strings, Strings) else "")
    return hit[1]


def _fragment(macro: Any, words: str, record: Base, base: str) -> Markup:
    key = (macro._func.__code__.co_filename, macro.name, base, words, record.kind, record.id,
           data_digest(record.data))
    hit = _FRAGMENTS.get(key)
    if hit is None:
        if len(_FRAGMENTS) >= _FRAGMENTS_LIMIT:
            _FRAGMENTS.clear()
        hit = _FRAGMENTS[key] = Markup(macro(record, base))
    return hit


@pass_context
def _per_record(context: Any, macro: Any, records: Any, base: str) -> Markup:
    """`macro(record, base)` for one record, or for each of a list (one line each), remembered by the macro, the
    base, the words and the record's kind, id and data.

    Only for macros that show nothing but the record itself (its data, kind and id) and the words: a line that
    showed another record too would go stale when that record changed.
    """
    words = _words_digest(context.get("t"))
    if isinstance(records, Base):
        return _fragment(macro, words, records, base)
    return Markup("").join(_fragment(macro, words, r, base) + "\n" for r in records)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one Jinja environment: package templates, autoescape on, undefined names are errors."""
    env = Environment(loader=PackageLoader("playbook", "templates"), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, comment_start_string="{#=", comment_end_string="=#}",
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters["md"] = inline
    env.filters["md_line"] = inline_span
    env.globals.update(item_key=item_key, quote=_quote, link_titles=_link_titles, per_record=_per_record)
    return env


def _html_block(text: str) -> str:
    """Collapse blank lines: smaller pages, and the same HTML whether a macro or a record page places it."""
    return _BLANK_LINES.sub("\n", text.strip())


def _words(strings: Strings) -> dict[str, Any]:
    return {"t": strings, "t_html": _t_html(strings)}


def render(template: str, strings: Strings, **context: Any) -> Markup:
    """Render a package template to an HTML block."""
    return Markup(_html_block(environment().get_template(template).render(**_words(strings), **context)))


def record_page(pb: Playbook, record: Base, strings: Strings, key: str = "", changed: str = "") -> RecordPage:
    """The finished page of one record: HTML, its headings for the table of contents, and its metadata.

    `changed` is the date of the record's last change in the history, shown beside its review date."""
    body = environment().get_template(f"record_{record.kind}.html").render(pb=pb, r=record, base="../../",
                                                                          changed=changed, **_words(strings))
    # ASCII with character references: the same page to a browser or an indexer, and half the memory (one dash
    # would make Python keep all of a page's characters two bytes wide).
    body = _html_block(body).encode("ascii", "xmlcharrefreplace").decode("ascii")
    toc = tuple((hid, name) for hid, name in _HEADING.findall(body))
    meta: dict[str, Any] = {
        "title": html.escape(record.title, quote=True),
        "description": html.escape(record.summary, quote=True),
    }
    tags = getattr(record, "tags", None)
    if tags:
        meta["tags"] = list(tags)
    return RecordPage(f"{record.kind}/{record.id}.md", body, toc, meta, record.path, record.title, key)


def forget_rendered() -> None:
    """Drop the per-process memos of record hashes and lines (a one-off build has no later edit to reuse them for)."""
    forget_keys()
    _FRAGMENTS.clear()
    _WORDS.clear()


def record_pages(pb: Playbook, strings: Strings, cache: PageCache | None = None,
                 changed: dict[str, str] | None = None) -> list[RecordPage]:
    """Every record's page; with a cache, only pages whose key changed are rendered again.

    `changed` maps a record's path to the date of its last change (history.History.last_changed)."""
    changed = changed or {}
    if cache is None:
        return [record_page(pb, record, strings, changed=changed.get(record.path, "")) for record in pb.all()]
    words = strings_digest(strings)
    pages = []
    for record in pb.all():
        when = changed.get(record.path, "")
        key = page_key(pb, record, words, when)
        page = cache.get(f"{record.kind}/{record.id}.md", key)
        if page is None:
            page = record_page(pb, record, strings, key, when)
            cache.put(page)
        pages.append(page)
    cache.keep_only({p.src_uri for p in pages})
    return pages


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


def situation_groups(pb: Playbook, themes: Mapping[str, str], other: str) -> list[tuple[str, list[Any]]]:
    """The scenarios by theme, each group's plays by title: under the heading of a scenario's first tag that
    `themes` names (in the order of `themes`, the rest last under `other`); with no themes, under its first tag."""
    groups: dict[str, list[Any]] = {heading: [] for heading in themes.values()}
    rest: list[Any] = []
    for scenario in pb.scenarios.values():
        if themes:
            heading = next((themes[tag] for tag in scenario.tags if tag in themes), None)
        else:
            heading = scenario.tags[0].replace("-", " ").capitalize() if scenario.tags else None
        (rest if heading is None else groups.setdefault(heading, [])).append(scenario)
    ordered = [(h, g) for h, g in (groups.items() if themes else sorted(groups.items(), key=lambda i: i[0].lower()))
               if g]
    if rest:
        ordered.append((other, rest))
    return [(heading, sorted(group, key=lambda s: (s.title.lower(), s.id))) for heading, group in ordered]


def widget(name: str, pb: Playbook, base: str, strings: Strings, **extra: Any) -> Markup:
    """An index widget (`scenario_table`, `situations`, `steps_path`, ...) rendered for a page at `base`."""
    if name == "sources":
        extra["groups"] = source_groups(pb)
    if name == "situations":
        extra["groups"] = situation_groups(pb, extra.pop("themes", None) or {}, strings("index.other_situations"))
        extra.setdefault("level", 2)
    if name == "scenario_table":
        extra["all_tags"] = sorted({tag for s in pb.scenarios.values() for tag in s.tags})
    return render(f"{name}.html", strings, pb=pb, base=base, **extra)
