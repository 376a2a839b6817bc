"""Search benchmark in Chromium: time from typing a query to results shown, ours against plain MkDocs Material.

Builds (or takes from a bench/user_bench.py --keep folder) our site with N generated scenarios and the plain
baseline with the same text, serves each from a local http.server on 127.0.0.1 and drives Debian's Chromium
through Playwright. Ours is the generator's search (assets/search.js over Pagefind, see playbook/site/search.py), plain
MkDocs is Material's search plugin (lunr in a worker). Figures per site:

- first query: from the reader's click into the search box on a freshly opened page to the first results, so it
  includes fetching what search needs (ours loads nothing before that click; Material's worker starts fetching
  and building its whole index when the page loads, which this figure does not count against it);
- next queries (median of --repeat): with the query but its last letter typed and answered, from the last key to
  the results for the whole query. "Answered" means every query sent so far has its answer: Material sends one
  query per key to its worker and it answers them in turn, so a fixed pause could end with a backlog;
- index MB: the search index on disk (Material's search_index.json; Pagefind's index, metadata and fragments);
  on load KB: search data fetched by the page before the reader searches.

    python bench/search_bench.py [--scenarios 1000] [--from DIR] [--repeat 5]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from user_bench import make_baseline, make_playbook, timed_build  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
QUERIES = ["flexibility", "caregiving schedule", "written proposal", "manager worries", "parental leave"]

WATCH = """() => {
  window.__pb = {keys: [], shown: [], focus: []};
  document.addEventListener("keydown", () => window.__pb.keys.push(performance.now()), true);
  document.addEventListener("pointerdown", () => window.__pb.focus.push(performance.now()), true);
  const list = document.querySelector(".md-search-result__list");
  new MutationObserver(() => {
    if (list.querySelector(".md-search-result__item")) { window.__pb.shown.push(performance.now()); }
    window.__pb.answers = window.__pb.answers || [];
    window.__pb.answers.push([performance.now(), list.getAttribute("data-query")]);  // ours says which query
  }).observe(list, {childList: true, subtree: true});
}"""


# Counts the queries Material posts to its search worker and the results it gets back (message types 2 and 3).
COUNT_QUERIES = """(() => {
  const Base = window.Worker;
  window.__pbq = {sent: 0, answered: 0};
  window.Worker = class extends Base {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", e => { if (e.data && e.data.type === 3) window.__pbq.answered++; });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) window.__pbq.sent++;
      return super.postMessage(message, ...rest);
    }
  };
})()"""
IDLE = "() => window.__pbq.sent === window.__pbq.answered"
# Ours: the result list says which query it answers (assets/search.js).
OURS_IDLE = "q => document.querySelector('#pb-search-results').getAttribute('data-query') === q"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _results_after(page: Any, since: float, timeout: float = 60) -> float:
    """Milliseconds from `since` (performance.now()) to the first results rendered after it."""
    page.wait_for_function("t => window.__pb.shown.some(x => x > t)", arg=since, timeout=timeout * 1000)
    return page.evaluate("t => window.__pb.shown.find(x => x > t) - t", since)


def measure(browser: Any, url: str, repeat: int, ours: bool) -> dict[str, float]:
    """First-query time and the median next-query time over QUERIES, in milliseconds; search bytes on load."""
    page = browser.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    if not ours:
        page.add_init_script(COUNT_QUERIES)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    on_load = [u for u in fetched if "/pagefind/" in u or "search_index" in u or "search-words" in u]
    page.evaluate(WATCH)
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(QUERIES[0], delay=30)
    first = _results_after(page, page.evaluate("window.__pb.focus[0]"))
    last_key = page.evaluate("window.__pb.keys[window.__pb.keys.length - 1]")
    if ours:  # the answer to the whole word, not a late one to the word typed so far
        page.wait_for_function(OURS_IDLE, arg=QUERIES[0], timeout=120_000)
        first_last = page.evaluate("([t, q]) => window.__pb.answers.find(([x, a]) => x > t && a === q)[0] - t",
                                   [last_key, QUERIES[0]])
    else:  # the worker answers each key in turn: the whole word's answer is the last one shown
        page.wait_for_function(IDLE, timeout=120_000)
        page.wait_for_timeout(100)
        first_last = page.evaluate("t => window.__pb.shown.filter(x => x > t).pop() - t", last_key)
    times = []
    for _ in range(repeat):
        for query in QUERIES:
            box.fill("")
            box.press_sequentially(query[:-1], delay=10)
            if ours:
                page.wait_for_function(OURS_IDLE, arg=query[:-1], timeout=120_000)
            else:
                page.wait_for_function(IDLE, timeout=120_000)  # the answer to the query so far is in
            page.wait_for_timeout(100)  # and shown
            before = page.evaluate("performance.now()")
            box.press(query[-1])
            key = page.evaluate("t => window.__pb.keys.find(x => x > t)", before)
            times.append(_results_after(page, key))
    page.close()
    return {"first": first, "first_last": first_last, "next": statistics.median(times), "worst": max(times),
            "on_load": on_load}


def index_bytes(site: Path) -> int:
    """The search index on disk: Material's one file, or Pagefind's index, metadata and fragments."""
    material = site / "search" / "search_index.json"
    if material.is_file():
        return material.stat().st_size
    return sum(p.stat().st_size for p in (site / "pagefind").rglob("*")
               if p.is_file() and not p.name.endswith((".js", ".css")))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", type=int, default=1000, help="generated scenarios (default 1000)")
    ap.add_argument("--from", dest="source", type=Path, help="a bench/user_bench.py --keep folder with both sites")
    ap.add_argument("--repeat", type=int, default=5, help="rounds over the queries (default 5)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    work = None
    if args.source:
        sites = {"ours": args.source / "site-ours", "plain mkdocs": args.source / "site-baseline"}
    else:
        work = Path(tempfile.mkdtemp(prefix="playbook-search-bench-"))
        (work / "playbook").mkdir()
        (work / "baseline").mkdir()
        make_playbook(work / "playbook", args.scenarios)
        make_baseline(work / "playbook", work / "baseline")
        sites = {"ours": work / "site-ours", "plain mkdocs": work / "site-baseline"}
        timed_build(work / "playbook", sites["ours"])
        timed_build(work / "baseline", sites["plain mkdocs"])
    results = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for name, site in sites.items():
            server, url = serve(site)
            try:
                results[name] = measure(browser, url, args.repeat, ours=name == "ours")
            finally:
                server.shutdown()
        browser.close()
    print(f"search in Chromium, {args.scenarios} scenarios ({len(QUERIES)} queries x {args.repeat})")
    print(f"{'site':<14}{'index MB':>10}{'first ms':>10}{'1st word ms':>12}{'next ms':>10}{'worst ms':>10}"
          f"  search data on load")
    for name, r in results.items():
        size = index_bytes(sites[name]) / 1e6
        print(f"{name:<14}{size:>10.1f}{r['first']:>10.0f}{r['first_last']:>12.0f}{r['next']:>10.0f}"
              f"{r['worst']:>10.0f}  {', '.join(u.rsplit('/', 1)[-1] for u in r['on_load']) or 'none'}")
    print(f"(first: from the click into the box to the first results, typing {QUERIES[0]!r} at 30 ms a key "
          f"included; 1st word: from its last key to the results for the whole word; next: median from the last "
          f"key to the results, with the index warm)")
    if work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
