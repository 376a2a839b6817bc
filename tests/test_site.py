"""The site end to end: small playbooks built with the real `mkdocs build --strict`, and the repository's own."""
from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from playbook.site.search import indexed_pages
from playbook.core.settings import load_settings
from support import BIN, PLAYBOOKS, REPO, assemble, build, clean_env

MINI = PLAYBOOKS / "mini"
KINDS = ("principles", "steps", "pitfalls", "checklists", "scenarios")
REPOSITORY = "acme/handbook"  # the GITHUB_REPOSITORY the mini site is built with, as GitHub Actions would set it

# Contributor text that would run as a template or as HTML if it were ever treated as code.
JINJA_EXPR = "{{ 7*7 }}"
JINJA_TAG = "{% include 'x' %}"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
EDIT_BUTTON = 'class="md-content__button md-icon"'


def pages(site: Path) -> set[str]:
    """Every HTML page of a built site, relative to it."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def nav_files(root: Path) -> set[str]:
    """Every page file the nav of root/mkdocs.yml lists, at any depth."""
    def walk(entry: object) -> set[str]:
        if isinstance(entry, str):
            return {entry}
        values = entry.values() if isinstance(entry, dict) else entry if isinstance(entry, list) else []
        return set().union(set(), *(walk(value) for value in values))
    return walk(yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")).get("nav") or [])


def records(root: Path) -> list[tuple[str, str]]:
    return sorted((p.parent.name, p.stem) for kind in KINDS for p in (root / "data" / kind).glob("*.yaml"))


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = assemble(tmp_path_factory.mktemp("mini"), MINI)
    result = build(root, GITHUB_REPOSITORY=REPOSITORY)
    assert result.returncode == 0, result.stderr
    return root


@pytest.mark.own_fixtures
def test_every_record_has_its_page_with_an_edit_link_to_its_yaml(mini: Path) -> None:
    """Record pages exist at <kind>/<id>/ and their edit link points at data/<kind>/<id>.yaml in the repository
    GitHub Actions names (GITHUB_REPOSITORY); no page file is written for a record."""
    for kind, rid in records(mini):
        page = mini / "site" / kind / rid / "index.html"
        assert page.exists(), f"no page for {kind}/{rid}"
        html = page.read_text(encoding="utf-8")
        assert f'href="https://github.com/{REPOSITORY}/edit/main/data/{kind}/{rid}.yaml"' in html
        assert not (mini / "content" / kind / f"{rid}.md").exists()
    assert not list((mini / "content").rglob("*.yaml"))


@pytest.mark.own_fixtures
def test_links_go_both_ways(mini: Path) -> None:
    """A principle lists the steps and scenarios applying it; a pitfall lists the checklist items guarding it."""
    principle = (mini / "site" / "principles" / "no-surprises" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../scenarios/a-deadline-will-slip/"' in principle
    data = {kind: {p.stem: yaml.safe_load(p.read_text()) for p in (mini / "data" / kind).glob("*.yaml")} for kind in KINDS}
    steps = [sid for sid, s in data["steps"].items() if "no-surprises" in s["principles"]]
    for sid in steps:
        assert f'href="../../steps/{sid}/"' in principle
    guarded = [(cid, item) for cid, c in data["checklists"].items() for s in c["sections"] for item in s["items"]
               if isinstance(item, dict) and "hiding-bad-news" in item.get("guards", [])]
    assert guarded, "the mini playbook must guard against hiding-bad-news somewhere"
    pitfall = (mini / "site" / "pitfalls" / "hiding-bad-news" / "index.html").read_text(encoding="utf-8")
    for cid, item in guarded:
        assert f"<q>{item['text']}</q> in <a href=\"../../checklists/{cid}/\">" in pitfall


@pytest.mark.own_fixtures
def test_index_pages_list_every_record(mini: Path) -> None:
    """The index pages and the situation-first entry link to every record of their kind."""
    site = mini / "site"
    for kind, rid in records(mini):
        index = (site / kind / "index.html").read_text(encoding="utf-8")
        assert f'href="../{kind}/{rid}/"' in index or f'href="{rid}/"' in index or f'href="../{rid}/"' in index, (kind, rid)
    situations = (site / "situations" / "index.html").read_text(encoding="utf-8")
    for _, rid in [r for r in records(mini) if r[0] == "scenarios"]:
        assert f'href="../scenarios/{rid}/"' in situations
    table = (site / "scenarios" / "index.html").read_text(encoding="utf-8")
    assert table.count("<tr data-tags=") == len([r for r in records(mini) if r[0] == "scenarios"])
    assert "data-pb-filter-tag" in table and "data-pb-filter-difficulty" in table


@pytest.mark.own_fixtures
def test_search_index_covers_moves_scripts_and_items(mini: Path) -> None:
    """Search finds scenario moves and scripts and checklist items, not only titles."""
    text = " ".join(page["content"] for page in indexed_pages(mini / "site").values())
    scenario = yaml.safe_load((mini / "data" / "scenarios" / "a-deadline-will-slip.yaml").read_text())
    checklist = yaml.safe_load((mini / "data" / "checklists" / "prepare-for-a-1-1.yaml").read_text())
    item = checklist["sections"][0]["items"][0]
    for needle in (scenario["title"], scenario["moves"][0], next(iter(scenario["scripts"].values())),
                   item if isinstance(item, str) else item["text"]):
        assert needle.split("'")[0][:30] in text, needle


@pytest.mark.own_fixtures
def test_tag_listings_are_found_by_tag_and_list_pages_indexed_only_once(mini: Path) -> None:
    """The tags page lists every tagged page, and search finds the tags page by a tag's name; each page is found on
    its own, not through its tags, which are left out of the pages' indexed text."""
    site = mini / "site"
    tags_page = (site / "tags" / "index.html").read_text(encoding="utf-8")
    scenarios = {rid: yaml.safe_load((mini / "data" / "scenarios" / f"{rid}.yaml").read_text(encoding="utf-8"))
                 for kind, rid in records(mini) if kind == "scenarios"}
    for rid, data in scenarios.items():
        assert f'href="../scenarios/{rid}/"' in tags_page
        assert html.escape(data["title"], quote=False) in tags_page
    pages = indexed_pages(site)
    tags = {str(tag) for data in scenarios.values() for tag in data.get("tags", [])}
    assert tags and all(tag in pages["/tags/"]["content"] for tag in tags)
    for rid, data in scenarios.items():
        shown = pages[f"/scenarios/{rid}/"]
        assert shown["meta"]["title"] == data["title"]


