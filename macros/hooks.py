"""MkDocs hooks: the thin engine layer. Validate on build, add finished record pages in memory, export checklists.

Everything here maps MkDocs events onto the engine-agnostic core in `playbook`. Generated pages reach MkDocs as
finished HTML with their metadata as data (`PlaybookPage`): no front matter is written and Python-Markdown never
parses record text. Macros on hand-written pages return a placeholder comment that is swapped for their HTML
after Markdown conversion, for the same reason.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

import playbook
from playbook.diagnostics import BuildError, ContentError
from playbook.load import forget_parsed
from playbook.render import RecordPage, record_pages, render
from playbook.settings import load_settings
from playbook.site import SLOTS, current_playbook, macro_problems

log = logging.getLogger("mkdocs.plugins.playbook")
_state: dict[str, object] = {"serving": False}
_GENERATED: dict[str, RecordPage] = {}
ASSETS = Path(playbook.__file__).resolve().parent / "assets"
REPO_DOCS = {"CONTRIBUTING.md": "contributing.md", "ADOPTING.md": "adopting.md"}


class PlaybookPage(Page):
    """A page whose HTML, headings and metadata the playbook renderer made; MkDocs only places it in the theme."""

    playbook: RecordPage

    def read_source(self, config) -> None:
        self.markdown = ""
        self.meta = dict(self.playbook.meta)

    def render(self, config, files) -> None:
        self.content = self.playbook.html
        self.toc = get_toc([{"level": 2, "id": hid, "name": name, "children": []} for hid, name in self.playbook.toc])
        self._title_from_render = None
        self.present_anchor_ids = {hid for hid, _ in self.playbook.toc}
        self.links_to_anchors = {}


def _fail(report) -> Abort:
    for d in report.sorted():
        (log.error if d.severity == "error" else log.warning)(d.text())
    return Abort(f"The playbook has {len(report.errors)} error(s); fix them and build again "
                 f"(`playbook validate` shows the same list).")


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether this is `mkdocs serve`, whose rebuilds reuse the parse cache."""
    _state["serving"] = command == "serve"


def on_config(config):
    """Read the playbook's settings once; addresses mkdocs.yml leaves out come from the environment, or stay out."""
    try:
        settings = load_settings(_root(config))
    except ContentError as exc:
        raise _fail(exc.report)
    _state["settings"] = settings
    if not config.repo_url and settings.repo_url:
        config.repo_url = settings.repo_url
        config.repo_name = config.repo_name or settings.repo_name
    if not config.repo_url:
        config.edit_uri = ""  # no repository known: no edit links rather than broken ones
    if not config.site_url and settings.site_url and not _state["serving"]:
        config.site_url = settings.site_url  # under `serve`, MkDocs serves at the site_url's path: keep it at /
    return config


def on_files(files: Files, config) -> Files:
    """Validate the content (stopping the build on errors) and add one generated page per record."""
    root = _root(config)
    settings = _state["settings"]
    try:
        pb = current_playbook(root)
    except ContentError as exc:
        raise _fail(exc.report)
    for d in pb.report.warnings:
        log.warning(d.text())
    docs = Path(config.docs_dir).resolve().relative_to(root).as_posix()
    for f in files:
        f.edit_uri = f"{docs}/{f.src_uri}"
    for name, uri in REPO_DOCS.items():
        guide = root / name
        if guide.is_file() and not guide.is_symlink() and files.get_file_from_path(uri) is None:
            files.append(_repo_doc(guide, uri, config))
    for asset in sorted(ASSETS.iterdir()):  # the generator's own CSS and JS, whatever the playbook's pages are
        if asset.is_file() and files.get_file_from_path(f"assets/{asset.name}") is None:
            files.append(File.generated(config, f"assets/{asset.name}", abs_src_path=str(asset)))
    _GENERATED.clear()
    pages = record_pages(pb, settings.strings)
    agenda = render("agenda.html", settings.strings)
    pages.append(RecordPage("agenda.md", str(agenda), (), {"title": settings.strings("agenda.title"),
                                                           "search": {"exclude": True}}, "", ""))
    for page in pages:
        in_nav = page.src_uri == "agenda.md"
        generated = File.generated(config, page.src_uri, content="",
                                   inclusion=InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV)
        generated.edit_uri = page.source_path or None
        files.append(generated)
        _GENERATED[page.src_uri] = page
    if not _state["serving"]:
        forget_parsed()
    return files


def on_nav(nav, config, files):
    """Make every generated page a PlaybookPage: MkDocs reads nothing and converts nothing for it."""
    for uri, record_page in _GENERATED.items():
        file = files.get_file_from_path(uri)
        if file is not None and file.page is not None:
            file.page.__class__ = PlaybookPage
            file.page.playbook = record_page
    return nav


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Stop on a macro that named an unknown record (it logged one located line instead of a traceback)."""
    problems = macro_problems(page.file.src_uri)
    if problems:
        for line in problems:
            log.error(line)
        raise Abort(f"{len(problems)} macro error(s) in {page.file.src_uri}")
    return markdown


_SLOT = re.compile(r"<!-- pb-slot (\w+) -->")


def on_page_content(html: str, page, config, files) -> str:
    """Put each macro's HTML where its placeholder stands, after Markdown is done with the page."""
    if isinstance(page, PlaybookPage):
        return html
    return _SLOT.sub(lambda m: SLOTS.pop(m.group(1), ""), html)


def on_page_context(context, page, config, nav):
    """Fail the build if anything changed a generated page's metadata on its way through MkDocs."""
    if isinstance(page, PlaybookPage):
        expected = page.playbook
        if page.meta != expected.meta or page.content != expected.html:
            raise Abort(f"the metadata or HTML of {page.file.src_uri} changed inside MkDocs; "
                        f"refusing to publish it (expected {expected.meta!r}, got {page.meta!r})")
    return context


def _repo_doc(guide: Path, uri: str, config) -> File:
    """A repository guide (CONTRIBUTING.md, ADOPTING.md) as a site page, its repo-relative links made absolute."""
    repo = (config.repo_url or "").rstrip("/")

    def absolute(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2)
        if re.match(r"^([a-z]+:|#|/)", target):
            return match.group(0)
        if target in REPO_DOCS:
            return f"[{label}]({REPO_DOCS[target]})"
        return f"[{label}]({repo}/blob/main/{target})" if repo else label  # no repository known: plain text

    text = re.sub(r"\[([^\]]*)\]\(([^)\s]+)\)", absolute, guide.read_text(encoding="utf-8"))
    page = File.generated(config, uri, content=text)
    page.edit_uri = guide.name
    return page


def on_post_build(config) -> None:
    """Write each checklist's PDFs and Markdown beside its page (cached by content hash), and playbook.json."""
    from playbook.export import site_exports

    root = _root(config)
    settings = _state["settings"]
    pb = current_playbook(root, recheck=False)
    try:
        site_exports(pb, Path(config.site_dir), root / ".cache" / "exports", settings=settings)
    except BuildError as exc:
        raise Abort(f"Checklist export failed: {exc}")
    try:
        from playbook.playbook_json import playbook_json
    except ImportError:  # the module lands with the publishing work
        return
    (Path(config.site_dir) / "playbook.json").write_text(
        playbook_json(pb, settings.site_url, settings.title), encoding="utf-8")
