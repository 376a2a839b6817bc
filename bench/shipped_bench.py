"""Before and after, on this repository's own playbook: `mkdocs build` of two git revisions, cold and warm.

Each revision is unpacked (`git archive`) into its own folder and built there with its own `src/` first on
PYTHONPATH and its own hooks, templates and content: a cold build (an empty build cache, so every page and PDF is made),
then a warm one. The revisions alternate, --rounds times; the medians are printed. Used to show that a change
makes nothing slower on the shipped content.

    python bench/shipped_bench.py --baseline REV [--revision HEAD] [--rounds 3]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def unpack(revision: str, work: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision], capture_output=True)
    if archive.returncode != 0:
        raise SystemExit(f"{revision!r} is not a git revision of {REPO}: {archive.stderr.decode().strip()}")
    folder = work / f"tree-{len(list(work.iterdir()))}"
    folder.mkdir()
    (work / "tree.tar").write_bytes(archive.stdout)
    with tarfile.open(work / "tree.tar") as tar:
        tar.extractall(folder, filter="data")
    (work / "tree.tar").unlink()
    return folder


def build(tree: Path, site: Path) -> float:
    # Each tree's build cache beside it, never the user's own (older revisions keep theirs in tree/.cache).
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "NO_MKDOCS_2_WARNING": "1",
           "XDG_CACHE_HOME": str(tree.parent / f"cache-{tree.name}")}
    for name in ("GITHUB_REPOSITORY", "GITHUB_SERVER_URL", "PLAYBOOK_SITE_URL"):
        env.pop(name, None)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=tree, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"the build of {tree} failed:\n{result.stderr.strip()[-2000:]}")
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", required=True, help="the revision to compare with (e.g. HEAD~3)")
    ap.add_argument("--revision", default="HEAD", help="the revision measured (default HEAD)")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds, median kept (default 3)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="playbook-shipped-bench-") as scratch:
        work = Path(scratch)
        trees = {name: unpack(rev, work) for name, rev in (("baseline", args.baseline), ("revision", args.revision))}
        times: dict[tuple[str, str], list[float]] = {}
        for round_ in range(1, args.rounds + 1):
            line = []
            for name, tree in trees.items():
                shutil.rmtree(tree / ".cache", ignore_errors=True)
                shutil.rmtree(tree.parent / f"cache-{tree.name}", ignore_errors=True)
                for kind in ("cold", "warm"):
                    seconds = build(tree, work / f"site-{name}")
                    times.setdefault((name, kind), []).append(seconds)
                    line.append(f"{name} {kind} {seconds:.2f} s")
            print(f"round {round_}: " + ", ".join(line), flush=True)
    labels = {"baseline": args.baseline, "revision": args.revision}
    print(f"\nshipped playbook, median of {args.rounds} alternating rounds")
    print(f"{'build':28} {'cold (s)':>9} {'warm (s)':>9}")
    for name, label in labels.items():
        print(f"{name + ' ' + label:28} {statistics.median(times[name, 'cold']):9.2f} "
              f"{statistics.median(times[name, 'warm']):9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
