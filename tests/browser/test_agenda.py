"""The agenda builder: add lines from plays, shape the agenda, carry it from meeting to meeting, keep it private.

Every page and text is picked from the playbook's own data at test time, so the suite runs on any team's playbook.
"""
from __future__ import annotations

import functools
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown as python_markdown
import pytest
import yaml
from pypdf import PdfReader

from playbook.records.pipeline import validated_playbook
from playbook.core.settings import load_settings

from playbook_site import PAGES

# The agenda page is made only when the nav lists it: a playbook without one has nothing here to test.
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif("agenda" not in PAGES, reason="this playbook's nav has no agenda page (agenda.md)")]

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "test-results" / "agenda"
KEY = "playbook:/:agenda"  # the key of this site, served at the origin's root
GROUPS = ("topics", "questions", "decisions", "carried")
AGENDA = "agenda/"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# The text a contributor could write to break out of the page, a template or an attribute.
HOSTILE = 'Ask {{ 7*7 }} <script>window.__pwned = 1</script> " onmouseover="window.__pwned = 2" <b>bold</b>'
HOSTILE_TITLE_TAIL = ' <img src=x onerror="window.__pwned = 3"> {{ 7*7 }}'
BLOCK_STORAGE = """Object.defineProperty(window, "localStorage", {configurable: true, get() {
    throw new DOMException("The operation is insecure.", "SecurityError"); }});"""


def flat(text: str) -> str:
    """Whitespace runs made one space."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Pick:
    """One line a reader adds: the page it is on, the list it is in, its text and the group it lands in."""

    path: str
    selector: str
    text: str
    group: str
    source_title: str
    source_path: str


@functools.lru_cache(maxsize=1)
def words() -> Any:
    """The playbook's strings (its mkdocs.yml overrides applied), for the messages the page must show."""
    return load_settings(REPO).strings


@functools.lru_cache(maxsize=1)
def as_shown(text: str) -> str:
    """A move as the page shows it: one line of inline Markdown (`*Title*` is emphasis), as text."""
    import html as html_module
    import re

    from playbook.site.markup import inline_span

    return html_module.unescape(re.sub(r"<[^>]+>", "", str(inline_span(text))))


