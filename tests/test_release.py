"""Releases: CHANGELOG.md's newest section is the package's version, and .ci/release-check refuses a release whose
tag, version, CHANGELOG and built files disagree (the release workflow runs it before publishing)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import playbook
from support import ADDRESS_VARIABLES, PLAYBOOKS, REPO, assemble, build, run_playbook

pytestmark = pytest.mark.own_fixtures

CHECK = REPO / ".ci" / "release-check"
# A copy's mkdocs.yml from before the package, and ADOPTING.md's section on moving such a copy to the package.
OLD_CONFIG = REPO / "tests" / "upgrade" / "mkdocs-0.2.yml"
UPGRADE_NOTES = "## Upgrading a copy to the installed generator"
# `## [0.3.0] - 2026-12-06`, or `## [Unreleased]`: every second-level heading of a Keep a Changelog file.
SECTION = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?$")


def _sections(text: str) -> list[tuple[str, str | None]]:
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert all(SECTION.match(h) for h in headings), [h for h in headings if not SECTION.match(h)]
    return [(m["version"], m["date"]) for m in map(SECTION.match, headings)]


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def test_the_changelog_s_newest_release_is_the_package_version() -> None:
    sections = _sections((REPO / "CHANGELOG.md").read_text(encoding="utf-8"))
    released = [(v, d) for v, d in sections if v != "Unreleased"]
    assert released[0][0] == playbook.__version__, (
        f"CHANGELOG.md's newest release is {released[0][0]}, the package is {playbook.__version__}: "
        "add its section, or change __version__ in src/playbook/__init__.py")


def test_the_changelog_keeps_a_changelog_s_shape() -> None:
    """Unreleased on top, then each version once, newest first, each dated no later than today."""
    sections = _sections((REPO / "CHANGELOG.md").read_text(encoding="utf-8"))
    assert sections[0] == ("Unreleased", None)
    released = sections[1:]
    versions = [v for v, _ in released]
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in versions), versions
    assert versions == sorted(versions, key=_key, reverse=True) and len(set(versions)) == len(versions)
    dates = [date.fromisoformat(d) for _, d in released if d is not None]
    assert len(dates) == len(released) and dates == sorted(dates, reverse=True)
    assert dates[0] <= date.today()


def test_the_version_lives_in_one_place() -> None:
    """pyproject.toml reads it from the package; no other version is written there."""
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'(?m)^dynamic = \["version"\]', pyproject)
    assert re.search(r'(?m)^version = \{attr = "playbook.__version__"\}', pyproject)
    assert not re.search(r'(?m)^version = "', pyproject)


def _dist(folder: Path, version: str, *extra: str) -> Path:
    folder.mkdir()
    for name in (f"playbook_generator-{version}.tar.gz", f"playbook_generator-{version}-py3-none-any.whl", *extra):
        (folder / name).write_bytes(b"")
    return folder


def _check(*args: str, script: Path = CHECK) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=60)


def test_release_check_passes_a_tag_of_the_package_version(tmp_path: Path) -> None:
    version = playbook.__version__
    dist = _dist(tmp_path / "dist", version)
    result = _check(f"v{version}", str(dist))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"release-check: v{version} matches the package, CHANGELOG.md and {dist}\n"


def test_release_check_refuses_a_tag_of_another_version(tmp_path: Path) -> None:
    version = playbook.__version__
    dist = _dist(tmp_path / "dist", version)
    result = _check("v9.9.9", str(dist))
    assert result.returncode == 1
    assert result.stderr == (
        f"release-check: error: the tag 'v9.9.9' does not name the package's version {version} "
        f"(src/playbook/__init__.py): tag v{version}, or change __version__ and CHANGELOG.md first\n")
    assert _check(version, str(dist)).returncode == 1  # the `v` is part of the tag


def test_release_check_refuses_a_stale_file_in_dist(tmp_path: Path) -> None:
    version = playbook.__version__
    dist = _dist(tmp_path / "dist", version, "playbook_generator-0.0.1-py3-none-any.whl")
    result = _check(f"v{version}", str(dist))
    assert result.returncode == 1
    assert "playbook_generator-0.0.1-py3-none-any.whl" in result.stderr and "not exactly" in result.stderr
    assert _check(f"v{version}", str(tmp_path / "missing")).returncode == 1


def test_release_check_refuses_a_version_without_its_changelog_section(tmp_path: Path) -> None:
    """A version bumped in the package but not in CHANGELOG.md does not release."""
    copy = tmp_path / "repo"
    (copy / ".ci").mkdir(parents=True)
    (copy / "src" / "playbook").mkdir(parents=True)
    shutil.copy2(CHECK, copy / ".ci" / "release-check")
    (copy / "src" / "playbook" / "__init__.py").write_text(
        '__version__ = "1.2.0"\nDISTRIBUTION = "playbook-generator"\n', encoding="utf-8")
    (copy / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n## [1.1.0] - 2026-12-01\n",
                                       encoding="utf-8")
    dist = _dist(tmp_path / "dist", "1.2.0")
    result = _check("v1.2.0", str(dist), script=copy / ".ci" / "release-check")
    assert result.returncode == 1
    assert result.stderr == ("release-check: error: CHANGELOG.md's newest release is 1.1.0, not 1.2.0: add a "
                             "'## [1.2.0] - YYYY-MM-DD' section above the older ones\n")
    (copy / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2026-12-06\n\n"
                                       "## [1.1.0] - 2026-12-01\n", encoding="utf-8")
    assert _check("v1.2.0", str(dist), script=copy / ".ci" / "release-check").returncode == 0


def test_release_check_says_how_to_call_it() -> None:
    result = _check()
    assert result.returncode == 2 and result.stderr == "usage: .ci/release-check TAG [DIST]\n"


def _upgrade_notes() -> str:
    guide = (REPO / "ADOPTING.md").read_text(encoding="utf-8")
    assert UPGRADE_NOTES in guide
    return guide[guide.index(UPGRADE_NOTES):]


def _follow_the_notes(config: str) -> str:
    """ADOPTING.md's mkdocs.yml step, done line by line as a person would in an editor."""
    config, hooks = re.subn(r"(?m)^hooks:\n(?:  - .*\n)+\n?", "", config)  # the `hooks:` block
    config, plugins = re.subn(r"(?m)^plugins:\n", "plugins:\n  - playbook\n", config)  # `- playbook` first
    config, module = re.subn(r"(?m)^ +module_name: macros\n", "", config)
    config, theme = re.subn(r"(?m)^ +custom_dir: overrides\n", "", config)
    config, watch = re.subn(r"(?m)^  - macros\n", "", config)  # `- macros` under `watch:` (not `- macros:`)
    assert (hooks, plugins, module, theme, watch) == (1, 1, 1, 1, 1)
    return config


