"""Search quality benchmark in Chromium: does a reader's own sentence find the right play?

Builds this repository's playbook once into a temporary folder, then asks each engine every sentence of
tests/content/search_eval.yaml (a reader's words and the play that should come up) and reports top-1 and top-3
accuracy. Only scenario result addresses count toward a rank: a principle or a tag page above the play is skipped.

Engines, each served from its own copy of the built site by http.server on 127.0.0.1 to Debian's Chromium:

- shipped: the generator's search as the site ships it (assets/search.js over the Pagefind index the build wrote,
  with this playbook's stop words and synonyms from mkdocs.yml), driven by typing into the header box;
- material: Material's search plugin (lunr in its worker) on the same pages, built from a copy of the playbook
  with `- search` added to its plugins and Material's own header (the search this site shipped until issue 24),
  driven by typing into the header box;
- material-tuned: the same worker on a rewritten search_index.json (stemming on, tags weighed like text, titles
  10x not 1000x, in_their_words as a field weighed 50x) and the query typed with the synonym table's words added;
- pagefind: Pagefind over the built pages as they are, one `pagefind.search(q)` per sentence;
- pagefind-tuned: Pagefind over pages marked up by bench/search_tuning.py (the article is the body; tags, heading
  anchors, links to other records, "when not to use" and sources are not indexed; the title weighs 10 and the
  in_their_words phrases 8), asked one search per content word of the sentence and its synonyms, the scores
  summed per page and times (1 + share of the words the page holds) ** 2 (an OR over the words: a single Pagefind
  search wants every word it knows on the page);
- and, to show what each part is worth, Pagefind with only some of those changes (-syn: synonyms added to the one
  search; -or: one search per word; -body: the markup without in_their_words; -words: with them);
- pagefind-more-words: pagefind-tuned with the first sentence of each play's pair added to its in_their_words, so
  its score on the second sentences (the "2nd" column) shows what more phrases in readers' words would buy.

The pagefind* engines are the experiments that chose the shipped engine (run with --only). Since the generator's
templates now carry the search markup themselves (playbook/site/search.py), they run on pages that already have it, so
"pagefind" is no longer the untuned baseline it was: the first measurement (shipped Material 16/80 top-3, Pagefind
untuned 17/80, Pagefind tuned 63/80) was taken before the markup moved into the templates.

The table gives top-3 apart for the first and the second sentence of each play: tune on one half, check on the other.

Bytes are counted by the server, per file, so they are what the page really fetched: what an engine loads on a
scenario page before the reader types (Material's worker fetches its whole index when the page loads; Pagefind's
init fetches only its scripts), what the first query fetches (Pagefind's WebAssembly, metadata and index chunks),
and what each later query adds (Pagefind's chunks and the fragments of the ten results read; nothing for Material).

    python bench/search_quality.py [--eval FILE] [--only NAME ...] [--keep DIR] [--built SITE]
                                   [--title-weight 10] [--words-weight 8] [--coord 2]

Needs `pagefind[bin]` in the virtual environment for the Pagefind engines (pip install 'pagefind[bin]~=1.5').
"""
from __future__ import annotations

import argparse
import functools
import importlib.util
import http.server
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_tuning import expand, expanded_text, tune_lunr_index, tune_pagefind_site  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
LANDING = "scenarios/i-made-a-mistake/"  # a scenario page the reader searches from
SCENARIO = re.compile(r"/scenarios/([a-z0-9]+(?:-[a-z0-9]+)*)/")
SHOWN = 10  # results read per query: Material's first page of results


class _Counting(http.server.SimpleHTTPRequestHandler):
    """Serves the site and notes every file sent with a body, so the bench knows the bytes each step fetched."""

    sent: list[tuple[str, int]]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def send_response(self, code: int, message: str | None = None) -> None:
        self._code = code
        super().send_response(code, message)

    def do_GET(self) -> None:
        super().do_GET()
        path = Path(self.translate_path(self.path))
        if getattr(self, "_code", 0) == 200 and path.is_file():
            self.sent.append((self.path.split("?")[0], path.stat().st_size))


