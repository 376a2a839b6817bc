"""The third edition of the shipped managing-up playbook: pins the accuracy, safety, link and source fixes of issue 25.

These tests read the real playbook in data/, so they fail when an edit brings back a legal word used loosely,
two plays giving different advice on the same act, a one-way link between sibling plays, or a founding article
cited under a title it does not carry.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from playbook.cli import main as cli
from playbook.records.model import Checklist, Playbook, Scenario

from playbook.records.pipeline import validated_playbook

REPO = Path(__file__).resolve().parents[2]
KINDS = ("principles", "steps", "pitfalls", "checklists", "scenarios")

# "Retaliation" is punishment for a protected act; every sentence that uses the word names such an act.
PROTECTED_ACT = re.compile(r"harass|discriminat|safety|whistleblow|complain|report|protected|leave|adjustment|"
                           r"legal|ethics", re.I)
LOOSE_RETALIATION = re.compile(r"retaliation for speaking up|speaking up; that is retaliation|retaliat\w* for (?:an |your )?ideas?",
                               re.I)
# One rule for keeping evidence: stated in full once, in the HR play; every other play that tells a reader to keep a
# record of mistreatment points to it in a short move that agrees with it (a personal device, no company data).
EVIDENCE_RULE = ("Keep your own dated notes on a personal device, never forward confidential company data, "
                 "and ask an adviser what you may keep")
EVIDENCE_HOME = "i-think-this-is-a-matter-for-hr"
EVIDENCE_PLAYS = ("my-manager-is-belittling-or-moody", "my-manager-asks-me-to-do-something-wrong",
                  "my-manager-plays-favorites")
EVIDENCE_CARDS = ("report-a-concern-to-hr", "raise-an-ethics-concern")
OLD_EVIDENCE_RULES = re.compile(r"save the messages|company's rules allow|where policy allows|messages your policy allows|"
                                r"keep copies of related", re.I)
# Sibling plays whose readers need each other: each lists the other in see_also.
MUTUAL = [
    ("i-have-a-new-manager", "a-former-peer-is-now-my-manager"),
    ("i-have-a-new-manager", "my-manager-and-i-communicate-differently"),
    ("i-want-to-be-promoted", "a-former-peer-is-now-my-manager"),
    ("i-made-a-mistake", "i-disagreed-with-my-manager-in-public"),
    ("my-review-feels-unfair", "i-do-not-know-what-good-looks-like"),
    ("my-review-feels-unfair", "my-manager-takes-credit"),
    ("i-have-been-put-on-a-performance-plan", "i-do-not-know-what-good-looks-like"),
    ("i-have-been-put-on-a-performance-plan", "i-need-leave-or-flexibility"),
    ("i-hear-rumors-of-layoffs-or-a-reorg", "my-manager-is-under-pressure"),
    ("i-hear-rumors-of-layoffs-or-a-reorg", "two-leaders-give-me-conflicting-priorities"),
    ("i-hear-rumors-of-layoffs-or-a-reorg", "my-manager-is-burning-out"),
    ("our-1-1s-keep-getting-cancelled", "i-work-remotely-from-my-manager"),
    ("our-1-1s-keep-getting-cancelled", "my-manager-is-burning-out"),
    ("i-am-leaving-or-changing-teams", "my-manager-is-belittling-or-moody"),
    ("my-manager-is-burning-out", "my-manager-is-belittling-or-moody"),
    ("my-manager-is-burning-out", "i-have-too-much-work"),
    ("my-manager-is-under-pressure", "my-manager-asks-me-to-do-something-wrong"),
    ("my-manager-asks-me-to-do-something-wrong", "i-disagreed-with-my-manager-in-public"),
    ("my-manager-micromanages", "i-do-not-know-who-decides"),
    ("my-manager-micromanages", "my-manager-is-under-pressure"),
    ("my-manager-micromanages", "i-have-a-new-manager"),
    ("my-manager-micromanages", "i-work-remotely-from-my-manager"),
    ("my-manager-micromanages", "i-have-been-put-on-a-performance-plan"),
]
# Titles once given to founding articles that were section headings, labels or a cut-short title.
NOT_THEIR_TITLES = {"The deeper meaning of upward management", "Introduction to Leading Up",
                    "Build trust, clarify goals, demonstrate ability, build relationships",
                    "Do a good job of upward management"}
TITLED_FOUNDING = {"10 Simple Steps To Master Upward Management", "Do a good job of upward management…"}
UNTITLED = "Untitled web article"
STOPWORDS = {"about", "after", "their", "there", "these", "those", "which", "while", "where", "would", "could",
             "should", "because", "before", "every", "people", "checklist", "card", "items", "first"}


@pytest.fixture(scope="module")
def pb() -> Playbook:
    return validated_playbook(REPO)


def strings(value: Any) -> Iterator[str]:
    """Every string in a record's data, its sources aside."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, dict):
        for k, v in value.items():
            if k != "sources":
                yield from strings(v)


