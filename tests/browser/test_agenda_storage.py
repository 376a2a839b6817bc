"""The reader's data is theirs alone and never lost: what the page cannot read is kept aside and recovered entry by
entry, Undo in two tabs makes no duplicate, every site on one origin keeps its own keys, and Restore asks, caps
and says when the browser had no room.

Every page and text comes from the playbook's own data, so the tests run on any team's playbook.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_agenda import AGENDA, GROUPS, add_own, count, entries, goto, picks, restore, run_axe, shown, toast, words

from playbook_site import CHECKLIST, PAGES, expect

pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHECKLIST is None, reason="this playbook has no checklist")]
# The agenda page is made only when the nav lists it.
needs_agenda = pytest.mark.skipif("agenda" not in PAGES, reason="this playbook's nav has no agenda page (agenda.md)")

FORMAT = {"format": "playbook-agenda", "version": 1}
CHECKLIST_PATH = f"checklists/{CHECKLIST}/"
BOXES = f".pb-checklist[data-checklist='{CHECKLIST}'] input[type=checkbox]"


def key(name: str, base: str = "/") -> str:
    """The storage key of `name` ("agenda", "checklist:<id>") for the site served at `base`."""
    return f"playbook:{base}:{name}"


def entry(n: int, **fields: Any) -> dict[str, Any]:
    return {"id": f"e{n}", "text": f"Line {n}", "group": "topics", "done": False, "added": "2026-11-02", **fields}


def seed(page: Any, values: dict[str, str | None]) -> None:
    """Put raw values into this origin's localStorage (opening the site's home page first), then leave."""
    goto(page, "")
    page.evaluate("""values => { for (const [k, v] of Object.entries(values)) {
        if (v === null) localStorage.removeItem(k); else localStorage.setItem(k, v); } }""", values)


def storage(page: Any) -> dict[str, str]:
    return page.evaluate("() => Object.fromEntries(Object.keys(localStorage).map(k => [k, localStorage.getItem(k)]))")


def kept_copies(page: Any, of: str) -> list[str]:
    return [v for k, v in sorted(storage(page).items()) if k.startswith(of + ":kept:")]


def errors_of(page: Any) -> list[str]:
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


# ---------------------------------------------------------------- a stored agenda the page cannot read

LONG = "Long " + "x" * 2600
UNREADABLE = {
    "damaged": ('{"format": "playbook-agenda", "version": 1, "current": [{"id": "e1", "text": "Li', {}),
    "newer-version": (json.dumps({**FORMAT, "version": 2, "current": [entry(1, priority="high"), entry(2)],
                                  "history": [{"date": "2026-11-01", "entries": [entry(3, done=True)]}],
                                  "settings": {"theme": "dark"}}),
                      {"topics": ["Line 1", "Line 2"], "past": ["Line 3"]}),
    "unknown-key": (json.dumps({**FORMAT, "current": [entry(1), entry(2, colour="red")],
                                "history": [{"date": "2026-11-01", "entries": [entry(3, done=True)]}]}),
                    {"topics": ["Line 1", "Line 2"], "past": ["Line 3"]}),
    "duplicate-id": (json.dumps({**FORMAT, "current": [entry(1), entry(1), entry(2), {**entry(2), "text": "Other"}],
                                 "history": [{"date": "2026-11-01", "entries": [entry(3, done=True)]}]}),
                     {"topics": ["Line 1", "Line 2", "Other"], "past": ["Line 3"]}),
    "over-long-text": (json.dumps({**FORMAT, "current": [entry(1), {**entry(2), "text": LONG}],
                                   "history": [{"date": "2026-11-01", "entries": [entry(3, done=True)]}]}),
                       {"topics": ["Line 1", LONG[:2000]], "past": ["Line 3"]}),
}


@needs_agenda
@pytest.mark.parametrize("case", list(UNREADABLE))
def test_an_unreadable_agenda_is_kept_aside_told_and_recovered_entry_by_entry(
        new_context: Callable[..., Any], case: str, axe_script: Path) -> None:
    raw, wanted = UNREADABLE[case]
    page = new_context().new_page()
    errors = errors_of(page)
    seed(page, {key("agenda"): raw})
    goto(page, AGENDA)
    notice = page.locator("[data-pb-agenda-kept]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(words()("agenda.kept"))
    assert entries(page, "topics") == wanted.get("topics", [])
    past = page.locator(".pb-agenda-past li").evaluate_all("items => items.map(li => li.firstChild.textContent)")
    assert past == wanted.get("past", [])
    assert kept_copies(page, key("agenda")) == [raw]
    if case == "duplicate-id":
        violations = run_axe(page, axe_script)
        assert not violations, f"axe on the agenda page with a kept copy: {violations}"

    # The next change saves what was recovered; the original stays aside, unchanged, across visits.
    add_own(page, "A new line")
    page.reload()
    assert entries(page, "topics") == [*wanted.get("topics", []), "A new line"]
    saved = json.loads(storage(page)[key("agenda")])
    ids = [e["id"] for e in saved["current"] + [e for past in saved["history"] for e in past["entries"]]]
    assert len(ids) == len(set(ids)), f"repeated ids saved: {ids}"
    assert kept_copies(page, key("agenda")) == [raw]
    expect(notice).to_be_visible()

    # The kept copy downloads as it was, and can then be deleted.
    with page.expect_download() as info:
        notice.get_by_role("button", name=words()("agenda.kept_download")).click()
    assert Path(info.value.path()).read_text(encoding="utf-8") == raw
    notice.get_by_role("button", name=words()("agenda.kept_delete")).click()
    expect(toast(page)).to_have_text(words()("agenda.kept_deleted"))
    expect(notice).to_be_hidden()
    assert kept_copies(page, key("agenda")) == []
    page.reload()
    expect(notice).to_be_hidden()
    assert entries(page, "topics") == [*wanted.get("topics", []), "A new line"]
    assert not errors, errors


NO_ROOM_ASIDE = """(() => {
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    if (String(k).includes(":kept:")) { throw new DOMException("The quota has been exceeded.", "QuotaExceededError"); }
    return setItem.call(this, k, v);
  };
})();"""


@needs_agenda
def test_what_cannot_be_kept_aside_is_never_written_over(new_context: Callable[..., Any]) -> None:
    context = new_context()
    context.add_init_script(NO_ROOM_ASIDE)
    page = context.new_page()
    raw = UNREADABLE["duplicate-id"][0]
    seed(page, {key("agenda"): raw})
    goto(page, AGENDA)
    warning = page.locator("[data-pb-agenda-warning]")
    expect(warning).to_have_text(words()("agenda.storage_full"))
    assert entries(page, "topics") == UNREADABLE["duplicate-id"][1]["topics"]
    add_own(page, "Only for this visit")
    assert storage(page)[key("agenda")] == raw, "the stored agenda was written over without a copy kept aside"
    one = picks()[0]
    goto(page, one.path)
    page.locator(one.selector).locator(".pb-agenda-add").click()
    assert storage(page)[key("agenda")] == raw
    context.close()


@needs_agenda
def test_a_play_page_keeps_an_unreadable_agenda_aside_before_adding_to_it(page: Any) -> None:
    raw = json.dumps({**FORMAT, "current": [entry(1), entry(1)], "history": [], "future": True})
    seed(page, {key("agenda"): raw})
    one = picks()[0]
    goto(page, one.path)
    page.locator(one.selector).locator(".pb-agenda-add").click()
    expect(toast(page)).to_have_text(words()("agenda.added") + " " + words()("agenda.kept_short"))
    assert kept_copies(page, key("agenda")) == [raw]
    saved = json.loads(storage(page)[key("agenda")])
    assert [e["text"] for e in saved["current"]] == ["Line 1", one.text]


# ---------------------------------------------------------------- Undo in two tabs


@needs_agenda
def test_undo_in_two_tabs_cannot_make_a_duplicate(new_context: Callable[..., Any]) -> None:
    context = new_context()
    play, agenda = context.new_page(), context.new_page()
    one = picks()[0]
    goto(play, one.path)
    button = play.locator(one.selector).locator(".pb-agenda-add")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")

    # The agenda tab adds its own line: its Undo would put back the agenda as it was then (with the play's line).
    goto(agenda, AGENDA)
    add_own(agenda, "Own line")
    undo_here = agenda.locator(".pb-agenda-toast button", has_text=words()("agenda.undo"))
    expect(undo_here).to_be_visible()
    # The play tab takes its line off, and offers its own Undo.
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(agenda.locator(".pb-agenda-text", has_text=one.text)).to_have_count(0)
    # The agenda tab's Undo is out of date now: it is taken back rather than putting the line back a second way.
    expect(undo_here).to_be_hidden()
    play.locator(".pb-agenda-toast button", has_text=words()("agenda.undo")).click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(agenda.locator(".pb-agenda-text", has_text=one.text)).to_have_count(1)

    # An Undo pressed before the other tab's news arrives refuses instead of writing over it: the change is
    # written and Undo pressed in one go, so no storage event can come between.
    add_own(agenda, "Second own line")
    agenda.evaluate("""key => { const s = JSON.parse(localStorage.getItem(key));
        s.current.push({id: "other-tab", text: "From another tab", group: "topics", done: false, added: "2026-11-02"});
        localStorage.setItem(key, JSON.stringify(s));
        [...document.querySelectorAll('.pb-agenda-toast button')][0].click(); }""", key("agenda"))
    expect(toast(agenda)).to_have_text(words()("agenda.undo_gone"))
    saved = json.loads(storage(agenda)[key("agenda")])
    ids = [e["id"] for e in saved["current"]]
    assert len(ids) == len(set(ids)), ids
    assert [e["text"] for e in saved["current"]] == [one.text, "Own line", "Second own line", "From another tab"]
    agenda.reload()
    assert entries(agenda, "topics")[-3:] == ["Own line", "Second own line", "From another tab"]
    context.close()


# ---------------------------------------------------------------- two sites on one origin


@pytest.fixture(scope="module")
def two_sites(site_dir: Path, serve: Callable[[Path], str], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The built site served twice on one origin, at /alpha/ and /beta/ (as GitHub Pages serves an owner's
    project sites), with a plain page of someone else's at the origin's root."""
    root = tmp_path_factory.mktemp("origin")
    (root / "alpha").symlink_to(site_dir, target_is_directory=True)
    (root / "beta").symlink_to(site_dir, target_is_directory=True)
    (root / "index.html").write_text("<!doctype html><title>Another site</title><p>Another site</p>\n",
                                     encoding="utf-8")
    return serve(root)