def test_the_upgrade_notes_name_every_change() -> None:
    notes = _upgrade_notes()
    for needed in ("`src/`", "`macros/hooks.py`", "`tests/`", "`.github/workflows/ci.yml`", "`hooks:`",
                   "`- macros/hooks.py`", "`- playbook`", "`module_name: macros`", "`custom_dir: overrides`",
                   "`- macros` under `watch:`", "requirements.txt", "playbook leftovers", "playbook init",
                   f"`{playbook.DISTRIBUTION}=={playbook.__version__}`"):
        assert needed in notes, needed


def test_a_copy_made_before_the_package_builds_after_the_upgrade_notes(tmp_path: Path) -> None:
    """With the generator's code deleted, the old mkdocs.yml no longer builds; changed as the notes say, it builds
    strictly through the installed plugin, record pages and sheets included."""
    root = assemble(tmp_path / "copy", PLAYBOOKS / "incident-response")
    old = OLD_CONFIG.read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(old, encoding="utf-8")
    before = build(root)
    assert before.returncode != 0 and "Aborted with a configuration error" in before.stdout + before.stderr

    (root / "mkdocs.yml").write_text(_follow_the_notes(old), encoding="utf-8")
    assert run_playbook("validate", "--strict", root=root,
                        env={name: "" for name in ADDRESS_VARIABLES}).returncode == 0
    after = build(root)
    assert after.returncode == 0, after.stdout + after.stderr
    site = root / "site"
    for record in sorted((root / "data").glob("*/*.yaml")):
        assert (site / record.parent.name / record.stem / "index.html").is_file(), record
    for checklist in sorted((root / "data" / "checklists").glob("*.yaml")):
        assert (site / "checklists" / checklist.stem / f"{checklist.stem}-a4.pdf").is_file(), checklist
    assert not list(root.rglob("*.py"))

