"""Output formats for a validation report: a small registry keyed by `--format` name."""
from __future__ import annotations

import json
from typing import Callable

from playbook.core.diagnostics import NOTICE, Report, printable

GITHUB_ANNOTATION_LIMIT = 10


def _summary(report: Report, strict: bool) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "failed" if report.failed(strict) else "passed"
    note = ""
    if warnings and strict:
        note = " (warnings count as errors under --strict)"
    elif warnings and not errors:
        note = " (CI runs --strict, where these warnings fail)"
    notices = len(report.notices)
    counted = f"{errors} error(s), {warnings} warning(s)" + (f", {notices} notice(s)" if notices else "")
    return f"{report.files} file(s) checked: {counted}; validation {verdict}{note}"


def text(report: Report, strict: bool) -> str:
    lines = [d.text() for d in report.sorted()]
    lines.append(_summary(report, strict))
    return "\n".join(lines)


def _escape_data(value: str) -> str:
    # GitHub's workflow-command encoding first, then every other control character (ESC, bidi overrides) escaped.
    return printable(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(report: Report, strict: bool) -> str:
    """GitHub workflow commands: one annotation per problem, then a summary line."""
    lines = []
    # Notices last: GitHub shows a step's first annotations only, and a due review must not hide an error.
    ordered = report.sorted()
    problems = [d for d in ordered if d.severity != NOTICE]
    for d in problems + [d for d in ordered if d.severity == NOTICE]:
        level = "notice" if d.severity == NOTICE else "error" if d.severity == "error" or strict else "warning"
        where = f"{d.field}: " if d.field else ""
        lines.append(f"::{level} file={_escape_property(d.file)},line={d.line},col={d.column}"
                     f"::{_escape_data(f'{where}{d.message} [{d.rule}]')}")
    if len(problems) > GITHUB_ANNOTATION_LIMIT:
        lines.append(f"::notice title=playbook validate::{len(problems)} problems found; GitHub shows only "
                     f"the first {GITHUB_ANNOTATION_LIMIT} annotations of a step: run `playbook validate` locally for all")
    lines.append(_summary(report, strict))
    return "\n".join(lines)


def as_json(report: Report, strict: bool) -> str:
    return json.dumps({
        "files": report.files,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "notices": len(report.notices),
        "ok": not report.failed(strict),
        "diagnostics": [
            {"file": d.file, "line": d.line, "column": d.column, "severity": d.severity, "rule": d.rule,
             "field": d.field, "message": d.message} for d in report.sorted()
        ],
    }, indent=2)


FORMATS: dict[str, Callable[[Report, bool], str]] = {"text": text, "github": github, "json": as_json}
