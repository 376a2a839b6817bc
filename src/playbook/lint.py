"""Content lint: the checklist and scenario rules of CONTENT_GUIDE.md, each with an id and a message.

Rules run only on records that passed the schema, so they can trust the shape of the data.
Errors fail `playbook validate`; warnings fail it under `--strict`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
import dataclasses
import difflib
from typing import Any, Callable, Iterator, Mapping

from .diagnostics import ERROR, WARNING, Diagnostic
from .load import Path_, Record, field_name
from .references import reference_fields
from .spelling import UK_TO_US, VARIETIES, misspellings

WORD_WARN = 10
WORD_ERROR = 15
ITEMS_MIN, ITEMS_MAX = 5, 9
CARD_MAX = 20

# Words that cannot open an imperative sentence: articles, pronouns, conjunctions, question words.
NOT_VERBS = frozenset("""
a an the my your our their his her its this that these those i you we they he she it me us them
if when while whether what how why who whom which where all each every no not any some both either neither
before after during then so and or but because although though since until unless once also only just
very really maybe perhaps there here is are was were be been am has have had do does did will would can could
should shall may might must yes ok okay please new first last next good bad great more most less least
one two three four five six seven eight nine ten twenty several many few
""".split())
VAGUE = (
    ("consider", r"\bconsider(s|ing)?\b"), ("think about", r"\bthink(ing)? about\b"), ("handle", r"\bhandl(e|es|ing)\b"),
    ("deal with", r"\bdeal(s|ing)? with\b"), ("look into", r"\blook(ing)? into\b"), ("make sure", r"\bmake sure\b"),
    ("ensure", r"\bensur(e|es|ing)\b"), ("as needed", r"\bas needed\b"), ("as appropriate", r"\bas appropriate\b"),
    ("etc.", r"\betc\b"), ("and so on", r"\band so on\b"),
)
FILLER = ("leverage", "synergy", "synergies", "circle back", "move the needle", "low-hanging fruit", "touch base",
          "paradigm", "best-in-class")
FILLER_RE = re.compile(rf"\b(?:{'|'.join(re.escape(phrase) for phrase in FILLER)})\b")
CHAIN_VERBS = frozenset("""ask agree book bring check close confirm decide email end follow give invite list name note offer
open plan prepare propose raise read recap record review say schedule send set share start summarise summarize tell thank
update write""".split())
# Words that open a command; a DO-CONFIRM item starting with one reads as an order unless it also names a state.
COMMAND_VERBS = CHAIN_VERBS | frozenset("""add avoid call choose collect compare copy draft explain find get go keep leave let
look make mark meet move pick print put remind reply repeat show stop take talk thank try turn use wait walk""".split())
# Says that something is done or so: a past participle or state word at the end, or early on after a noun ("Stop
# point agreed with them", "Call notes sent the same day": the first word is then a noun, not a command), or a form
# of "to be" or "to have" anywhere.
_DONE = (r"(\w+[^\We]ed|agreed|written|done|sent|chosen|known|given|taken|seen|shown|told|made|kept|set|read|"
         r"ready|clear|is|are|has|have)")
_NOT_AFTER = "".join(rf"(?<!\b{d} )" for d in "a an the this that your their my our his her its".split())  # "the signed form"
STATE_WORD = re.compile(rf"\b{_DONE}\b\s*$|^\s*\S+(\s+\S+){{0,2}} {_NOT_AFTER}{_DONE}\b|\b(is|are|has|have|was|were)\b",
                        re.I)
CLOSING = re.compile(r"\b(recap(?:s|ped)?|summari[sz](?:e|es|ed)|confirm(?:s|ed)?|read back)\b", re.I)
INVITES = re.compile(r"\b(ask(?:s|ed)?|invit(?:e|es|ed))\b", re.I)
DEADLINE = re.compile(
    r"\b(within|by|before|after|until|next|tomorrow|today|tonight|end of|same (?:day|morning|afternoon|evening)|"
    r"noon|this week|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d+|one|two|three|four|five|six|seven|ten|"
    r"hours?|days?|weeks?|months?)\b", re.I)
# Words of four or more characters in capitals (whole tokens of `words`, nothing but capitals and digits).
CAPITALS = re.compile(r"(?<![A-Za-z0-9:'’/-])[A-Z0-9][A-Z0-9:/-]{3,}(?![A-Za-z0-9:'’/-])")
# An acronym spelled out where it is first used: "Web Content Accessibility Guidelines (WCAG)".
DEFINED = re.compile(r"\((?P<acronym>[A-Z][A-Z0-9-]{1,15})\)")
# Words in capitals every playbook may use: the checklist types, and short ones (the rule flags only words of four
# or more characters).
KNOWN_CAPS = frozenset({"READ-DO", "DO-CONFIRM", "QUESTION-BANK", "HR", "OKR", "KPI", "CEO", "CTO", "VP", "PR", "1:1",
                        "Q1", "Q2", "Q3", "Q4", "I", "OK", "ETA", "PDF", "A4", "UK", "US", "EOD"})
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


RULES: list[Rule] = []


def rule(rule_id: str, kinds: tuple[str, ...], summary: str, *, off: bool = False, profile: str = "", **params: Any):
    """Register a lint rule with its tunable limits; the function yields (field path, severity, message)."""
    def wrap(fn: Check):
        RULES.append(Rule(rule_id, kinds, summary, fn, params, off, profile))
        return fn
    return wrap


_WORD = re.compile(r"[^\W_][\w:'’/-]*")


def words(text: str) -> list[str]:
    """The words of a text, in any script."""
    return _WORD.findall(text)


def first_word(text: str) -> str:
    """The first word, or the text itself when it holds none (quoted in messages)."""
    found = words(text)
    return found[0] if found else text.strip()[:20]


def starts_with_verb(text: str) -> bool:
    """A cheap imperative test: the first word is not an article, pronoun, question word or -ing/-ly form.

    Words outside the Latin script are not judged (the test knows only English)."""
    first = words(text)[:1]
    if not first:
        return False
    word = first[0].lower()
    if not word.isascii():
        return True
    if word in NOT_VERBS or word[0].isdigit():
        return False
    return not (word.endswith("ing") and len(word) > 5) and not word.endswith("ly")


def _bank(record: Record) -> bool:
    return record.data["type"] == "QUESTION-BANK"


def _items(data: dict[str, Any]) -> Iterator[tuple[Path_, str, bool]]:
    for s, section in enumerate(data["sections"]):
        for i, item in enumerate(section["items"]):
            text = item if isinstance(item, str) else item["text"]
            critical = isinstance(item, dict) and bool(item.get("critical"))
            path: Path_ = ("sections", s, "items", i) if isinstance(item, str) else ("sections", s, "items", i, "text")
            yield path, text, critical


@rule("checklist.items-per-pause", ("checklists",), "Each pause point holds 5 to 9 items.", min=5, max=9, profile=SCIENCE)
def _per_pause(record: Record, cfg: dict[str, Any]):
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


@rule("checklist.card-size", ("checklists",), "At most about 20 items on one card.", max=20, profile=SCIENCE)
def _card_size(record: Record, cfg: dict[str, Any]):
    if _bank(record):
        return
    total = sum(len(s["items"]) for s in record.data["sections"])
    if total > cfg["max"]:
        yield ("sections",), ERROR, f"the card has {total} items; keep it to {cfg['max']} so it fits on one page"


@rule("checklist.item-length", ("checklists",), "Items are short: warn above 10 words, error above 15.",
      warn=10, error=15, profile=SCIENCE)
def _item_length(record: Record, cfg: dict[str, Any]):
    warn, error = cfg["warn"], cfg["error"]
    for path, text, _ in _items(record.data):
        n = len(words(text))
        if n > error:
            yield path, ERROR, f"item has {n} words; cut it to {warn} or fewer (at most {error})"
        elif n > warn:
            yield path, WARNING, f"item has {n} words; aim for {warn} or fewer"


@rule("checklist.read-do-verb", ("checklists",), "READ-DO items start with a verb.", profile=SCIENCE)
def _read_do_verb(record: Record, cfg: dict[str, Any]):
    if record.data["type"] != "READ-DO":
        return
    for path, text, _ in _items(record.data):
        if not starts_with_verb(text):
            yield path, ERROR, f"READ-DO items start with a verb; {first_word(text)!r} does not read as one"


@rule("checklist.do-confirm-state", ("checklists",), "DO-CONFIRM items read as states to confirm, not commands.", profile=SCIENCE)
def _do_confirm_state(record: Record, cfg: dict[str, Any]):
    if record.data["type"] != "DO-CONFIRM":
        return
    for path, text, _ in _items(record.data):
        first = first_word(text).lower()
        if first in COMMAND_VERBS and not STATE_WORD.search(text):
            yield path, ERROR, (f"DO-CONFIRM items are states to confirm; {first_word(text)!r} reads as a command "
                                f"(write what is done, e.g. 'Decision and owner written down')")


@rule("question-bank.size", ("checklists",), "A question bank holds enough prompts to choose from, and fits a page.",
      min=3, max=30)
def _bank_size(record: Record, cfg: dict[str, Any]):
    if not _bank(record):
        return
    total = sum(len(s["items"]) for s in record.data["sections"])
    if total > cfg["max"]:
        yield ("sections",), ERROR, f"the question bank has {total} prompts; keep it to {cfg['max']} so it fits on one page"
    elif total < cfg["min"]:
        yield ("sections",), WARNING, (f"the question bank has {total} prompts; offer at least {cfg['min']} to "
                                       f"choose from, or make it a READ-DO card")


@rule("question-bank.prompt", ("checklists",), "Question-bank items are questions, open prompts or requests "
      "('Tell me about ...').", statements=True)
def _bank_prompt(record: Record, cfg: dict[str, Any]):
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


@rule("checklist.vague", ("checklists",), "No vague verbs (consider, think about, handle, as needed, etc.).", profile=SCIENCE)
def _vague(record: Record, cfg: dict[str, Any]):
    for path, text, _ in _items(record.data):
        for name, pattern in VAGUE:
            if re.search(pattern, text, re.I):
                yield path, ERROR, f"{name!r} is vague; name the concrete action instead"
                break


@rule("checklist.one-action", ("checklists",), "One action per item.", profile=SCIENCE)
def _one_action(record: Record, cfg: dict[str, Any]):
    if _bank(record):
        return
    for path, text, _ in _items(record.data):
        lowered = text.lower()
        joined = re.search(r"\band (\w+)", lowered)
        if ";" in text or " and then " in lowered or " then " in lowered or (joined and joined.group(1) in CHAIN_VERBS):
            yield path, ERROR, "item joins two actions; split it into two items"


@rule("checklist.critical-first", ("checklists",), "Critical items come early in their section.")
def _critical_first(record: Record, cfg: dict[str, Any]):
    for s, section in enumerate(record.data["sections"]):
        seen_plain = False
        for i, item in enumerate(section["items"]):
            critical = isinstance(item, dict) and item.get("critical")
            if critical and seen_plain:
                yield ("sections", s, "items", i), ERROR, "critical item comes after a non-critical one; move it up"
            seen_plain = seen_plain or not critical


@rule("checklist.duplicate-item", ("checklists",), "No item appears twice on one card, in any section.")
def _duplicate_item(record: Record, cfg: dict[str, Any]):
    seen: dict[str, Path_] = {}
    for path, text, _ in _items(record.data):
        key = " ".join(text.casefold().split()).rstrip(".?!…")
        if key in seen:
            yield path, ERROR, f"the same item is already at {field_name(seen[key])}; keep one of them"
        else:
            seen[key] = path


@rule("checklist.closing-item", ("checklists",), "The last pause ends with a closing item.", profile=SCIENCE)
def _closing(record: Record, cfg: dict[str, Any]):
    if _bank(record):
        return
    section = record.data["sections"][-1]
    path, text, _ = list(_items({"sections": [section]}))[-1]
    if not CLOSING.search(text):
        real = ("sections", len(record.data["sections"]) - 1, *path[2:])
        yield real, ERROR, "the last item should close the meeting: recap or confirm decisions, owners and dates"


@rule("checklist.invites-talk", ("checklists",), "At least one item invites the other person to talk.", profile=SCIENCE)
def _invites(record: Record, cfg: dict[str, Any]):
    if _bank(record):
        return
    if not any(INVITES.search(text) for _, text, _ in _items(record.data)):
        yield ("sections",), ERROR, "no item invites the other person to talk; add one that starts with 'Ask'"


@rule("text.shouting", ("checklists", "scenarios", "principles", "steps", "pitfalls"),
      "Sentence case, no shouting; acronyms on the allow-list or spelled out once, '... (WCAG)', are fine.",
      allow=[])
def _shouting(record: Record, cfg: dict[str, Any]):
    texts = list(_texts(record))
    allowed = KNOWN_CAPS | {w.upper() for w in cfg["allow"]}
    allowed |= {w.upper() for _, text in texts for w in DEFINED.findall(text)}  # "Web Content ... (WCAG)"
    for path, text in texts:
        loud = [w for w in CAPITALS.findall(text) if w.upper() not in allowed and any(c.isalpha() for c in w)]
        if loud:
            yield path, WARNING, (f"{loud[0]!r} is in capitals; write it in sentence case, or if it is an acronym, "
                                  f"spell it out once as 'Full name ({loud[0]})' or add it to text.shouting's allow list")


@rule("text.title-case", ("checklists", "scenarios", "principles", "steps", "pitfalls"), "Titles in sentence case.",
      profile=SCIENCE)
def _title_case(record: Record, cfg: dict[str, Any]):
    title_words = [w for w in words(record.data["title"])[1:] if len(w) > 3 and w.upper() not in KNOWN_CAPS]
    capitals = [w for w in title_words if w[0].isupper()]
    if len(title_words) >= 2 and len(capitals) > len(title_words) / 2:
        yield ("title",), WARNING, "title looks like Title Case; write it in sentence case"


@rule("text.filler", ("checklists", "scenarios", "principles", "steps", "pitfalls"), "No corporate filler.",
      profile=SCIENCE)
def _filler(record: Record, cfg: dict[str, Any]):
    for path, text in _texts(record):
        found = FILLER_RE.search(text.lower())
        if found:
            yield path, WARNING, f"{found.group(0)!r} is filler; say the plain thing"


@rule("scenario.move-verb", ("scenarios",), "Moves start with a verb.", profile=SCIENCE)
def _move_verb(record: Record, cfg: dict[str, Any]):
    for i, move in enumerate(record.data["moves"]):
        if not starts_with_verb(move):
            yield ("moves", i), ERROR, f"moves start with a verb; {first_word(move)!r} does not read as one"


@rule("scenario.title-voice", ("scenarios",), "Scenario titles are in the reader's own words.", off=True,
      words=["I", "I'm", "my", "me", "we", "our", "us"])
def _title_voice(record: Record, cfg: dict[str, Any]):
    wanted = {w.lower() for w in cfg["words"]}
    if not wanted & {w.lower() for w in words(record.data["title"])}:
        yield ("title",), ERROR, (f"write the title as the reader would say it, with one of: "
                                  f"{', '.join(cfg['words'])}")


@rule("scenario.id-matches-title", ("scenarios",), "A scenario's id is made of its title's words.", off=True)
def _id_matches_title(record: Record, cfg: dict[str, Any]):
    expected = slug(record.data["title"])
    if expected and _one_spelling(record.id) != _one_spelling(expected):
        yield ("title",), WARNING, f"the id {record.id!r} does not match the title; name the file {expected}.yaml"


@rule("scenario.scripts", ("scenarios",), "Scripts for opening, asking, pushback and closing.", profile=SCIENCE)
def _scripts(record: Record, cfg: dict[str, Any]):
    missing = [k for k in ("opening", "asking", "pushback", "closing") if k not in record.data["scripts"]]
    if missing:
        yield ("scripts",), WARNING, f"add a script for {', '.join(missing)}: what the reader can say"


@rule("scenario.follow-up-deadline", ("scenarios",), "The follow-up has a real deadline.", profile=SCIENCE)
def _deadline(record: Record, cfg: dict[str, Any]):
    by = record.data["follow_up"]["by"]
    if not DEADLINE.search(by):
        yield ("follow_up", "by"), ERROR, f"{by!r} is not a deadline; write when, e.g. 'Within 24 hours' or 'By Friday'"


@rule("scenario.checklist", ("scenarios",), "A scenario names the checklist to use.", profile=SCIENCE)
def _scenario_checklist(record: Record, cfg: dict[str, Any]):
    if "checklist" not in record.data:
        yield (), WARNING, "name the checklist to use with this play in 'checklist:'"


@rule("scenario.example", ("scenarios",), "A scenario shows a case.", profile=SCIENCE)
def _scenario_example(record: Record, cfg: dict[str, Any]):
    if "example" not in record.data:
        yield (), WARNING, "add an 'example:' with a short case of the play in use"


@rule("record.sources", ("checklists",), "Records cite their sources.", profile=SCIENCE)
def _checklist_sources(record: Record, cfg: dict[str, Any]):
    if "sources" not in record.data:
        yield (), WARNING, "add 'sources:' for the research behind this checklist"


def _texts(record: Record) -> Iterator[tuple[Path_, str]]:
    def walk(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
        if isinstance(value, str):
            if path and path[0] != "sources":
                yield path, value
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from walk(v, (*path, i))
        elif isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, (*path, k))
    yield from walk(record.data, ())


def _external(record: Record, cfg: dict[str, Any]):
    """Rules checked elsewhere (references, step order) are listed here so that a playbook can tune them."""
    return iter(())


rule("ref.unreferenced", (), "Principles, pitfalls and checklists are linked with some other record, either way.")(_external)
rule("step.order-gap", (), "Step orders run 1 to n without gaps.")(_external)
rule("scenario.in-their-words-unique", (), "A phrase in in_their_words belongs to one scenario only.")(_external)

SPELLING_KEY = "spelling"  # extra.playbook.lint.spelling: us or uk, the variety text.spelling holds the playbook to
_VARIETY_NAMES = {"us": "US", "uk": "UK"}
_SOURCE_TEXT = ("note",)  # a source's own title, author and publisher keep the spelling they were published in


def _prose(record: Record) -> Iterator[tuple[Path_, str]]:
    """The record's own words: every text but the ids it refers to and the names of its sources."""
    ids = {path for path, _, _ in reference_fields(record)}
    for path, text in _texts(record):
        if path not in ids:
            yield path, text
    for i, source in enumerate(record.data.get("sources") or []):
        for key in _SOURCE_TEXT:
            if isinstance(source, dict) and isinstance(source.get(key), str):
                yield ("sources", i, key), source[key]


