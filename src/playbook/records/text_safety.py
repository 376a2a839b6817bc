"""Characters a reader cannot see, and titles a reader cannot tell apart: refused in every playbook (always on).

A bidi override (U+202E) shows "cancel the meating" for a reversed string and reorders what follows it; a line
separator (U+2028, U+2029) or NEL (U+0085) breaks a one-line field on some screens and sheets and not others; a
zero-width character makes two titles that look the same different, or one that looks plain hold a hidden word.
Right-to-left text itself is welcome: its letters, the marks U+200E, U+200F and U+061C, and the isolates
U+2066-U+2069 (the safe way to mix directions) pass, and so do the joiners that Persian, Indic scripts and emoji
need between two of their characters.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterator

from playbook.core.diagnostics import ERROR, Diagnostic
from playbook.records.load import Path_, Record, field_name
from playbook.records.schema_source import ONE_LINE, SCHEMAS

# Embeddings and overrides: they change the direction of what follows until a pop, or the end of the paragraph.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e")
LINE_BREAKS = {"\u2028": "line separator", "\u2029": "paragraph separator", "\x85": "next-line (NEL)"}
# Format characters that do belong in titles: direction marks and isolates, the prepended marks that Arabic and
# Syriac write visibly, and (checked by neighbour below) the joiners and emoji tag characters.
_ALLOWED_FORMAT = frozenset("\u200e\u200f\u061c\u2066\u2067\u2068\u2069\u0600\u0601\u0602\u0603\u0604\u0605"
                            "\u06dd\u070f\u08e2")
_JOINERS = frozenset("\u200c\u200d")
_BIDI_RE = re.compile("[\u202a-\u202e]")
_BREAK_RE = re.compile("[\x85\u2028\u2029]")
# In a record file: one of them raw, or written as a YAML escape ("\\N", "\\L", "\\P", "\\x85", "\\u202E", ...).
_SUSPECT_SOURCE = re.compile(r"[\u202a-\u202e\x85\u2028\u2029]|\\(?:[NLP]|x85|u(?:0085|202[89a-eA-E])"
                             r"|U0000(?:0085|202[89a-eA-E]))")


def _name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'format character').lower()}"


def _joins(text: str, i: int) -> bool:
    """A joiner between two characters of a script that needs it (not ASCII, not a space or another control)."""
    if i == 0 or i == len(text) - 1:
        return False
    before, after = text[i - 1], text[i + 1]
    return all(not c.isascii() and not c.isspace() and unicodedata.category(c)[0] in "LMS" for c in (before, after))


def _emoji_tag(text: str, i: int) -> bool:
    """A tag character inside an emoji flag sequence (🏴 then tags, e.g. the flag of Scotland)."""
    j = i
    while j > 0 and "\U000e0020" <= text[j - 1] <= "\U000e007f":
        j -= 1
    return "\U000e0020" <= text[i] <= "\U000e007f" and j > 0 and text[j - 1] == "\U0001f3f4"


def invisible(text: str) -> Iterator[str]:
    """The format characters of a title that no reader can see and that do no work there."""
    for i, char in enumerate(text):
        if unicodedata.category(char) != "Cf" or char in _ALLOWED_FORMAT or char in BIDI_CONTROLS:
            continue
        if (char in _JOINERS and _joins(text, i)) or _emoji_tag(text, i):
            continue
        yield char


def title_key(title: str) -> str:
    """A title as a reader compares it: compatibility forms folded, format characters dropped, case and spaces
    ignored ("Cancel the meeting" = "cancel the\u200b meeting" = "CANCEL  THE MEETING")."""
    text = unicodedata.normalize("NFKC", title)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf" and c not in "\u034f\u115f\u1160\u3164")
    return " ".join(text.casefold().split())


def _one_line(schema: dict[str, Any], root: dict[str, Any], path: Path_) -> bool:
    """Whether the schema makes the value at `path` a one-line field."""
    node: Any = schema
    for part in (*path, None):
        while isinstance(node, dict) and ("$ref" in node or "anyOf" in node):
            if "$ref" in node:
                node = root["definitions"][node["$ref"].rsplit("/", 1)[-1]]
            else:  # the branch of the value's shape: a mapping branch for a field name, else the text branch
                branches = node["anyOf"]
                want = "object" if isinstance(part, str) else "string"
                node = next((b for b in branches if b.get("type") == want), branches[0])
        if part is None or not isinstance(node, dict):
            break
        node = node.get("items") if isinstance(part, int) else node.get("properties", {}).get(part)
    return isinstance(node, dict) and node.get("pattern") == ONE_LINE


def _strings(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))


def check_characters(record: Record) -> list[Diagnostic]:
    """Bidi overrides anywhere, line separators in one-line fields, invisible characters in the title."""
    out: list[Diagnostic] = []
    schema = SCHEMAS.get(record.kind, {})

    def refuse(path: Path_, message: str, rule: str) -> None:
        line, column = record.where(path)
        out.append(Diagnostic(record.path, line, column, ERROR, message, rule, field_name(path)))

    # Nearly every record holds none of these, raw or escaped: one search of its file spares walking its values.
    suspect = not record.source or _SUSPECT_SOURCE.search(record.source) is not None
    for path, text in _strings(record.data) if suspect else ():
        bidi = _BIDI_RE.search(text)  # a regular expression: every text of every record passes here
        if bidi is not None:
            refuse(path, f"holds {_name(bidi.group())}, which reverses or re-embeds the text after it, so readers see "
                         f"other words than these; delete it (right-to-left text needs no such character)",
                   "text.bidi-control")
        brk = _BREAK_RE.search(text)
        if brk is not None and _one_line(schema, schema, path):
            char = brk.group()
            refuse(path, f"holds a {LINE_BREAKS[char]} (U+{ord(char):04X}), which breaks this one-line field on some "
                         f"screens and sheets; replace it with a space", "text.line-separator")
    title = record.data.get("title")
    if isinstance(title, str):
        hidden = next(invisible(title), None)
        if hidden is not None:
            refuse(("title",), f"holds the invisible {_name(hidden)}; delete it, so the title is what readers see "
                               f"and search for", "text.invisible")
    return out


def check_titles(records: list[Record]) -> list[Diagnostic]:
    """Titles of one kind that readers cannot tell apart (ignoring case and invisible characters); the later file
    is reported, naming the earlier."""
    out: list[Diagnostic] = []
    seen: dict[tuple[str, str], Record] = {}
    for record in sorted(records, key=lambda r: r.path):
        title = record.data.get("title")
        if not isinstance(title, str) or not title_key(title):
            continue
        first = seen.setdefault((record.kind, title_key(title)), record)
        if first is not record:
            line, column = record.where(("title",))
            same = ("is already the title of" if first.data["title"] == title else
                    "reads the same as the title of")
            out.append(Diagnostic(record.path, line, column, ERROR,
                                  f"{same} {first.path} ({first.data['title']!r}) once case and invisible characters "
                                  f"are set aside; give each {record.kind[:-1]} its own title",
                                  "record.duplicate-title", "title"))
    return out
