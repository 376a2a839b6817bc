"""The settings a team changes under `extra.playbook` in mkdocs.yml, declared once as a JSON Schema.

This one dict is what `playbook validate` checks the settings against (core/settings_check.py turns each failure into
a located `mkdocs.yml:LINE:COL` error), what `playbook schemas --write` publishes as schemas/settings.schema.json for
editors, and the documentation of every key (its `description`). `errorMessage` is the sentence a mistake prints
(editors that know the keyword show it too); `x-unknown-key` names what an unknown key in a mapping is called.
Checks a schema cannot say (a did-you-mean, placeholders in strings, lint rule names, the theme's languages) are
small functions in settings_check.py, run after this pass.
"""
from __future__ import annotations

import copy
import json
from dataclasses import fields
from typing import Any

from playbook.core.strings import DEFAULT_SHEET_FIELDS, DEFAULT_STRINGS
from playbook.records.yaml_reader import Limits
from playbook.records.content_limits import DEFAULT_CONTENT_LIMITS, ContentLimits

DEFAULT_MAX_AGE_DAYS = 365
OWNER = r"^@?[A-Za-z0-9][A-Za-z0-9._/-]{0,79}$"  # a handle, as the record schema allows it in `owner:`
TAG = r"^[a-z0-9]+(-[a-z0-9]+)*$"  # a tag as scenarios write it (schema_source.SLUG)
SEARCH_WORD = r"^[^\s<>&\"]{1,40}$"
ONE_LINE = r"^[^\n]*\S[^\n]*$"  # one line, not blank

_LIMITS = {
    "max_bytes": "Bytes one record file may hold.",
    "max_depth": "How deep lists and mappings may nest in one record file.",
    "max_items": "Items one list in a record file may hold.",
    "max_keys": "Keys one mapping in a record file may hold.",
    "max_values": "Values (each list and mapping counted) one record file may hold.",
    "max_records": "Record files the playbook may hold.",
    "max_total_bytes": "Bytes all record files may hold together.",
    "title_length": "Characters in a record's title.",
    "summary_length": "Characters in a record's summary.",
    "line_length": "Characters in other one-line texts: a situation, a goal, a move, a looks_like line.",
    "item_length": "Characters in a checklist item.",
    "prose_length": "Characters in a paragraph field: why, instead, example.",
    "list_items": "Lines in looks_like, actions and warning_signs.",
    "section_items": "Items at one pause point of a checklist.",
}

_WORDS = {
    "type": "array",
    "items": {"type": "string", "pattern": SEARCH_WORD},
    "errorMessage": "must be a list of single words (no spaces, at most 40 characters each), e.g. [outage, incident]",
}


def _limits() -> dict[str, Any]:
    defaults = {f.name: f.default for f in fields(Limits)} | {f.name: getattr(DEFAULT_CONTENT_LIMITS, f.name)
                                                              for f in fields(ContentLimits)}
    return {name: {"type": "integer", "minimum": 1, "maximum": 1 << 30, "default": defaults[name],
                   "description": _LIMITS.get(name, name.replace("_", " ").capitalize() + "."),
                   "errorMessage": "must be a whole number from 1 to 1073741824"} for name in defaults}


