"""Bytes a page fetches when it loads, ours beside stock MkDocs Material, in Chromium, served as GitHub Pages serves.

Takes two built sites, for example the pair that `bench/user_bench.py --scenarios 0 --repeat 1 --no-profile --keep
DIR` leaves in DIR/site-ours and DIR/site-baseline (the same text, ours and plain Material). Each page is opened in a
fresh Chromium page; the figure is the sum of every response's encoded length (what crossed the network, after gzip)
until the network is idle, and the files whose name says search or pagefind are listed, so a page that fetches
search data before anyone searches shows it.

    python bench/page_weight.py OURS_SITE STOCK_SITE [--pages "",scenarios/<id>/]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lighthouse_bench import CHROME, _Host  # noqa: E402  (the same gzip host as the Lighthouse bench)

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def fetched(site: Path, path: str) -> tuple[int, list[str]]:
    """Encoded bytes and file names a page fetches on load."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Host, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    seen = {"bytes": 0, "files": []}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROME, args=FLAGS)
            page = browser.new_page()
            cdp = page.context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.on("Network.loadingFinished", lambda e: seen.__setitem__("bytes", seen["bytes"] + e["encodedDataLength"]))
            cdp.on("Network.responseReceived", lambda e: seen["files"].append(e["response"]["url"].rsplit("/", 1)[-1]))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{path}", wait_until="networkidle")
            page.wait_for_timeout(1500)  # anything a script fetches late, as Material's search worker does
            browser.close()
    finally:
        server.shutdown()
    return seen["bytes"], seen["files"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ours", type=Path)
    ap.add_argument("stock", type=Path)
    ap.add_argument("--pages", default=",scenarios/", help="comma-separated paths; a folder path takes its first page")
    args = ap.parse_args()
    rows = []
    for raw in args.pages.split(","):
        path = raw
        if raw.endswith("/") and raw and not (args.ours / raw / "index.html").is_file():
            first = sorted(p for p in (args.ours / raw).iterdir() if (p / "index.html").is_file())
            path = f"{raw}{first[0].name}/" if first else raw
        ours, ours_files = fetched(args.ours, path)
        stock, stock_files = fetched(args.stock, path)
        searchy = [f for f in ours_files if "pagefind" in f or "search_index" in f]
        rows.append((path or "/", ours, stock, searchy, [f for f in stock_files if "search" in f]))
    print(f"{'page':45} {'ours KB':>8} {'stock KB':>9} {'ratio':>6}  search data on load (ours | stock)")
    for path, ours, stock, searchy, stock_search in rows:
        print(f"{path:45} {ours / 1024:8.1f} {stock / 1024:9.1f} {ours / stock:6.2f}  {searchy or 'none'} | "
              f"{stock_search or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
