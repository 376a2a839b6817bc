"""Exports: each checklist as a one-page fillable PDF (A4 and US Letter), a Markdown task list and plain text.

PDFs come from one print template rendered by WeasyPrint, imported only when a sheet must really be rendered,
and cached by a hash of everything that shapes the sheet, so an unchanged checklist is never rendered twice; the
sheets a build or `playbook export` must render are shared between forked processes, one per CPU (workers.py).
`playbook export` keeps a manifest of what it wrote and refuses to overwrite any other file.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime
import difflib
import functools
import gc
import hashlib
import json
import os
import shutil
import stat
import sys
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterator, TextIO


from . import __version__
from .diagnostics import BuildError, UsageError, printable
from .load import MAX_ID_LENGTH, SLUG_RE
from .model import Checklist, Playbook, load_playbook
from .paper_switch import Unsupported, boxes, moved_page
from .pdf_engine import import_weasyprint
from .render import environment
from .settings import Settings, load_settings
from .storage import fingerprint, make_folder, write_atomic
from .workers import available_cpus, forked_map

MANIFEST = ".playbook-export.json"
PT_PER_PX = 0.75  # WeasyPrint lays out in CSS px (1/96 in); PDF points are 1/72 in
TOLERANCE_PX = 0.5


@dataclass(frozen=True)
class Paper:
    key: str
    name: str
    css_size: str
    css_width: str
    width_pt: float
    height_pt: float
    side_mm: float  # the left and right margins

    @property
    def text_width_pt(self) -> float:
        return round(self.width_pt - 2 * self.side_mm / 25.4 * 72, 1)


# The same text width on both (187.9 mm, Letter's with 14 mm margins): a sheet is laid out once, on A4, and its
# Letter page made from those boxes. Letter, the shorter page, decides what fits, as it did with its own layout.
PAPERS = {
    "a4": Paper("a4", "A4", "A4", "210mm", 595.28, 841.89, 11.05),
    "letter": Paper("letter", "US Letter", "letter", "8.5in", 612.0, 792.0, 14),
}


def papers_for(choice: str) -> list[Paper]:
    """`a4`, `letter` or `both`, as Paper objects."""
    return list(PAPERS.values()) if choice == "both" else [PAPERS[choice]]


def checklist_data(checklist: Checklist) -> dict[str, Any]:
    """Everything of a checklist that reaches an export, as plain data (what the cache key hashes)."""
    return {
        "id": checklist.id, "title": checklist.title, "summary": checklist.summary, "type": checklist.type,
        "when": checklist.when,
        "sections": [{"pause": s.pause, "items": [{"text": i.text, "critical": i.critical} for i in s.items]}
                     for s in checklist.sections],
    }


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def revision(checklist: Checklist) -> str:
    """A short id of the checklist's content, printed in the footer so two printouts can be told apart."""
    return _digest(checklist_data(checklist))[:8]


def page_address(checklist: Checklist, site_url: str) -> str:
    """The checklist page's public address, or "" when the site has none (a relative one is no use on paper)."""
    return f"{site_url.rstrip('/')}/{checklist.url}" if site_url else ""


