"""The scenario index's filters (text, tag, difficulty) narrow the table and keep the count true."""
from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from playbook_site import PAGES, PLAYBOOK, SCENARIO, SEARCH_WORD, STRINGS, expect, goto

pytestmark = [pytest.mark.browser, pytest.mark.skipif(SCENARIO is None or "scenarios" not in PAGES,
                                                      reason="this playbook has no scenarios or no scenario index page")]

ROWS = "table.pb-scenarios tbody tr"


def rows_data(page: Any) -> list[dict[str, Any]]:
    """Each row's link, tags and difficulty as the page ships them, and the text a word filter searches (the
    scenario's title, summary and situation) from the playbook's data."""
    rows = page.locator(ROWS).evaluate_all(
        "rows => rows.map(r => ({href: r.querySelector('a').getAttribute('href'),"
        " tags: r.dataset.tags.split(' '), difficulty: r.dataset.difficulty}))")
    for row in rows:
        scenario = PLAYBOOK.scenarios[row["href"].rstrip("/").rsplit("/", 1)[-1]]
        row["text"] = f"{scenario.title} {scenario.summary} {scenario.situation}".lower()
    return rows


def shown(page: Any) -> list[bool]:
    """Which rows a reader can see now."""
    return page.locator(ROWS).evaluate_all("rows => rows.map(r => !r.hidden && r.offsetParent !== null)")


def expect_rows(page: Any, wanted: list[bool]) -> None:
    """The visible rows are exactly `wanted`, and the count says so."""
    total, visible = len(wanted), sum(wanted)
    count = page.locator("[data-pb-count]")
    expect(count).to_have_text(STRINGS("index.count", n=total) if visible == total else
                               STRINGS("index.count_filtered", shown=visible, n=total))
    assert shown(page) == wanted


def narrowing(values: Counter[str], total: int) -> str:
    """The most common value that still leaves some rows out, so the filter visibly narrows the list."""
    candidates = [value for value, n in values.most_common() if 0 < n < total]
    if not candidates:
        pytest.skip(f"no value narrows this playbook's scenario list: {dict(values)}")
    return candidates[0]


def test_filters_narrow_the_scenario_list_and_update_the_count(page: Any) -> None:
    goto(page, "scenarios/")
    rows = rows_data(page)
    total = len(rows)
    if total < 2:
        pytest.skip(f"filters narrow a list of at least two scenarios; this playbook has {total}")
    expect_rows(page, [True] * total)

    # A word of one scenario's title, typed: only rows whose text holds it stay.
    word = SEARCH_WORD
    text = page.locator("[data-pb-filter-text]")
    text.press_sequentially(word)
    by_text = [word in row["text"] for row in rows]
    assert 0 < sum(by_text) < total
    expect_rows(page, by_text)
    assert any(SCENARIO in row["href"] for row, ok in zip(rows, by_text) if ok)
    text.fill("")
    expect_rows(page, [True] * total)

    tag = narrowing(Counter(t for row in rows for t in row["tags"]), total)
    page.locator("[data-pb-filter-tag]").select_option(tag)
    by_tag = [tag in row["tags"] for row in rows]
    expect_rows(page, by_tag)

    page.locator("[data-pb-filter-tag]").select_option("")
    difficulty = narrowing(Counter(row["difficulty"] for row in rows), total)
    page.locator("[data-pb-filter-difficulty]").select_option(difficulty)
    by_difficulty = [row["difficulty"] == difficulty for row in rows]
    expect_rows(page, by_difficulty)

    # Filters combine: tag and difficulty together keep only rows that match both.
    page.locator("[data-pb-filter-tag]").select_option(tag)
    expect_rows(page, [a and b for a, b in zip(by_tag, by_difficulty)])

    page.locator("[data-pb-filter-tag]").select_option("")
    page.locator("[data-pb-filter-difficulty]").select_option("")
    expect_rows(page, [True] * total)


def test_a_tag_in_the_address_preselects_the_tag_filter(page: Any) -> None:
    goto(page, "scenarios/")
    rows = rows_data(page)
    tag = narrowing(Counter(t for row in rows for t in row["tags"]), len(rows))
    goto(page, f"scenarios/?tag={tag}")
    expect(page.locator("[data-pb-filter-tag]")).to_have_value(tag)
    expect_rows(page, [tag in row["tags"] for row in rows])
