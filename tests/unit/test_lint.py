"""Content lint rules, one record in: the rule id, the place and the field out, with the defaults and with the
checklist-science profile a playbook opts into."""
from __future__ import annotations

import pytest

from playbook.core.diagnostics import ERROR, WARNING
from playbook.records.lint import SCIENCE, lint_record, rule_settings
from playbook.records.load import parse_text

pytestmark = pytest.mark.own_fixtures

PATH = "data/checklists/prepare-for-a-review.yaml"
CHECKLIST = """title: Prepare for a review
summary: Get ready for the weekly review with the team.
type: READ-DO
when: The evening before the review.
sections:
  - pause: Before the meeting
    items:
      - Write the three topics to discuss
      - Bring two options for each problem
      - text: Say any risk to a date now
        critical: true
      - Write the three topics to discuss
      - The list of what is on their mind
"""


def _lint(text: str, lint: dict | None = None) -> dict[str, list[tuple[int, int, str, str]]]:
    """Each rule reported, with (line, column, field, severity) of each of its diagnostics."""
    record = parse_text(text, PATH, "checklists", "prepare-for-a-review").record
    assert record is not None
    found: dict[str, list[tuple[int, int, str, str]]] = {}
    for d in lint_record(record, rule_settings(lint)):
        assert d.file == PATH
        found.setdefault(d.rule, []).append((d.line, d.column, d.field, d.severity))
    return found


def test_a_critical_item_after_a_plain_one_is_located_at_the_critical_item() -> None:
    assert _lint(CHECKLIST)["checklist.critical-first"] == [(10, 9, "sections[0].items[2]", ERROR)]


def test_a_repeated_item_is_located_at_the_repeat() -> None:
    assert _lint(CHECKLIST)["checklist.duplicate-item"] == [(12, 9, "sections[0].items[3]", ERROR)]


def test_a_word_in_capitals_warns_unless_it_is_spelled_out_or_allowed() -> None:
    shouting = CHECKLIST.replace("title: Prepare for a review", "title: Prepare for a QBRS review")
    assert _lint(shouting)["text.shouting"] == [(1, 8, "title", WARNING)]
    spelled_out = shouting.replace("summary: Get ready", "summary: For the quarterly business reviews (QBRS), get ready")
    assert "text.shouting" not in _lint(spelled_out)
    assert "text.shouting" not in _lint(shouting, {"text.shouting": {"allow": ["qbrs"]}})


def test_read_do_items_start_with_a_verb_only_under_the_checklist_science_profile() -> None:
    assert "checklist.read-do-verb" not in _lint(CHECKLIST), "a profile's rule is off for a playbook that has none"
    science = _lint(CHECKLIST, {"profile": SCIENCE})
    assert science["checklist.read-do-verb"] == [(13, 9, "sections[0].items[4]", ERROR)]
    assert "checklist.read-do-verb" not in _lint(CHECKLIST, {"profile": SCIENCE, "checklist.read-do-verb": "off"})