@pytest.mark.own_fixtures
def test_search_index_has_one_lean_entry_per_record_page(mini: Path) -> None:
    """Each record page is one entry at its address with its title, holding its text without markup, without the
    theme around it (navigation, footer) and without the lists that only point to other records."""
    site = mini / "site"
    pages = indexed_pages(site)
    for kind, rid in records(mini):
        url = f"/{kind}/{rid}/"
        page = (site / kind / rid / "index.html").read_text(encoding="utf-8")
        article = page[page.index('<article'):page.index('</article>')]
        data = yaml.safe_load((mini / "data" / kind / f"{rid}.yaml").read_text(encoding="utf-8"))
        entry = pages[url]
        assert entry["meta"]["title"] == data["title"], url
        # Text as typed may hold "<b>" (mini's weekly-update does); the page's own markup must not be there.
        assert not re.search(r"</?(?:a|li|ul|ol|p|div|span|h[1-6]|label|input|dl|dt|dd|q)\b", entry["content"]), \
            f"{url}: markup in the index"
        assert len(entry["content"]) < len(article), f"{url}: the index holds more than the page"
        assert "Permanent link" not in entry["content"] and "¶" not in entry["content"], url
    nav_words = (site / "index.html").read_text(encoding="utf-8")
    assert "md-nav" in nav_words and not any("md-nav" in p["content"] for p in pages.values())
    assert "/agenda/" not in pages, "the agenda page asks to be left out of search"


