"""Content lint: the engine, the profiles and the rule table; each rule has an id, a message and its limits.

The rules themselves live beside it by what they read (lint_checklists, lint_scenarios, lint_text), with the word
tests they share in lint_words. Rules run only on records that passed the schema, so they can trust the shape of the
data. Errors fail `playbook validate`; warnings fail it under `--strict`.
"""
from __future__ import annotations

from dataclasses import dataclass
import dataclasses
import difflib
from typing import Any, Callable, Iterator, Mapping

from playbook.core.diagnostics import ERROR, WARNING, Diagnostic
from playbook.records import lint_checklists, lint_scenarios, lint_text
from playbook.records.load import Record, field_name
from playbook.records.spelling import VARIETIES
# The word tests, importable from here as before (tests and content checks use them).
from playbook.records.lint_words import (CAPITALS, CHAIN_VERBS, CLOSING, COMMAND_VERBS, DEADLINE, DEFINED,  # noqa: F401
                                         FILLER, FILLER_RE, INVITES, KNOWN_CAPS, NOT_VERBS, STATE_WORD, VAGUE,
                                         first_word, slug, starts_with_verb, words)

WORD_WARN = 10
WORD_ERROR = 15
ITEMS_MIN, ITEMS_MAX = 5, 9
CARD_MAX = 20
SCIENCE = "checklist-science"
# Profiles a playbook opts into with `extra.playbook.lint.profile`: rules that hold for one kind of playbook, not for
# any. checklist-science holds checklists to the research on checklists (short items at meeting pause points, a
# closing item, one that invites talk, states on DO-CONFIRM cards) and scenarios to complete plays. Its `lint` is
# applied before the playbook's own lint settings and its `limits` before the playbook's own limits.
PROFILES: dict[str, dict[str, dict[str, Any]]] = {
    SCIENCE: {
        "lint": {
            "question-bank.size": {"min": 8},
            "question-bank.prompt": {"statements": False},
            "scenario.title-voice": "error",
            "text.shouting": {"allow": ["OKRS", "KPIS", "RACI", "DACI"]},
        },
        "limits": {"title_length": 90, "summary_length": 240, "line_length": 200, "item_length": 140,
                   "prose_length": 1500, "list_items": 8, "section_items": 30},
    },
}
PROFILE_KEY = "profile"  # extra.playbook.lint.profile: the name of a profile


# A check yields (field path, severity, message), plus (line, column) when it points inside the value.
Check = Callable[[Record, dict[str, Any]], Iterator[tuple[Any, ...]]]
SEVERITIES = ("error", "warning", "off")


@dataclass(frozen=True)
class Rule:
    id: str
    kinds: tuple[str, ...]
    summary: str
    check: Check
    params: dict[str, Any]
    off_by_default: bool = False
    profile: str = ""  # a named profile the rule belongs to: it runs only where extra.playbook.lint picks it


def _external(record: Record, cfg: dict[str, Any]):
    """Rules checked elsewhere (references, step order) are listed here so that a playbook can tune them."""
    return iter(())