def all_records(pb: Playbook):
    return [r for kind in KINDS for r in pb.kind(kind).values()]


def play_text(s: Scenario) -> str:
    parts = [s.title, s.summary, s.situation, s.goal, s.escalate, s.example, s.follow_up_what,
             *s.not_for, *s.moves, *s.signals, *s.scripts.values()]
    parts += [f"{v.when} {v.do}" for v in s.variations]
    return "\n".join(parts)


def card_items(c: Checklist) -> list[str]:
    return [i.text for s in c.sections for i in s.items]


def card_text(c: Checklist) -> str:
    return "\n".join([c.title, c.summary, c.when, *(s.pause for s in c.sections), *card_items(c)])


def test_retaliation_means_punishment_for_a_protected_act(pb: Playbook) -> None:
    loose, unnamed = [], []
    for r in all_records(pb):
        for text in strings(r.data):
            if LOOSE_RETALIATION.search(text):
                loose.append(f"{r.kind}/{r.id}: {text}")
            for sentence in re.split(r"(?<=[.!?])\s+", text):
                if re.search(r"retaliat", sentence, re.I) and not PROTECTED_ACT.search(sentence):
                    unnamed.append(f"{r.kind}/{r.id}: {sentence.strip()}")
    assert not loose, "retaliation tied to speaking up or ideas:\n" + "\n".join(loose)
    assert not unnamed, "retaliation without the protected act it answers:\n" + "\n".join(unnamed)
    ideas = play_text(pb.scenarios["my-manager-resists-my-ideas"])
    assert "discrimination, safety or whistleblowing complaint" in ideas


def test_performance_plan_card_and_play_give_one_signing_rule(pb: Playbook) -> None:
    play = pb.scenarios["i-have-been-put-on-a-performance-plan"]
    card = pb.checklists["respond-to-a-performance-plan"]
    assert play.checklist is card
    items = card_items(card)
    assert any('"received, not agreed"' in i for i in items), items
    assert not any("receipt only" in i.lower() for i in items)
    assert any('"received, not agreed"' in m for m in play.moves)
    assert "we signed" not in play_text(play)


def test_performance_plan_gets_advice_and_a_job_search_from_day_one(pb: Playbook) -> None:
    play = pb.scenarios["i-have-been-put-on-a-performance-plan"]
    moves = " ".join(play.moves).lower()
    assert "midpoint" not in play_text(play).lower()
    assert "union" in moves and "lawyer" in moves and "day one" in moves
    assert "job search from day one" in moves
    assert "severance" in moves and "benefits" in moves
    card = pb.checklists["respond-to-a-performance-plan"]
    first_week = [s for s in card.sections if s.pause == "This week"]
    assert first_week and card.sections.index(first_week[0]) == 1, [s.pause for s in card.sections]
    week = " ".join(i.text for i in first_week[0].items).lower()
    for words in ("union", "lawyer", "job search", "severance", "benefits"):
        assert words in week, words


def test_leaving_play_and_card_agree_on_a_signed_offer(pb: Playbook) -> None:
    play = pb.scenarios["i-am-leaving-or-changing-teams"]
    card = pb.checklists["tell-your-manager-you-are-leaving"]
    assert play.checklist is card
    assert "close to it" not in play.situation
    assert "signed offer" in play.situation and "conditions cleared" in play.situation
    assert "signed offer" in card.when and "conditions cleared" in card.when
    assert "signed offer" in play.moves[0]
    first = card.sections[0].items[0]
    assert "signed offer" in first.text and first.critical
    notice = [s.pause for s in card.sections for i in s.items if "written notice" in i.text]
    assert notice and notice[0] != "Before your last day"
    assert any("written notice the same day" in m for m in play.moves)


