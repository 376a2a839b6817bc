"""`playbook new`: a commented record template, built from the schema so its comments never go stale."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from playbook.core.diagnostics import BuildError, UsageError
from playbook.records.load import SLUG_RE, _suggest_slug
from playbook.records.schema_source import KINDS, SCHEMAS, SINGULAR

PLURAL = {v: k for k, v in SINGULAR.items()}


def kind_of(name: str) -> str:
    """Accept `scenario` or `scenarios`; anything else is misuse."""
    kind = PLURAL.get(name, name)
    if kind not in KINDS:
        raise UsageError(f"unknown kind {name!r}; use one of: {', '.join(SINGULAR[k] for k in KINDS)}")
    return kind


def _resolve(kind: str, schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        node: Any = SCHEMAS[kind]
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        return {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
    if "anyOf" in schema:
        return _resolve(kind, schema["anyOf"][0])
    return schema


# Optional in the schema, but the content lint asks for them: the template keeps them to fill in.
RECOMMENDED = {"scenarios": {"example", "checklist", "opening", "asking", "pushback", "closing"}}


def _comment(schema: dict[str, Any]) -> str:
    text = schema.get("description", "")
    if "enum" in schema:
        text += f" One of: {', '.join(schema['enum'])}."
    if "maxLength" in schema and schema.get("pattern", "").startswith("^[^"):
        text += f" At most {schema['maxLength']} characters."
    return text


def _field(kind: str, key: str, schema: dict[str, Any], indent: str, prefix: str) -> list[str]:
    """The lines of one field: its comment, its key and an empty value (or its nested fields)."""
    out = [f"{indent}# {_comment(schema)}"]
    kind_type = schema.get("type")
    out.append(f"{prefix}{key}:")
    if kind_type == "object":
        out.extend(_lines(kind, schema["properties"], schema.get("required", []), indent + "  "))
    elif kind_type == "array":
        item = _resolve(kind, schema["items"])
        if item.get("type") == "object":
            out.extend(_lines(kind, item["properties"], item.get("required", []), indent + "    ", indent + "  - "))
        else:
            out.append(f"{indent}  -")
    return out


def _lines(kind: str, props: dict[str, Any], required: list[str], indent: str, first_prefix: str = "") -> list[str]:
    out: list[str] = []
    wanted = set(required) | RECOMMENDED.get(kind, set())
    written = 0
    for key, raw in props.items():
        schema = _resolve(kind, raw)
        prefix = first_prefix if written == 0 and first_prefix else indent
        lines = _field(kind, key, schema, indent, prefix)
        if key in wanted:
            out.extend(lines)
            written += 1
        else:
            # Optional fields stay commented out: uncomment one to use it, and validation ignores it until then.
            out.append(f"{indent}# Optional: {lines[0].strip()[2:]}")
            out.extend(f"{indent}# {line[len(indent):] if line.startswith(indent) else line.strip()}" for line in lines[1:])
    return out


def _filled(lines: list[str], values: dict[str, str]) -> list[str]:
    """Top-level fields given a value (`owner`, `reviewed`) written with it and uncommented."""
    out = []
    for line in lines:
        for key, value in values.items():
            if line in (f"{key}:", f"# {key}:"):
                # `@team` cannot start a plain YAML value; handles hold no quote or backslash, so quoting is safe.
                line = f"{key}: {value}" if value[:1].isalnum() else f'{key}: "{value}"'
                if out and out[-1].startswith("# Optional: "):
                    out[-1] = "# " + out[-1][len("# Optional: "):]
        out.append(line)
    return out


def template(kind: str, record_id: str, values: dict[str, str] | None = None) -> str:
    """The commented template of a new record: it fails validation only on the fields still to write.

    `values` fills top-level fields the generator knows (today's date as `reviewed`, the playbook's `owner`)."""
    schema = SCHEMAS[kind]
    head = [
        f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json",
        f"# A new {SINGULAR[kind]}: {record_id}. Fill every empty field, uncomment the optional ones you want,",
        "# then run the validator (`.venv/bin/playbook validate`). CONTRIBUTING.md says what makes a good one.",
    ]
    body = _filled(_lines(kind, schema["properties"], schema["required"], ""), values or {})
    return "\n".join(head + body) + "\n"


def new_record(root: Path, kind_name: str, record_id: str, *, owner: str = "", reviewed: str = "") -> Path:
    """Write data/<kind>/<id>.yaml from the template, `owner` and `reviewed` filled when given; never overwrites."""
    kind = kind_of(kind_name)
    if not SLUG_RE.match(record_id):
        raise UsageError(f"{record_id!r} is not a valid id: use lowercase words and digits joined by single hyphens "
                         f"(rule ^[a-z0-9]+(-[a-z0-9]+)*$), e.g. {_suggest_slug(record_id)!r}")
    if not (root / "data").is_dir() and not (root / "mkdocs.yml").is_file():
        raise UsageError(f"{root.resolve()} holds no playbook (no data/ folder or mkdocs.yml); run from the playbook's "
                         "folder or pass --root")
    path = root / "data" / kind / f"{record_id}.yaml"
    for folder in (root / "data", path.parent):
        if folder.is_symlink():
            raise BuildError(f"{folder.relative_to(root).as_posix()} is a symbolic link; records must live in the "
                             f"playbook itself, so replace the link with a real folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(template(kind, record_id, {k: v for k, v in (("owner", owner), ("reviewed", reviewed)) if v}))
    except FileExistsError:
        raise BuildError(f"data/{kind}/{record_id}.yaml already exists; not overwriting it (pick another id or edit it)")
    return path
