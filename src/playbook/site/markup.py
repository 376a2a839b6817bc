"""Inline Markdown for prose fields: emphasis and links only, raw HTML shown as text, safe link targets."""
from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

_SAFE_LINK = re.compile(r"^(https?:|mailto:|[^:]*$)", re.I)


def _validate_link(url: str) -> bool:
    """Only http(s), mailto and relative targets; javascript:, data: and the rest are dropped."""
    return bool(_SAFE_LINK.match(url.strip()))


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "heading", "lheading", "code", "fence", "html_block", "html_inline", "table"], ignoreInvalid=True)
    md.validateLink = _validate_link
    return md


def inline(text: str) -> Markup:
    """Render one prose field to safe HTML (paragraphs, emphasis, links, lists)."""
    return Markup(_parser().render(text).strip())


def inline_span(text: str) -> Markup:
    """One line of inline Markdown (emphasis, links) with no paragraph around it, for list items."""
    return Markup(_parser().renderInline(text).strip())
