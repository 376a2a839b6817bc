"""Lint rules for checklists: cards and pause points, item wording, critical items, question banks, sources."""
from __future__ import annotations

import re
from typing import Any, Iterator

from playbook.core.diagnostics import ERROR, WARNING
from playbook.records.lint_words import (CHAIN_VERBS, CLOSING, COMMAND_VERBS, INVITES, STATE_WORD, VAGUE, first_word,
                                        starts_with_verb, words)
from playbook.records.load import Path_, Record, field_name


def _bank(record: Record) -> bool:
    return record.data["type"] == "QUESTION-BANK"


def _items(data: dict[str, Any]) -> Iterator[tuple[Path_, str, bool]]:
    for s, section in enumerate(data["sections"]):
        for i, item in enumerate(section["items"]):
            text = item if isinstance(item, str) else item["text"]
            critical = isinstance(item, dict) and bool(item.get("critical"))
            path: Path_ = ("sections", s, "items", i) if isinstance(item, str) else ("sections", s, "items", i, "text")
            yield path, text, critical


def per_pause(record: Record, cfg: dict[str, Any]):
    if _bank(record):
        return
    low, high = cfg["min"], cfg["max"]
    for s, section in enumerate(record.data["sections"]):
        n = len(section["items"])
        if n > high:
            yield ("sections", s, "items"), ERROR, (
                f"pause point {section['pause']!r} has {n} items; keep it to {high} or fewer (split it or cut items)")
        elif n < low:
            yield ("sections", s, "items"), WARNING, (
                f"pause point {section['pause']!r} has {n} items; a pause point works best with {low} to {high}")


def card_size(record: Record, cfg: dict[str, Any]):
    if _bank(record):
        return
    total = sum(len(s["items"]) for s in record.data["sections"])
    if total > cfg["max"]:
        yield ("sections",), ERROR, f"the card has {total} items; keep it to {cfg['max']} so it fits on one page"


def item_length(record: Record, cfg: dict[str, Any]):
    warn, error = cfg["warn"], cfg["error"]
    for path, text, _ in _items(record.data):
        n = len(words(text))
        if n > error:
            yield path, ERROR, f"item has {n} words; cut it to {warn} or fewer (at most {error})"
        elif n > warn:
            yield path, WARNING, f"item has {n} words; aim for {warn} or fewer"


def read_do_verb(record: Record, cfg: dict[str, Any]):
    if record.data["type"] != "READ-DO":
        return
    for path, text, _ in _items(record.data):
        if not starts_with_verb(text):
            yield path, ERROR, f"READ-DO items start with a verb; {first_word(text)!r} does not read as one"


def do_confirm_state(record: Record, cfg: dict[str, Any]):
    if record.data["type"] != "DO-CONFIRM":
        return
    for path, text, _ in _items(record.data):
        first = first_word(text).lower()
        if first in COMMAND_VERBS and not STATE_WORD.search(text):
            yield path, ERROR, (f"DO-CONFIRM items are states to confirm; {first_word(text)!r} reads as a command "
                                f"(write what is done, e.g. 'Decision and owner written down')")


def bank_size(record: Record, cfg: dict[str, Any]):
    if not _bank(record):
        return
    total = sum(len(s["items"]) for s in record.data["sections"])
    if total > cfg["max"]:
        yield ("sections",), ERROR, f"the question bank has {total} prompts; keep it to {cfg['max']} so it fits on one page"
    elif total < cfg["min"]:
        yield ("sections",), WARNING, (f"the question bank has {total} prompts; offer at least {cfg['min']} to "
                                       f"choose from, or make it a READ-DO card")


def bank_prompt(record: Record, cfg: dict[str, Any]):
    if not _bank(record):
        return
    for path, text, _ in _items(record.data):
        end = text.rstrip()
        if end.endswith(("?", "？", "؟", "…", "...")):
            continue
        if cfg["statements"] and end.endswith((".", "。", "!")) and starts_with_verb(end):
            continue  # a request that invites an answer: "Tell me about what you've been working on."
        hint = ", or a request that starts with a verb ('Tell me about ...')" if cfg["statements"] else ""
        yield path, WARNING, f"a question-bank prompt ends with '?' (or '…' or '...' for an open prompt){hint}"


def vague(record: Record, cfg: dict[str, Any]):
    for path, text, _ in _items(record.data):
        for name, pattern in VAGUE:
            if re.search(pattern, text, re.I):
                yield path, ERROR, f"{name!r} is vague; name the concrete action instead"
                break


def one_action(record: Record, cfg: dict[str, Any]):
    if _bank(record):
        return
    for path, text, _ in _items(record.data):
        lowered = text.lower()
        joined = re.search(r"\band (\w+)", lowered)
        if ";" in text or " and then " in lowered or " then " in lowered or (joined and joined.group(1) in CHAIN_VERBS):
            yield path, ERROR, "item joins two actions; split it into two items"


def critical_first(record: Record, cfg: dict[str, Any]):
    for s, section in enumerate(record.data["sections"]):
        seen_plain = False
        for i, item in enumerate(section["items"]):
            critical = isinstance(item, dict) and item.get("critical")
            if critical and seen_plain:
                yield ("sections", s, "items", i), ERROR, "critical item comes after a non-critical one; move it up"
            seen_plain = seen_plain or not critical


def duplicate_item(record: Record, cfg: dict[str, Any]):
    seen: dict[str, Path_] = {}
    for path, text, _ in _items(record.data):
        key = " ".join(text.casefold().split()).rstrip(".?!…")
        if key in seen:
            yield path, ERROR, f"the same item is already at {field_name(seen[key])}; keep one of them"
        else:
            seen[key] = path


def closing(record: Record, cfg: dict[str, Any]):
    if _bank(record):
        return
    section = record.data["sections"][-1]
    path, text, _ = list(_items({"sections": [section]}))[-1]
    if not CLOSING.search(text):
        real = ("sections", len(record.data["sections"]) - 1, *path[2:])
        yield real, ERROR, "the last item should close the meeting: recap or confirm decisions, owners and dates"


def invites(record: Record, cfg: dict[str, Any]):
    if _bank(record):
        return
    if not any(INVITES.search(text) for _, text, _ in _items(record.data)):
        yield ("sections",), ERROR, "no item invites the other person to talk; add one that starts with 'Ask'"


def checklist_sources(record: Record, cfg: dict[str, Any]):
    if "sources" not in record.data:
        yield (), WARNING, "add 'sources:' for the research behind this checklist"
