"""`playbook init`'s starter holds nothing of this repository's example playbook: none of its example words."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from playbook.cli.leftovers import leftovers
from playbook.core.settings import load_settings
from support import REPO, run_playbook


def test_the_starter_names_nothing_of_the_shipped_playbook(tmp_path: Path) -> None:
    words = load_settings(REPO).example_words
    assert "managing up" in words and "your manager" in words
    result = run_playbook("init", "ours", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    root = tmp_path / "ours"
    settings = replace(load_settings(root), example_words=words)
    assert [d.text() for d in leftovers(root, settings=settings)] == []
