"""Helpers shared by the engine tests: run the real CLI, and assemble and build small playbooks of their own.

Engine tests never read the repository's own content/ or mkdocs.yml: they build a playbook under tests/playbooks/
(which has its own mkdocs.yml and pages) or read ids and titles from whatever playbook the repository holds.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLAYBOOKS = REPO / "tests" / "playbooks"
BIN = Path(sys.executable).parent
# Variables from which the settings work out addresses: tests set them on purpose or not at all.
ADDRESS_VARIABLES = ("GITHUB_REPOSITORY", "GITHUB_SERVER_URL", "PLAYBOOK_SITE_URL")
EXAMPLES = REPO / "tests" / "examples"
VALID = EXAMPLES / "valid"
INVALID = EXAMPLES / "invalid"

# `file:line:col: severity: message [rule]`, the text format's diagnostic line.
DIAGNOSTIC = re.compile(r"^(?P<file>\S+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): (?P<message>.*) "
                        r"\[(?P<rule>[a-z0-9.-]+)\]$")


def run_playbook(*args: str, root: Path | None = None, env: dict[str, str] | None = None,
                 cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `playbook [--root ROOT] ARGS...` in a fresh interpreter, as a user would."""
    command = [sys.executable, "-m", "playbook.cli"]
    if root is not None:
        command += ["--root", str(root)]
    # Under GitHub Actions the CLI would append to the real job summary; tests pass their own file if they want one.
    full_env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    full_env.update({"PYTHONIOENCODING": "utf-8", **(env or {})})
    result = subprocess.run([*command, *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=60)
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def make_playbook(root: Path) -> Path:
    """Copy the valid examples into root/data (a clean, consistent playbook) and return root."""
    shutil.copytree(VALID, root / "data")
    return root


def diagnostic_lines(output: str) -> list[str]:
    """The `file:line:col: severity: ...` lines of a text report."""
    return [line for line in output.splitlines() if DIAGNOSTIC.match(line)]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without the CI variables that give a build its addresses, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in ADDRESS_VARIABLES and k != "GITHUB_STEP_SUMMARY"}
    env.update({"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", **extra})
    return env


def assemble(dest: Path, playbook: Path, data: Path | None = None) -> Path:
    """A buildable copy of a test playbook (its mkdocs.yml, content/ and data/, or `data` instead): the generator
    comes from the installed package, as it does for any team."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(playbook / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(playbook / "content", dest / "content")
    shutil.copytree(data or playbook / "data", dest / "data")
    return dest


def build(root: Path, *args: str, tool: str = "mkdocs", **env: str) -> subprocess.CompletedProcess[str]:
    """Run `<tool> build --strict` in root, writing root/site, with no address unless `env` gives one."""
    return subprocess.run([str(BIN / tool), "build", "--strict", "-f", "mkdocs.yml", "-d", "site", *args],
                          cwd=root, capture_output=True, text=True, env=clean_env(**env), timeout=300)
