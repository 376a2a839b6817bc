"""Any playbook is green with the generator's defaults: lint profiles, content limits, optional kinds, generated
pages only where the nav lists them, and sheets that name every box after its whole item.

The two shapes under tests/playbooks/ that the default once failed drive these tests: service-plays (plays as
principles, each with a checklist of long items and a question bank; no scenarios, steps or pitfalls) and
team-lead-questions (question banks of statement prompts, nothing else).
"""
from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from playbook.sheets.export import PAPERS, Renderer
from playbook.cli.leftovers import leftovers
from playbook.records.pipeline import validated_playbook
from playbook.core.settings import load_settings
from support import PLAYBOOKS, REPO, assemble, build, diagnostic_lines, make_playbook, run_playbook

SERVICE = PLAYBOOKS / "service-plays"
BANKS = PLAYBOOKS / "team-lead-questions"
SCIENCE = "extra:\n  playbook:\n    lint:\n      profile: checklist-science\n"


def _config(root: Path, text: str) -> Path:
    (root / "mkdocs.yml").write_text("site_name: Test playbook\n" + text, encoding="utf-8")
    return root


def _copy(tmp_path: Path, playbook: Path) -> Path:
    """The playbook's data and settings in a folder of their own, to change."""
    root = tmp_path / playbook.name
    shutil.copytree(playbook / "data", root / "data")
    shutil.copy(playbook / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.mark.own_fixtures
@pytest.mark.parametrize("playbook", sorted(p for p in PLAYBOOKS.iterdir() if (p / "data").is_dir()),
                         ids=lambda p: p.name)
def test_every_test_playbook_passes_strict_with_the_default_rules(playbook: Path) -> None:
    """No lint settings at all (none of them tunes a rule), and not one message under --strict."""
    extra = yaml.safe_load((playbook / "mkdocs.yml").read_text(encoding="utf-8")).get("extra") or {}
    assert "lint" not in (extra.get("playbook") or {}), f"{playbook.name} silences rules in extra.playbook.lint"
    result = run_playbook("validate", "--strict", root=playbook)
    assert (result.returncode, diagnostic_lines(result.stdout)) == (0, [])
    assert re.search(r"0 error\(s\), 0 warning\(s\); validation passed", result.stdout)


@pytest.mark.own_fixtures
def test_statement_prompts_and_small_banks_pass_by_default_and_not_in_the_profile(tmp_path: Path) -> None:
    """"Tell me about ..." and "..." are prompts, and a bank of 5 is a bank; checklist-science still wants 8
    questions, as the managing-up playbook always had."""
    root = _copy(tmp_path, BANKS)
    assert run_playbook("validate", "--strict", root=root).returncode == 0
    _config(root, SCIENCE)
    lines = diagnostic_lines(run_playbook("validate", "--strict", root=root).stdout)
    card = "data/checklists/whats-on-your-mind.yaml"
    assert f"{card}:7:1: warning: sections: the question bank has 5 prompts; offer at least 8 to choose from, or make " \
           "it a READ-DO card [question-bank.size]" in lines
    assert f"{card}:9:5: warning: sections[0].items[0]: a question-bank prompt ends with '?' (or '…' or '...' for " \
           "an open prompt) [question-bank.prompt]" in lines


@pytest.mark.own_fixtures
def test_a_bank_item_that_is_neither_question_nor_request_still_warns(tmp_path: Path) -> None:
    root = _copy(tmp_path, BANKS)
    path = root / "data/checklists/whats-on-your-mind.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Tell me what is top of mind for you this week.",
                                                             "Your week so far."), encoding="utf-8")
    result = run_playbook("validate", "--strict", root=root)
    assert diagnostic_lines(result.stdout) == [
        "data/checklists/whats-on-your-mind.yaml:9:5: warning: sections[0].items[0]: a question-bank prompt ends "
        "with '?' (or '…' or '...' for an open prompt), or a request that starts with a verb ('Tell me about ...') "
        "[question-bank.prompt]"]


