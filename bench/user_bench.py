"""User-facing build benchmark: our full `mkdocs build` of a big playbook against plain MkDocs Material.

Ours: the shipped playbook (mkdocs.yml, content/, data/, macros/) plus N scenarios generated from the
largest shipped scenario with varied words, tags and situations, built cold (an empty cache folder, fresh process, so no
parse cache either) and warm (a second build in the same folder). The baseline: plain MkDocs Material
(`font: false`, search only, no playbook plugin, no macros, no custom_dir) building the same records' text as plain
Markdown pages, out of the nav. Runs alternate (baseline, ours cold, ours warm) and each figure is the median of
--repeat rounds, compared as ratios inside the run. Peak memory is the build process's max RSS including its
children (os.wait4). Then one extra build of ours runs under cProfile and prints where the time goes by stage.

    python bench/user_bench.py [--scenarios 1000] [--repeat 3] [--keep DIR] [--no-profile]

Everything is built in temporary folders; the repository's data/ is only read.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from playbook.records.spelling import UK_TO_US

REPO = Path(__file__).resolve().parent.parent
# What a playbook holds; the generator (its plugin, theme overrides and page macros) comes from the installed package.
COPIED = ("mkdocs.yml", "content", "data", "macros", "CONTRIBUTING.md", "ADOPTING.md")
TOPICS = ["the budget", "the launch", "the hiring plan", "the migration", "the roadmap", "the audit",
          "the reorg", "the on-call rota", "the design review", "the customer escalation", "the vendor contract",
          "the quarterly review", "the security incident", "the product demo", "the offsite", "the release"]


def _largest_scenario() -> Path:
    return max((REPO / "data" / "scenarios").glob("*.yaml"), key=lambda p: p.stat().st_size)


def _vocabulary() -> list[str]:
    """Lowercase words from every shipped scenario: swapping them in keeps text realistic and lint-clean."""
    words: set[str] = set()
    for path in (REPO / "data" / "scenarios").glob("*.yaml"):
        words.update(w for w in re.findall(r"\b[a-z]{4,12}\b", path.read_text(encoding="utf-8")))
    return sorted(words - set(UK_TO_US))  # ids keep UK words (cancelled) that text.spelling reports in prose


def _scenario_schema() -> dict[str, Any]:
    """The scenario schema with this playbook's own limits (its lint profile and `extra.playbook.limits`)."""
    from playbook.records.schema_source import schemas_for
    from playbook.core.settings import load_settings

    return schemas_for(load_settings(REPO).content)["scenarios"]


def _max_length(schema: dict[str, Any], path: tuple[str, ...]) -> int | None:
    """The longest text the schema allows at a record path (keys and list indexes), if it sets one."""
    node: dict[str, Any] | None = schema
    for key in path:
        if node is None:
            return None
        node = node.get("items") if key.isdigit() else node.get("properties", {}).get(key)
    return node.get("maxLength") if node else None


def _fit(text: str, limit: int | None, tail: str = "") -> str:
    """text + tail within limit characters: the text cut at a word boundary when the two do not fit."""
    if limit is None or len(text) + len(tail) <= limit:
        return text + tail
    room = max(limit - len(tail), 1)
    cut = text[:room].rsplit(" ", 1)[0] if " " in text[:room] else text[:room]
    return cut.rstrip(" ,;:.") + tail


def _vary(text: str, rng: random.Random, vocab: list[str], rate: float = 0.2, limit: int | None = None) -> str:
    """Swap about `rate` of the lowercase words after the first for other words of the playbook, never past limit."""
    words = text.split(" ")
    length = len(text)
    for i in range(1, len(words)):
        if re.fullmatch(r"[a-z]{4,12}", words[i]) and rng.random() < rate:
            other = rng.choice(vocab)
            if limit is None or length - len(words[i]) + len(other) <= limit:
                length += len(other) - len(words[i])
                words[i] = other
    return " ".join(words)


def _vary_record(data: Any, rng: random.Random, vocab: list[str], schema: dict[str, Any],
                 path: tuple[str, ...] = ()) -> Any:
    if isinstance(data, str):
        if path[:1] in (("tags",), ("pitfalls",), ("principles",), ("steps",), ("see_also",), ("checklist",)) \
                or path[-1:] in (("url",), ("by",), ("title",)) or "sources" in path:
            return data
        return _vary(data, rng, vocab, limit=_max_length(schema, path))
    if isinstance(data, list):
        return [_vary_record(v, rng, vocab, schema, path + (str(i),)) for i, v in enumerate(data)]
    if isinstance(data, dict):
        return {k: _vary_record(v, rng, vocab, schema, path + (k,)) for k, v in data.items()}
    return data