@pytest.mark.own_fixtures
def test_navigation_does_not_grow_with_records(tmp_path: Path, mini: Path) -> None:
    """The nav of a page is the same size with 2 scenarios or 40: records are reached through index pages."""
    data = tmp_path / "data"
    shutil.copytree(MINI / "data", data)
    source = yaml.safe_load((data / "scenarios" / "a-deadline-will-slip.yaml").read_text())
    for i in range(38):
        source["title"] = f"Generated scenario {i}"
        (data / "scenarios" / f"generated-{i}.yaml").write_text(yaml.safe_dump(source), encoding="utf-8")
    big = assemble(tmp_path / "big", MINI, data)
    result = build(big, GITHUB_REPOSITORY=REPOSITORY)
    assert result.returncode == 0, result.stderr

    def nav(site: Path) -> str:
        html = (site / "faq" / "index.html").read_text(encoding="utf-8")
        return re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', html, re.S).group(0)

    assert len(nav(big / "site")) == len(nav(mini / "site"))
    assert "Generated scenario" not in nav(big / "site")


@pytest.mark.own_fixtures
def test_material_makes_no_request_to_other_hosts(mini: Path) -> None:
    """No web fonts, CDN or GitHub API: every src/href that loads something is local."""
    for page in (mini / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, page
        loads = re.findall(r"<(?:script|link(?! rel=\"canonical\")|img|iframe|source|video|audio)\b[^>]*?\b(?:src|href)="
                           r"\"((?:https?:)?//[^\"]*)\"", html)
        assert not loads, f"{page} loads {loads}"
        # Material fetches repository stars from GitHub's API for this component; our override drops it.
        assert 'data-md-component="source"' not in html, page


@pytest.mark.own_fixtures
def test_checklist_pages_offer_their_exports(mini: Path) -> None:
    """Each checklist page links its A4 and Letter PDFs and Markdown export, which sit in its own folder."""
    for _, cid in [r for r in records(mini) if r[0] == "checklists"]:
        folder = mini / "site" / "checklists" / cid
        html = (folder / "index.html").read_text(encoding="utf-8")
        for name in (f"{cid}-a4.pdf", f"{cid}-letter.pdf", f"{cid}.md"):
            assert f'href="{name}"' in html
            assert (folder / name).stat().st_size > 0


def _hostile_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINI / "data", data)

    def edit(kind: str, rid: str, change) -> None:
        path = data / kind / f"{rid}.yaml"
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(record)
        path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")

    def scenario(r: dict) -> None:
        r["title"] = f"Deadline {JINJA_EXPR} {SCRIPT}"
        r["summary"] = f"Summary {JINJA_TAG} {IMG}"
        r["situation"] = f"Situation {SCRIPT} {JINJA_EXPR}"
        r["moves"][0] = f"Ask {JINJA_EXPR} {SCRIPT}"
        r["moves"][1] = f"Name {IMG} {JINJA_TAG}"

    def checklist(r: dict) -> None:
        r["title"] = f"Prepare {IMG} for the team's \"check-in\""
        r["summary"] = f"Checklist {JINJA_EXPR} {JINJA_TAG}"
        r["sections"][0]["items"][-1] = f"Ask {JINJA_EXPR} {SCRIPT}"
        r["sections"][-1]["items"][0] = f"Write {IMG} {JINJA_TAG}"

    def principle(r: dict) -> None:
        r["title"] = f"No surprises {SCRIPT}"
        r["why"] = f"Why {JINJA_EXPR} {SCRIPT} [link](javascript:alert(3)) {IMG}"

    edit("scenarios", "a-deadline-will-slip", scenario)
    edit("checklists", "prepare-for-a-1-1", checklist)
    edit("principles", "no-surprises", principle)
    return data