def build_date() -> str:
    """Today, or SOURCE_DATE_EPOCH's day for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    return datetime.date.today().isoformat()


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~"})


def _md(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def _footer(checklist: Checklist, settings: Settings) -> str:
    key = "sheet.footer_bank" if checklist.type == "QUESTION-BANK" else "sheet.footer"
    return settings.strings(key, playbook=settings.title, version=revision(checklist))


def to_markdown(checklist: Checklist, settings: Settings) -> str:
    """A GitHub task list: one heading per pause point, every item a `- [ ]` line."""
    t = settings.strings
    critical = _md(t("checklist.critical"))
    lines = [f"# {_md(checklist.title)}", "", _md(checklist.summary), "",
             f"**{checklist.type}**: {_md(t('type.' + checklist.type))}  ", f"**{_md(t('sheet.when'))}** {_md(checklist.when)}", ""]
    for section in checklist.sections:
        lines += [f"## {_md(section.pause)}", ""]
        for item in section.items:
            lines.append(f"- [ ] **{_md(item.text)}** {critical}" if item.critical else f"- [ ] {_md(item.text)}")
        lines.append("")
    address = page_address(checklist, settings.site_url)
    where = f": <{address}>" if address else ""
    lines += [f"## {_md(t('sheet.notes'))}", "", "", "---", "", f"{_md(_footer(checklist, settings))}{where}", ""]
    return "\n".join(lines)


def to_text(checklist: Checklist, settings: Settings) -> str:
    """The same checklist as plain text, with `[ ]` boxes."""
    t = settings.strings
    blanks = "   ".join(f"{name}: {'_' * (12 if i == 0 else 20)}" for i, name in enumerate(settings.sheet_fields))
    lines = [checklist.title, "=" * len(checklist.title), "", checklist.summary, "",
             f"{checklist.type}: {t('type.' + checklist.type)}", f"{t('sheet.when')} {checklist.when}", ""]
    if blanks:
        lines += [blanks, ""]
    for section in checklist.sections:
        lines += [section.pause, "-" * len(section.pause)]
        lines += [f"[ ] {item.text}" + (f" {t('checklist.critical')}" if item.critical else "") for item in section.items]
        lines.append("")
    address = page_address(checklist, settings.site_url)
    notes = t("sheet.notes")
    lines += [notes, "-" * len(notes), *["_" * 60] * 4, "", _footer(checklist, settings) + (f": {address}" if address else ""), ""]
    return "\n".join(lines)


@functools.cache
def _template_text(name: str) -> str:
    return resources.files("playbook").joinpath("templates", name).read_text(encoding="utf-8")


def sheet_key(checklist: Checklist, paper: Paper, settings: Settings) -> str:
    """The cache key of one PDF: everything that changes the sheet. The checklist's data, the paper's geometry, the
    playbook's title, address, language, words and sheet fields, the dates printed on it, and (storage.fingerprint)
    the generator's code, templates and stylesheet and the versions of WeasyPrint and the libraries under it."""
    return fingerprint("sheet", checklist_data(checklist), dataclasses.asdict(paper), settings.title,
                       settings.site_url, settings.language, dict(settings.strings), list(settings.sheet_fields),
                       checklist.reviewed, build_date())