def _is_index(path: str, engine: str) -> bool:
    """Material's whole index, or Pagefind's entry, metadata, index chunks, filters and result fragments (and the
    shipped engine's word lists)."""
    if engine.startswith("material"):
        return path == "/search/search_index.json"
    if path.endswith("/search-words.json"):
        return True
    return path.startswith("/pagefind/") and not path.endswith((".js", ".css", ".pagefind"))


def _is_code(path: str, engine: str) -> bool:
    """Material's search worker, or Pagefind's scripts and WebAssembly."""
    if engine.startswith("material"):
        return path.startswith("/assets/javascripts/workers/")
    return path.startswith("/pagefind/") and path.endswith((".js", ".pagefind"))


class Server:
    """One copy of the site on 127.0.0.1, with the list of files it has sent."""

    def __init__(self, site: Path) -> None:
        self.sent: list[tuple[str, int]] = []
        handler = type("Handler", (_Counting,), {"sent": self.sent})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def take(self, engine: str) -> tuple[int, int]:
        """Bytes of this engine's index and code sent since the last call; the log starts empty again."""
        index = sum(size for path, size in self.sent if _is_index(path, engine))
        code = sum(size for path, size in self.sent if _is_code(path, engine))
        self.sent.clear()
        return index, code

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def scenario_ranking(urls: list[str]) -> list[str]:
    """Scenario ids in result order, each once, other pages left out."""
    ids: list[str] = []
    for url in urls:
        match = SCENARIO.search(url)
        if match and match.group(1) not in ids:
            ids.append(match.group(1))
    return ids


# Counts the queries Material posts to its search worker and the answers it gets (message types 2 and 3).
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
MATERIAL_READY = "() => window.__pbq && document.querySelector('.md-search-result__meta').textContent.trim() !== '' " \
                 "&& !/initializ/i.test(document.querySelector('.md-search-result__meta').textContent)"
MATERIAL_IDLE = "n => window.__pbq.sent >= n && window.__pbq.sent === window.__pbq.answered"
MATERIAL_RESULTS = """() => [...document.querySelectorAll('.md-search-result__list > .md-search-result__item')]
  .map(li => li.querySelector('a') && li.querySelector('a').href).filter(Boolean)"""


def material_engine(page: Any, query_text: Callable[[str], str]) -> Callable[[str], list[str]]:
    """Material's search driven like a reader: typed into the header box, results read off the list."""
    box = page.locator(".md-search__input")
    box.click()
    page.wait_for_function(MATERIAL_READY, timeout=60_000)

    def ask(query: str) -> list[str]:
        text = query_text(query)
        before = page.evaluate("window.__pbq.sent")
        # The text goes in at once and its last letter as a key: Material reads the box on keyup, so the worker
        # gets this one query and not one per letter.
        box.fill(text[:-1])
        box.press(text[-1])
        page.wait_for_function(MATERIAL_IDLE, arg=before + 1, timeout=60_000)
        page.wait_for_timeout(150)  # the answer is rendered after it arrives
        page.wait_for_function(MATERIAL_IDLE, arg=before + 1, timeout=60_000)
        return page.evaluate(MATERIAL_RESULTS)[:SHOWN]

    return ask


PAGEFIND_INIT = """async ranking => {
  window.pf = await import('/pagefind/pagefind.js');
  if (ranking) await window.pf.options({ranking});
  await window.pf.init();
}"""
PAGEFIND_ONE = f"""async q => {{
  const r = await window.pf.search(q);
  const shown = await Promise.all(r.results.slice(0, {SHOWN}).map(x => x.data()));
  return shown.map(d => d.url);
}}"""
# One search per word, scores summed per page: an OR over the words. A page holding more of the words then counts
# more, as in Material's own ranking: the sum times (1 + share of the words it holds) ** coord.
PAGEFIND_OR = f"""async ([terms, coord]) => {{
  const score = new Map(), hits = new Map(), result = new Map();
  for (const [term, weight] of terms) {{
    const r = await window.pf.search(term);
    for (const x of r.results) {{
      score.set(x.id, (score.get(x.id) || 0) + weight * x.score);
      hits.set(x.id, (hits.get(x.id) || 0) + 1);
      result.set(x.id, x);
    }}
  }}
  const ranked = [...score.entries()].map(([id, s]) => [id, s * (1 + hits.get(id) / terms.length) ** coord]);
  const top = ranked.sort((a, b) => b[1] - a[1]).slice(0, {SHOWN});
  const shown = await Promise.all(top.map(([id]) => result.get(id).data()));
  return shown.map(d => d.url);
}}"""