@pytest.mark.own_fixtures
def test_contributor_text_is_shown_literally_everywhere(tmp_path: Path) -> None:
    """Template syntax and HTML in titles, summaries, moves and items never run: they show as text."""
    root = assemble(tmp_path / "hostile", MINI, _hostile_data(tmp_path))
    result = build(root)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    seen = {"scenario": 0, "checklist": 0, "principle": 0}
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert SCRIPT not in html, page
        assert "onerror=alert" not in html.replace("onerror=alert(2)&gt;", ""), page
        assert "javascript:alert" not in html.replace("(javascript:alert(3))", ""), page
        assert "Deadline 49" not in html and "Ask 49" not in html and "Why 49" not in html, page
        if "Deadline {{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt;" in html:
            seen["scenario"] += 1
        if "Prepare &lt;img src=x onerror=alert(2)&gt;" in html:
            seen["checklist"] += 1
        if "No surprises &lt;script&gt;alert(1)&lt;/script&gt;" in html:
            seen["principle"] += 1
    scenario_page = (site / "scenarios" / "a-deadline-will-slip" / "index.html").read_text(encoding="utf-8")
    assert "<li>Ask {{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt;</li>" in scenario_page
    # Moves are one line of inline Markdown (emphasis links a play named in see_also): markup stays text.
    assert "<li>Name &lt;img src=x onerror=alert(2)&gt; {% include 'x' %}</li>" in scenario_page
    title = load_settings(root, env={}).title
    assert f"<title>Deadline {{{{ 7*7 }}}} &lt;script&gt;alert(1)&lt;/script&gt; - {title}</title>" in scenario_page
    checklist_page = (site / "checklists" / "prepare-for-a-1-1" / "index.html").read_text(encoding="utf-8")
    assert ">Ask {{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt;</label>" in checklist_page
    assert ">Write &lt;img src=x onerror=alert(2)&gt; {% include &#39;x&#39; %}</label>" in checklist_page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert ">Ask {{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt;</label>" in home
    # The scenario title shows on its page, the scenario index, the situations page and the principle pages.
    assert seen["scenario"] >= 3 and seen["checklist"] >= 3 and seen["principle"] >= 2, seen
    # The index holds the titles as the text they are; the results show them as text (assets/search.js).
    titles = {url: page["meta"]["title"] for url, page in indexed_pages(site).items()}
    assert titles["/checklists/prepare-for-a-1-1/"] == 'Prepare <img src=x onerror=alert(2)> for the team\'s "check-in"'
    assert titles["/scenarios/a-deadline-will-slip/"] == "Deadline {{ 7*7 }} <script>alert(1)</script>"


@pytest.mark.own_fixtures
def test_invalid_content_stops_the_build_with_located_messages(tmp_path: Path) -> None:
    """`mkdocs build --strict` fails on invalid content with the same lines as `playbook validate`."""
    data = tmp_path / "data"
    shutil.copytree(MINI / "data", data)
    path = data / "scenarios" / "a-deadline-will-slip.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("goal:", "gaol:", 1), encoding="utf-8")
    root = assemble(tmp_path / "broken", MINI, data)
    result = build(root)
    assert result.returncode != 0
    validate = subprocess.run([str(BIN / "playbook"), "--root", str(root), "validate"], capture_output=True, text=True)
    errors = [line for line in validate.stdout.splitlines() if ": error: " in line]
    assert errors and all(line in result.stderr for line in errors), (errors, result.stderr)
    assert "unknown field 'gaol'; did you mean 'goal'?" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.own_fixtures