@needs_agenda
def test_two_sites_on_one_origin_keep_their_own_agenda_and_ticks(new_context: Callable[..., Any],
                                                                 two_sites: str) -> None:
    context = new_context(base_url=two_sites)
    page = context.new_page()
    errors = errors_of(page)
    goto(page, "alpha/" + AGENDA)
    add_own(page, "Private to alpha")
    goto(page, "alpha/" + CHECKLIST_PATH)
    page.locator(BOXES).first.check()
    ours = {k for k in storage(page) if k.startswith("playbook:")}
    assert ours == {key("agenda", "/alpha/"), key(f"checklist:{CHECKLIST}", "/alpha/")}

    goto(page, "beta/" + AGENDA)
    assert shown(page) == {g: [] for g in GROUPS}, "the second site shows the first one's agenda"
    goto(page, "beta/" + CHECKLIST_PATH)
    assert page.locator(BOXES).first.is_checked() is False, "the second site shows the first one's ticks"

    # Another site's page on the origin writes the old shared keys: neither playbook is touched by it.
    goto(page, "")
    page.evaluate("""id => { localStorage.setItem("playbook:checklist:" + id, "null");
                             localStorage.setItem("playbook:agenda", "null"); }""", CHECKLIST)
    goto(page, "alpha/" + CHECKLIST_PATH)
    assert page.locator(BOXES).first.is_checked()
    goto(page, "alpha/" + AGENDA)
    assert entries(page, "topics") == ["Private to alpha"]
    assert storage(page)[f"playbook:checklist:{CHECKLIST}"] == "null", "another site's value was removed"
    assert not errors, errors
    context.close()


