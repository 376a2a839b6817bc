"""The fourth cold reading of the shipped playbook (accuracy 4.0): one rule per legal question, stated once.

These tests read the real playbook in data/, so they fail when a play restates a claim deadline the HR play owns,
when a legal fact goes missing from the play a worried reader opens, or when two parts of a play give two timings
for the same act.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from playbook.records.model import Playbook, Scenario

from playbook.records.pipeline import validated_playbook

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
    return validated_playbook(REPO)


def advice(s: Scenario) -> str:
    """The parts of a play that give advice (sources aside)."""
    parts = [s.summary, s.escalate, s.follow_up_what, *s.not_for, *s.moves, *s.scripts.values()]
    parts += [f"{v.when} {v.do}" for v in s.variations]
    return " ".join(" ".join(parts).split())


def test_claim_time_limits_are_stated_once_in_the_hr_play(pb: Playbook) -> None:
    hr = " ".join(pb.scenarios[HR].escalate.split())
    for fact in ("within 180 days", "or 300 days in many states", "some retaliation complaints much sooner",
                 "Occupational Safety and Health Administration allow only 30 days", "Acas early conciliation",
                 "three months less a day for most claims", "Employment Rights Act 2025 extends this to six months",
                 "once that part is in force", "ask Acas which limit applies to you", "In the EU, each country sets its own, sometimes only weeks"):
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
    for fact in ("at-will", "January 1, 2027, you usually need two years' service to claim unfair dismissal",
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


# --- Cold readers' last defects (fourth reading, final pass) -------------------------------------------------------
# A UK rule that goes stale on a known date, a US union right described as the UK one, a promotion play that called
# favoritism unlawful, dates written the British way in a US-English playbook, and stock phrases pasted across plays.
QUALIFYING = ("for dismissals before January 1, 2027, you usually need two years' service to claim unfair dismissal",
              "No minimum service applies if the reason is discrimination, pregnancy, whistleblowing or asserting a "
              "legal right")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DAY_MONTH = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{MONTHS})\b")
CLOCK_24H = re.compile(r"\b(?:[01]?\d|2[0-3]):[0-5]\d\b(?! ?[ap]\.m\.)")
STOCK_PHRASES = ("(see *I think this is a matter for HR*)", "with no confidential company data",
                 "Remember that HR works for the company")


def _strings(value: object) -> list[str]:
    """Every text in a parsed record, whitespace folded."""
    if isinstance(value, str):
        return [" ".join(value.split())]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _strings(v)]
    if isinstance(value, list):
        return [t for v in value for t in _strings(v)]
    return []


def test_uk_qualifying_service_names_its_change_date_and_the_exceptions(pb: Playbook) -> None:
    for play_id in (PLAN, LET_GO):
        text = " ".join(pb.scenarios[play_id].escalate.split())
        for fact in (*QUALIFYING, "from that date, six months", "check with Acas"):
            assert fact in text, (play_id, fact)
    probation = [v.do for v in pb.scenarios[FIRST_WEEKS].variations if "probation leaves you in law" in v.when]
    assert len(probation) == 1
    for fact in ("if dismissed before January 1, 2027, you usually need two years' service to claim unfair dismissal",
                 "; from that date, six months (check with Acas)",
                 "none for discrimination, pregnancy, whistleblowing or asserting a legal right"):
        assert fact in probation[0], fact
    stale = [p for p in (PLAN, LET_GO, FIRST_WEEKS) if re.search(r"service today|due from January 2027",
                                                                  advice(pb.scenarios[p]))]
    assert not stale, stale


def test_uk_tribunal_limit_says_only_what_is_certain(pb: Playbook) -> None:
    text = " ".join(pb.scenarios[HR].escalate.split())
    assert ("three months less a day for most claims; the Employment Rights Act 2025 extends this to six months once "
            "that part is in force: ask Acas which limit applies to you") in text
    assert "so check the current limit" not in text


def test_plan_play_keeps_uk_companions_and_us_weingarten_rights_apart(pb: Playbook) -> None:
    play = pb.scenarios[PLAN]
    assert not [v.when for v in play.variations if "unionized" in v.when.lower()]
    both = [v.do for v in play.variations if "UK:" in v.do and "US union members:" in v.do]
    assert len(both) == 1
    uk, us = both[0].split("US union members:")
    assert "formal disciplinary hearing" in uk and "colleague or union official" in uk
    for fact in ("investigatory interview", "union representative", "only if you ask",
                 "*I am called to a disciplinary meeting*"):
        assert fact in us, fact
    escalate = " ".join(play.escalate.split())
    assert "that play lists them" not in escalate and f"{HR_LINK} lists them" in escalate


def test_promotion_play_sends_only_protected_reasons_to_hr(pb: Playbook) -> None:
    text = " ".join(pb.scenarios["i-want-to-be-promoted"].escalate.split())
    assert "reasons unrelated to your work" not in text
    for fact in ("because of a protected trait", "after a protected act",
                 "discrimination, safety or whistleblowing complaint", f"see {HR_LINK}",
                 "unfair but usually within the law", "*My manager plays favorites*"):
        assert fact in text, fact


def test_belittling_play_names_bullying_laws_and_the_common_skip_level_rule(pb: Playbook) -> None:
    text = " ".join(pb.scenarios["my-manager-is-belittling-or-moody"].escalate.split())
    for fact in ("bullying is unlawful whatever its reason", "France and Belgium ban moral harassment",
                 "Quebec psychological harassment", "Australia's Fair Work Commission can order bullying to stop",
                 "Protection from Harassment Act 1997",
                 "once you have named the behavior to your manager and told them you plan to raise it"):
        assert fact in text, fact
    assert len(text) <= 1500


def test_workload_play_names_overtime_and_working_time_limits(pb: Playbook) -> None:
    play = pb.scenarios["i-have-too-much-work"]
    assert len(play.variations) <= 6
    hours = [v.do for v in play.variations if v.when == "You are paid by the hour or work very long weeks"]
    assert len(hours) == 1
    for fact in ("Non-exempt US staff", "1.5 times their pay for hours over 40 a week", "Fair Labor Standards Act",
                 "average week at 48 hours", "11 hours' rest in 24", "withdraw with notice",
                 "*My manager wants me always on or back in the office*"):
        assert fact in hours[0], fact


def test_hr_play_gives_the_lawful_route_to_records_hr_withholds(pb: Playbook) -> None:
    moves = pb.scenarios[HR].moves
    route = [m for m in moves if "subject access request" in m]
    assert len(route) == 1
    for fact in ("will not give", "UK and EU", "usually answered within a month", "some US states",
                 "personnel file"):
        assert fact in route[0], fact
    notes = [i for i, m in enumerate(moves) if "personal device" in m]
    assert notes and moves.index(route[0]) == notes[0] + 1, "the route follows the move on keeping records"


def test_dates_and_times_are_written_the_us_way_everywhere() -> None:
    found = []
    for path in sorted((REPO / "data").rglob("*.yaml")):
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            found += [f"{path.relative_to(REPO)}: {m.group(0)}" for m in DAY_MONTH.finditer(text)]
            found += [f"{path.relative_to(REPO)}: {m.group(0)}" for m in CLOCK_24H.finditer(text)]
    assert not found, "write 'May 30' and '3 p.m.':\n" + "\n".join(found)


def test_blamed_play_hears_their_side_before_naming_your_share(pb: Playbook) -> None:
    play = pb.scenarios["my-manager-blames-me-for-their-mistake"]
    assert "your own share named first" not in play.summary
    assert play.summary.index("hear their side") < play.summary.index("name your own share early")
    ask = [i for i, m in enumerate(play.moves) if "how they see what happened" in m]
    share = [i for i, m in enumerate(play.moves) if m.startswith("Name your own share")]
    assert ask and share and ask[0] < share[0]


def test_stock_phrases_are_not_pasted_across_plays(pb: Playbook) -> None:
    texts = [t for s in pb.scenarios.values() for t in _strings(s.data)]
    counts = {p: sum(t.count(p) for t in texts) for p in STOCK_PHRASES}
    assert all(n <= 3 for n in counts.values()), counts
    openings = [s.scripts["opening"] for s in pb.scenarios.values() if "opening" in s.scripts]
    first_person = [o for o in openings if re.match(r"I\b", o)]
    assert len(first_person) <= 16, f"{len(first_person)} of {len(openings)} opening scripts start with 'I'"
