"""Checklist exports end to end: one-page tagged, fillable PDFs on A4 and Letter, Markdown and text, the cache,
and `playbook export` refusing to overwrite files it did not write."""
from __future__ import annotations

import copy
import io
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from playbook.sheets import export
from playbook.cli.main import main
from playbook.core.diagnostics import BuildError
from playbook.sheets.export import MANIFEST, PAPERS, Renderer, site_exports
from playbook.records.model import Checklist, Item, Section
from playbook.records.pipeline import validated_playbook
from playbook.core.settings import Settings, load_settings
from playbook.core.strings import DEFAULT_SHEET_FIELDS
from support import ADDRESS_VARIABLES, PLAYBOOKS as TEST_PLAYBOOKS, REPO

MINI = TEST_PLAYBOOKS / "mini"
# The playbook the repository holds (whatever its subject) and the engine tests' own small one.
PLAYBOOKS = {"repository": REPO, "mini": MINI}
SIZES = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}


def _ids(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "data" / "checklists").glob("*.yaml"))


SHEETS = [(name, cid, paper) for name, root in PLAYBOOKS.items() for cid in _ids(root) for paper in SIZES]
CHECKLISTS = [(name, cid) for name, root in PLAYBOOKS.items() for cid in _ids(root)]


def _words(text: str) -> str:
    return " ".join(text.split())


def _label(item: Item, critical: str) -> str:
    """An item as its box is named: its text, then the playbook's own word for critical."""
    return item.text + (f" {critical}" if item.critical else "")


@pytest.fixture(scope="session")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every checklist of each playbook exported once, through the CLI, in one process."""
    out = {}
    for name, root in PLAYBOOKS.items():
        folder = tmp_path_factory.mktemp(name)
        assert main(["--root", str(root), "export", "--out", str(folder), "--quiet"]) == 0
        out[name] = folder
    return out


@dataclass(frozen=True)
class Card:
    """What a test needs of one checklist, as plain text: the model's graph has no short repr for pytest to print."""

    title: str
    type: str
    when: str
    pauses: list[str]
    items: list[str]
    labels: list[str]


@pytest.fixture(scope="session")
def cards() -> dict[tuple[str, str], Card]:
    out = {}
    for name, root in PLAYBOOKS.items():
        critical = load_settings(root, env={}).strings["checklist.critical"]
        for cid, c in validated_playbook(root).checklists.items():
            out[name, cid] = Card(c.title, c.type, c.when, [s.pause for s in c.sections], [i.text for i in c.items],
                                  [_label(i, critical) for i in c.items])
    return out


@pytest.mark.parametrize("name,cid,paper", SHEETS)
def test_pdf_is_one_tagged_fillable_page(exported, cards, name: str, cid: str, paper: str) -> None:
    card = cards[name, cid]
    reader = PdfReader(exported[name] / f"{cid}-{paper}.pdf")

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(SIZES[paper][0], abs=1)
    assert float(box.height) == pytest.approx(SIZES[paper][1], abs=1)

    text = _words(reader.pages[0].extract_text())
    for item in card.items:
        assert _words(item) in text, f"{item!r} missing from the {paper} PDF"
    for pause in card.pauses:
        assert _words(pause) in text
    assert card.title in text and card.type in text

    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == load_settings(PLAYBOOKS[name], env={}).language
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title.startswith(card.title)

    fields = [f.get_object() for f in catalog["/AcroForm"]["/Fields"]]
    assert all(f["/FT"] == "/Btn" for f in fields), "only checkboxes: a text field would embed the whole font"
    assert sorted(_words(f["/TU"]) for f in fields) == sorted(map(_words, card.labels)), "one labelled box per item"
    assert len({f["/T"] for f in fields}) == len(fields)

    runs = _text_runs(reader)
    assert min(size for _, _, _, size, _ in runs) >= 10, "print at 10 pt or more"
    assert all("Sans" in font for _, _, _, _, font in runs), "sans-serif only"
    for field in fields:
        left, top, right, bottom = (float(v) for v in field["/Rect"])
        assert right - left >= 10 and top - bottom >= 10, "a box big enough to tick with a pen"
        label = field["/TU"]
        starts = [(x, y) for x, y, text, _, _ in runs if len(text.strip()) > 3 and label.startswith(text.strip())]
        assert any(right < x <= right + 10 and bottom < y < top for x, y in starts), \
            f"the box of {label!r} is not right beside its text"