@needs_agenda
def test_the_old_shared_keys_move_once_to_the_first_site_that_has_none(new_context: Callable[..., Any],
                                                                        two_sites: str) -> None:
    context = new_context(base_url=two_sites)
    page = context.new_page()
    agenda = json.dumps({**FORMAT, "current": [entry(1)], "history": []})
    goto(page, "alpha/" + CHECKLIST_PATH)
    first_key = page.locator(BOXES).first.get_attribute("data-key")
    ticks = json.dumps({first_key: True})
    seed(page, {"playbook:agenda": agenda, f"playbook:checklist:{CHECKLIST}": ticks,
                key("agenda", "/alpha/"): None, key(f"checklist:{CHECKLIST}", "/alpha/"): None})
    goto(page, "alpha/" + AGENDA)
    assert entries(page, "topics") == ["Line 1"]
    goto(page, "alpha/" + CHECKLIST_PATH)
    assert page.locator(BOXES).first.is_checked()
    now = storage(page)
    assert "playbook:agenda" not in now and f"playbook:checklist:{CHECKLIST}" not in now, "the old keys stayed"
    assert now[key("agenda", "/alpha/")] == agenda and now[key(f"checklist:{CHECKLIST}", "/alpha/")] == ticks
    goto(page, "beta/" + AGENDA)
    assert shown(page) == {g: [] for g in GROUPS}

    # A site that has its own agenda already does not take an old key's value, nor delete it.
    other = json.dumps({**FORMAT, "current": [entry(7)], "history": []})
    seed(page, {"playbook:agenda": other})
    goto(page, "alpha/" + AGENDA)
    assert entries(page, "topics") == ["Line 1"]
    assert storage(page)["playbook:agenda"] == other
    context.close()


