"""Validation as one pass: load every file, then schema, then references, then content lint."""
from __future__ import annotations

from pathlib import Path

from .diagnostics import ContentError, Diagnostic, Report
from .lint import lint_record, lint_steps, rule_settings, tune
from .load import Record, load_file, record_files, stray_diagnostic
from .references import check_references
from .schema import check_record
from .settings import Settings, load_settings

# A record's own checks (schema, content lint) by file, content hash and lint settings: under `mkdocs serve` an
# edit re-checks the edited file, and only the checks across records run over the whole playbook again.
_CHECKED: dict[tuple[str, str, str], tuple[list[Diagnostic], list[Diagnostic]]] = {}


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
    rules = repr(sorted(tuned.items()))
    records: list[Record] = []
    keys: list[tuple[str, str, str] | None] = []
    for path in files:
        result = load_file(path, root, settings.limits)
        report.extend(result.diagnostics)
        if result.record is not None:
            records.append(result.record)
            keys.append((result.record.path, result.digest, rules) if result.digest else None)
    clean: list[Record] = []
    linted: list[list[Diagnostic]] = []
    for record, key in zip(records, keys):
        checked = _CHECKED.get(key) if key else None
        if checked is None:
            problems = check_record(record)
            checked = (problems, [] if problems else lint_record(record, tuned))
            if key:
                _CHECKED[key] = checked
        report.extend(checked[0])
        if not checked[0]:
            clean.append(record)
            linted.append(checked[1])
    report.extend(tune(check_references(records), tuned))
    report.extend(tune(lint_steps(clean), tuned))
    for diagnostics in linted:
        report.extend(diagnostics)
    report.extend(config_problems)
    return report, records
