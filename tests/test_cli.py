"""The `playbook` command end to end: exit codes, report formats, `new` and `schemas`, each through the real CLI."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any, Iterator

import jsonschema
import pytest

from playbook.core.diagnostics import ERROR, WARNING, Diagnostic, Report
from playbook.core.formats import FORMATS
from playbook.records.load import parse_text
from playbook.records.schema_source import KINDS, SINGULAR
from support import DIAGNOSTIC, INVALID, REPO, VALID, diagnostic_lines, make_playbook, run_playbook

SCENARIO = VALID / "scenarios" / "my-manager-micromanages.yaml"
ODD_NAME = "data/scenarios/odd:name,1.yaml"


def _missing_scripts(root: Path) -> None:
    """A scenario missing two scripts, and the one rule that reports it (a checklist-science rule) turned on."""
    shutil.copyfile(INVALID / "scenario-missing-scripts.yaml", root / "data/scenarios/scenario-missing-scripts.yaml")
    (root / "mkdocs.yml").write_text("site_name: Test\nextra:\n  playbook:\n    lint:\n      scenario.scripts: warning\n",
                                     encoding="utf-8")


@pytest.fixture
def problems(tmp_path: Path) -> Path:
    """A playbook with two errors (one in a file named with ':' and ',', one holding '%') and one warning."""
    root = make_playbook(tmp_path)
    text = SCENARIO.read_text(encoding="utf-8").replace("difficulty: medium", "difficulty: 100%")
    (root / ODD_NAME).write_text(text, encoding="utf-8")
    _missing_scripts(root)
    return root


NAME_ERROR = ("file name 'odd:name,1.yaml' breaks the id rule: use lowercase words and digits joined by single "
              "hyphens, e.g. odd-name-1.yaml")
ENUM_ERROR = "'100%' is not one of: easy, medium, hard"
SCRIPTS_WARNING = "add a script for asking, pushback: what the reader can say"
MISSING_SCRIPTS = "data/scenarios/scenario-missing-scripts.yaml"


@pytest.mark.own_fixtures
def test_validate_clean_exits_0(tmp_path: Path) -> None:
    """A clean playbook exits 0 with the summary on stdout and the timing on stderr."""
    result = run_playbook("validate", root=make_playbook(tmp_path))
    assert result.returncode == 0
    assert result.stdout == "6 file(s) checked: 0 error(s), 0 warning(s); validation passed\n"
    assert re.fullmatch(r"checked in \d+\.\d\d s\n", result.stderr)


@pytest.mark.own_fixtures
def test_validate_text_format(problems: Path) -> None:
    """The text report: one sorted `file:line:col: severity: field: message [rule]` line per problem, then a summary."""
    result = run_playbook("validate", root=problems)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{ODD_NAME}:1:1: error: {NAME_ERROR} [file.name]",
        f"{ODD_NAME}:35:13: error: difficulty: {ENUM_ERROR} [schema.enum]",
        f"{MISSING_SCRIPTS}:17:3: warning: scripts: {SCRIPTS_WARNING} [scenario.scripts]",
        "8 file(s) checked: 2 error(s), 1 warning(s); validation failed",
    ]


@pytest.mark.own_fixtures
def test_validate_warnings_pass_unless_strict(tmp_path: Path) -> None:
    """Warnings alone exit 0; --strict turns them into a failure (exit 1) and says so."""
    root = make_playbook(tmp_path)
    _missing_scripts(root)
    warning = f"{MISSING_SCRIPTS}:17:3: warning: scripts: {SCRIPTS_WARNING} [scenario.scripts]"
    lenient = run_playbook("validate", root=root)
    assert (lenient.returncode, lenient.stdout.splitlines()) == (
        0, [warning, "7 file(s) checked: 0 error(s), 1 warning(s); validation passed (CI runs --strict, where these warnings fail)"])
    strict = run_playbook("validate", "--strict", root=root)
    assert (strict.returncode, strict.stdout.splitlines()) == (1, [
        warning,
        "7 file(s) checked: 0 error(s), 1 warning(s); validation failed (warnings count as errors under --strict)"])


@pytest.mark.own_fixtures
def test_validate_json_format(problems: Path) -> None:
    """--format json prints one document with counts, the verdict and every diagnostic's fields."""
    result = run_playbook("validate", "--format", "json", root=problems)
    assert (result.returncode, result.stderr) == (1, "")
    expected = {
        "files": 8, "errors": 2, "warnings": 1, "notices": 0, "ok": False,
        "diagnostics": [
            {"file": ODD_NAME, "line": 1, "column": 1, "severity": "error", "rule": "file.name", "field": "",
             "message": NAME_ERROR},
            {"file": ODD_NAME, "line": 35, "column": 13, "severity": "error", "rule": "schema.enum",
             "field": "difficulty", "message": ENUM_ERROR},
            {"file": MISSING_SCRIPTS, "line": 17, "column": 3, "severity": "warning", "rule": "scenario.scripts",
             "field": "scripts", "message": SCRIPTS_WARNING},
        ],
    }
    assert result.stdout == json.dumps(expected, indent=2) + "\n"