@pytest.mark.own_fixtures
def test_content_limits_come_from_the_profile_and_are_tuned_under_limits(tmp_path: Path) -> None:
    """Items of 277 characters pass the generous default; checklist-science holds them to 140, and says where
    that limit is set; `extra.playbook.limits.item_length` changes it."""
    root = _copy(tmp_path, SERVICE)
    _config(root, SCIENCE + "      checklist.item-length: off\n      checklist.do-confirm-state: off\n"
                            "      checklist.one-action: off\n      checklist.vague: off\n      record.sources: off\n"
                            "      checklist.items-per-pause: off\n      checklist.closing-item: off\n"
                            "      checklist.invites-talk: off\n")
    lines = diagnostic_lines(run_playbook("validate", root=root).stdout)
    assert ("data/checklists/default-to-open-checklist.yaml:11:5: error: sections[0].items[1]: is too long (277 "
            "characters, at most 140); shorten it (the limit is extra.playbook.limits.item_length in mkdocs.yml) "
            "[schema.max-length]") in lines
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    _config(root, config.split("\n", 1)[1].replace("  playbook:\n", "  playbook:\n    limits:\n      item_length: 300\n"))
    lines = diagnostic_lines(run_playbook("validate", root=root).stdout)
    assert lines and not [line for line in lines if "sections[0].items" in line and "[schema.max-length]" in line]


@pytest.mark.own_fixtures
def test_a_looks_like_list_of_ten_passes_by_default_and_not_in_the_profile(tmp_path: Path) -> None:
    root = _copy(tmp_path, SERVICE)
    _config(root, SCIENCE)
    lines = diagnostic_lines(run_playbook("validate", root=root).stdout)
    assert ("data/principles/build-in-small-steps.yaml:8:1: error: looks_like: allows at most 8 item(s), has 10 "
            "(the limit is extra.playbook.limits.list_items in mkdocs.yml) [schema.max-items]") in lines


@pytest.mark.own_fixtures
def test_unknown_profile_and_limit_are_located_errors(tmp_path: Path) -> None:
    root = _config(make_playbook(tmp_path), "extra:\n  playbook:\n    lint:\n      profile: checklist-sciense\n"
                                            "    limits:\n      item_lenght: 300\n")
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    assert diagnostic_lines(result.stdout) == [
        "mkdocs.yml:5:16: error: extra.playbook.lint.profile: unknown lint profile 'checklist-sciense'; did you mean "
        "'checklist-science'? [config.unknown-key]",
        "mkdocs.yml:7:7: error: extra.playbook.limits.item_lenght: unknown limit 'item_lenght'; did you mean "
        "'item_length'? [config.unknown-key]"]


@pytest.mark.own_fixtures
def test_rules_lists_the_profile_and_the_limits_in_force(tmp_path: Path) -> None:
    root = _config(make_playbook(tmp_path), SCIENCE)
    plain = run_playbook("rules", root=make_playbook(tmp_path / "plain")).stdout
    science = run_playbook("rules", root=root).stdout
    assert re.search(r"(?m)^checklist\.closing-item +off .*\(profile checklist-science\)$", plain)
    assert re.search(r"(?m)^checklist\.closing-item +on .*\(profile checklist-science\)$", science)
    assert "content limits: title_length=200, summary_length=400, line_length=400, item_length=500" in plain
    assert "content limits: title_length=90, summary_length=240, line_length=200, item_length=140" in science


@pytest.mark.own_fixtures
def test_a_record_linked_either_way_is_referenced_and_an_isolated_one_is_not(tmp_path: Path) -> None:
    """A checklist that names its principle is used; a principle nothing links with is reported, with the kinds
    this playbook has to link it from."""
    root = _copy(tmp_path, SERVICE)
    path = root / "data/checklists/default-to-open-questions.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("principles:\n- default-to-open\n", ""), encoding="utf-8")
    path = root / "data/checklists/default-to-open-checklist.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("principles:\n- default-to-open\n", ""), encoding="utf-8")
    lines = diagnostic_lines(run_playbook("validate", "--strict", root=root).stdout)
    assert lines == [
        "data/checklists/default-to-open-checklist.yaml:1:1: warning: no record links to or from this checklist; "
        "connect it with a principle [ref.unreferenced]",
        "data/checklists/default-to-open-questions.yaml:1:1: warning: no record links to or from this checklist; "
        "connect it with a principle [ref.unreferenced]",
        "data/principles/default-to-open.yaml:1:1: warning: no record links to or from this principle; connect it "
        "with a checklist [ref.unreferenced]"]


@pytest.mark.own_fixtures
def test_acronyms_spelled_out_or_allowed_are_not_shouting(tmp_path: Path) -> None:
    root = _copy(tmp_path, SERVICE)
    path = root / "data/principles/make-it-simple-and-intuitive.yaml"
    text = path.read_text(encoding="utf-8")
    assert "Web Content Accessibility Guidelines (WCAG)" in text  # spelled out once: fine everywhere in the record
    path.write_text(text.replace("The service meets", "The service NEVER fails GDPR and meets"), encoding="utf-8")
    lines = diagnostic_lines(run_playbook("validate", "--strict", root=root).stdout)
    assert len(lines) == 1 and lines[0].endswith(
        "'NEVER' is in capitals; write it in sentence case, or if it is an acronym, spell it out once as "
        "'Full name (NEVER)' or add it to text.shouting's allow list [text.shouting]")
    _config(root, "extra:\n  playbook:\n    lint:\n      text.shouting: {allow: [never, GDPR]}\n")
    assert run_playbook("validate", "--strict", root=root).returncode == 0


