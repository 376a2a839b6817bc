"""Due for review: records whose `reviewed:` date is older than the playbook's limit (extra.playbook.freshness).

Time passing must not fail a build: `playbook validate` reports a due review as a notice, which no exit code counts,
and `playbook stale` lists what is due, oldest first, with its owner.
"""
from __future__ import annotations

import datetime
import json
from dataclasses import asdict, dataclass
from typing import Callable

from playbook.core.diagnostics import NOTICE, WARNING, Diagnostic, printable
from playbook.core.formats import _escape_data, _escape_property
from playbook.records.load import Record

RULE = "record.stale"
FUTURE_RULE = "record.reviewed-future"


@dataclass(frozen=True)
class Due:
    """One record whose review is due: where it is, who keeps it, and when it was last reviewed (or never)."""

    file: str
    line: int
    column: int
    kind: str
    id: str
    title: str
    owner: str
    reviewed: str  # YYYY-MM-DD, or "" when the record names no review date
    age_days: int | None


def today() -> datetime.date:
    """Today's date in UTC, the same wherever a check runs."""
    return datetime.datetime.now(datetime.timezone.utc).date()


def _reviewed(record: Record) -> datetime.date | None:
    value = record.data.get("reviewed")
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:  # the schema reports the bad date
        return None


def _text(record: Record, key: str) -> str:
    value = record.data.get(key)
    return value if isinstance(value, str) else ""


def due_records(records: list[Record], max_age_days: int, on: datetime.date | None = None, *,
                undated: bool = True) -> list[Due]:
    """The records due for review on a day, oldest first: reviewed more than max_age_days ago, or (with undated)
    never reviewed, before all others."""
    on = on or today()
    out: list[Due] = []
    for record in records:
        reviewed = _reviewed(record)
        if reviewed is None and (not undated or "reviewed" in record.data):
            continue  # a malformed date is the schema's to report
        age = (on - reviewed).days if reviewed else None
        if age is not None and age <= max_age_days:
            continue
        line, column = record.where(("reviewed",)) if reviewed else (1, 1)
        out.append(Due(record.path, line, column, record.kind, record.id, _text(record, "title"),
                       _text(record, "owner"), reviewed.isoformat() if reviewed else "", age))
    out.sort(key=lambda d: (d.reviewed != "", d.reviewed, d.file))
    return out


def _owner(due: Due) -> str:
    return due.owner or "no owner"


def review_diagnostics(records: list[Record], max_age_days: int, on: datetime.date | None = None) -> list[Diagnostic]:
    """One notice per record whose review date is past the limit, at its `reviewed:` value (never a failure), and a
    warning per review dated after tomorrow (a mistyped year would keep a record off the list for years)."""
    on = on or today()
    out = [Diagnostic(d.file, d.line, d.column, NOTICE,
                      f"last reviewed {d.reviewed}, {d.age_days} days ago (the limit is {max_age_days}; "
                      f"{_owner(d)} keeps it): read it against current practice, then set reviewed: to that day",
                      RULE, "reviewed")
           for d in due_records(records, max_age_days, on, undated=False)]
    for record in records:
        reviewed = _reviewed(record)
        if reviewed is not None and (reviewed - on).days > 1:  # a day's grace: it is already tomorrow somewhere
            line, column = record.where(("reviewed",))
            out.append(Diagnostic(record.path, line, column, WARNING,
                                  f"{reviewed.isoformat()} is in the future; write the day the record was reviewed",
                                  FUTURE_RULE, "reviewed"))
    return out


def _when(due: Due) -> str:
    return f"reviewed {due.reviewed}, {due.age_days} days ago" if due.reviewed else "never reviewed"


def _summary(due: list[Due], total: int, max_age_days: int) -> str:
    if not due:
        return f"no record is due for review: all {total} were reviewed in the last {max_age_days} days"
    return (f"{len(due)} of {total} record(s) due for review (reviewed over {max_age_days} days ago, or never), "
            f"oldest first")


def as_text(due: list[Due], total: int, max_age_days: int) -> str:
    """One `file:line:col: when; owner: title [rule]` line per record, then a summary."""
    lines = [printable(f"{d.file}:{d.line}:{d.column}: {_when(d)}; {_owner(d)}: {d.title} [{RULE}]") for d in due]
    return "\n".join([*lines, _summary(due, total, max_age_days)])


def as_github(due: list[Due], total: int, max_age_days: int) -> str:
    """A GitHub notice per record (never a failure), then the summary."""
    lines = [f"::notice file={_escape_property(d.file)},line={d.line},col={d.column}"
             f"::{_escape_data(f'{_when(d)}; {_owner(d)}: {d.title} [{RULE}]')}" for d in due]
    return "\n".join([*lines, _summary(due, total, max_age_days)])


def as_json(due: list[Due], total: int, max_age_days: int) -> str:
    """The limit, the count of records checked and every due record's fields, as one JSON document."""
    return json.dumps({"max_age_days": max_age_days, "records": total, "due": [asdict(d) for d in due]},
                      indent=1, ensure_ascii=False)


STALE_FORMATS: dict[str, Callable[[list[Due], int, int], str]] = {"text": as_text, "github": as_github,
                                                                   "json": as_json}
