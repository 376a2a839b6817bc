"""MkDocs hooks: the thin engine layer. Validate on build, add record pages in memory, export checklists.

Everything here maps MkDocs events onto the engine-agnostic core in `playbook`.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel

from playbook.diagnostics import BuildError, ContentError
from playbook.load import forget_parsed
from playbook.render import record_pages
from playbook.site import current_playbook

log = logging.getLogger("mkdocs.plugins.playbook")
_serving = False


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether this is `mkdocs serve`, whose rebuilds reuse the parse cache."""
    global _serving
    _serving = command == "serve"


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_files(files: Files, config) -> Files:
    """Validate the content (stopping the build on errors) and add one generated page per record."""
    root = _root(config)
    try:
        pb = current_playbook(root)
    except ContentError as exc:
        for d in exc.report.sorted():
            (log.error if d.severity == "error" else log.warning)(d.text())
        raise Abort(f"The playbook content has {len(exc.report.errors)} error(s); fix them and build again "
                    f"(`playbook validate` shows the same list).")
    for d in pb.report.warnings:
        log.warning(d.text())
    docs = Path(config.docs_dir).resolve().relative_to(root).as_posix()
    for f in files:
        f.edit_uri = f"{docs}/{f.src_uri}"
    guide = root / "CONTRIBUTING.md"
    if guide.exists() and files.get_file_from_path("contributing.md") is None:
        files.append(_contributing_page(guide, config))
    for page in record_pages(pb):
        generated = File.generated(config, page.src_uri, content=page.content, inclusion=InclusionLevel.NOT_IN_NAV)
        generated.edit_uri = page.source_path
        files.append(generated)
    if not _serving:
        forget_parsed()
    return files


def _contributing_page(guide: Path, config) -> File:
    """The repository's CONTRIBUTING.md as the site's contributing page, its repo-relative links made absolute."""
    blob = f"{(config.repo_url or '').rstrip('/')}/blob/main/"

    def absolute(match: re.Match[str]) -> str:
        target = match.group(1)
        if re.match(r"^([a-z]+:|#|/)", target):
            return match.group(0)
        return f"]({blob}{target})"

    text = re.sub(r"\]\(([^)\s]+)\)", absolute, guide.read_text(encoding="utf-8"))
    page = File.generated(config, "contributing.md", content=text)
    page.edit_uri = guide.name
    return page


def on_post_build(config) -> None:
    """Write each checklist's PDFs and Markdown beside its page (cached by content hash)."""
    from playbook.export import site_exports

    root = _root(config)
    try:
        site_exports(current_playbook(root, recheck=False), Path(config.site_dir), root / ".cache" / "exports",
                     site_url=config.extra.get("public_url") or config.site_url or "", playbook_title=config.site_name)
    except BuildError as exc:
        raise Abort(f"Checklist export failed: {exc}")
