"""Due for review: `playbook validate` names an old review as a notice (never a failure), `playbook stale` lists what
is due with owners, `playbook new` dates a new record, and extra.playbook.owner and .freshness are checked."""
from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
import yaml

from support import make_playbook, run_playbook

pytestmark = pytest.mark.own_fixtures

PRINCIPLE = "data/principles/no-surprises.yaml"
PITFALL = "data/pitfalls/hiding-bad-news.yaml"


def _set(root: Path, rel: str, **fields: str) -> int:
    """Put `key: value` lines right after a record's title; returns the line number of the first one."""
    path = root / rel
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("title:")) + 1
    lines[at:at] = [f"{key}: {value}\n" for key, value in fields.items()]
    path.write_text("".join(lines), encoding="utf-8")
    return at + 1


def _dated(tmp_path: Path) -> tuple[Path, int, int]:
    """A clean playbook (the examples name @docs-team as owner): one record reviewed long ago, one reviewed longer
    ago and naming no owner, one reviewed yesterday; the others name no date."""
    root = make_playbook(tmp_path)
    principle_line = _set(root, PRINCIPLE, reviewed="2020-01-31")
    pitfall_line = _set(root, PITFALL, reviewed="2019-05-01")
    pitfall = root / PITFALL
    pitfall.write_text(pitfall.read_text(encoding="utf-8").replace('owner: "@docs-team"\n', ""), encoding="utf-8")
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    _set(root, "data/steps/warn-early-about-risks.yaml", reviewed=yesterday.isoformat())
    return root, principle_line, pitfall_line


def _age(day: str) -> int:
    return (datetime.datetime.now(datetime.timezone.utc).date() - datetime.date.fromisoformat(day)).days


def test_validate_names_an_old_review_as_a_notice_that_never_fails(tmp_path: Path) -> None:
    """Text, github and json: each due record at its `reviewed:` value, rule record.stale, exit 0 even --strict."""
    root, principle_line, pitfall_line = _dated(tmp_path)
    result = run_playbook("validate", "--strict", root=root)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        f"{PITFALL}:{pitfall_line}:11: notice: reviewed: last reviewed 2019-05-01, {_age('2019-05-01')} days ago "
        "(the limit is 365; no owner keeps it): read it against current practice, then set reviewed: to that day "
        "[record.stale]",
        f"{PRINCIPLE}:{principle_line}:11: notice: reviewed: last reviewed 2020-01-31, {_age('2020-01-31')} days ago "
        "(the limit is 365; @docs-team keeps it): read it against current practice, then set reviewed: to that day "
        "[record.stale]",
        "6 file(s) checked: 0 error(s), 0 warning(s), 2 notice(s); validation passed",
    ]
    github = run_playbook("validate", "--format", "github", "--strict", root=root)
    assert github.returncode == 0
    notices = [line for line in github.stdout.splitlines() if line.startswith("::")]
    assert [line.split("::")[1] for line in notices] == [
        f"notice file={PITFALL},line={pitfall_line},col=11", f"notice file={PRINCIPLE},line={principle_line},col=11"]
    assert all(line.endswith("[record.stale]") for line in notices)
    report = json.loads(run_playbook("validate", "--format", "json", "--strict", root=root).stdout)
    assert (report["ok"], report["errors"], report["warnings"], report["notices"]) == (True, 0, 0, 2)
    assert {d["rule"] for d in report["diagnostics"]} == {"record.stale"}


def test_a_review_dated_in_the_future_is_a_warning(tmp_path: Path) -> None:
    """A mistyped year would keep the record off the review list for years; --strict (CI) fails on it."""
    root = make_playbook(tmp_path)
    line = _set(root, PRINCIPLE, reviewed="2126-01-31")
    result = run_playbook("validate", "--strict", root=root)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (f"{PRINCIPLE}:{line}:11: warning: reviewed: 2126-01-31 is in the future; "
                                             "write the day the record was reviewed [record.reviewed-future]")


def test_a_notice_comes_after_the_errors_in_github_annotations(tmp_path: Path) -> None:
    """GitHub shows a step's first annotations only: a due review never pushes an error out of sight."""
    root, _, _ = _dated(tmp_path)
    path = root / "data/scenarios/my-manager-micromanages.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("difficulty: medium", "difficulty: 100"), encoding="utf-8")
    result = run_playbook("validate", "--format", "github", root=root)
    assert result.returncode == 1
    levels = [line.split(" ")[0] for line in result.stdout.splitlines() if line.startswith("::")]
    assert levels == ["::error", "::notice", "::notice"]