SETTINGS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "settings.schema.json",
    "title": "extra.playbook in mkdocs.yml",
    "description": "A playbook's own settings, under `extra.playbook` in mkdocs.yml. The title and addresses are "
                   "MkDocs' own keys (site_name, site_url, repo_url, repo_name, edit_uri).",
    "type": "object",
    "errorMessage": "must be a mapping of settings",
    "x-unknown-key": "setting",
    "additionalProperties": False,
    "properties": {
        "strings": {
            "description": "The generator's words on pages, sheets and exports, by key; a value may use the "
                           "{placeholders} its default uses.",
            "type": "object",
            "errorMessage": "must be a mapping of string keys to text",
            "x-unknown-key": "string key",
            "additionalProperties": False,
            "properties": {key: {"type": "string", "pattern": ONE_LINE, "description": f"Default: {text}",
                                 "errorMessage": "must be one line of text"}
                           for key, text in DEFAULT_STRINGS.items()},
        },
        "sheet_fields": {
            "description": "The blanks printed at the top of each checklist sheet.",
            "type": "array",
            "maxItems": 4,
            "items": {"type": "string", "minLength": 1, "maxLength": 40, "pattern": "^[^\n]*$"},
            "default": list(DEFAULT_SHEET_FIELDS),
            "errorMessage": "must be a list of at most 4 short labels, e.g. [Date, Name]",
        },
        "lint": {
            "description": "Lint rules by id: off, warning, error, or a mapping of the rule's limits (`playbook "
                           "rules` lists them); `profile` picks a set of rules, `spelling` the variety (us or uk).",
            "type": "object",
            "errorMessage": "must be a mapping of rule ids to settings",
        },
        "limits": {
            "description": "How large a record file, the playbook, and a record's texts and lists may be.",
            "type": "object",
            "errorMessage": "must be a mapping of limits",
            "x-unknown-key": "limit",
            "additionalProperties": False,
            "properties": _limits(),
        },
        "example_words": {
            "description": "Phrases that name this playbook's own subject, matched whole and in any case: in a "
                           "repository copied from this one, `playbook leftovers` lists each line of the scaffolding "
                           "(guides, forms, templates, package description, mkdocs.yml) that still holds one.",
            "type": "array",
            "maxItems": 200,
            "items": {"type": "string", "maxLength": 80, "pattern": ONE_LINE},
            "errorMessage": "must be a list of phrases of one line each (at most 80 characters), "
                            "e.g. [incident review, on-call]",
        },
        "owner": {
            "description": "The handle `playbook new` writes as a new record's owner.",
            "type": "string",
            "pattern": OWNER,
            "errorMessage": "must be a person's or team's handle (letters, digits, . _ / -; an optional leading @), "
                            "e.g. docs-team or @my-org/editors",
        },
        "freshness": {
            "description": "When a record's review is due.",
            "type": "object",
            "errorMessage": "must be a mapping, e.g. {max_age_days: 365}",
            "x-unknown-key": "setting",
            "additionalProperties": False,
            "properties": {"max_age_days": {
                "description": "A review older than this many days is due (`playbook stale`).",
                "type": "integer", "minimum": 1, "maximum": 36_500, "default": DEFAULT_MAX_AGE_DAYS,
                "errorMessage": "must be a whole number of days from 1 to 36500"}},
        },
        "search": {
            "description": "Words search drops from, or adds to, a reader's query.",
            "type": "object",
            "errorMessage": "must be a mapping, e.g. {synonyms: {bug: [defect]}}",
            "x-unknown-key": "setting",
            "additionalProperties": False,
            "properties": {
                "stop_words": {**_WORDS, "description": "Words a query drops (default: theme.language's list)."},
                "synonyms": {
                    "description": "A reader's word -> the playbook's words a query also looks for.",
                    "type": "object",
                    "errorMessage": "must be a mapping of a reader's word to the playbook's words, e.g. "
                                    "{bug: [defect]}",
                    "propertyNames": {"pattern": SEARCH_WORD, "errorMessage": "a synonym's key must be a single "
                                                                              "word (no spaces, at most 40 characters)"},
                    "additionalProperties": _WORDS,
                },
            },
        },
        "themes": {
            "description": "The headings situations are grouped under: a tag -> its group's heading, in order "
                           "(several tags may share one); none: each scenario's first tag.",
            "type": "object",
            "errorMessage": "must be a mapping of a tag to the heading of its group, e.g. {workload: Too much to do}",
            "propertyNames": {"pattern": TAG, "errorMessage": "{value} is not a tag; write a tag as scenarios do: "
                                                              "lowercase words joined by hyphens, e.g. one-on-ones"},
            "additionalProperties": {"type": "string", "maxLength": 80, "pattern": ONE_LINE,
                                     "errorMessage": "must be a heading of one line of text (at most 80 characters)"},
        },
    },
}

PLAYBOOK_KEYS = tuple(SETTINGS_SCHEMA["properties"])


def settings_schema_text() -> str:
    """schemas/settings.schema.json: a schema of mkdocs.yml that checks `extra.playbook` and leaves the rest to MkDocs.

    An editor given it (`# yaml-language-server: $schema=schemas/settings.schema.json` on mkdocs.yml's first line)
    completes and checks the settings as it does a record.
    """
    playbook = copy.deepcopy({k: v for k, v in SETTINGS_SCHEMA.items() if k not in ("$schema", "$id", "title")})
    themes = playbook["properties"]["themes"]["propertyNames"]
    themes["errorMessage"] = themes["errorMessage"].replace("{value}", "the key")  # filled in only by validate
    published = {"$schema": SETTINGS_SCHEMA["$schema"], "$id": SETTINGS_SCHEMA["$id"],
                 "title": "A playbook's mkdocs.yml: the settings under extra.playbook",
                 "description": "Checks extra.playbook; every other key is MkDocs' and the theme's to check.",
                 "type": "object",
                 "properties": {"extra": {"type": "object", "properties": {"playbook": playbook}}}}
    return json.dumps(published, indent=2, ensure_ascii=False) + "\n"