SHIPPED_ANSWERED = "q => document.querySelector('#pb-search-results').getAttribute('data-query') === q"
SHIPPED_RESULTS = "() => [...document.querySelectorAll('[data-search-result] a')].map(a => a.href)"


def shipped_engine(page: Any) -> Callable[[str], list[str]]:
    """The generator's search driven like a reader: typed into the header box, results read off the list."""
    box = page.locator("header input.md-search__input")
    box.click()

    def ask(query: str) -> list[str]:
        box.fill(query[:-1])
        box.press(query[-1])
        page.wait_for_function(SHIPPED_ANSWERED, arg=query.strip(), timeout=60_000)
        return page.evaluate(SHIPPED_RESULTS)[:SHOWN]

    return ask


def pagefind_engine(page: Any, or_words: bool, synonyms: bool, coord: float,
                    ranking: dict[str, float] | None) -> Callable[[str], list[str]]:
    """Pagefind's JS API in the page: one search for the sentence, or one per word (with synonyms) summed."""
    page.evaluate(PAGEFIND_INIT, ranking)

    def ask(query: str) -> list[str]:
        if or_words:
            terms = expand(query) if synonyms else expand(query, {})
            if not terms:
                return []
            return page.evaluate(PAGEFIND_OR, [[list(t) for t in terms], coord])
        return page.evaluate(PAGEFIND_ONE, expanded_text(query) if synonyms else query)

    return ask


def run_pagefind(site: Path) -> float:
    """Index a built site copy with the Pagefind binary from the pagefind_bin wheel; returns seconds taken."""
    from pagefind_bin import get_executable

    started = time.perf_counter()
    subprocess.run([str(get_executable()), "--site", str(site)], check=True, capture_output=True)
    return time.perf_counter() - started


def measure(browser: Any, site: Path, engine: str, evals: list[dict[str, str]], coord: float,
            ranking: dict[str, float] | None = None) -> dict[str, Any]:
    """Ask one engine every sentence; ranks, misses and the bytes fetched before and during the queries."""
    server = Server(site)
    context = browser.new_context()
    page = context.new_page()
    try:
        if engine.startswith("material"):
            page.add_init_script(COUNT_QUERIES)
        page.goto(server.url + LANDING)
        page.wait_for_load_state("networkidle")
        if engine.startswith("material"):
            ask = material_engine(page, expanded_text if engine == "material-tuned" else str)
        elif engine == "shipped":
            loaded = server.take(engine)  # what the page fetched before the reader came to the box
            ask = shipped_engine(page)  # the click into the box: its fetches count toward the first query
        else:
            _, _, or_words, synonyms = PAGEFIND[engine]
            ask = pagefind_engine(page, or_words, synonyms, coord, ranking if or_words else None)
        before = loaded if engine == "shipped" else server.take(engine)
        ranks: list[int | None] = []
        per_query: list[int] = []
        misses: list[tuple[str, str, int | None, list[str]]] = []
        times: list[float] = []
        for item in evals:
            started = time.perf_counter()
            got = scenario_ranking(ask(item["q"]))
            times.append(time.perf_counter() - started)
            index, code = server.take(engine)
            per_query.append(index + code)
            rank = got.index(item["expect"]) + 1 if item["expect"] in got else None
            ranks.append(rank)
            if rank is None or rank > 3:
                misses.append((item["q"], item["expect"], rank, got[:3]))
    finally:
        context.close()
        server.close()
    return {"ranks": ranks, "misses": misses, "before": before, "per_query": per_query,
            "ms": 1000 * statistics.median(times)}


