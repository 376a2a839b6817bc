"""The MkDocs plugin `playbook` (`plugins: - playbook` in mkdocs.yml): each event hands its work to a module.

on_config reads the playbook's settings and adds the generator's assets, theme overrides and page macros; on_files
validates the records (stopping the build on errors) and adds the record pages (site.pages); the page events place
macro output and guard generated pages; on_post_build writes sheets, feeds, playbook.json (site.outputs) and the
search index (site.search). MkDocs makes a new plugin for every `mkdocs serve` rebuild, so what a server keeps between
rebuilds lives in this module (`_state`), not on the plugin.
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

import playbook
from playbook.core.diagnostics import BuildError, ContentError, Report
from playbook.core.settings import load_settings
from playbook.records.validate import check_content
from playbook.site import compat, outputs, pages, serve
from playbook.site.config import PlaybookConfig
from playbook.records.pipeline import validated_playbook
from playbook.site.slots import SLOTS, macro_problems
from playbook.site.history import History, read_history
from playbook.site.macros import macro_functions
from playbook.site.render import PageCache, RecordPage, forget_rendered, record_pages

log = logging.getLogger("mkdocs.plugins.playbook")
PACKAGE = Path(playbook.__file__).resolve().parent
ASSETS = PACKAGE / "assets"  # the generator's CSS and JS, served to every playbook
THEME = PACKAGE / "theme"  # templates that override the theme's, after the playbook's own custom_dir
_state: dict[str, Any] = {"serving": False, "dirty": False}
_BUILT: dict[str, str] = {}  # generated page -> the key of its content in the last build
_CACHES: dict[Path, PageCache] = {}
_SLOT = re.compile(r"<!-- pb-slot (\w+) -->")


def _fail(report: Report) -> Abort:
    for d in report.sorted():
        (log.error if d.severity == "error" else log.warning)(d.text())
    return Abort(f"The playbook has {len(report.errors)} error(s); fix them and build again "
                 f"(`playbook validate` shows the same list).")


def _root(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    """Records in data/ become pages, sheets, feeds and a search index of an MkDocs Material site."""

    supports_multiple_instances = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether this is `mkdocs serve` (rebuilds reuse what the last build parsed) and whether dirty."""
        _state.update(serving=command == "serve", dirty=dirty)
        if _state["serving"]:
            serve.start_serving()
            compat.ask_git_once()

    @event_priority(100)  # before the theme's plugins, which stop on a bad theme.language with a traceback
    def on_config(self, config: Any) -> Any:
        """Read the settings once; add the generator's assets, theme overrides and page macros."""
        if not self.config.enabled:
            return config
        serve.cancel_collect()
        root = _root(config)
        try:
            settings = load_settings(root)
        except ContentError as exc:
            raise _fail(exc.report)
        _state["settings"] = settings
        if not config.repo_url and settings.repo_url:  # addresses mkdocs.yml leaves out come from the environment
            config.repo_url = settings.repo_url
            config.repo_name = config.repo_name or settings.repo_name
            config.edit_uri = config.edit_uri or "edit/main/"  # the branch the publish workflow deploys from
        if not config.repo_url:
            config.edit_uri = ""  # no repository known: no edit links rather than broken ones
        if not config.site_url and settings.site_url and not _state["serving"]:
            config.site_url = settings.site_url  # under `serve`, MkDocs serves at the site_url's path: keep it at /
        scripts = {str(getattr(s, "path", s)) for s in config.extra_javascript}
        for asset in sorted(ASSETS.iterdir()):
            uri = f"assets/{asset.name}"
            if asset.stem.partition("-")[0] == "agenda" and not pages.listed(config, pages.AGENDA):
                continue  # no agenda page, so no "add to my agenda" buttons that would lead to none
            if asset.suffix == ".css" and uri not in config.extra_css:
                config.extra_css.append(uri)
            elif asset.suffix == ".js" and uri not in scripts:
                config.extra_javascript.append(uri)
        compat.add_theme_dir(config, str(THEME))
        macros = compat.macros_plugin(config)
        if macros is not None:
            macros.register_macros(macro_functions(macros, root, settings))
        self._warn_search_plugin(config)
        return config

    @staticmethod
    def _warn_search_plugin(config: Any) -> None:
        """Say once per process that a `- search` in plugins only costs build time: the site's search is its own."""
        named = [name for name in config.plugins if name.rpartition("/")[2] == "search"]
        if named and not _state.get("search_plugin_warned"):
            _state["search_plugin_warned"] = True
            log.warning("mkdocs.yml lists the %r plugin, but the playbook's search box is the generator's own "
                        "(Pagefind); the plugin only makes the build slower: remove `- search` from plugins", named[0])

    def on_files(self, files: Files, *, config: Any) -> Files:
        """Validate the records (stopping the build on errors) and add one finished page per record."""
        if not self.config.enabled:
            return files
        root, settings = _root(config), _state["settings"]
        serve.join_warm_up()
        try:  # a new process skips validation when nothing changed; a serve rebuild re-checks only edited files
            first = not _state["serving"] or "playbook" not in _state
            pb = validated_playbook(root, settings, cache_file=outputs.cache_path(root, "model.json") if first else None,
                                    reuse=True)
        except ContentError as exc:
            raise _fail(exc.report)
        for d in pb.report.warnings:
            log.warning(d.text())
        # Also when the model came from the cache: a link or a page added under docs_dir changes no record.
        problems = check_content(root, settings, [(r.kind, r.id, r.path) for r in pb.all()])
        if problems:
            raise _fail(Report(problems))
        docs = Path(config.docs_dir).resolve().relative_to(root).as_posix()
        for f in files:
            f.edit_uri = f"{docs}/{f.src_uri}"
        pages.add_repo_docs(files, config, root)
        for asset in sorted(ASSETS.iterdir()):  # the generator's own CSS and JS, whatever the playbook's pages are
            if asset.is_file() and files.get_file_from_path(f"assets/{asset.name}") is None:
                files.append(File.generated(config, f"assets/{asset.name}", abs_src_path=str(asset)))
        outputs.start_sheets(pb, root, settings, _state["serving"])
        made = self._made_pages(pb, root, settings, config, files)
        # A dirty rebuild writes only what changed: generated pages by key; hand-written pages (their macros show
        # records) whenever the playbook or the settings changed, else when their own file did.
        stamp = os.stat(config.config_file_path).st_mtime_ns
        same_config = _state.get("config_stamp") == stamp
        same = same_config and _state.get("playbook") is pb
        _state.update(config_stamp=stamp, playbook=pb)
        if _state["dirty"]:  # only a dirty build asks a file whether it changed
            pages.track_written_pages(files, same_config, same)
        pages.add_pages(files, config, made, _BUILT, same_config)
        _BUILT.clear()
        _BUILT.update((page.src_uri, page.key) for page in made)
        if not _state["serving"]:
            from playbook.records.load import forget_parsed

            forget_parsed()
            forget_rendered()
        return files

    @staticmethod
    def _made_pages(pb: Any, root: Path, settings: Any, config: Any, files: Files) -> list[RecordPage]:
        cache = _CACHES.setdefault(root, PageCache(outputs.cache_path(root, "pages.json")))
        history = _read_history(root)
        made = record_pages(pb, settings.strings, cache, history.last_changed())
        if files.get_file_from_path(pages.WHATS_NEW) is None:  # a playbook's own whats-new.md wins
            made.append(pages.whats_new_page(pb, history, settings.strings))
        if pages.listed(config, pages.AGENDA):
            made.append(pages.agenda_page(settings.strings))
        return made

    @event_priority(110)  # before the tags plugin (100) fills its listings
    def on_env(self, env: Any, *, config: Any, files: Files) -> Any:
        """On a dirty rebuild, hand the tags plugin the pages it did not see, so tag listings stay complete."""
        if not _state["serving"]:
            return env
        env.bytecode_cache = serve.THEME_BYTECODE
        tags = compat.tags_plugin(config)
        if tags is None or not _state["dirty"]:
            return env
        for file in files.documentation_pages():
            page = file.page
            if page is None or page.content is not None:
                continue  # built this time: the plugin read it already
            if not isinstance(page, pages.PlaybookPage):
                page.read_source(config)  # front matter only; the page is not converted
            compat.add_tagged_page(tags, page)
        return env

    @event_priority(-100)  # after mkdocs-macros has run the page's macros
    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Files) -> str:
        """Stop on a macro that named an unknown record (it logged one located line instead of a traceback)."""
        problems = macro_problems(page.file.src_uri)
        if problems:
            for line in problems:
                log.error(line)
            raise Abort(f"{len(problems)} macro error(s) in {page.file.src_uri}")
        return markdown

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Files) -> str:
        """Put each macro's HTML where its placeholder stands, after Markdown is done with the page."""
        if isinstance(page, pages.PlaybookPage):
            return html
        return _SLOT.sub(lambda m: SLOTS.pop(m.group(1), ""), html)

    @event_priority(100)  # before any other plugin sees the page
    def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        """Fail the build if anything changed a generated page's metadata on its way through MkDocs."""
        if isinstance(page, pages.PlaybookPage):
            expected = page.playbook
            if page.meta != expected.meta or page.content != expected.html:
                raise Abort(f"the metadata or HTML of {page.file.src_uri} changed inside MkDocs; "
                            f"refusing to publish it (expected {expected.meta!r}, got {page.meta!r})")
        return context

    @event_priority(100)  # before other plugins' post-build work
    def on_post_build(self, *, config: Any) -> None:
        """Write each checklist's sheets beside its page (cached by content hash), feeds, playbook.json and the
        search index."""
        if not self.config.enabled:
            return
        try:
            self._post_build(config)
        finally:
            if _state["serving"] and not serve.warming():
                serve.collect_when_idle()

    @staticmethod
    def _post_build(config: Any) -> None:
        from playbook.site.search import SearchError, index_built_site

        root, settings, site = _root(config), _state["settings"], Path(config.site_dir)
        cache = _CACHES.get(root)
        if cache and not _state["serving"]:
            cache.save()  # under `mkdocs serve`, once on shutdown: an edit should not wait for it
        pb = validated_playbook(root, settings, reuse=True, recheck=False)
        # A dirty rebuild with the same playbook: the exports in the site are current.
        skip = (_state["serving"] and _state["dirty"] and _state.get("exported") is pb
                and (site / "playbook.json").is_file())
        try:
            outputs.write_outputs(pb, root, site, settings, _state.get("history"), serving=_state["serving"],
                                  skip_exports=skip)
        except BuildError as exc:
            raise Abort(f"Checklist export failed: {exc}")
        _state["exported"] = pb
        if _state["serving"] and not _state.get("warmed"):
            _state["warmed"] = True
            serve.warm_up(root)
        try:
            index_built_site(site, settings, _state["serving"])
        except SearchError as exc:
            raise Abort(f"Search index: {exc}")

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build wrote only part of the site: the next rebuild writes every page again."""
        _BUILT.clear()
        _state.pop("config_stamp", None)
        outputs.join_sheets()  # let a PDF child finish its cache files rather than leave half of one

    def on_shutdown(self) -> None:
        """Keep the rendered pages of a `mkdocs serve` session for the next build."""
        outputs.join_json()
        from playbook.site.search import stop_background

        stop_background()
        for cache in _CACHES.values():
            cache.save()


def _read_history(root: Path) -> History:
    """The git history of data/, read once per build (one `git log`); what is missing is said once per process."""
    history = read_history(root)
    if history.problem and _state.get("history_said") != history.problem:
        _state["history_said"] = history.problem
        log.info(f"playbook: {history.problem}")  # info: a build without history is still a good build (--strict)
    _state["history"] = history
    return history