def test_stale_lists_due_records_oldest_first_with_owners(tmp_path: Path) -> None:
    root, principle_line, pitfall_line = _dated(tmp_path)
    result = run_playbook("stale", root=root)
    assert (result.returncode, result.stderr) == (0, "")
    never = ["data/checklists/prepare-for-a-1-1.yaml:1:1: never reviewed; @docs-team: Prepare for a 1:1 "
             "[record.stale]",
             "data/scenarios/i-will-miss-a-deadline.yaml:1:1: never reviewed; @docs-team: I will miss a deadline "
             "[record.stale]",
             "data/scenarios/my-manager-micromanages.yaml:1:1: never reviewed; @docs-team: My manager micromanages "
             "my work [record.stale]"]
    assert result.stdout.splitlines() == [
        *never,
        f"{PITFALL}:{pitfall_line}:11: reviewed 2019-05-01, {_age('2019-05-01')} days ago; no owner: Hiding bad news "
        "[record.stale]",
        f"{PRINCIPLE}:{principle_line}:11: reviewed 2020-01-31, {_age('2020-01-31')} days ago; @docs-team: "
        "No surprises [record.stale]",
        "5 of 6 record(s) due for review (reviewed over 365 days ago, or never), oldest first",
    ]
    listed = json.loads(run_playbook("stale", "--format", "json", root=root).stdout)
    assert (listed["max_age_days"], listed["records"]) == (365, 6)
    assert [(d["id"], d["owner"], d["reviewed"]) for d in listed["due"]][-2:] == [
        ("hiding-bad-news", "", "2019-05-01"), ("no-surprises", "@docs-team", "2020-01-31")]
    assert listed["due"][-1]["line"] == principle_line and listed["due"][-1]["age_days"] == _age("2020-01-31")
    github = run_playbook("stale", "--format", "github", root=root).stdout.splitlines()
    assert github[-2] == (f"::notice file={PRINCIPLE},line={principle_line},col=11::reviewed 2020-01-31, "
                          f"{_age('2020-01-31')} days ago; @docs-team: No surprises [record.stale]")
    assert github[-1].startswith("5 of 6 record(s) due for review")


def test_the_freshness_limit_comes_from_mkdocs_yml(tmp_path: Path) -> None:
    root, _, _ = _dated(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: T\nextra:\n  playbook:\n    freshness:\n      max_age_days: 36500\n",
                                     encoding="utf-8")
    assert run_playbook("validate", root=root).stdout.splitlines() == [
        "6 file(s) checked: 0 error(s), 0 warning(s); validation passed"]
    listed = json.loads(run_playbook("stale", "--format", "json", root=root).stdout)
    assert listed["max_age_days"] == 36500 and all(d["reviewed"] == "" for d in listed["due"])


def test_bad_owner_and_freshness_settings_are_located_errors(tmp_path: Path) -> None:
    root = make_playbook(tmp_path)
    (root / "mkdocs.yml").write_text(
        "site_name: T\nextra:\n  playbook:\n    owner: two words\n    freshness:\n      max_age_days: 0\n"
        "      max_age: 3\n", encoding="utf-8")
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    assert [line for line in result.stdout.splitlines() if line.startswith("mkdocs.yml")] == [
        "mkdocs.yml:4:12: error: extra.playbook.owner: must be a person's or team's handle (letters, digits, . _ / -; "
        "an optional leading @), e.g. docs-team or @my-org/editors [config.type]",
        "mkdocs.yml:6:21: error: extra.playbook.freshness.max_age_days: must be a whole number of days from 1 to 36500 "
        "[config.type]",
        "mkdocs.yml:7:7: error: extra.playbook.freshness.max_age: unknown setting 'max_age'; did you mean "
        "'max_age_days'? [config.unknown-key]",
    ]


def test_new_dates_the_record_today_and_names_the_playbooks_owner(tmp_path: Path) -> None:
    root = make_playbook(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: T\nextra:\n  playbook:\n    owner: '@acme/editors'\n",
                                     encoding="utf-8")
    result = run_playbook("new", "scenario", "a-new-one", root=root)
    assert result.returncode == 0, result.stderr
    text = (root / "data/scenarios/a-new-one.yaml").read_text(encoding="utf-8")
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    assert re.search(r'^owner: "@acme/editors"$', text, re.M), text
    assert re.search(rf"^reviewed: {today}$", text, re.M), text
    data = yaml.safe_load(text)
    assert (data["owner"], str(data["reviewed"])) == ("@acme/editors", today)


def test_new_leaves_owner_commented_when_the_playbook_names_none(tmp_path: Path) -> None:
    root = make_playbook(tmp_path)
    assert run_playbook("new", "principle", "a-principle", root=root).returncode == 0
    text = (root / "data/principles/a-principle.yaml").read_text(encoding="utf-8")
    assert "\n# owner:\n" in text and not re.search(r"^owner:", text, re.M)
    assert re.search(r"^reviewed: \d{4}-\d\d-\d\d$", text, re.M)
