"""A living playbook on the site: review dates and last changes on record pages, the what's new page and the Atom and
JSON feeds built from the git history of data/, the review date on sheets, and builds without (full) history."""
from __future__ import annotations

import datetime
import html
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from support import PLAYBOOKS, assemble, build, run_playbook

pytestmark = pytest.mark.own_fixtures

MINI = PLAYBOOKS / "mini"
SITE_URL = "https://docs.example.org/handbook/"
ATOM = "{http://www.w3.org/2005/Atom}"
DAY_ONE, DAY_TWO = "2026-01-10", "2026-03-05"
LATE = "data/scenarios/my-manager-reads-first.yaml"  # added on day two
EDITED = "data/scenarios/a-deadline-will-slip.yaml"  # added on day one, changed on day two
OLD = "data/principles/no-surprises.yaml"  # reviewed long ago
SHEET = "data/checklists/prepare-for-a-1-1.yaml"
NO_HISTORY = "no git history here"
HOSTILE = "data/principles/you-depend-on-each-other.yaml"
HOSTILE_TITLE = 'You depend on {{ 7*7 }} <script>alert(1)</script> & "each other"'


def _git(root: Path, *args: str, day: str = DAY_ONE) -> None:
    stamp = f"{day}T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c",
                    "commit.gpgsign=false", *args], cwd=root, env=env, check=True, capture_output=True, timeout=60)


def _set(path: Path, **fields: str) -> None:
    """Put `key: value` lines right after a record's title."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("title:")) + 1
    lines[at:at] = [f"{key}: {value}\n" for key, value in fields.items()]
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini playbook in a git repository: every record but one added on day one; on day two that one is added
    and another changed. One record was reviewed long ago by @docs-team."""
    root = assemble(tmp_path_factory.mktemp("history") / "handbook", MINI)
    _set(root / OLD, reviewed="2020-01-31", owner='"@docs-team"')
    _set(root / SHEET, reviewed="2026-01-09")
    hostile = root / HOSTILE
    hostile.write_text(re.sub(r"(?m)^title: .*$", f"title: '{HOSTILE_TITLE}'", hostile.read_text(encoding="utf-8"),
                              count=1), encoding="utf-8")
    late = (root / LATE).read_text(encoding="utf-8")
    (root / LATE).unlink()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "The first records")
    (root / LATE).write_text(late, encoding="utf-8")
    _set(root / EDITED, owner="ops-team")
    _git(root, "add", "-A", day=DAY_TWO)
    _git(root, "commit", "-q", "-m", "One more play, one changed", day=DAY_TWO)
    return root


@pytest.fixture(scope="module")
def site(repo: Path) -> tuple[Path, str]:
    result = build(repo, PLAYBOOK_SITE_URL=SITE_URL)
    assert result.returncode == 0, result.stdout + result.stderr
    return repo / "site", result.stdout + result.stderr