@pytest.mark.own_fixtures
def test_validate_json_strict_verdict(tmp_path: Path) -> None:
    """In JSON, `ok` follows --strict: a warning-only playbook is ok, except under --strict."""
    root = make_playbook(tmp_path)
    _missing_scripts(root)
    assert json.loads(run_playbook("validate", "--format", "json", root=root).stdout)["ok"] is True
    strict = run_playbook("validate", "--format", "json", "--strict", root=root)
    assert strict.returncode == 1 and json.loads(strict.stdout)["ok"] is False


@pytest.mark.own_fixtures
def test_validate_github_format(problems: Path, tmp_path: Path) -> None:
    """--format github: escaped workflow commands, warnings as warnings, a summary line and the job summary table."""
    summary = tmp_path / "step-summary.md"
    result = run_playbook("validate", "--format", "github", root=problems, env={"GITHUB_STEP_SUMMARY": str(summary)})
    odd = "data/scenarios/odd%3Aname%2C1.yaml"
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [
        f"::error file={odd},line=1,col=1::{NAME_ERROR} [file.name]",
        f"::error file={odd},line=35,col=13::difficulty: '100%25' is not one of: easy, medium, hard [schema.enum]",
        f"::warning file={MISSING_SCRIPTS},line=17,col=3::scripts: {SCRIPTS_WARNING} [scenario.scripts]",
        "8 file(s) checked: 2 error(s), 1 warning(s); validation failed",
    ]
    assert summary.read_text(encoding="utf-8").splitlines() == [
        "### playbook validate", "", "2 error(s), 1 warning(s)", "",
        "| file | line | severity | problem | rule |", "|---|---|---|---|---|",
        f"| `{ODD_NAME}` | 1:1 | error | {NAME_ERROR} | `file.name` |",
        f"| `{ODD_NAME}` | 35:13 | error | {ENUM_ERROR} | `schema.enum` |",
        f"| `{MISSING_SCRIPTS}` | 17:3 | warning | {SCRIPTS_WARNING} | `scenario.scripts` |",
    ]


@pytest.mark.own_fixtures
def test_validate_github_strict_makes_warnings_errors(problems: Path) -> None:
    """Under --strict the warning is annotated as an error, since it fails the run."""
    result = run_playbook("validate", "--format", "github", "--strict", root=problems)
    assert result.returncode == 1
    assert f"::error file={MISSING_SCRIPTS},line=17,col=3::scripts: {SCRIPTS_WARNING} [scenario.scripts]" in (
        result.stdout.splitlines())


@pytest.mark.own_fixtures
@pytest.mark.parametrize("count", [10, 11])
def test_validate_github_notice_past_ten(tmp_path: Path, count: int) -> None:
    """GitHub shows 10 annotations per step: past that, a notice says how many there are."""
    root = make_playbook(tmp_path)
    for n in range(count):
        (root / f"data/scenarios/empty-{n:02}.yaml").write_text("", encoding="utf-8")
    lines = run_playbook("validate", "--format", "github", root=root).stdout.splitlines()
    assert lines[0] == ("::error file=data/scenarios/empty-00.yaml,line=1,col=1::"
                        "the file is empty; add the record's fields (see `playbook new`) [file.empty]")
    assert all(line.startswith("::error file=data/scenarios/empty-") for line in lines[:count])
    notice = ("::notice title=playbook validate::11 problems found; GitHub shows only the first 10 annotations of a "
              "step: run `playbook validate` locally for all")
    summary = f"{6 + count} file(s) checked: {count} error(s), 0 warning(s); validation failed"
    assert lines[count:] == ([notice, summary] if count > 10 else [summary])


