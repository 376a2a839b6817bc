"""Lighthouse on the built site: performance, accessibility, best practices and SEO of four kinds of page.

Builds a playbook (this repository's, or `--root DIR`) into a temporary folder, serves it on 127.0.0.1 as GitHub
Pages would (text gzipped, a 10-minute cache) and runs npm's Lighthouse (a dev dependency: `npm ci`) with Debian's
Chromium, headless, on the home page, a scenario, a checklist and the agenda (each when the site has one), with
Lighthouse's mobile form factor and throttling. Prints one row per page with the four scores, and under it every
audit that cost a category points, so a score below target says what to fix. Targets: performance >= 90, the
other three 100; exit 1 below them.

    python bench/lighthouse_bench.py [--root DIR] [--site BUILT] [--runs N] [--pages home,...] [--keep DIR]
                                     [--desktop]

One Lighthouse run takes 10-30 s here; `--runs N` runs each page N times and keeps the median score. Performance
depends on the machine's load: on a busy machine run it again before believing a low score.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
         "--disable-sync --no-first-run")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}


COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".md", ".pagefind", ".pf_meta"}


class _Host(http.server.SimpleHTTPRequestHandler):
    """The built site as GitHub Pages serves it: text gzipped when the browser accepts it (http.server alone sends
    every byte raw, which Lighthouse would score as the site's cost)."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def build(root: Path, out: Path) -> None:
    """The playbook at `root` built into `out` by the venv's MkDocs."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([str(REPO / ".venv" / "bin" / "mkdocs"), "build", "-q", "-f", str(root / "mkdocs.yml"),
                           "-d", str(out)], cwd=root, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"build failed:\n{done.stdout}{done.stderr}")


def pages(site: Path) -> dict[str, str]:
    """The page of each kind to measure, by site path (the first record of each kind, by id)."""
    found = {"home": ""}
    for name, folder in (("scenario", "scenarios"), ("checklist", "checklists")):
        ids = sorted(p.parent.name for p in (site / folder).glob("*/index.html"))
        if ids:
            found[name] = f"{folder}/{ids[0]}/"
    if (site / "agenda" / "index.html").is_file():
        found["agenda"] = "agenda/"
    return found


def lighthouse(url: str, out: Path, desktop: bool) -> dict:
    """One Lighthouse run on `url`: its JSON report."""
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={FLAGS}"]
    if desktop:
        command.append("--preset=desktop")
    done = subprocess.run(command, env=dict(os.environ, CHROME_PATH=CHROME), capture_output=True, text=True)
    if done.returncode or not out.is_file():
        sys.exit(f"lighthouse failed on {url}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def scores(report: dict) -> dict[str, int]:
    """Each category's score out of 100."""
    return {c: round((report["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}


def losses(report: dict) -> list[str]:
    """Every weighted audit that did not pass, with its category and what it measured."""
    lines = []
    for c in CATEGORIES:
        for ref in report["categories"][c]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                shown = audit.get("displayValue") or ""
                lines.append(f"{c}: {ref['id']} {audit['score']:.2f} {shown}".rstrip())
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO, help="the playbook to build (its mkdocs.yml's folder)")
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page; the median score is kept")
    parser.add_argument("--keep", type=Path, help="keep the JSON reports in this folder")
    parser.add_argument("--pages", help="only these pages, e.g. home,agenda (default: all four)")
    parser.add_argument("--desktop", action="store_true", help="Lighthouse's desktop preset instead of mobile")
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        sys.exit("Lighthouse is missing: run `npm ci` in the repository first")
    work = Path(tempfile.mkdtemp(prefix="pb-lighthouse-"))
    try:
        site = args.site or work / "site"
        if not args.site:
            build(args.root.resolve(), site)
        reports = args.keep or work / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Host, directory=str(site)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        print(f"{'page':<10} {'path':<34} " + " ".join(f"{c:>14}" for c in CATEGORIES))
        below = False
        wanted = set(args.pages.split(",")) if args.pages else None
        for name, path in pages(site).items():
            if wanted is not None and name not in wanted:
                continue
            runs = [lighthouse(base + path, reports / f"{name}-{i}.json", args.desktop) for i in range(args.runs)]
            median = {c: int(statistics.median(scores(r)[c] for r in runs)) for c in CATEGORIES}
            below |= any(median[c] < TARGET[c] for c in CATEGORIES)
            print(f"{name:<10} {('/' + path)[:34]:<34} " + " ".join(f"{median[c]:>14}" for c in CATEGORIES))
            for line in losses(runs[-1]):
                print(f"    {line}")
        httpd.shutdown()
        return 1 if below else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