class Renderer:
    """Renders print sheets with WeasyPrint; one per process, so fonts and the template are loaded once."""

    def __init__(self, settings: Settings, date: str | None = None):
        weasyprint = import_weasyprint()  # here: the start-up only a real render should pay
        from weasyprint.text.fonts import FontConfiguration

        self._weasyprint = weasyprint
        self.settings = settings
        self.date = date or build_date()
        self.rendered = 0
        self._fonts = FontConfiguration()
        self._fetcher = asset_fetcher()
        self._css = weasyprint.CSS(string=_template_text("print.css"), font_config=self._fonts,
                                   url_fetcher=self._fetcher)
        # The renderer's one environment (autoescape on): contributor text only reaches it as values.
        self._template = environment().get_template("print.html")

    def html(self, checklist: Checklist, paper: Paper, *, measure: bool = False) -> str:
        """The print page of one checklist."""
        return self._template.render(
            checklist=checklist, playbook_title=self.settings.title, t=self.settings.strings,
            fields=self.settings.sheet_fields, paper=paper, revision=revision(checklist), date=self.date,
            address=page_address(checklist, self.settings.site_url), version=__version__, measure=measure,
            lang=self.settings.language)

    def _document(self, checklist: Checklist, paper: Paper, *, measure: bool = False):
        options = {"stylesheets": [self._css], "font_config": self._fonts, "pdf_variant": "pdf/ua-1",
                   "pdf_forms": True}
        html = self._weasyprint.HTML(string=self.html(checklist, paper, measure=measure), url_fetcher=self._fetcher)
        return html.render(**options), options

    def pdf(self, checklist: Checklist, paper: Paper) -> bytes:
        """One tagged, fillable PDF page; BuildError when the checklist does not fit on it."""
        return self.pdfs(checklist, [paper])[0]

    def pdfs(self, checklist: Checklist, papers: list[Paper]) -> list[bytes]:
        """The checklist's sheet on each paper, in order; BuildError for the first paper it does not fit on.

        Papers with the first one's text width take its layout, moved (paper_switch.py), instead of their own.
        """
        sheets: list[bytes] = []
        with _one_collection():
            document, options = self._document(checklist, papers[0])
            del options["font_config"]
            for paper in papers:
                if paper is not papers[0]:
                    document = self._moved(document, papers[0], paper, options) or self._document(checklist, paper)[0]
                if len(document.pages) == 1 and (wide := _too_wide(document.pages[0]._page_box)):
                    raise BuildError(self._too_wide(checklist, paper, *wide))
                if len(document.pages) != 1 or not _fits(document.pages[0]._page_box):
                    raise BuildError(self._overflow(checklist, paper))
                sheets.append(document.write_pdf(**options))
                self.rendered += 1
        return sheets

    def _moved(self, document, first: Paper, paper: Paper, options: dict):
        """first's layout on paper, or None where the text widths differ or the layout cannot be moved."""
        if paper.text_width_pt != first.text_width_pt:
            return None
        try:
            return moved_page(document, paper.width_pt / PT_PER_PX, paper.height_pt / PT_PER_PX, self._fetcher,
                              options)
        except Unsupported:
            return None

    def _too_wide(self, checklist: Checklist, paper: Paper, over_px: float, text: str) -> str:
        over_pt = over_px * PT_PER_PX
        return (f"checklist {checklist.id!r} ({checklist.path}): a line runs {over_pt:.0f} pt "
                f"({over_pt / 72 * 25.4:.0f} mm) past the edge of the {paper.name} page: {printable(text[:80])!r}; "
                f"shorten it or break it with spaces")

    def _overflow(self, checklist: Checklist, paper: Paper) -> str:
        # The footer sits at the page's foot whatever comes above it: lay the checklist out again on an endless
        # page of the same width, the footer in the flow, to say by how much it is too long.
        document, _ = self._document(checklist, paper, measure=True)
        page = document.pages[0]._page_box
        footer = _find(page, "footer")
        needed = footer.position_y + footer.margin_height() - page.margin_top
        available = paper.height_pt / PT_PER_PX - page.margin_top - page.margin_bottom
        over_pt = max(needed - available, 0) * PT_PER_PX
        return (f"checklist {checklist.id!r} ({checklist.path}) does not fit on one {paper.name} page: it needs "
                f"{needed / available:.2f} pages, {over_pt:.0f} pt ({over_pt / 72 * 25.4:.0f} mm) too long; "
                f"cut or shorten items")


@contextlib.contextmanager
def _one_collection() -> Iterator[None]:
    """Python's cycle collector paused while one sheet renders, then run once over what that sheet allocated.

    WeasyPrint makes hundreds of thousands of short-lived objects per sheet, and the collector, which starts every
    700 allocations, spent about a fifth of the rendering time walking them again and again. Paused, they all stay
    in the youngest generation, and one pass over it afterwards frees the sheet's cycles: peak memory stays as low.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
        gc.collect(0)


def _find(page, tag: str, css_class: str | None = None):
    return next((b for b in boxes(page) if b.element_tag == tag
                 and (css_class is None or css_class in (b.element.get("class") or "").split())), None)


def _too_wide(page) -> tuple[float, str] | None:
    """How far (CSS px) the widest box reaches past the page's text area, and its text; None when all fit.

    The sheet clips at the page's edge, so without this a word too long to wrap would silently lose its end.
    """
    left = page.content_box_x()
    right = left + page.width
    worst: tuple[float, Any] | None = None
    for box in boxes(page):
        if box is page or not hasattr(box, "border_box_x"):
            continue
        over = max(box.border_box_x() + box.border_width() - right, left - box.border_box_x())
        if over > TOLERANCE_PX and (worst is None or over > worst[0]) and not _hanging_space(box, over):
            worst = (over, box)
    if worst is None:
        return None
    return worst[0], " ".join(b.text for b in boxes(worst[1]) if isinstance(getattr(b, "text", None), str)).strip()


def _hanging_space(box: Any, over: float) -> bool:
    """A space that ends a wrapped line of a label (white-space: pre-wrap, see print.css): it hangs past the edge
    and prints nothing (CSS Text 3), so it is not text cut off."""
    texts = [b for b in boxes(box) if isinstance(getattr(b, "text", None), str)]  # the box itself, or its line's
    return bool(texts) and texts[-1].text.endswith(" ") and over <= texts[-1].style["font_size"] * 0.5


def _fits(page) -> bool:
    """Whether the notes area, at least its minimum height, ends above the footer, and the footer on the page."""
    footer, notes = _find(page, "footer"), _find(page, "section", "notes")
    if footer is None or notes is None:
        return False
    bottom = page.margin_height() - page.margin_bottom
    return (notes.position_y + notes.margin_height() <= footer.position_y + TOLERANCE_PX
            and footer.position_y + footer.margin_height() <= bottom + TOLERANCE_PX)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


ASSETS = Path(__file__).resolve().parent / "templates"


def asset_fetcher() -> Any:
    """WeasyPrint's URL fetcher, narrowed to the package's own templates folder (and inline `data:` images).

    Record text is escaped, but a template or stylesheet that one day names `file:///etc/passwd` or an address
    on the local network must get nothing: those are refused, and WeasyPrint leaves the resource out.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                from urllib.parse import unquote, urlsplit

                parts = urlsplit(url)
                if parts.netloc in ("", "localhost"):
                    path = Path(unquote(parts.path)).resolve()
                    if path.is_relative_to(ASSETS) and path.is_file():
                        return URLFetcherResponse(path.as_uri(), path.read_bytes())
            raise ValueError(f"refused to fetch {url[:80]!r}: print sheets use only the package's own assets")

    return AssetFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def _folder(folder: Path, base: Path | None = None) -> None:
    """Make folder a real directory; below base (a folder we own), a link in the way is replaced, never followed."""
    try:
        make_folder(folder, base)
    except OSError as exc:
        raise BuildError(f"cannot create the folder {_shown(folder)}: {exc.strerror or exc}") from None


