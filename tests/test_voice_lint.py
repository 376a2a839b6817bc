"""One spelling variety (text.spelling, set by extra.playbook.lint.spelling) and follow-up deadlines in plain words,
through the real `playbook validate` on the valid examples."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from playbook.records.lint import SCIENCE
from playbook.records.spelling import misspellings
from support import VALID, diagnostic_lines, make_playbook, run_playbook

pytestmark = pytest.mark.own_fixtures

SCENARIO = "data/scenarios/my-manager-micromanages.yaml"
RENAMED = "data/scenarios/reviews-keep-getting-cancelled.yaml"  # an id in UK spelling, kept as ids always are


def _playbook(tmp_path: Path, lint: str) -> Path:
    """The valid examples with UK words in one scenario, a US title on a record whose id is UK, and `lint` settings."""
    root = make_playbook(tmp_path / "playbook")
    (root / "mkdocs.yml").write_text("site_name: Test playbook\nextra:\n  playbook:\n    lint:\n" + lint,
                                     encoding="utf-8")
    scenario = root / SCENARIO
    text = scenario.read_text(encoding="utf-8")
    text = text.replace("  closing: So I send you the outline first and you review only the final draft. Right?",
                        "  closing: So I organise the outline, and you judge its colour. Right?")
    text = text.replace("after two weeks he read only the final drafts.",
                        "after two weeks the cancelled check stayed cancelled.")
    text = text.replace("see_also:\n  - i-will-miss-a-deadline", "see_also:\n  - reviews-keep-getting-cancelled")
    scenario.write_text(text, encoding="utf-8")
    other = (VALID / "scenarios" / "i-will-miss-a-deadline.yaml").read_text(encoding="utf-8")
    other = other.replace("title: I will miss a deadline", "title: Reviews keep getting canceled")
    (root / RENAMED).write_text(re.sub(r"in_their_words:\n(  - .*\n)+", "", other), encoding="utf-8")
    return root


def test_us_playbook_reports_each_uk_word_where_it_stands(tmp_path: Path) -> None:
    """Every UK word is located at its own line and column, even the second of two in a folded block; ids are not."""
    root = _playbook(tmp_path, "      spelling: us\n      scenario.id-matches-title: warning\n")
    result = run_playbook("validate", root=root)
    lines = [line for line in diagnostic_lines(result.stdout)
             if "[text.spelling]" in line or (line.startswith(RENAMED) and "id-matches" in line)]
    source = (root / SCENARIO).read_text(encoding="utf-8").splitlines()
    closing = next(n for n, text in enumerate(source, 1) if "So I organise" in text)
    example = next(n for n, text in enumerate(source, 1) if "the cancelled check" in text)
    assert lines == [
        f"{SCENARIO}:{closing}:17: warning: scripts.closing: 'organise' is UK spelling; this playbook writes US English: "
        f"write 'organize' [text.spelling]",
        f"{SCENARIO}:{closing}:57: warning: scripts.closing: 'colour' is UK spelling; this playbook writes US English: "
        f"write 'color' [text.spelling]",
        f"{SCENARIO}:{example}:42: warning: example: 'cancelled' is UK spelling; this playbook writes US English: "
        f"write 'canceled' [text.spelling]",
        f"{SCENARIO}:{example}:65: warning: example: 'cancelled' is UK spelling; this playbook writes US English: "
        f"write 'canceled' [text.spelling]",
    ]
    assert result.returncode == 0  # warnings: they fail only under --strict
    assert run_playbook("validate", "--strict", root=root).returncode == 1


def test_uk_playbook_reports_the_us_words_instead(tmp_path: Path) -> None:
    """The same rule the other way round: a UK playbook is told about 'canceled', not about 'organise'."""
    root = _playbook(tmp_path, "      spelling: uk\n")
    result = run_playbook("validate", root=root)
    assert [line for line in diagnostic_lines(result.stdout) if "[text.spelling]" in line] == [
        f"{RENAMED}:2:29: warning: title: 'canceled' is US spelling; this playbook writes UK English: "
        f"write 'cancelled' [text.spelling]",
    ]


def test_no_variety_no_spelling_rule(tmp_path: Path) -> None:
    """A playbook that names no variety is not held to one."""
    root = _playbook(tmp_path, "      scenario.title-voice: off\n")
    result = run_playbook("validate", "--strict", root=root)
    assert "[text.spelling]" not in result.stdout
    assert result.returncode == 0, result.stdout


def test_unknown_variety_is_a_located_error(tmp_path: Path) -> None:
    """`spelling: british` and a text.spelling turned on without a variety are errors at their line in mkdocs.yml."""
    root = _playbook(tmp_path, "      spelling: british\n")
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    assert "mkdocs.yml:5:17: error: extra.playbook.lint.spelling: must be us or uk (the spelling variety of the whole " \
           "playbook), not 'british' [config.type]" in diagnostic_lines(result.stdout)
    root = _playbook(tmp_path / "second", "      text.spelling: warning\n")
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    assert "mkdocs.yml:5:22: error: extra.playbook.lint.text.spelling: text.spelling needs the variety beside it: add " \
           "`spelling: us` or `spelling: uk` under extra.playbook.lint [config.type]" in diagnostic_lines(result.stdout)


def test_words_right_in_both_varieties_are_left_alone() -> None:
    """Only words of one variety are reported, with the case of the word kept in the suggestion."""
    both = "The program focused on practice, a license, two analyses, and a judgment call."
    assert list(misspellings(both, "us")) == []
    assert list(misspellings("Behaviour and COLOUR; prioritised.", "us")) == [
        (0, "Behaviour", "Behavior"), (14, "COLOUR", "COLOR"), (22, "prioritised", "prioritized")]
    assert list(misspellings("Organize the center.", "uk")) == [(0, "Organize", "Organise"), (13, "center", "centre")]


def test_follow_up_deadlines_in_plain_words(tmp_path: Path) -> None:
    """'The same afternoon' and 'Tonight' are deadlines; 'Whenever it suits' is not (a rule of the science profile)."""
    root = make_playbook(tmp_path / "playbook")
    (root / "mkdocs.yml").write_text(f"site_name: Test playbook\nextra:\n  playbook:\n    lint:\n      profile: {SCIENCE}\n",
                                     encoding="utf-8")
    scenario = root / SCENARIO
    original = scenario.read_text(encoding="utf-8")
    for by, ok in (("The same afternoon", True), ("Tonight", True), ("Whenever it suits", False)):
        scenario.write_text(original.replace("  by: Within 24 hours", f"  by: {by}"), encoding="utf-8")
        result = run_playbook("validate", root=root)
        assert ("[scenario.follow-up-deadline]" not in result.stdout) is ok, (by, result.stdout)
