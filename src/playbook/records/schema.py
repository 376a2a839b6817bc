"""Validate loaded records against the published JSON Schemas and turn failures into located diagnostics."""
from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

import jsonschema
from jsonschema.exceptions import ValidationError

from playbook.core.diagnostics import ERROR, Diagnostic
from playbook.records.load import Record, field_name
from playbook.records.schema_source import DEFAULT_CONTENT_LIMITS, KINDS, ContentLimits, limit_name, schemas_for


_TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
               "array": "a list", "object": "a mapping of fields", "null": "nothing"}


def _shown(value: Any, width: int = 60) -> str:
    """A value for a message, cut short: it may be a megabyte of text."""
    text = repr(value)
    return text if len(text) <= width else text[:width] + "..."


def _type_word(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


@lru_cache(maxsize=None)
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """A JSON Schema pattern compiled with ECMA-262's `$` (the very end of the text), as jsonschema-rs reads it.

    Python's `$` also matches before a final line break, so `^[^\\r\\n]+$` would let "text\\n" through.
    """
    out, i, in_class = [], 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(r"\Z" if char == "$" and not in_class else char)
        i += 1
    return re.compile("".join(out))


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@lru_cache(maxsize=64)
def validator(kind: str, limits: ContentLimits = DEFAULT_CONTENT_LIMITS) -> jsonschema.protocols.Validator:
    """The compiled validator of one kind with a playbook's content limits (the defaults are the published files')."""
    return schema_validator(schemas_for(limits)[kind])


def schema_validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    """A validator of `schema` that reads patterns as ECMA-262 does (see ecma_regex), as editors and CI do."""
    cls = jsonschema.validators.extend(jsonschema.validators.validator_for(schema), {"pattern": _pattern})
    return cls(schema)


def _leaf_errors(error: ValidationError) -> Iterator[ValidationError]:
    """For anyOf failures, report the branch that matches the value's type."""
    if error.validator == "anyOf" and error.context:
        same_type = [e for e in error.context if e.validator != "type"]
        if same_type:
            best = jsonschema.exceptions.best_match(same_type)
            yield from _leaf_errors(best)
            return
        yield error
        return
    yield error


Problem = tuple[str, str, tuple[Any, ...], bool]


def _messages(error: ValidationError, kind: str) -> list[Problem]:
    """Message, rule, field path, and whether the location is the key (not the value), per problem."""
    path = tuple(error.absolute_path)
    props = error.schema.get("properties", {})
    if error.validator == "additionalProperties":
        # One error lists every unknown key: report each at its own line.
        allowed = sorted(props)
        out: list[Problem] = []
        for key in (k for k in error.instance if k not in props):
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"allowed fields: {', '.join(allowed)}"
            out.append((f"unknown field {key!r}; {hint}", "schema.unknown-field", (*path, key), True))
        return out
    if error.validator == "required":
        # jsonschema raises one error per missing key without naming it: list them all, check_record dedupes.
        out = []
        for key in (k for k in error.validator_value if k not in error.instance):
            desc = props.get(key, {}).get("description", "").split(". ")[0]
            where = f" to {field_name(path)}" if path else ""
            note = f" ({desc[0].lower()}{desc[1:].rstrip('.')})" if desc else ""
            out.append((f"missing required field {key!r}: add it{where}{note}", "schema.required", path, False))
        return out
    return [_message(error, kind)]


def _message(error: ValidationError, kind: str) -> Problem:
    """Message, rule, field path, and whether the location is the key (not the value)."""
    path = tuple(error.absolute_path)
    v = error.validator
    inst = error.instance
    if v == "type":
        expected = error.validator_value
        names = " or ".join(_TYPE_WORDS.get(t, t) for t in ([expected] if isinstance(expected, str) else expected))
        options = f" (one of: {', '.join(map(str, error.schema['enum']))})" if "enum" in error.schema else ""
        return f"expected {names}{options}, got {_type_word(inst)}", "schema.type", path, False
    if v == "anyOf":
        return (f"expected text or a mapping with 'text:', got {_type_word(inst)}", "schema.type", path, False)
    if v == "enum":
        options = ", ".join(str(o) for o in error.validator_value)
        close = difflib.get_close_matches(str(inst), [str(o) for o in error.validator_value], n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"{_shown(inst)} is not one of: {options}{hint}", "schema.enum", path, False
    if v == "pattern":
        if error.validator_value == r"^[^\r\n]+$":
            if isinstance(inst, str) and inst.endswith("\n") and "\n" not in inst.rstrip("\n"):
                return ("must be a single line; drop the block scalar ('|' or '>') and write it on one line",
                        "schema.one-line", path, False)
            return "must be a single line; join the lines or shorten it", "schema.one-line", path, False
        if "a-z0-9" in error.validator_value:
            return (f"{_shown(inst)} is not a valid id: use lowercase words and digits joined by single hyphens",
                    "schema.id", path, False)
        if "https?" in error.validator_value:
            return f"{_shown(inst)} is not an http(s) address", "schema.url", path, False
        return f"{_shown(inst)} does not match {error.validator_value}", "schema.pattern", path, False
    if v == "minItems":
        return f"needs at least {error.validator_value} item(s), has {len(inst)}", "schema.min-items", path, False
    if v == "maxItems":
        return (f"allows at most {error.validator_value} item(s), has {len(inst)}{_tunable(error)}", "schema.max-items",
                path, False)
    if v == "uniqueItems":
        return "has the same item twice; remove the repeat", "schema.unique", path, False
    if v == "minLength":
        return f"is too short (at least {error.validator_value} characters)", "schema.min-length", path, False
    if v == "maxLength":
        return (f"is too long ({len(inst)} characters, at most {error.validator_value}); shorten it{_tunable(error)}",
                "schema.max-length", path, False)
    if v in ("minimum", "maximum"):
        bound = "at least" if v == "minimum" else "at most"
        return f"must be {bound} {error.validator_value}, got {inst}", f"schema.{v}", path, False
    if v == "minProperties":
        return f"needs at least {error.validator_value} field(s)", "schema.min-properties", path, False
    return error.message, f"schema.{v}", path, False


def _tunable(error: ValidationError) -> str:
    """Where a content limit comes from, so a team can change it: `extra.playbook.limits.<name>`."""
    name = limit_name(error.schema, str(error.validator))
    return f" (the limit is extra.playbook.limits.{name} in mkdocs.yml)" if name else ""


@lru_cache(maxsize=64)
def _fast_validator(kind: str, limits: ContentLimits = DEFAULT_CONTENT_LIMITS) -> Any:
    """jsonschema-rs, when installed: a yes/no answer ~50x faster than jsonschema, for the common valid case."""
    try:
        import jsonschema_rs
    except ImportError:  # the slow path alone gives the same answers
        return None
    return jsonschema_rs.validator_for(schemas_for(limits)[kind])


def check_record(record: Record, limits: ContentLimits = DEFAULT_CONTENT_LIMITS) -> list[Diagnostic]:
    """Schema diagnostics for one record, each at the line and column of the offending value or key."""
    fast = _fast_validator(record.kind, limits)
    # Both read patterns the same way (see ecma_regex): "valid" there is valid here; otherwise ask jsonschema.
    if fast is not None and fast.is_valid(record.data):
        return []
    return located_errors(validator(record.kind, limits), record.data, record,
                          lambda error: _messages(error, record.kind))


def located_errors(check: jsonschema.protocols.Validator, data: Any, source: Record,
                   explain: Callable[[ValidationError], list[Problem]], prefix: tuple[Any, ...] = ()) -> list[Diagnostic]:
    """Every schema failure of `data` (which sits at `prefix` in `source`) as a diagnostic at its line and column.

    `explain` words one failure: (message, rule, field path in data, whether to point at the key). Records and the
    settings in mkdocs.yml both go through here, so a mistake reads the same wherever it is.
    """
    problems: list[Problem] = []
    for top in check.iter_errors(data):
        for error in _leaf_errors(top):
            problems.extend(explain(error))
    # A value of the wrong type fails its enum or pattern too; say only what is wrong with its type.
    mistyped = {path for _, rule, path, _ in problems if rule == "schema.type"}
    out: list[Diagnostic] = []
    seen: set[tuple[Any, ...]] = set()
    for message, rule, path, at_key in problems:
        marker = (rule, path, message)
        if marker in seen or (path in mistyped and rule != "schema.type"):
            continue
        seen.add(marker)
        line, column = source.where((*prefix, *path), key=at_key)
        out.append(Diagnostic(source.path, line, column, ERROR, message, rule, field_name((*prefix, *path))))
    return out


__all__ = ["KINDS", "check_record", "located_errors", "schema_validator", "validator"]