def generated_scenarios(n: int, seed: int = 14) -> list[tuple[str, dict[str, Any]]]:
    """n scenarios made from the largest shipped one: words, tags, situation and title varied per copy."""
    rng = random.Random(seed)
    vocab = _vocabulary()
    template = yaml.safe_load(_largest_scenario().read_text(encoding="utf-8"))
    tags = sorted({t for p in (REPO / "data" / "scenarios").glob("*.yaml")
                   for t in yaml.safe_load(p.read_text(encoding="utf-8")).get("tags", [])})
    schema = _scenario_schema()
    out = []
    for i in range(n):
        data = _vary_record(template, rng, vocab, schema)
        topic = TOPICS[i % len(TOPICS)]
        # The added words must fit the playbook's limits as the shipped text does: the text is cut at a word if not.
        data["title"] = _fit(template["title"], _max_length(schema, ("title",)), f" around {topic} {i}")
        data["situation"] = _fit(data["situation"].rstrip("."), _max_length(schema, ("situation",)),
                                 f", around {topic} ({i}).")
        # A search phrase leads to one play (scenario.in-their-words-unique): each copy gets its own.
        data["in_their_words"] = [_fit(p, _max_length(schema, ("in_their_words", "0")), f" around {topic} {i}")
                                  for p in data.get("in_their_words", [])]
        data["tags"] = rng.sample(tags, rng.randint(2, 4))
        data.pop("see_also", None)
        slug = re.sub(r"[^a-z0-9]+", "-", data["title"].lower()).strip("-")
        out.append((slug, data))
    return out


