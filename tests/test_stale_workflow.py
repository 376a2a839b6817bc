"""The weekly review workflow (.github/workflows/stale.yml): least privilege, pinned actions, and one issue kept up
to date, its script run for real against a stand-in `gh` that remembers the repository's issues. Also: the publish
workflow fetches the history the what's new page and the feeds are made from."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from playbook.records.load import Yaml12Loader
from support import make_playbook

pytestmark = pytest.mark.own_fixtures

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "stale.yml"
MARKER = "<!-- playbook: records due for review -->"

# A stand-in for the GitHub CLI: issues live in a JSON file; `issue list` honours --jq through the real jq.
FAKE_GH = r'''#!/usr/bin/env python3
import json, subprocess, sys
store = sys.argv[0] + ".issues.json"
issues = json.load(open(store))
args = sys.argv[1:]
with open(sys.argv[0] + ".log", "a") as log:
    log.write(json.dumps(args) + "\n")
def opt(name):
    return args[args.index(name) + 1] if name in args else None
def body():
    return open(opt("--body-file")).read()
if args[:2] == ["issue", "list"]:
    out = json.dumps(issues)
    if opt("--jq"):
        out = subprocess.run(["jq", "-r", opt("--jq")], input=out, capture_output=True, text=True, check=True).stdout
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
elif args[:2] == ["issue", "create"]:
    issues.append({"number": len(issues) + 1, "state": "OPEN", "title": opt("--title"), "body": body(),
                   "author": {"login": "app/github-actions", "is_bot": True}})
elif args[:2] == ["issue", "edit"]:
    issue = next(i for i in issues if i["number"] == int(args[2]))
    issue["body"] = body()
    issue["title"] = opt("--title") or issue["title"]
elif args[:2] in (["issue", "close"], ["issue", "reopen"]):
    next(i for i in issues if i["number"] == int(args[2]))["state"] = "CLOSED" if args[1] == "close" else "OPEN"
else:
    sys.exit("unexpected gh call: %r" % args)
json.dump(issues, open(store, "w"))
'''


def _workflow() -> dict:
    return yaml.load(WORKFLOW.read_text(encoding="utf-8"), Loader=Yaml12Loader)


def test_the_workflow_may_write_issues_and_nothing_else() -> None:
    workflow = _workflow()
    assert workflow["permissions"] == {"issues": "write"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    assert len(workflow["on"]["schedule"]) == 1


def test_the_workflow_pins_its_actions_to_commits() -> None:
    for line in WORKFLOW.read_text(encoding="utf-8").splitlines():
        if "uses:" in line:
            assert re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line
    ci = (REPO / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    for action, ref in re.findall(r"uses: ([\w.-]+/[\w.-]+)@(\S+)", WORKFLOW.read_text(encoding="utf-8")):
        assert f"{action}@{ref}" in ci, f"{action}: use the commit ci.yml pins"


def test_the_publish_workflow_fetches_the_whole_history() -> None:
    publish = yaml.load((REPO / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"),
                        Loader=Yaml12Loader)
    checkout = next(s for s in publish["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0


@pytest.fixture
def world(tmp_path: Path) -> dict:
    """A playbook with one record reviewed long ago, a stand-in `gh`, and the script of the workflow's issue step."""
    if shutil.which("jq") is None or shutil.which("bash") is None:
        pytest.fail("jq and bash are needed (GitHub's runners have both)", pytrace=False)
    root = make_playbook(tmp_path / "playbook")
    path = root / "data" / "principles" / "no-surprises.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: No surprises\n",
                                                             "title: No | <b>surprises</b>\nreviewed: 2020-01-31\n"),
                    encoding="utf-8")
    step_path = root / "data" / "steps" / "warn-early-about-risks.yaml"  # one record names no owner
    step_path.write_text(step_path.read_text(encoding="utf-8").replace('owner: "@docs-team"\n', ""), encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH, encoding="utf-8")
    gh.chmod(0o755)
    (bin_dir / "gh.issues.json").write_text("[]", encoding="utf-8")
    step = next(s for s in _workflow()["jobs"]["report"]["steps"] if s.get("name") == "Open or update the review issue")
    runner = tmp_path / "runner"
    runner.mkdir()
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "RUNNER_TEMP": str(runner), "FILES": "https://github.example/acme/handbook/blob/abc123/",
           "GH_TOKEN": "x", "GH_REPO": "acme/handbook"}
    return {"root": root, "script": step["run"], "env": env, "issues": bin_dir / "gh.issues.json",
            "log": bin_dir / "gh.log", "record": path}


def _run(world: dict) -> list:
    result = subprocess.run(["bash", "-c", world["script"]], cwd=world["root"], env=world["env"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(world["issues"].read_text(encoding="utf-8"))


def test_one_issue_is_opened_then_edited_reopened_and_closed(world: dict) -> None:
    issues = _run(world)
    assert [(i["number"], i["state"], i["title"]) for i in issues] == [(1, "OPEN", "Records due for review")]
    body = issues[0]["body"]
    assert body.startswith(MARKER)
    row = next(line for line in body.splitlines() if "no-surprises" in line)
    assert row == ("| [No    b surprises /b ](https://github.example/acme/handbook/blob/abc123/"
                   "data/principles/no-surprises.yaml#L3) | 2020-01-31 | @docs-team |")
    assert "| never | none named |" in body  # the examples' other records name no date and no owner

    issues = _run(world)  # a week later: the same issue, edited
    assert [(i["number"], i["state"]) for i in issues] == [(1, "OPEN")]

    issues[0]["state"] = "CLOSED"  # someone closed it; records are still due: it is reopened, not duplicated
    issues.append({"number": 2, "state": "OPEN", "title": "x", "body": MARKER,
                   "author": {"login": "someone", "is_bot": False}})  # not ours: never taken over
    world["issues"].write_text(json.dumps(issues), encoding="utf-8")
    issues = _run(world)
    assert [(i["number"], i["state"]) for i in issues] == [(1, "OPEN"), (2, "OPEN")]
    assert issues[1]["body"] == MARKER

    (world["root"] / "mkdocs.yml").write_text("site_name: T\nextra:\n  playbook:\n    freshness:\n"
                                              "      max_age_days: 36500\n", encoding="utf-8")
    for path in (world["root"] / "data").rglob("*.yaml"):
        if "reviewed:" not in path.read_text(encoding="utf-8"):
            path.write_text(path.read_text(encoding="utf-8").replace("\ntitle:", "\nreviewed: 2026-01-01\ntitle:", 1)
                            if "\ntitle:" in path.read_text(encoding="utf-8") else
                            "reviewed: 2026-01-01\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    issues = _run(world)  # nothing due: the issue says so and is closed
    assert [(i["number"], i["state"]) for i in issues][0] == (1, "CLOSED")
    assert issues[0]["body"].splitlines() == [MARKER, "No record is due for review."]
    calls = [json.loads(line)[:2] for line in world["log"].read_text(encoding="utf-8").splitlines()]
    assert calls.count(["issue", "create"]) == 1