def _shown(path: Path) -> str:
    return printable(path.as_posix())


def _write(path: Path, data: bytes, base: Path | None = None) -> None:
    """storage.write_atomic (never half a file, never through a link, never outside base), failing as BuildError."""
    try:
        write_atomic(path, data, base)
    except OSError as exc:
        raise BuildError(f"cannot write {_shown(path)}: {exc.strerror or exc}") from None


def _read_plain(path: Path) -> bytes | None:
    """A regular file's bytes, never through a symbolic link; None when it is missing, a link or not a file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read()
    finally:
        os.close(fd)


def _cached_sheet(cache_dir: Path, checklist: Checklist, paper: Paper, key: str) -> Path:
    return cache_dir / checklist.id / f"{paper.key}-{key[:24]}.pdf"


def _checked_ids(pb: Playbook) -> None:
    """Every checklist id names a folder and files: one that is not a plain slug (a model from anywhere but the
    loader) is refused before anything is written."""
    for checklist in pb.checklists.values():
        if not (isinstance(checklist.id, str) and len(checklist.id) <= MAX_ID_LENGTH and SLUG_RE.match(checklist.id)):
            raise BuildError(f"refusing to export the checklist id {printable(repr(checklist.id))}: "
                             f"ids are lowercase words joined by hyphens")


def sheets_cached(pb: Playbook, cache_dir: Path | None, settings: Settings) -> bool:
    """Whether every checklist's PDFs are in the cache, so site_exports renders nothing (and imports no WeasyPrint)."""
    if cache_dir is None:
        return not pb.checklists
    try:
        _checked_ids(pb)
    except BuildError:
        return False  # site_exports says why
    for checklist in pb.checklists.values():
        for paper in PAPERS.values():
            data = _read_plain(_cached_sheet(cache_dir, checklist, paper, sheet_key(checklist, paper, settings)))
            if data is None or not data.startswith(b"%PDF-"):
                return False
    return True