def make_playbook(dest: Path, n: int) -> None:
    """Our playbook: the shipped one plus n generated scenarios."""
    for name in COPIED:
        src = REPO / name
        if src.exists():
            (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / name)
    for slug, data in generated_scenarios(n):
        (dest / "data" / "scenarios" / f"{slug}.yaml").write_text(
            yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")


def _markdown(value: Any, depth: int = 2) -> str:
    if isinstance(value, dict):
        return "\n\n".join(f"{'#' * min(depth, 4)} {k.replace('_', ' ').capitalize()}\n\n{_markdown(v, depth + 1)}"
                           for k, v in value.items())
    if isinstance(value, list):
        return "\n".join(f"- {_markdown(v, depth + 1).replace(chr(10), ' ')}" for v in value)
    return str(value)


def record_markdown(data: dict[str, Any]) -> str:
    """A record as a plain Markdown page: its title as the heading, each field a section."""
    rest = {k: v for k, v in data.items() if k not in ("title", "summary")}
    return f"# {data['title']}\n\n{data['summary']}\n\n{_markdown(rest)}\n"


def make_baseline(playbook: Path, dest: Path) -> int:
    """Plain MkDocs Material: every record of our playbook as a plain Markdown page, out of the nav."""
    docs = dest / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Managing up\n\nA plain MkDocs baseline.\n", encoding="utf-8")
    pages = 0
    for path in sorted((playbook / "data").glob("*/*.yaml")):
        target = docs / path.parent.name / f"{path.stem}.md"
        target.parent.mkdir(exist_ok=True)
        target.write_text(record_markdown(yaml.safe_load(path.read_text(encoding="utf-8"))), encoding="utf-8")
        pages += 1
    config = {"site_name": "Managing up", "docs_dir": "docs", "theme": {"name": "material", "font": False},
              "plugins": ["search"], "nav": [{"Home": "index.md"}],
              "validation": {"nav": {"omitted_files": "ignore"}, "links": {"unrecognized_links": "ignore"}}}
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return pages


def _size(site: Path) -> int:
    return sum(f.stat().st_size for f in site.rglob("*") if f.is_file())


def timed_build(cwd: Path, site: Path) -> tuple[float, int, int]:
    """Wall time (s), peak RSS (KiB) of the build process and its children, and output size (bytes)."""
    # The build cache of this run only, beside its site (emptied for a cold build): never the user's own.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "XDG_CACHE_HOME": str(site.parent / "cache")}
    mkdocs = Path(sys.executable).parent / "mkdocs"
    shutil.rmtree(site, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.Popen([str(mkdocs), "build", "--quiet", "-d", str(site)], cwd=cwd, env=env)
    _, status, usage = os.wait4(proc.pid, 0)  # the child's rusage, its own reaped children included
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed in {cwd}")
    return elapsed, usage.ru_maxrss, _size(site)


# Stage -> (module path fragments whose entry calls count, fragments the calling frame must match or "").
STAGES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("our load/validate", ("playbook/records/load.py", "playbook/records/yaml_reader.py",
                           "playbook/records/pipeline.py", "playbook/records/validate.py",
                           "playbook/records/model.py", "playbook/records/schema.py",
                           "playbook/records/references.py", "playbook/records/lint"), ()),
    ("our render (pages, widgets)", ("playbook/site/render.py", "playbook/site/page_cache.py",
                                     "playbook/site/markup.py"), ()),
    ("MkDocs Markdown", ("/markdown/",), ()),
    ("tags plugin", ("material/plugins/tags/",), ()),
    ("search index", ("playbook/site/search.py", "material/plugins/search/", "mkdocs/contrib/search/"), ()),
    ("theme templates", ("/jinja2/",), ("mkdocs/commands/build.py", "mkdocs/structure/")),
    ("exports (PDF, Markdown, json)", ("playbook/sheets/", "playbook/site/playbook_json.py"), ()),
    ("macros plugin (own)", ("mkdocs_macros/",), ()),
]
# Time counted twice, taken off the first stage: the widgets and the playbook the page macros (site/macros.py) ask
# for are already "our render" and "our load/validate".
NESTED = {"macros plugin (own)": (("playbook/site/render.py", "playbook/records/pipeline.py"),
                                  ("playbook/site/macros.py",))}


def profile_stages(cwd: Path, site: Path) -> None:
    """Build once in-process under cProfile and print the time of each stage (entry calls, cumulative)."""
    code = f"""
import cProfile, pstats, sys, time, json
from mkdocs.commands.build import build
from mkdocs.config import load_config
prof = cProfile.Profile()
t = time.perf_counter()
prof.enable()
cfg = load_config(config_file="mkdocs.yml", site_dir={str(site)!r})
cfg.plugins.on_startup(command="build", dirty=False)
try:
    build(cfg)
finally:
    cfg.plugins.on_shutdown()
prof.disable()
wall = time.perf_counter() - t
stats = pstats.Stats(prof).stats
out = [[f, l, n, tt, ct, [[cf, cl, cn, cct] for (cf, cl, cn), (_, _, _, cct) in callers.items()]]
       for (f, l, n), (cc, nc, tt, ct, callers) in stats.items()]
json.dump({{"wall": wall, "stats": out}}, open(sys.argv[1], "w"))
"""
    dump = cwd / "profile.json"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "XDG_CACHE_HOME": str(site.parent / "cache")}
    subprocess.run([sys.executable, "-c", code, str(dump)], cwd=cwd, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    data = json.loads(dump.read_text())
    rows = []
    for label, inside, from_ in STAGES:
        total = 0.0
        for f, _, _, _, _, callers in data["stats"]:
            if not any(frag in f for frag in inside):
                continue
            for cf, _, _, cct in callers:
                if any(frag in cf for frag in inside):
                    continue  # a call inside the stage: already counted at its entry
                if from_ and not any(frag in cf for frag in from_):
                    continue
                total += cct
        if label in NESTED:
            inner, callers_of = NESTED[label]
            total -= sum(cct for f, _, _, _, _, callers in data["stats"] if any(frag in f for frag in inner)
                         for cf, _, _, cct in callers if any(frag in cf for frag in callers_of))
        rows.append((label, total))
    wall = data["wall"]
    print(f"\nwhere the time goes (one warm build under cProfile, {wall:.1f} s profiled; stages by entry call):")
    print(f"{'stage':<32}{'s':>8}{'share':>8}")
    for label, total in rows:
        print(f"{label:<32}{total:>8.2f}{total / wall:>8.0%}")
    rest = wall - sum(t for _, t in rows)
    print(f"{'other (MkDocs core, I/O, ...)':<32}{rest:>8.2f}{rest / wall:>8.0%}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", type=int, default=1000, help="generated scenarios (default 1000)")
    ap.add_argument("--repeat", type=int, default=3, help="alternating rounds, median kept (default 3)")
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it")
    ap.add_argument("--no-profile", action="store_true", help="skip the stage profile")
    args = ap.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="playbook-user-bench-")).resolve()
    ours, base = work / "playbook", work / "baseline"
    for d in (ours, base):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    print(f"generating {args.scenarios} scenarios in {work} ...", file=sys.stderr)
    make_playbook(ours, args.scenarios)
    pages = make_baseline(ours, base)
    print(f"{pages} record pages each; {args.repeat} alternating rounds ...", file=sys.stderr)
    runs: dict[str, list[tuple[float, int, int]]] = {"plain mkdocs": [], "ours cold": [], "ours warm": []}
    for r in range(args.repeat):
        runs["plain mkdocs"].append(timed_build(base, work / "site-baseline"))
        shutil.rmtree(work / "cache", ignore_errors=True)
        runs["ours cold"].append(timed_build(ours, work / "site-ours"))
        runs["ours warm"].append(timed_build(ours, work / "site-ours"))
        print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1][0]:.2f} s" for k, v in runs.items()), file=sys.stderr)
    med = {k: tuple(statistics.median(x[i] for x in v) for i in range(3)) for k, v in runs.items()}
    print(f"\n{args.scenarios} generated scenarios, median of {args.repeat} alternating rounds")
    print(f"{'build':<14}{'time (s)':>10}{'peak MiB':>10}{'output MiB':>12}{'time x':>8}{'mem x':>8}{'size x':>8}")
    t0, m0, s0 = med["plain mkdocs"]
    for name, (t, m, s) in med.items():
        print(f"{name:<14}{t:>10.2f}{m / 1024:>10.0f}{s / 2**20:>12.1f}{t / t0:>8.2f}{m / m0:>8.2f}{s / s0:>8.2f}")
    if not args.no_profile:
        profile_stages(ours, work / "site-profile")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