def _text_runs(reader: PdfReader) -> list[tuple[float, float, str, float, str]]:
    """Each run of text on the first page: x and y of its baseline start, text, size in pt and font name."""
    runs = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((x, y, text, round(size * tm[3] * cm[3], 2), str(font.get("/BaseFont", "")) if font else ""))

    reader.pages[0].extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize("name,cid", CHECKLISTS)
def test_markdown_and_text_hold_every_item(exported, cards, name: str, cid: str) -> None:
    card = cards[name, cid]
    md = (exported[name] / f"{cid}.md").read_text(encoding="utf-8")
    txt = (exported[name] / f"{cid}.txt").read_text(encoding="utf-8")

    tasks = re.findall(r"^- \[ \] (.*)$", md, flags=re.M)
    assert [re.sub(r"\\(.)", r"\1", task).replace("**", "") for task in tasks] == card.labels
    assert [h[3:] for h in re.findall(r"^## .*$", md, flags=re.M)][:-1] == card.pauses
    assert f"**{card.type}**" in md and card.when in md

    assert re.findall(r"^\[ \] (.*)$", txt, flags=re.M) == card.labels
    assert f"{card.type}: " in txt and card.when in txt


def test_contributor_text_stays_literal(exported) -> None:
    reader = PdfReader(exported["mini"] / "weekly-update-a4.pdf")
    assert "Symbols <b>, {{ 7*7 }} and *stars* shown as typed" in _words(reader.pages[0].extract_text())
    md = (exported["mini"] / "weekly-update.md").read_text(encoding="utf-8")
    assert r"- [ ] Symbols \<b\>, {{ 7\*7 }} and \*stars\* shown as typed" in md


def test_sheets_show_the_playbook_title(exported) -> None:
    """Every sheet opens with the playbook's own title (mkdocs.yml's site_name)."""
    for name, root in PLAYBOOKS.items():
        title = load_settings(root, env={}).title
        for cid in _ids(root):
            text = PdfReader(exported[name] / f"{cid}-a4.pdf").pages[0].extract_text()
            assert text.startswith(title), (name, cid, text[:80])


@pytest.mark.own_fixtures
@pytest.mark.parametrize("repository", ["", "acme/handbook"], ids=["no-address", "github-actions"])
def test_sheets_print_the_page_address_only_when_known(tmp_path: Path, monkeypatch, repository: str) -> None:
    """On GitHub Actions a sheet prints its page's address on the Pages site; with no address known, none."""
    for variable in ADDRESS_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    if repository:
        monkeypatch.setenv("GITHUB_REPOSITORY", repository)
    cid = _ids(MINI)[0]
    out = tmp_path / "out"
    assert main(["--root", str(MINI), "export", "--out", str(out), "--quiet", "--id", cid, "--paper", "a4"]) == 0
    address = f"https://acme.github.io/handbook/checklists/{cid}/"
    for text in (PdfReader(out / f"{cid}-a4.pdf").pages[0].extract_text(), (out / f"{cid}.md").read_text("utf-8"),
                 (out / f"{cid}.txt").read_text("utf-8")):
        assert (address in _words(text)) == bool(repository), text
        assert ("https://" in text) == bool(repository), "no other address is made up"


@pytest.mark.own_fixtures
def test_sheet_fields_come_from_the_playbook(tmp_path: Path) -> None:
    """The blanks at the top of a sheet are the playbook's `sheet_fields`; without any, the neutral default."""
    pb = validated_playbook(MINI)
    checklist = pb.checklists[_ids(MINI)[0]]
    configured = load_settings(MINI, env={})
    neutral = Settings(root=tmp_path, title="Any playbook")
    assert neutral.sheet_fields == DEFAULT_SHEET_FIELDS
    for settings in (configured, neutral):
        text = export.to_text(checklist, settings)
        blanks = next(line for line in text.splitlines() if line.startswith(f"{settings.sheet_fields[0]}: "))
        assert re.findall(r"(\w[\w ]*): _+", blanks) == list(settings.sheet_fields)
        html = Renderer(settings, date="2026-01-01").html(checklist, PAPERS["a4"])
        for field in settings.sheet_fields:
            assert f">{field}" in html, field


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    return root


def _export(root: Path, out: Path, *args: str) -> int:
    return main(["--root", str(root), "export", "--out", str(out), "--quiet", *args])


