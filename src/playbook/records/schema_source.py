"""The one source of truth for the published JSON Schemas in `schemas/`.

`playbook schemas --write` regenerates the files; a test fails when they are stale.
Only keywords that Draft 7 also knows are used, so editors and CI agree. The content limits the definitions carry
(how long a text or list may be) and a playbook's own values for them are in content_limits.py.
"""
from __future__ import annotations

import json
from typing import Any

# The content limits, importable from here as before (settings and schema use them).
from playbook.records.content_limits import (DEFAULT_CONTENT_LIMITS, LIMITED, ContentLimits,  # noqa: F401
                                             limit_name, limit_names, limited, tuned)

KINDS = ("principles", "steps", "pitfalls", "checklists", "scenarios")
SINGULAR = {
    "principles": "principle",
    "steps": "step",
    "pitfalls": "pitfall",
    "checklists": "checklist",
    "scenarios": "scenario",
}
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ONE_LINE = r"^[^\r\n]+$"


def _line(description: str, example: str, *, max_length: int = 200, min_length: int = 3,
          limit: str | None = None) -> dict[str, Any]:
    return limited({
        "type": "string",
        "description": description,
        "minLength": min_length,
        "maxLength": max_length,
        "pattern": ONE_LINE,
        "examples": [example],
    }, "maxLength", limit)


def _prose(description: str, example: str) -> dict[str, Any]:
    return limited({
        "type": "string",
        "description": description + " Inline Markdown (emphasis, links) is allowed; raw HTML is shown as text.",
        "minLength": 10,
        "examples": [example],
    }, "maxLength", "prose_length")


def _list(items: dict[str, Any], description: str, example: list[Any], *, min_items: int = 1,
          max_items: int | None = None, unique: bool = True, limit: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "array", "description": description, "items": items,
                           "minItems": min_items, "examples": [example]}
    if max_items is not None:
        out["maxItems"] = max_items
    if unique:
        out["uniqueItems"] = True
    return limited(out, "maxItems", limit)


def _ref_list(kind: str, description: str, example: list[str], *, min_items: int = 1) -> dict[str, Any]:
    return _list({"$ref": "#/definitions/id", "description": f"The id of a {SINGULAR[kind]}: the file stem of data/{kind}/<id>.yaml."},
                 description, example, min_items=min_items)


def _object(properties: dict[str, Any], required: list[str], description: str,
            example: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "additionalProperties": False,
        "required": required,
        "properties": properties,
        "examples": [example],
    }


DEFINITIONS: dict[str, Any] = {
    "id": {
        "type": "string",
        "pattern": SLUG,
        "description": "A record id: lowercase words and digits joined by single hyphens.",
        "examples": ["prepare-for-a-review"],
    },
    "source": _object(
        {
            "title": _line("The work cited: an article, book or study.", "The Checklist Manifesto", max_length=160),
            "author": _line("Who wrote it.", "Atul Gawande", max_length=160, min_length=2),
            "year": {"type": "integer", "minimum": 1900, "maximum": 2100,
                     "description": "Year of publication.", "examples": [1980]},
            "url": {"type": "string", "pattern": r"^https?://[^\s]+$", "maxLength": 300,
                    "description": "Where a reader can find it (http or https).",
                    "examples": ["https://example.org/articles/checklists"]},
            "medium": {"type": "string", "enum": ["book", "article", "web article", "study", "talk", "podcast", "video"],
                       "description": "What kind of work it is, so readers know what they will find.",
                       "examples": ["web article"]},
            "note": _line("The idea this record takes from the source, in your own words.",
                          "A short list at clear pause points stops people skipping steps.", max_length=240),
        },
        ["title", "note"],
        "A source behind this record: the work and the idea taken from it.",
        {"title": "The Checklist Manifesto", "author": "Atul Gawande", "year": 2009,
         "note": "A short list at clear pause points stops people skipping steps."},
    ),
}

COMMON: dict[str, Any] = {
    "title": _line("The record's name, one line, in sentence case.", "Bring options, not only problems",
                   limit="title_length"),
    "summary": _line("One sentence, on one line, saying what this record is about.",
                     "When something goes wrong, arrive with two or three ways forward and a recommendation.",
                     min_length=10, limit="summary_length"),
    "owner": {"type": "string", "pattern": r"^@?[A-Za-z0-9][A-Za-z0-9._/-]{0,79}$",
              "description": "Who keeps this record: a person's or team's handle, such as @docs-team or jo.smith.",
              "examples": ["@docs-team"]},
    "reviewed": {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
                 "description": "The date (YYYY-MM-DD) a person last read this record against current practice; "
                                "`playbook stale` lists records whose review is due.",
                 "examples": ["2026-01-31"]},
    "sources": _list({"$ref": "#/definitions/source"},
                     "The works this record draws on, each with the idea taken from it.",
                     [{"title": "The Checklist Manifesto", "note": "Pause points keep a checklist short."}]),
}


