"""Example-driven tests: the valid examples form a clean playbook; each invalid case fails with its pinned lines.

An invalid case is one YAML file under tests/examples/invalid/ whose leading comment lines say how to run it:

    # case: what the case shows (required)
    # path: data/checklists/prepare-for-a-1-1.yaml   (where it goes; default data/scenarios/<stem>.yaml)
    # args: --strict                                  (extra `playbook validate` arguments; optional)
    # profile: checklist-science                      (the lint profile the playbook opts into; optional)
    # expect: data/...:12:5: error: ... [rule]        (one per diagnostic, in output order; required)

The case is copied, byte for byte, into a temporary playbook made of the valid examples (replacing the example
at the same path, if any) and `playbook validate` must exit 1 and print exactly the expected diagnostic lines.
"""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

from playbook.records.load import parse_text
from playbook.records.pipeline import validated_playbook
from playbook.records.schema_source import KINDS, SCHEMAS
from support import DIAGNOSTIC, INVALID, VALID, diagnostic_lines, make_playbook, run_playbook

pytestmark = pytest.mark.own_fixtures

HEADER_KEYS = {"case", "path", "args", "profile", "expect"}
REQUIRED_CASES = {
    "yaml-syntax-error", "missing-required-field", "wrong-type", "misspelt-field", "duplicate-key",
    "unknown-reference", "bad-file-name", "empty-file", "python-tag", "alias-bomb", "yaml-1-1-traps",
    "block-scalar-title", "checklist-too-many-items", "checklist-item-too-long", "checklist-vague-verb",
    "checklist-read-do-no-verb", "checklist-no-closing-item", "checklist-no-item-invites-talk",
    "checklist-critical-not-first", "checklist-two-actions", "scenario-move-without-verb",
    "scenario-follow-up-without-deadline", "scenario-missing-scripts", "step-order-duplicate",
    "checklist-do-confirm-command", "question-bank-too-few-prompts", "question-bank-prompt-not-a-question",
}


@dataclass(frozen=True)
class Case:
    """One invalid example and the result it pins."""

    file: Path
    description: str
    path: str
    args: tuple[str, ...]
    expect: tuple[str, ...]
    profile: str = ""


def read_case(file: Path) -> Case:
    """Parse the `# key: value` header of an invalid case."""
    header: dict[str, list[str]] = {}
    for line in file.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].strip().partition(": ")
        assert sep and key in HEADER_KEYS, f"{file.name}: unknown header line {line!r}"
        header.setdefault(key, []).append(value)
    assert header.get("case") and header.get("expect"), f"{file.name}: needs '# case:' and '# expect:' lines"
    return Case(file, header["case"][0], header.get("path", [f"data/scenarios/{file.stem}.yaml"])[0],
                tuple(" ".join(header.get("args", [])).split()), tuple(header["expect"]), header.get("profile", [""])[0])


CASES = [read_case(f) for f in sorted(INVALID.glob("*.yaml"))]


def test_every_required_case_exists() -> None:
    """The cases the core promises to catch are all present."""
    assert REQUIRED_CASES <= {c.file.stem for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.file.stem for c in CASES])
