"""Fuzzing in every CI run: thousands of mutated and generated records through `playbook validate`, never a traceback.

The engine is bench/fuzz.py (which also runs the long 10,000-file campaign). The run is seeded, so a failure
reproduces: PLAYBOOK_FUZZ_SEED picks another seed, PLAYBOOK_FUZZ_COUNT another budget.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from support import REPO, diagnostic_lines, run_playbook

pytestmark = pytest.mark.own_fixtures

SEED = int(os.environ.get("PLAYBOOK_FUZZ_SEED", "20261202"))
COUNT = int(os.environ.get("PLAYBOOK_FUZZ_COUNT", "2000"))


def _engine():
    spec = importlib.util.spec_from_file_location("playbook_fuzz", REPO / "bench" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


fuzz = _engine()


def test_fuzzed_records_never_crash_the_validator() -> None:
    """>= 2,000 fuzzed files in batches, in process: exit 0 or 1, one well-formed line per problem, no batch over 5 s."""
    result = fuzz.run(COUNT, SEED, batch=100, timeout=5.0)
    assert result.files == COUNT
    assert not result.findings, f"seed {SEED}:\n" + fuzz.report(result)


def test_fuzzed_batch_in_a_fresh_interpreter(tmp_path: Path) -> None:
    """The same guarantees from the installed command's real entry point, output encoding and exit code."""
    fuzzer = fuzz.Fuzzer(SEED + 1)
    cases = [fuzzer.case(i) for i in range(150)]
    root = tmp_path / "playbook"
    fuzz._playbook(root, cases)
    result = run_playbook("validate", root=root)  # asserts no traceback
    assert result.returncode in (0, 1), result.stderr
    assert fuzz.check_output(result.returncode, result.stdout, result.stderr, "") == []
    assert len(diagnostic_lines(result.stdout)) >= len(cases) // 2, "most fuzzed files are reported"


def test_fuzzer_is_reproducible() -> None:
    """One seed, one set of files: a CI failure can be replayed locally with PLAYBOOK_FUZZ_SEED."""
    first, second = fuzz.Fuzzer(7), fuzz.Fuzzer(7)
    assert [first.case(i).data for i in range(50)] == [second.case(i).data for i in range(50)]
