"""Cross-record references: every id a record names must exist; records nobody uses are reported."""
from __future__ import annotations

import difflib
from typing import Any, Iterator

from .diagnostics import ERROR, WARNING, Diagnostic
from .load import Path_, Record, field_name


def reference_fields(record: Record) -> Iterator[tuple[Path_, str, str]]:
    """(field path, target kind, id) for every reference the record makes."""
    data = record.data
    for key, kind in (("principles", "principles"), ("pitfalls", "pitfalls")):
        values = data.get(key)
        if isinstance(values, list):
            for i, value in enumerate(values):
                if isinstance(value, str):
                    yield (key, i), kind, value
    if record.kind == "scenarios":
        for key, kind in (("steps", "steps"), ("see_also", "scenarios")):
            for i, value in enumerate(_list(data.get(key))):
                if isinstance(value, str):
                    yield (key, i), kind, value
    if record.kind == "scenarios" and isinstance(data.get("checklist"), str):
        yield ("checklist",), "checklists", data["checklist"]
    if record.kind == "checklists":
        for s, section in enumerate(_list(data.get("sections"))):
            for i, item in enumerate(_list(section.get("items") if isinstance(section, dict) else None)):
                if isinstance(item, dict):
                    for g, value in enumerate(_list(item.get("guards"))):
                        if isinstance(value, str):
                            yield ("sections", s, "items", i, "guards", g), "pitfalls", value


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# Which kinds a record of each kind should be used by; others are never "unreferenced".
_USED_BY = {
    "principles": "a step, scenario or checklist",
    "pitfalls": "a principle, step, scenario or checklist item",
    "checklists": "a scenario",
}


def check_references(records: list[Record]) -> list[Diagnostic]:
    """Unknown ids (errors, with a did-you-mean) and unreferenced records (warnings)."""
    ids: dict[str, set[str]] = {}
    for record in records:
        ids.setdefault(record.kind, set()).add(record.id)
    used: set[tuple[str, str]] = set()
    out: list[Diagnostic] = []
    for record in records:
        for path, kind, target in reference_fields(record):
            used.add((kind, target))
            if target in ids.get(kind, set()):
                continue
            close = difflib.get_close_matches(target, sorted(ids.get(kind, set())), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"create data/{kind}/{target}.yaml or fix the id"
            line, column = record.where(path)
            out.append(Diagnostic(record.path, line, column, ERROR, f"unknown {kind[:-1]} {target!r}; {hint}",
                                  "ref.unknown", field_name(path)))
    for record in records:
        if record.kind in _USED_BY and (record.kind, record.id) not in used:
            out.append(Diagnostic(record.path, 1, 1, WARNING,
                                  f"no record refers to this {record.kind[:-1]}; link it from {_USED_BY[record.kind]}",
                                  "ref.unreferenced"))
    return out