# Every rule, in the order `playbook rules` lists them and validate reports them: its id, the kinds it reads, what
# it checks, its check, its tunable limits, whether it is off until a playbook turns it on, and its profile.
_EVERY_KIND = ("checklists", "scenarios", "principles", "steps", "pitfalls")
_C, _S = ("checklists",), ("scenarios",)
RULES: list[Rule] = [
    Rule("checklist.items-per-pause", _C, "Each pause point holds 5 to 9 items.", lint_checklists.per_pause,
         {"min": ITEMS_MIN, "max": ITEMS_MAX}, profile=SCIENCE),
    Rule("checklist.card-size", _C, "At most about 20 items on one card.", lint_checklists.card_size,
         {"max": CARD_MAX}, profile=SCIENCE),
    Rule("checklist.item-length", _C, "Items are short: warn above 10 words, error above 15.",
         lint_checklists.item_length, {"warn": WORD_WARN, "error": WORD_ERROR}, profile=SCIENCE),
    Rule("checklist.read-do-verb", _C, "READ-DO items start with a verb.", lint_checklists.read_do_verb, {},
         profile=SCIENCE),
    Rule("checklist.do-confirm-state", _C, "DO-CONFIRM items read as states to confirm, not commands.",
         lint_checklists.do_confirm_state, {}, profile=SCIENCE),
    Rule("question-bank.size", _C, "A question bank holds enough prompts to choose from, and fits a page.",
         lint_checklists.bank_size, {"min": 3, "max": 30}),
    Rule("question-bank.prompt", _C, "Question-bank items are questions, open prompts or requests "
         "('Tell me about ...').", lint_checklists.bank_prompt, {"statements": True}),
    Rule("checklist.vague", _C, "No vague verbs (consider, think about, handle, as needed, etc.).",
         lint_checklists.vague, {}, profile=SCIENCE),
    Rule("checklist.one-action", _C, "One action per item.", lint_checklists.one_action, {}, profile=SCIENCE),
    Rule("checklist.critical-first", _C, "Critical items come early in their section.", lint_checklists.critical_first,
         {}),
    Rule("checklist.duplicate-item", _C, "No item appears twice on one card, in any section.",
         lint_checklists.duplicate_item, {}),
    Rule("checklist.closing-item", _C, "The last pause ends with a closing item.", lint_checklists.closing, {},
         profile=SCIENCE),
    Rule("checklist.invites-talk", _C, "At least one item invites the other person to talk.", lint_checklists.invites,
         {}, profile=SCIENCE),
    Rule("text.shouting", _EVERY_KIND, "Sentence case, no shouting; acronyms on the allow-list or spelled out once, "
         "'... (WCAG)', are fine.", lint_text.shouting, {"allow": []}),
    Rule("text.title-case", _EVERY_KIND, "Titles in sentence case.", lint_text.title_case, {}, profile=SCIENCE),
    Rule("text.filler", _EVERY_KIND, "No corporate filler.", lint_text.filler, {}, profile=SCIENCE),
    Rule("scenario.move-verb", _S, "Moves start with a verb.", lint_scenarios.move_verb, {}, profile=SCIENCE),
    Rule("scenario.title-voice", _S, "Scenario titles are in the reader's own words.", lint_scenarios.title_voice,
         {"words": ["I", "I'm", "my", "me", "we", "our", "us"]}, off_by_default=True),
    Rule("scenario.id-matches-title", _S, "A scenario's id is made of its title's words.",
         lint_scenarios.id_matches_title, {}, off_by_default=True),
    Rule("scenario.scripts", _S, "Scripts for opening, asking, pushback and closing.", lint_scenarios.scripts, {},
         profile=SCIENCE),
    Rule("scenario.follow-up-deadline", _S, "The follow-up has a real deadline.", lint_scenarios.deadline, {},
         profile=SCIENCE),
    Rule("scenario.checklist", _S, "A scenario names the checklist to use.", lint_scenarios.scenario_checklist, {},
         profile=SCIENCE),
    Rule("scenario.example", _S, "A scenario shows a case.", lint_scenarios.scenario_example, {}, profile=SCIENCE),
    Rule("record.sources", _C, "Records cite their sources.", lint_checklists.checklist_sources, {}, profile=SCIENCE),
    # Checked elsewhere (references, step order), listed here so that a playbook can tune them.
    Rule("ref.unreferenced", (), "Principles, pitfalls and checklists are linked with some other record, either way.",
         _external, {}),
    Rule("step.order-gap", (), "Step orders run 1 to n without gaps.", _external, {}),
    Rule("scenario.in-their-words-unique", (), "A phrase in in_their_words belongs to one scenario only.", _external,
         {}),
    Rule("text.spelling", _EVERY_KIND, "One spelling variety, set by extra.playbook.lint.spelling: us or uk.",
         lint_text.spelling, {}, off_by_default=True),
]

SPELLING_KEY = "spelling"  # extra.playbook.lint.spelling: us or uk, the variety text.spelling holds the playbook to


