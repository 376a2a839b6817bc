"""Diagnostics: located messages collected as data, and the typed errors the CLI maps to exit codes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

ERROR = "error"
WARNING = "warning"
NOTICE = "notice"  # worth knowing, never a failure (not even under --strict): a review that is due


_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(char: str) -> str:
    code = ord(char)
    if char in _SHORT:
        return _SHORT[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """Text with every non-printable character (controls, line breaks, ESC, bidi overrides) written as an escape."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file, with its place, field path and rule id."""

    file: str
    line: int
    column: int
    severity: str
    message: str
    rule: str
    field: str = ""

    def text(self) -> str:
        """The `file:line:col: severity: message [rule]` line, always one line with every control character escaped.

        File names, ids and values come from strangers: a line break or an escape code in them must not forge
        a line of output or reach the terminal raw.
        """
        where = f"{self.field}: " if self.field else ""
        return printable(f"{self.file}:{self.line}:{self.column}: {self.severity}: {where}{self.message} [{self.rule}]")


@dataclass
class Report:
    """Every diagnostic of a run, in file order."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == WARNING]

    @property
    def notices(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == NOTICE]

    def failed(self, strict: bool = False) -> bool:
        """True when the content must be rejected (warnings count under strict)."""
        return bool(self.errors or (strict and self.warnings))

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.diagnostics, key=lambda d: (d.file, d.line, d.column, d.rule, d.message))


class PlaybookError(Exception):
    """Base of the errors the CLI turns into exit codes."""


class ContentError(PlaybookError):
    """The content is invalid; carries the report."""

    def __init__(self, report: Report, strict: bool = False):
        self.report = report
        self.strict = strict
        count = len(report.errors) + (len(report.warnings) if strict else 0)
        super().__init__(f"{count} problem(s) in the playbook content")


class BuildError(PlaybookError):
    """Something other than content stopped a build or export (a page too long, a file in the way)."""


class UsageError(PlaybookError):
    """The command was called wrongly (exit 2)."""
