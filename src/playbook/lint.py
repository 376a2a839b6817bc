"""Content lint: the checklist and scenario rules of CONTENT_GUIDE.md, each with an id and a message.

Rules run only on records that passed the schema, so they can trust the shape of the data.
Errors fail `playbook validate`; warnings fail it under `--strict`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from .diagnostics import ERROR, WARNING, Diagnostic
from .load import Path_, Record, field_name

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
CLOSING = re.compile(r"\b(recap(?:s|ped)?|summari[sz](?:e|es|ed)|confirm(?:s|ed)?|read back)\b", re.I)
INVITES = re.compile(r"\b(ask(?:s|ed)?|invit(?:e|es|ed))\b", re.I)
DEADLINE = re.compile(
    r"\b(within|by|before|after|until|next|tomorrow|today|tonight|end of|same day|this week|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d+|one|two|three|four|five|six|seven|ten|"
    r"hours?|days?|weeks?|months?)\b", re.I)
# Words of four or more characters in capitals (whole tokens of `words`, nothing but capitals and digits).
CAPITALS = re.compile(r"(?<![A-Za-z0-9:'’/-])[A-Z0-9][A-Z0-9:/-]{3,}(?![A-Za-z0-9:'’/-])")
KNOWN_CAPS = frozenset({"HR", "OKR", "OKRS", "KPI", "KPIS", "CEO", "CTO", "VP", "PR", "1:1", "READ-DO", "DO-CONFIRM",
                        "RACI", "DACI", "Q1", "Q2", "Q3", "Q4", "I", "OK", "ETA", "PDF", "A4", "UK", "US", "EOD"})


@dataclass(frozen=True)
class Rule:
    id: str
    kinds: tuple[str, ...]
    summary: str
    check: Callable[[Record], Iterator[tuple[Path_, str, str]]]


RULES: list[Rule] = []


def rule(rule_id: str, kinds: tuple[str, ...], summary: str):
    """Register a lint rule; the function yields (field path, severity, message)."""
    def wrap(fn: Callable[[Record], Iterator[tuple[Path_, str, str]]]):
        RULES.append(Rule(rule_id, kinds, summary, fn))
        return fn
    return wrap


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9][A-Za-z0-9:'’/-]*", text)


def starts_with_verb(text: str) -> bool:
    """A cheap imperative test: the first word is not an article, pronoun, question word or -ing/-ly form."""
    first = words(text)[:1]
    if not first:
        return False
    word = first[0].lower()
    if word in NOT_VERBS or word[0].isdigit():
        return False
    return not (word.endswith("ing") and len(word) > 5) and not word.endswith("ly")


def _items(data: dict[str, Any]) -> Iterator[tuple[Path_, str, bool]]:
    for s, section in enumerate(data["sections"]):
        for i, item in enumerate(section["items"]):
            text = item if isinstance(item, str) else item["text"]
            critical = isinstance(item, dict) and bool(item.get("critical"))
            path: Path_ = ("sections", s, "items", i) if isinstance(item, str) else ("sections", s, "items", i, "text")
            yield path, text, critical


@rule("checklist.items-per-pause", ("checklists",), "Each pause point holds 5 to 9 items.")
def _per_pause(record: Record):
    for s, section in enumerate(record.data["sections"]):
        n = len(section["items"])
        if n > ITEMS_MAX:
            yield ("sections", s, "items"), ERROR, (
                f"pause point {section['pause']!r} has {n} items; keep it to {ITEMS_MAX} or fewer (split it or cut items)")
        elif n < ITEMS_MIN:
            yield ("sections", s, "items"), WARNING, (
                f"pause point {section['pause']!r} has {n} items; a pause point works best with {ITEMS_MIN} to {ITEMS_MAX}")


@rule("checklist.card-size", ("checklists",), "At most about 20 items on one card.")
def _card_size(record: Record):
    total = sum(len(s["items"]) for s in record.data["sections"])
    if total > CARD_MAX:
        yield ("sections",), ERROR, f"the card has {total} items; keep it to {CARD_MAX} so it fits on one page"


@rule("checklist.item-length", ("checklists",), "Items are short: warn above 10 words, error above 15.")
def _item_length(record: Record):
    for path, text, _ in _items(record.data):
        n = len(words(text))
        if n > WORD_ERROR:
            yield path, ERROR, f"item has {n} words; cut it to {WORD_WARN} or fewer (at most {WORD_ERROR})"
        elif n > WORD_WARN:
            yield path, WARNING, f"item has {n} words; aim for {WORD_WARN} or fewer"


@rule("checklist.read-do-verb", ("checklists",), "READ-DO items start with a verb.")
def _read_do_verb(record: Record):
    if record.data["type"] != "READ-DO":
        return
    for path, text, _ in _items(record.data):
        if not starts_with_verb(text):
            yield path, ERROR, f"READ-DO items start with a verb; {words(text)[0]!r} does not read as one"


@rule("checklist.vague", ("checklists",), "No vague verbs (consider, think about, handle, as needed, etc.).")
def _vague(record: Record):
    for path, text, _ in _items(record.data):
        for name, pattern in VAGUE:
            if re.search(pattern, text, re.I):
                yield path, ERROR, f"{name!r} is vague; name the concrete action instead"
                break


@rule("checklist.one-action", ("checklists",), "One action per item.")
def _one_action(record: Record):
    for path, text, _ in _items(record.data):
        lowered = text.lower()
        joined = re.search(r"\band (\w+)", lowered)
        if ";" in text or " and then " in lowered or " then " in lowered or (joined and joined.group(1) in CHAIN_VERBS):
            yield path, ERROR, "item joins two actions; split it into two items"


@rule("checklist.critical-first", ("checklists",), "Critical items come early in their section.")
def _critical_first(record: Record):
    for s, section in enumerate(record.data["sections"]):
        seen_plain = False
        for i, item in enumerate(section["items"]):
            critical = isinstance(item, dict) and item.get("critical")
            if critical and seen_plain:
                yield ("sections", s, "items", i), ERROR, "critical item comes after a non-critical one; move it up"
            seen_plain = seen_plain or not critical


@rule("checklist.closing-item", ("checklists",), "The last pause ends with a closing item.")
def _closing(record: Record):
    section = record.data["sections"][-1]
    path, text, _ = list(_items({"sections": [section]}))[-1]
    if not CLOSING.search(text):
        real = ("sections", len(record.data["sections"]) - 1, *path[2:])
        yield real, ERROR, "the last item should close the meeting: recap or confirm decisions, owners and dates"


@rule("checklist.invites-manager", ("checklists",), "At least one item invites the manager to talk.")
def _invites(record: Record):
    if not any(INVITES.search(text) for _, text, _ in _items(record.data)):
        yield ("sections",), ERROR, "no item invites your manager to talk; add one that starts with 'Ask'"


@rule("text.shouting", ("checklists", "scenarios", "principles", "steps", "pitfalls"),
      "Sentence case, no shouting.")
def _shouting(record: Record):
    for path, text in _texts(record):
        loud = [w for w in CAPITALS.findall(text) if w.upper() not in KNOWN_CAPS and any(c.isalpha() for c in w)]
        if loud:
            yield path, WARNING, f"{loud[0]!r} is in capitals; write it in sentence case"


@rule("text.title-case", ("checklists", "scenarios", "principles", "steps", "pitfalls"), "Titles in sentence case.")
def _title_case(record: Record):
    title_words = [w for w in words(record.data["title"])[1:] if len(w) > 3 and w.upper() not in KNOWN_CAPS]
    capitals = [w for w in title_words if w[0].isupper()]
    if len(title_words) >= 2 and len(capitals) > len(title_words) / 2:
        yield ("title",), WARNING, "title looks like Title Case; write it in sentence case"


@rule("text.filler", ("checklists", "scenarios", "principles", "steps", "pitfalls"), "No corporate filler.")
def _filler(record: Record):
    for path, text in _texts(record):
        found = FILLER_RE.search(text.lower())
        if found:
            yield path, WARNING, f"{found.group(0)!r} is filler; say the plain thing"


@rule("scenario.move-verb", ("scenarios",), "Moves start with a verb.")
def _move_verb(record: Record):
    for i, move in enumerate(record.data["moves"]):
        if not starts_with_verb(move):
            yield ("moves", i), ERROR, f"moves start with a verb; {words(move)[0] if words(move) else move!r} does not read as one"


@rule("scenario.scripts", ("scenarios",), "Scripts for opening, asking, pushback and closing.")
def _scripts(record: Record):
    missing = [k for k in ("opening", "asking", "pushback", "closing") if k not in record.data["scripts"]]
    if missing:
        yield ("scripts",), WARNING, f"add a script for {', '.join(missing)}: what the reader can say"


@rule("scenario.follow-up-deadline", ("scenarios",), "The follow-up has a real deadline.")
def _deadline(record: Record):
    by = record.data["follow_up"]["by"]
    if not DEADLINE.search(by):
        yield ("follow_up", "by"), ERROR, f"{by!r} is not a deadline; write when, e.g. 'Within 24 hours' or 'By Friday'"


@rule("scenario.checklist", ("scenarios",), "A scenario names the checklist to use.")
def _scenario_checklist(record: Record):
    if "checklist" not in record.data:
        yield (), WARNING, "name the checklist to use with this play in 'checklist:'"


@rule("scenario.example", ("scenarios",), "A scenario shows a case.")
def _scenario_example(record: Record):
    if "example" not in record.data:
        yield (), WARNING, "add an 'example:' with a short case of the play in use"


@rule("record.sources", ("checklists",), "Records cite their sources.")
def _checklist_sources(record: Record):
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


def lint_record(record: Record) -> list[Diagnostic]:
    """Every lint diagnostic for one schema-valid record."""
    out: list[Diagnostic] = []
    for r in RULES:
        if record.kind not in r.kinds:
            continue
        for path, severity, message in r.check(record):
            line, column = record.where(path)
            out.append(Diagnostic(record.path, line, column, severity, message, r.id, field_name(path)))
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


@rule("text.one-line", ("checklists", "scenarios", "principles", "steps", "pitfalls"),
      "Titles, summaries, items and moves are written on one line.")
def _one_line(record: Record):
    for path, text in _texts(record):
        last = path[-1] if path else ""
        if text.endswith("\n") and (last in ("title", "summary", "text", "pause", "situation", "goal")
                                    or (len(path) >= 2 and path[-2] in ("moves", "items"))):
            yield path, ERROR, "must be a single line; drop the block scalar ('|' or '>') and write it on one line"
