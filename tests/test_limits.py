"""Limits on what a playbook's records may cost (issue 22): values per file, record count, total bytes.

Each is configurable under `extra.playbook.limits` and refused with one located line, in well under a second.
"""
from __future__ import annotations

import dataclasses
import gc
import time
import tracemalloc
from pathlib import Path

import pytest

from playbook.records import load
from playbook.records.load import Limits
from playbook.records.validate import validate
from support import DIAGNOSTIC, REPO, diagnostic_lines, make_playbook, run_playbook

pytestmark = pytest.mark.own_fixtures

MIB = 1024 * 1024


def _one_mib_record(root: Path) -> Path:
    """A scenario of exactly 1 MiB (the per-file limit) made of the cheapest values to write: `[a,a,a,...]`."""
    path = root / "data" / "scenarios" / "big.yaml"
    head = "title: Big\nsummary: A record of one mebibyte.\nx: ["
    inner = "[" + ",".join(["a"] * 999) + "]"
    body = ",".join([inner] * ((MIB - len(head)) // (len(inner) + 1)))
    text = head + body + "]\n"
    path.write_text(text + " " * (MIB - len(text.encode()) - 1) + "\n", encoding="utf-8")
    assert path.stat().st_size == MIB
    return path


def _settings(root: Path, **limits: int) -> None:
    lines = "".join(f"      {key}: {value}\n" for key, value in limits.items())
    (root / "mkdocs.yml").write_text(f"site_name: Limits\nextra:\n  playbook:\n    limits:\n{lines}", encoding="utf-8")


def test_a_one_mib_record_is_refused_quickly_and_in_little_memory(tmp_path: Path) -> None:
    root = make_playbook(tmp_path / "pb")
    _one_mib_record(root)
    validate(root)  # imports and the other records, so what is measured below is the big record
    load.forget_parsed()
    gc.collect()
    tracemalloc.start()
    try:
        report, _ = validate(root)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * MIB, f"validating a 1 MiB record allocated {peak / MIB:.0f} MiB at its peak"
    load.forget_parsed()
    started = time.perf_counter()
    validate(root)
    took = time.perf_counter() - started
    assert took < 1.0, f"validating a 1 MiB record took {took:.2f} s"
    (line,) = [d for d in report.errors if d.file == "data/scenarios/big.yaml"]
    assert (line.rule, line.field, line.line) == ("yaml.too-many-values", "x", 3)
    assert line.message == "the file holds more than 10,000 values; split it up or shorten it"


def test_the_values_limit_is_a_setting(tmp_path: Path) -> None:
    root = make_playbook(tmp_path / "pb")
    _settings(root, max_values=20)
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    lines = [line for line in diagnostic_lines(result.stdout) if "[yaml.too-many-values]" in line]
    assert lines and all(DIAGNOSTIC.match(line)["message"].endswith("the file holds more than 20 values; split it up "
                                                                    "or shorten it") for line in lines)


def test_too_many_records_are_refused_with_one_located_line(tmp_path: Path) -> None:
    root = make_playbook(tmp_path / "pb")
    files, _ = load.record_files(root / "data")
    _settings(root, max_records=3)
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    fourth = files[3].relative_to(root).as_posix()
    assert diagnostic_lines(result.stdout) == [
        f"{fourth}:1:1: error: the playbook has {len(files):,} record files, over the limit of 3 "
        f"(extra.playbook.limits.max_records); this is the first one past it [file.too-many]"]


def test_too_many_bytes_together_are_refused_with_one_located_line(tmp_path: Path) -> None:
    root = make_playbook(tmp_path / "pb")
    files, _ = load.record_files(root / "data")
    sizes = [p.stat().st_size for p in files]
    limit = sum(sizes[:2]) + 1  # the third file takes the total past it
    _settings(root, max_total_bytes=limit)
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    third = files[2].relative_to(root).as_posix()
    assert diagnostic_lines(result.stdout) == [
        f"{third}:1:1: error: with this file the record files hold {sum(sizes[:3]):,} bytes, over the limit of "
        f"{limit:,} for all of them (extra.playbook.limits.max_total_bytes) [file.total-too-large]"]


def test_a_playbook_within_its_limits_is_unaffected(tmp_path: Path) -> None:
    root = make_playbook(tmp_path / "pb")
    files, _ = load.record_files(root / "data")
    _settings(root, max_records=len(files), max_total_bytes=sum(p.stat().st_size for p in files))
    assert run_playbook("validate", root=root).returncode == 0


def test_the_readme_states_every_limit_and_its_default() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for limit in dataclasses.fields(Limits):
        assert f"`{limit.name}`" in readme, limit.name
        assert f"{limit.default:,}" in readme, (limit.name, limit.default)
    assert "refused in milliseconds" not in readme
