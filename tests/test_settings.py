"""A playbook's settings under `extra.playbook` in mkdocs.yml: located errors for every mistake, and lint rules a
team turns off, on or tunes, all through the real `playbook validate` (and once through `mkdocs build`)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import INVALID, PLAYBOOKS, REPO, assemble, build, diagnostic_lines, make_playbook, run_playbook

SCENARIO = "data/scenarios/my-manager-micromanages.yaml"  # the valid examples' scenario
SCIENCE = "    lint:\n      profile: checklist-science\n"  # the profile the checklist-science cases need


def _settings(root: Path, playbook: str) -> Path:
    """Write a mkdocs.yml holding `playbook` (YAML indented under `extra.playbook:`) into root."""
    (root / "mkdocs.yml").write_text("site_name: Test playbook\nextra:\n  playbook:\n" + playbook, encoding="utf-8")
    return root


def _case(root: Path, name: str) -> Path:
    """Put an invalid example where its header says it goes."""
    case = INVALID / f"{name}.yaml"
    paths = [line[len("# path: "):] for line in case.read_text(encoding="utf-8").splitlines()
             if line.startswith("# path: ")]
    shutil.copyfile(case, root / (paths[0] if paths else f"data/scenarios/{name}.yaml"))
    return root


BAD_SETTINGS = """\
    stringz: {}
    strings:
      agenda.titel: My next talk
      checklist.reset: "Reset {count} ticks"
    lint:
      checklist.item-lenght: off
      checklist.item-length: {warn: 3, eror: 5}
      checklist.card-size: {max: many}
"""
BAD_LINES = [
    "mkdocs.yml:4:5: error: extra.playbook.stringz: unknown setting 'stringz'; did you mean 'strings'? "
    "[config.unknown-key]",
    "mkdocs.yml:6:7: error: extra.playbook.strings.agenda.titel: unknown string key 'agenda.titel'; "
    "did you mean 'agenda.title'? [config.unknown-key]",
    "mkdocs.yml:7:24: error: extra.playbook.strings.checklist.reset: unknown placeholder {count}; "
    "this string may use: none [config.placeholder]",
    "mkdocs.yml:9:7: error: extra.playbook.lint.checklist.item-lenght: unknown lint rule 'checklist.item-lenght'; "
    "did you mean 'checklist.item-length'? [config.unknown-key]",
    "mkdocs.yml:10:40: error: extra.playbook.lint.checklist.item-length.eror: unknown setting 'eror' for this rule; "
    "it takes: severity, warn, error [config.unknown-key]",
    "mkdocs.yml:11:34: error: extra.playbook.lint.checklist.card-size.max: must be like the default 20 [config.type]",
]


@pytest.mark.own_fixtures
def test_every_settings_mistake_is_a_located_error(tmp_path: Path) -> None:
    """Unknown setting, string key, placeholder, rule and limit, and a limit of the wrong type: one line each,
    at its line and column in mkdocs.yml, with a did-you-mean where one is close; exit 1."""
    root = _settings(make_playbook(tmp_path), BAD_SETTINGS)
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    assert diagnostic_lines(result.stdout) == BAD_LINES


@pytest.mark.own_fixtures
def test_a_setting_given_twice_is_an_error_not_a_silent_override(tmp_path: Path) -> None:
    """YAML keeps the last of two equal keys: a second `lint:` block would quietly cancel the first one's rules."""
    root = _settings(make_playbook(tmp_path), "    lint:\n      checklist.closing-item: off\n"
                                              "    sheet_fields: [Date]\n"
                                              "    lint:\n      checklist.item-length: off\n"
                                              "    strings: {sheet.notes: Notes, sheet.notes: Jottings}\n")
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    assert diagnostic_lines(result.stdout) == [
        "mkdocs.yml:7:5: error: extra.playbook.lint: duplicate key 'lint' (first defined at line 4); merge the two "
        "into one [config.duplicate-key]",
        "mkdocs.yml:9:35: error: extra.playbook.strings.sheet.notes: duplicate key 'sheet.notes' (first defined at "
        "line 9); merge the two into one [config.duplicate-key]",
    ]


