"""axe-core finds no serious or critical WCAG 2.1 A/AA or best-practice violation, in light and dark palettes."""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playbook_site import PAGES, PALETTES, REPO, SEARCH_WORD, expect, goto

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("serious", "critical")
SUMMARY = REPO / "test-results" / "axe-summary.json"


@pytest.fixture(scope="module")
def palette_page(new_context: Callable[..., Any]) -> Callable[[str], Any]:
    """One page per palette, reused across pages: its context prefers a light or a dark color scheme."""
    pages: dict[str, Any] = {}

    def get(palette: str) -> Any:
        if palette not in pages:
            pages[palette] = new_context(color_scheme=palette).new_page()
        return pages[palette]

    return get


@pytest.fixture(scope="module")
def axe_summary() -> Iterator[dict[str, dict[str, int]]]:
    """Violation counts by impact per page and palette, written to test-results/ for CI to keep."""
    summary: dict[str, dict[str, int]] = {}
    yield summary
    SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    SUMMARY.write_text(json.dumps(dict(sorted(summary.items())), indent=2) + "\n", encoding="utf-8")


def run_axe(page: Any, axe_script: Path) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now."""
    page.add_script_tag(path=str(axe_script))
    return page.evaluate(
        """async tags => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                targets: v.nodes.map(n => n.target.join(' '))}));
        }""", AXE_TAGS)


def check(page: Any, palette: str, name: str, axe_script: Path, summary: dict[str, dict[str, int]]) -> None:
    """Run axe on the page in its palette, record the counts and fail on serious or critical violations."""
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert scheme == PALETTES[palette], f"{name}: the {palette} palette did not apply (scheme {scheme})"
    violations = run_axe(page, axe_script)
    summary[f"{name} ({palette})"] = dict(Counter(v["impact"] for v in violations))
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    report = "\n".join(f"  {v['id']} [{v['impact']}] {v['help']}\n" + "".join(f"      {t}\n" for t in v["targets"][:10])
                       + (f"      ... and {len(v['targets']) - 10} more\n" if len(v["targets"]) > 10 else "")
                       for v in blocking)
    assert not blocking, f"{name} ({palette}): serious or critical axe violations:\n{report}"


@pytest.mark.parametrize("palette", list(PALETTES))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_axe_violations(axe_script: Path, palette_page: Callable[[str], Any],
                                            axe_summary: dict[str, dict[str, int]], name: str, palette: str) -> None:
    page = palette_page(palette)
    goto(page, PAGES[name])
    check(page, palette, name, axe_script, axe_summary)


@pytest.mark.parametrize("palette", list(PALETTES))
def test_open_search_with_results_has_no_serious_axe_violations(
        axe_script: Path, palette_page: Callable[[str], Any], axe_summary: dict[str, dict[str, int]],
        palette: str) -> None:
    page = palette_page(palette)
    goto(page, "")
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(SEARCH_WORD, delay=20)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    check(page, palette, "search results", axe_script, axe_summary)


# A word the engine tests' own playbook shows only in inline code (`localStorage`, on its FAQ page).
CODE_WORD = "localstorage"


@pytest.mark.parametrize("palette", list(PALETTES))
def test_search_match_in_the_results_is_readable(
        axe_script: Path, new_context: Callable[..., Any], mini_url: str, axe_summary: dict[str, dict[str, int]],
        palette: str) -> None:
    """The words a result matched are marked in its excerpt (`mark`) and keep their contrast in both palettes."""
    page = new_context(color_scheme=palette, base_url=mini_url).new_page()
    goto(page, "")
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(CODE_WORD, delay=20)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    expect(page.locator(".md-search-result mark").first).to_be_visible()
    check(page, palette, "search match", axe_script, axe_summary)
    page.context.close()
