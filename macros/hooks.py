"""MkDocs hooks: the thin engine layer. Validate on build, add finished record pages in memory, export checklists.

Everything here maps MkDocs events onto the engine-agnostic core in `playbook`. Generated pages reach MkDocs as
finished HTML with their metadata as data (`PlaybookPage`): no front matter is written and Python-Markdown never
parses record text. Macros on hand-written pages return a placeholder comment that is swapped for their HTML
after Markdown conversion, for the same reason.

Speed: the validated model and the rendered record pages are cached by content hash
in the user's cache folder, outside the checkout (playbook.storage), and in memory across `mkdocs serve` rebuilds.
Under `mkdocs serve --dirty` only pages whose content changed are rebuilt (`PlaybookFile.is_modified` tells the
truth from page keys; a hand-written page only when it calls macros or lists tags), and the tag listings are
completed from the pages of earlier builds. A server also asks git once (mkdocs-macros asks on every
build), checks every record in the background after its first build, and keeps Python's cycle collector out of the
way of a rebuild (on_startup).
"""
from __future__ import annotations

import gc
import hashlib
import html
import logging
import os
import re
import threading
import time
from pathlib import Path

import jinja2
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

import playbook
from playbook.diagnostics import BuildError, ContentError, Report
from playbook.feeds import by_day, entries, write_feeds
from playbook.history import History, read_history
from playbook.load import forget_parsed
from playbook.render import PageCache, RecordPage, forget_rendered, record_pages, render
from playbook.settings import load_settings
from playbook.site import SLOTS, current_playbook, macro_problems
from playbook.validate import check_content
from playbook.storage import cache_dir

log = logging.getLogger("mkdocs.plugins.playbook")
_state: dict[str, object] = {"serving": False, "dirty": False}
_GENERATED: dict[str, RecordPage] = {}
# Kept across `mkdocs serve` rebuilds (MkDocs loads this module once): what the last build wrote.
_BUILT: dict[str, str] = {}  # generated page -> the key of its content in the last build
_CACHES: dict[Path, PageCache] = {}
ASSETS = Path(playbook.__file__).resolve().parent / "assets"
THEME = Path(playbook.__file__).resolve().parent / "theme"  # templates that override the theme's, under custom_dir
REPO_DOCS = {"CONTRIBUTING.md": "contributing.md", "ADOPTING.md": "adopting.md"}
AGENDA = "agenda.md"  # the agenda builder, made (like the guides above) only when the nav lists it
WHATS_NEW = "whats-new.md"  # recent additions and changes (feeds.py), made on every playbook unless it has its own


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled theme templates kept in memory across `mkdocs serve` rebuilds (MkDocs makes a new environment each)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_THEME_BYTECODE = _MemoryBytecodeCache()


class PlaybookFile(File):
    """A file whose `is_modified` answers from content keys, for dirty rebuilds under `mkdocs serve --dirty`."""

    modified: bool = True

    def is_modified(self) -> bool:
        return self.modified or not os.path.isfile(self.abs_dest_path)


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


