"""One test per assumption playbook.site.compat makes about MkDocs, Material and mkdocs-macros internals.

Each drives the upstream code itself (no copies of it), so a release that renames a field or changes a behaviour
fails here by name, before a full build shows something stranger.
"""
from __future__ import annotations

import inspect
import logging
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from playbook.site import compat

pytestmark = pytest.mark.own_fixtures


def _config(tmp_path: Path, **settings):
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    return load_config(str(tmp_path / "mkdocs.yml"), docs_dir=str(docs), **settings)


def _page(config, uri: str, text: str) -> Page:
    (Path(config.docs_dir) / uri).write_text(text, encoding="utf-8")
    file = File(uri, config.docs_dir, config.site_dir, config.use_directory_urls)
    page = Page(None, file, config)
    page.read_source(config)
    return page


def test_mkdocs_render_fills_the_fields_finish_page_fills(tmp_path: Path) -> None:
    """finish_page sets what Page.render sets; if MkDocs renames or adds one, a finished page would lack it."""
    config = _config(tmp_path)
    page = _page(config, "a.md", "# Big title\n\n## Part one\n\n[x](b.md#part-two)\n")
    page.render(config, Files([page.file]))
    assert page._title_from_render == "Big title"
    assert page.present_anchor_ids >= {"part-one"}
    assert isinstance(page.links_to_anchors, dict)
    ours = _page(config, "b.md", "")
    compat.finish_page(ours, '<h2 id="part-two">Part two</h2>', [("part-two", "Part two")])
    assert {f for f in vars(page) if not f.startswith("__")} <= {f for f in vars(ours) if not f.startswith("__")}


def test_a_finished_page_answers_link_checks_and_keeps_its_metadata_title(tmp_path: Path, caplog) -> None:
    """MkDocs checks links to #anchors against present_anchor_ids, and takes a page's title from meta first."""
    config = _config(tmp_path, validation={"anchors": "warn"})
    target = _page(config, "b.md", "")
    target.meta = {"title": "From the record"}
    compat.finish_page(target, '<h2 id="part-two">Part two</h2>', [("part-two", "Part two")])
    assert target.title == "From the record"
    assert [entry.id for entry in target.toc] == ["part-two"]
    source = _page(config, "a.md", "[good](b.md#part-two) [bad](b.md#nowhere)\n")
    files = Files([source.file, target.file])
    source.render(config, files)
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        source.validate_anchor_links(files=files, log_level=logging.WARNING)
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "#nowhere" in messages and "#part-two" not in messages


def test_theme_dirs_put_custom_dir_first_and_ours_next(tmp_path: Path) -> None:
    """The generator's overrides go after the playbook's custom_dir and before Material's templates."""
    custom = tmp_path / "custom"
    (custom / "partials").mkdir(parents=True)
    ours = tmp_path / "ours"
    (ours / "partials").mkdir(parents=True)
    (ours / "partials" / "probe.html").write_text("ours", encoding="utf-8")
    (custom / "partials" / "probe.html").write_text("custom", encoding="utf-8")
    config = _config(tmp_path, theme={"name": "material", "custom_dir": str(custom)})
    assert config.theme.dirs[0] == str(custom)
    compat.add_theme_dir(config, str(ours))
    compat.add_theme_dir(config, str(ours))  # a second call changes nothing
    assert config.theme.dirs[:2] == [str(custom), str(ours)]
    env = config.theme.get_env()
    assert env.get_template("partials/probe.html").render() == "custom"
    (custom / "partials" / "probe.html").unlink()
    assert config.theme.get_env().get_template("partials/probe.html").render() == "ours"


def test_the_tags_plugin_takes_a_page_it_did_not_read(tmp_path: Path) -> None:
    """A dirty rebuild hands Material's tags plugin the unchanged pages: `filter`, `mappings.add`, `mappings.get`."""
    config = _config(tmp_path, theme={"name": "material"}, plugins=["tags"])
    config.plugins.on_config(config)
    tags = compat.tags_plugin(config)
    assert tags is not None and type(tags).__module__.startswith("material.plugins.tags")
    page = _page(config, "tagged.md", "---\ntags: [alpha, beta]\n---\nText\n")
    compat.add_tagged_page(tags, page)
    mapping = tags.mappings.get(page)
    assert mapping is not None and sorted(tag.name for tag in mapping.tags) == ["alpha", "beta"]


def test_macros_take_registered_functions_and_name_the_page(tmp_path: Path) -> None:
    """mkdocs-macros' register_macros before its on_config makes a macro; `page` raises until a page renders."""
    config = _config(tmp_path, plugins=[{"macros": {"render_by_default": False}}])
    macros = compat.macros_plugin(config)
    assert macros is not None
    with pytest.raises(AttributeError):
        macros.page  # noqa: B018 - the property itself is the assumption
    macros.register_macros({"probe_macro": lambda: "made"})
    config.plugins.on_config(config)
    assert macros.macros["probe_macro"]() == "made"
    page = _page(config, "m.md", "---\nrender_macros: true\n---\n{{ probe_macro() }}\n")
    out = macros.on_page_markdown(page.markdown, page=page, config=config, files=Files([page.file]))
    assert "made" in out and macros.page is page


def test_macros_look_git_up_through_the_module_function(monkeypatch) -> None:
    """mkdocs-macros reads git facts by calling context.get_git_info at build time: ask_git_once wraps that name."""
    from mkdocs_macros import context

    assert "get_git_info()" in inspect.getsource(context.define_env)
    calls: list[int] = []

    def counting() -> dict:
        calls.append(1)
        return {"short_commit": "abc"}

    monkeypatch.setattr(context, "get_git_info", counting)
    compat.ask_git_once()
    assert context.get_git_info() == {"short_commit": "abc"}
    assert context.get_git_info() == {"short_commit": "abc"}
    assert len(calls) == 1
