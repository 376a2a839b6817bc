"""Edit-to-visible benchmark: `mkdocs serve --dirty` (what `make serve` runs) on a playbook of N scenarios.

Starts the server on a free 127.0.0.1 port in a temporary copy (the shipped playbook plus N generated scenarios,
as bench/user_bench.py makes it), waits for the first build, then --repeat times changes one scenario's title
and measures the time until its page shows the new title, and until the scenario index does too. A page is
served only once the rebuild is complete, so this is the time until a reloaded browser shows the edit.

With --plain it does the same, edit for edit in alternation, on plain MkDocs Material serving the same text as
plain Markdown pages (bench/user_bench.py's baseline, which has no index page): the floor MkDocs itself sets.
The server's CPU time per edit and its memory are shown too: memory must not grow edit after edit.

    python bench/edit_bench.py [--scenarios 1000] [--repeat 3] [--plain] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from user_bench import make_baseline, make_playbook  # noqa: E402


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return ""


def _until(url: str, text: str, timeout: float, poll: float = 0.02) -> float:
    """Seconds until `text` appears at `url` (raises on timeout)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in _get(url):
            return time.perf_counter() - start
        time.sleep(poll)
    raise SystemExit(f"{text!r} never showed at {url} within {timeout} s")


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far: the server's own work, whatever the machine's load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss(pid: int) -> float:
    """The server's resident memory in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Site:
    """One server under test: where it runs, the file edited, how its title line reads, and what was measured."""

    name: str
    root: Path
    record: Path
    title_line: str  # a format string for the record's title line, e.g. "title: {}"
    index: str | None  # the page that lists the record, if the site has one
    proc: subprocess.Popen | None = None
    base: str = ""
    original: str = ""
    title: str = ""
    page: list[float] = field(default_factory=list)
    listed: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    memory: list[float] = field(default_factory=list)

    def start(self, log: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}/"
        # The build cache beside the generated playbook (removed with it), never the user's own.
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "XDG_CACHE_HOME": str(self.root.parent / "cache")}
        self.proc = subprocess.Popen([str(Path(sys.executable).parent / "mkdocs"), "serve", "--dirty", "--dev-addr",
                                      f"127.0.0.1:{port}"], cwd=self.root, env=env,
                                     stdout=log.open("w"), stderr=subprocess.STDOUT)
        started = time.perf_counter()
        _until(self.url, "<h1", 600, poll=0.5)
        print(f"{self.name}: first build served after {time.perf_counter() - started:.1f} s", file=sys.stderr)
        self.original = self.record.read_text(encoding="utf-8")
        pattern = re.escape(self.title_line).replace(re.escape("{}"), "(.*)")
        self.title = re.search(f"^{pattern}$", self.original, re.M).group(1)

    @property
    def url(self) -> str:
        return f"{self.base}scenarios/{self.record.stem}/"

    def edit(self, i: int) -> None:
        assert self.proc is not None
        new = f"{self.title} edited {i}"
        cpu = _cpu(self.proc.pid)
        self.record.write_text(self.original.replace(self.title_line.format(self.title),
                                                     self.title_line.format(new), 1), encoding="utf-8")
        edited = time.perf_counter()
        self.page.append(_until(self.url, new, 120))
        if self.index:
            _until(self.base + self.index, new, 120)
            self.listed.append(time.perf_counter() - edited)
        time.sleep(1.5)  # the rebuild's tail (search index, playbook.json) counts as its CPU time too
        self.cpu.append(_cpu(self.proc.pid) - cpu)
        self.memory.append(_rss(self.proc.pid))
        listed = f", index {self.listed[-1]:.2f} s" if self.index else ""
        print(f"{self.name} edit {i + 1}: page {self.page[-1]:.2f} s{listed}, server CPU {self.cpu[-1]:.2f} s, "
              f"memory {self.memory[-1]:.0f} MB", file=sys.stderr)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", type=int, default=1000, help="generated scenarios (default 1000)")
    ap.add_argument("--repeat", type=int, default=3, help="edits, median kept (default 3)")
    ap.add_argument("--plain", action="store_true", help="also measure plain MkDocs Material on the same text")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = ap.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="playbook-edit-bench-")).resolve()
    root = work / "playbook"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    make_playbook(root, args.scenarios)
    scenarios = sorted((root / "data" / "scenarios").glob("*.yaml"))
    record = scenarios[len(scenarios) // 2]
    sites = [Site("ours", root, record, "title: {}", "scenarios/")]
    if args.plain:
        plain = work / "plain"
        shutil.rmtree(plain, ignore_errors=True)
        make_baseline(root, plain)
        sites.append(Site("plain mkdocs", plain, plain / "docs" / "scenarios" / f"{record.stem}.md", "# {}", None))
    try:
        for site in sites:
            site.start(work / f"serve-{site.name.replace(' ', '-')}.log")
        time.sleep(5)  # let the servers settle (ours checks the whole playbook once in the background)
        for i in range(args.repeat):
            for site in sites:
                time.sleep(2)  # let the watcher settle
                site.edit(i)
    finally:
        for site in sites:
            site.stop()
    print(f"edit-to-visible at {args.scenarios} scenarios, median of {args.repeat} (load average "
          f"{os.getloadavg()[0]:.1f}):")
    print(f"{'site':<14}{'page s':>8}{'index s':>9}{'server CPU s':>14}{'memory MB first/last':>22}")
    for site in sites:
        listed = f"{statistics.median(site.listed):>9.2f}" if site.listed else f"{'-':>9}"
        print(f"{site.name:<14}{statistics.median(site.page):>8.2f}{listed}{statistics.median(site.cpu):>14.2f}"
              f"{site.memory[0]:>14.0f} / {site.memory[-1]:.0f}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
