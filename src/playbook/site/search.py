"""The site's search: Pagefind indexes the built pages once per build, and the page asks it word by word.

What is indexed is marked in the templates: the theme's article holds `data-pagefind-body` (theme/main.html), a
record's title (10), a scenario's `in_their_words` (8), summary and situation (4) and goal (2) carry
`data-pagefind-weight` over the rest of the article (0.5), link lists, sources and "when not to
use" carry `data-pagefind-ignore`. The query side is assets/search.js: it drops this playbook's stop words, adds its
synonyms, runs one Pagefind search per word and sums each page's scores, so a sentence in a reader's own words
finds the page that holds most of them. Nothing is fetched before the reader comes to the search box.
"""
from __future__ import annotations

import json
import logging
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playbook.core.settings import Settings

BUNDLE = "pagefind"  # Pagefind's folder in the built site
WORDS_FILE = "assets/search-words.json"  # the stop words and synonyms search.js reads when the reader starts
PIN = "pagefind[bin]>=1.5,<1.6"
# Theme parts inside the article that say nothing about the page: its tags, heading anchors and edit buttons.
EXCLUDE = (".md-tags", ".headerlink", ".md-content__button", "[data-search-exclude]")

# Words a reader's sentence is full of that say nothing about which page it wants, by theme.language. A playbook
# in another language lists its own under extra.playbook.search.stop_words.
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("""
a about after again all am an and any are as at be because been before being but by can can't could did do does
doing don't for from get got had has have having he her here him his how i i'm i've if in into is it it's its just
keep keeps me more my myself no not now of off on one or our out own she should so some still than that the their
them then there they this to too up us very was we were what when where which while who why will with won't would
you your
""".split()),
    "de": frozenset("""
aber alle als also am an auch auf aus bei bin bis bist da dann das dass dem den der des die dies diese dieser doch
du durch ein eine einem einen einer es für hab habe haben hat hatte ich ihm ihn ihr im in ist ja jetzt kann kein
keine man mein meine meinem meinen meiner mich mir mit nach nicht noch nur ob oder schon sein sich sie sind so um
und uns von vor war was weil wenn wie wir wird zu zum zur
""".split()),
}


class SearchError(Exception):
    """The search index could not be written; the message says why and what to do."""


def default_stop_words(language: str) -> tuple[str, ...]:
    """The stop words for a theme.language (`en`, `de`, `en-GB` ...): none for a language without a list."""
    return tuple(sorted(STOP_WORDS.get(language.lower().partition("-")[0], frozenset())))


def write_words(site: Path, stop_words: Sequence[str], synonyms: Mapping[str, Sequence[str]]) -> Path:
    """Write the query side's word lists into the built site."""
    path = Path(site) / WORDS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    words = {"stop_words": sorted({w.lower() for w in stop_words}),
             "synonyms": {k.lower(): [w.lower() for w in v] for k, v in sorted(synonyms.items())}}
    path.write_text(json.dumps(words, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path


def command(site: Path) -> list[str]:
    """The Pagefind command that indexes a built site in place."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SearchError(f"the search indexer is not installed: pip install '{PIN}' (it is a dependency of the "
                          f"generator: reinstall it with pip install -e .)") from None
    excludes = [arg for selector in EXCLUDE for arg in ("--exclude-selectors", selector)]
    return [str(get_executable()), "--site", str(site), "--silent", *excludes]


def _failed(returncode: int, output: str) -> SearchError:
    said = " ".join(output.split())[-600:] or "no message"
    return SearchError(f"the search indexer (Pagefind) failed with exit status {returncode}: {said}")


def index_site(site: Path) -> float:
    """Index the built site with Pagefind (into site/pagefind/); returns the seconds taken, raises SearchError."""
    started = time.perf_counter()
    try:
        done = subprocess.run(command(site), capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchError(f"the search indexer (Pagefind) could not run: {exc}") from None
    if done.returncode:
        raise _failed(done.returncode, done.stderr + done.stdout)
    return time.perf_counter() - started


class Background:
    """Under `mkdocs serve`: index after each build without holding the page back; a newer build's run replaces
    an older one still going, so the index lags an edit by the indexer's time and never shows an older build."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, site: Path) -> None:
        """Start indexing site in the background (a failure shows on the next build's check)."""
        self.stop()
        self.process = subprocess.Popen(command(site), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def check(self) -> None:
        """Raise SearchError if the last background run has ended badly."""
        process = self.process
        if process is not None and process.poll() not in (None, 0):
            self.process = None
            raise _failed(process.returncode, (process.stderr.read() if process.stderr else b"").decode(errors="replace"))

    def stop(self) -> None:
        """End a run still going (this object's own process only)."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


_BACKGROUND = Background()
_log = logging.getLogger("mkdocs.plugins.playbook.site.search")


def index_built_site(site: Path, settings: Settings, serving: bool) -> None:
    """Write the word lists and index the built site: in the background under `mkdocs serve`, so an edit shows at
    once and search catches up a moment later; otherwise before the build ends (raises SearchError)."""
    stop_words = settings.stop_words if settings.stop_words is not None else default_stop_words(settings.language)
    write_words(site, stop_words, settings.synonyms)
    if not serving:
        index_site(site)
        return
    try:
        _BACKGROUND.check()
    except SearchError as exc:
        _log.warning("search: %s", exc)
    _BACKGROUND.start(site)


def stop_background() -> None:
    """End the background indexer of `mkdocs serve`, if one is still running."""
    _BACKGROUND.stop()


def indexed_pages(site: Path) -> dict[str, dict]:
    """What the built index holds, by page address: Pagefind's fragment of each page (`content`, `meta.title`...).

    For checks and benchmarks: the page side reads the same files through Pagefind's own script."""
    import gzip

    pages: dict[str, dict] = {}
    for path in sorted((Path(site) / BUNDLE / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes()).decode("utf-8").removeprefix("pagefind_dcd")
        fragment = json.loads(data)
        pages[fragment["url"]] = fragment
    return pages