@pytest.mark.own_fixtures
def test_settings_errors_are_annotated_on_github(tmp_path: Path) -> None:
    """--format github annotates mkdocs.yml at the mistake, as it does a record."""
    root = _settings(make_playbook(tmp_path), "    lint:\n      checklist.invites-manager: off\n")
    result = run_playbook("validate", "--format", "github", root=root)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "::error file=mkdocs.yml,line=5,col=7::extra.playbook.lint.checklist.invites-manager: unknown lint rule "
        "'checklist.invites-manager'; did you mean 'checklist.invites-talk'? [config.unknown-key]")


@pytest.mark.own_fixtures
def test_unreadable_settings_exit_1_with_their_location(tmp_path: Path) -> None:
    """A mkdocs.yml that is not YAML is reported where it breaks, not with a traceback."""
    root = make_playbook(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: Test\nextra:\n  playbook: [unclosed\n", encoding="utf-8")
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    (line,) = diagnostic_lines(result.stdout)
    assert line.startswith("mkdocs.yml:4:1: error: cannot read the settings: ") and line.endswith("[config.syntax]")


@pytest.mark.own_fixtures
def test_good_settings_pass(tmp_path: Path) -> None:
    """Known keys with good values change nothing about a clean playbook: exit 0."""
    root = _settings(make_playbook(tmp_path), """\
    sheet_fields: [Date, Name, Team]
    strings:
      agenda.title: Our next review
      step.number: "Stage {n} of {total}"
    lint:
      checklist.closing-item: off
      checklist.item-length: {warn: 12, error: 16}
""")
    result = run_playbook("validate", "--strict", root=root)
    assert (result.returncode, diagnostic_lines(result.stdout)) == (0, [])


@pytest.mark.own_fixtures
def test_a_rule_turned_off_no_longer_fails(tmp_path: Path) -> None:
    """`checklist.closing-item: off` lets a card end without a closing item; left on, the same card fails."""
    root = _case(make_playbook(tmp_path), "checklist-no-closing-item")
    before = run_playbook("validate", root=_settings(root, SCIENCE))
    assert before.returncode == 1 and "[checklist.closing-item]" in before.stdout
    after = run_playbook("validate", "--strict", root=_settings(root, SCIENCE + "      checklist.closing-item: off\n"))
    assert (after.returncode, diagnostic_lines(after.stdout)) == (0, [])


@pytest.mark.own_fixtures
def test_a_rule_made_an_error(tmp_path: Path) -> None:
    """A severity override: a missing script (checked by the checklist-science profile, where it is a warning) fails
    validation without --strict once the rule is made an error, profile or not."""
    root = _case(make_playbook(tmp_path), "scenario-missing-scripts")
    assert run_playbook("validate", "--strict", root=root).returncode == 0
    result = run_playbook("validate", root=_settings(root, "    lint:\n      scenario.scripts: error\n"))
    assert result.returncode == 1
    assert diagnostic_lines(result.stdout) == [
        "data/scenarios/scenario-missing-scripts.yaml:17:3: error: scripts: add a script for asking, pushback: "
        "what the reader can say [scenario.scripts]"]


@pytest.mark.own_fixtures
def test_a_limit_changed(tmp_path: Path) -> None:
    """Tuned limits are the numbers the rule checks and the numbers its message gives."""
    root = _case(make_playbook(tmp_path), "checklist-item-too-long")
    default = diagnostic_lines(run_playbook("validate", root=_settings(root, SCIENCE)).stdout)
    assert default and all("[checklist.item-length]" in line for line in default)
    relaxed = run_playbook("validate", "--strict",
                           root=_settings(root, SCIENCE + "      checklist.item-length: {warn: 40, error: 50}\n"))
    assert (relaxed.returncode, diagnostic_lines(relaxed.stdout)) == (0, [])
    strict = run_playbook("validate", root=_settings(root, "    lint:\n      checklist.item-length: {warn: 4, error: 5}\n"))
    assert strict.returncode == 1
    lines = diagnostic_lines(strict.stdout)
    assert lines and all(line.endswith("(at most 5) [checklist.item-length]") or
                         line.endswith("aim for 4 or fewer [checklist.item-length]") for line in lines), lines


def _scenario_titled(root: Path, title: str) -> Path:
    path = root / SCENARIO
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("title: "))
    path.write_text(text.replace(old, f"title: {title}"), encoding="utf-8")
    return root


@pytest.mark.own_fixtures
@pytest.mark.parametrize("rule, title, expected", [
    ("scenario.title-voice", "The manager micromanages the work",
     f"{SCENARIO}:2:8: error: title: write the title as the reader would say it, with one of: I, I'm, my, me, we, "
     "our, us [scenario.title-voice]"),
    ("scenario.id-matches-title", "My manager checks every detail",
     f"{SCENARIO}:2:8: warning: title: the id 'my-manager-micromanages' does not match the title; name the file "
     "my-manager-checks-every-detail.yaml [scenario.id-matches-title]"),
])
def test_rules_off_by_default_are_turned_on_in_settings(tmp_path: Path, rule: str, title: str, expected: str) -> None:
    """Voice rules one playbook wants and another does not: off unless mkdocs.yml turns them on."""
    root = _scenario_titled(make_playbook(tmp_path), title)
    assert run_playbook("validate", "--strict", root=root).returncode == 0
    severity = "error" if rule == "scenario.title-voice" else "warning"
    result = run_playbook("validate", "--strict", root=_settings(root, f"    lint:\n      {rule}: {severity}\n"))
    assert result.returncode == 1
    assert diagnostic_lines(result.stdout) == [expected]


@pytest.mark.own_fixtures
def test_bad_settings_stop_the_build_with_the_same_lines(tmp_path: Path) -> None:
    """`mkdocs build` reads the same settings and stops on the same located errors, with no traceback."""
    root = assemble(tmp_path / "playbook", PLAYBOOKS / "mini")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  playbook:\n", "  playbook:\n    lint:\n"
                                                                 "      checklist.invites-manager: off\n", 1),
                      encoding="utf-8")
    validate = run_playbook("validate", root=root)
    (line,) = diagnostic_lines(validate.stdout)
    assert line.endswith("did you mean 'checklist.invites-talk'? [config.unknown-key]")
    result = build(root)
    assert result.returncode != 0 and line in result.stderr and "Traceback" not in result.stderr