@pytest.mark.own_fixtures
def test_export_skips_unchanged_and_rerenders_changed(mini: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert _export(mini, out, "--paper", "a4") == 0
    assert capsys.readouterr().out.startswith(f"wrote 6 file(s) to {out.as_posix()}/ for 2 checklist(s)")
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}

    assert _export(mini, out, "--paper", "a4") == 0
    assert "nothing to write: 6 file(s) up to date" in capsys.readouterr().out
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before

    path = mini / "data" / "checklists" / "weekly-update.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Headline fits", "Subject line fits"), encoding="utf-8")
    assert _export(mini, out, "--paper", "a4") == 0
    assert "wrote 3 file(s)" in capsys.readouterr().out
    after = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {"weekly-update-a4.pdf", "weekly-update.md", "weekly-update.txt", MANIFEST}
    assert "Subject line fits" in PdfReader(out / "weekly-update-a4.pdf").pages[0].extract_text()


@pytest.mark.own_fixtures
def test_export_refuses_a_foreign_file(mini: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "weekly-update.md").write_text("my own notes\n", encoding="utf-8")
    assert _export(mini, out) == 1
    err = capsys.readouterr().err
    assert f"refusing to overwrite {out / 'weekly-update.md'}: it exists and was not written by `playbook export`" \
        in err
    assert (out / "weekly-update.md").read_text(encoding="utf-8") == "my own notes\n"
    assert not (out / "weekly-update-a4.pdf").exists(), "nothing is written when any target is refused"


