"""Validation as one pass: load every file, then schema, then references, then content lint."""
from __future__ import annotations

from pathlib import Path

from playbook.core.diagnostics import ContentError, Diagnostic, Report
from playbook.records.lint import lint_in_their_words, lint_record, lint_steps, rule_settings, tune
from playbook.records.load import (Record, content_files, content_link_diagnostic, load_file, record_files, stray_diagnostic,
                   within_totals)
from playbook.records.references import check_page_collisions, check_references
from playbook.records.schema import check_record
from playbook.core.settings import Settings, load_settings
from playbook.records.text_safety import check_characters, check_titles

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
    files, over = within_totals(files, root, settings.limits)
    report.extend(over)
    rules = repr(sorted(tuned.items())) + repr(settings.content)
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
            problems = check_record(record, settings.content)
            # Always checked, never tuned; with the lint when the shape is right, so the record still counts as
            # clean for the checks across records (a hidden character in a title, and the title it copies).
            unsafe = check_characters(record)
            checked = (problems + unsafe, []) if problems else ([], unsafe + lint_record(record, tuned))
            if key:
                _CHECKED[key] = checked
        report.extend(checked[0])
        if not checked[0]:
            clean.append(record)
            linted.append(checked[1])
    report.extend(tune(check_references(records), tuned))
    report.extend(check_titles(clean))
    report.extend(check_content(root, settings, [(r.kind, r.id, r.path) for r in records]))
    report.extend(tune(lint_steps(clean), tuned))
    report.extend(tune(lint_in_their_words(clean), tuned))
    for diagnostics in linted:
        report.extend(diagnostics)
    report.extend(config_problems)
    return report, records


def check_content(root: Path, settings: Settings, records: list[tuple[str, str, str]]) -> list[Diagnostic]:
    """The hand-written pages' folder: no symbolic links, and no page at a record's address (kind, id, path)."""
    pages, links = content_files(root / settings.docs_dir)
    return [content_link_diagnostic(p, root) for p in links] + check_page_collisions(records, pages, settings.docs_dir)
