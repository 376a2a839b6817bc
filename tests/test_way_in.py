"""A way in from the home page: plays grouped by theme (title first), a "describe what is happening" box, and an
entry to the agenda when the playbook has one. Built end to end with `mkdocs build --strict` on test playbooks."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from playbook.core.strings import DEFAULT_STRINGS
from support import PLAYBOOKS, assemble, build, diagnostic_lines, make_playbook, run_playbook

pytestmark = pytest.mark.own_fixtures

MINI = PLAYBOOKS / "mini"


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def groups(page: str) -> list[tuple[str, list[str]]]:
    """The situations widget of a built page: each theme heading ('' when there is none) with the text of its plays."""
    widget = re.search(r'<div class="pb-situations"[^>]*>(.*?)</div>', page, re.S)
    assert widget, "no situations on the page"
    found: list[tuple[str, list[str]]] = []
    for heading, plays in re.findall(r'(?:<h\d class="pb-situations__theme"[^>]*>(.*?)</h\d>\s*)?'
                                     r'<ul class="pb-situations__plays">(.*?)</ul>', widget.group(1), re.S):
        found.append((_text(heading), [_text(li) for li in re.findall(r"<li>(.*?)</li>", plays, re.S)]))
    return found


def scenarios(root: Path) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / "data" / "scenarios").glob("*.yaml"))]


def home(root: Path) -> str:
    return (root / "site" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = assemble(tmp_path_factory.mktemp("way-in"), MINI)
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def test_home_lists_each_play_under_its_first_tag_title_first(mini: Path) -> None:
    """With no themes set, each scenario is under its first tag (as a heading), its title before its situation."""
    expected: dict[str, list[str]] = {}
    for s in scenarios(mini):
        expected.setdefault(s["tags"][0].replace("-", " ").capitalize(), []).append(f"{s['title']} {s['situation']}")
    found = groups(home(mini))
    assert found == [(heading, sorted(plays, key=str.lower)) for heading, plays in sorted(expected.items())]
    assert len(found) > 1, "the mini playbook's scenarios have different first tags"
    page = home(mini)
    for heading, _ in found:  # a list of links to the themes, each to its heading
        anchor = re.search(rf'<a href="#(pb-theme-\d+)">{re.escape(html.escape(heading))}</a>', page)
        assert anchor and f'id="{anchor.group(1)}">{html.escape(heading)}</h3>' in page, heading


def test_home_has_the_search_box_and_the_agenda_entry_in_the_playbooks_words(mini: Path) -> None:
    page = home(mini)
    box = re.search(r'<form class="pb-way-in".*?</form>', page, re.S).group(0)
    assert DEFAULT_STRINGS["home.search_label"] in box and f'placeholder="{DEFAULT_STRINGS["home.search_placeholder"]}"' in box
    assert 'role="search"' in box and '<label class="pb-way-in__label" for="pb-way-in">' in box
    assert 'src="assets/way-in.js"' in page  # what hands the words to the header's search
    entry = re.search(r'<p class="pb-agenda-entry".*?</p>', page, re.S).group(0)
    assert f'href="agenda/">{html.escape(DEFAULT_STRINGS["agenda.open"], quote=False)}</a>' in entry.replace("&#39;", "'")
    assert (mini / "site" / "agenda" / "index.html").is_file()


def test_themes_set_the_groups_their_order_and_the_rest(tmp_path: Path) -> None:
    """extra.playbook.themes maps tags to headings in order; a scenario with none of them goes last, under the
    strings table's 'Other situations' (here translated), and every heading and label comes from settings."""
    root = assemble(tmp_path / "themed", MINI)
    plays = scenarios(root)
    themed, rest = plays[0], plays[1:]
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "    sheet_fields: [Date, Name]\n",
        "    sheet_fields: [Date, Name]\n"
        f"    themes:\n      unused-tag: Never shown\n      {themed['tags'][0]}: <b>First</b> & foremost\n"
        "    strings:\n      index.other_situations: Everything else\n      home.search_label: What went wrong?\n"), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    page = home(root)
    assert groups(page) == [("<b>First</b> & foremost", [f"{themed['title']} {themed['situation']}"]),
                            ("Everything else", sorted((f"{s['title']} {s['situation']}" for s in rest), key=str.lower))]
    assert "&lt;b&gt;First&lt;/b&gt; &amp; foremost" in page and "<b>First</b>" not in page
    assert "Never shown" not in page
    assert "What went wrong?" in page and DEFAULT_STRINGS["home.search_label"] not in page


def test_no_agenda_entry_without_an_agenda_page(tmp_path: Path) -> None:
    root = assemble(tmp_path / "no-agenda", MINI)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - Agenda: agenda.md\n", ""), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    page = home(root)
    assert not (root / "site" / "agenda").exists()
    assert "pb-agenda-entry" not in page and 'href="agenda/"' not in page
    assert groups(page) and 'class="pb-way-in"' in page


def test_a_bad_heading_level_stops_the_build_in_one_line(tmp_path: Path) -> None:
    root = assemble(tmp_path / "level", MINI)
    index = root / "content" / "index.md"
    lines = index.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines, 1) if "situations(level=3)" in line)
    lines[at - 1] = "{{ situations(level=9) }}"
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build(root)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert (f"content/index.md:{at}: error: situations(): level=9 must be a heading level from 2 to 6 "
            "[macro.argument]") in output, output


def test_bad_themes_are_located_errors(tmp_path: Path) -> None:
    root = make_playbook(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: Test playbook\nextra:\n  playbook:\n    themes:\n"
                                     "      Work Load: Too much\n      trust: ''\n      growth: [a, b]\n",
                                     encoding="utf-8")
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    assert diagnostic_lines(result.stdout) == [
        "mkdocs.yml:5:7: error: extra.playbook.themes.Work Load: 'Work Load' is not a tag; write a tag as scenarios "
        "do: lowercase words joined by hyphens, e.g. one-on-ones [config.type]",
        "mkdocs.yml:6:14: error: extra.playbook.themes.trust: must be a heading of one line of text (at most 80 "
        "characters) [config.type]",
        "mkdocs.yml:7:15: error: extra.playbook.themes.growth: must be a heading of one line of text (at most 80 "
        "characters) [config.type]",
    ]
    (root / "mkdocs.yml").write_text("site_name: Test playbook\nextra:\n  playbook:\n    themes: [trust]\n",
                                     encoding="utf-8")
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    assert diagnostic_lines(result.stdout) == [
        "mkdocs.yml:4:13: error: extra.playbook.themes: must be a mapping of a tag to the heading of its group, "
        "e.g. {workload: Too much to do} [config.type]"]