def test_one_evidence_rule_in_every_play_and_card_that_keeps_a_record(pb: Playbook) -> None:
    assert EVIDENCE_RULE in "\n".join(pb.scenarios[EVIDENCE_HOME].moves)
    pasted = [s.id for s in pb.scenarios.values() if s.id != EVIDENCE_HOME and EVIDENCE_RULE in play_text(s)]
    assert not pasted, f"the full evidence rule pasted outside {EVIDENCE_HOME}: {pasted}"
    for play_id in EVIDENCE_PLAYS:
        pointer = [m for m in pb.scenarios[play_id].moves if "personal device" in m]
        assert pointer, play_id
        assert "no confidential company data" in pointer[0], (play_id, pointer[0])
        assert "*I think this is a matter for HR*" in pointer[0], (play_id, pointer[0])
    for card_id in EVIDENCE_CARDS:
        text = card_text(pb.checklists[card_id]).lower()
        # A card may say it shorter ("no company data", "what to keep"), as long as it says the same rule.
        for words in ("personal device", r"no (confidential )?company data", r"adviser.*what (records you may |to )keep"):
            assert re.search(words, text), (card_id, words)
    old = [f"{r.kind}/{r.id}: {t}" for r in all_records(pb) for t in strings(r.data) if OLD_EVIDENCE_RULES.search(t)]
    assert not old, "a second evidence rule:\n" + "\n".join(old)


def test_layoff_play_keeps_the_reader_from_resigning_early_or_signing_on_the_spot(pb: Playbook) -> None:
    text = play_text(pb.scenarios["i-hear-rumors-of-layoffs-or-a-reorg"])
    assert "resigning early" in text
    assert "release" in text and "on the spot" in text
    assert "aged 40 or over" in text and "21 days" in text and "45 days" in text
    bank = card_items(pb.checklists["questions-about-a-reorg"])
    # Severance terms live in the play; the card does not press the manager to confirm layoffs.
    assert "severance" in text and not any("severance" in q for q in bank)


def test_raise_play_names_the_right_to_discuss_pay(pb: Playbook) -> None:
    play = pb.scenarios["i-want-to-ask-for-a-raise"]
    text = play_text(play)
    assert "section 7 of the National Labor Relations Act" in text
    assert "Equality Act 2010 (s.77)" in text
    assert "pay-transparency laws" in text
    assert "Ask trusted colleagues what they earn" in card_items(pb.checklists["ask-for-a-raise"])
    cited = {s.title for s in play.sources}
    assert {"National Labor Relations Act, section 7", "Equality Act 2010, section 77"} <= cited


def test_leave_play_puts_cover_on_the_manager_when_you_are_ill_now(pb: Playbook) -> None:
    play = pb.scenarios["i-need-leave-or-flexibility"]
    ill = [v for v in play.variations if "ill now" in v.when and "stress" in v.when]
    assert ill, [v.when for v in play.variations]
    assert "your manager's job, not yours" in ill[0].do
    assert "cover is then your manager's job" in pb.checklists["ask-for-leave-or-flexibility"].when


def test_belittling_play_gets_advice_before_resigning_and_cites_no_engagement_study(pb: Playbook) -> None:
    play = pb.scenarios["my-manager-is-belittling-or-moody"]
    assert "resigning in protest" in play.escalate and "constructive dismissal" in play.escalate
    assert "before you resign" in play.escalate
    assert not [s for s in play.sources if "Gallup" in s.author or "70%" in s.note]


def test_burning_out_play_records_the_duties_you_cover(pb: Playbook) -> None:
    moves = pb.scenarios["my-manager-is-burning-out"].moves
    assert any("duties you cover" in m and "your own review" in m for m in moves), moves


def test_former_peer_play_has_its_own_card(pb: Playbook) -> None:
    play = pb.scenarios["a-former-peer-is-now-my-manager"]
    assert play.checklist is not None and play.checklist.id == "first-1-1-with-a-former-peer"
    assert any("told them as a peer" in m for m in play.moves)
    card = play.checklist
    assert any("told them as a peer" in i for i in card_items(card))
    assert card_items(card) != card_items(pb.checklists["first-1-1-with-a-new-manager"])
    assert card.owner == "managing-up-editors" and card.reviewed == "2026-12-06"


def test_public_disagreement_card_has_a_repair_step(pb: Playbook) -> None:
    card = pb.scenarios["i-disagreed-with-my-manager-in-public"].checklist
    assert card is not None
    repair = [i for s in card.sections for i in s.items if "argued in public" in i.text]
    assert repair and repair[0].text.startswith("Own the setting")
    assert "challenged one in public" in card.when


