"""A sheet laid out once, printed on two papers: the second paper's page is the first's boxes, moved.

A4 and US Letter sheets share the same text width (187.9 mm; A4's side margins are narrower), so every line breaks
in the same place on both and only three things differ: the page is wider (the content moves right by half the
difference), shorter (the sheet, which fills the page, ends higher and takes its footer, pinned to its foot, with
it) and its backgrounds are placed again. Laying out and styling is two thirds of a sheet's cost, and writing the
PDF the last third, so a pair costs about 0.7 of two renders.

This works on WeasyPrint's laid-out boxes, which are not its public interface. `moved_page` checks what it relies
on and raises Unsupported when the layout is not the one it knows; the caller then renders the paper directly. A
test lays every sheet of the test playbooks out both ways and requires the same boxes, PDF page and fields.
"""
from __future__ import annotations

import functools
from typing import Any, Iterator


class Unsupported(Exception):
    """The laid-out sheet is not one this module knows how to move to another paper."""


def boxes(box: Any) -> Iterator[Any]:
    """A laid-out box and every box inside it, depth first."""
    yield box
    for child in getattr(box, "children", ()):
        yield from boxes(child)


def moved_page(document: Any, width_px: float, height_px: float, fetcher: Any, options: dict) -> Any:
    """A new one-page WeasyPrint document: document's page on a paper of width_px x height_px (CSS px) with the
    same text width. The original page is changed on the way: write it out first."""
    try:
        from weasyprint import DEFAULT_OPTIONS
        from weasyprint.document import Page
        from weasyprint.images import get_image_from_uri
        from weasyprint.layout.background import layout_backgrounds
    except ImportError as exc:
        raise Unsupported(f"WeasyPrint has moved its layout helpers: {exc}") from None
    if len(document.pages) != 1:
        raise Unsupported("the sheet is not one page")
    page = document.pages[0]._page_box
    dx = (width_px - page.margin_width()) / 2
    dy = page.margin_height() - height_px
    if len(page.children) != 1:
        raise Unsupported("the page holds more than the sheet (margin boxes)")
    root = page.children[0]
    sheet = [b for b in boxes(root) if getattr(b, "element_tag", None) in ("html", "body", "form")]
    footers = [b for b in boxes(root) if getattr(b, "element_tag", None) == "footer"]
    if [b.element_tag for b in sheet] != ["html", "body", "form"] or len(footers) != 1 \
            or footers[0].style["position"] != "absolute" or any(b.style["height"].unit != "%" for b in sheet):
        raise Unsupported("the sheet's frame is not html > body > form filling the page, with an absolute footer")
    page.margin_left += dx
    page.margin_right += dx
    page.height -= dy
    root.translate(dx, 0)
    for box in sheet:  # each is 100% of the one above it, down from the page's height
        box.height -= dy
    footers[0].translate(0, -dy)
    images = functools.partial(get_image_from_uri, cache={}, url_fetcher=fetcher,
                               options={**DEFAULT_OPTIONS, **options})
    layout_backgrounds(page, images)
    return document.copy([Page(page)])
