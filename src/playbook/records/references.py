"""Cross-record references: every id a record names must exist; records nobody uses are reported."""
from __future__ import annotations

import difflib
from typing import Any, Iterable, Iterator

from playbook.core.diagnostics import ERROR, WARNING, Diagnostic
from playbook.records.load import Path_, Record, field_name


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


# The kinds a record of each kind can be linked with, either way; kinds not listed are never "unreferenced".
_PARTNERS = {
    "principles": ("steps", "scenarios", "checklists", "pitfalls"),
    "pitfalls": ("principles", "steps", "scenarios", "checklists"),
    "checklists": ("scenarios", "principles", "pitfalls"),
}
_NAMES = {"principles": "principle", "steps": "step", "scenarios": "scenario", "checklists": "checklist",
          "pitfalls": "pitfall"}


def _hint(kind: str, present: set[str]) -> str:
    """Which records could link this one, among the kinds the playbook has."""
    names = [_NAMES[k] for k in _PARTNERS[kind] if k in present]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def check_references(records: list[Record]) -> list[Diagnostic]:
    """Unknown ids (errors, with a did-you-mean) and unreferenced records (warnings)."""
    ids: dict[str, set[str]] = {}
    for record in records:
        ids.setdefault(record.kind, set()).add(record.id)
    used: set[tuple[str, str]] = set()  # records with a link to or from another: a checklist naming its principle
    out: list[Diagnostic] = []
    for record in records:
        for path, kind, target in reference_fields(record):
            used.add((kind, target))
            if target in ids.get(kind, set()):
                used.add((record.kind, record.id))
                continue
            close = difflib.get_close_matches(target, sorted(ids.get(kind, set())), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"create data/{kind}/{target}.yaml or fix the id"
            line, column = record.where(path)
            out.append(Diagnostic(record.path, line, column, ERROR, f"unknown {kind[:-1]} {target!r}; {hint}",
                                  "ref.unknown", field_name(path)))
    present = set(ids)
    for record in records:
        # A record nothing can link with (a playbook of checklists alone) is not left out: report only the others.
        if record.kind in _PARTNERS and present & set(_PARTNERS[record.kind]) and (record.kind, record.id) not in used:
            out.append(Diagnostic(record.path, 1, 1, WARNING,
                                  f"no record links to or from this {_NAMES[record.kind]}; connect it with a "
                                  f"{_hint(record.kind, present)}", "ref.unreferenced"))
    return out


# Record pages live at <kind>/<id>/; these hand-written files (relative to the kind's folder) would sit at the
# same address, or at a file the build writes beside a checklist's page: one would silently replace the other.
_PAGE_FILES = ("{id}.md", "{id}/index.md", "{id}/README.md", "{id}/index.html")
_CHECKLIST_FILES = ("{id}/{id}-a4.pdf", "{id}/{id}-letter.pdf", "{id}/{id}.md", "{id}/{id}.txt")


def check_page_collisions(records: Iterable[tuple[str, str, str]], pages: set[str], docs: str) -> list[Diagnostic]:
    """Records (kind, id, path) whose page would replace a landing page or a hand-written page under `docs`."""
    out: list[Diagnostic] = []
    for kind, record_id, path in records:
        if record_id == "index":
            out.append(Diagnostic(path, 1, 1, ERROR, f"the id 'index' is the address of the {kind} landing page "
                                                     f"({kind}/), which this record would replace; rename the file",
                                  "record.id-reserved"))
            continue
        names = _PAGE_FILES + (_CHECKLIST_FILES if kind == "checklists" else ())
        taken = next((f"{docs}/{kind}/{n.format(id=record_id)}" for n in names
                      if f"{kind}/{n.format(id=record_id)}" in pages), None)
        if taken is not None:
            out.append(Diagnostic(path, 1, 1, ERROR, f"{taken} is already at this record's address ({kind}/"
                                                     f"{record_id}/); rename the record or move that page",
                                  "record.id-reserved"))
    return out