def picks() -> tuple[Pick, Pick, Pick]:
    """A move of one scenario, an item of one checklist and a "What to say" line of another scenario."""
    pb = validated_playbook(REPO)
    scenarios = [s for _, s in sorted(pb.scenarios.items()) if s.moves and s.scripts]
    checklists = [c for _, c in sorted(pb.checklists.items()) if c.items]
    if len(scenarios) < 2 or not checklists:
        pytest.skip("the agenda tests add lines from two scenarios with moves and one checklist; this playbook has "
                    f"{len(scenarios)} such scenario(s) and {len(checklists)} checklist(s)")
    first, second, checklist = scenarios[0], scenarios[1], checklists[0]
    key, line = next(((k, v) for k, v in second.scripts.items() if k == "asking"), next(iter(second.scripts.items())))
    position = list(second.scripts).index(key) + 1
    return (
        Pick(first.url, "ol.pb-moves > li >> nth=0", flat(as_shown(first.moves[0])), "topics", first.title,
             f"{first.url}#moves"),
        Pick(checklist.url, ".pb-checklist li[data-pb-agenda-text] >> nth=0", flat(checklist.items[0].text),
             "questions" if checklist.type == "QUESTION-BANK" else "topics", checklist.title,
             f"{checklist.url}#checklist"),
        Pick(second.url, f"dl.pb-scripts > dd >> nth={position - 1}", flat(line),
             "questions" if key == "asking" else "topics", second.title, f"{second.url}#scripts"),
    )


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def goto(page: Any, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: HTTP {response.status if response else 'no response'}"


def stored(page: Any) -> dict[str, Any] | None:
    raw = page.evaluate("key => window.localStorage.getItem(key)", KEY)
    return None if raw is None else json.loads(raw)


def toast(page: Any) -> Any:
    return page.locator(".pb-agenda-toast-message")


def add(page: Any, pick: Pick, *, keyboard: bool = False) -> None:
    """Open the pick's page and press its add button (by click, or by focus and Enter)."""
    goto(page, pick.path)
    button = page.locator(pick.selector).locator(".pb-agenda-add")
    expect(button).to_have_attribute("aria-pressed", "false")
    if keyboard:
        button.focus()
        page.keyboard.press("Enter")
    else:
        button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(toast(page)).to_have_text(words()("agenda.added"))


def add_own(page: Any, text: str, group: str = "topics") -> None:
    """Type a topic into the agenda page's own form and submit it with Enter."""
    field = page.locator("#pb-agenda-new-text")
    page.locator("#pb-agenda-new-group").select_option(group)
    field.fill(text)
    field.press("Enter")
    expect(page.locator(f"[data-pb-agenda-group='{group}'] .pb-agenda-text").last).to_have_text(text)


def entries(page: Any, group: str) -> list[str]:
    return page.locator(f"[data-pb-agenda-group='{group}'] .pb-agenda-entry .pb-agenda-text").all_inner_texts()


def shown(page: Any) -> dict[str, list[str]]:
    return {g: entries(page, g) for g in GROUPS}


def build_agenda(page: Any) -> dict[str, list[str]]:
    """Lines from three pages and two own topics; returns what the agenda page shows, by group."""
    one, two, three = picks()
    add(page, one, keyboard=True)
    add(page, two)
    add(page, three)
    goto(page, AGENDA)
    add_own(page, "Agree on the launch date", "decisions")
    add_own(page, "Send the budget draft", "topics")
    return shown(page)


def count(name: str, n: int) -> str:
    """A count in words, "{n} ..." in the string's `_one` form for one (the strings table's plurals)."""
    return words()(f"{name}_one" if n == 1 else name, n=n)


def file_ticked(page: Any) -> None:
    """Press "file ticked items" and confirm it."""
    page.locator("[data-pb-agenda-action='start']").click()
    confirm = page.locator(".pb-agenda-toast button", has_text=words()("agenda.file"))
    expect(confirm).to_be_focused()
    confirm.click()


def today(page: Any) -> str:
    return page.evaluate("""() => { const d = new Date(), two = n => String(n).padStart(2, "0");
                                   return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`; }""")


def run_axe(page: Any, axe_script: Path) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(axe_script))
    return page.evaluate(
        """async tags => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact,
                                                targets: v.nodes.map(n => n.target.join(' '))}));
        }""", AXE_TAGS)


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), flat(" ".join(p.extract_text() for p in reader.pages))


