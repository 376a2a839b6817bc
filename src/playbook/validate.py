"""Validation as one pass: load every file, then schema, then references, then content lint."""
from __future__ import annotations

from pathlib import Path

from .diagnostics import ContentError, Diagnostic, Report
from .lint import lint_record, lint_steps, rule_settings, tune
from .load import Record, load_file, record_files, stray_diagnostic
from .references import check_references
from .schema import check_record
from .settings import Settings, load_settings


def validate(root: Path, settings: Settings | None = None) -> tuple[Report, list[Record]]:
    """Check every record under root/data (and the playbook's settings); returns the report and the loaded records."""
    config_problems: list[Diagnostic] = []
    if settings is None:
        try:
            settings = load_settings(root)
        except ContentError as exc:  # report bad settings with the records' problems, and lint with the defaults
            config_problems = exc.report.diagnostics
            settings = Settings(root=root)
    tuned = rule_settings(settings.lint)
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
    report.extend(tune(check_references(records), tuned))
    report.extend(tune(lint_steps(clean), tuned))
    for record in clean:
        report.extend(lint_record(record, tuned))
    report.extend(config_problems)
    return report, records
