"""Browsing the playbook sends no request to any host but the one serving it (no fonts, no GitHub API)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playbook_site import PAGES, SEARCH_WORD, expect, foreign_requests, goto

pytestmark = pytest.mark.browser


def test_browsing_requests_only_the_local_site(new_context: Callable[..., Any], base_url: str,
                                               requests_seen: list[tuple[str, str]]) -> None:
    page = new_context().new_page()
    before = len(requests_seen)
    for path in PAGES.values():
        goto(page, path)
        page.wait_for_load_state("networkidle")  # requests scripts make after the load event count too
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(SEARCH_WORD, delay=20)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    page.wait_for_load_state("networkidle")

    mine = requests_seen[before:]
    # The recorder sees the pages, their assets and the search index the query fetched.
    assert any("/pagefind/" in url for url, _ in mine), mine
    assert {base_url + path for path in PAGES.values()} <= {url for url, _ in mine}
    # Every request of this session counts, including those made by the other browser tests.
    foreign = foreign_requests(requests_seen)
    assert not foreign, "requests left 127.0.0.1:\n" + "\n".join(f"  {url} (from {origin or 'a worker'})"
                                                              for url, origin in foreign)