def _record(kind: str, description: str, properties: dict[str, Any], required: list[str],
            example: dict[str, Any]) -> dict[str, Any]:
    props = {"title": COMMON["title"], "summary": COMMON["summary"], "owner": COMMON["owner"],
             "reviewed": COMMON["reviewed"], **properties, "sources": COMMON["sources"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        # Relative, so the schemas name no site: a published copy is identified by where it is served from.
        "$id": f"{kind}.schema.json",
        "title": f"Playbook {SINGULAR[kind]}",
        "description": description,
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "summary", *required],
        "properties": props,
        "definitions": DEFINITIONS,
        "examples": [example],
    }


PRINCIPLE = _record(
    "principles",
    "A lasting truth behind the plays: why it holds and how it shows in behaviour.",
    {
        "why": _prose("Why the principle holds.",
                      "The people you work with need your information to do their job, and you need their backing to do yours."),
        "looks_like": _list(_line("One observable behaviour.", "You tell the people affected about a slip before anyone else does.",
                                  limit="line_length"),
                            "What following the principle looks like day to day.",
                            ["You tell the people affected about a slip before anyone else does.",
                             "You ask what the people you work with are measured on this year."], min_items=2,
                            limit="list_items"),
        "pitfalls": _ref_list("pitfalls", "Pitfalls that break this principle.", ["waiting-to-be-told"], min_items=0),
    },
    ["why", "looks_like", "sources"],
    {"title": "You depend on each other", "summary": "Your colleagues need you as much as you need them.",
     "why": "Neither of you can succeed alone.", "looks_like": ["You share bad news early.", "You ask what they are measured on."],
     "sources": [{"title": "The Checklist Manifesto", "note": "Shared work needs shared checks."}]},
)

STEP = _record(
    "steps",
    "One practice on the playbook's path, in order.",
    {
        "order": {"type": "integer", "minimum": 1, "maximum": 99,
                  "description": "Position on the path, starting at 1; each step has its own number.", "examples": [1]},
        "why": _prose("Why this practice matters at this point of the path.",
                      "You cannot aim your work well until you know what your team is judged on."),
        "actions": _list(_line("A concrete action, starting with a verb.", "Ask what your team is expected to deliver this quarter.",
                               limit="line_length"),
                         "Concrete actions that put the step into practice.",
                         ["Ask what your team is expected to deliver this quarter.",
                          "Write down the three goals they name and check the list with them."], min_items=2,
                         limit="list_items"),
        "principles": _ref_list("principles", "Principles this step serves (at least one).", ["you-depend-on-each-other"]),
        "pitfalls": _ref_list("pitfalls", "Pitfalls this step guards against.", ["waiting-to-be-told"], min_items=0),
    },
    ["order", "why", "actions", "principles", "sources"],
    {"title": "Learn the team's priorities", "summary": "Find out what your team is judged on.", "order": 1,
     "why": "You can only aim well once you know the target.", "actions": ["Ask about their goals.", "Write them down."],
     "principles": ["you-depend-on-each-other"], "sources": [{"title": "The Checklist Manifesto", "note": "Know the goal first."}]},
)

PITFALL = _record(
    "pitfalls",
    "A common mistake or myth: why people fall into it and what to do instead.",
    {
        "myth": {"type": "boolean", "description": "True when the pitfall is a belief people hold (a myth) rather than an act.",
                 "examples": [True]},
        "why_tempting": _prose("Why people fall into it.", "Staying quiet feels safer than risking a bad reaction."),
        "why_it_fails": _prose("Why it does not work.", "Problems grow while hidden and arrive later as surprises."),
        "instead": _prose("What to do instead.", "Raise the issue early, in private, with what you propose."),
        "warning_signs": _list(_line("A sign you are in this pitfall.", "You rehearse excuses before each meeting.",
                                     limit="line_length"),
                               "Signs that you are falling into it.",
                               ["You rehearse excuses before each meeting.", "You hope a slipped date will fix itself."],
                               min_items=2, limit="list_items"),
    },
    ["why_tempting", "why_it_fails", "instead", "warning_signs", "sources"],
    {"title": "Hiding bad news", "summary": "Waiting to share a problem until it is too late.",
     "why_tempting": "It feels safer.", "why_it_fails": "Problems grow.", "instead": "Share early with options.",
     "warning_signs": ["You avoid the people affected.", "You hope it fixes itself."],
     "sources": [{"title": "The Checklist Manifesto", "note": "No surprises."}]},
)

