"""On a phone: every agenda and checklist control is big enough to tap, the add button's label is a tooltip that
says when the line is added, and the confirmation bar closes by itself without ever covering what was just used.

Every page and text comes from the playbook's own data, so the tests run on any team's playbook.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from test_agenda import AGENDA, add_own, build_agenda, goto, picks, toast, words

from playbook_site import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Our controls on each page: buttons, links styled as buttons, fields and the toast's actions.
CONTROLS = (".pb-agenda-add, .pb-checklist button, .pb-checklist a.md-button, .pb-agenda button, .pb-agenda select, "
            ".pb-agenda input[type=text], .pb-agenda a.md-button, .pb-agenda-toast button, .pb-agenda-toast a, "
            ".pb-agenda-past > summary")
# A tick box's target is the box and its label together.
SIZES = """selector => {
  const seen = [];
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 &&
                          getComputedStyle(el).visibility !== 'hidden'; };
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    seen.push({what: el.outerHTML.slice(0, 80), width: r.width, height: r.height});
  }
  for (const box of document.querySelectorAll('.pb-checklist input[type=checkbox], .pb-agenda-entry input[type=checkbox]')) {
    if (!visible(box)) continue;
    const label = document.querySelector(`label[for="${box.id}"]`);
    const a = box.getBoundingClientRect(), b = label.getBoundingClientRect();
    seen.push({what: 'box+label ' + box.id, width: Math.max(a.right, b.right) - Math.min(a.left, b.left),
               height: Math.max(a.bottom, b.bottom) - Math.min(a.top, b.top)});
  }
  return seen;
}"""


@pytest.fixture
def phone(browser: Any, base_url: str, requests_seen: list[tuple[str, str]]) -> Iterator[Any]:
    """A page on a 390 px touch screen (its requests recorded for the privacy check, like every context's)."""
    context = browser.new_context(base_url=base_url, viewport=PHONE, has_touch=True, is_mobile=True,
                                  reduced_motion="reduce")
    context.on("request", lambda request: requests_seen.append((request.url, "phone")))
    yield context.new_page()
    context.close()


def small_controls(page: Any) -> list[dict[str, Any]]:
    assert page.evaluate("matchMedia('(pointer: coarse)').matches"), "the phone context is not a touch screen"
    found = page.evaluate(SIZES, CONTROLS)
    assert found, "no control was measured"
    return [c for c in found if c["width"] < 43.9 or c["height"] < 43.9]


def test_every_control_is_at_least_44_px_on_a_touch_screen(phone: Any) -> None:
    build_agenda(phone)
    phone.locator(".pb-agenda-entry [data-act='done']").first.check()
    phone.locator("[data-pb-agenda-action='start']").click()  # the bar asks: its buttons are measured too
    small = small_controls(phone)
    assert not small, f"controls under 44 px on the agenda page: {small}"
    phone.locator(".pb-agenda-toast button", has_text=words()("agenda.file")).click()
    phone.locator(".pb-agenda-past > summary").first.click()
    assert not small_controls(phone)
    for pick in picks():
        goto(phone, pick.path)
        phone.locator(pick.selector).locator(".pb-agenda-add").click()  # and the bar with Undo and a link
        small = small_controls(phone)
        assert not small, f"controls under 44 px on {pick.path}: {small}"


def hidden_label(page: Any, button: Any) -> bool:
    box = button.locator(".pb-agenda-add-text").bounding_box()
    return box is None or (box["width"] <= 1 and box["height"] <= 1)


def test_the_add_label_is_a_tooltip_that_says_when_a_line_is_added(page: Any) -> None:
    one = picks()[0]
    goto(page, one.path)
    button = page.locator(one.selector).locator(".pb-agenda-add")
    assert hidden_label(page, button), "the add label shows without hover or focus"
    button.hover()
    expect(button.locator(".pb-agenda-add-text")).to_be_visible()
    assert not hidden_label(page, button)
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_have_accessible_name(words()("agenda.add_done"))
    page.mouse.move(0, 0)
    page.locator("body").focus()
    assert hidden_label(page, button)
    button.click()
    expect(button).to_have_accessible_name(words()("agenda.add"))


def is_open(page: Any) -> bool:
    return page.locator(".pb-agenda-toast.is-open").count() == 1


def test_the_bar_closes_by_itself_but_not_while_it_has_the_focus(page: Any) -> None:
    page.clock.install()
    one = picks()[0]
    goto(page, one.path)
    button = page.locator(one.selector).locator(".pb-agenda-add")
    button.click()
    expect(toast(page)).to_have_text(words()("agenda.added"))
    page.clock.run_for(4000)
    assert is_open(page), "the bar closed before the reader could read it"
    page.clock.run_for(3000)
    assert not is_open(page), "the bar stayed open"
    assert page.locator(".pb-agenda-toast [role=status]").count() == 1  # the live region stays for the next message

    button.click()
    undo = page.locator(".pb-agenda-toast button", has_text=words()("agenda.undo"))
    undo.focus()
    page.clock.run_for(20000)
    assert is_open(page), "the bar closed while the reader was on it"
    button.focus()
    page.clock.run_for(7000)
    assert not is_open(page)


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and
            a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def test_the_bar_never_covers_the_control_just_used(phone: Any) -> None:
    for pick in picks():
        goto(phone, pick.path)
        button = phone.locator(pick.selector).locator(".pb-agenda-add")
        button.scroll_into_view_if_needed()
        # Bring the button to the very bottom of the screen, where the bar would sit.
        phone.evaluate("""el => { const r = el.getBoundingClientRect();
                                  window.scrollBy(0, r.bottom - (window.innerHeight - 8)); }""",
                       button.element_handle())
        button.click()
        expect(toast(phone)).to_have_text(words()("agenda.added"))
        bar = phone.locator(".pb-agenda-toast").bounding_box()
        assert not overlap(bar, button.bounding_box()), f"the bar covers the button just pressed on {pick.path}"
    # On the agenda page too: the form's Add button at the bottom of the screen.
    goto(phone, AGENDA)
    add_own(phone, "A line")
    submit = phone.locator(".pb-agenda-new button[type=submit]")
    phone.locator("#pb-agenda-new-text").fill("Another line")
    phone.evaluate("""el => { const r = el.getBoundingClientRect(); window.scrollBy(0, r.bottom - (innerHeight - 8)); }""",
                   submit.element_handle())
    submit.click()
    expect(toast(phone)).to_be_visible()
    assert not overlap(phone.locator(".pb-agenda-toast").bounding_box(), submit.bounding_box())
