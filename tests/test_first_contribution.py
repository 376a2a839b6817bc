"""A first contribution, end to end: scaffold a scenario, fill it, validate it, build the site, find the page."""
from __future__ import annotations

from pathlib import Path

import pytest

from support import PLAYBOOKS, assemble, build, diagnostic_lines, run_playbook

pytestmark = pytest.mark.own_fixtures

FILLED = """\
title: My manager gives vague feedback
summary: Turn a vague comment about your work into one specific change you can make and check.
situation: Your manager says your work "needs more polish" but cannot say what that means.
goal: Leave with one concrete example of the gap and a way to check you closed it.
not_for:
  - The feedback is already specific and you simply disagree with it.
moves:
  - Ask for one recent example where the work fell short.
  - Name what you heard back in your own words.
  - Offer a draft of what good would look like next time.
  - Agree how you will both know it improved.
scripts:
  opening: "Can we spend five minutes on the polish comment? I want to get it right."
  asking: "Which recent piece fell shortest, and what would you have changed first?"
  pushback: "I hear it is a feeling more than a rule. Could we pick one example anyway?"
  closing: "So next time I send the outline first and you mark the weakest part. Right?"
pitfalls:
  - hiding-bad-news
signals:
  - Your manager points to one example instead of a general feeling.
escalate: If the feedback stays vague after two tries, ask a peer they trust for an outside view.
follow_up:
  what: Send a two-line note with the example and the agreed check.
  by: Within 24 hours
example: Ana heard "more polish" three times. She asked for one example and learned it meant the charts.
time:
  prep_minutes: 10
  talk_minutes: 10
difficulty: easy
tags:
  - feedback
checklist: prepare-for-a-1-1
principles:
  - no-surprises
sources:
  - title: The Making of a Manager
    author: Julie Zhuo
    year: 2019
    note: Useful feedback names a specific behavior and its effect.
"""


def test_first_contribution_from_scaffold_to_page(tmp_path: Path) -> None:
    """Scaffold, validate (fails on the empty fields only), fill, validate clean, build, the page links back."""
    root = assemble(tmp_path / "playbook", PLAYBOOKS / "mini")

    created = run_playbook("new", "scenario", "my-manager-gives-vague-feedback", root=root)
    assert created.returncode == 0, created.stderr
    path = root / "data" / "scenarios" / "my-manager-gives-vague-feedback.yaml"
    template = path.read_text(encoding="utf-8")
    assert template.startswith("# yaml-language-server: $schema=../../schemas/scenarios.schema.json\n")

    first = run_playbook("validate", root=root)
    assert first.returncode == 1
    lines = template.splitlines()
    for line in diagnostic_lines(first.stdout):
        file, number = line.split(":")[:2]
        assert file == "data/scenarios/my-manager-gives-vague-feedback.yaml", line
        assert lines[int(number) - 1].rstrip().endswith((":", "-")), f"{line} does not point at an empty field"

    path.write_text(lines[0] + "\n" + FILLED, encoding="utf-8")
    second = run_playbook("validate", "--strict", root=root)
    assert second.returncode == 0, second.stdout

    built = build(root)
    assert built.returncode == 0, built.stderr
    page = (root / "site" / "scenarios" / "my-manager-gives-vague-feedback" / "index.html").read_text(encoding="utf-8")
    assert "My manager gives vague feedback" in page
    assert 'href="../../principles/no-surprises/"' in page and 'href="../../pitfalls/hiding-bad-news/"' in page
    principle = (root / "site" / "principles" / "no-surprises" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../scenarios/my-manager-gives-vague-feedback/"' in principle
    index = (root / "site" / "scenarios" / "index.html").read_text(encoding="utf-8")
    assert 'href="../scenarios/my-manager-gives-vague-feedback/"' in index or \
        'href="my-manager-gives-vague-feedback/"' in index
