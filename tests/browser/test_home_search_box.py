"""The home page's way in, used as a reader would: words typed into its "describe what is happening" box reach the
header's search, which lists the play; nothing is loaded for it before the reader comes to the box."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playbook_site import SCENARIO, expect, goto, need, page_title, rarest_word

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_typing_in_the_home_box_searches_from_the_header(new_context: Callable[..., Any], site_dir: Path,
                                                         viewport: str) -> None:
    location = f"scenarios/{need(SCENARIO, 'scenario')}/"
    if 'class="pb-way-in"' not in (site_dir / "index.html").read_text(encoding="utf-8"):
        pytest.skip("this playbook's home page has no search_box()")
    word = rarest_word(site_dir, location, page_title(site_dir, location))
    page = new_context().new_page()
    if viewport == "phone":
        page.set_viewport_size(PHONE)
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    goto(page, "")
    box = page.locator("#pb-way-in")
    expect(box).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert not [u for u in seen if "/pagefind/" in u], "the home page fetched the index before the reader came to it"
    box.click()
    page.keyboard.type(word, delay=20)
    header = page.locator("[data-pb-search-input]")
    expect(header).to_be_focused()
    expect(header).to_have_value(word)
    expect(header).to_be_visible()
    link = page.locator(f"[data-search-result] a[href*='/{location}']").first
    expect(link).to_be_visible()
    assert box.input_value() == ""
    page.keyboard.press("Escape")
    expect(header).not_to_be_focused()


def test_enter_in_the_home_box_searches_too(page: Any, site_dir: Path) -> None:
    """Pasted words and Enter (no typing in the box) reach the header's search the same way."""
    location = f"scenarios/{need(SCENARIO, 'scenario')}/"
    if 'class="pb-way-in"' not in (site_dir / "index.html").read_text(encoding="utf-8"):
        pytest.skip("this playbook's home page has no search_box()")
    word = rarest_word(site_dir, location, page_title(site_dir, location))
    goto(page, "")
    page.locator("#pb-way-in").evaluate("(box, word) => { box.value = word; }", word)
    page.locator("#pb-way-in").press("Enter")
    expect(page.locator("[data-pb-search-input]")).to_have_value(word)
    expect(page.locator(f"[data-search-result] a[href*='/{location}']").first).to_be_visible()
