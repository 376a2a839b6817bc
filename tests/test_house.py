"""The package is a house whose rooms show the pipeline: one folder per stage, and no file too long to read whole."""
from __future__ import annotations

from pathlib import Path

from support import REPO

PACKAGE = REPO / "src" / "playbook"
MAX_LINES = 400
STAGES = {"core", "records", "site", "sheets", "cli"}
DATA_FOLDERS = {"templates", "assets", "theme", "starter"}  # templates, styles, scripts and the `init` starter


def _lines(path: Path) -> int:
    """Lines as `wc -l` counts them."""
    return path.read_bytes().count(b"\n")


def _sources() -> list[Path]:
    """Every Python module of the package and every script it ships to the browser."""
    python = [p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts]
    return sorted(python + list((PACKAGE / "assets").rglob("*.js")))


def test_no_module_or_script_is_over_400_lines() -> None:
    sources = _sources()
    assert len(sources) > 20 and PACKAGE / "records" / "lint.py" in sources
    over = [f"{p.relative_to(REPO).as_posix()} ({n} lines)" for p in sources if (n := _lines(p)) > MAX_LINES]
    assert not over, (f"over {MAX_LINES} lines: {', '.join(over)}; split each into modules named for what they do, "
                      f"in the same stage folder")


def test_the_top_level_holds_only_the_stage_folders_and_data() -> None:
    entries = {p.name: p for p in PACKAGE.iterdir() if p.name != "__pycache__"}
    stray = sorted(set(entries) - STAGES - DATA_FOLDERS - {"__init__.py"})
    assert not stray, (f"src/playbook/ holds {stray}; code goes into a stage folder ({', '.join(sorted(STAGES))}) "
                       f"and files the package ships into a data folder ({', '.join(sorted(DATA_FOLDERS))})")
    missing = sorted(s for s in STAGES if not (PACKAGE / s / "__init__.py").is_file())
    assert not missing, f"stage folders without an __init__.py: {missing}"
    code = sorted(p.relative_to(REPO).as_posix() for name in DATA_FOLDERS if name in entries
                  for p in entries[name].rglob("*.py"))
    assert not code, f"data folders hold Python (it belongs in a stage folder): {code}"
