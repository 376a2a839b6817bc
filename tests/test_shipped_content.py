"""The shipped managing-up playbook validates through the real CLI (warnings allowed; --strict is for its owner)."""
from __future__ import annotations

import json

from support import REPO, run_playbook


def test_shipped_playbook_has_no_errors() -> None:
    """`playbook validate` on the repository exits 0 and reports no errors."""
    result = run_playbook("validate", "--format", "json", root=REPO)
    report = json.loads(result.stdout)
    errors = [f"{d['file']}:{d['line']}:{d['column']}: {d['message']} [{d['rule']}]"
              for d in report["diagnostics"] if d["severity"] == "error"]
    assert not errors, "\n".join(errors)
    assert result.returncode == 0 and report["files"] > 0
