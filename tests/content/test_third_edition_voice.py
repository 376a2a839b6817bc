"""The third edition's voice (issue 25, item 3 and 4): readers' own search words on every play, and no template
heard from play to play.

These tests read the real playbook in data/ and content/, so they fail when an edit brings back a phrase shared by
two plays, a favorite first word, a stock follow-up time or the other spelling variety.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from playbook.lint import first_word
from playbook.model import Playbook, load_playbook
from playbook.spelling import misspellings

REPO = Path(__file__).resolve().parents[2]
MOST = 5  # the most plays that may share a closing's first word, a follow-up time or a pushback opener
# "her manager, Paul," and "Rosalind's manager, Ben,": the frame every example once used to name the manager.
MANAGER_FRAME = re.compile(r"\bmanager, [A-Z][\w'’-]*,")
ACKNOWLEDGEMENTS = ("I know", "I understand", "I hear")
ANY_ACKNOWLEDGEMENT = re.compile(r"^(I know|I understand|I hear|I get|I see|Understood|Fair|That's fair|You're right)\b")


@pytest.fixture(scope="module")
def pb() -> Playbook:
    return load_playbook(REPO)


def _phrase(text: str) -> str:
    return " ".join(text.casefold().split())


def test_every_play_lists_three_to_eight_phrases_in_the_readers_words(pb: Playbook) -> None:
    short = {sid: len(s.in_their_words) for sid, s in pb.scenarios.items() if not 3 <= len(s.in_their_words) <= 8}
    assert not short, f"plays without 3 to 8 in_their_words: {short}"
    echo = [sid for sid, s in pb.scenarios.items() if _phrase(s.title) in {_phrase(p) for p in s.in_their_words}]
    assert not echo, f"plays whose in_their_words repeat the title: {echo}"


def test_no_phrase_leads_to_two_plays(pb: Playbook) -> None:
    owners: dict[str, list[str]] = {}
    for sid, s in sorted(pb.scenarios.items()):
        for p in s.in_their_words:
            owners.setdefault(_phrase(p), []).append(sid)
    shared = {p: ids for p, ids in owners.items() if len(ids) > 1}
    assert not shared, f"phrases in more than one play: {shared}"


def test_search_words_include_how_people_talk(pb: Playbook) -> None:
    """Readers type "boss", "quit", "PIP": the words of the titles are not the only way in."""
    words = Counter(w for s in pb.scenarios.values() for p in s.in_their_words for w in re.findall(r"[a-z']+", p.lower()))
    assert words["boss"] >= 20, words.most_common(20)
    for word in ("quitting", "pip", "toxic", "ghosted", "underpaid", "layoffs"):
        assert words[word], f"no play is found by {word!r}"


def test_no_first_word_opens_more_than_five_closing_scripts(pb: Playbook) -> None:
    counts = Counter(first_word(s.scripts["closing"]).lower() for s in pb.scenarios.values() if "closing" in s.scripts)
    common = {w: n for w, n in counts.items() if n > MOST}
    assert not common, f"closing scripts open with the same word too often: {common}"


def test_pushback_scripts_open_in_different_ways(pb: Playbook) -> None:
    pushbacks = {sid: s.scripts.get("pushback", "") for sid, s in pb.scenarios.items()}
    for opener in ACKNOWLEDGEMENTS:
        using = sorted(sid for sid, text in pushbacks.items() if text.startswith(opener))
        assert len(using) <= MOST, f"{len(using)} pushback scripts open with {opener!r}: {using}"
    acknowledging = sorted(sid for sid, text in pushbacks.items() if ANY_ACKNOWLEDGEMENT.match(text))
    assert len(acknowledging) <= len(pushbacks) * 0.4, f"most pushbacks open by acknowledging: {acknowledging}"


def test_examples_are_told_in_different_ways(pb: Playbook) -> None:
    examples = {sid: s.example for sid, s in pb.scenarios.items() if s.example}
    framed = sorted(sid for sid, text in examples.items() if MANAGER_FRAME.search(text))
    assert len(framed) <= 8, f"{len(framed)} examples name the manager as 'her manager, Name,': {framed}"
    play = sorted(sid for sid, text in examples.items() if re.search(r"\bthe play\b", text, re.I))
    assert not play, f"examples that speak of 'the play' from inside the story: {play}"
    openers = Counter(first_word(text) for text in examples.values())
    assert openers.most_common(1)[0][1] <= MOST, openers.most_common(3)


def test_follow_up_times_fit_the_situation(pb: Playbook) -> None:
    counts = Counter(s.follow_up_by for s in pb.scenarios.values())
    common = {by: n for by, n in counts.items() if n > MOST}
    assert not common, f"follow-up times used by more than {MOST} plays: {common}"


def test_one_spelling_variety_across_the_playbook() -> None:
    """mkdocs.yml holds the records to US English (text.spelling); the hand-written pages follow it too."""
    settings = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "python"))
    assert settings["extra"]["playbook"]["lint"]["spelling"] == "us"
    found = []
    for page in sorted((REPO / "content").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        found += [f"{page.relative_to(REPO)}:{text.count(chr(10), 0, at) + 1}: {word} -> {us}"
                  for at, word, us in misspellings(text, "us")]
    assert not found, found