def site_exports(pb: Playbook, site_dir: Path, cache_dir: Path | None, *, settings: Settings | None = None,
                 workers: int = 1) -> list[Path]:
    """Write checklists/<id>/<id>-a4.pdf, -letter.pdf, .md and .txt under site_dir, PDFs through cache_dir (None:
    no cache). Nothing is written outside site_dir and cache_dir.

    With workers > 1, the sheets missing from the cache are rendered by that many processes (forked, where safe).
    """
    settings = settings or load_settings(pb.root)
    _checked_ids(pb)
    written: list[Path] = []
    # Inside the playbook, every folder down to the cache is ours: a committed link there is replaced.
    cache_base = pb.root if cache_dir is not None and cache_dir.is_relative_to(pb.root) else cache_dir
    sheets: dict[tuple[str, str], bytes] = {}
    missing: list[tuple[Checklist, Paper, Path | None]] = []
    for checklist in pb.checklists.values():
        for paper in PAPERS.values():
            cached = None if cache_dir is None else _cached_sheet(cache_dir, checklist, paper,
                                                                  sheet_key(checklist, paper, settings))
            # Only a plain file that is a PDF is taken from the cache: a link there (to any local file) is
            # never read or published, it is replaced by a fresh render.
            data = None if cached is None else _read_plain(cached)
            if data is None or not data.startswith(b"%PDF-"):
                missing.append((checklist, paper, cached))
            else:
                sheets[checklist.id, paper.key] = data
    if missing:
        renderer = Renderer(settings)  # before any fork: the workers inherit WeasyPrint, fonts and stylesheet
        jobs: dict[str, list[tuple[Checklist, Paper, Path]]] = {}
        for job in missing:  # a checklist's papers together: they share one layout
            jobs.setdefault(job[0].id, []).append(job)
        rendered = forked_map(lambda group: renderer.pdfs(group[0][0], [paper for _, paper, _ in group]),
                              list(jobs.values()), workers)
        for group, pdfs in zip(jobs.values(), rendered):
            for (checklist, paper, cached), data in zip(group, pdfs):
                sheets[checklist.id, paper.key] = data
                if cached is None:
                    continue
                _folder(cached.parent, cache_base)
                for stale in cached.parent.glob(f"{paper.key}-*.pdf"):
                    if stale.is_symlink() or stale.is_file():
                        stale.unlink()
                _write(cached, data, cache_base)
    for checklist in pb.checklists.values():
        folder = site_dir / "checklists" / checklist.id
        for paper in PAPERS.values():
            target = folder / f"{checklist.id}-{paper.key}.pdf"
            _write(target, sheets[checklist.id, paper.key], site_dir)
            written.append(target)
        for suffix, make in ((".md", to_markdown), (".txt", to_text)):
            target = folder / f"{checklist.id}{suffix}"
            _write(target, make(checklist, settings).encode("utf-8"), site_dir)
            written.append(target)
    return written


@dataclass
class _Target:
    rel: str
    key: str
    data: bytes | None  # a PDF's is made later, with the checklist's other papers
    label: str
    checklist_id: str
    paper: Paper | None = None


class _Manifest:
    """What `playbook export` wrote into a folder, with each file's hash, so it never overwrites anything else."""

    def __init__(self, out: Path):
        self.path = out / MANIFEST
        self.files: dict[str, dict[str, str]] = {}
        if os.path.lexists(self.path):
            raw = _read_plain(self.path)
            try:
                if raw is None:
                    raise ValueError("it is a folder, a link or unreadable")
                data = json.loads(raw.decode("utf-8"))
                self.files = {k: dict(v) for k, v in data["files"].items()}
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise BuildError(f"{_shown(self.path)} is not a playbook export manifest ({printable(str(exc))}); "
                                 f"choose another --out folder") from None

    def problem(self, out: Path, rel: str) -> str | None:
        """Why writing rel would destroy someone's file, or None when it is ours and untouched."""
        path = out / rel
        if not os.path.lexists(path):
            return None
        entry = self.files.get(rel)
        if entry is None:
            return f"{_shown(path)}: it exists and was not written by `playbook export`"
        if os.path.islink(path):
            return f"{_shown(path)}: it is a symbolic link, and `playbook export` never writes through one"
        data = _read_plain(path)
        if data is None or _sha256(data) != entry.get("sha256"):
            return f"{_shown(path)}: it was changed since `playbook export` wrote it"
        return None

    def record(self, rel: str, data: bytes, key: str) -> None:
        self.files[rel] = {"sha256": _sha256(data), "key": key}
        text = json.dumps({"generator": f"playbook {__version__}", "files": dict(sorted(self.files.items()))},
                          indent=1) + "\n"
        _write(self.path, text.encode("utf-8"))


