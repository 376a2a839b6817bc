"""`make serve`'s server: an edit to a record shows on its page and on the pages that list it, without a restart.

Functional, not a timing test (bench/edit_bench.py measures the time): the bound is generous for a loaded machine.
"""
from __future__ import annotations

import html
import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from support import BIN, PLAYBOOKS, assemble, clean_env

pytestmark = pytest.mark.own_fixtures

RECORD = Path("data") / "scenarios" / "a-deadline-will-slip.yaml"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return ""


def _wait_for(url: str, text: str, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if text in _get(url):
            return True
        time.sleep(0.1)
    return False


def _entry(base: str) -> dict:
    """The search index's language entry (its content hash and page count), as the page's search script reads it."""
    languages = json.loads(_get(base + "pagefind/pagefind-entry.json") or "{}").get("languages") or {}
    return next(iter(languages.values()), {})


def _wait_for_entry_change(base: str, before: dict, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if _entry(base).get("hash") not in (None, before.get("hash")):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def server(tmp_path):
    root = assemble(tmp_path / "mini", PLAYBOOKS / "mini")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--dirty", "--dev-addr",
                             f"127.0.0.1:{port}"], cwd=root, env=clean_env(), stdout=log, stderr=subprocess.STDOUT)
    try:
        yield root, f"http://127.0.0.1:{port}/", tmp_path / "serve.log"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_an_edited_title_shows_on_its_page_the_index_the_tags_and_search(server):
    root, base, log = server
    record = root / RECORD
    old_title = re.search(r"^title: (.*)$", record.read_text(encoding="utf-8"), re.M).group(1)
    page = base + "scenarios/a-deadline-will-slip/"
    assert _wait_for(page, html.escape(old_title), 120), log.read_text()
    assert _wait_for(base + "pagefind/pagefind-entry.json", '"page_count"', 60), log.read_text()
    before_edit = _entry(base)
    new_title = "A deadline will slip and I edited this title"
    record.write_text(record.read_text(encoding="utf-8").replace(f"title: {old_title}", f"title: {new_title}"),
                      encoding="utf-8")
    started = time.monotonic()
    assert _wait_for(page, new_title, 20), log.read_text()
    # The pages that list it follow in the same rebuild.
    assert _wait_for(base + "scenarios/", new_title, 20 - (time.monotonic() - started)), log.read_text()
    assert new_title in _get(base + "situations/")
    assert new_title in _get(base + "principles/no-surprises/")
    tags = _get(base + "tags/")
    assert new_title in tags
    # Pages this rebuild did not touch keep their titles in the tag listing.
    assert "My manager reads first" in tags, tags
    assert not re.search(r"<a href=\"[^\"]*\">\s*None\s*</a>", tags), tags
    # The search index is written again in the background after the rebuild (playbook.site.search): a new index of
    # the same number of pages, the edited one among them.
    assert _wait_for(base + "pagefind/pagefind-entry.json", '"page_count"', 30), log.read_text()
    assert _wait_for_entry_change(base, before_edit, 30), log.read_text()
    assert _entry(base)["page_count"] == before_edit["page_count"]
    assert "Traceback" not in log.read_text()
