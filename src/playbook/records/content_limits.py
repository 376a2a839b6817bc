"""The content limits: how long a record's texts and lists may be, and which schema keyword each one sets.

The schema definitions (schema_source.py) mark a node with `limited`; a playbook's own limits are the same schemas
with those keywords changed (`tuned`), so the published schemas, validation and the limits table never disagree.
"""
from __future__ import annotations

import copy
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class ContentLimits:
    """Every content limit in one place: how long a record's texts and lists may be.

    The defaults are the generator's, generous enough for any real playbook, and the published schemas hold them;
    a lint profile (lint.PROFILES) sets stricter numbers, and `extra.playbook.limits` tunes any of them.
    """

    title_length: int = 200  # characters in a title
    summary_length: int = 400  # characters in a summary
    line_length: int = 400  # characters in other one-line texts: a situation, a goal, a move, a looks_like line
    item_length: int = 500  # characters in a checklist item
    prose_length: int = 5000  # characters in a paragraph field: why, instead, example
    list_items: int = 30  # lines in looks_like, actions and warning_signs
    section_items: int = 40  # items at one pause point of a checklist


DEFAULT_CONTENT_LIMITS = ContentLimits()
# (schema node, keyword, limit name) for every maximum that a ContentLimits value sets.
LIMITED: list[tuple[dict[str, Any], str, str]] = []
_NAMES: dict[tuple[int, str], str] = {}  # (id of a schema node, keyword) -> limit name, in every schema made
_TUNED: dict[ContentLimits, dict[str, dict[str, Any]]] = {}  # kept, so the ids in _NAMES stay theirs


def limited(node: dict[str, Any], keyword: str, name: str | None) -> dict[str, Any]:
    """The node with its `keyword` set by the content limit `name` (none: left as it is), noted in the table."""
    if name is not None:
        node[keyword] = getattr(DEFAULT_CONTENT_LIMITS, name)
        LIMITED.append((node, keyword, name))
        _NAMES[id(node), keyword] = name
    return node


def limit_name(node: dict[str, Any], keyword: str) -> str | None:
    """Which content limit set this schema node's maxLength or maxItems, if one did."""
    return _NAMES.get((id(node), keyword))


def tuned(schemas: dict[str, dict[str, Any]], limits: ContentLimits) -> dict[str, dict[str, Any]]:
    """The schemas (schema_source.SCHEMAS) with a playbook's content limits in place of the defaults, copied once
    per set of limits."""
    if limits == DEFAULT_CONTENT_LIMITS:
        return schemas
    if limits not in _TUNED:
        memo: dict[int, Any] = {}
        copied = copy.deepcopy(schemas, memo)
        for node, keyword, name in LIMITED:
            memo[id(node)][keyword] = getattr(limits, name)
            _NAMES[id(memo[id(node)]), keyword] = name
        _TUNED[limits] = copied
    return _TUNED[limits]


def limit_names() -> list[str]:
    """The names of the content limits, as `extra.playbook.limits` takes them."""
    return list(asdict(DEFAULT_CONTENT_LIMITS))
