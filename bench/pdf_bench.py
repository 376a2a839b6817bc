"""Checklist PDF benchmark: cold rendering of every print sheet of a playbook, as the site build does it.

Each run is a fresh process with an empty cache: it loads the playbook, then times `site_exports` (which imports
WeasyPrint, renders every checklist on A4 and US Letter, and writes them out). The figure is the median of
--repeat runs, with the CPU time it took across all processes. --baseline times another source tree on the same
playbook too: a folder holding `src/playbook`, or a git revision of this repository (read with `git archive`),
from before the package's stage folders (e.g. 114e2e8) or after.

    python bench/pdf_bench.py [--root DIR] [--repeat 3] [--workers N] [--baseline DIR_OR_REVISION]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Run in the fresh process, with the tree's src/ first on sys.path: argv is root, output folder, workers.
RUN = """
import importlib.util, inspect, json, resource, sys, time
from pathlib import Path
if importlib.util.find_spec("playbook.sheets"):  # the package in stage folders (core/, records/, sheets/, ...)
    from playbook.sheets import export
    from playbook.records.pipeline import validated_playbook as load_playbook
    from playbook.core.settings import load_settings
else:  # a tree from before them, e.g. 114e2e8: one flat package
    from playbook import export
    from playbook.model import load_playbook
    from playbook.settings import load_settings
root, out, workers = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
pb, settings = load_playbook(root), load_settings(root)
extra = {"workers": workers} if "workers" in inspect.signature(export.site_exports).parameters else {}
def cpu():
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)
cpu0, start = cpu(), time.perf_counter()
export.site_exports(pb, out / "site", out / "cache", settings=settings, **extra)
seconds = time.perf_counter() - start
peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"seconds": seconds, "cpu": cpu() - cpu0, "sheets": len(list((out / "site").rglob("*.pdf"))),
                  "workers": extra.get("workers", 1), "peak_mib": peak / 1024}))
"""


def cold_run(tree: Path, root: Path, workers: int) -> dict:
    """One fresh process rendering every sheet of root with the playbook package of tree, into an empty cache."""
    with tempfile.TemporaryDirectory(prefix="playbook-pdf-bench-") as out:
        env = {**os.environ, "PYTHONPATH": str(tree / "src")}
        result = subprocess.run([sys.executable, "-c", RUN, str(root), out, str(workers)], env=env,
                                capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"rendering with {tree} failed:\n{result.stderr.strip()}")
    return json.loads(result.stdout.splitlines()[-1])


def baseline_tree(spec: str, work: Path) -> Path:
    """A folder as given, or a git revision of this repository unpacked into work."""
    if Path(spec).is_dir():
        return Path(spec).resolve()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", spec, "src"], capture_output=True)
    if archive.returncode != 0:
        raise SystemExit(f"--baseline {spec!r} is neither a folder nor a git revision of {REPO}")
    archive_path = work / "baseline.tar"
    archive_path.write_bytes(archive.stdout)
    with tarfile.open(archive_path) as tar:
        tar.extractall(work / "baseline", filter="data")
    return work / "baseline"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", type=Path, default=REPO, help="the playbook to render (default: this repository's)")
    ap.add_argument("--repeat", type=int, default=3, help="fresh processes per tree, median kept (default 3)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="processes rendering sheets, where the tree supports it (default: the CPU count)")
    ap.add_argument("--baseline", help="also time this source tree: a folder, or a git revision (e.g. HEAD)")
    args = ap.parse_args()
    root = args.root.resolve()
    with tempfile.TemporaryDirectory(prefix="playbook-pdf-bench-") as work:
        trees = {"this tree": REPO}
        if args.baseline:
            trees[f"baseline {args.baseline}"] = baseline_tree(args.baseline, Path(work))
        print(f"cold render of every sheet of {root}, {os.cpu_count()} CPUs, median of {args.repeat} fresh "
              f"processes each (peak: the largest process)", file=sys.stderr)
        runs: dict[str, list[dict]] = {name: [] for name in trees}
        for _ in range(args.repeat):  # interleaved, so a busy spell on the machine hits both trees alike
            for name, tree in trees.items():
                runs[name].append(cold_run(tree, root, args.workers))
    print(f"{'tree':<22}{'sheets':>7}{'workers':>8}{'wall (s)':>10}{'cpu (s)':>9}{'per sheet (ms)':>16}"
          f"{'peak MiB':>10}")
    medians = {}
    for name, results in runs.items():
        wall = medians[name] = statistics.median(r["seconds"] for r in results)
        cpu = statistics.median(r["cpu"] for r in results)
        sheets = results[0]["sheets"]
        peak = statistics.median(r["peak_mib"] for r in results)  # the largest single process
        print(f"{name:<22}{sheets:>7}{results[0]['workers']:>8}{wall:>10.2f}{cpu:>9.2f}"
              f"{1000 * wall / max(sheets, 1):>16.0f}{peak:>10.0f}")
    if len(medians) == 2:
        ours, base = medians.values()
        print(f"speed-up: {base / ours:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