def test_resisted_ideas_rule_and_example_count_the_same_tries(pb: Playbook) -> None:
    play = pb.scenarios["my-manager-resists-my-ideas"]
    assert any("second ask" in m and m.startswith("Drop") for m in play.moves)
    assert not re.search(r"\b(?:third|fourth|fifth) (?:try|time|ask)|\b(?:three|four|five) times", play.example), play.example
    assert "second time" in play.example


@pytest.mark.parametrize("a,b", MUTUAL)
def test_sibling_plays_link_both_ways(pb: Playbook, a: str, b: str) -> None:
    sa, sb = pb.scenarios[a], pb.scenarios[b]
    assert sb in sa.see_also, f"{a} does not list {b}"
    assert sa in sb.see_also, f"{b} does not list {a}"


def test_micromanaging_play_is_reachable_from_its_neighbours(pb: Playbook) -> None:
    play = pb.scenarios["my-manager-micromanages"]
    linking = {s.id for s in pb.scenarios.values() if play in s.see_also}
    assert len(linking) >= 4, linking


def test_founding_articles_are_cited_by_real_titles_or_as_untitled(pb: Playbook) -> None:
    sources = [(r, s) for r in all_records(pb) for s in r.sources]
    wrong = [f"{r.kind}/{r.id}: {s.title!r}" for r, s in sources if s.title in NOT_THEIR_TITLES]
    assert not wrong, "\n".join(wrong)
    founding = [(r, s) for r, s in sources if s.title in TITLED_FOUNDING or s.title.startswith(UNTITLED)]
    assert {s.title for _, s in founding} >= TITLED_FOUNDING
    assert len({s.title for _, s in founding if s.title.startswith(UNTITLED)}) == 3
    for r, s in founding:
        assert s.medium == "web article", (r.id, s.title)
        assert not s.author and not s.url, (r.id, s.title)
    page = (REPO / "content" / "sources.md").read_text(encoding="utf-8")
    assert not [t for t in NOT_THEIR_TITLES if f'"{t}"' in page]
    assert "untitled web articles" in page


def test_checklist_manifesto_notes_are_specific_to_each_card(pb: Playbook) -> None:
    notes = {c.id: s.note for c in pb.checklists.values() for s in c.sources if s.title == "The Checklist Manifesto"}
    assert len(notes) >= 10, notes
    assert len(set(notes.values())) == len(notes), "two cards share one Checklist Manifesto note"
    vague = []
    for cid, note in notes.items():
        card_words = {w for w in re.findall(r"[a-z]{5,}", card_text(pb.checklists[cid]).lower())} - STOPWORDS
        if not card_words & set(re.findall(r"[a-z]{5,}", note.lower())):
            vague.append(f"{cid}: {note}")
    assert not vague, "notes that name nothing on their card:\n" + "\n".join(vague)