ITEM = {
    "description": "One checklist item: a short line, or a mapping with its text and details.",
    "examples": ["Write the three topics you most need to discuss"],
    "anyOf": [
        _line("The item's text: one action or prompt.", "Write the three topics you most need to discuss",
              limit="item_length"),
        _object(
            {
                "text": _line("The item's text: one action or prompt.", "Ask what would help them most this week",
                              limit="item_length"),
                "critical": {"type": "boolean", "description": "True for an item that must never be skipped; critical items come first.",
                             "examples": [True]},
                "guards": _ref_list("pitfalls", "Pitfalls this item guards against.", ["a-pitfall-id"]),
            },
            ["text"],
            "An item with details.",
            {"text": "Say any risk to a deadline now", "critical": True, "guards": ["a-pitfall-id"]},
        ),
    ],
}

CHECKLIST = _record(
    "checklists",
    "A one-page checklist for a real task or conversation, printable and tickable.",
    {
        "type": {"type": "string", "enum": ["READ-DO", "DO-CONFIRM", "QUESTION-BANK"],
                 "description": "READ-DO: do each item as you read it. DO-CONFIRM: act from memory, then check. "
                                "QUESTION-BANK: prompts to pick from, not all to use.",
                 "examples": ["READ-DO"]},
        "when": _line("When to use this checklist.", "The evening before the weekly review.", max_length=160),
        "sections": _list(
            _object(
                {
                    "pause": _line("The pause point: a moment in the workflow.", "Before the meeting", max_length=60),
                    "items": _list(ITEM, "The items to check at this pause point.",
                                   ["Write the three topics you most need to discuss"], min_items=1,
                                   limit="section_items"),
                },
                ["pause", "items"],
                "A pause point and its items.",
                {"pause": "Before the meeting", "items": ["Write the three topics you most need to discuss"]},
            ),
            "The pause points, in order (at most three).",
            [{"pause": "Before the meeting", "items": ["Write the three topics you most need to discuss"]}],
            max_items=3, unique=False,
        ),
        "principles": _ref_list("principles", "Principles this checklist puts into practice.", ["no-surprises"], min_items=0),
    },
    ["type", "when", "sections"],
    {"title": "Prepare for a review", "summary": "Get ready for the weekly review.", "type": "READ-DO",
     "when": "The evening before.", "sections": [{"pause": "Before the meeting", "items": ["Write your agenda"]}]},
)

