"""Rendering: contributor text reaches a page as text. Markup and template syntax in a record show literally, and
inline Markdown makes links only to safe places."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from playbook.core.strings import merged
from playbook.records.pipeline import validated_playbook
from playbook.site.markup import inline, inline_span
from playbook.site.render import record_page
from support import make_playbook

pytestmark = pytest.mark.own_fixtures

TITLE = "<script>alert(1)</script> {{ 7*7 }} I will miss it"


def _page(tmp_path: Path):
    root = make_playbook(tmp_path)
    scenario = root / "data" / "scenarios" / "i-will-miss-a-deadline.yaml"
    text = scenario.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^title: .*$", f'title: "{TITLE}"', text, count=1)
    text = re.sub(r"(?m)^escalate: ", "escalate: See [the plan](javascript:alert(1)) or [the guide]"
                                      "(https://example.org/guide). ", text, count=1)
    scenario.write_text(text, encoding="utf-8")
    pb = validated_playbook(root)
    return record_page(pb, pb.scenarios["i-will-miss-a-deadline"], merged())


def test_a_title_with_markup_and_template_syntax_is_shown_literally(tmp_path: Path) -> None:
    page = _page(tmp_path)
    assert "<script" not in page.html
    shown = "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} I will miss it"
    assert re.search(r"<h1[^>]*>(.*?)</h1>", page.html).group(1) == shown
    assert page.meta["title"] == shown, "the title metadata, which the theme prints raw, is escaped too"


def test_a_javascript_link_in_a_record_is_text_and_a_web_link_is_a_link(tmp_path: Path) -> None:
    page = _page(tmp_path)
    assert "<p>See [the plan](javascript:alert(1)) or " in page.html, "the link stays the text the contributor wrote"
    assert not re.search(r"href=\S*javascript", page.html, re.I)
    assert '<a href="https://example.org/guide">the guide</a>' in page.html


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
                                    "javascript&#58;alert(1)", "data:text/html,<script>alert(1)</script>",
                                    "vbscript:msgbox(1)"])
def test_inline_markdown_makes_no_link_to_script(target: str) -> None:
    for render in (inline, inline_span):
        html = str(render(f"Read [this]({target}) first"))
        assert "<a" not in html and "<script" not in html, html


def test_inline_markdown_links_to_web_pages_mail_and_the_site_itself() -> None:
    assert str(inline_span("Read [the guide](https://example.org/guide)")) == \
        'Read <a href="https://example.org/guide">the guide</a>'
    assert '<a href="mailto:team@example.org">' in str(inline("[Write to us](mailto:team@example.org)"))
    assert '<a href="../steps/set-a-rhythm/">' in str(inline("[The first step](../steps/set-a-rhythm/)"))