@pytest.mark.own_fixtures
def test_export_refuses_a_file_changed_since_it_wrote_it(mini: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert _export(mini, out, "--format", "txt") == 0
    (out / "prepare-for-a-1-1.txt").write_text("ticked by hand\n", encoding="utf-8")
    assert _export(mini, out, "--format", "txt") == 1
    assert (f"refusing to overwrite {out / 'prepare-for-a-1-1.txt'}: it was changed since `playbook export` wrote it"
            in capsys.readouterr().err)
    assert (out / "prepare-for-a-1-1.txt").read_text(encoding="utf-8") == "ticked by hand\n"


@pytest.mark.own_fixtures
def test_export_only_the_chosen_ids_and_formats(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _export(mini, out, "--id", "weekly-update", "--format", "md", "--format", "pdf", "--paper", "letter") == 0
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "weekly-update-letter.pdf", "weekly-update.md"]
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == ["weekly-update-letter.pdf", "weekly-update.md"]


@pytest.mark.own_fixtures
def test_unknown_id_is_misuse_with_a_suggestion(tmp_path: Path, capsys) -> None:
    assert _export(MINI, tmp_path / "out", "--id", "prepare-for-a-1on1") == 2
    assert capsys.readouterr().err == (
        "playbook: error: unknown checklist 'prepare-for-a-1on1'; did you mean 'prepare-for-a-1-1'?\n")
    assert not (tmp_path / "out").exists()


WORDY = "extraordinarily complicated interdepartmental responsibilities"


def _long_checklist(mini: Path) -> None:
    """A checklist that passes validation (with warnings) yet cannot fit on one page: 20 items of two lines."""
    items = [f"      - Write {n} {WORDY} before tomorrow's quarterly planning conversations" for n in range(1, 21)]
    items[7] = f"      - Ask which {WORDY} matter most this quarter"
    items[19] = f"      - Recap the {WORDY}, owners and dates before you leave"
    sections = []
    for number, chunk in enumerate((items[:7], items[7:14], items[14:]), 1):
        sections += [f"  - pause: A pause point with a long name, number {number} of three", "    items:", *chunk]
    (mini / "data" / "checklists" / "too-long.yaml").write_text("\n".join([
        "title: A checklist that is far too long",
        "summary: Every item here runs to two lines, so the card cannot fit on one page.",
        "type: READ-DO", "when: Never; it exists to test the one-page rule.", "sections:", *sections,
        "sources:", "  - title: The Checklist Manifesto", "    note: A checklist must fit on one page.", ""]),
        encoding="utf-8")


@pytest.mark.own_fixtures
def test_too_long_checklist_fails_with_its_overflow(mini: Path, tmp_path: Path, capsys) -> None:
    _long_checklist(mini)
    assert "too-long" in sorted(validated_playbook(mini).checklists)  # valid content: only warnings
    assert _export(mini, tmp_path / "out", "--id", "too-long", "--format", "pdf", "--paper", "letter") == 1
    err = capsys.readouterr().err
    assert re.fullmatch(
        r"playbook: error: checklist 'too-long' \(data/checklists/too-long\.yaml\) does not fit on one US Letter page: "
        r"it needs 1\.\d\d pages, \d+ pt \(\d+ mm\) too long; cut or shorten items\n", err), err
    assert not (tmp_path / "out" / "too-long-letter.pdf").exists()


@pytest.mark.own_fixtures
def test_renderer_measures_the_overflow() -> None:
    item = "Write one short item"
    short = Checklist(kind="checklists", id="short", path="data/checklists/short.yaml", title="Short", summary="s",
                      sources=[], type="DO-CONFIRM", when="now", sections=[Section("Now", [Item(item)] * 5)])
    tall = copy.deepcopy(short)
    tall.id, tall.sections = "tall", [Section(f"Part {n}", [Item(f"{item} {i}") for i in range(12)]) for n in range(3)]
    renderer = Renderer(Settings(root=MINI, title="Test"))
    assert renderer.pdf(short, PAPERS["a4"]).startswith(b"%PDF-")
    with pytest.raises(BuildError, match=r"'tall' .* does not fit on one A4 page: it needs 1\.\d\d pages"):
        renderer.pdf(tall, PAPERS["a4"])
    assert renderer.rendered == 1


@pytest.mark.own_fixtures
def test_site_exports_are_cached_by_content(tmp_path: Path, monkeypatch) -> None:
    pb = validated_playbook(MINI)
    ids = sorted(pb.checklists)
    renders: list[str] = []
    real_pdfs = Renderer.pdfs

    def counting_pdfs(self, checklist, papers):
        renders.extend(f"{checklist.id}-{paper.key}" for paper in papers)
        return real_pdfs(self, checklist, papers)

    monkeypatch.setattr(Renderer, "pdfs", counting_pdfs)
    site, cache = tmp_path / "site", tmp_path / "cache"
    settings = Settings(root=MINI, title="Mini", site_url="https://example.org/mini/")
    written = site_exports(pb, site, cache, settings=settings)
    assert sorted(p.relative_to(site).as_posix() for p in written) == sorted(
        f"checklists/{cid}/{cid}{suffix}" for cid in ids for suffix in ("-a4.pdf", "-letter.pdf", ".md", ".txt"))
    assert sorted(renders) == sorted(f"{cid}-{paper}" for cid in ids for paper in PAPERS)
    first = (site / "checklists/weekly-update/weekly-update-a4.pdf").read_bytes()
    assert "https://example.org/mini/checklists/weekly-update/" in PdfReader(
        site / "checklists/weekly-update/weekly-update-a4.pdf").pages[0].extract_text()

    renders.clear()
    monkeypatch.setattr(export, "Renderer", None)  # an unchanged playbook must not even start WeasyPrint
    shutil.rmtree(site)
    site_exports(pb, site, cache, settings=settings)
    assert renders == []
    assert (site / "checklists/weekly-update/weekly-update-a4.pdf").read_bytes() == first

    monkeypatch.setattr(export, "Renderer", Renderer)
    pb.checklists["weekly-update"].sections[0].items[1].text = "Top three priorities listed first"
    site_exports(pb, site, cache, settings=settings)
    assert sorted(renders) == ["weekly-update-a4", "weekly-update-letter"]
    assert len(list((cache / "weekly-update").glob("*.pdf"))) == 2, "the stale cache entries are removed"
    assert "Top three priorities listed first" in (site / "checklists/weekly-update/weekly-update.md").read_text(
        encoding="utf-8")


def _rules(pdf: bytes, dpi: int = 144) -> tuple[list[float], float]:
    """The y (pt from the top) of every full-width horizontal rule on the page, and the page's height in pt.

    Drawn by poppler without anti-aliasing: a rule is a run of rows dark across 90% of the text column.
    """
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        if os.environ.get("REQUIRE_BROWSER") == "1" or os.environ.get("CI"):
            pytest.fail("pdftoppm (poppler-utils) is missing", pytrace=False)
        pytest.skip("pdftoppm (poppler-utils) is missing; the sheet's drawing is not checked")
    gray = subprocess.run([pdftoppm, "-gray", "-r", str(dpi), "-aa", "no", "-aaVector", "no", "-singlefile", "-"],
                          input=pdf, capture_output=True, check=True).stdout
    magic, width, height, _, pixels = gray.split(maxsplit=4)
    assert magic == b"P5"
    width, height = int(width), int(height)
    left, right = int(width * 0.1), int(width * 0.9)  # inside the text column on A4 and Letter alike
    dark = [sum(1 for v in pixels[y * width + left:y * width + right] if v < 128) >= 0.9 * (right - left)
            for y in range(height)]
    starts = [y for y in range(height) if dark[y] and (y == 0 or not dark[y - 1])]
    return [y * 72 / dpi for y in starts], height * 72 / dpi


# Synthetic checklists from a few items to a nearly full page, beside the shortest and longest the playbooks hold.
LENGTHS = {"3 items": [3], "12 items": [4, 4, 4], "21 items": [7, 7, 7]}


def _synthetic(name: str) -> Checklist:
    sections = [Section(f"Pause {n}", [Item(f"Check item {n}.{i} before going on") for i in range(count)])
                for n, count in enumerate(LENGTHS[name], 1)]
    return Checklist(kind="checklists", id=name.replace(" ", "-"), path=f"data/checklists/{name}.yaml",
                     title=f"A checklist of {name}", summary="s", sources=[], type="READ-DO", when="now",
                     sections=sections)


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("name", [*LENGTHS, "shortest", "longest"])
def test_notes_fill_the_page_down_to_the_footer(name: str, paper: str) -> None:
    """Whatever the checklist's length: one page with every item, then ruled notes from their heading down to the
    footer, and the footer at the foot of the page."""
    if name in LENGTHS:
        checklist, settings = _synthetic(name), Settings(root=MINI, title="Test")
    else:
        pb = validated_playbook(REPO)
        ordered = sorted(pb.checklists.values(), key=lambda c: (len(c.items), sum(len(i.text) for i in c.items)))
        checklist, settings = ordered[0 if name == "shortest" else -1], load_settings(REPO, env={})
    pdf = Renderer(settings, date="2026-01-01").pdf(checklist, PAPERS[paper])
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = _words(reader.pages[0].extract_text())
    assert all(_words(item.text) in text for item in checklist.items)

    runs = _text_runs(reader)
    rules, page_height = _rules(pdf)
    top = lambda y: page_height - y  # noqa: E731 - PDF y grows upwards, the raster's downwards
    notes = min(top(y) for _, y, t, _, _ in runs if t.strip() == settings.strings("sheet.notes"))
    last_item = max(top(y) for _, y, t, _, _ in runs if any(t.strip() and t.strip() in i.text
                                                            for i in checklist.items))
    footer_text = max(top(y) for _, y, _, _, _ in runs)
    bottom_margin = 12 / 25.4 * 72

    footer_rule = rules[-1]
    assert footer_rule < footer_text < page_height - bottom_margin, "the footer's rule, then its text"
    assert footer_rule > page_height - bottom_margin - 40, "the footer sits at the foot of the page"
    ruled = [y for y in rules[:-1] if y > notes]
    assert len(ruled) >= 3, "the notes heading's rule and at least two lines to write on"
    assert ruled[0] - notes < 10 and notes > last_item, "the rules start right under the notes heading"
    gaps = [b - a for a, b in zip(ruled, ruled[1:])]
    assert all(abs(gap - 20) < 1.5 for gap in gaps), f"a line every 20 pt: {gaps}"
    assert 6 <= footer_rule - ruled[-1] <= 27, "the lines run on down to the footer"


@pytest.mark.own_fixtures
def test_site_exports_share_sheets_between_processes(mini: Path, tmp_path: Path) -> None:
    """With workers, every sheet still comes out, and a sheet too long for its page is still one clear error."""
    settings = load_settings(mini, env={})
    site = tmp_path / "site"
    written = site_exports(validated_playbook(mini), site, tmp_path / "cache", settings=settings, workers=2)
    pdfs = [p for p in written if p.suffix == ".pdf"]
    assert len(pdfs) == 2 * len(_ids(mini))
    assert all(len(PdfReader(p).pages) == 1 for p in pdfs)

    _long_checklist(mini)
    with pytest.raises(BuildError, match=r"^checklist 'too-long' \(data/checklists/too-long\.yaml\) does not fit on "
                                         r"one A4 page: it needs 1\.\d\d pages"):
        site_exports(validated_playbook(mini), site, tmp_path / "cache", settings=settings, workers=2)
