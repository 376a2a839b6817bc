"""Readers' own sentences find the right play (issue 24): every sentence of search_eval.yaml typed into the shipped
site's header search in Chromium, the expected play in the top 3 for at least 90% of them."""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from playbook_site import open_search, search_results  # noqa: E402

pytestmark = pytest.mark.browser

EVAL = Path(__file__).with_name("search_eval.yaml")
THRESHOLD = 0.90
CHROMIUM = Path(os.environ.get("PLAYBOOK_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1 makes this a failure, not a skip)", pytrace=False)
    pytest.skip(f"{reason}; browser tests skipped (set REQUIRE_BROWSER=1 to fail instead)")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def shipped_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped playbook built with `mkdocs build --strict` and served on 127.0.0.1."""
    out = tmp_path_factory.mktemp("search-site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _in_own_thread(work: Any) -> Any:
    """Run `work` in a thread of its own: Playwright's sync API refuses to start where another sync session (the
    browser tests' Chromium, in the same pytest run) already runs its event loop."""
    done: dict[str, Any] = {}

    def run() -> None:
        try:
            done["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test's own thread
            done["error"] = exc

    thread = threading.Thread(target=run, name="search-eval")
    thread.start()
    thread.join()
    if "error" in done:
        raise done["error"]
    return done["value"]


def _ask_every_sentence(url: str, evals: list[dict[str, str]]) -> list[list[str]]:
    """Type each sentence into the header search of the served site on a 390 px phone; the result addresses."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(base_url=url, viewport={"width": 390, "height": 844}, is_mobile=True,
                                    has_touch=True)
            page.goto("")
            open_search(page)
            return [search_results(page, item["q"]) for item in evals]
        finally:
            browser.close()


def _rank(urls: list[str], expected: str) -> int | None:
    """The expected play's place among the scenario results (other pages do not count), or None."""
    plays: list[str] = []
    for url in urls:
        if "/scenarios/" in url:
            play = url.split("/scenarios/", 1)[1].strip("/").split("/")[0]
            if play and play not in plays:
                plays.append(play)
    return plays.index(expected) + 1 if expected in plays else None


def test_readers_sentences_find_the_right_play_in_the_top_three(shipped_url: str) -> None:
    evals = yaml.safe_load(EVAL.read_text(encoding="utf-8"))
    assert len(evals) >= 60
    try:
        import playwright  # noqa: F401
    except ImportError:
        _unavailable("the playwright Python package is not installed (pip install -e '.[test]')")
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set PLAYBOOK_CHROMIUM)")
    answers = _in_own_thread(lambda: _ask_every_sentence(shipped_url, evals))
    ranks: list[int | None] = []
    misses: list[str] = []
    for item, urls in zip(evals, answers):
        rank = _rank(urls, item["expect"])
        ranks.append(rank)
        if rank is None or rank > 3:
            misses.append(f"  {item['q']!r} -> want {item['expect']} ({f'#{rank}' if rank else 'not in the results'})")
    top1 = sum(r == 1 for r in ranks) / len(ranks)
    top3 = sum(r is not None and r <= 3 for r in ranks) / len(ranks)
    print(f"search: top-1 {top1:.0%}, top-3 {top3:.0%} of {len(ranks)} sentences")
    assert top3 >= THRESHOLD, (f"top-1 {top1:.0%}, top-3 {top3:.0%} (need {THRESHOLD:.0%}) of {len(ranks)} "
                               f"sentences; not in the top 3:\n" + "\n".join(misses))
