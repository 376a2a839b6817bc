"""The contributor's path stays true: outside schema checks, editor, pre-commit and CI config, the issue form, the guide."""
from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from playbook.cli import main as cli

from playbook.records import lint
from playbook.records.load import SLUG_RE
from playbook.cli.scaffold import kind_of, template
from playbook.records.schema_source import KINDS, SCHEMAS, SINGULAR

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "CONTRIBUTING.md"
PR_TEMPLATE = ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md"
ISSUE_FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "propose-a-record.yml"
ISSUE_CONFIG = ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml"
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
VSCODE = ROOT / ".vscode"
VALID_EXAMPLES = ROOT / "tests" / "examples" / "valid"

MODELINE = "# yaml-language-server: $schema=../../schemas/{kind}.schema.json"
MODELINE_KIND = re.compile(r"\$schema=\S*?schemas/([a-z]+)\.schema\.json")
# The id the guide uses in its worked example; placeholders in quoted commands are replaced by these.
GUIDE_ID = "our-weekly-review-runs-long"
PLACEHOLDERS = {"id": GUIDE_ID, "kind": "scenario", "your-user": "octocat", "number": "1"}


def _check_jsonschema() -> str:
    """The check-jsonschema executable installed beside this Python (a test dependency), else on PATH."""
    beside = Path(sys.executable).parent / "check-jsonschema"
    found = str(beside) if beside.exists() else shutil.which("check-jsonschema")
    if not found:
        pytest.fail("check-jsonschema is not installed; it is in the [test] extra: run `make test`")
    return found


def _run_check_jsonschema(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_check_jsonschema(), *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=300)


def _example_kind(path: Path) -> str | None:
    """A valid example's kind: from its modeline, else from the nearest folder named after a kind."""
    with path.open(encoding="utf-8") as handle:
        match = MODELINE_KIND.search(handle.readline())
    if match and match.group(1) in KINDS:
        return match.group(1)
    return next((parent.name for parent in path.parents if parent.name in KINDS), None)


def _records(kind: str) -> list[Path]:
    """Every shipped record of a kind, plus the valid test examples of that kind."""
    shipped = sorted((ROOT / "data" / kind).glob("*.yaml"))
    examples = sorted(p for p in VALID_EXAMPLES.rglob("*.yaml") if _example_kind(p) == kind) if VALID_EXAMPLES.is_dir() else []
    return shipped + examples


def _schema_path(kind: str) -> Path:
    return ROOT / "schemas" / f"{kind}.schema.json"


