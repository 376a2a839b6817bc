"""Material's search, typed key by key as a reader would, finds scenarios and checklists."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playbook_site import CHECKLIST, SCENARIO, checklist_items, expect, goto, page_title, rarest_word

pytestmark = pytest.mark.browser


def search(page: Any, word: str) -> Any:
    """Type a word into the header's search box and return the result items once some are listed."""
    goto(page, "")
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(word, delay=20)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    return results


def test_search_lists_a_scenario_for_a_word_of_its_title(page: Any, site_dir: Path) -> None:
    location = f"scenarios/{SCENARIO}/"
    word = rarest_word(site_dir, location, page_title(site_dir, location))
    results = search(page, word)
    expect(results.locator(f"a[href*='/{location}']").first).to_be_visible()


def test_search_lists_a_checklist_for_a_word_of_one_of_its_items(page: Any, site_dir: Path) -> None:
    location = f"checklists/{CHECKLIST}/"
    word = rarest_word(site_dir, location, " ".join(item.text for item in checklist_items(site_dir, CHECKLIST)))
    results = search(page, word)
    expect(results.locator(f"a[href*='/{location}']").first).to_be_visible()
