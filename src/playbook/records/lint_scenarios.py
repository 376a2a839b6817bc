"""Lint rules for scenarios: moves and titles in the reader's voice, ids from titles, scripts, deadlines, cases."""
from __future__ import annotations

from typing import Any

from playbook.core.diagnostics import ERROR, WARNING
from playbook.records.lint_words import DEADLINE, first_word, one_spelling, slug, starts_with_verb, words
from playbook.records.load import Record


def move_verb(record: Record, cfg: dict[str, Any]):
    for i, move in enumerate(record.data["moves"]):
        if not starts_with_verb(move):
            yield ("moves", i), ERROR, f"moves start with a verb; {first_word(move)!r} does not read as one"


def title_voice(record: Record, cfg: dict[str, Any]):
    wanted = {w.lower() for w in cfg["words"]}
    if not wanted & {w.lower() for w in words(record.data["title"])}:
        yield ("title",), ERROR, (f"write the title as the reader would say it, with one of: "
                                  f"{', '.join(cfg['words'])}")


def id_matches_title(record: Record, cfg: dict[str, Any]):
    expected = slug(record.data["title"])
    if expected and one_spelling(record.id) != one_spelling(expected):
        yield ("title",), WARNING, f"the id {record.id!r} does not match the title; name the file {expected}.yaml"


def scripts(record: Record, cfg: dict[str, Any]):
    missing = [k for k in ("opening", "asking", "pushback", "closing") if k not in record.data["scripts"]]
    if missing:
        yield ("scripts",), WARNING, f"add a script for {', '.join(missing)}: what the reader can say"


def deadline(record: Record, cfg: dict[str, Any]):
    by = record.data["follow_up"]["by"]
    if not DEADLINE.search(by):
        yield ("follow_up", "by"), ERROR, f"{by!r} is not a deadline; write when, e.g. 'Within 24 hours' or 'By Friday'"


def scenario_checklist(record: Record, cfg: dict[str, Any]):
    if "checklist" not in record.data:
        yield (), WARNING, "name the checklist to use with this play in 'checklist:'"


def scenario_example(record: Record, cfg: dict[str, Any]):
    if "example" not in record.data:
        yield (), WARNING, "add an 'example:' with a short case of the play in use"