@pytest.mark.own_fixtures
def test_github_escapes_newlines_and_percent() -> None:
    """Data escapes %, CR and LF; properties also escape ':' and ','."""
    report = Report([Diagnostic("data/a,b:c.yaml", 2, 3, ERROR, "100%\r\nsure", "x.y", "f"),
                     Diagnostic("data/d.yaml", 1, 1, WARNING, "w", "x.z")], files=2)
    assert FORMATS["github"](report, False).splitlines() == [
        "::error file=data/a%2Cb%3Ac.yaml,line=2,col=3::f: 100%25%0D%0Asure [x.y]",
        "::warning file=data/d.yaml,line=1,col=1::w [x.z]",
        "2 file(s) checked: 1 error(s), 1 warning(s); validation failed",
    ]


@pytest.mark.own_fixtures
@pytest.mark.parametrize("args, message", [
    (["validate", "--format", "xml"], "argument --format: invalid choice: 'xml'"),
    (["frobnicate"], "argument COMMAND: invalid choice: 'frobnicate'"),
    (["validate", "--strickt"], "unrecognized arguments: --strickt"),
])
def test_misuse_exits_2(tmp_path: Path, args: list[str], message: str) -> None:
    """Bad options and unknown commands exit 2 with a usage line and the reason."""
    result = run_playbook(*args, root=make_playbook(tmp_path))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("usage: playbook") and f"playbook: error: {message}" in result.stderr


def test_no_command_exits_2() -> None:
    """`playbook` alone prints the help on stderr and exits 2."""
    result = run_playbook()
    assert result.returncode == 2 and "validate" in result.stderr and "COMMAND" in result.stderr


