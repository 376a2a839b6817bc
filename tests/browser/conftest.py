"""Real-browser fixtures: the shipped site built once, served on 127.0.0.1, and one Chromium per session.

Without Chromium, the playwright package or axe-core the tests skip with the reason; with
REQUIRE_BROWSER=1 (CI) a missing piece is a failure instead, so a broken CI image cannot pass quietly.
"""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("PLAYBOOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
RESULTS = REPO / "test-results"
HOST = "127.0.0.1"
VIEWPORT = {"width": 1280, "height": 900}


def unavailable(reason: str) -> None:
    """Skip the test for a missing browser piece, or fail it when REQUIRE_BROWSER=1."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1 makes this a failure, not a skip)", pytrace=False)
    pytest.skip(f"{reason}; browser tests skipped (set REQUIRE_BROWSER=1 to fail instead)")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped playbook built once with `mkdocs build --strict` into a temporary directory."""
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], str]]:
    """Serve a built site with a threaded http.server on a free port of 127.0.0.1; stopped at session end."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = http.server.ThreadingHTTPServer((HOST, 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, name="site-server", daemon=True).start()
        servers.append(server)
        return f"http://{HOST}:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def base_url(site_dir: Path, serve: Callable[[Path], str]) -> str:
    """The repository's built site, served."""
    return serve(site_dir)


@pytest.fixture(scope="session")
def mini_url(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> str:
    """The engine tests' own small playbook (tests/playbooks/mini, with hand-written pages of its own), built and
    served: for what the repository's playbook may not show, such as a word in inline code."""
    sys.path.insert(0, str(REPO / "tests"))
    from support import PLAYBOOKS, assemble, build

    root = assemble(tmp_path_factory.mktemp("mini-site"), PLAYBOOKS / "mini")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return serve(root / "site")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the whole session (never a Playwright-downloaded browser)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright Python package is not installed (pip install -e '.[test]')")
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set PLAYBOOK_CHROMIUM)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's browser bundle from the npm dev dependency (`npm ci`)."""
    if not AXE.is_file():
        unavailable(f"axe-core is not installed at {AXE.relative_to(REPO)} (run `npm ci`)")
    return AXE


@pytest.fixture(scope="session")
def requests_seen() -> list[tuple[str, str]]:
    """(request URL, page URL) of every request any page of any test context made, for the privacy check."""
    return []


@pytest.fixture(scope="session")
def new_context(browser: Any, base_url: str, requests_seen: list[tuple[str, str]]) -> Iterator[Callable[..., Any]]:
    """Make a browser context on the local site whose requests are all recorded; closed at session end."""
    contexts: list[Any] = []

    def record(request: Any) -> None:
        try:
            page_url = request.frame.url
        except Exception:  # requests of workers have no frame
            page_url = ""
        requests_seen.append((request.url, page_url))

    def make(color_scheme: str = "light", **options: Any) -> Any:
        options.setdefault("base_url", base_url)  # another served site (mini_url) may be asked for
        context = browser.new_context(color_scheme=color_scheme, viewport=VIEWPORT, reduced_motion="reduce", **options)
        context.on("request", record)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., Any]) -> Iterator[Any]:
    """A page in a fresh light-palette context (empty localStorage), closed after the test."""
    context = new_context()
    yield context.new_page()
    context.close()

