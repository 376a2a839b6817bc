"""The shipped managing-up playbook: it validates through the real CLI (warnings allowed; --strict is for its
owner), and it keeps its own settings (title, the Manager blank on its sheets, the checklist on its home page).

Everything here is about this playbook's content; a team that replaces data/ and content/ deletes this folder.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from playbook.cli import main as cli

from playbook.sheets import export
from playbook.records.pipeline import validated_playbook
from playbook.core.settings import load_settings

REPO = Path(__file__).resolve().parents[2]
HOME_CHECKLIST = "prepare-for-a-1-1"


def test_shipped_playbook_has_no_errors(capsys) -> None:
    """`playbook validate` on the repository exits 0 and reports no errors."""
    code = cli.main(["--root", str(REPO), "validate", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    errors = [f"{d['file']}:{d['line']}:{d['column']}: {d['message']} [{d['rule']}]"
              for d in report["diagnostics"] if d["severity"] == "error"]
    assert not errors, "\n".join(errors)
    assert code == 0 and report["files"] > 0


def test_shipped_settings_keep_the_managing_up_words() -> None:
    """The title, the sheet blanks (Date / Your name / Manager) and the agenda's words stay as they were."""
    settings = load_settings(REPO, env={})
    assert settings.title == "Managing up"
    assert settings.sheet_fields == ("Date", "Your name", "Manager")
    assert settings.strings("agenda.title") == "My next 1:1"


def test_shipped_sheets_print_the_manager_blank() -> None:
    """Every shipped sheet, in plain text and as print HTML, has a Manager blank beside the date and name."""
    settings = load_settings(REPO, env={})
    pb = validated_playbook(REPO)
    for checklist in pb.checklists.values():
        text = export.to_text(checklist, settings)
        assert re.search(r"^Date: _+ +Your name: _+ +Manager: _+$", text, re.M), checklist.id


def test_shipped_home_page_embeds_the_1_1_checklist() -> None:
    """The home page places the checklist a reader with a 1:1 tomorrow needs."""
    home = (REPO / "content" / "index.md").read_text(encoding="utf-8")
    assert f'{{{{ checklist("{HOME_CHECKLIST}") }}}}' in home
    assert HOME_CHECKLIST in validated_playbook(REPO).checklists
