"""A checklist printed from the browser is one page holding every item and none of the site's chrome."""
from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from playbook_site import CHECKLIST, CHECKLISTS, SETTINGS, checklist_items, goto, nav_titles, site_config

pytestmark = pytest.mark.browser

PRINTS = Path(__file__).resolve().parents[2] / "test-results" / "print"


@pytest.fixture(scope="module")
def print_page(new_context: Callable[..., Any]) -> Iterator[Any]:
    """One page for every print in this module, with print media emulated."""
    context = new_context()
    page = context.new_page()
    page.emulate_media(media="print")
    yield page
    context.close()


def flat(text: str) -> str:
    """Text with every run of whitespace made one space (PDF text breaks lines where the layout did)."""
    return re.sub(r"\s+", " ", text).strip()


def chrome_strings() -> list[str]:
    """Text that belongs to the site around a checklist: header, search, navigation, footer."""
    config = site_config()
    chrome = ["Search", "Skip to content", "Back to top", "Previous", "Next", SETTINGS.title, SETTINGS.repo_name,
              flat(config.get("copyright") or ""), *nav_titles()]
    return [text for text in chrome if text]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("checklist", CHECKLISTS)
def test_printed_checklist_is_one_clean_page(print_page: Any, site_dir: Path, checklist: str, paper: str) -> None:
    goto(print_page, f"checklists/{checklist}/")
    own = flat(" ".join(print_page.locator(f".pb-head, .pb-checklist[data-checklist='{checklist}']").all_inner_texts()))
    pdf = print_page.pdf(format=paper)
    if checklist == CHECKLIST:
        PRINTS.mkdir(parents=True, exist_ok=True)
        (PRINTS / f"{checklist}-{paper.lower()}.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert len(reader.pages) == 1, f"{checklist} prints on {len(reader.pages)} {paper} pages"
    missing = [item.text for item in checklist_items(site_dir, checklist) if flat(item.text) not in text]
    assert not missing, f"items missing from the printed {checklist}: {missing}"
    # Chrome text is forbidden unless the checklist itself says it (an item may well say "Next").
    chrome = [s for s in chrome_strings() if s in text and s not in own]
    assert not chrome, f"site chrome printed with {checklist}: {chrome}\n{text}"
