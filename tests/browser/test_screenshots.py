"""Screenshots of the home, a scenario and a checklist page in both palettes, for CI to keep and people to look at."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playbook_site import PAGES, PALETTES, REPO, goto

pytestmark = pytest.mark.browser

SHOTS = REPO / "test-results" / "screenshots"


@pytest.mark.parametrize("palette", list(PALETTES))
def test_screenshots(new_context: Callable[..., Any], palette: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = new_context(color_scheme=palette).new_page()
    for name in [n for n in ("home", "scenario", "checklist") if n in PAGES]:  # the kinds this playbook has
        goto(page, PAGES[name])
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == PALETTES[palette]
        path = SHOTS / f"{name}-{palette}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000, f"{path} looks empty"
