"""The header's search, used as a reader would: it finds records by their words, and it costs nothing until used."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playbook_site import (CHECKLIST, PLAYBOOK, SCENARIO, checklist_items, expect, goto, need, open_search, page_title,
                           rarest_word, search_results)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def search(page: Any, word: str) -> Any:
    """Type a word into the header's search box and return the result items once some are listed."""
    goto(page, "")
    box = open_search(page)
    box.press_sequentially(word, delay=20)
    results = page.locator("[data-search-result]")
    expect(results.first).to_be_visible()
    return results


def test_search_lists_a_scenario_for_a_word_of_its_title(page: Any, site_dir: Path) -> None:
    location = f"scenarios/{need(SCENARIO, 'scenario')}/"
    word = rarest_word(site_dir, location, page_title(site_dir, location))
    results = search(page, word)
    expect(results.locator(f"a[href*='/{location}']").first).to_be_visible()


def test_search_lists_a_checklist_for_a_word_of_one_of_its_items(page: Any, site_dir: Path) -> None:
    location = f"checklists/{need(CHECKLIST, 'checklist')}/"
    word = rarest_word(site_dir, location, " ".join(item.text for item in checklist_items(site_dir, CHECKLIST)))
    results = search(page, word)
    expect(results.locator(f"a[href*='/{location}']").first).to_be_visible()


def _search_requests(urls: list[str]) -> list[str]:
    return [u for u in urls if "/pagefind/" in u or "search_index" in u or "search-words" in u]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_no_search_data_is_fetched_before_the_reader_searches(new_context: Callable[..., Any], site_dir: Path,
                                                              viewport: str) -> None:
    """Home and a scenario page load no index and no search code of the engine; typing loads them and finds."""
    location = f"scenarios/{need(SCENARIO, 'scenario')}/"
    word = rarest_word(site_dir, location, page_title(site_dir, location))
    context = new_context()
    page = context.new_page()
    if viewport == "phone":
        page.set_viewport_size(PHONE)
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    for path in ("", location):
        goto(page, path)
        page.wait_for_load_state("networkidle")
        page.mouse.wheel(0, 600)  # a reader scrolling and reading still fetches nothing for search
        page.wait_for_timeout(300)
        assert _search_requests(seen) == [], f"{path or 'home'} fetched search data before any search"
    open_search(page)
    urls = search_results(page, word)
    assert any("/pagefind/" in u for u in _search_requests(seen)), "typing a query loaded no search index"
    assert any(f"/{location}" in u for u in urls), (word, urls)
    context.close()


def test_results_are_links_in_rank_order_reachable_by_keyboard(page: Any, site_dir: Path) -> None:
    """Down arrow walks from the box into the result links, Enter opens the one focused."""
    location = f"scenarios/{need(SCENARIO, 'scenario')}/"
    word = rarest_word(site_dir, location, page_title(site_dir, location))
    goto(page, "")
    open_search(page)
    urls = search_results(page, word)
    assert urls, word
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.href")
    assert focused == urls[0]
    page.keyboard.press("Enter")
    page.wait_for_url(urls[0])


def _weights_of(page: Any, word: str, location: str) -> list[float]:
    """The weights Pagefind gives each place `word` is found on the page at `location` (empty if not found there)."""
    goto(page, "")
    return page.evaluate("""async ([word, location]) => {
      const base = new URL(".", document.baseURI);
      const pf = await import(new URL("pagefind/pagefind.js", base).href);
      await pf.options({baseUrl: base.pathname});
      await pf.init();
      for (const result of (await pf.search(word)).results) {
        const data = await result.data();
        if (data.url.endsWith("/" + location)) return data.weighted_locations.map(w => w.weight);
      }
      return [];
    }""", [word, location])


def _own_word(text: str, *elsewhere: str) -> str | None:
    """A word of `text` (five letters or more) whose family (first five letters) is in none of `elsewhere`."""
    other = " ".join(elsewhere).lower()
    words = sorted(w for w in set(re.findall(r"[a-z]{5,}", text.lower())) if not re.search(rf"\b{w[:5]}", other))
    return words[0] if words else None


def test_a_scenarios_situation_weighs_more_than_its_moves(page: Any, site_dir: Path) -> None:
    """A reader describes their situation, not the moves: the situation's words weigh 4 in the index, the body's
    (moves, scripts ...) 0.5, so a play whose situation matches ranks above one that only mentions the words."""
    r = PLAYBOOK.scenarios[need(SCENARIO, "scenario")]
    location = f"scenarios/{SCENARIO}/"
    head = [r.title, r.summary, *(r.in_their_words or [])]
    in_situation = need(_own_word(r.situation, *head), "a situation word not in the scenario's title or words")
    in_moves = need(_own_word(" ".join(r.moves), *head, r.situation, r.goal),
                    "a word of the moves not in the scenario's head, situation or goal")
    assert max(_weights_of(page, in_situation, location), default=None) == 4, in_situation
    assert max(_weights_of(page, in_moves, location), default=None) == 0.5, in_moves
