"""What a build writes beside the pages: checklist sheets (PDF, Markdown, text), feeds, playbook.json, search index.

Sheets missing from the cache are rendered in a child process while MkDocs builds the pages (`start_sheets`);
`write_outputs` then finds them cached. Under `mkdocs serve` playbook.json is written in the background.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

from playbook.core.storage import cache_dir

# CPU seconds to build one record page and to render one sheet, from bench/user_bench.py (1,000 scenarios: about
# 10 s for 1,100 pages) and bench/pdf_bench.py (about 2.7 s of CPU for 34 sheets with the import: 70 ms a sheet).
PAGE_SECONDS, SHEET_SECONDS = 0.009, 0.07
_work: dict[str, Any] = {}


def cache_path(root: Path, name: str) -> Path | None:
    """A file or folder in this playbook's cache, outside the checkout (playbook.core.storage); None: no cache."""
    folder = cache_dir(root)
    return None if folder is None else folder / name


def start_sheets(pb: Any, root: Path, settings: Any, serving: bool) -> None:
    """Render the checklist PDFs missing from the cache in a child process, beside the page build.

    Skipped under `mkdocs serve`, whose server threads make forking unwise, and when every sheet is cached (the
    usual case: no WeasyPrint at all).
    """
    from playbook.sheets.export import sheets_cached

    sheets = cache_path(root, "sheets")
    if serving or not hasattr(os, "fork") or sheets is None or sheets_cached(pb, sheets, settings):
        return
    import multiprocessing

    from playbook.sheets.workers import available_cpus

    # The page build keeps one CPU busy. When it is the longer job (a big playbook), the sheets take the other CPUs
    # only; when the sheets are (a few pages, many sheets), they take every CPU and share them with the pages.
    cpus = available_cpus()
    pages_longer = len(pb.all()) * PAGE_SECONDS > 2 * len(pb.checklists) * SHEET_SECONDS
    workers = max(1, cpus - 1) if pages_longer else cpus
    child = multiprocessing.get_context("fork").Process(target=_render_sheets, args=(pb, root, settings, workers),
                                                        daemon=True)
    child.start()
    _work["sheets"] = child


def _render_sheets(pb: Any, root: Path, settings: Any, workers: int) -> None:
    """The child's work: fill the PDF cache. Any failure is left to the build's own export, which reports it."""
    import tempfile

    from playbook.sheets.export import site_exports

    try:
        with tempfile.TemporaryDirectory() as scratch:
            site_exports(pb, Path(scratch), cache_path(root, "sheets"), settings=settings, workers=workers)
    except BaseException:  # noqa: BLE001 - the parent renders this sheet again and reports the problem
        os._exit(1)


def join_sheets() -> None:
    child = _work.pop("sheets", None)
    if child is not None:
        child.join()


def write_outputs(pb: Any, root: Path, site: Path, settings: Any, history: Any, *, serving: bool,
                  skip_exports: bool) -> None:
    """Feeds, sheets and playbook.json into the built site (raises BuildError when a sheet cannot be made)."""
    from playbook.site.feeds import write_feeds
    from playbook.site.playbook_json import write_playbook_json
    from playbook.sheets.export import site_exports

    if history is not None:  # small files: written on every build, also when the history changed and nothing else
        write_feeds(pb, history, settings.title, settings.site_url, settings.strings, site, int(time.time()))
    join_sheets()
    if skip_exports:
        return
    site_exports(pb, site, cache_path(root, "sheets"), settings=settings)
    join_json()
    if serving:  # an edit is shown without waiting for the whole playbook as data (read-only here)
        writer = threading.Thread(target=write_playbook_json, args=(pb, settings.site_url, settings.title,
                                                                    site / "playbook.json"), daemon=True)
        writer.start()
        _work["json_writer"] = writer
    else:
        write_playbook_json(pb, settings.site_url, settings.title, site / "playbook.json")


def join_json() -> None:
    writer = _work.pop("json_writer", None)
    if writer is not None:
        writer.join()
