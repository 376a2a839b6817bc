"""The fourth cold reading of the shipped playbook (accuracy 4.0): one rule per legal question, stated once.

These tests read the real playbook in data/, so they fail when a play restates a claim deadline the HR play owns,
when a legal fact goes missing from the play a worried reader opens, or when two parts of a play give two timings
for the same act.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from playbook.model import Playbook, Scenario, load_playbook

REPO = Path(__file__).resolve().parents[2]
HR = "i-think-this-is-a-matter-for-hr"
PLAN = "i-have-been-put-on-a-performance-plan"
LET_GO = "i-am-being-let-go"
LEAVING = "i-am-leaving-or-changing-teams"
LEAVE = "i-need-leave-or-flexibility"
FIRST_WEEKS = "my-first-weeks-in-a-new-job"
HR_LINK = "*I think this is a matter for HR*"
# Plays whose escalation talks about a claim's deadline; each points to the HR play instead of giving numbers.
POINTERS = (PLAN, LET_GO, LEAVING, LEAVE, "my-review-feels-unfair", "i-hear-rumors-of-layoffs-or-a-reorg",
            "my-manager-plays-favorites", "my-manager-is-belittling-or-moody")
DEADLINE_NUMBERS = re.compile(r"180 days|300 days|300 in many|months less a day|six months legislated|"
                              r"a matter of months", re.I)


@pytest.fixture(scope="module")
def pb() -> Playbook:
    return load_playbook(REPO)


def advice(s: Scenario) -> str:
    """The parts of a play that give advice (sources aside)."""
    parts = [s.summary, s.escalate, s.follow_up_what, *s.not_for, *s.moves, *s.scripts.values()]
    parts += [f"{v.when} {v.do}" for v in s.variations]
    return " ".join(" ".join(parts).split())


def test_claim_time_limits_are_stated_once_in_the_hr_play(pb: Playbook) -> None:
    hr = " ".join(pb.scenarios[HR].escalate.split())
    for fact in ("within 180 days", "or 300 days in many states", "some retaliation complaints much sooner",
                 "Occupational Safety and Health Administration allow only 30 days", "Acas early conciliation",
                 "three months less a day for most claims", "Employment Rights Act 2025 extends to six months",
                 "check the current limit with Acas", "In the EU, each country sets its own, sometimes only weeks"):
        assert fact in hr, fact
    restated = [s.id for s in pb.scenarios.values() if s.id != HR and DEADLINE_NUMBERS.search(advice(s))]
    assert not restated, f"plays that restate the claim deadlines instead of pointing to {HR}: {restated}"
    missing = [p for p in POINTERS if HR_LINK not in " ".join(pb.scenarios[p].escalate.split())]
    assert not missing, missing
    wrong = pb.scenarios["my-manager-asks-me-to-do-something-wrong"].escalate
    assert "30 days" in wrong, "the whistleblowing play and the HR play give the same shortest US deadline"


def test_hr_play_defines_retaliation_by_the_protected_act_and_says_hr_works_for_the_company_once(pb: Playbook) -> None:
    hr = pb.scenarios[HR]
    first = hr.moves[0]
    assert "punishment for a protected act" in first
    assert "discrimination, safety or whistleblowing complaint" in first
    assert "complaining about any of them" not in advice(hr)
    assert advice(hr).count("works for the company") == 1


def test_hr_play_names_the_uk_grievance_route_and_whistleblowing_law(pb: Playbook) -> None:
    text = advice(pb.scenarios[HR])
    for fact in ("formal grievance in writing", "Acas Code of Practice", "colleague or union representative",
                 "up to 25%", "Public Interest Disclosure Act 1998"):
        assert fact in text, fact


@pytest.mark.parametrize("play_id", (PLAN, LET_GO, FIRST_WEEKS))
def test_qualifying_service_is_hedged_where_dismissal_or_probation_comes_up(pb: Playbook, play_id: str) -> None:
    text = advice(pb.scenarios[play_id])
    for fact in ("at-will", "unfair-dismissal claims usually need two years' service", "Employment Rights Act 2025", "six months, due from January 2027",
                 "check with Acas", "caps probation", "often at six months"):
        assert fact in text, fact
    assert "often depending on how long you have worked" not in text


def test_let_go_play_warns_that_eu_dismissal_challenges_run_in_weeks(pb: Playbook) -> None:
    eu = [v.do for v in pb.scenarios[LET_GO].variations if v.when.startswith("You are in the EU")]
    assert len(eu) == 1
    for fact in ("Dismissed on your own", "only weeks", "three weeks in Germany", "works council", "this week",
                 "Directive 98/59"):
        assert fact in eu[0], fact


def test_let_go_card_is_worded_for_every_country(pb: Playbook) -> None:
    items = [i.text for s in pb.checklists["if-you-are-being-let-go"].sections for i in s.items]
    assert "Price keeping your health cover against buying your own" in items
    assert "Ask whether the employer pays toward advice" in items
    assert "Say you will reply once you have read the terms" in items
    assert "(COBRA)" in advice(pb.scenarios[LET_GO])


def test_leaving_play_names_eu_notice_rules(pb: Playbook) -> None:
    text = " ".join(pb.scenarios[LEAVING].escalate.split())
    assert "In the EU, notice periods come from national law and your contract" in text
    assert "require notice in writing" in text


def test_leave_play_gives_eligibility_and_one_timing(pb: Playbook) -> None:
    play = pb.scenarios[LEAVE]
    text = advice(play)
    assert "in confidence" not in play.moves[0] and "who will see what you share" in play.moves[0]
    for fact in ("Family and Medical Leave Act", "50 or more employees within 75 miles", "12 months and 1,250 hours",
                 "Pregnant Workers Fairness Act", "statutory maternity leave lasts up to 52 weeks"):
        assert fact in text, fact
    confirm = [m for m in play.moves if m.startswith("Confirm the agreement in writing")]
    assert confirm and play.follow_up_by.lower() in confirm[0].lower()
    assert "within a day" not in text


def test_hr_play_follow_up_agrees_with_its_card(pb: Playbook) -> None:
    hr = pb.scenarios[HR]
    items = [i.text for s in pb.checklists["report-a-concern-to-hr"].sections for i in s.items]
    assert "Email your notes to HR the same day" in items
    assert "same day" in hr.follow_up_by.lower() and "hour" not in hr.follow_up_by.lower()


def test_retaliation_pointer_is_not_one_repeated_aside(pb: Playbook) -> None:
    repeated = [s.id for s in pb.scenarios.values() if "a protected act, so it may be retaliation" in advice(s)
                or "a protected act, so the plan may be retaliation" in advice(s)]
    assert not repeated, repeated
