"""The second edition of the shipped managing-up playbook: pins the content promises of issue 13.

These tests read the real playbook in data/, not a fixture, so they fail when an edit breaks a safety fix,
a link between plays or a voice rule that the second edition put in place.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from playbook.records.model import Playbook, Scenario

from playbook.records.pipeline import validated_playbook

REPO = Path(__file__).resolve().parents[2]
HR_PLAY = "i-think-this-is-a-matter-for-hr"
NEVER_AVAILABLE = "my-manager-is-never-available"
CANCELLED_1_1S = "our-1-1s-keep-getting-cancelled"
UNGUARDED_BEFORE = ("fear-of-talking-to-the-boss", "flattery-over-results", "saying-yes-to-everything")
FIRST_PERSON = re.compile(r"\b(I|my|me|we|our)\b", re.I)
HR_WORD = re.compile(r"\bHR\b")


@pytest.fixture(scope="module")
def pb() -> Playbook:
    return validated_playbook(REPO)


def scenario_text(s: Scenario) -> str:
    """Every reader-facing line of a play, sources aside."""
    parts = [s.title, s.summary, s.situation, s.goal, s.escalate, s.example, s.follow_up_what,
             *s.not_for, *s.moves, *s.signals, *s.scripts.values()]
    parts += [f"{v.when} {v.do}" for v in s.variations]
    return "\n".join(parts)


def test_at_least_32_scenarios(pb: Playbook) -> None:
    assert len(pb.scenarios) >= 32, sorted(pb.scenarios)


def test_every_scenario_title_is_in_the_readers_own_words(pb: Playbook) -> None:
    wrong = [f"{s.id}: {s.title!r}" for s in pb.scenarios.values() if not FIRST_PERSON.search(s.title)]
    assert not wrong, "titles without I/my/me/we/our:\n" + "\n".join(wrong)


def test_no_source_is_cited_as_a_seed(pb: Playbook) -> None:
    records = [r for kind in ("principles", "steps", "pitfalls", "checklists", "scenarios")
               for r in pb.kind(kind).values()]
    bad = [f"{r.kind}/{r.id}: {src.title!r}" for r in records for src in r.sources
           if src.title.strip().lower().startswith("seed")]
    assert not bad, "\n".join(bad)


def test_no_page_or_record_speaks_of_seed_articles() -> None:
    files = [*REPO.glob("content/**/*.md"), *REPO.glob("data/*/*.yaml")]
    bad = [str(f.relative_to(REPO)) for f in files if re.search(r"\bseed articles?\b", f.read_text("utf-8"), re.I)]
    assert not bad, bad


def test_founding_articles_are_cited_by_title_as_web_articles(pb: Playbook) -> None:
    titles = {"10 Simple Steps To Master Upward Management", "Do a good job of upward management…"}
    seen = {src.title: src.medium for kind in ("principles", "steps", "pitfalls", "checklists", "scenarios")
            for r in pb.kind(kind).values() for src in r.sources if src.title in titles}
    assert seen == {t: "web article" for t in titles}


def test_every_play_that_sends_the_reader_to_hr_links_the_hr_play(pb: Playbook) -> None:
    assert HR_PLAY in pb.scenarios
    missing = [s.id for s in pb.scenarios.values()
               if s.id != HR_PLAY and HR_WORD.search(scenario_text(s))
               and HR_PLAY not in {other.id for other in s.see_also}]
    assert not missing, f"these plays mention HR but do not list {HR_PLAY} in see_also: {missing}"


def test_hr_play_does_not_warn_a_victim_against_going_around_their_manager(pb: Playbook) -> None:
    play = pb.scenarios[HR_PLAY]
    assert "going-around-your-manager" not in {p.id for p in play.pitfalls}


def test_hr_play_and_card_say_hr_works_for_the_company_and_name_outside_help(pb: Playbook) -> None:
    play = pb.scenarios[HR_PLAY]
    text = scenario_text(play).lower()
    assert "works for the company" in text
    for outside in ("union", "lawyer", "labor authority"):
        assert outside in text, outside
    assert "time limit" in text
    card = pb.checklists["report-a-concern-to-hr"]
    card_text = " ".join([card.summary, *(i.text for s in card.sections for i in s.items)]).lower()
    assert "works for the company" in card_text or "acts for the company" in card_text
    assert "union" in card_text and "time limit" in card_text


def test_never_available_keeps_costly_or_irreversible_calls_out_of_the_silence_rule(pb: Playbook) -> None:
    play = pb.scenarios[NEVER_AVAILABLE]
    text = scenario_text(play).lower()
    assert "costly" in text
    assert "hard to undo" in text or "irreversible" in text
    for kind in ("contract", "spending", "people"):
        assert kind in text, kind


def test_never_available_and_cancelled_1_1s_are_distinct_and_linked(pb: Playbook) -> None:
    a, b = pb.scenarios[NEVER_AVAILABLE], pb.scenarios[CANCELLED_1_1S]
    assert b in a.see_also and a in b.see_also
    assert a.scripts["closing"] != b.scripts["closing"]
    assert not set(a.moves) & set(b.moves)


def test_the_three_once_unguarded_pitfalls_are_now_guarded(pb: Playbook) -> None:
    guarded = {p.id for c in pb.checklists.values() for s in c.sections for i in s.items for p in i.guards}
    missing = [p for p in UNGUARDED_BEFORE if p not in guarded]
    assert not missing, missing
    for pitfall_id in UNGUARDED_BEFORE:
        assert pb.pitfalls[pitfall_id].guarded_by, pitfall_id


def test_skip_level_and_upward_feedback_have_their_own_cards(pb: Playbook) -> None:
    skip = pb.scenarios["i-have-a-skip-level-meeting"]
    feedback = pb.scenarios["i-want-to-give-my-manager-feedback"]
    assert skip.checklist is not None and skip.checklist.id == "prepare-a-skip-level-meeting"
    assert feedback.checklist is not None and feedback.checklist.id == "give-your-manager-feedback"


def test_closing_scripts_vary(pb: Playbook) -> None:
    closings = [s.scripts.get("closing", "") for s in pb.scenarios.values()]
    so = [c for c in closings if c.startswith("So ") or c.startswith("So,")]
    assert len(so) <= len(closings) // 4, f"{len(so)} of {len(closings)} closing scripts start with 'So'"
