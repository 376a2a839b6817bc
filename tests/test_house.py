"""The package is a house whose rooms show the pipeline: one folder per stage, and no file too long to read whole."""
from __future__ import annotations

from pathlib import Path

import pytest

from own_fixtures import misuses
from support import REPO

pytestmark = pytest.mark.own_fixtures

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


def test_no_test_marked_own_fixtures_reads_the_repositorys_playbook() -> None:
    """.ci/other-playbook skips the tests marked own_fixtures: a marked test that read the repository's data/,
    content/, mkdocs.yml or built site would go unchecked on every other playbook shape."""
    found = misuses()
    assert not found, ("marked own_fixtures but reading the repository's playbook (unmark it, or give it a "
                       "playbook of its own):\n" + "\n".join(found))


MISMARKED = """
import pytest
from support import REPO, run_playbook

ROOTS = {"repository": REPO}


def _titles():
    return sorted((REPO / "data" / "scenarios").glob("*.yaml"))


@pytest.fixture
def built(tmp_path):
    return run_playbook("validate")


@pytest.mark.own_fixtures
def test_via_a_helper():
    assert _titles()


@pytest.mark.own_fixtures
@pytest.mark.parametrize("name", sorted(ROOTS))
def test_via_a_constant(name):
    assert name


@pytest.mark.own_fixtures
def test_via_a_fixture(built):
    assert built


@pytest.mark.own_fixtures
def test_on_its_own(tmp_path):
    assert run_playbook("validate", root=tmp_path)


def test_unmarked_may_read_it():
    assert (REPO / "mkdocs.yml").is_file()
"""


def test_the_own_fixtures_check_finds_what_a_mismarked_test_reads(tmp_path: Path) -> None:
    """The check follows helpers, module constants and fixtures, and spares unmarked tests and clean marked ones."""
    (tmp_path / "test_per_test.py").write_text(MISMARKED, encoding="utf-8")
    (tmp_path / "test_module.py").write_text(
        "import pytest\nfrom support import REPO\n\npytestmark = pytest.mark.own_fixtures\n\n\n"
        "def test_site():\n    assert (REPO / 'site').is_dir() or True\n", encoding="utf-8")
    found = misuses([tmp_path / "test_per_test.py", tmp_path / "test_module.py"])
    flagged = {line.split(": ", 1)[1].split(" is marked")[0] for line in found}
    assert flagged == {"test_via_a_helper", "test_via_a_constant", "test_via_a_fixture", "the module"}, found
    assert any("test_module.py:8: the module is marked own_fixtures but REPO / 'site'" in line for line in found)