@pytest.mark.own_fixtures
def test_the_same_item_twice_on_a_card_is_an_error(tmp_path: Path) -> None:
    root = _copy(tmp_path, BANKS)
    path = root / "data/checklists/whats-on-your-mind.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- Talk me through the last few days...",
                                                             "- tell me what is top of mind for you  this week."),
                    encoding="utf-8")
    assert diagnostic_lines(run_playbook("validate", root=root).stdout) == [
        "data/checklists/whats-on-your-mind.yaml:10:5: error: sections[0].items[1]: the same item is already at "
        "sections[0].items[0]; keep one of them [checklist.duplicate-item]"]


@pytest.fixture(scope="module")
def service_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = assemble(tmp_path_factory.mktemp("service") / "playbook", SERVICE)
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


@pytest.mark.own_fixtures
def test_no_page_speaks_of_a_kind_the_playbook_lacks(service_site: Path) -> None:
    """A principle page of a playbook without scenarios says nothing of scenarios; a question bank is headed as
    one; with no agenda in the nav there is no agenda page and no button that adds to one."""
    page = (service_site / "principles/default-to-open/index.html").read_text(encoding="utf-8")
    assert "Checklists that put it into practice" in page
    assert "Scenario" not in page and "scenario" not in page
    bank = (service_site / "checklists/default-to-open-questions/index.html").read_text(encoding="utf-8")
    assert '<p class="pb-kind">Question bank</p>' in bank and ">The questions<" in bank
    assert ">The checklist<" not in bank
    card = (service_site / "checklists/default-to-open-checklist/index.html").read_text(encoding="utf-8")
    assert '<p class="pb-kind">Checklist</p>' in card and ">The checklist<" in card
    assert not (service_site / "agenda").exists()
    assert "assets/agenda" not in card


def test_guides_and_agenda_left_out_of_the_nav_build_strict_without_them(tmp_path: Path) -> None:
    """ADOPTING.md and CONTRIBUTING.md beside mkdocs.yml, and no nav line for them or for the agenda: the strict
    build passes and makes none of the three pages."""
    root = assemble(tmp_path / "playbook", PLAYBOOKS / "mini")
    for guide in ("ADOPTING.md", "CONTRIBUTING.md"):
        shutil.copy(REPO / guide, root / guide)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - Agenda: agenda.md\n", ""), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    for page in ("agenda", "adopting", "contributing"):
        assert not (root / "site" / page).exists(), page
    home = (root / "site/index.html").read_text(encoding="utf-8")
    assert "assets/agenda" not in home and "playbook.js" in home


@pytest.mark.own_fixtures
def test_a_bank_only_playbook_with_an_agenda_builds(tmp_path: Path) -> None:
    root = assemble(tmp_path / "playbook", BANKS)
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "site/agenda/index.html").is_file()
    card = (root / "site/checklists/career-and-growth/index.html").read_text(encoding="utf-8")
    assert all(f"assets/agenda-{part}.js" in card for part in ("storage", "buttons", "page")), card


