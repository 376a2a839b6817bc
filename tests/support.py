"""Helpers shared by the core tests: run the real CLI and assemble small playbooks from the examples."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
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