class _Progress:
    """A one-line progress bar on stderr, drawn only on a terminal."""

    WIDTH = 24

    def __init__(self, total: int, stream: TextIO, enabled: bool):
        self.total, self.stream, self.enabled, self.done = total, stream, enabled, 0
        # One column short of the terminal: a line that wraps would defeat the carriage return.
        self.columns = shutil.get_terminal_size().columns - 1

    def step(self, label: str) -> None:
        if not self.enabled:
            return
        filled = self.WIDTH * self.done // self.total
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done + 1}/{self.total} {label}"
        self.stream.write("\r" + line[:self.columns].ljust(self.columns))
        self.stream.flush()
        self.done += 1

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * self.columns + "\r")
            self.stream.flush()


def _select(pb: Playbook, ids: list[str] | None) -> list[Checklist]:
    if not ids:
        if not pb.checklists:
            raise UsageError(f"no checklists found under {pb.root / 'data' / 'checklists'}")
        return list(pb.checklists.values())
    chosen = []
    for checklist_id in dict.fromkeys(ids):
        if checklist_id not in pb.checklists:
            close = difflib.get_close_matches(checklist_id, sorted(pb.checklists), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"known checklists: {', '.join(sorted(pb.checklists))}"
            raise UsageError(f"unknown checklist {checklist_id!r}; {hint}")
        chosen.append(pb.checklists[checklist_id])
    return chosen


def export_command(root: Path, out: Path, formats: list[str], paper: str, ids: list[str] | None, quiet: bool) -> int:
    """`playbook export`: write the chosen checklists into out, never over a file this command did not write."""
    started = time.perf_counter()
    pb = load_playbook(root)
    checklists = _select(pb, ids)
    settings = load_settings(root)

    @functools.cache
    def renderer() -> Renderer:
        return Renderer(settings)

    targets: list[_Target] = []
    for checklist in checklists:
        if "pdf" in formats:
            for p in papers_for(paper):
                targets.append(_Target(f"{checklist.id}-{p.key}.pdf", sheet_key(checklist, p, settings), None,
                                       f"{checklist.id} ({p.name})", checklist.id, p))
        for fmt, make in (("md", to_markdown), ("txt", to_text)):
            if fmt in formats:
                data = make(checklist, settings).encode("utf-8")
                targets.append(_Target(f"{checklist.id}.{fmt}", _sha256(data), data, f"{checklist.id} ({fmt})",
                                       checklist.id))

    def files(group: list[_Target]) -> list[bytes]:
        """One checklist's files; its PDFs made together, as they share one layout."""
        papers = [target.paper for target in group if target.paper]
        pdfs = iter(renderer().pdfs(pb.checklists[group[0].checklist_id], papers) if papers else [])
        return [next(pdfs) if target.paper else target.data for target in group]

    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {_shown(out)} is not a folder; name a folder (it is created if missing)")
    manifest = _Manifest(out)
    problems = [p for p in (manifest.problem(out, t.rel) for t in targets) if p]
    if problems:
        raise BuildError("refusing to overwrite " + "; ".join(problems) + ". Move the file(s) away or choose "
                         "another --out folder.")
    todo = [t for t in targets if not (os.path.lexists(out / t.rel) and manifest.files[t.rel].get("key") == t.key)]
    groups: dict[str, list[_Target]] = {}  # each checklist's files are made by one process
    for target in todo:
        groups.setdefault(target.checklist_id, []).append(target)
    progress = _Progress(len(todo), sys.stderr, not quiet and len(todo) > 1 and sys.stderr.isatty())
    sheets = any(target.paper for target in todo)
    if sheets:
        renderer()  # before any fork: the workers inherit WeasyPrint, fonts and stylesheet
    made = forked_map(files, list(groups.values()), available_cpus() if sheets else 1)
    try:
        for group in groups.values():
            progress.step(group[0].label)
            for target, data in zip(group, next(made)):
                if target is not group[0]:
                    progress.step(target.label)
                _write(out / target.rel, data, out)
                manifest.record(target.rel, data, target.key)
    finally:
        made.close()
        progress.close()
    unchanged = len(targets) - len(todo)
    where = out.as_posix().rstrip("/") + "/"
    took = f"in {time.perf_counter() - started:.1f} s"
    if todo:
        note = f", {unchanged} unchanged" if unchanged else ""
        print(f"wrote {len(todo)} file(s) to {where} for {len(checklists)} checklist(s){note} {took}")
    else:
        print(f"nothing to write: {unchanged} file(s) up to date in {where} {took}")
    return 0