def _load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _write_record(path: Path, kind: str, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = MODELINE.format(kind=kind) + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    path.write_text(text, encoding="utf-8")
    return path


def _example(kind: str) -> dict[str, Any]:
    """A schema-valid record of the kind: the example the schema itself publishes."""
    return json.loads(json.dumps(SCHEMAS[kind]["examples"][0]))


@pytest.mark.own_fixtures
def test_schemas_folder_holds_one_schema_per_kind_and_the_settings_schema():
    assert sorted(p.name for p in (ROOT / "schemas").glob("*.schema.json")) == sorted(
        [f"{k}.schema.json" for k in KINDS] + ["settings.schema.json"])


# --- (a) an outside validator agrees with our schemas -------------------------------------------------------------


def test_there_are_records_for_the_outside_validator():
    counts = {kind: len(_records(kind)) for kind in KINDS}
    assert sum(counts.values()) > 0, f"no records in data/ or {VALID_EXAMPLES.relative_to(ROOT)}: {counts}"


@pytest.mark.parametrize("kind", KINDS)
def test_check_jsonschema_accepts_every_record(kind):
    files = _records(kind)
    if not files:
        pytest.skip(f"no {kind} yet in data/{kind}/ or the valid examples")
    result = _run_check_jsonschema("--schemafile", _schema_path(kind), *(p.relative_to(ROOT) for p in files))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_check_jsonschema_accepts_the_schema_example(kind, tmp_path):
    path = _write_record(tmp_path / kind / "example.yaml", kind, _example(kind))
    result = _run_check_jsonschema("--schemafile", _schema_path(kind), path)
    assert result.returncode == 0, result.stdout + result.stderr


def _misspelt(kind: str, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    return {("sumary" if k == "summary" else k): v for k, v in data.items()}, "'sumary' was unexpected"


def _wrong_type(kind: str, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    return {**data, "title": ["a list", "not text"]}, "is not of type 'string'"


def _missing(kind: str, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    field = next(f for f in SCHEMAS[kind]["required"] if f not in ("title", "summary"))
    return {k: v for k, v in data.items() if k != field}, f"'{field}' is a required property"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("breakage", [_misspelt, _wrong_type, _missing], ids=["misspelt-field", "wrong-type", "missing-field"])
def test_check_jsonschema_rejects_a_broken_record(kind, breakage, tmp_path):
    data, expected = breakage(kind, _example(kind))
    path = _write_record(tmp_path / kind / "broken.yaml", kind, data)
    result = _run_check_jsonschema("--schemafile", _schema_path(kind), path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert expected in result.stdout, result.stdout


# --- (b) pre-commit names every kind's schema and files -----------------------------------------------------------


def _pre_commit_repos() -> list[dict[str, Any]]:
    config = _load_yaml(PRE_COMMIT)
    assert isinstance(config, dict) and isinstance(config.get("repos"), list), "pre-commit config needs a `repos:` list"
    return config["repos"]


@pytest.mark.own_fixtures
def test_pre_commit_runs_check_jsonschema_once_per_kind():
    repos = [r for r in _pre_commit_repos() if r.get("repo") == "https://github.com/python-jsonschema/check-jsonschema"]
    assert len(repos) == 1, "pre-commit should use the check-jsonschema repository once"
    assert re.fullmatch(r"\d+\.\d+\.\d+", str(repos[0].get("rev"))), "pin check-jsonschema to a release tag"
    by_kind: dict[str, dict[str, Any]] = {}
    for hook in repos[0]["hooks"]:
        assert hook["id"] == "check-jsonschema", hook
        args = hook.get("args", [])
        assert "--schemafile" in args, hook
        schema = args[args.index("--schemafile") + 1]
        match = re.fullmatch(r"schemas/([a-z]+)\.schema\.json", schema)
        assert match and match.group(1) in KINDS, f"unknown schema {schema!r}"
        kind = match.group(1)
        assert kind not in by_kind, f"two hooks for {kind}"
        by_kind[kind] = hook
    assert sorted(by_kind) == sorted(KINDS), "every kind needs its own check-jsonschema hook"
    for kind, hook in by_kind.items():
        assert hook.get("files") == rf"^data/{kind}/.*\.yaml$", hook
        files = re.compile(hook["files"])
        assert files.search(f"data/{kind}/some-record.yaml")
        for other in KINDS:
            if other != kind:
                assert not files.search(f"data/{other}/some-record.yaml")
        assert not files.search(f"data/{kind}/notes.md")


@pytest.mark.own_fixtures
def test_pre_commit_runs_the_playbook_validator():
    hooks = [h for r in _pre_commit_repos() if r.get("repo") == "local" for h in r.get("hooks", [])]
    validate = [h for h in hooks if str(h.get("entry", "")).split()[:2] == [".venv/bin/playbook", "validate"]]
    assert len(validate) == 1, "a local hook should run `.venv/bin/playbook validate`"
    hook = validate[0]
    assert hook.get("language") == "system"
    assert hook.get("pass_filenames") is False
    files = re.compile(hook["files"])
    assert files.search("data/scenarios/x.yaml") and files.search("schemas/scenarios.schema.json")
    assert not files.search("README.md")
    _parse_cli(shlex.split(hook["entry"])[1:], f"pre-commit hook {hook['id']}")


# --- (c) the editor maps every kind -------------------------------------------------------------------------------


def test_vscode_settings_map_every_schema_to_its_records():
    settings = json.loads((VSCODE / "settings.json").read_text(encoding="utf-8"))
    mapping = settings.get("yaml.schemas")
    assert isinstance(mapping, dict), "settings.json needs a `yaml.schemas` mapping"
    globs_by_schema = {re.sub(r"^\./", "", schema): [globs] if isinstance(globs, str) else globs
                       for schema, globs in mapping.items()}
    for schema in globs_by_schema:
        assert (ROOT / schema).is_file(), f"yaml.schemas names a missing file: {schema}"
    for kind in KINDS:
        assert f"data/{kind}/*.yaml" in globs_by_schema.get(f"schemas/{kind}.schema.json", []), kind
    assert "mkdocs.yml" in globs_by_schema.get("schemas/settings.schema.json", []), "extra.playbook in mkdocs.yml"


@pytest.mark.own_fixtures
def test_vscode_recommends_the_yaml_extension():
    extensions = json.loads((VSCODE / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions.get("recommendations", [])


@pytest.mark.parametrize("kind", KINDS)
def test_scaffold_modeline_points_at_the_schema(kind):
    first = template(kind, "some-id").splitlines()[0]
    assert first == MODELINE.format(kind=kind)
    target = MODELINE_KIND.search(first)
    assert target and (ROOT / "data" / kind / first.split("$schema=", 1)[1]).resolve() == _schema_path(kind).resolve()


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_records_keep_their_modeline(kind):
    missing = [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "data" / kind).glob("*.yaml"))
               if p.read_text(encoding="utf-8").splitlines()[:1] != [MODELINE.format(kind=kind)]]
    assert not missing, f"first line should be {MODELINE.format(kind=kind)!r} in: {missing}"


# --- (d) the issue form asks for a record of any kind, in the fields every kind shares ---------------------------

# The form's own fields, which are no schema field: the kind, the rest of the record as prose, the ids it links to.
FORM_OWN_FIELDS = {"kind", "content", "related"}


def _form_fields() -> dict[str, dict[str, Any]]:
    form = _load_yaml(ISSUE_FORM)
    fields = [element for element in form["body"] if element["type"] != "markdown"]
    ids = [element["id"] for element in fields]
    assert len(ids) == len(set(ids)), f"repeated ids in the issue form: {ids}"
    return {element["id"]: element for element in fields}


def _required_in_form(element: dict[str, Any]) -> bool:
    return bool(element.get("validations", {}).get("required"))


@pytest.mark.own_fixtures
def test_issue_form_offers_every_kind():
    kind = _form_fields()["kind"]
    assert kind["type"] == "dropdown" and _required_in_form(kind)
    assert kind["attributes"]["options"] == [SINGULAR[k] for k in KINDS]


@pytest.mark.own_fixtures
def test_issue_form_asks_only_for_what_every_kind_has():
    """Every field every kind requires is asked for and required; no field belongs to only some kinds."""
    schemas = [json.loads(_schema_path(kind).read_text(encoding="utf-8")) for kind in KINDS]
    everywhere = set.intersection(*(set(s["properties"]) for s in schemas))
    required_everywhere = set.intersection(*(set(s["required"]) for s in schemas))
    fields = _form_fields()
    missing = sorted(f for f in required_everywhere if f not in fields or not _required_in_form(fields[f]))
    assert not missing, f"the issue form should require what every kind requires: {missing}"
    own = sorted(i for i, element in fields.items()
                 if i not in everywhere and i not in FORM_OWN_FIELDS and element["type"] != "checkboxes")
    assert not own, f"form fields that not every kind has: {own}"
    too_strict = sorted(i for i in fields if i in everywhere and i not in required_everywhere and _required_in_form(fields[i]))
    assert not too_strict, f"required in the form but optional for some kind: {too_strict}"
    assert _required_in_form(fields["content"])


@pytest.mark.own_fixtures
def test_issue_form_points_at_the_guide():
    text = ISSUE_FORM.read_text(encoding="utf-8")
    assert "CONTRIBUTING.md" in text
    assert GUIDE.is_file()


@pytest.mark.parametrize("path,schema", [
    (ISSUE_FORM, "vendor.github-issue-forms"),
    (ISSUE_CONFIG, "vendor.github-issue-config"),
    (WORKFLOW, "vendor.github-workflows"),
    (WORKFLOW, "custom.github-workflows-require-timeout"),
], ids=["issue-form", "issue-config", "workflow", "workflow-timeout"])
def test_github_files_match_githubs_schemas(path, schema):
    result = _run_check_jsonschema("--builtin-schema", schema, path.relative_to(ROOT))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.own_fixtures
def test_codeowners_lines_name_owners():
    """CODEOWNERS names owners for everything and for data/; it may ship them commented out, as an example a team
    turns on with its own names (then the commented lines must be right once uncommented)."""
    text = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
    lines = [ln.split() for ln in text if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        lines = [ln.lstrip("# ").split() for ln in text if re.match(r"^#\s*(\*|/)\S*\s+@", ln)]
    patterns = {line[0]: line[1:] for line in lines}
    assert "*" in patterns and "/data/" in patterns, "CODEOWNERS needs a default owner and owners for data/"
    for pattern, owners in patterns.items():
        assert owners and all(re.fullmatch(r"@[\w.-]+(/[\w.-]+)?|[^@\s]+@[^@\s]+", o) for o in owners), pattern


# --- (e) the guide's commands are real ----------------------------------------------------------------------------


FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```", re.M | re.S)
SHELL_FENCES = {"sh", "shell", "bash", "console", ""}


def _quoted_commands(path: Path, *, inline: bool = True) -> Iterator[str]:
    """Every line of a shell code block, and (unless told not to) every inline code span, of a Markdown file."""
    text = path.read_text(encoding="utf-8")
    for match in FENCE.finditer(text):
        if match.group(1) in SHELL_FENCES:
            yield from (line.strip() for line in match.group(2).splitlines() if line.strip())
    if inline:
        yield from re.findall(r"`([^`\n]+)`", FENCE.sub("", text))


def _segments(command: str) -> Iterator[list[str]]:
    """Split one shell line into simple commands, after filling in the guide's <placeholders>."""
    command = re.sub(r"^\$\s+", "", command)
    command = re.sub(r"<([a-z][a-z-]*)>", lambda m: PLACEHOLDERS.get(m.group(1), m.group(0)), command)
    lexer = shlex.shlex(command, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    segment: list[str] = []
    for token in lexer:
        if token in {"&&", "||", ";", "|", "&"}:
            if segment:
                yield segment
            segment = []
        else:
            segment.append(token)
    if segment:
        yield segment


def _parse_cli(argv: list[str], where: str):
    assert not [a for a in argv if "<" in a or ">" in a], f"{where}: unfilled placeholder in {argv}"
    try:
        args = cli._parser().parse_args(argv)
    except SystemExit as exc:
        pytest.fail(f"{where}: `playbook {shlex.join(argv)}` is rejected by the CLI (exit {exc.code})")
    assert args.command, f"{where}: `playbook {shlex.join(argv)}` names no command"
    if args.command == "new":
        kind_of(args.kind)
        assert SLUG_RE.match(args.id), f"{where}: {args.id!r} is not a valid id"
    return args


def _playbook_commands(commands: Iterator[str]) -> list[list[str]]:
    return [seg[1:] for command in commands for seg in _segments(command) if seg[0] in ("playbook", ".venv/bin/playbook")]


def _subcommands() -> set[str]:
    parser = cli._parser()
    return {name for action in parser._actions if isinstance(action, argparse._SubParsersAction) for name in action.choices}


@pytest.mark.own_fixtures
@pytest.mark.parametrize("path", [GUIDE, PR_TEMPLATE], ids=["CONTRIBUTING", "PULL_REQUEST_TEMPLATE"])
def test_quoted_playbook_commands_parse_with_the_real_cli(path):
    commands = _playbook_commands(_quoted_commands(path))
    assert commands, f"{path.name} quotes no playbook command"
    blocks = _playbook_commands(_quoted_commands(path, inline=False))
    used = set()
    for argv in commands:
        if len(argv) == 1 and argv not in blocks and argv[0] in _subcommands():
            continue  # prose naming a command (`playbook new`), not a command to run
        used.add(_parse_cli(argv, path.name).command)
    if path == GUIDE:
        assert {"new", "validate"} <= used, f"the guide should show `playbook new` and `playbook validate`: {used}"


def _make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    variables = dict(re.findall(r"^(?:export\s+)?(\w+)\s*[:?]?=\s*(.*?)\s*$", text, re.M))

    def expand(value: str) -> str:
        return re.sub(r"\$\((\w+)\)", lambda m: expand(variables.get(m.group(1), "")), value)

    targets: set[str] = set()
    for names in re.findall(r"^([^\s#=:][^:=]*?)\s*:(?!=)", text, re.M):
        targets.update(expand(names).split())
    return targets


@pytest.mark.own_fixtures
@pytest.mark.parametrize("path", [GUIDE, PR_TEMPLATE, WORKFLOW], ids=["CONTRIBUTING", "PULL_REQUEST_TEMPLATE", "ci.yml"])
def test_quoted_make_targets_exist(path):
    targets = _make_targets()
    lines = list(_quoted_commands(path)) if path.suffix == ".md" else \
        [ln.strip() for step in _workflow_steps() for ln in str(step.get("run", "")).splitlines()]
    for line in lines:
        for seg in _segments(line):
            if seg[0] == "make":
                for target in (t for t in seg[1:] if "=" not in t and not t.startswith("-")):
                    assert target in targets, f"{path.name}: `make {target}` is not a Makefile target"


def _guide_rule_ids() -> set[str]:
    text = GUIDE.read_text(encoding="utf-8")
    return set(re.findall(r"`((?:schema|ref|yaml|file|checklist|question-bank|scenario|text|record|step)\.[a-z0-9-]+)`",
                          text))


@pytest.mark.own_fixtures
def test_guide_names_only_real_rules():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "playbook").rglob("*.py"))
    known = {r.id for r in lint.RULES} | set(re.findall(r"[\"']([a-z]+\.[a-z0-9-]+)[\"']", source))
    unknown = sorted(_guide_rule_ids() - known)
    assert not unknown, f"CONTRIBUTING.md names rules the validator does not have: {unknown}"


@pytest.mark.own_fixtures
def test_guide_explains_every_scenario_and_checklist_rule():
    missing = [r.id for r in lint.RULES if {"scenarios", "checklists"} & set(r.kinds) and r.id not in _guide_rule_ids()]
    assert not missing, f"CONTRIBUTING.md does not explain: {missing}"


@pytest.mark.own_fixtures
def test_guide_numbers_and_words_match_the_lint():
    text = GUIDE.read_text(encoding="utf-8")
    for phrase in (f"{lint.ITEMS_MIN} to {lint.ITEMS_MAX} items", f"{lint.WORD_WARN} words or fewer",
                   f"more than {lint.WORD_ERROR}", f"at most {lint.CARD_MAX} items"):
        assert phrase in text, f"CONTRIBUTING.md should say {phrase!r}"
    for name, _ in lint.VAGUE:
        assert f'"{name}"' in text, f"CONTRIBUTING.md should list the vague phrase {name!r}"
    for phrase in lint.FILLER:
        assert f'"{phrase}"' in text, f"CONTRIBUTING.md should list the filler phrase {phrase!r}"


@pytest.mark.own_fixtures
def test_guide_field_table_matches_the_scenario_schema():
    schema = json.loads(_schema_path("scenarios").read_text(encoding="utf-8"))
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("### The fields", 1)[1].split("\n#", 1)[0]
    rows = dict(re.findall(r"^\| `(\w+)` \| (.+) \|$", section, re.M))
    assert list(rows) == list(schema["properties"]), "the guide's field table should list the scenario fields in order"
    optional = [f for f, text in rows.items() if text.startswith("*Optional")]
    assert optional == [f for f in schema["properties"] if f not in schema["required"]]


def test_guide_local_links_exist():
    text = GUIDE.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if not re.match(r"[a-z]+:", target):
            assert (ROOT / target).exists(), f"CONTRIBUTING.md links to a missing file: {target}"


@pytest.mark.own_fixtures
def test_guide_anchors_exist():
    text = GUIDE.read_text(encoding="utf-8")
    anchors = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in re.findall(r"^#+ (.+)$", text, re.M)}
    for anchor in re.findall(r"\]\(#([^)]+)\)", text):
        assert anchor in anchors, f"CONTRIBUTING.md links to a missing heading: #{anchor}"


def _validator_tails(root: Path, capsys) -> set[str]:
    capsys.readouterr()
    cli.main(["--root", str(root), "validate", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return {f"{d['severity']}: {d['field'] + ': ' if d['field'] else ''}{d['message']} [{d['rule']}]"
            for d in report["diagnostics"]}


@pytest.mark.own_fixtures
def test_guide_example_errors_are_what_the_validator_prints(tmp_path, capsys):
    guide_lines = re.findall(r"^(data/scenarios/([a-z0-9-]+)\.yaml):\d+:\d+: (.+)$", GUIDE.read_text(encoding="utf-8"), re.M)
    assert guide_lines, "the guide should show validator output"
    assert {record_id for _, record_id, _ in guide_lines} == {GUIDE_ID}
    good = _example("scenarios")
    path = tmp_path / "data" / "scenarios" / f"{GUIDE_ID}.yaml"
    # The guide's content rules are the checklist-science profile's (the section says so).
    (tmp_path / "mkdocs.yml").write_text("site_name: Guide\nextra:\n  playbook:\n    lint:\n"
                                         "      profile: checklist-science\n", encoding="utf-8")
    # The mistakes the guide walks through: a misspelt field first, then two content-rule errors.
    _write_record(path, "scenarios", {("gaol" if k == "goal" else k): v for k, v in good.items()})
    printed = _validator_tails(tmp_path, capsys)
    moves = list(good["moves"])
    moves[1] = "What does the team need from the review?"
    _write_record(path, "scenarios", {**good, "moves": moves, "follow_up": {**good["follow_up"], "by": "Soon"}})
    printed |= _validator_tails(tmp_path, capsys)
    stale = [tail for _, _, tail in guide_lines if tail not in printed]
    assert not stale, f"CONTRIBUTING.md shows output the validator no longer prints: {stale}\nit prints: {sorted(printed)}"


# --- CI -------------------------------------------------------------------------------------------------------------


def _workflow() -> dict[Any, Any]:
    return _load_yaml(WORKFLOW)


def _workflow_steps() -> list[dict[str, Any]]:
    return [step for job in _workflow()["jobs"].values() for step in job["steps"]]


def _step_running(fragment: str) -> dict[str, Any]:
    steps = [s for s in _workflow_steps() if fragment in str(s.get("run", ""))]
    assert steps, f"ci.yml has no step running {fragment!r}"
    return steps[0]


def _uses(action: str) -> list[dict[str, Any]]:
    return [s for s in _workflow_steps() if str(s.get("uses", "")).split("@")[0] == action]


@pytest.mark.own_fixtures
def test_workflow_runs_on_push_and_pull_request():
    triggers = _workflow()[True]  # PyYAML reads the bare key `on` as YAML 1.1's boolean true
    assert {"push", "pull_request"} <= set(triggers)


@pytest.mark.own_fixtures
def test_workflow_sets_up_the_toolchain():
    checkout = _uses("actions/checkout")
    assert checkout and checkout[0].get("with", {}).get("fetch-depth") == 0, "the base branch is needed for the diff"
    assert str(_uses("actions/setup-python")[0]["with"]["python-version"]) == "3.11"
    assert str(_uses("actions/setup-node")[0]["with"]["node-version"]) == "20"
    apt = _step_running("apt-get install")["run"]
    assert "sudo apt-get update" in apt and "chromium" in apt and "poppler-utils" in apt


@pytest.mark.own_fixtures
def test_workflow_validates_tests_and_builds_like_ci_run():
    validate = _step_running("playbook validate")
    for line in validate["run"].splitlines():
        for seg in _segments(line):
            if seg[0].endswith("playbook"):
                args = _parse_cli(seg[1:], "ci.yml")
                assert args.format == "github" and args.strict
    test = _step_running("make test")
    assert str(test.get("env", {}).get("REQUIRE_BROWSER")) == "1"
    _step_running("make build")
    seed = _step_running("seed_overlap.py")["run"]
    assert re.search(r"\[ -d \.\./shared(/tools)? \]", seed), "the seed check must run only where ../shared exists"


@pytest.mark.own_fixtures
def test_workflow_uploads_the_site_the_changed_pdfs_and_screenshots():
    uploads = {str(s["with"]["name"]): s["with"] for s in _uses("actions/upload-artifact")}
    paths = {str(w["path"]).rstrip("/") for w in uploads.values()}
    assert {"site", "test-results"} <= paths
    screenshots = next(w for w in uploads.values() if str(w["path"]).rstrip("/") == "test-results")
    assert screenshots.get("if-no-files-found") == "ignore"
    diff = _step_running("git diff --name-only")["run"]
    assert "data/checklists" in diff and "BASE_REF" in diff and ".pdf" in diff
    guide = GUIDE.read_text(encoding="utf-8")
    for name in uploads:
        assert f"`{name}`" in guide, f"CONTRIBUTING.md should tell contributors about the {name!r} artifact"


@pytest.mark.own_fixtures
def test_workflow_mirrors_ci_run():
    run = ROOT / ".ci" / "run"
    if not run.exists():
        pytest.skip(".ci/run is not written yet")
    script = run.read_text(encoding="utf-8")
    arrays: dict[str, list[str]] = {}
    for name, values in re.findall(r"(\w+)\+?=\(([^)]*)\)", script):
        arrays.setdefault(name, []).extend(values.split())
    packages: set[str] = set()
    for line in re.findall(r"apt-get install ([^\n&|;]+)", script):
        for token in line.split():
            array = re.fullmatch(r'"?\$\{(\w+)\[@\]\}"?', token)
            if array:
                packages.update(arrays.get(array.group(1), []))
            elif not token.startswith("-") and "$" not in token and token != "\\":
                packages.add(token)
    assert packages, ".ci/run installs nothing with apt-get; update this test"
    apt = _step_running("apt-get install")["run"]
    missing = sorted(p for p in packages if not re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", apt))
    assert not missing, f".ci/run installs packages ci.yml does not: {missing}"
    if "REQUIRE_BROWSER=1" in script:
        assert str(_step_running("make test").get("env", {}).get("REQUIRE_BROWSER")) == "1"