# ---------------------------------------------------------------- ticks the page cannot read

CORRUPT_TICKS = ["null", "[true]", '"yes"', "{not json", '{"x": "yes"}', "7"]


@pytest.mark.parametrize("raw", CORRUPT_TICKS)
def test_corrupt_ticks_never_break_a_checklist(new_context: Callable[..., Any], raw: str) -> None:
    page = new_context().new_page()
    errors = errors_of(page)
    store = key(f"checklist:{CHECKLIST}")
    seed(page, {store: raw})
    goto(page, CHECKLIST_PATH)
    status = page.locator(f".pb-checklist[data-checklist='{CHECKLIST}'] .pb-status")
    expect(status).to_have_text(words()("checklist.ticks_kept"))
    boxes = page.locator(BOXES)
    assert boxes.evaluate_all("boxes => boxes.some(b => b.checked)") is False
    assert kept_copies(page, store) == [raw]
    boxes.nth(1).check()
    page.reload()
    assert boxes.nth(1).is_checked()
    page.locator(f".pb-checklist[data-checklist='{CHECKLIST}'] [data-pb-action=reset]").click()
    expect(status).to_have_text(words()("checklist.cleared"))
    assert store not in storage(page)
    assert kept_copies(page, store) == [raw]
    assert not errors, errors


def test_readable_ticks_are_recovered_one_by_one(page: Any) -> None:
    goto(page, CHECKLIST_PATH)
    keys = page.locator(BOXES).evaluate_all("boxes => boxes.map(b => b.dataset.key)")
    raw = json.dumps({keys[0]: True, keys[1]: "maybe", keys[2]: True})
    seed(page, {key(f"checklist:{CHECKLIST}"): raw})
    goto(page, CHECKLIST_PATH)
    assert page.locator(BOXES).evaluate_all("boxes => boxes.map(b => b.checked)")[:3] == [True, False, True]
    assert kept_copies(page, key(f"checklist:{CHECKLIST}")) == [raw]