def test_revised_checklists_pass_the_strict_checklist_rules(capsys) -> None:
    revised = ("respond-to-a-performance-plan", "tell-your-manager-you-are-leaving", "report-a-concern-to-hr",
               "raise-an-ethics-concern", "ask-for-a-raise", "ask-for-leave-or-flexibility",
               "disagree-with-a-decision", "questions-about-a-reorg", "first-1-1-with-a-former-peer")
    cli.main(["--root", str(REPO), "validate", "--strict", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    files = {f"data/checklists/{c}.yaml" for c in revised}
    found = [f"{d['file']}:{d['line']}: {d['message']} [{d['rule']}]" for d in report["diagnostics"]
             if d["file"] in files]
    assert not found, "\n".join(found)


# Issue 25, second reading: the fixes a cold reader asked for after scoring the third edition's accuracy 3.5/5.
PROTECTED_COMPLAINT = "discrimination, safety or whistleblowing complaint"
LOOSE_COMPLAINTS = re.compile(r"complained about something|(?<!whistleblowing )\ba complaint you made|"
                              r"punished for raising a concern|raising a legal, safety or ethics concern|"
                              r"punishment for speaking up", re.I)
RETALIATION_PLAYS = ("my-manager-plays-favorites", "my-manager-is-belittling-or-moody", "my-review-feels-unfair",
                     "i-hear-rumors-of-layoffs-or-a-reorg", "a-former-peer-is-now-my-manager",
                     "i-have-been-put-on-a-performance-plan", "i-disagreed-with-my-manager-in-public",
                     "my-manager-resists-my-ideas")
VERDICT_LINES = ("Here the conversation alone did not work", "Asking had not worked", "asking had not held",
                 "It did not come to that")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def test_plan_and_resignation_say_what_the_law_does_not_promise(pb: Playbook) -> None:
    plan = pb.scenarios["i-have-been-put-on-a-performance-plan"]
    assert "at-will" in plan.escalate and "no legal protection" in plan.escalate
    assert "let go before it ends" in plan.escalate
    assert "fair reason and a fair process" in plan.escalate and "EU" in plan.escalate
    assert "no legal protection" in pb.checklists["respond-to-a-performance-plan"].summary
    leaving = pb.scenarios["i-am-leaving-or-changing-teams"].escalate
    for words in ("the day you give notice", "unemployment benefits", "garden leave", "in lieu of notice",
                  "non-compete"):
        assert words in leaving, words
    assert any("non-compete" in i for i in card_items(pb.checklists["tell-your-manager-you-are-leaving"]))


def test_plays_that_touch_law_name_the_eu_rule(pb: Playbook) -> None:
    expected = {
        "i-hear-rumors-of-layoffs-or-a-reorg": ("Directive 98/59", "consult worker representatives"),
        "i-need-leave-or-flexibility": ("2019/1158", "paternity leave", "carers leave", "request flexible working"),
        "my-manager-asks-me-to-do-something-wrong": ("2019/1937", "internal reporting channel"),
        "i-think-this-is-a-matter-for-hr": ("2019/1937", "internal reporting channel"),
        "my-manager-is-leaving": ("Germany", "statutory right to a written reference", "section 109"),
        "i-want-to-ask-for-a-raise": ("2023/970", "bars contract terms that stop you telling others what you earn"),
    }
    for play_id, words in expected.items():
        text = play_text(pb.scenarios[play_id])
        missing = [w for w in words if w not in text]
        assert not missing, (play_id, missing)


def test_uk_tribunal_limit_is_not_pinned_to_a_rule_being_changed(pb: Playbook) -> None:
    # The limits are stated once, in the HR play (see test_third_edition_fourth_reading.py); the plan play points there.
    text = pb.scenarios["i-think-this-is-a-matter-for-hr"].escalate
    assert "three months less one day" not in text
    assert "three months less a day for most claims" in text
    assert "Employment Rights Act 2025 extends this to six months once that part is in force" in " ".join(text.split())
    assert "ask Acas which limit applies to you" in " ".join(text.split())


def test_retaliation_plays_name_the_protected_act(pb: Playbook) -> None:
    loose = [f"{s.id}: {t}" for s in pb.scenarios.values() for t in sentences(play_text(s)) if LOOSE_COMPLAINTS.search(t)]
    assert not loose, "a complaint or concern that is not a protected act:\n" + "\n".join(loose)
    missing = [p for p in RETALIATION_PLAYS if PROTECTED_COMPLAINT not in play_text(pb.scenarios[p])]
    assert not missing, missing


def test_one_rule_sends_shouting_and_threats_to_hr(pb: Playbook) -> None:
    hr = pb.scenarios["i-think-this-is-a-matter-for-hr"]
    rude = [f"{s.id}: {p}" for s in pb.scenarios.values() for p in s.in_their_words
            if re.search(r"yell|shout|scream|threat", p, re.I) and s is not hr]
    assert not rude, "shouting or threat phrases that do not lead to the HR play:\n" + "\n".join(rude)
    assert {"boss yells at me", "boss threatened me"} <= set(hr.in_their_words)
    # Put-downs without shouting, threats or protected-trait remarks belong to the belittling play (HR's not_for).
    assert "bully boss" in pb.scenarios["my-manager-is-belittling-or-moody"].in_their_words
    assert "repeated shouting or threats" in hr.moves[0]
    wrong = []
    for s in pb.scenarios.values():
        for t in sentences(play_text(s)):
            if re.search(r"shout", t, re.I) and s is not hr:
                if not re.search(r"repeated shouting|again and again", t) or "HR" not in t:
                    wrong.append(f"{s.id}: {t}")
            # The one sentence that says where bullying is itself unlawful names those laws; it is not a second rule.
            if re.search(r"\bbullying\b", t, re.I) and "moral harassment" not in t:
                wrong.append(f"{s.id}: {t}")
    assert not wrong, "shouting or bullying outside the one rule:\n" + "\n".join(wrong)
    feedback = " ".join(pb.scenarios["i-want-to-give-my-manager-feedback"].not_for)
    assert "*My manager is belittling or moody*" in feedback and "*I think this is a matter for HR*" in feedback


def test_plan_play_and_card_repeat_the_release_rule(pb: Playbook) -> None:
    plan = pb.scenarios["i-have-been-put-on-a-performance-plan"]
    leave = [v.do for v in plan.variations if v.when == "You decide to leave"]
    assert leave, [v.when for v in plan.variations]
    for words in ("never sign on the spot", "40 or over", "21 days", "45 in a group layoff", "7 to revoke",
                  "settlement agreement can end your statutory claims only if an independent adviser"):
        assert words in leave[0], words
    assert any("on the spot" in i and "release" in i for i in card_items(pb.checklists["respond-to-a-performance-plan"]))
    layoffs = pb.scenarios["i-hear-rumors-of-layoffs-or-a-reorg"].escalate
    assert "settlement agreement can end your statutory claims only if an independent adviser" in " ".join(layoffs.split())


def test_leave_play_has_one_rule_for_the_formal_request(pb: Playbook) -> None:
    play = pb.scenarios["i-need-leave-or-flexibility"]
    file_move = [m for m in play.moves if "formal request" in m]
    assert len(file_move) == 1 and "same week" in file_move[0] and "whatever" in file_move[0], file_move
    assert "still a no" not in play.scripts["pushback"] and "this week" in play.scripts["pushback"]
    assert "make the request formally" not in play.escalate
    card = pb.checklists["ask-for-leave-or-flexibility"]
    filing = [i for s in card.sections for i in s.items if "formal request" in i.text and i.critical]
    assert filing and "whatever the answer" in filing[0].text
    assert any("Great Britain" in n and "any reason" in n for n in play.not_for), play.not_for
    assert "conversation alone did not work" not in play.example


def test_plan_card_follows_the_plan_in_time(pb: Playbook) -> None:
    card = pb.checklists["respond-to-a-performance-plan"]
    assert [s.pause for s in card.sections] == ["In the meeting where you get it", "This week", "Before each check-in"]
    assert "Ask for a day before you sign anything" == card.sections[0].items[0].text
    by = pb.scenarios["i-have-been-put-on-a-performance-plan"].follow_up_by
    assert "24 hours" not in by and "adviser" in by


def test_one_rule_on_recording_and_on_signing_a_review(pb: Playbook) -> None:
    hr = pb.scenarios["i-think-this-is-a-matter-for-hr"]
    record = [v.do for v in hr.variations if "record" in v.when]
    assert record and record[0].startswith("Don't record secretly")
    assert "every party must consent" in record[0] and "data law" in record[0] and "adviser" in record[0]
    for play_id in ("my-manager-is-belittling-or-moody", "i-have-been-put-on-a-performance-plan"):
        moves = " ".join(pb.scenarios[play_id].moves)
        assert re.search(r"secret recording|recording it secretly|record meetings secretly", moves), play_id
    review = pb.scenarios["my-review-feels-unfair"]
    sign = [v.do for v in review.variations if "sign" in v.when]
    assert sign and '"received, not agreed"' in sign[0] and "received it" in sign[0]
    assert any('"received, not agreed"' in i for i in card_items(pb.checklists["challenge-a-review"]))


def test_examples_let_events_show_the_outcome(pb: Playbook) -> None:
    hr = pb.scenarios["i-think-this-is-a-matter-for-hr"].example
    assert "formal warning" not in hr and "investigation was" in hr and "closed" in hr
    found = [f"{s.id}: {v}" for s in pb.scenarios.values() for v in VERDICT_LINES if v in s.example]
    assert not found, found


def test_disability_terms_and_whistleblowing_test_are_right(pb: Playbook) -> None:
    plan = play_text(pb.scenarios["i-have-been-put-on-a-performance-plan"])
    assert "reasonable accommodation" in plan and "15 or more staff" in plan and "reasonable adjustments" in plan
    assert "Caring duties alone do not trigger" in plan
    assert "consider reasonable adjustments" not in plan
    wrong = play_text(pb.scenarios["my-manager-asks-me-to-do-something-wrong"])
    assert "honestly and on reasonable grounds" in wrong
    assert not [s.id for s in pb.scenarios.values() if "good faith" in play_text(s)]
