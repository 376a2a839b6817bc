"""Edit-to-visible benchmark: `mkdocs serve --dirty` (what `make serve` runs) on a playbook of N scenarios.

Starts the server on a free 127.0.0.1 port in a temporary copy (the shipped playbook plus N generated scenarios,
as bench/user_bench.py makes it), waits for the first build, then --repeat times changes one scenario's title
and measures the time until its page shows the new title, and until the scenario index does too.

    python bench/edit_bench.py [--scenarios 1000] [--repeat 3] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from user_bench import make_playbook  # noqa: E402


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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", type=int, default=1000, help="generated scenarios (default 1000)")
    ap.add_argument("--repeat", type=int, default=3, help="edits, median kept (default 3)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = ap.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="playbook-edit-bench-")).resolve()
    root = work / "playbook"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    make_playbook(root, args.scenarios)
    record = sorted((root / "data" / "scenarios").glob("*.yaml"))[len(list((root / "data" / "scenarios").glob("*"))) // 2]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    page = f"{base}scenarios/{record.stem}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = (work / "serve.log").open("w")
    started = time.perf_counter()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "mkdocs"), "serve", "--dirty", "--dev-addr",
                             f"127.0.0.1:{port}"], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    page_times, index_times, cpu_times = [], [], []
    try:
        _until(page, "<h1", 600, poll=0.5)
        print(f"{args.scenarios} scenarios: first build served after {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
        original = record.read_text(encoding="utf-8")
        title = next(line[7:] for line in original.splitlines() if line.startswith("title: "))
        for i in range(args.repeat):
            time.sleep(2)  # let the watcher settle
            new = f"{title} edited {i}"
            cpu = _cpu(proc.pid)
            record.write_text(original.replace(f"title: {title}", f"title: {new}", 1), encoding="utf-8")
            edited = time.perf_counter()
            _until(page, new, 120)
            page_times.append(time.perf_counter() - edited)
            _until(f"{base}scenarios/", new, 120)
            index_times.append(time.perf_counter() - edited)
            time.sleep(1.5)  # the rebuild's tail (search index, playbook.json) counts as its CPU time too
            cpu_times.append(_cpu(proc.pid) - cpu)
            print(f"edit {i + 1}: page {page_times[-1]:.2f} s, index {index_times[-1]:.2f} s, "
                  f"server CPU {cpu_times[-1]:.2f} s", file=sys.stderr)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
    print(f"edit-to-visible at {args.scenarios} scenarios, median of {args.repeat}: "
          f"page {statistics.median(page_times):.2f} s, scenario index {statistics.median(index_times):.2f} s "
          f"(server CPU per edit {statistics.median(cpu_times):.2f} s; load average {os.getloadavg()[0]:.1f})")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