@pytest.mark.own_fixtures
@pytest.mark.parametrize("layout", ["no-data", "empty-data"])
def test_validate_without_records_exits_2(tmp_path: Path, layout: str) -> None:
    """Validating a folder with no records is misuse (wrong folder), not a clean pass."""
    if layout == "empty-data":
        for kind in KINDS:
            (tmp_path / "data" / kind).mkdir(parents=True)
    result = run_playbook("validate", root=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (f"playbook: error: no records found under {tmp_path / 'data'}; "
                             "run from the playbook's folder or pass --root\n")


EMPTY_FIELD = re.compile(r"^\s*(- )?([a-z_]+:|-)$")


@pytest.mark.parametrize("kind", KINDS)
def test_new_template_fails_only_on_empty_fields(tmp_path: Path, kind: str) -> None:
    """`new` writes a commented template; every error it then gets points at a field still left empty."""
    root = make_playbook(tmp_path)
    result = run_playbook("new", SINGULAR[kind], "a-new-record", root=root)
    path = f"data/{kind}/a-new-record.yaml"
    assert (result.returncode, result.stdout) == (
        0, f"created {path}: fill the empty fields, then run `playbook validate`\n")
    lines = (root / path).read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"
    assert (REPO / "data" / kind / "../../schemas" / f"{kind}.schema.json").resolve().is_file()
    report = run_playbook("validate", root=root)
    assert report.returncode == 1
    found = [DIAGNOSTIC.match(line) for line in diagnostic_lines(report.stdout)]
    errors = [m for m in found if m and m["severity"] == "error"]
    assert errors and all(m["file"] == path for m in errors)
    for m in errors:
        assert m["rule"] in ("schema.type", "schema.min-items"), m.string
        assert EMPTY_FIELD.match(lines[int(m["line"]) - 1]), m.string
    assert {m["rule"] for m in found if m and m["severity"] == "warning"} <= {"ref.unreferenced"}


@pytest.mark.own_fixtures
def test_new_accepts_plural_kind(tmp_path: Path) -> None:
    """The kind may be given as the folder name too."""
    result = run_playbook("new", "checklists", "before-a-review", root=make_playbook(tmp_path))
    assert result.returncode == 0 and (tmp_path / "data/checklists/before-a-review.yaml").is_file()


@pytest.mark.own_fixtures
def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    """`new` on an existing id exits 1 and leaves the file as it was."""
    root = make_playbook(tmp_path)
    existing = root / "data/scenarios/my-manager-micromanages.yaml"
    before = existing.read_bytes()
    result = run_playbook("new", "scenario", "my-manager-micromanages", root=root)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("playbook: error: data/scenarios/my-manager-micromanages.yaml already exists; "
                             "not overwriting it (pick another id or edit it)\n")
    assert existing.read_bytes() == before


@pytest.mark.own_fixtures
@pytest.mark.parametrize("record_id, suggestion", [("Bad_Id", "bad-id"), ("double--hyphen", "double-hyphen"),
                                                   ("trailing-", "trailing")])
def test_new_rejects_bad_id(tmp_path: Path, record_id: str, suggestion: str) -> None:
    """A bad id is misuse (exit 2): the message names the id rule, suggests a fix and writes nothing."""
    result = run_playbook("new", "scenario", record_id, root=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (f"playbook: error: {record_id!r} is not a valid id: use lowercase words and digits joined "
                             f"by single hyphens (rule ^[a-z0-9]+(-[a-z0-9]+)*$), e.g. {suggestion!r}\n")
    assert not (tmp_path / "data").exists()


@pytest.mark.own_fixtures
def test_new_rejects_unknown_kind(tmp_path: Path) -> None:
    """An unknown kind is misuse, and the message lists the kinds."""
    result = run_playbook("new", "recipe", "pancakes", root=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("playbook: error: unknown kind 'recipe'; use one of: principle, step, pitfall, checklist, "
                             "scenario\n")


def test_schemas_check_passes_on_the_repo() -> None:
    """The checked-in schemas are exactly what the schema source generates."""
    result = run_playbook("schemas", "--check", root=REPO)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.own_fixtures
def test_schemas_check_fails_on_a_stale_copy(tmp_path: Path) -> None:
    """A hand-edited schema is reported stale (exit 1) until `schemas --write` regenerates it."""
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    stale = tmp_path / "schemas" / "steps.schema.json"
    stale.write_text(stale.read_text(encoding="utf-8").replace('"maximum": 99', '"maximum": 100'), encoding="utf-8")
    check = run_playbook("schemas", "--check", root=tmp_path)
    assert (check.returncode, check.stdout) == (1, f"stale: {stale.as_posix()}\n")
    assert check.stderr == "run `playbook schemas --write` and commit the result\n"
    write = run_playbook("schemas", "--write", root=tmp_path)
    assert (write.returncode, write.stdout) == (0, f"wrote: {stale.as_posix()}\n")
    assert stale.read_bytes() == (REPO / "schemas" / "steps.schema.json").read_bytes()
    assert run_playbook("schemas", "--check", root=tmp_path).returncode == 0


@pytest.mark.own_fixtures
def test_a_stale_settings_schema_is_reported_and_rewritten(tmp_path: Path) -> None:
    """schemas/settings.schema.json (mkdocs.yml's extra.playbook) is generated from the settings schema too."""
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    stale = tmp_path / "schemas" / "settings.schema.json"
    stale.write_text(stale.read_text(encoding="utf-8").replace('"maxItems": 4', '"maxItems": 5'), encoding="utf-8")
    check = run_playbook("schemas", "--check", root=tmp_path)
    assert (check.returncode, check.stdout) == (1, f"stale: {stale.as_posix()}\n")
    stale.unlink()
    write = run_playbook("schemas", "--write", root=tmp_path)
    assert (write.returncode, write.stdout) == (0, f"wrote: {stale.as_posix()}\n")
    assert stale.read_bytes() == (REPO / "schemas" / "settings.schema.json").read_bytes()


def _published() -> list[tuple[str, dict[str, Any]]]:
    schemas = REPO / "schemas"
    return [(kind, json.loads((schemas / f"{kind}.schema.json").read_text(encoding="utf-8"))) for kind in KINDS]


# Every keyword Draft 7 defines: 2020-12-only ones ($defs, prefixItems, unevaluated*, ...) are left out on purpose.
DRAFT7_KEYWORDS = {
    "$schema", "$id", "$ref", "$comment", "title", "description", "default", "readOnly", "writeOnly", "examples",
    "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
    "additionalItems", "items", "maxItems", "minItems", "uniqueItems", "contains", "maxProperties", "minProperties",
    "required", "additionalProperties", "definitions", "properties", "patternProperties", "dependencies",
    "propertyNames", "const", "enum", "type", "format", "contentMediaType", "contentEncoding", "if", "then", "else",
    "allOf", "anyOf", "oneOf", "not",
}


def _subschemas(node: dict[str, Any], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    yield where, node
    for key in ("properties", "definitions"):
        for name, child in node.get(key, {}).items():
            yield from _subschemas(child, f"{where}/{key}/{name}")
    if isinstance(node.get("items"), dict):
        yield from _subschemas(node["items"], f"{where}/items")
    for i, child in enumerate(node.get("anyOf", [])):
        yield from _subschemas(child, f"{where}/anyOf/{i}")


@pytest.mark.own_fixtures
@pytest.mark.parametrize("kind, schema", _published(), ids=KINDS)
def test_published_schema_is_valid_2020_12_and_draft_7(kind: str, schema: dict[str, Any]) -> None:
    """Both drafts accept the schema, and it uses only keywords Draft 7 knows, so editors and CI agree."""
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft7Validator.check_schema(schema)
    for where, node in _subschemas(schema, kind):
        assert set(node) <= DRAFT7_KEYWORDS, f"{where}: {set(node) - DRAFT7_KEYWORDS}"


@pytest.mark.own_fixtures
@pytest.mark.parametrize("kind, schema", _published(), ids=KINDS)
def test_published_schema_documents_every_property(kind: str, schema: dict[str, Any]) -> None:
    """Every property has a description and examples, and each example is valid for its property."""
    validator = jsonschema.Draft202012Validator
    for where, node in _subschemas(schema, kind):
        for name, prop in node.get("properties", {}).items():
            assert prop.get("description"), f"{where}/{name} has no description"
            assert prop.get("examples"), f"{where}/{name} has no examples"
            for example in prop["examples"]:
                subschema = {**prop, "definitions": schema["definitions"]}
                assert not list(validator(subschema).iter_errors(example)), f"{where}/{name}: bad example {example!r}"


@pytest.mark.own_fixtures
@pytest.mark.parametrize("kind", KINDS)
def test_editors_and_ci_agree(kind: str) -> None:
    """Draft 7 (what editors run) accepts the valid example and rejects a misspelt field, as CI does."""
    schema = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    for file in sorted((VALID / kind).glob("*.yaml")):
        record = parse_text(file.read_text(encoding="utf-8"), file.name, kind, file.stem).record
        assert record is not None
        for cls in (jsonschema.Draft7Validator, jsonschema.Draft202012Validator):
            assert not list(cls(schema).iter_errors(record.data))
            assert list(cls(schema).iter_errors({**record.data, "titel": "x"}))


@pytest.mark.own_fixtures
def test_new_outside_a_playbook_is_refused(tmp_path: Path) -> None:
    """`new` run from a folder without data/ or mkdocs.yml says so instead of writing a stray data/ tree."""
    result = run_playbook("new", "scenario", "my-play", root=tmp_path)
    assert result.returncode == 2
    assert "holds no playbook (no data/ folder or mkdocs.yml)" in result.stderr
    assert not (tmp_path / "data").exists()


@pytest.mark.own_fixtures
def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """`playbook rules | head -1` where head has already gone: the write fails, and the command ends quietly."""
    import os
    import subprocess
    import sys

    make_playbook(tmp_path)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has stopped reading: every write now fails with EPIPE
    try:
        writer = subprocess.run([sys.executable, "-m", "playbook.cli", "--root", str(tmp_path), "rules"],
                                stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write_end)
    assert "Traceback" not in writer.stderr and "BrokenPipeError" not in writer.stderr, writer.stderr
    assert writer.returncode == 0
