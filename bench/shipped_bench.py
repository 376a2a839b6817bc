"""Before and after, on this repository's own playbook: `mkdocs build` of two source trees, cold and warm.

Each tree (a git revision unpacked with `git archive`, or a copy of a folder: by default the working tree with its
uncommitted changes) is built in its own folder with its own `src/` first on PYTHONPATH and its own mkdocs.yml,
templates and content: a cold build (an empty build cache, so every page and PDF is made), then a warm one. The trees
alternate, --rounds times; the medians are printed. Used to show that a change makes nothing slower on the shipped
content.

Any revision builds, whether its generator runs as `hooks: - macros/hooks.py` (before the plugin, e.g. 114e2e8) or
as the `playbook` plugin: MkDocs finds a plugin through installed entry points, so each tree's own
`[project.entry-points."mkdocs.plugins"]` (pyproject.toml) is written as package metadata on its PYTHONPATH, after
its src/ and before the installed packages, hiding the installed package's: the plugin imported is the tree's own.
What is shared is the virtual environment's third-party packages (MkDocs, Material, mkdocs-macros, WeasyPrint,
Pagefind): a revision that needs other versions of them fails to build, with its error shown.

    python bench/shipped_bench.py --baseline REV [--revision REV_OR_FOLDER] [--rounds 3]
"""
from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: trees are built with the installed package's plugin entry points
    tomllib = None  # type: ignore[assignment]

REPO = Path(__file__).resolve().parent.parent
WORKING_TREE = "working tree"  # --revision's default: this checkout as it is on disk


def copy_folder(source: Path, folder: Path) -> None:
    """The files of a checkout as they are on disk: tracked and untracked ones, not those git ignores."""
    listed = subprocess.run(["git", "-C", str(source), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            capture_output=True)
    if listed.returncode != 0:  # not a git checkout: all of it but the usual heavy folders
        shutil.copytree(source, folder, dirs_exist_ok=True, symlinks=True, ignore=shutil.ignore_patterns(
            ".git", ".venv", "node_modules", "site", "__pycache__", ".cache"))
        return
    for name in sorted(set(listed.stdout.decode().split("\0")) - {""}):
        src = source / name
        if src.is_file():  # tracked but deleted in the working tree: left out, as a commit would
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, folder / name)


def unpack(revision: str, work: Path) -> Path:
    """A folder in work holding the revision's files, or a copy of a folder's (WORKING_TREE: this checkout)."""
    folder = work / f"tree-{len(list(work.iterdir()))}"
    source = REPO if revision == WORKING_TREE else Path(revision)
    if (source / "mkdocs.yml").is_file():  # a folder holding a playbook (else a revision, even if a folder is so named)
        if not (source / "src" / "playbook").is_dir():
            raise SystemExit(f"{source} holds no src/playbook/ to build its playbook with")
        folder.mkdir()
        copy_folder(source.resolve(), folder)
        return folder
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision], capture_output=True)
    if archive.returncode != 0:
        raise SystemExit(f"{revision!r} is neither a folder holding mkdocs.yml and src/playbook/ nor a git revision "
                         f"of {REPO}: {archive.stderr.decode().strip()}")
    folder.mkdir()
    (work / "tree.tar").write_bytes(archive.stdout)
    with tarfile.open(work / "tree.tar") as tar:
        tar.extractall(folder, filter="data")
    (work / "tree.tar").unlink()
    return folder


def plugin_metadata(tree: Path, folder: Path) -> list[str]:
    """Write the tree's own MkDocs plugin entry points as package metadata in folder; return the plugin names.

    The metadata takes the name of the tree's package and of every installed package offering one of these plugins,
    so importlib.metadata (which keeps the first package of a name on sys.path) sees the tree's entry points only.
    """
    pyproject = tree / "pyproject.toml"
    if tomllib is None or not pyproject.is_file():
        return []
    project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    plugins = project.get("entry-points", {}).get("mkdocs.plugins", {})
    if not plugins:
        return []  # a tree from before the plugin: its mkdocs.yml names hooks, no plugin of ours
    names = {project.get("name", "playbook")}
    names |= {ep.dist.name for ep in importlib.metadata.entry_points(group="mkdocs.plugins")
              if ep.name in plugins and getattr(ep, "dist", None) is not None}
    entry_points = "[mkdocs.plugins]\n" + "".join(f"{name} = {target}\n" for name, target in plugins.items())
    for name in names:
        dist = folder / f"{re.sub(r'[-_.]+', '_', name).lower()}-0.dist-info"
        dist.mkdir(parents=True, exist_ok=True)
        (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0\n", encoding="utf-8")
        (dist / "entry_points.txt").write_text(entry_points, encoding="utf-8")
    return sorted(plugins)


def build(tree: Path, site: Path) -> float:
    # Each tree's build cache beside it, never the user's own (older revisions keep theirs in tree/.cache).
    meta = tree.parent / f"meta-{tree.name}"  # the tree's plugin entry points (plugin_metadata), after its src
    env = {**os.environ, "PYTHONPATH": os.pathsep.join((str(tree / "src"), str(meta))), "NO_MKDOCS_2_WARNING": "1",
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
    ap.add_argument("--baseline", required=True,
                    help="the revision (e.g. HEAD~3, or 114e2e8 from before the plugin) or folder to compare with")
    ap.add_argument("--revision", default=WORKING_TREE,
                    help="the revision or folder measured (default: this working tree, uncommitted changes included)")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds, median kept (default 3)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="playbook-shipped-bench-") as scratch:
        work = Path(scratch)
        trees = {name: unpack(rev, work) for name, rev in (("baseline", args.baseline), ("revision", args.revision))}
        for tree in trees.values():
            plugin_metadata(tree, work / f"meta-{tree.name}")
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