class _Items(HTMLParser):
    """The text of each <li> of rendered Markdown, and every tag name seen."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[str] = []
        self.tags: set[str] = set()
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.add(tag)
        if tag == "li":
            self.items.append("")
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.items[-1] += data


def rendered_items(markdown_text: str) -> _Items:
    parser = _Items()
    parser.feed(python_markdown.markdown(markdown_text))
    return parser


def copied(page: Any) -> str:
    page.locator("[data-pb-agenda-action='copy']").click()
    expect(toast(page)).to_have_text(words()("agenda.copied"))
    return page.evaluate("navigator.clipboard.readText()")


@pytest.fixture
def clip_page(new_context: Callable[..., Any]) -> Iterator[Any]:
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    yield context.new_page()
    context.close()


# ---------------------------------------------------------------- adding, reloading, shaping


def test_add_from_three_pages_then_reload_reorder_edit_and_remove_by_keyboard(page: Any, base_url: str) -> None:
    one, two, three = picks()
    # One click adds; the confirmation offers Undo, which takes the line off again.
    goto(page, one.path)
    button = page.locator(one.selector).locator(".pb-agenda-add")
    expect(page.locator(".pb-agenda-add").first).to_have_accessible_name(words()("agenda.add"))
    button.click()
    expect(toast(page)).to_have_text(words()("agenda.added"))
    page.locator(".pb-agenda-toast button", has_text=words()("agenda.undo")).click()
    expect(button).to_have_attribute("aria-pressed", "false")
    assert stored(page)["current"] == []
    expect(page.locator(".pb-agenda-toast a")).to_have_attribute("href", base_url + AGENDA)

    got = build_agenda(page)
    expect(page.locator("[data-pb-agenda-nojs]")).to_be_hidden()
    assert got[one.group][0] == one.text and two.text in got[two.group] and three.text in got[three.group]
    assert got["decisions"] == ["Agree on the launch date"]
    # Each line links back to the play it came from.
    for pick in (one, two, three):
        entry = page.locator(".pb-agenda-entry", has=page.get_by_text(pick.text, exact=True))
        link = entry.locator(".pb-agenda-from a")
        expect(link).to_have_text(pick.source_title)
        expect(link).to_have_attribute("href", base_url + pick.source_path)

    page.reload()
    assert shown(page) == got, "the agenda changed across a reload"

    # Reorder by keyboard: focus stays on the moved entry's button, so pressing again keeps moving it.
    topics = entries(page, "topics")
    assert len(topics) >= 2
    first = page.locator("[data-pb-agenda-group='topics'] .pb-agenda-entry").first.get_attribute("data-id")
    page.locator(f".pb-agenda-entry[data-id='{first}'] [data-act='down']").focus()
    page.keyboard.press("Enter")
    assert entries(page, "topics") == [topics[1], topics[0], *topics[2:]]
    assert page.evaluate("document.activeElement.closest('.pb-agenda-entry').dataset.id") == first
    expect(toast(page)).to_contain_text("2")
    page.keyboard.press("Shift+Tab")  # from "down" back to "up" on the same entry
    page.keyboard.press("Enter")
    assert entries(page, "topics") == topics
    page.reload()
    assert entries(page, "topics") == topics

    # Edit with the keyboard, mark done with Space, remove and undo.
    entry = page.locator(f".pb-agenda-entry[data-id='{first}']")
    entry.locator("[data-act='edit']").focus()
    page.keyboard.press("Enter")
    field = entry.get_by_role("textbox", name=words()("agenda.edit_label"))
    expect(field).to_be_focused()
    field.fill("Edited line")
    page.keyboard.press("Enter")
    expect(entry.locator(".pb-agenda-text")).to_have_text("Edited line")
    entry.locator("[data-act='done']").focus()
    page.keyboard.press("Space")
    assert [e["done"] for e in stored(page)["current"] if e["id"] == first] == [True]
    entry.locator("[data-act='remove']").click()
    expect(entry).to_have_count(0)
    page.locator(".pb-agenda-toast button", has_text=words()("agenda.undo")).click()
    expect(page.locator(f".pb-agenda-entry[data-id='{first}'] .pb-agenda-text")).to_have_text("Edited line")
    # A play's button shows whether its line is on the agenda: the edited move is not any more, the script is.
    goto(page, one.path)
    expect(page.locator(one.selector).locator(".pb-agenda-add")).to_have_attribute("aria-pressed", "false")
    goto(page, two.path)
    expect(page.locator(two.selector).locator(".pb-agenda-add")).to_have_attribute("aria-pressed", "true")


def test_filing_asks_first_then_files_the_ticked_and_keeps_the_rest_in_place(page: Any) -> None:
    got = build_agenda(page)
    total = sum(len(v) for v in got.values())
    done_text = got["decisions"][0]
    # Nothing ticked: nothing to file, and nothing changes.
    page.locator("[data-pb-agenda-action='start']").click()
    expect(toast(page)).to_have_text(words()("agenda.nothing_to_start"))
    assert shown(page) == got
    start = page.locator("[data-pb-agenda-action='start']")
    expect(start).to_have_text(words()("agenda.start_next"))
    assert "md-button--primary" not in (start.get_attribute("class") or ""), "filing is a secondary action"

    page.locator(".pb-agenda-entry", has=page.get_by_text(done_text, exact=True)).locator("[data-act='done']").check()
    date = today(page)
    start.click()
    # It asks first, with the counts in words (one entry, not "1 entries"); Cancel changes nothing.
    expect(toast(page)).to_have_text(words()("agenda.start_confirm", done=count("agenda.count_entries", 1),
                                             open=count("agenda.count_entries", total - 1)))
    assert "1 entries" not in toast(page).inner_text()
    page.locator(".pb-agenda-toast button", has_text=words()("agenda.cancel")).click()
    expect(start).to_be_focused()  # the focus goes back to where the question came from
    assert shown(page) == got and page.locator(".pb-agenda-past").count() == 0
    file_ticked(page)
    expect(toast(page)).to_have_text(words()("agenda.started", done=count("agenda.count_entries", 1), date=date,
                                             open=count("agenda.count_entries", total - 1)))
    page.reload()
    # The rest keeps its groups and order, and lines added today are not marked as carried over.
    assert shown(page) == {g: [t for t in got[g] if t != done_text] for g in GROUPS}
    expect(page.locator(".pb-agenda-carried")).to_have_count(0)
    past = page.locator(".pb-agenda-past")
    expect(past).to_have_count(1)
    expect(past.locator("summary")).to_have_text(words()("agenda.history_item", date=date, n=1))
    past.locator("summary").click()
    expect(past.locator("li")).to_contain_text([done_text])

    # A line from an earlier meeting that stays open says since when.
    page.evaluate("""key => { const s = JSON.parse(localStorage.getItem(key));
                              s.current[0].added = "2026-01-05"; s.current[1].done = true;
                              localStorage.setItem(key, JSON.stringify(s)); }""", KEY)
    page.reload()
    first = page.locator(".pb-agenda-entry").first
    file_ticked(page)
    expect(first.locator(".pb-agenda-carried")).to_have_text(words()("agenda.carried_from", date="2026-01-05"))
    expect(page.locator(".pb-agenda-carried")).to_have_count(1)
    expect(page.locator(".pb-agenda-past")).to_have_count(2)
    assert sum(len(v) for v in shown(page).values()) == total - 2


# ---------------------------------------------------------------- your data stays yours


def download(page: Any) -> bytes:
    with page.expect_download() as info:
        page.locator("[data-pb-agenda-action='download']").click()
    path = info.value.path()
    assert info.value.suggested_filename == words()("agenda.file_name", date=today(page))
    return Path(path).read_bytes()


def restore(page: Any, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.locator("[data-pb-agenda-action='restore']").click()
    chooser.value.set_files(str(path))


def test_download_then_restore_into_a_fresh_browser_is_identical(new_context: Callable[..., Any],
                                                                  tmp_path: Path) -> None:
    first = new_context().new_page()
    build_agenda(first)
    first.locator(".pb-agenda-entry [data-act='done']").first.check()
    file_ticked(first)
    add_own(first, "Ask about the offsite", "questions")
    before = shown(first)
    history = first.locator(".pb-agenda-history").inner_text()
    data = download(first)
    assert json.loads(data) == stored(first)
    file = tmp_path / "agendas.json"
    file.write_bytes(data)

    fresh = new_context().new_page()
    goto(fresh, AGENDA)
    assert stored(fresh) is None and shown(fresh) == {g: [] for g in GROUPS}
    restore(fresh, file)
    restored = json.loads(data)
    expect(toast(fresh)).to_have_text(words()("agenda.restored",
                                              entries=count("agenda.count_entries", len(restored["current"])),
                                              past=count("agenda.count_past", len(restored["history"]))))
    assert stored(fresh) == json.loads(data)
    fresh.reload()
    assert shown(fresh) == before
    assert fresh.locator(".pb-agenda-history").inner_text() == history
    assert download(fresh) == data, "a second download differs from the file restored"


def test_a_broken_or_foreign_file_is_refused_and_changes_nothing(page: Any, tmp_path: Path) -> None:
    build_agenda(page)
    before, shown_before = stored(page), shown(page)
    good = dict(before)
    cases = {
        "truncated.json": (json.dumps(before)[:-20], "agenda.restore_unreadable"),
        "not-json.json": ("\x00\x01 not json", "agenda.restore_unreadable"),
        "foreign.json": (json.dumps({"schema_version": 1, "records": []}), "agenda.restore_foreign"),
        "newer.json": (json.dumps({**good, "version": 99}), "agenda.restore_foreign"),
        "script-link.json": (json.dumps({**good, "current": [{**good["current"][0], "source": {
            "title": "x", "path": "javascript:alert(1)//"}}]}), "agenda.restore_foreign"),
        "bad-group.json": (json.dumps({**good, "current": [{**good["current"][0], "group": "secrets"}]}),
                           "agenda.restore_foreign"),
    }
    for name, (text, message) in cases.items():
        file = tmp_path / name
        file.write_text(text, encoding="utf-8")
        restore(page, file)
        expect(toast(page)).to_have_text(words()(message))
        assert stored(page) == before, f"{name} changed the stored agenda"
        assert shown(page) == shown_before, f"{name} changed the page"
        page.locator(".pb-agenda-toast button", has_text=words()("agenda.dismiss")).click()


def test_blocked_storage_is_said_out_loud(new_context: Callable[..., Any]) -> None:
    context = new_context()
    context.add_init_script(BLOCK_STORAGE)
    page = context.new_page()
    one = picks()[0]
    goto(page, one.path)
    button = page.locator(one.selector).locator(".pb-agenda-add")
    for _ in range(2):  # a second press does not pretend to remove what was never kept
        button.click()
        expect(toast(page)).to_have_text(words()("agenda.not_saved"))
        expect(button).to_have_attribute("aria-pressed", "false")
    goto(page, AGENDA)
    warning = page.locator("[data-pb-agenda-warning]")
    expect(warning).to_be_visible()
    expect(warning).to_have_text(words()("agenda.storage_off"))
    add_own(page, "Kept for this page only")  # it still works for this visit, and the warning stays
    expect(warning).to_be_visible()
    context.close()


# ---------------------------------------------------------------- out of the browser


def test_copied_markdown_holds_every_entry(clip_page: Any, base_url: str) -> None:
    got = build_agenda(clip_page)
    text = copied(clip_page)
    assert text.startswith("# " + words()("agenda.title"))
    parsed = rendered_items(text)
    items = [flat(i) for i in parsed.items]
    for group in GROUPS:
        if got[group]:
            assert f"## {words()('agenda.group.' + group)}" in text
        for entry in got[group]:
            assert any(i.startswith(f"[ ] {entry}") for i in items), f"{entry!r} is not in the copy:\n{text}"
    for pick in picks():
        assert f"]({base_url}{pick.source_path})" in text


def test_print_is_one_page_on_a4_and_letter_with_boxes_and_lines(new_context: Callable[..., Any]) -> None:
    page = new_context().new_page()
    got = build_agenda(page)
    for n in range(4):  # a realistic agenda: about ten lines, some of them long
        add_own(page, f"Topic {n}: " + "a longer line that wraps when printed, to be sure " * (n % 2 + 1))
    page.locator(".pb-agenda-entry [data-act='done']").first.check()
    everything = [t for g in GROUPS for t in entries(page, g)]
    assert len(everything) >= 9, got
    page.emulate_media(media="print")
    expect(page.locator(".pb-agenda-entry input[type=checkbox]").first).to_be_visible()
    assert page.locator(".pb-agenda-line:visible").count() >= 3
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".pb-agenda-new", ".pb-agenda-tools",
                   ".pb-agenda-entry-tools", ".pb-agenda-history"):
        expect(page.locator(hidden).first).to_be_hidden()
    RESULTS.mkdir(parents=True, exist_ok=True)
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper)
        (RESULTS / f"agenda-{paper.lower()}.pdf").write_bytes(pdf)
        pages, text = pdf_text(pdf)
        assert pages == 1, f"the agenda prints on {pages} {paper} pages"
        missing = [t for t in everything if flat(t) not in text]
        assert not missing, f"missing from the {paper} printout: {missing}"
        assert words()("agenda.notes") in text
        chrome = [s for s in (words()("agenda.copy"), words()("agenda.start_next"), words()("agenda.history"),
                              "Search") if s in text]
        assert not chrome, f"controls or site chrome printed on {paper}: {chrome}"
    # A long agenda still fits: the lines for notes give way to entries.
    page.emulate_media(media="screen")
    for n in range(12):
        add_own(page, f"Short topic {n}")
    page.emulate_media(media="print")
    for paper in ("A4", "Letter"):
        pages, text = pdf_text(page.pdf(format=paper))
        assert pages == 1 and "Short topic 11" in text, f"a long agenda prints on {pages} {paper} pages"


# ---------------------------------------------------------------- accessibility, no JavaScript, privacy


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_agenda_page_has_no_axe_violations(new_context: Callable[..., Any], axe_script: Path, palette: str) -> None:
    page = new_context(color_scheme=palette).new_page()
    build_agenda(page)
    page.locator(".pb-agenda-entry [data-act='done']").first.check()
    file_ticked(page)
    page.locator(".pb-agenda-past summary").click()
    page.locator(".pb-agenda-entry [data-act='edit']").last.click()  # one entry open for editing
    expect(page.get_by_role("textbox", name=words()("agenda.edit_label"))).to_be_focused()
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert scheme == {"light": "default", "dark": "slate"}[palette]
    violations = run_axe(page, axe_script)
    assert not violations, f"axe on the agenda page ({palette}): {violations}"
    # The add buttons on a play, one pressed and its tooltip showing, are clean too.
    one = picks()[0]
    goto(page, one.path)
    page.locator(one.selector).locator(".pb-agenda-add").focus()
    mine = [v for v in run_axe(page, axe_script) if any("pb-agenda" in t for t in v["targets"])]
    assert not mine, f"axe on the add buttons ({palette}): {mine}"


def test_without_javascript_the_page_says_what_it_needs(new_context: Callable[..., Any]) -> None:
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    goto(page, AGENDA)
    expect(page.get_by_text(words()("agenda.needs_js"), exact=False)).to_be_visible()
    expect(page.locator("[data-pb-agenda-app]")).to_be_hidden()
    assert page.locator(".md-content button:visible").count() == 0
    # It offers a blank agenda instead: the groups with lines to write on, printed on one page.
    sheet = page.locator(".pb-agenda-blank-sheet")
    expect(sheet).to_be_visible()
    expect(sheet.locator("h2")).to_have_text([words()(f"agenda.group.{g}") for g in GROUPS] + [words()("agenda.notes")])
    page.emulate_media(media="print")
    pages, text = pdf_text(page.pdf(format="A4"))
    assert pages == 1, f"the blank agenda prints on {pages} pages"
    assert all(words()(f"agenda.group.{g}") in text for g in GROUPS) and words()("agenda.needs_js") not in text
    page.emulate_media(media="screen")
    goto(page, picks()[0].path)
    assert page.locator(".pb-agenda-add").count() == 0
    # A checklist without JavaScript still ticks on screen and downloads, but shows no button that would do nothing.
    goto(page, picks()[1].path)
    assert page.locator(".pb-checklist button:visible").count() == 0
    assert page.locator(".pb-checklist a[download]:visible").count() >= 2
    context.close()


# ---------------------------------------------------------------- hostile record text


def _serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """A small playbook (the valid examples) whose first scenario's first move and title carry hostile text."""
    root = tmp_path_factory.mktemp("hostile")
    for name in ("macros",):  # mkdocs.yml names this playbook's own macros module
        shutil.copytree(REPO / name, root / name)
    shutil.copytree(REPO / "tests" / "examples" / "valid", root / "data")
    (root / "content").mkdir()
    (root / "content" / "index.md").write_text("# Hostile text\n", encoding="utf-8")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["nav"] = [{"Home": "index.md"}, {"Agenda": "agenda.md"}]
    config.pop("watch", None)
    # The examples follow the generator's default rules; this playbook's words stay, and the changed title may
    # no longer match its file name.
    extra = config["extra"] = config.get("extra") or {}
    kept = {key: value for key, value in (extra.get("playbook") or {}).items() if key in ("strings", "sheet_fields")}
    extra["playbook"] = {**kept, "lint": {"scenario.id-matches-title": "warning"}}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    scenario_file = sorted((root / "data" / "scenarios").glob("*.yaml"))[0]
    record = yaml.safe_load(scenario_file.read_text(encoding="utf-8"))
    record["moves"][0] = HOSTILE
    record["title"] += HOSTILE_TITLE_TAIL
    scenario_file.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", "site"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    server, url = _serve(root / "site")
    yield url, f"scenarios/{scenario_file.stem}/", record["title"]
    server.shutdown()
    server.server_close()