def _cache(root: Path, name: str) -> Path | None:
    """A file or folder in this playbook's cache, outside the checkout (playbook.storage); None: no cache at all."""
    folder = cache_dir(root)
    return None if folder is None else folder / name


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether this is `mkdocs serve`, whose rebuilds reuse the parse cache, and whether builds are dirty.

    A server keeps the parsed playbook in memory between edits, and Python's cycle collector would walk all of it
    several times per rebuild (a third of an edit's time on a big playbook): under `serve` it runs rarely during a
    build and fully once the server has been idle for a moment after one (see _collect_when_idle), and what the
    first build leaves is set aside from it for good (see _warm_up).
    """
    _state["serving"] = command == "serve"
    _state["dirty"] = dirty
    if _state["serving"]:
        gc.set_threshold(50_000, 20, 10)
        _ask_git_once()


def _ask_git_once() -> None:
    """mkdocs-macros asks git a dozen questions, a process each, on every build (about 0.4 s): under `serve`, where
    every edit is a build, ask once per server. A page showing `git.commit` shows the commit the server began on."""
    try:
        from mkdocs_macros import context
    except ImportError:
        return
    asked = context.get_git_info
    if getattr(asked, "pb_once", False):
        return
    answers: list[dict] = []

    def get_git_info() -> dict:
        if not answers:
            answers.append(asked())
        return dict(answers[0])

    get_git_info.pb_once = True
    context.get_git_info = get_git_info


@event_priority(100)  # before the theme's plugins, which stop on a bad theme.language with a traceback
def on_config(config):
    """Read the playbook's settings once; addresses mkdocs.yml leaves out come from the environment, or stay out."""
    _cancel_collect()
    try:
        settings = load_settings(_root(config))
    except ContentError as exc:
        raise _fail(exc.report)
    _state["settings"] = settings
    if not config.repo_url and settings.repo_url:
        config.repo_url = settings.repo_url
        config.repo_name = config.repo_name or settings.repo_name
        config.edit_uri = config.edit_uri or "edit/main/"  # the branch the publish workflow deploys from
    if not config.repo_url:
        config.edit_uri = ""  # no repository known: no edit links rather than broken ones
    if not config.site_url and settings.site_url and not _state["serving"]:
        config.site_url = settings.site_url  # under `serve`, MkDocs serves at the site_url's path: keep it at /
    # The generator's own CSS and JS load on every playbook, whether or not its mkdocs.yml lists them.
    scripts = {str(getattr(s, "path", s)) for s in config.extra_javascript}
    for asset in sorted(ASSETS.iterdir()):
        uri = f"assets/{asset.name}"
        if asset.stem.partition("-")[0] == "agenda" and not _listed(config, AGENDA):
            continue  # no agenda page, so no "add to my agenda" buttons that would lead to none
        if asset.suffix == ".css" and uri not in config.extra_css:
            config.extra_css.append(uri)
        elif asset.suffix == ".js" and uri not in scripts:
            config.extra_javascript.append(uri)
    # The generator's theme overrides come after the playbook's own (custom_dir), before the theme's.
    dirs = config.theme.dirs
    if str(THEME) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
    _warn_search_plugin(config)
    return config


def _warn_search_plugin(config) -> None:
    """Say once per process that a `- search` in plugins only costs build time: the site's search is its own."""
    listed = [name for name in config.plugins if name.rpartition("/")[2] == "search"]
    if listed and not _state.get("search_plugin_warned"):
        _state["search_plugin_warned"] = True
        log.warning("mkdocs.yml lists the %r plugin, but the playbook's search box is the generator's own "
                    "(Pagefind); the plugin only makes the build slower: remove `- search` from plugins", listed[0])


def on_files(files: Files, config) -> Files:
    """Validate the content (stopping the build on errors) and add one generated page per record."""
    root = _root(config)
    settings = _state["settings"]
    _join_warm_up()
    try:
        # A new process skips validation when nothing changed; a serve rebuild re-checks only edited files.
        first = not _state["serving"] or "playbook" not in _state
        pb = current_playbook(root, cache_file=_cache(root, "model.json") if first else None)
    except ContentError as exc:
        raise _fail(exc.report)
    for d in pb.report.warnings:
        log.warning(d.text())
    # Also when the model came from the cache: a link or a page added under docs_dir changes no record.
    content_problems = check_content(root, settings, [(r.kind, r.id, r.path) for r in pb.all()])
    if content_problems:
        raise _fail(Report(content_problems))
    docs = Path(config.docs_dir).resolve().relative_to(root).as_posix()
    for f in files:
        f.edit_uri = f"{docs}/{f.src_uri}"
    for name, uri in REPO_DOCS.items():
        guide = root / name
        if (_listed(config, uri) and guide.is_file() and not guide.is_symlink()
                and files.get_file_from_path(uri) is None):
            files.append(_repo_doc(guide, uri, config))
    for asset in sorted(ASSETS.iterdir()):  # the generator's own CSS and JS, whatever the playbook's pages are
        if asset.is_file() and files.get_file_from_path(f"assets/{asset.name}") is None:
            files.append(File.generated(config, f"assets/{asset.name}", abs_src_path=str(asset)))
    _start_sheets(pb, root, settings)
    _GENERATED.clear()
    cache = _CACHES.setdefault(root, PageCache(_cache(root, "pages.json")))
    history = _history(root)
    pages = record_pages(pb, settings.strings, cache, history.last_changed())
    if files.get_file_from_path(WHATS_NEW) is None:  # a playbook's own whats-new.md wins
        pages.append(_whats_new(pb, history, settings.strings))
    if _listed(config, AGENDA):
        agenda = str(render("agenda.html", settings.strings))
        # The title is metadata, which the theme prints raw (nav, <title>): escaped like a record page's (render.py).
        agenda_title = html.escape(settings.strings("agenda.title"), quote=True)
        pages.append(RecordPage(AGENDA, agenda, (), {"title": agenda_title, "search": {"exclude": True}}, "", "",
                                hashlib.sha256(f"{agenda_title}\0{agenda}".encode()).hexdigest()))
    # A dirty rebuild writes only what changed: generated pages by key; hand-written pages (their macros show
    # records) whenever the playbook or the settings changed, else when their own file did.
    config_stamp = os.stat(config.config_file_path).st_mtime_ns
    same_config = _state.get("config_stamp") == config_stamp
    same = same_config and _state.get("playbook") is pb
    _state.update(config_stamp=config_stamp, playbook=pb)
    for f in files.documentation_pages():
        f.__class__ = PlaybookFile
        f.modified = not same_config or File.is_modified(f) or (not same and _shows_playbook(f))
    listed = _nav_uris(config.nav)
    for page in pages:
        in_nav = page.src_uri == AGENDA or (page.src_uri == WHATS_NEW and page.src_uri in listed)
        generated = File.generated(config, page.src_uri, content="",
                                   inclusion=InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV)
        generated.__class__ = PlaybookFile
        generated.modified = not same_config or _BUILT.get(page.src_uri) != page.key
        generated.edit_uri = page.source_path or None
        files.append(generated)
        _GENERATED[page.src_uri] = page
    _BUILT.clear()
    _BUILT.update((page.src_uri, page.key) for page in pages)
    if not _state["serving"]:
        forget_parsed()
        forget_rendered()
    return files


def _history(root: Path) -> History:
    """The git history of data/, read once per build (one `git log`); what is missing is said once per process."""
    history = read_history(root)
    if history.problem and _state.get("history_said") != history.problem:
        _state["history_said"] = history.problem
        log.info(f"playbook: {history.problem}")  # info: a build without history is still a good build (--strict)
    _state["history"] = history
    return history


def _whats_new(pb, history: History, strings) -> RecordPage:
    """The what's new page (whats-new/): recent additions and changes by day, from the history read this build."""
    body = str(render("whats_new.html", strings, days=by_day(entries(pb, history)), missing=bool(history.problem),
                      base="../"))
    title = html.escape(strings("whats_new.title"), quote=True)  # metadata the theme prints raw, like agenda's
    return RecordPage(WHATS_NEW, body, (), {"title": title, "search": {"exclude": True}}, "", "",
                      hashlib.sha256(f"{title}\0{body}".encode()).hexdigest())


_PLAYBOOK_MARKS = ("{{", "{%", "material/tags")  # a macro call or statement; a tags plugin listing


def _shows_playbook(file: File) -> bool:
    """Whether a hand-written page can show records: it calls macros or holds a tag listing. Others need no
    rebuild when only the records changed (a generated page never reaches here unmarked: it has its own key)."""
    try:
        text = file.content_string
    except (OSError, UnicodeDecodeError):
        return True
    return any(mark in text for mark in _PLAYBOOK_MARKS)


# CPU seconds to build one record page and to render one sheet, from bench/user_bench.py (1,000 scenarios: about
# 10 s for 1,100 pages) and bench/pdf_bench.py (about 2.7 s of CPU for 34 sheets with the import: 70 ms a sheet).
PAGE_SECONDS, SHEET_SECONDS = 0.009, 0.07


def _start_sheets(pb, root: Path, settings) -> None:
    """Render the checklist PDFs missing from the cache in a child process, beside the page build.

    on_post_build waits for it and then finds every sheet cached. Skipped under `mkdocs serve`, whose server
    threads make forking unwise, and when every sheet is cached (the usual case: no WeasyPrint at all).
    """
    from playbook.export import sheets_cached

    sheets = _cache(root, "sheets")
    if _state["serving"] or not hasattr(os, "fork") or sheets is None or sheets_cached(pb, sheets, settings):
        return
    import multiprocessing

    from playbook.workers import available_cpus

    # The page build keeps one CPU busy. When it is the longer job (a big playbook), the sheets take the other CPUs
    # only; when the sheets are (a few pages, many sheets), they take every CPU and share them with the pages.
    cpus = available_cpus()
    pages_longer = len(pb.all()) * PAGE_SECONDS > 2 * len(pb.checklists) * SHEET_SECONDS
    workers = max(1, cpus - 1) if pages_longer else cpus
    child = multiprocessing.get_context("fork").Process(target=_render_sheets, args=(pb, root, settings, workers),
                                                        daemon=True)
    child.start()
    _state["sheets"] = child



def _render_sheets(pb, root: Path, settings, workers: int) -> None:
    """The child's work: fill the PDF cache. Any failure is left to the build's own export, which reports it."""
    import tempfile

    from playbook.export import site_exports

    try:
        with tempfile.TemporaryDirectory() as scratch:
            site_exports(pb, Path(scratch), _cache(root, "sheets"), settings=settings, workers=workers)
    except BaseException:  # noqa: BLE001 - the parent renders this sheet again and reports the problem
        os._exit(1)


def _join_sheets() -> None:
    child = _state.pop("sheets", None)
    if child is not None:
        child.join()


def on_nav(nav, config, files):
    """Make every generated page a PlaybookPage: MkDocs reads nothing and converts nothing for it."""
    for uri, record_page in _GENERATED.items():
        file = files.get_file_from_path(uri)
        if file is not None and file.page is not None:
            file.page.__class__ = PlaybookPage
            file.page.playbook = record_page
            # Known now, also for pages a dirty rebuild does not read: a page with no Markdown has no title, and a
            # tag listing would show "None" for it.
            file.page.meta = dict(record_page.meta)
            if file.page.markdown is None:
                file.page.markdown = ""
    _state["files"] = files
    return nav


@event_priority(110)  # before the tags plugin (100) fills its listings
def on_env(env, config, files):
    """On a dirty rebuild, hand the tags plugin the pages it did not see, so tag listings stay complete."""
    if _state["serving"]:
        env.bytecode_cache = _THEME_BYTECODE
    tags = next((p for p in config.plugins.values() if hasattr(p, "mappings") and hasattr(p, "listings")), None)
    if tags is None or not (_state["dirty"] and _state["serving"]):
        return env
    for file in files.documentation_pages():
        page = file.page
        if page is None or page.content is not None:
            continue  # built this time: the plugin read it already
        if not isinstance(page, PlaybookPage):
            page.read_source(config)  # front matter only; the page is not converted
        if tags.filter(file):
            tags.mappings.add(page, page.markdown or "")
    return env


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


@event_priority(100)  # before any other plugin sees the page
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
        if target in REPO_DOCS and (guide.parent / target).is_file():
            return f"[{label}]({REPO_DOCS[target]})"
        return f"[{label}]({repo}/blob/main/{target})" if repo else label  # no repository known: plain text

    text = re.sub(r"\[([^\]]*)\]\(([^)\s]+)\)", absolute, guide.read_text(encoding="utf-8"))
    # A playbook's nav may leave the guide out (it is reached by links): then it is no "omitted" page for --strict.
    inclusion = InclusionLevel.UNDEFINED if uri in _nav_uris(config.nav) else InclusionLevel.NOT_IN_NAV
    page = File.generated(config, uri, content=text, inclusion=inclusion)
    page.edit_uri = guide.name
    return page


def _listed(config, uri: str) -> bool:
    """Whether a page the generator can make is wanted: the nav lists it, or there is no nav (MkDocs lists all)."""
    return config.nav is None or uri in _nav_uris(config.nav)


def _nav_uris(nav) -> set[str]:
    """Every page path mkdocs.yml's nav names, at any depth (no nav: every page is in it)."""
    if nav is None:
        return set(REPO_DOCS.values())
    if isinstance(nav, str):
        return {nav}
    items = nav.values() if isinstance(nav, dict) else nav
    return set().union(*(_nav_uris(item) for item in items)) if items else set()


@event_priority(100)  # before other plugins' post-build work
def on_post_build(config) -> None:
    """Write each checklist's PDFs and Markdown beside its page (cached by content hash), playbook.json and the
    search index."""
    try:
        _post_build(config)
        _index_for_search(config)
    finally:
        if _state["serving"] and "warm_up" not in _state:
            _collect_when_idle()


def _index_for_search(config) -> None:
    """The site's search index (Pagefind over the built pages, see playbook.search), once the pages are written."""
    from playbook.search import SearchError, index_built_site

    try:
        index_built_site(Path(config.site_dir), _state["settings"], _state["serving"])
    except SearchError as exc:
        raise Abort(f"Search index: {exc}")


def _post_build(config) -> None:
    from playbook.export import site_exports

    root = _root(config)
    cache = _CACHES.get(root)
    if cache and not _state["serving"]:
        cache.save()  # under `mkdocs serve`, once on shutdown: an edit should not wait for it
    settings = _state["settings"]
    pb = current_playbook(root, recheck=False)
    site = Path(config.site_dir)
    history = _state.get("history")
    if history is not None:  # small files: written on every build, also when the history changed and nothing else
        write_feeds(pb, history, settings.title, settings.site_url, settings.strings, site, int(time.time()))
    _join_sheets()
    if _state["serving"] and _state["dirty"] and _state.get("exported") is pb and (site / "playbook.json").is_file():
        return  # a dirty rebuild with the same playbook: the exports in the site are current
    try:
        site_exports(pb, Path(config.site_dir), _cache(root, "sheets"), settings=settings)
    except BuildError as exc:
        raise Abort(f"Checklist export failed: {exc}")
    from playbook.playbook_json import write_playbook_json

    _join_json()
    if _state["serving"]:  # an edit is shown without waiting for the whole playbook as data (read-only here)
        writer = threading.Thread(target=write_playbook_json, args=(pb, settings.site_url, settings.title,
                                                                    site / "playbook.json"), daemon=True)
        writer.start()
        _state["json_writer"] = writer
    else:
        write_playbook_json(pb, settings.site_url, settings.title, site / "playbook.json")
    _state["exported"] = pb
    if _state["serving"] and not _state.get("warmed"):
        _state["warmed"] = True
        _warm_up(root)


def _warm_up(root: Path) -> None:
    """Under `mkdocs serve`, parse and check every record in the background once the first build is served.

    The first build may take the validated model from the cache without parsing a file; the first edit would then
    parse the whole playbook. Done here, an edit re-checks only the edited file (the rebuild waits for this first).
    """
    from playbook.validate import validate

    def work() -> None:
        try:
            validate(root)
        except Exception:  # noqa: BLE001 - only a head start: the rebuild validates again and reports any problem
            pass
        gc.collect()
        gc.freeze()  # what lives now (parsed records, cached pages) is never walked by the cycle collector again

    thread = threading.Thread(target=work, name="playbook-warm-up", daemon=True)
    thread.start()
    _state["warm_up"] = thread


IDLE_COLLECT_AFTER = 2.0  # seconds after a `serve` rebuild: the page has been reloaded by then


def _collect_when_idle() -> None:
    """Free the last build's cyclic garbage while nobody waits for a page (a new build cancels it)."""
    timer = threading.Timer(IDLE_COLLECT_AFTER, gc.collect)
    timer.daemon = True
    timer.start()
    _state["collect"] = timer


def _cancel_collect() -> None:
    timer = _state.pop("collect", None)
    if timer is not None:
        timer.cancel()


def _join_warm_up() -> None:
    thread = _state.pop("warm_up", None)
    if thread is not None:
        thread.join()


def _join_json() -> None:
    writer = _state.pop("json_writer", None)
    if writer is not None:
        writer.join()


def on_build_error(error) -> None:
    """A failed build wrote only part of the site: the next rebuild writes every page again."""
    _BUILT.clear()
    _state.pop("config_stamp", None)
    _join_sheets()  # let a PDF child finish its cache files rather than leave half of one


def on_shutdown() -> None:
    """Keep the rendered pages of a `mkdocs serve` session for the next build."""
    _join_json()
    from playbook.search import stop_background

    stop_background()
    for cache in _CACHES.values():
        cache.save()
