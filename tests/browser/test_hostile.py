"""Hostile records in a real browser: emoji next to Markdown links, attribute lists, HTML and template syntax in
every kind of field never run script on any page, in search results or on the agenda."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from playbook_site import goto

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from support import PLAYBOOKS, assemble, build  # noqa: E402

LINK = "[slip](javascript:alert(document.domain))"
ATTRS = '{: onmouseover="alert(1)" }'
SCRIPT = "<script>alert(2)</script>"
IMG = "<img src=x onerror=alert(3)>"
QUOTE = '" onmouseover="alert(4)'
JINJA = "{{ 7*7 }}"
# Whatever a payload manages to run, it calls alert(): a dialog fails the test. Markup it manages to create is
# caught by looking for event-handler attributes and javascript: links in the live DOM.
LIVE = """() => {
  const handlers = [...document.querySelectorAll('*')].filter(el => [...el.attributes].some(a => /^on/i.test(a.name)));
  const links = [...document.querySelectorAll('a[href], [src]')].filter(el =>
    /^\\s*(javascript|data|vbscript):/i.test(el.getAttribute('href') || el.getAttribute('src') || ''));
  const scripts = [...document.querySelectorAll('script')].filter(s => /alert\\(/.test(s.textContent));
  document.querySelectorAll('*').forEach(el => {
    el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    el.dispatchEvent(new Event('error'));
  });
  return handlers.map(el => el.outerHTML.slice(0, 120)).concat(links.map(el => el.outerHTML.slice(0, 120)),
                                                               scripts.map(s => s.outerHTML.slice(0, 120)));
}"""


def _hostile(data: Path) -> None:
    def edit(kind: str, change: Callable[[dict[str, Any]], None]) -> None:
        path = sorted((data / kind).glob("*.yaml"))[0]
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(record)
        path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")

    def scenario(r: dict[str, Any]) -> None:
        r["title"] = f"📅 A deadline will {LINK}"
        r["summary"] = f"🎉 Summary {QUOTE} {ATTRS} {JINJA} 𝒳 עברית 中文"
        r["situation"] = f"Situation {SCRIPT} {LINK}"
        r["moves"][0] = f"Ask 🙂 {SCRIPT} {JINJA}"
        r["moves"][1] = f"Name {IMG} {ATTRS}"
        r["scripts"]["opening"] = f"Open {QUOTE} {LINK} 🗓️"
        r["escalate"] = f"Escalate [here](javascript:alert(5)) {IMG}\n{ATTRS}"
        r["not_for"][0] = f"Not for [this](javascript:alert(6)) {SCRIPT}"
        r["example"] = f"Example <b onmouseover=alert(7)>bold</b> {ATTRS} {LINK}"

    def checklist(r: dict[str, Any]) -> None:
        r["title"] = f"🧾 Checklist {IMG}"
        r["sections"][0]["items"][-1] = f"Ask {SCRIPT} {JINJA} 🙂"
        r["sections"][-1]["items"][0] = f"Write {LINK} {QUOTE}"

    def principle(r: dict[str, Any]) -> None:
        r["title"] = f"No surprises {SCRIPT} 😀"
        r["why"] = f"Why [it](javascript:alert(8)) {IMG}\n\n{ATTRS}"

    edit("scenarios", scenario)
    edit("checklists", checklist)
    edit("principles", principle)


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> tuple[str, Path]:
    """The engine tests' small playbook with hostile text in one record of each kind, built and served."""
    tmp = tmp_path_factory.mktemp("hostile")
    data = tmp / "data"
    shutil.copytree(PLAYBOOKS / "mini" / "data", data)
    _hostile(data)
    root = assemble(tmp / "site-root", PLAYBOOKS / "mini", data)
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return serve(root / "site"), root / "site"


def test_no_page_runs_contributor_script(new_context: Callable[..., Any], hostile_url: tuple[str, Path]) -> None:
    """Every page of the hostile site, with every element hovered: no dialog, no handler, no javascript: link."""
    url, site = hostile_url
    dialogs: list[str] = []
    context = new_context(base_url=url)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    pages = sorted(p.relative_to(site).parent.as_posix() for p in site.rglob("index.html"))
    assert len(pages) > 10
    for path in pages:
        goto(page, "" if path == "." else f"{path}/")
        live = page.evaluate(LIVE)
        assert not live, (path, live)
    assert not dialogs, dialogs
    # The emoji title shows literally, link syntax and all, on its own page and in the browser tab.
    goto(page, "scenarios/")
    page.get_by_role("link", name=f"📅 A deadline will {LINK}").first.click()
    assert page.title().startswith(f"📅 A deadline will {LINK}")
    assert page.locator("h1").first.inner_text() == f"📅 A deadline will {LINK}"
    context.close()


def test_search_and_agenda_keep_hostile_text_inert(new_context: Callable[..., Any],
                                                   hostile_url: tuple[str, Path]) -> None:
    """Search results for the hostile record and an agenda holding its lines run nothing either."""
    url, _ = hostile_url
    dialogs: list[str] = []
    context = new_context(base_url=url)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    goto(page, "")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").press_sequentially("deadline", delay=30)
    page.locator(".md-search-result__item").first.wait_for()
    assert not page.evaluate(LIVE)
    goto(page, "scenarios/")
    page.get_by_role("link", name=f"📅 A deadline will {LINK}").first.click()
    adds = page.locator("button.pb-agenda-add")
    adds.first.wait_for()
    for i in range(min(adds.count(), 3)):
        adds.nth(i).click()
    goto(page, "agenda/")
    page.locator(".pb-agenda-entry").first.wait_for()
    assert SCRIPT in page.locator(".pb-agenda").inner_text()
    assert not page.evaluate(LIVE)
    assert not dialogs, dialogs
    context.close()