def test_properdocs_builds_the_same_pages(mini: Path, tmp_path: Path) -> None:
    """Portability: ProperDocs builds the same page set from the same mkdocs.yml. Built with no repository known,
    the pages carry no edit link rather than a made-up one."""
    root = assemble(tmp_path / "proper", MINI)
    result = build(root, tool="properdocs")
    assert result.returncode == 0, result.stderr
    assert pages(root / "site") == pages(mini / "site")
    for page in (root / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert EDIT_BUTTON not in html and "/edit/main/" not in html, page


def test_repository_playbook_builds_strict(tmp_path: Path) -> None:
    """The playbook this repository holds builds with --strict, every record has its page with an edit link to
    its YAML in the repository GitHub Actions names, and CONTRIBUTING.md is its contributing page."""
    result = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-d", str(tmp_path / "site")], cwd=REPO,
                            capture_output=True, text=True, timeout=300,
                            env=clean_env(GITHUB_REPOSITORY=REPOSITORY))
    assert result.returncode == 0, result.stderr
    built = pages(tmp_path / "site")
    for kind, rid in records(REPO):
        assert f"{kind}/{rid}/index.html" in built
    kind, rid = records(REPO)[0]
    html = (tmp_path / "site" / kind / rid / "index.html").read_text(encoding="utf-8")
    assert f'href="https://github.com/{REPOSITORY}/edit/main/data/{kind}/{rid}.yaml"' in html
    if "contributing.md" not in nav_files(REPO):  # the guide is served only where the nav lists it
        assert not (tmp_path / "site" / "contributing").exists()
        return
    guide = (tmp_path / "site" / "contributing" / "index.html").read_text(encoding="utf-8")
    first_heading = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
    assert f">{first_heading}<a class=\"headerlink\"" in guide, "the site's contributing page is the repository's CONTRIBUTING.md"
    # The guide's examples are generic: it links no record of the playbook by address.
    assert f"github.com/{REPOSITORY}/blob/main/data/" not in guide


@pytest.mark.own_fixtures
def test_a_generated_page_whose_metadata_changes_fails_the_build(tmp_path: Path) -> None:
    """Record pages carry their metadata as data; if anything alters it on the way, nothing is published."""
    root = assemble(tmp_path / "tampered", MINI)
    (root / "tamper.py").write_text(
        "def on_page_markdown(markdown, page, **kwargs):\n"
        "    if page.file.src_uri.startswith('scenarios/') and page.file.src_uri != 'scenarios/index.md':\n"
        "        page.meta['title'] = 'tampered'\n"
        "    return markdown\n", encoding="utf-8")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config + "\nhooks:\n  - tamper.py\n", encoding="utf-8")
    result = build(root)
    assert result.returncode != 0
    assert "changed inside MkDocs; refusing to publish it" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.own_fixtures
def test_a_macro_naming_a_missing_record_fails_in_one_line(tmp_path: Path) -> None:
    """A page macro with an unknown id stops the build with page, line, macro, id and the nearest ids."""
    root = assemble(tmp_path / "typo", MINI)
    index = root / "content" / "index.md"
    text = index.read_text(encoding="utf-8")
    known = sorted(p.stem for p in (MINI / "data" / "checklists").glob("*.yaml"))
    wanted = known[0][:-1] + "x"
    lines = text.splitlines()
    lines.append(f'{{{{ checklist("{wanted}") }}}}')
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build(root)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    expected = (f"content/index.md:{len(lines)}: error: checklist({wanted!r}): no such record; nearest: {known[0]}")
    assert expected in output, output


@pytest.mark.own_fixtures
def test_a_playbook_listing_the_search_plugin_is_told_once_it_only_costs_time(tmp_path: Path) -> None:
    """The search box is the generator's own (Pagefind): a `- search` left in plugins gets one warning naming the
    fix, the site still builds with the generator's search, and --strict refuses it like any other warning."""
    root = assemble(tmp_path / "with-search", MINI)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("plugins:\n", "plugins:\n  - search\n", 1), encoding="utf-8")
    result = subprocess.run([str(BIN / "mkdocs"), "build", "-f", "mkdocs.yml", "-d", "site"], cwd=root,
                            capture_output=True, text=True, env=clean_env(GITHUB_REPOSITORY=REPOSITORY), timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert output.count("remove `- search` from plugins") == 1, output
    assert (root / "site" / "pagefind" / "pagefind.js").is_file()
    strict = build(root, GITHUB_REPOSITORY=REPOSITORY)
    assert strict.returncode != 0 and "remove `- search` from plugins" in strict.stdout + strict.stderr
    assert "Traceback" not in strict.stdout + strict.stderr