def _word_at(record: Record, path: Path_, text: str, offset: int, word: str) -> tuple[int, int] | None:
    """Line and column of `word`, at `offset` in the value at `path`, found in the file's text."""
    if not record.source:
        return None
    pattern = re.compile(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])")
    nth = len(pattern.findall(text, 0, offset))  # the same word earlier in the value
    line, column = record.where(path)
    start = 0
    for _ in range(line - 1):
        start = record.source.find("\n", start) + 1
    found = list(pattern.finditer(record.source, start + column - 1))
    if nth >= len(found):
        return None
    pos = found[nth].start()
    return record.source.count("\n", 0, pos) + 1, pos - record.source.rfind("\n", 0, pos)


@rule("text.spelling", ("checklists", "scenarios", "principles", "steps", "pitfalls"),
      "One spelling variety, set by extra.playbook.lint.spelling: us or uk.", off=True)
def _spelling(record: Record, cfg: dict[str, Any]):
    variety = cfg.get("variety")
    if variety not in VARIETIES:
        return
    for path, text in _prose(record):
        for offset, word, suggestion in misspellings(text, variety):
            other = _VARIETY_NAMES["uk" if variety == "us" else "us"]
            message = (f"{word!r} is {other} spelling; this playbook writes {_VARIETY_NAMES[variety]} English: "
                       f"write {suggestion!r}")
            yield path, WARNING, message, _word_at(record, path, text, offset, word)


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


def _one_spelling(ident: str) -> str:
    """An id with its words in US spelling: ids never change, so a title respelled later still matches its id."""
    return "-".join(UK_TO_US.get(part, part) for part in ident.split("-"))


def slug(text: str) -> str:
    """The id a title gives: lowercase ASCII words joined by hyphens (`I'm` -> `im`)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "").replace("’", "")).strip("-")


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