@pytest.mark.own_fixtures
def test_search_settings_mistakes_are_located_errors(tmp_path: Path) -> None:
    """extra.playbook.search: stop words and synonyms are single words; a wrong shape or an unknown key is an error
    at its place in mkdocs.yml, through `playbook validate`."""
    root = _settings(make_playbook(tmp_path), """\
    search:
      stop_words: the a
      synonyms:
        boss: manager
        two words: [x]
        quit: [leave, "hand in notice"]
      synonym: {}
""")
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    assert diagnostic_lines(result.stdout) == [
        "mkdocs.yml:5:19: error: extra.playbook.search.stop_words: must be a list of single words (no spaces, at most "
        "40 characters each), e.g. [outage, incident] [config.type]",
        "mkdocs.yml:7:15: error: extra.playbook.search.synonyms.boss: must be a list of single words (no spaces, at "
        "most 40 characters each), e.g. [outage, incident] [config.type]",
        "mkdocs.yml:8:9: error: extra.playbook.search.synonyms.two words: a synonym's key must be a single word "
        "(no spaces, at most 40 characters) [config.type]",
        "mkdocs.yml:9:15: error: extra.playbook.search.synonyms.quit: must be a list of single words (no spaces, at "
        "most 40 characters each), e.g. [outage, incident] [config.type]",
        "mkdocs.yml:10:7: error: extra.playbook.search.synonym: unknown setting 'synonym'; did you mean 'synonyms'? "
        "[config.unknown-key]",
    ]