SCRIPT_KEYS = ("opening", "asking", "pushback", "closing")
SCENARIO = _record(
    "scenarios",
    "A play: a situation, what to do and what to say.",
    {
        "situation": _line("The trigger, as the reader would describe it.",
                           "A reviewer checks every detail of work you have done many times.", limit="line_length"),
        "in_their_words": _list(_line("A phrase a reader might type into search, in their own words.",
                                      "they redo everything I hand in", max_length=120),
                                "3 to 8 phrases readers use for this situation, in their words rather than the title's; "
                                "search weighs them highly, and no phrase may appear in two records.",
                                ["they redo everything I hand in", "can't get anything done without sign-off",
                                 "no trust in my work"], min_items=3, max_items=8),
        "goal": _line("What a good outcome looks like.", "Agree on where you check in and where you decide alone.",
                      limit="line_length"),
        "not_for": _list(_line("A case where this play is the wrong one.", "The reviewer is fairly raising a real quality problem.",
                               limit="line_length"),
                         "When not to use this play.", ["The reviewer is fairly raising a real quality problem."],
                         max_items=5),
        "moves": _list(_line("One move, starting with a verb.", "Ask what worries them about this piece of work.",
                             limit="line_length"),
                       "The moves, in order (3 to 9), each starting with a verb.",
                       ["Ask what worries them about this piece of work.",
                        "Offer a check-in point before the final draft.",
                        "Agree a two-week trial with one review date."], min_items=3, max_items=9),
        "scripts": _object(
            {key: _line(f"What you might say ({key}).", ex, max_length=300) for key, ex in zip(
                SCRIPT_KEYS,
                ["Can we take ten minutes on how we work together on reports?",
                 "What would you need to see to feel easy leaving the next one with me?",
                 "I hear that. Could we try it for two weeks and then look again?",
                 "So I send you the outline first and you review only the final draft. Right?"],
            )},
            [],
            "Short scripts of what to say: opening, asking, pushback and closing (write all four).",
            {"opening": "Can we take ten minutes on how we work together on reports?"},
        ) | {"minProperties": 1},
        "pitfalls": _ref_list("pitfalls", "Pitfalls to avoid in this play.", ["a-pitfall-id"]),
        "signals": _list(_line("A sign that the play worked.", "The reviewer reads the outline, not every draft.",
                               limit="line_length"),
                         "Signals that the play worked.", ["The reviewer reads the outline, not every draft."],
                         max_items=6),
        "escalate": _prose("When and to whom to escalate if the play does not work.",
                           "If nothing changes after two tries over a month, ask a mentor or HR for advice."),
        "follow_up": _object(
            {
                "what": _line("What to do after the conversation.", "Send a two-line summary of what you agreed.",
                              limit="line_length"),
                "by": _line("The deadline for it.", "Within 24 hours", max_length=60),
            },
            ["what", "by"],
            "The follow-up: what to do and by when.",
            {"what": "Send a two-line summary of what you agreed.", "by": "Within 24 hours"},
        ),
        "variations": _list(
            _object(
                {
                    "when": _line("The variation's condition.", "Remote", max_length=80, min_length=2),
                    "do": _line("What changes.", "Agree the check-in points in writing, in your shared tracker.",
                                max_length=300),
                },
                ["when", "do"],
                "A variation of the play.",
                {"when": "Remote", "do": "Agree the check-in points in writing."},
            ),
            "How the play changes in other settings (remote, with someone new, ...).",
            [{"when": "Remote", "do": "Agree the check-in points in writing."}], max_items=6, unique=False,
        ),
        "example": _prose("A short case showing the play in use (recommended).",
                          "Priya's reviewer rewrote each of her status reports. She asked for ten minutes..."),
        "time": _object(
            {
                "prep_minutes": {"type": "integer", "minimum": 0, "maximum": 240,
                                 "description": "Minutes to prepare, on your own.", "examples": [15]},
                "talk_minutes": {"type": "integer", "minimum": 1, "maximum": 240,
                                 "description": "Minutes of the conversation itself, with the other person.", "examples": [10]},
            },
            ["prep_minutes", "talk_minutes"],
            "Time needed, preparation and talk kept apart.",
            {"prep_minutes": 15, "talk_minutes": 10},
        ),
        "difficulty": {"type": "string", "enum": ["easy", "medium", "hard"],
                       "description": "How hard the play is to run well.", "examples": ["medium"]},
        "tags": _list({"type": "string", "pattern": SLUG, "description": "A tag: lowercase words joined by hyphens.",
                       "examples": ["feedback"]},
                      "Tags for finding the play.", ["feedback", "trust"], max_items=6),
        "checklist": {"$ref": "#/definitions/id", "description": "The id of the checklist to use with this play (recommended).",
                      "examples": ["prepare-for-a-review"]},
        "principles": _ref_list("principles", "Principles behind this play (at least one).", ["you-depend-on-each-other"]),
        "steps": _ref_list("steps", "Steps of the path this play applies.", ["agree-on-expectations"]),
        "see_also": _ref_list("scenarios", "Related plays, for example the one to use instead or after this one.",
                              ["ask-for-a-second-opinion"]),
    },
    ["situation", "goal", "not_for", "moves", "scripts", "pitfalls", "signals", "escalate", "follow_up",
     "time", "difficulty", "tags", "principles", "sources"],
    {"title": "My work gets checked line by line", "summary": "Win back room to work.", "situation": "A reviewer checks every detail.",
     "goal": "Agree on check-in points.", "not_for": ["A real quality problem."],
     "moves": ["Ask what worries them.", "Offer check-in points.", "Review after two weeks."],
     "scripts": {"opening": "Can we talk about how we work on reports?"}, "pitfalls": ["a-pitfall-id"],
     "signals": ["Fewer rewrites."], "escalate": "Ask HR if nothing changes.",
     "follow_up": {"what": "Send a summary.", "by": "Within 24 hours"}, "time": {"prep_minutes": 15, "talk_minutes": 10},
     "difficulty": "medium", "tags": ["trust"], "principles": ["you-depend-on-each-other"],
     "sources": [{"title": "The Checklist Manifesto", "note": "Agree the checks up front."}]},
)

SCHEMAS: dict[str, dict[str, Any]] = {
    "principles": PRINCIPLE,
    "steps": STEP,
    "pitfalls": PITFALL,
    "checklists": CHECKLIST,
    "scenarios": SCENARIO,
}


def schemas_for(limits: ContentLimits = DEFAULT_CONTENT_LIMITS) -> dict[str, dict[str, Any]]:
    """The schemas with a playbook's content limits in place of the defaults (the published ones hold those)."""
    return tuned(SCHEMAS, limits)


def schema_text(kind: str) -> str:
    """The published text of one kind's schema."""
    return json.dumps(SCHEMAS[kind], indent=2, ensure_ascii=False) + "\n"