# ---------------------------------------------------------------- restore: asks, caps, and says when it failed


def agenda_file(tmp_path: Path, name: str, current: list[dict[str, Any]],
                history: list[dict[str, Any]] | None = None) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({**FORMAT, "current": current, "history": history or []}), encoding="utf-8")
    return path


@needs_agenda
def test_restore_asks_before_replacing_an_agenda(page: Any, tmp_path: Path) -> None:
    goto(page, AGENDA)
    add_own(page, "Kept unless I say so")
    before = storage(page)[key("agenda")]
    file = agenda_file(tmp_path, "other.json", [entry(1), entry(2)])
    restore(page, file)
    expect(toast(page)).to_have_text(words()("agenda.restore_confirm"))
    replace = page.locator(".pb-agenda-toast button", has_text=words()("agenda.replace"))
    expect(replace).to_be_focused()
    assert storage(page)[key("agenda")] == before and entries(page, "topics") == ["Kept unless I say so"]
    page.locator(".pb-agenda-toast button", has_text=words()("agenda.cancel")).click()
    assert storage(page)[key("agenda")] == before and entries(page, "topics") == ["Kept unless I say so"]

    restore(page, file)
    page.locator(".pb-agenda-toast button", has_text=words()("agenda.replace")).click()
    expect(toast(page)).to_have_text(words()("agenda.restored", entries=count("agenda.count_entries", 2),
                                             past=count("agenda.count_past", 0)))
    assert entries(page, "topics") == ["Line 1", "Line 2"]
    page.locator(".pb-agenda-toast button", has_text=words()("agenda.undo")).click()
    assert entries(page, "topics") == ["Kept unless I say so"]
    assert storage(page)[key("agenda")] == before


@needs_agenda
def test_restore_refuses_a_file_over_the_caps(page: Any, tmp_path: Path) -> None:
    goto(page, AGENDA)
    add_own(page, "Still here")
    before = storage(page)[key("agenda")]
    too_big = words()("agenda.restore_too_big", entries=5000, megabytes=2)
    many = agenda_file(tmp_path, "many.json", [entry(n) for n in range(10)],
                       [{"date": "2026-11-01", "entries": [entry(n, done=True) for n in range(10, 5010)]}])
    assert many.stat().st_size < 2_000_000
    huge = agenda_file(tmp_path, "huge.json", [{**entry(n), "text": "y" * 1900} for n in range(1100)])
    assert huge.stat().st_size > 2_000_000
    for file in (many, huge):
        restore(page, file)
        expect(toast(page)).to_have_text(too_big)
        assert storage(page)[key("agenda")] == before and entries(page, "topics") == ["Still here"]


QUOTA = """(() => {
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    if (String(v).length > 4000) { throw new DOMException("The quota has been exceeded.", "QuotaExceededError"); }
    return setItem.call(this, k, v);
  };
})();"""


@needs_agenda
def test_restore_over_the_quota_is_a_failure_and_changes_nothing(new_context: Callable[..., Any],
                                                                  tmp_path: Path) -> None:
    context = new_context()
    context.add_init_script(QUOTA)
    page = context.new_page()
    goto(page, AGENDA)
    add_own(page, "Saved before")
    before = storage(page)[key("agenda")]
    file = agenda_file(tmp_path, "big.json", [{**entry(n), "text": f"Line {n} " + "z" * 100} for n in range(60)])
    restore(page, file)
    page.locator(".pb-agenda-toast button", has_text=words()("agenda.replace")).click()
    expect(toast(page)).to_have_text(words()("agenda.restore_failed"))
    assert storage(page)[key("agenda")] == before
    assert entries(page, "topics") == ["Saved before"]
    expect(page.locator("[data-pb-agenda-warning]")).to_be_hidden()
    # Small changes still save: the browser had no room for the file, not for the agenda.
    add_own(page, "Saved after")
    page.reload()
    assert entries(page, "topics") == ["Saved before", "Saved after"]
    context.close()
