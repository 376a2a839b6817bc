"""The shipped playbook says who keeps each record and when it was last reviewed (issue 26).

Only what stays true as time passes is asserted: whether a record is due depends on today's date.
"""
from __future__ import annotations

import datetime
import json
from pathlib import Path

from support import run_playbook

from playbook.core.settings import load_settings
from playbook.records.validate import validate

REPO = Path(__file__).resolve().parents[2]


def test_every_shipped_record_names_the_editors_and_a_past_review_date() -> None:
    settings = load_settings(REPO)
    assert settings.owner == "managing-up-editors" and settings.max_age_days == 365
    _, records = validate(REPO)
    assert records
    today = datetime.datetime.now(datetime.timezone.utc).date()
    for record in records:
        assert record.data.get("owner") == settings.owner, record.path
        reviewed = datetime.date.fromisoformat(str(record.data.get("reviewed")))
        assert datetime.date(2026, 12, 1) <= reviewed <= today, record.path


def test_stale_runs_on_the_shipped_playbook() -> None:
    result = run_playbook("stale", "--format", "json", root=REPO)
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert listed["max_age_days"] == 365 and listed["records"] > 0
    assert all(d["owner"] == "managing-up-editors" and d["reviewed"] for d in listed["due"])