def index_size(site: Path, engine: str) -> int:
    """Bytes of the whole search index on disk."""
    folder = site / ("search" if engine.startswith("material") else "pagefind")
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.name.endswith((".js", ".css")))


# Pagefind engines: (article as body with links, tags, "when not to use" and sources left out; in_their_words in the
# page and the title weighed up; one search per word summed; synonyms added), so each change shows its worth.
PAGEFIND = {
    "pagefind": (False, False, False, False),
    "pagefind-syn": (False, False, False, True),
    "pagefind-or": (False, False, True, False),
    "pagefind-body": (True, False, False, False),
    "pagefind-body-or": (True, False, True, False),
    "pagefind-words": (True, True, False, False),
    "pagefind-words-or": (True, True, True, False),
    "pagefind-words-syn": (True, True, False, True),
    "pagefind-tuned": (True, True, True, True),
    "pagefind-more-words": (True, True, True, True),
}
ENGINES = ["shipped", "material", "material-tuned", *PAGEFIND]
DEFAULT_ENGINES = ["shipped", "material", "material-tuned"]


def prepare(engine: str, built: Path, work: Path, weights: tuple[float, float], evals: list[dict[str, str]]) -> Path:
    """The copy of the built site this engine searches, indexed and tuned as its name says."""
    if engine == "shipped":
        return built  # searched as the build wrote it
    site = work / engine
    if site.exists():
        shutil.rmtree(site)
    if engine.startswith("material"):
        built = material_site(work)
    shutil.copytree(built, site)
    if engine == "material-tuned":
        tune_lunr_index(site, REPO / "data")
    elif engine.startswith("pagefind"):
        body, words = PAGEFIND[engine][:2]
        more: dict[str, list[str]] = {}
        if engine == "pagefind-more-words":  # each play's first eval sentence joins its in_their_words
            for item in evals[0::2]:
                more.setdefault(item["expect"], []).append(item["q"])
        if body:
            tune_pagefind_site(site, REPO / "data", title_weight=weights[0], words_weight=weights[1], words=words,
                               more_words=more)
        run_pagefind(site)
    return site


def build(source: Path, out: Path) -> bool:
    """`mkdocs build` of a playbook folder into out; False (its errors printed) if it fails."""
    if out.exists():
        shutil.rmtree(out)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    done = subprocess.run([str(REPO / ".venv" / "bin" / "mkdocs"), "build", "-q", "-d", str(out)], cwd=source, env=env)
    if done.returncode == 0:
        print(f"built {source.name} in {time.perf_counter() - started:.1f} s")
    return done.returncode == 0