def test_hostile_record_text_stays_literal_on_the_page_in_the_copy_and_in_print(
        browser: Any, hostile_site: tuple[str, str, str], requests_seen: list[tuple[str, str]]) -> None:
    url, path, title = hostile_site
    context = browser.new_context(base_url=url, permissions=["clipboard-read", "clipboard-write"],
                                  viewport={"width": 1280, "height": 900})
    context.on("request", lambda request: requests_seen.append((request.url, "hostile site")))
    page = context.new_page()
    goto(page, path)
    page.locator("ol.pb-moves > li").first.locator(".pb-agenda-add").click()
    goto(page, AGENDA)
    entry = page.locator(".pb-agenda-entry").first
    expect(entry.locator(".pb-agenda-text")).to_have_text(HOSTILE)
    expect(entry.locator(".pb-agenda-from a")).to_have_text(title)
    entry.locator(".pb-agenda-text").hover()
    entry.locator(".pb-agenda-from a").hover()
    assert page.evaluate("window.__pwned") is None, "hostile text ran as script"
    assert page.locator(".pb-agenda script, .pb-agenda img, .pb-agenda b, .pb-agenda [onmouseover]").count() == 0
    assert stored(page)["current"][0]["text"] == HOSTILE

    copy = copied(page)
    assert "Ask 49" not in copy and "} 49" not in copy
    parsed = rendered_items(copy)
    assert not parsed.tags & {"script", "img", "b"}, parsed.tags
    assert flat(parsed.items[0]).startswith(f"[ ] {HOSTILE}"), parsed.items[0]
    assert title in flat(parsed.items[0])

    page.emulate_media(media="print")
    pages, text = pdf_text(page.pdf(format="A4"))
    assert pages == 1 and flat(HOSTILE) in text, text
    assert page.evaluate("window.__pwned") is None
    context.close()


