"""Validation as one pass: load every file, then schema, then references, then content lint."""
from __future__ import annotations

from pathlib import Path

from .diagnostics import Report
from .lint import lint_record, lint_steps
from .load import Record, load_file, record_files, stray_diagnostic
from .references import check_references
from .schema import check_record


def validate(root: Path) -> tuple[Report, list[Record]]:
    """Check every record under root/data; returns the report and the records that loaded."""
    data_dir = root / "data"
    files, strays = record_files(data_dir)
    report = Report(files=len(files))
    report.extend(stray_diagnostic(p, root) for p in strays)
    records: list[Record] = []
    for path in files:
        result = load_file(path, root)
        report.extend(result.diagnostics)
        if result.record is not None:
            records.append(result.record)
    clean: list[Record] = []
    for record in records:
        problems = check_record(record)
        report.extend(problems)
        if not problems:
            clean.append(record)
    report.extend(check_references(records))
    report.extend(lint_steps(clean))
    for record in clean:
        report.extend(lint_record(record))
    return report, records