@pytest.mark.own_fixtures
def test_search_settings_reach_the_built_site(tmp_path: Path) -> None:
    """The stop words and synonyms a playbook sets are what the page's search reads (assets/search-words.json);
    without them, theme.language's stop words and no synonyms."""
    import json

    from playbook.site.search import default_stop_words

    root = assemble(tmp_path / "pb", PLAYBOOKS / "mini")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    words = json.loads((root / "site" / "assets" / "search-words.json").read_text(encoding="utf-8"))
    assert words == {"stop_words": sorted(default_stop_words("en")), "synonyms": {}}
    assert (root / "site" / "pagefind" / "pagefind-entry.json").is_file()
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  playbook:\n" in text
    config.write_text(text.replace("\n  playbook:\n", "\n  playbook:\n    search:\n      stop_words: [the]\n"
                                   "      synonyms: {Boss: [Manager, lead]}\n", 1), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    words = json.loads((root / "site" / "assets" / "search-words.json").read_text(encoding="utf-8"))
    assert words == {"stop_words": ["the"], "synonyms": {"boss": ["manager", "lead"]}}


def _outside_check(config: Path) -> list[str]:
    """What an outside validator (as an editor runs it) says of a mkdocs.yml given schemas/settings.schema.json."""
    import json

    import jsonschema
    import yaml

    from playbook.records.yaml_reader import Yaml12Loader

    schema = json.loads((REPO / "schemas" / "settings.schema.json").read_text(encoding="utf-8"))
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=Yaml12Loader)  # noqa: S506 - the safe C loader
    return sorted(e.json_path for e in jsonschema.Draft7Validator(schema).iter_errors(data))


def test_the_published_settings_schema_agrees_with_validate(tmp_path: Path) -> None:
    """The one settings schema is both what `playbook validate` checks and what editors get: it accepts every
    shipped and test playbook's mkdocs.yml, and refuses, at the same fields, what validate refuses (with its own
    words, at the line and column)."""
    for config in [REPO / "mkdocs.yml", *sorted(PLAYBOOKS.glob("*/mkdocs.yml"))]:
        assert _outside_check(config) == [], config
    root = _settings(make_playbook(tmp_path), "    sheet_fields: [a, b, c, d, e]\n    limits: {item_lenght: 3}\n"
                                              "    themes: {Work Load: Too much}\n")
    assert _outside_check(root / "mkdocs.yml") == ["$.extra.playbook.limits", "$.extra.playbook.sheet_fields",
                                                   "$.extra.playbook.themes"]
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    assert diagnostic_lines(result.stdout) == [
        "mkdocs.yml:4:19: error: extra.playbook.sheet_fields: must be a list of at most 4 short labels, e.g. "
        "[Date, Name] [config.type]",
        "mkdocs.yml:5:14: error: extra.playbook.limits.item_lenght: unknown limit 'item_lenght'; did you mean "
        "'item_length'? [config.unknown-key]",
        "mkdocs.yml:6:14: error: extra.playbook.themes.Work Load: 'Work Load' is not a tag; write a tag as scenarios "
        "do: lowercase words joined by hyphens, e.g. one-on-ones [config.type]",
    ]


@pytest.mark.own_fixtures
def test_tags_and_repeated_keys_in_mkdocs_yml(tmp_path: Path) -> None:
    """MkDocs' own `!ENV` still gives site_name its value; a tag inside extra.playbook, or a key written twice
    anywhere in mkdocs.yml (the second would silently win in MkDocs), is a located error."""
    root = make_playbook(tmp_path)
    (root / "mkdocs.yml").write_text(
        "site_name: !ENV [PLAYBOOK_TEST_NAME, Fallback <name>]\ntheme:\n  name: material\n  font: false\n"
        "theme:\n  name: readthedocs\nextra:\n  playbook:\n    owner: !ENV OWNER\n", encoding="utf-8")
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    assert diagnostic_lines(result.stdout) == [
        "mkdocs.yml:1:12: error: site_name: '<' is markup, and the theme prints site_name as HTML on every page; "
        "write it as plain text (spell '&' as 'and', drop '<', '>' and '\"') [config.markup]",
        "mkdocs.yml:5:1: error: theme: duplicate key 'theme' (first defined at line 2); merge the two into one "
        "[config.duplicate-key]",
        "mkdocs.yml:9:12: error: extra.playbook.owner: the tag '!ENV' is not allowed here; write a plain value "
        "[config.tag]",
    ]
    (root / "mkdocs.yml").write_text("site_name: !ENV [PLAYBOOK_TEST_NAME, Fallback name]\n", encoding="utf-8")
    from playbook.core.settings import load_settings

    assert load_settings(root, env={}).title == "Fallback name"
    assert load_settings(root, env={"PLAYBOOK_TEST_NAME": "From the environment"}).title == "From the environment"