def _fields(pdf: bytes) -> dict[str, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return {str(f.get_object()["/T"]): str(f.get_object()["/TU"]) for f in reader.trailer["/Root"]["/AcroForm"]["/Fields"]}


@pytest.mark.own_fixtures
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_box_is_named_after_its_whole_item_when_the_item_wraps(paper: str) -> None:
    """The longest item (277 characters) wraps to three lines; its box's accessible name is all of it."""
    settings = load_settings(SERVICE, env={})
    checklist = validated_playbook(SERVICE).checklists["default-to-open-checklist"]
    longest = max(checklist.items, key=lambda item: len(item.text))
    assert len(longest.text) > 270
    pdf = Renderer(settings, date="2026-01-01").pdf(checklist, PAPERS[paper])
    reader = PdfReader(io.BytesIO(pdf))
    lines = [line.strip() for line in reader.pages[0].extract_text().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith(" ".join(longest.text.split()[:4])))
    shown = ""
    for count, line in enumerate(lines[start:], 1):
        shown = f"{shown} {line}".strip()
        if " ".join(longest.text.split()) in shown:
            break
    assert count >= 3, f"the item takes {count} line(s); this test needs one that wraps to three"
    assert sorted(_fields(pdf).values()) == sorted(item.text for item in checklist.items)


@pytest.mark.own_fixtures
def test_a_question_bank_sheet_is_headed_as_one() -> None:
    settings = load_settings(BANKS, env={})
    bank = validated_playbook(BANKS).checklists["career-and-growth"]
    reader = PdfReader(io.BytesIO(Renderer(settings, date="2026-01-01").pdf(bank, PAPERS["a4"])))
    text = reader.pages[0].extract_text()
    assert "One-on-one question bank · Question bank" in text
    assert "Checklist" not in text and "checklist" not in text


@pytest.mark.own_fixtures
def test_leftovers_lists_what_still_speaks_of_the_example(tmp_path: Path) -> None:
    """After adopting: a scenario form in a playbook without scenarios, and the example's words in the
    scaffolding, each at its line and column; the generic record form is not listed; once rewritten, nothing is
    left and the exit status is 0."""
    root = _copy(tmp_path, SERVICE)
    # The words the example it was copied from names its subject by, as that example's mkdocs.yml lists them.
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("\n  playbook:\n", "\n  playbook:\n    example_words: [managing up]\n",
                                                    1), encoding="utf-8")
    forms = root / ".github" / "ISSUE_TEMPLATE"
    forms.mkdir(parents=True)
    (forms / "propose-a-scenario.yml").write_text("name: Propose a scenario\ndescription: One play.\nbody: []\n",
                                                  encoding="utf-8")
    shutil.copy(REPO / ".github" / "ISSUE_TEMPLATE" / "propose-a-record.yml", forms / "propose-a-record.yml")
    (root / "pyproject.toml").write_text('[project]\nname = "our-plays"\ndescription = "Plays for managing up."\n',
                                         encoding="utf-8")
    result = run_playbook("leftovers", root=root)
    assert result.returncode == 1
    lines = diagnostic_lines(result.stdout)
    assert lines[0] == (".github/ISSUE_TEMPLATE/propose-a-scenario.yml:1:7: warning: asks for a scenario, but this "
                        "playbook has no scenarios; ask for the kinds it has, or delete the form [example.kind]")
    assert lines[-1] == ("pyproject.toml:3:26: warning: 'managing up' speaks of the example playbook; write your own "
                         "words or make it generic [example.words]")
    assert not [line for line in lines if "propose-a-record.yml" in line], lines
    (forms / "propose-a-scenario.yml").unlink()
    (root / "pyproject.toml").write_text('[project]\nname = "our-plays"\ndescription = "Plays for public services."\n',
                                         encoding="utf-8")
    result = run_playbook("leftovers", root=root)
    assert (result.returncode, result.stdout) == (0, "nothing left of the example playbook\n")


@pytest.mark.own_fixtures
def test_example_words_come_from_the_settings_and_match_whole_phrases(tmp_path: Path) -> None:
    """The generator knows no example's words: a playbook lists its own under extra.playbook.example_words; each is
    found whole and in any case, never inside a longer word, and the list's own lines are not reported."""
    root = _copy(tmp_path, SERVICE)
    (root / "CONTRIBUTING.md").write_text("# Helping\n\nRead the On-Call guide first.\nNo noncall work.\n",
                                          encoding="utf-8")
    assert leftovers(root) == []  # no words listed: nothing of an example to find
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("\n  playbook:\n", "\n  playbook:\n    example_words:\n"
                                                    "      - on-call\n      - call\n", 1), encoding="utf-8")
    found = [d.text() for d in leftovers(root)]
    assert found == ["CONTRIBUTING.md:3:10: warning: 'On-Call' speaks of the example playbook; write your own words "
                     "or make it generic [example.words]"]
    (root / "mkdocs.yml").write_text(config.replace("\n  playbook:\n", "\n  playbook:\n    example_words: on-call\n",
                                                    1), encoding="utf-8")
    result = run_playbook("leftovers", root=root)
    assert result.returncode == 1
    assert "extra.playbook.example_words: must be a list of phrases" in result.stdout + result.stderr


def test_the_generator_scaffolding_names_nothing_of_the_example() -> None:
    """The files the generator owns (schemas, pull-request template, package description) are generic."""
    found = [d.text() for d in leftovers(REPO)
             if d.file.startswith(("schemas/", ".github/PULL_REQUEST_TEMPLATE", "pyproject.toml"))
             and not d.text().startswith("pyproject.toml:6:")]  # the package's name, which an adopter changes
    assert not found, "\n".join(found)
