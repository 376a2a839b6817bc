"""`playbook new`: a commented record template, built from the schema so its comments never go stale."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .diagnostics import BuildError, UsageError
from .load import SLUG_RE, _suggest_slug
from .schema_source import KINDS, SCHEMAS, SINGULAR

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


def _comment(schema: dict[str, Any], required: bool) -> str:
    text = schema.get("description", "")
    if "enum" in schema:
        text += f" One of: {', '.join(schema['enum'])}."
    if not required:
        text += " (Optional: delete this field if you do not use it.)"
    return text


def _lines(kind: str, props: dict[str, Any], required: list[str], indent: str, first_prefix: str = "") -> list[str]:
    out: list[str] = []
    for i, (key, raw) in enumerate(props.items()):
        schema = _resolve(kind, raw)
        prefix = first_prefix if i == 0 and first_prefix else indent
        out.append(f"{indent}# {_comment(schema, key in required)}")
        kind_type = schema.get("type")
        if kind_type == "object":
            out.append(f"{prefix}{key}:")
            out.extend(_lines(kind, schema["properties"], schema.get("required", []), indent + "  "))
        elif kind_type == "array":
            item = _resolve(kind, schema["items"])
            out.append(f"{prefix}{key}:")
            if item.get("type") == "object":
                out.extend(_lines(kind, item["properties"], item.get("required", []), indent + "    ", indent + "  - "))
            else:
                out.append(f"{indent}  -")
        else:
            out.append(f"{prefix}{key}:")
    return out


def template(kind: str, record_id: str) -> str:
    """The commented template of a new record: it fails validation only on the fields still to write."""
    schema = SCHEMAS[kind]
    head = [
        f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json",
        f"# A new {SINGULAR[kind]}: {record_id}. Fill every empty field, then run `playbook validate`.",
        "# The content guide (CONTRIBUTING.md) says what makes a good one.",
    ]
    return "\n".join(head + _lines(kind, schema["properties"], schema["required"], "")) + "\n"


def new_record(root: Path, kind_name: str, record_id: str) -> Path:
    """Write data/<kind>/<id>.yaml from the template; never overwrites."""
    kind = kind_of(kind_name)
    if not SLUG_RE.match(record_id):
        raise UsageError(f"{record_id!r} is not a valid id: use lowercase words and digits joined by single hyphens "
                         f"(rule ^[a-z0-9]+(-[a-z0-9]+)*$), e.g. {_suggest_slug(record_id)!r}")
    path = root / "data" / kind / f"{record_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(template(kind, record_id))
    except FileExistsError:
        raise BuildError(f"data/{kind}/{record_id}.yaml already exists; not overwriting it (pick another id or edit it)")
    return path
