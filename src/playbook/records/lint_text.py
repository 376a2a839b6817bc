"""Lint rules for the words of every record: no shouting, sentence-case titles, no filler, one spelling variety."""
from __future__ import annotations

import re
from typing import Any, Iterator

from playbook.core.diagnostics import WARNING
from playbook.records.lint_words import CAPITALS, DEFINED, FILLER_RE, KNOWN_CAPS, words
from playbook.records.load import Path_, Record
from playbook.records.references import reference_fields
from playbook.records.spelling import VARIETIES, misspellings

_VARIETY_NAMES = {"us": "US", "uk": "UK"}
_SOURCE_TEXT = ("note",)  # a source's own title, author and publisher keep the spelling they were published in


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


def shouting(record: Record, cfg: dict[str, Any]):
    texts = list(_texts(record))
    allowed = KNOWN_CAPS | {w.upper() for w in cfg["allow"]}
    allowed |= {w.upper() for _, text in texts for w in DEFINED.findall(text)}  # "Web Content ... (WCAG)"
    for path, text in texts:
        loud = [w for w in CAPITALS.findall(text) if w.upper() not in allowed and any(c.isalpha() for c in w)]
        if loud:
            yield path, WARNING, (f"{loud[0]!r} is in capitals; write it in sentence case, or if it is an acronym, "
                                  f"spell it out once as 'Full name ({loud[0]})' or add it to text.shouting's allow list")


def title_case(record: Record, cfg: dict[str, Any]):
    title_words = [w for w in words(record.data["title"])[1:] if len(w) > 3 and w.upper() not in KNOWN_CAPS]
    capitals = [w for w in title_words if w[0].isupper()]
    if len(title_words) >= 2 and len(capitals) > len(title_words) / 2:
        yield ("title",), WARNING, "title looks like Title Case; write it in sentence case"


def filler(record: Record, cfg: dict[str, Any]):
    for path, text in _texts(record):
        found = FILLER_RE.search(text.lower())
        if found:
            yield path, WARNING, f"{found.group(0)!r} is filler; say the plain thing"


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


def spelling(record: Record, cfg: dict[str, Any]):
    variety = cfg.get("variety")
    if variety not in VARIETIES:
        return
    for path, text in _prose(record):
        for offset, word, suggestion in misspellings(text, variety):
            other = _VARIETY_NAMES["uk" if variety == "us" else "us"]
            message = (f"{word!r} is {other} spelling; this playbook writes {_VARIETY_NAMES[variety]} English: "
                       f"write {suggestion!r}")
            yield path, WARNING, message, _word_at(record, path, text, offset, word)
