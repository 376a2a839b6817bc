"""The `playbook` MkDocs plugin, driven event by event in-process on a test playbook (no full build)."""
from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.files import get_files

from playbook.site import compat
from playbook.site.pages import PlaybookFile, PlaybookPage
from playbook.site.plugin import PlaybookPlugin
from support import PLAYBOOKS, assemble

pytestmark = pytest.mark.own_fixtures

MINI = PLAYBOOKS / "mini"


def _events(root: Path, monkeypatch, **plugin_options):
    """Load root's mkdocs.yml and run the events up to on_files, as `mkdocs build` does."""
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    for name in ("GITHUB_REPOSITORY", "PLAYBOOK_SITE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / ".test-cache"))
    if plugin_options:
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
        options = yaml.safe_dump(plugin_options, default_flow_style=True).strip()
        (root / "mkdocs.yml").write_text(text.replace("  - playbook ", f"  - playbook: {options} ", 1)
                                         .replace("  - playbook\n", f"  - playbook: {options}\n", 1), encoding="utf-8")
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    return config, files


def _records(root: Path) -> list[tuple[str, str, dict]]:
    return [(p.parent.name, p.stem, yaml.safe_load(p.read_text(encoding="utf-8")))
            for p in sorted((root / "data").glob("*/*.yaml"))]


def test_the_package_registers_the_plugin_under_its_name() -> None:
    found = [ep for ep in entry_points(group="mkdocs.plugins") if ep.name == "playbook"]
    assert len(found) == 1 and found[0].load() is PlaybookPlugin


def test_each_record_gets_a_finished_page_made_with_its_file(tmp_path: Path, monkeypatch) -> None:
    root = assemble(tmp_path / "mini", MINI)
    config, files = _events(root, monkeypatch)
    records = _records(root)
    assert records
    for kind, rid, data in records:
        file = files.get_file_from_path(f"{kind}/{rid}.md")
        assert isinstance(file, PlaybookFile), f"no page for {kind}/{rid}"
        assert type(file.page) is PlaybookPage and file.page.file is file
        assert file.edit_uri == f"data/{kind}/{rid}.yaml"
        assert file.page.title == file.page.meta["title"] and file.page.meta["title"]
        assert file.url == f"{kind}/{rid}/"


def test_the_page_macros_reach_mkdocs_macros_without_code_in_the_playbook(tmp_path: Path, monkeypatch) -> None:
    root = assemble(tmp_path / "mini", MINI)
    assert not list(root.rglob("*.py"))
    config, _ = _events(root, monkeypatch)
    macros = compat.macros_plugin(config)
    assert macros is not None
    assert {"checklist", "scenario_table", "record_list", "steps_path", "sources"} <= set(macros.macros)


def test_a_broken_record_stops_the_build_with_its_location(tmp_path: Path, monkeypatch, caplog) -> None:
    root = assemble(tmp_path / "mini", MINI)
    kind, rid, _ = _records(root)[0]
    path = root / "data" / kind / f"{rid}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "surprise_field: 1\n", encoding="utf-8")
    with pytest.raises(Abort, match="error"):
        _events(root, monkeypatch)
    assert f"data/{kind}/{rid}.yaml:" in caplog.text and "surprise_field" in caplog.text


def test_a_disabled_plugin_adds_no_pages_and_checks_nothing(tmp_path: Path, monkeypatch) -> None:
    root = assemble(tmp_path / "mini", MINI)
    kind, rid, _ = _records(root)[0]
    (root / "data" / kind / f"{rid}.yaml").write_text("title: [broken\n", encoding="utf-8")
    _, files = _events(root, monkeypatch, enabled=False)
    assert files.get_file_from_path(f"{kind}/{rid}.md") is None
