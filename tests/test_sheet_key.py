"""The sheet cache key covers everything that changes a sheet (issue 22), and a word too long for a line stays on it.

One test per input of the key: change that input alone and the key must change, so a cached sheet (and `playbook
export`'s "up to date") never outlives what made it.
"""
from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from playbook.sheets import export
from playbook.cli.main import main
from playbook.sheets.export import PAPERS, Renderer, sheet_key
from playbook.records.model import Checklist, Item, Section
from playbook.records.pipeline import validated_playbook
from playbook.sheets.paper_switch import boxes
from playbook.core.settings import Settings, load_settings
from playbook.core.strings import merged
from support import PLAYBOOKS

pytestmark = pytest.mark.own_fixtures

MINI = PLAYBOOKS / "mini"


def _checklist(text: str = "Check the figures") -> Checklist:
    return Checklist(kind="checklists", id="sheet", path="data/checklists/sheet.yaml", title="Sheet", summary="s",
                     sources=[], type="READ-DO", when="now", sections=[Section("Now", [Item(text), Item("Done")])])


def _settings(**changes) -> Settings:
    return dataclasses.replace(Settings(root=MINI, title="Mini"), **changes)


@pytest.fixture
def fresh_digest():
    """The generator's fingerprint worked out again after a test changes what it hashes."""
    from playbook.core import storage

    storage.generator_digest.cache_clear()
    yield
    storage.generator_digest.cache_clear()


def _changed_paper(**changes) -> dict:
    return {"paper": dataclasses.replace(PAPERS["a4"], **changes)}


CHANGES = {
    "the checklist's text": {"checklist": _checklist("Check the numbers")},
    "the paper's side margins": _changed_paper(side_mm=12),
    "the paper's size": _changed_paper(height_pt=800.0),
    "the paper's CSS size": _changed_paper(css_size="210mm 290mm"),
    "the sheet's language": {"settings": _settings(language="de")},
    "the sheet's words": {"settings": _settings(strings=merged({"sheet.notes": "Remarks"}))},
    "the sheet fields": {"settings": _settings(sheet_fields=("Date", "Team"))},
    "the playbook's title": {"settings": _settings(title="Other")},
    "the site address": {"settings": _settings(site_url="https://example.org/p/")},
}


@pytest.mark.parametrize("change", CHANGES)
def test_the_sheet_key_covers(change: str) -> None:
    base = {"checklist": _checklist(), "paper": PAPERS["a4"], "settings": _settings()}
    assert sheet_key(**base) == sheet_key(**base)
    assert sheet_key(**{**base, **CHANGES[change]}) != sheet_key(**base)


def test_the_sheet_key_covers_the_date_printed_on_the_sheet(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    before = sheet_key(_checklist(), PAPERS["a4"], _settings())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")  # 2026-01-02
    assert sheet_key(_checklist(), PAPERS["a4"], _settings()) != before


def test_the_sheet_key_covers_the_weasyprint_version(monkeypatch, fresh_digest) -> None:
    from playbook.core import storage

    before = sheet_key(_checklist(), PAPERS["a4"], _settings())
    real = storage._library_versions
    monkeypatch.setattr(storage, "_library_versions",
                        lambda: [(name, "0.0-other" if name == "weasyprint" else v) for name, v in real()])
    storage.generator_digest.cache_clear()
    assert sheet_key(_checklist(), PAPERS["a4"], _settings()) != before


@pytest.mark.parametrize("name", ["sheets/layout.py", "sheets/export.py", "sheets/paper_switch.py", "sheets/engine.py",
                                  "templates/print.css", "templates/print.html"])
def test_the_sheet_key_covers_the_renderers_code(name: str, tmp_path: Path, monkeypatch, fresh_digest) -> None:
    from playbook.core import storage

    before = sheet_key(_checklist(), PAPERS["a4"], _settings())
    package = tmp_path / "playbook"
    shutil.copytree(storage.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    assert (package / name).is_file(), f"{name} is not a file of the package"
    with (package / name).open("a", encoding="utf-8") as changed:
        changed.write("\n")
    monkeypatch.setattr(storage, "PACKAGE", package)
    storage.generator_digest.cache_clear()
    assert sheet_key(_checklist(), PAPERS["a4"], _settings()) != before


def test_export_is_not_up_to_date_after_a_margin_change(tmp_path: Path, monkeypatch, capsys) -> None:
    """Once, the A4 margins changed and `playbook export` said "up to date" over sheets with the old margins."""
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    out = tmp_path / "out"
    args = ["--root", str(root), "export", "--out", str(out), "--quiet", "--paper", "a4", "--format", "pdf"]
    assert main(args) == 0
    assert main(args) == 0
    assert "nothing to write: 2 file(s) up to date" in capsys.readouterr().out
    monkeypatch.setitem(PAPERS, "a4", dataclasses.replace(PAPERS["a4"], side_mm=14))
    assert main(args) == 0
    assert "wrote 2 file(s)" in capsys.readouterr().out


WORD = "Supercalifragilistic" * 6 + "expialidocious"  # 134 characters, no place to break


def test_a_word_too_long_for_a_line_wraps_inside_the_page() -> None:
    assert len(WORD) == 134
    settings = _settings()
    checklist = _checklist(f"Say {WORD} twice")
    renderer = Renderer(settings, date="2026-01-01")
    for paper in PAPERS.values():
        document, _ = renderer._document(checklist, paper)
        page = document.pages[0]._page_box
        left, right = page.content_box_x(), page.content_box_x() + page.width
        for box in boxes(page):
            if box is not page and hasattr(box, "border_box_x"):
                assert left - 0.5 <= box.border_box_x() <= box.border_box_x() + box.border_width() <= right + 0.5, \
                    f"{type(box).__name__} <{box.element_tag}> runs past the page's text area on {paper.name}"
        pdf = renderer.pdf(checklist, paper)
        text = "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
        assert WORD in text, "every character of the word is on the sheet"


def test_a_line_that_cannot_wrap_is_refused_with_its_checklist() -> None:
    """Sheet fields never wrap: four long ones make a line wider than the page, refused rather than clipped."""
    settings = _settings(sheet_fields=("W" * 40,) * 4)
    with pytest.raises(export.BuildError, match=r"^checklist 'sheet' \(data/checklists/sheet\.yaml\): a line runs "
                                                r"\d+ pt \(\d+ mm\) past the edge of the A4 page: 'W+ W+"):
        Renderer(settings, date="2026-01-01").pdf(_checklist(), PAPERS["a4"])


def test_site_exports_refuse_an_id_that_leaves_the_site(tmp_path: Path) -> None:
    """A model from anywhere but the loader (an old cache) with a checklist id climbing out of site/ writes nothing."""
    pb = validated_playbook(MINI)
    checklist = pb.checklists.pop("weekly-update")
    checklist.id = "../../../x"
    pb.checklists[checklist.id] = checklist
    site = tmp_path / "a" / "b" / "site"
    with pytest.raises(export.BuildError, match=r"refusing to export the checklist id '\.\./\.\./\.\./x'"):
        export.site_exports(pb, site, tmp_path / "cache", settings=load_settings(MINI))
    assert not any(tmp_path.rglob("*.pdf")) and not (tmp_path / "x").exists()