# ---------------------------------------------------------------- screenshots and privacy (run last)


def test_screenshots_desktop_phone_and_print(new_context: Callable[..., Any]) -> None:
    page = new_context().new_page()
    build_agenda(page)
    page.locator(".pb-agenda-entry [data-act='done']").first.check()
    file_ticked(page)
    add_own(page, "Confirm who owns the hiring plan", "decisions")
    page.locator(".pb-agenda-toast button", has_text=words()("agenda.dismiss")).click()
    page.locator(".pb-agenda-past summary").first.click()
    RESULTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(RESULTS / "agenda-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(RESULTS / "agenda-390.png"), full_page=True)
    goto(page, picks()[1].path)
    page.locator(picks()[1].selector).scroll_into_view_if_needed()
    page.screenshot(path=str(RESULTS / "checklist-390.png"))
    goto(page, picks()[0].path)
    page.locator(picks()[0].selector).locator(".pb-agenda-add").focus()
    page.locator(picks()[0].selector).scroll_into_view_if_needed()
    page.screenshot(path=str(RESULTS / "play-390.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(picks()[0].selector).locator(".pb-agenda-add").click()
    page.locator(picks()[0].selector).locator(".pb-agenda-add").focus()
    page.screenshot(path=str(RESULTS / "play-desktop.png"))
    goto(page, AGENDA)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=str(RESULTS / "agenda-print.png"), full_page=True)
    for name in ("agenda-desktop", "agenda-390", "agenda-print", "play-390", "play-desktop", "checklist-390"):
        assert (RESULTS / f"{name}.png").stat().st_size > 0


def test_no_request_left_127_0_0_1(requests_seen: list[tuple[str, str]]) -> None:
    assert requests_seen, "no request was recorded"
    foreign = [(u, o) for u, o in requests_seen
               if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"]
    assert not foreign, f"requests left 127.0.0.1: {foreign}"
