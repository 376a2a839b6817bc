"""The print sheet of one checklist: the papers, the print HTML and the one-page PDF WeasyPrint makes of it.

WeasyPrint is imported only when a sheet must really be rendered (engine.py). A sheet that does not fit its page,
or has a line running past its edge, is a BuildError that says by how much; export.py decides which sheets to make
and where they go.
"""
from __future__ import annotations

import contextlib
import datetime
import functools
import gc
import hashlib
import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

from playbook import __version__
from playbook.core.diagnostics import BuildError, printable
from playbook.records.model import Checklist
from playbook.sheets.engine import import_weasyprint
from playbook.sheets.paper_switch import Unsupported, boxes, moved_page
from playbook.site.render import environment
from playbook.core.settings import Settings

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


@functools.cache
def _template_text(name: str) -> str:
    return resources.files("playbook").joinpath("templates", name).read_text(encoding="utf-8")


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


ASSETS = Path(__file__).resolve().parent.parent / "templates"


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