def material_site(work: Path) -> Path:
    """This playbook built with Material's search plugin and Material's own header (with its search box), once."""
    out = work / "built-material"
    if (out / "search" / "search_index.json").is_file():
        return out
    source = work / "material-playbook"
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir()
    for name in ("mkdocs.yml", "content", "data", "macros", "CONTRIBUTING.md", "ADOPTING.md"):
        src = REPO / name
        if src.exists():
            (shutil.copytree if src.is_dir() else shutil.copy)(src, source / name)
    config = source / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if "\nplugins:\n" not in text or "\ntheme:\n" not in text:
        raise SystemExit("search_quality: mkdocs.yml needs top-level `theme:` and `plugins:` for Material's search")
    text = text.replace("\nplugins:\n", "\nplugins:\n  - search\n", 1)
    # Material's header in the playbook's own custom_dir, which comes before the generator's theme (its header holds
    # the generator's search box): the playbook's folder if mkdocs.yml names one, else an overrides/ folder added.
    own = re.search(r"^  custom_dir: *['\"]?([^'\"#\s]+)", text, re.MULTILINE)
    overrides = source / (own.group(1) if own else "overrides")
    if own and (REPO / own.group(1)).is_dir():
        shutil.copytree(REPO / own.group(1), overrides)
    elif not own:
        text = text.replace("\ntheme:\n", "\ntheme:\n  custom_dir: overrides\n", 1)
    config.write_text(text, encoding="utf-8")
    import material

    header = Path(material.__file__).parent / "templates" / "partials" / "header.html"
    (overrides / "partials").mkdir(parents=True, exist_ok=True)
    shutil.copy(header, overrides / "partials" / "header.html")
    if not build(source, out):
        raise SystemExit("search_quality: the playbook with Material's search did not build (errors above)")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", type=Path, default=REPO / "tests" / "content" / "search_eval.yaml",
                    help="reader sentences and the play each expects (default tests/content/search_eval.yaml)")
    ap.add_argument("--only", nargs="+", choices=ENGINES, metavar="ENGINE",
                    help=f"engines to run (default {', '.join(DEFAULT_ENGINES)}; all: {', '.join(ENGINES)})")
    ap.add_argument("--keep", type=Path, help="build into this folder and keep it")
    ap.add_argument("--built", type=Path, help="search this already built site instead of building one")
    ap.add_argument("--title-weight", type=float, default=10.0, help="Pagefind weight of a play's title (default 10)")
    ap.add_argument("--words-weight", type=float, default=8.0,
                    help="Pagefind weight of a play's in_their_words phrases (default 8)")
    ap.add_argument("--coord", type=float, default=2.0,
                    help="how much holding more of the words counts, in the per-word engines (default 2)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    evals = yaml.safe_load(args.eval.read_text(encoding="utf-8"))
    engines = args.only or DEFAULT_ENGINES
    if any(e.startswith("pagefind") for e in engines) and importlib.util.find_spec("pagefind_bin") is None:
        print("search_quality: Pagefind is not installed: .venv/bin/pip install 'pagefind[bin]~=1.5'", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="playbook-search-quality-"))
    work.mkdir(parents=True, exist_ok=True)
    built = args.built or work / "built"
    if not args.built and not build(REPO, built):
        print("search_quality: the playbook did not build (its errors are above); fix them and run again",
              file=sys.stderr)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        return 1
    print(f"{len(evals)} reader sentences; 'first' halves (the 1st of each play's pair) and 'second' reported apart")
    results = {}
    sizes = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for engine in engines:
            site = prepare(engine, built, work, (args.title_weight, args.words_weight), evals)
            sizes[engine] = index_size(site, engine)
            results[engine] = measure(browser, site, engine, evals, args.coord)
        browser.close()
    n = len(evals)
    print(f"\n{'engine':<20}{'top-1':>10}{'top-3':>10}{'1st':>5}{'2nd':>5}{'index KB':>9}{'on load KB':>13}"
          f"{'1st query':>10}{'next/query':>11}{'max':>5}{'ms':>5}")
    for engine, r in results.items():
        top3 = [x is not None and x <= 3 for x in r["ranks"]]
        top1 = sum(1 for x in r["ranks"] if x == 1)
        per, load = r["per_query"], r["before"]
        rest = per[1:] or [0]
        print(f"{engine:<20}{top1:>4} {top1 / n:>4.0%}{sum(top3):>4} {sum(top3) / n:>4.0%}"
              f"{sum(top3[0::2]):>5}{sum(top3[1::2]):>5}{sizes[engine] / 1024:>9.0f}"
              f"{load[0] / 1024:>7.0f} +{load[1] / 1024:>4.0f}{per[0] / 1024:>10.0f}"
              f"{sum(rest) / len(rest) / 1024:>11.1f}{max(rest) / 1024:>5.0f}{r['ms']:>5.0f}")
    print(f"(of {n} sentences; 1st/2nd: top-3 on the first and the second sentence of each play, {n // 2} each; "
          f"KB fetched by the scenario page: on load = index + search code before any query, then by the 1st query "
          f"and, mean and max, by each later one; ms: median time to read a query's results, Material's includes "
          f"a 150 ms wait for the list to render)")
    for engine, r in results.items():
        print(f"\n{engine}: {len(r['misses'])} not in the top 3")
        for query, expect, rank, got in r["misses"]:
            where = f"#{rank}" if rank else f"not in the first {SHOWN} results"
            print(f"  {query!r} -> want {expect} ({where}); got {', '.join(got) or 'nothing'}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
