"""A sheet's Letter page is made from its A4 layout (paper_switch.py): it must be the page a Letter layout makes.

Checked on every checklist of the repository's playbook (whatever its subject) and of the test playbooks: the same
boxes at the same places, the same PDF page, form fields and text, and the same picture once rasterised.
"""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from playbook.sheets import layout
from playbook.core.diagnostics import BuildError
from playbook.sheets.export import PAPERS, PT_PER_PX, Renderer
from playbook.records.model import Checklist, Item, Section
from playbook.records.pipeline import validated_playbook
from playbook.sheets.paper_switch import Unsupported, moved_page
from playbook.core.settings import Settings, load_settings
from support import PLAYBOOKS as TEST_PLAYBOOKS, REPO

A4, LETTER = PAPERS["a4"], PAPERS["letter"]
ROOTS = {"repository": REPO, **{p.name: p for p in sorted(TEST_PLAYBOOKS.iterdir()) if (p / "data").is_dir()}}
CHECKLISTS = [(name, cid) for name, root in ROOTS.items()
              for cid in sorted(p.stem for p in (root / "data" / "checklists").glob("*.yaml"))]


def _geometry(box, depth: int = 0):
    yield (depth, type(box).__name__, getattr(box, "element_tag", None),
           *(round(getattr(box, a), 3) for a in ("position_x", "position_y", "width", "height", "margin_left",
                                                 "margin_top") if isinstance(getattr(box, a, None), (int, float))))
    for child in getattr(box, "children", ()):
        yield from _geometry(child, depth + 1)


def _page(pdf: bytes) -> tuple:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    fields = [tuple(round(float(v), 2) for v in a.get_object()["/Rect"]) for a in page.get("/Annots", [])]
    return tuple(float(v) for v in page.mediabox), fields, " ".join(page.extract_text().split())


@pytest.fixture(scope="module")
def renderers() -> dict[str, tuple[Renderer, dict]]:
    return {name: (Renderer(load_settings(root, env={}), date="2026-01-01"), validated_playbook(root).checklists)
            for name, root in ROOTS.items()}


@pytest.mark.parametrize("name,cid", CHECKLISTS)
def test_the_moved_layout_is_the_letter_layout(renderers, name: str, cid: str) -> None:
    renderer, checklists = renderers[name]
    checklist = checklists[cid]
    direct, options = renderer._document(checklist, LETTER)
    laid_out, _ = renderer._document(checklist, A4)
    del options["font_config"]
    moved = moved_page(laid_out, LETTER.width_pt / PT_PER_PX, LETTER.height_pt / PT_PER_PX, renderer._fetcher,
                       options)
    assert list(_geometry(moved.pages[0]._page_box)) == list(_geometry(direct.pages[0]._page_box))
    made, expected = moved.write_pdf(**options), direct.write_pdf(**options)
    assert _page(made) == _page(expected)
    assert _page(made)[0] == (0.0, 0.0, 612.0, 792.0)


def _pixels(pdf: bytes, tmp_path: Path, name: str) -> Image.Image:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm (poppler-utils) is missing", pytrace=False)
    (tmp_path / f"{name}.pdf").write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", "72", "-png", "-singlefile", tmp_path / f"{name}.pdf", tmp_path / name],
                   check=True)
    return Image.open(tmp_path / f"{name}.png").convert("RGB")


@pytest.mark.parametrize("name", ROOTS)
def test_moved_sheets_print_as_letter_sheets(renderers, name: str, tmp_path: Path) -> None:
    """The longest checklist of each playbook, drawn: not one pixel differs from a sheet laid out on Letter."""
    renderer, checklists = renderers[name]
    checklist = max(checklists.values(), key=lambda c: (len(c.items), sum(len(i.text) for i in c.items)))
    a4, letter = renderer.pdfs(checklist, [A4, LETTER])
    direct, options = renderer._document(checklist, LETTER)
    del options["font_config"]
    made, expected = _pixels(letter, tmp_path, "moved"), _pixels(direct.write_pdf(**options), tmp_path, "direct")
    assert made.size == expected.size == (612, 792)
    assert ImageChops.difference(made, expected).getbbox() is None
    assert _pixels(a4, tmp_path, "a4").size == (596, 842)  # A4, 595.28 x 841.89 pt, rounded up


def _checklist(items: int) -> Checklist:
    return Checklist(kind="checklists", id="c", path="data/checklists/c.yaml", title="A checklist", summary="s",
                     sources=[], type="READ-DO", when="now",
                     sections=[Section("Now", [Item(f"Check item {i} before going on") for i in range(items)])])


def test_a_sheet_that_fits_a4_but_not_letter_is_refused_for_letter() -> None:
    renderer = Renderer(Settings(root=REPO, title="Test"))
    for items in range(18, 40):
        try:
            renderer.pdf(_checklist(items), LETTER)
        except BuildError:
            break
    else:
        pytest.fail("no length overflows Letter")
    assert renderer.pdf(_checklist(items), A4).startswith(b"%PDF-")
    with pytest.raises(BuildError, match=r"does not fit on one US Letter page"):
        renderer.pdfs(_checklist(items), [A4, LETTER])


def test_a_layout_it_cannot_move_is_laid_out_again(monkeypatch) -> None:
    import weasyprint

    with pytest.raises(Unsupported):
        moved_page(weasyprint.HTML(string="<p>No sheet here</p>").render(), 816, 1056, None, {})

    def unsupported(*args, **kwargs):
        raise Unsupported("not today")

    renderer = Renderer(Settings(root=REPO, title="Test"), date="2026-01-01")
    laid_out: list[str] = []
    real = renderer._document
    monkeypatch.setattr(renderer, "_document", lambda c, p, **kw: laid_out.append(p.key) or real(c, p, **kw))
    expected = renderer.pdfs(_checklist(5), [A4, LETTER])
    assert laid_out == ["a4"], "the Letter page comes from the A4 layout"
    monkeypatch.setattr(layout, "moved_page", unsupported)  # the renderer lives in layout.py
    laid_out.clear()
    fallback = renderer.pdfs(_checklist(5), [A4, LETTER])
    assert laid_out == ["a4", "letter"]
    assert [_page(pdf) for pdf in fallback] == [_page(pdf) for pdf in expected]