def _article(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return re.search(r"<article\b.*?</article>", text, re.S).group(0)


def test_a_record_page_shows_its_review_date_owner_and_last_change(site: tuple[Path, str]) -> None:
    root, log = site
    assert NO_HISTORY not in log and "shallow" not in log
    page = html.unescape(_article(root / "principles" / "no-surprises" / "index.html"))
    review = re.search(r'<p class="pb-reviewed"[^>]*>(.*?)</p>', page, re.S)
    assert review, page
    assert re.sub(r"<[^>]+>", "", review.group(1)) == f"Reviewed 2020-01-31 · @docs-team · last changed {DAY_ONE}"
    assert '<time datetime="2020-01-31">' in review.group(1)
    edited = html.unescape(_article(root / "scenarios" / "a-deadline-will-slip" / "index.html"))
    assert f"ops-team · last changed {DAY_TWO}" in re.sub(r"<[^>]+>", "", edited)


def test_whats_new_lists_additions_and_changes_newest_first_by_day(site: tuple[Path, str]) -> None:
    root, _ = site
    page = _article(root / "whats-new" / "index.html")
    days = re.findall(r'<h2 id="(\d{4}-\d\d-\d\d)"', page)
    assert days == [DAY_TWO, DAY_ONE]
    second, first = page.split(f'<h2 id="{DAY_ONE}"')
    rows = re.findall(r'<li><span class="pb-change pb-change-(\w+)">\w+</span> <a href="([^"]+)">', second)
    assert rows == [("added", "../scenarios/my-manager-reads-first/"),
                    ("changed", "../scenarios/a-deadline-will-slip/")]
    added = re.findall(r'pb-change-added">new</span> <a href="([^"]+)">', first)
    assert len(added) == 8 and "../principles/no-surprises/" in added
    assert "pb-change-changed" not in first
    assert 'href="../feed.xml"' in page and 'href="../feed.json"' in page


def test_the_atom_feed_is_valid_with_added_and_changed_entries(site: tuple[Path, str]) -> None:
    """RFC 4287's required elements on the feed and each entry, absolute links, permanent unique ids."""
    root, _ = site
    feed = ET.parse(root / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{tag}") is not None and feed.find(f"{ATOM}{tag}").text, tag
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": f"{SITE_URL}feed.xml", "alternate": f"{SITE_URL}whats-new/"}
    assert feed.find(f"{ATOM}updated").text == f"{DAY_TWO}T12:00:00Z"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 10
    seen = []
    for entry in entries:
        for tag in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{tag}").text, tag
        datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text.replace("Z", "+00:00"))
        link = entry.find(f"{ATOM}link")
        assert link.get("rel") == "alternate" and link.get("href").startswith(SITE_URL)
        seen.append((entry.find(f"{ATOM}link").get("href")[len(SITE_URL):], entry.find(f"{ATOM}category").get("term"),
                     entry.find(f"{ATOM}updated").text[:10]))
    assert len({entry.find(f"{ATOM}id").text for entry in entries}) == 10
    assert seen[:2] == [("scenarios/my-manager-reads-first/", "added", DAY_TWO),
                        ("scenarios/a-deadline-will-slip/", "changed", DAY_TWO)]
    assert ("scenarios/a-deadline-will-slip/", "added", DAY_ONE) in seen
    title = entries[1].find(f"{ATOM}title").text
    assert title.endswith("(updated)")


def test_the_json_feed_is_valid_json_feed_1_1(site: tuple[Path, str]) -> None:
    root, _ = site
    feed = json.loads((root / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert (feed["home_page_url"], feed["feed_url"]) == (f"{SITE_URL}whats-new/", f"{SITE_URL}feed.json")
    items = feed["items"]
    assert len(items) == 10 and len({i["id"] for i in items}) == 10
    for item in items:
        assert isinstance(item["id"], str) and (item.get("content_text") or item.get("content_html"))
        assert item["url"].startswith(SITE_URL)
        datetime.datetime.fromisoformat(item["date_modified"].replace("Z", "+00:00"))
    assert [(i["url"][len(SITE_URL):], i["tags"]) for i in items[:2]] == [
        ("scenarios/my-manager-reads-first/", ["added"]), ("scenarios/a-deadline-will-slip/", ["changed"])]


def test_contributor_text_in_whats_new_and_the_feeds_is_text(site: tuple[Path, str]) -> None:
    root, _ = site
    page = _article(root / "whats-new" / "index.html")
    assert "<script>" not in page and "{{ 7*7 }}" in page
    assert "You depend on {{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;each other&#34;" in page
    titles = [e.find(f"{ATOM}title").text for e in ET.parse(root / "feed.xml").getroot().findall(f"{ATOM}entry")]
    assert f"{HOSTILE_TITLE} (new)" in titles
    items = json.loads((root / "feed.json").read_text(encoding="utf-8"))["items"]
    assert f"{HOSTILE_TITLE} (new)" in [i["title"] for i in items]


def test_a_sheet_prints_its_review_date_and_version(site: tuple[Path, str]) -> None:
    root, _ = site
    pdf = root / "checklists" / "prepare-for-a-1-1" / "prepare-for-a-1-1-a4.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    assert re.search(r"reviewed 2026-01-09, version [0-9a-f]{8}", text), text


def test_validate_names_the_old_review_in_the_repository(repo: Path) -> None:
    result = run_playbook("validate", "--strict", root=repo)
    assert result.returncode == 0
    assert any(line.startswith(f"{OLD}:") and "notice: reviewed: last reviewed 2020-01-31" in line
               for line in result.stdout.splitlines()), result.stdout


def test_without_git_history_the_build_works_and_says_so_once(tmp_path: Path) -> None:
    root = assemble(tmp_path / "handbook", MINI)
    result = build(root)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert log.count(NO_HISTORY) == 1, log
    page = _article(root / "site" / "whats-new" / "index.html")
    assert "built without the history of its records" in page and "<h2" not in page
    assert "last changed" not in _article(root / "site" / "principles" / "no-surprises" / "index.html")
    feed = ET.parse(root / "site" / "feed.xml").getroot()
    assert feed.find(f"{ATOM}id").text.startswith("urn:uuid:") and feed.findall(f"{ATOM}entry") == []
    assert json.loads((root / "site" / "feed.json").read_text(encoding="utf-8"))["items"] == []


def test_a_repository_whose_records_are_not_committed_yet_says_nothing_changed(tmp_path: Path) -> None:
    root = assemble(tmp_path / "handbook", MINI)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "mkdocs.yml")
    _git(root, "commit", "-q", "-m", "Settings first")
    result = build(root)
    log = result.stdout + result.stderr
    assert result.returncode == 0 and NO_HISTORY not in log, log
    page = _article(root / "site" / "whats-new" / "index.html")
    assert "No record has been added or changed yet." in page and "built without" not in page


def test_a_shallow_clone_builds_and_says_its_history_is_partial(repo: Path, tmp_path: Path) -> None:
    """Its one commit would claim every record was added that day: it is left out, and the build says why once."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True,
                   capture_output=True, timeout=60)
    result = build(clone)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert log.count("the git clone is shallow") == 1 and "fetch-depth: 0" in log, log
    page = _article(clone / "site" / "whats-new" / "index.html")
    assert "pb-change-added" not in page


def test_git_is_asked_once_per_build(repo: Path, tmp_path: Path) -> None:
    """One `git log` per build, whatever the number of pages: a wrapper on PATH counts the calls."""
    real = shutil.which("git")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    wrapper = bin_dir / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\nexec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    result = build(repo, "-d", str(tmp_path / "site"), PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert result.returncode == 0, result.stdout + result.stderr
    ours = [line for line in calls.read_text(encoding="utf-8").splitlines() if "--name-status" in line]
    assert len(ours) == 1, ours