def _phrase(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .?!")


def lint_in_their_words(records: list[Record]) -> list[Diagnostic]:
    """Each in_their_words phrase (ignoring case and spacing) leads to one scenario; a repeat is located at the second."""
    out: list[Diagnostic] = []
    first: dict[str, tuple[Record, int]] = {}
    for record in sorted((r for r in records if r.kind == "scenarios"), key=lambda r: r.path):
        phrases = record.data.get("in_their_words")
        for i, text in enumerate(phrases if isinstance(phrases, list) else []):
            if not isinstance(text, str) or not _phrase(text):
                continue
            seen = first.setdefault(_phrase(text), (record, i))
            if seen[0] is not record:
                line, column = record.where(("in_their_words", i))
                out.append(Diagnostic(record.path, line, column, ERROR,
                                      f"{text!r} is already a phrase of {seen[0].path} (in_their_words[{seen[1]}]); "
                                      f"a search phrase leads to one play: reword it or keep it in one of them",
                                      "scenario.in-their-words-unique", f"in_their_words[{i}]"))
    return out


def tune(diagnostics: list[Diagnostic], settings: dict[str, RuleSetting]) -> list[Diagnostic]:
    """Apply a playbook's severity overrides to diagnostics of the rules checked outside lint_record."""
    out = []
    for d in diagnostics:
        tuned = settings.get(d.rule)
        if tuned is None or not tuned.severity:
            out.append(d)
        elif tuned.severity != "off":
            out.append(dataclasses.replace(d, severity=tuned.severity))
    return out


@dataclass(frozen=True)
class RuleSetting:
    """One rule as a playbook tunes it: its severity override ("" keeps the rule's own) and its limits."""

    severity: str
    params: dict[str, Any]


def rule_settings(lint: Mapping[str, Any] | None = None) -> dict[str, RuleSetting]:
    """Every rule with a playbook's `extra.playbook.lint` applied (already checked by check_lint_settings)."""
    out: dict[str, RuleSetting] = {}
    profile = profile_name(lint)
    layers = [PROFILES[profile]["lint"] if profile else {}, lint or {}]  # the profile first, the playbook's on top
    for r in RULES:
        off = r.off_by_default or (bool(r.profile) and r.profile != profile)
        severity, params = ("off" if off else ""), dict(r.params)
        for layer in layers:
            raw = layer.get(r.id)
            if raw is False or raw in SEVERITIES:
                severity = "off" if raw is False else str(raw)
            elif raw is True:
                severity = ""
            elif isinstance(raw, dict):
                severity = str(raw.get("severity", ""))  # tuning a rule's limits turns it on
                params.update({k: v for k, v in raw.items() if k != "severity"})
        out[r.id] = RuleSetting(severity, params)
    variety = (lint or {}).get(SPELLING_KEY)
    if variety in VARIETIES:  # naming a variety turns text.spelling on, unless the rule itself is set off
        tuned = out["text.spelling"]
        off = (lint or {}).get("text.spelling") in (False, "off")
        out["text.spelling"] = RuleSetting("off" if off else ("" if tuned.severity == "off" else tuned.severity),
                                           {**tuned.params, "variety": variety})
    return out


def profile_name(lint: Mapping[str, Any] | None) -> str:
    """The profile `extra.playbook.lint.profile` picks, or "" for none (or an unknown one, reported elsewhere)."""
    name = (lint or {}).get(PROFILE_KEY) if isinstance(lint, Mapping) else None
    return name if isinstance(name, str) and name in PROFILES else ""


def profile_limits(lint: Mapping[str, Any] | None) -> dict[str, int]:
    """The content limits of the profile a playbook picks (its own `extra.playbook.limits` go on top)."""
    profile = profile_name(lint)
    return dict(PROFILES[profile]["limits"]) if profile else {}


def _param_ok(default: Any, value: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1000
    if isinstance(default, list):
        return isinstance(value, list) and all(isinstance(v, str) and v for v in value)
    return isinstance(value, type(default))


def check_lint_settings(settings: Any) -> list[Diagnostic]:
    """Located errors for `extra.playbook.lint`: unknown rules, unknown limits, values of the wrong type."""
    lint = settings.lint
    out: list[Diagnostic] = []

    def problem(path: tuple[Any, ...], field: str, message: str, rule_id: str) -> None:
        line, column = settings.where(path)
        out.append(Diagnostic("mkdocs.yml", line, column, ERROR, message, rule_id, field))

    if not isinstance(lint, dict):
        problem(("lint",), "extra.playbook.lint", "must be a mapping of rule ids to settings", "config.type")
        return out
    known = {r.id: r for r in RULES}
    spelling_on = lint.get("text.spelling") not in (None, False, "off") and not (
        isinstance(lint.get("text.spelling"), dict) and lint["text.spelling"].get("severity") == "off")
    if spelling_on and SPELLING_KEY not in lint:
        problem(("lint", "text.spelling"), "extra.playbook.lint.text.spelling",
                "text.spelling needs the variety beside it: add `spelling: us` or `spelling: uk` under "
                "extra.playbook.lint", "config.type")
    for rule_id, raw in lint.items():
        field = f"extra.playbook.lint.{rule_id}"
        if rule_id == PROFILE_KEY:
            if raw not in PROFILES:
                close = difflib.get_close_matches(str(raw), sorted(PROFILES), n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else f"known profiles: {', '.join(sorted(PROFILES))}"
                problem(("lint", rule_id), field, f"unknown lint profile {raw!r}; {hint}", "config.unknown-key")
            continue
        if rule_id == SPELLING_KEY:
            if raw not in VARIETIES:
                problem(("lint", rule_id), field, f"must be us or uk (the spelling variety of the whole playbook), "
                                                  f"not {raw!r}", "config.type")
            continue
        if rule_id not in known:
            close = difflib.get_close_matches(rule_id, sorted(known), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else "`playbook rules` lists them"
            problem(("lint", rule_id, "<key>"), field, f"unknown lint rule {rule_id!r}; {hint}", "config.unknown-key")
            continue
        r = known[rule_id]
        if isinstance(raw, bool) or raw in SEVERITIES:
            continue
        if not isinstance(raw, dict):
            problem(("lint", rule_id), field, "must be off, warning, error or a mapping of limits", "config.type")
            continue
        for key, value in raw.items():
            if key == "severity":
                if value not in SEVERITIES:
                    problem(("lint", rule_id, key), f"{field}.severity", "must be error, warning or off", "config.type")
            elif key not in r.params:
                allowed = ", ".join(["severity", *r.params])
                problem(("lint", rule_id, key, "<key>"), f"{field}.{key}",
                        f"unknown setting {key!r} for this rule; it takes: {allowed}", "config.unknown-key")
            elif not _param_ok(r.params[key], value):
                problem(("lint", rule_id, key), f"{field}.{key}",
                        f"must be like the default {r.params[key]!r}", "config.type")
    return out


def lint_record(record: Record, settings: dict[str, RuleSetting] | None = None) -> list[Diagnostic]:
    """Every lint diagnostic for one schema-valid record."""
    settings = settings or rule_settings()
    out: list[Diagnostic] = []
    for r in RULES:
        if record.kind not in r.kinds:
            continue
        tuned = settings[r.id]
        if tuned.severity == "off":
            continue
        for path, severity, message, *at in r.check(record, tuned.params):
            line, column = at[0] if at and at[0] else record.where(path)  # a rule may point inside a value
            out.append(Diagnostic(record.path, line, column, tuned.severity or severity, message, r.id,
                                  field_name(path)))
    return out


def lint_steps(records: list[Record]) -> list[Diagnostic]:
    """Step orders are unique and run 1..n without gaps."""
    steps = [r for r in records if r.kind == "steps" and isinstance(r.data.get("order"), int)]
    out: list[Diagnostic] = []
    by_order: dict[int, Record] = {}
    for step in sorted(steps, key=lambda r: r.path):
        order = step.data["order"]
        if order in by_order:
            line, column = step.where(("order",))
            out.append(Diagnostic(step.path, line, column, ERROR,
                                  f"order {order} is already used by {by_order[order].path}; give each step its own number",
                                  "step.order", "order"))
        else:
            by_order[order] = step
    expected = list(range(1, len(by_order) + 1))
    if sorted(by_order) != expected and by_order:
        gap = next(n for n in expected if n not in by_order)
        step = by_order[max(by_order)]
        line, column = step.where(("order",))
        out.append(Diagnostic(step.path, line, column, WARNING,
                              f"step orders skip {gap}; number the path 1 to {len(by_order)}", "step.order-gap", "order"))
    return out