def test_invalid_case(case: Case, tmp_path: Path) -> None:
    """The case fails validation with exactly its pinned diagnostics, and nothing in it runs."""
    for line in case.expect:
        assert DIAGNOSTIC.match(line), f"{case.file.name}: malformed expect line {line!r}"
    root = make_playbook(tmp_path / "playbook")
    if case.profile:
        (root / "mkdocs.yml").write_text(f"site_name: Examples\nextra:\n  playbook:\n    lint:\n      profile: {case.profile}\n",
                                         encoding="utf-8")
    target = root / case.path
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(case.file, target)
    result = run_playbook("validate", *case.args, root=root, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert diagnostic_lines(result.stdout) == list(case.expect)
    assert not (tmp_path / "pwned").exists()


def test_valid_examples_pass_strict(tmp_path: Path) -> None:
    """The valid examples form a clean playbook, even under --strict."""
    result = run_playbook("validate", "--strict", root=make_playbook(tmp_path))
    assert (result.returncode, result.stdout) == (0, "6 file(s) checked: 0 error(s), 0 warning(s); validation passed\n")
    assert sorted({p.parent.name for p in VALID.glob("*/*.yaml")}) == sorted(KINDS)


def _schema_fields(node: dict[str, Any], root: dict[str, Any], prefix: str = "") -> Iterator[str]:
    if "$ref" in node:
        target: Any = root
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    for branch in node.get("anyOf", []):
        yield from _schema_fields(branch, root, prefix)
    if "items" in node:
        yield from _schema_fields(node["items"], root, prefix)
    for key, child in node.get("properties", {}).items():
        yield f"{prefix}{key}"
        yield from _schema_fields(child, root, f"{prefix}{key}.")


def _data_fields(value: Any, prefix: str = "") -> Iterator[str]:
    if isinstance(value, list):
        for item in value:
            yield from _data_fields(item, prefix)
    elif isinstance(value, dict):
        for key, child in value.items():
            yield f"{prefix}{key}"
            yield from _data_fields(child, f"{prefix}{key}.")


@pytest.mark.parametrize("kind", KINDS)
def test_valid_example_uses_every_field(kind: str) -> None:
    """Each kind's examples together fill every field its schema defines, nested ones included."""
    used: set[str] = set()
    for file in sorted((VALID / kind).glob("*.yaml")):
        result = parse_text(file.read_text(encoding="utf-8"), f"data/{kind}/{file.name}", kind, file.stem)
        assert result.record is not None, result.diagnostics
        used |= set(_data_fields(result.record.data))
    # Except `reviewed`: a fixed review date in the examples every test builds on would fall due for review as time
    # passes and change their output (test_freshness.py writes dates into its own copies).
    unused = set(_schema_fields(SCHEMAS[kind], SCHEMAS[kind])) - used - {"reviewed"}
    assert not unused, f"the {kind} examples leave out {sorted(unused)}"


def test_valid_examples_resolve_into_a_graph(tmp_path: Path) -> None:
    """References resolve both ways: records link to each other and collect their backlinks."""
    playbook = validated_playbook(make_playbook(tmp_path), strict=True)
    scenario = playbook.scenarios["my-manager-micromanages"]
    other = playbook.scenarios["i-will-miss-a-deadline"]
    checklist = playbook.checklists["prepare-for-a-1-1"]
    principle = playbook.principles["no-surprises"]
    pitfall = playbook.pitfalls["hiding-bad-news"]
    step = playbook.steps["warn-early-about-risks"]
    both = [other, scenario]  # records resolve in id order
    assert scenario.checklist is checklist and checklist.scenarios == both
    assert principle.scenarios == both and principle.checklists == [checklist]
    assert principle.steps == [step] and principle.pitfalls == [pitfall]
    assert pitfall.principles == [principle] and pitfall.scenarios == both
    assert scenario.see_also == [other] and other.see_also == [] and scenario.steps == [step]
    assert step.scenarios == [scenario]
    guards = [(c.id, i.text) for c, i in pitfall.guarded_by]
    assert guards == [("prepare-for-a-1-1", "Write any risk to a date at the top")]
    assert checklist.items[0].critical and not checklist.items[5].critical


def test_non_utf8_and_blank_files(tmp_path: Path) -> None:
    """A Latin-1 file is reported at the offending byte, 0-byte and `---`-only files as empty, each on its own."""
    root = make_playbook(tmp_path)
    (root / "data/scenarios/latin-1.yaml").write_bytes(b"# saved by an old editor\ntitle: Coffee with Ren\xe9e\n")
    (root / "data/scenarios/blank.yaml").write_bytes(b"")
    (root / "data/scenarios/dashes.yaml").write_bytes(b"---\n")
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    empty = "error: the file is empty; add the record's fields (see `playbook new`) [file.empty]"
    assert diagnostic_lines(result.stdout) == [
        f"data/scenarios/blank.yaml:1:1: {empty}",
        f"data/scenarios/dashes.yaml:1:1: {empty}",
        "data/scenarios/latin-1.yaml:2:23: error: byte 0xe9 is not UTF-8; save the file as UTF-8 [file.encoding]",
    ]


def test_alias_bomb_fails_fast() -> None:
    """Aliases are refused without expanding them: a 9**30-node bomb is rejected in milliseconds."""
    levels = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 30)]
    for text in ((INVALID / "alias-bomb.yaml").read_text(encoding="utf-8"), "\n".join(levels) + "\n"):
        started = time.perf_counter()
        result = parse_text(text, "data/scenarios/bomb.yaml", "scenarios", "bomb")
        assert time.perf_counter() - started < 0.1
        assert result.record is None and [d.rule for d in result.diagnostics] == ["yaml.alias"]


def test_yaml_1_2_scalars() -> None:
    """Plain scalars follow YAML 1.2's core schema, not PyYAML's YAML 1.1 defaults."""
    text = "a: [1:1, no, on, off, yes, y, 012, 0o14, 0x1F, 1_000, 3.5, .inf, ~, null, '', true, False, 2024-01-02]\n"
    result = parse_text(text, "data/scenarios/x.yaml", "scenarios", "x")
    assert result.record is not None
    assert result.record.data == {"a": ["1:1", "no", "on", "off", "yes", "y", 12, 12, 31, "1_000", 3.5, float("inf"),
                                        None, None, "", True, False, "2024-01-02"]}
