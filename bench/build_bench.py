"""Build benchmark: a generated playbook of N scenarios, built by our generator and by plain MkDocs.

Both builds run in the same run, one after the other, each in its own process, so the figures compare as
ratios on a noisy machine. The baseline is plain MkDocs with the same theme (Material with the generator's
template overrides, src/playbook/theme, as its custom_dir), search and tags, building the very same pages written
out as hand-written Markdown files (no playbook plugin, no macros, no validation).

    python bench/build_bench.py [--scenarios 1000] [--repeat 1] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

import playbook  # noqa: E402
from playbook.records.pipeline import validated_playbook  # noqa: E402
from playbook.site.render import record_pages  # noqa: E402
from playbook.core.settings import load_settings  # noqa: E402

THEME = Path(playbook.__file__).resolve().parent / "theme"  # the templates the plugin puts before Material's


def make_playbook(dest: Path, n: int) -> None:
    """Copy the shipped playbook and add n scenarios made from the shipped ones."""
    for name in ("mkdocs.yml", "content", "data", "macros", "CONTRIBUTING.md", "ADOPTING.md"):
        src = REPO / name
        if src.exists():
            (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / name)
    scenarios = sorted((REPO / "data" / "scenarios").glob("*.yaml"))
    texts = [p.read_text(encoding="utf-8") for p in scenarios]
    for i in range(n):
        base = yaml.safe_load(texts[i % len(texts)])
        base["title"] = f"{base['title']} (variant {i})"
        base["situation"] = f"{base['situation']} Case {i}."[:200]
        # A search phrase leads to one play (scenario.in-their-words-unique): each copy gets its own.
        base["in_their_words"] = [f"{p} case {i}" for p in base.get("in_their_words", [])]
        (dest / "data" / "scenarios" / f"generated-{i:05d}.yaml").write_text(
            yaml.safe_dump(base, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")


def make_baseline(playbook: Path, dest: Path) -> None:
    """The same pages as plain Markdown files under a plain MkDocs config (same theme, search, tags)."""
    docs = dest / "docs"
    shutil.copytree(playbook / "content", docs)
    pb = validated_playbook(playbook)
    for page in record_pages(pb, load_settings(playbook).strings):
        target = docs / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.html, encoding="utf-8")
    config = yaml.safe_load((playbook / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("hooks", None)
    config["plugins"] = ["search", "tags"]  # neither the playbook plugin nor macros
    config["docs_dir"] = "docs"
    config.pop("watch", None)
    # The generator's templates, which its plugin adds after the playbook's own custom_dir: here one folder with the
    # playbook's overrides (if it has any) copied over them, so the same template wins as in our build.
    theme = dest / "theme"
    shutil.copytree(THEME, theme)
    own = config["theme"].get("custom_dir")
    if own:
        shutil.copytree(playbook / own, theme, dirs_exist_ok=True)
    config["theme"]["custom_dir"] = "theme"
    config["validation"] = {"nav": {"omitted_files": "ignore"}, "links": {"unrecognized_links": "ignore"}}
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    # Pages that call macros are kept as they are: plain MkDocs shows the call as text, same page count.


def timed_build(cwd: Path, site: Path) -> tuple[float, int, int]:
    """Wall time (s), peak memory (KiB) of the build process, and output size (bytes)."""
    # The build cache of this run, beside its sites (removed with them), never the user's own.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "XDG_CACHE_HOME": str(site.parent / "cache")}
    mkdocs = Path(sys.executable).parent / "mkdocs"
    start = time.perf_counter()
    proc = subprocess.Popen([str(mkdocs), "build", "--quiet", "-d", str(site)], cwd=cwd, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed in {cwd}")
    size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    return elapsed, usage.ru_maxrss, size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", type=int, default=1000, help="generated scenarios (default 1000)")
    ap.add_argument("--repeat", type=int, default=1, help="builds of each, best time kept (default 1)")
    ap.add_argument("--keep", type=Path, help="keep the generated playbooks in this folder")
    args = ap.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="playbook-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    ours, base = work / "playbook", work / "baseline"
    for d in (ours, base):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir()
    print(f"generating {args.scenarios} scenarios in {work} ...", file=sys.stderr)
    make_playbook(ours, args.scenarios)
    make_baseline(ours, base)
    pages = sum(1 for _ in (base / "docs").rglob("*.md"))
    print(f"{pages} pages; warming the export cache ...", file=sys.stderr)
    timed_build(ours, work / "site-warmup")
    results = {"playbook": [], "plain mkdocs": []}
    for _ in range(args.repeat):
        results["plain mkdocs"].append(timed_build(base, work / "site-baseline"))
        results["playbook"].append(timed_build(ours, work / "site-playbook"))
    best = {name: min(runs) for name, runs in results.items()}
    print(f"{'build':<14}{'time (s)':>10}{'peak MiB':>10}{'output MiB':>12}")
    for name, (t, mem, size) in best.items():
        print(f"{name:<14}{t:>10.2f}{mem / 1024:>10.0f}{size / 2**20:>12.1f}")
    (t1, m1, s1), (t0, m0, s0) = best["playbook"], best["plain mkdocs"]
    print(f"ratio playbook / plain mkdocs: time {t1 / t0:.2f}x, peak memory {m1 / m0:.2f}x, output {s1 / s0:.2f}x")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
