"""The shipped playbook's home page is a way in: every play under one of a few themes, its title first, a box to
describe what is happening, and the agenda one click away."""
from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playbook.records.pipeline import validated_playbook  # noqa: E402
from playbook.core.settings import load_settings  # noqa: E402
from support import REPO, build  # noqa: E402
from test_way_in import groups  # noqa: E402


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("shipped")
    result = build(REPO, "-d", str(out / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    return (out / "site" / "index.html").read_text(encoding="utf-8")


def test_every_play_is_on_the_home_page_once_under_a_named_theme(home: str) -> None:
    settings = load_settings(REPO, env={})
    pb = validated_playbook(REPO)
    found = groups(home)
    headings = [heading for heading, _ in found]
    assert headings == list(dict.fromkeys(settings.themes.values())), "every theme in use, in the settings' order"
    assert settings.strings("index.other_situations") not in headings, "every play has a theme"
    shown = [play for _, plays in found for play in plays]
    assert sorted(shown) == sorted(f"{s.title} {s.situation}" for s in pb.scenarios.values())
    assert all(3 <= len(plays) <= 10 for _, plays in found), [(h, len(p)) for h, p in found]


def test_the_search_box_and_the_agenda_come_before_the_plays(home: str) -> None:
    box, agenda, plays = (home.index('class="pb-way-in"'), home.index('class="pb-agenda-entry"'),
                          home.index('class="pb-situations"'))
    assert box < agenda < plays
    entry = re.search(r'<p class="pb-agenda-entry".*?</p>', home, re.S).group(0)
    assert 'href="agenda/"' in entry and "Open my next 1:1" in html.unescape(entry)
