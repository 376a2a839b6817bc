"""Validation benchmark: `playbook validate` over N generated ~4 KB scenarios, and over the shipped playbook.

The generated playbook is lint-clean (every scenario names real principles, pitfalls and a checklist), so the
timings cover the whole path: load, schema, references and content lint. Each figure is the best of --repeat runs.

    python bench/validate_bench.py [--scenarios 1000] [--repeat 3] [--keep DIR]
"""
from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

_started = time.perf_counter()
import yaml  # noqa: E402

from playbook.records import load  # noqa: E402
from playbook.records.lint import lint_record, lint_steps  # noqa: E402
from playbook.records.references import check_references  # noqa: E402
from playbook.records.schema import check_record  # noqa: E402
from playbook.records.validate import validate  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - _started

TOPICS = ["the supplier report", "the quarterly plan", "the hiring loop", "the migration", "the launch checklist",
          "the budget review", "the customer escalation", "the on-call rota", "the design review", "the roadmap"]
MOVES = ["Write down what happened, with dates and the people involved.",
         "Ask your manager what worries them most about {t}.",
         "Name the worry back in their words before you answer it.",
         "Offer a short written update on {t} every Tuesday by noon.",
         "Propose two options for {t}, with the one you recommend.",
         "Agree a two-week trial and one date to review it together.",
         "Send the promised update before they have to ask for it.",
         "Review the trial together and keep what worked."]
SENTENCES = ["Your manager answers to someone too, and {t} is on their list this quarter.",
             "A short note before the meeting saves both of you a long one.",
             "Most managers check closely when they feel exposed, not when they distrust you.",
             "Early, specific news about {t} lets your manager defend the plan upward.",
             "The first conversation sets the pattern, so keep it calm and concrete.",
             "Write down what you agreed, because memories of a meeting drift within days.",
             "If the plan for {t} changes, say so the same day and say what you will do.",
             "Two weeks is long enough to see a change and short enough to feel safe."]


def _text(rng: random.Random, n: int, topic: str) -> str:
    return " ".join(rng.choice(SENTENCES).format(t=topic) for _ in range(n))


def _source(i: int) -> dict[str, Any]:
    return {"title": f"Working with your manager, part {i}", "author": "A. Writer", "year": 1990 + i % 30,
            "url": f"https://example.org/sources/{i}", "note": "Managers and reports depend on each other."}


def _dump(path: Path, data: dict[str, Any]) -> int:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def make_playbook(root: Path, n: int, seed: int = 7) -> float:
    """Write n scenarios and the records they use under root/data; returns the mean scenario size in bytes."""
    rng = random.Random(seed)
    data = root / "data"
    for kind in ("principles", "pitfalls", "checklists", "scenarios", "steps"):
        (data / kind).mkdir(parents=True)
    principles = [f"principle-{i:02d}" for i in range(20)]
    pitfalls = [f"pitfall-{i:02d}" for i in range(30)]
    checklists = [f"checklist-{i:02d}" for i in range(10)]
    for i, pid in enumerate(principles):
        _dump(data / "principles" / f"{pid}.yaml", {
            "title": f"Principle number {i}",
            "summary": "Your manager needs your information as much as you need theirs.",
            "why": _text(rng, 3, "the work"), "looks_like": ["You share bad news early.", "You ask what they need."],
            "pitfalls": [pitfalls[i], pitfalls[i + 10]], "sources": [_source(i)]})
    for i, pid in enumerate(pitfalls):
        _dump(data / "pitfalls" / f"{pid}.yaml", {
            "title": f"Pitfall number {i}", "summary": "Waiting to share a problem until it can no longer be fixed.",
            "myth": i % 3 == 0, "why_tempting": _text(rng, 2, "the work"), "why_it_fails": _text(rng, 2, "the work"),
            "instead": _text(rng, 2, "the work"), "warning_signs": ["You avoid your manager.", "You hope it passes."],
            "sources": [_source(i)]})
    items = ["Write any risk to a date at the top", "List the three topics you most need to discuss",
             "Move status items into your written update", "Bring two options for each problem you raise",
             "Note one decision you need from your manager"]
    closing = ["Raise your most important topic first", "Ask what is on their list this week",
               "Ask one specific feedback question", "Write each decision in the shared agenda",
               "Recap decisions, owners and dates aloud"]
    for i, cid in enumerate(checklists):
        _dump(data / "checklists" / f"{cid}.yaml", {
            "title": f"Checklist number {i}", "summary": "Get ready for your weekly 1:1 so the time goes to decisions.",
            "type": "READ-DO", "when": "The day before your weekly 1:1.",
            "sections": [{"pause": "The day before",
                          "items": [{"text": items[0], "critical": True, "guards": [pitfalls[i]]}, *items[1:]]},
                         {"pause": "In the 1:1", "items": closing}],
            "principles": [principles[i]], "sources": [_source(i)]})
    for i in range(5):
        _dump(data / "steps" / f"step-{i + 1}.yaml", {
            "title": f"Step number {i + 1}", "summary": "One practice on the path to working well with your manager.",
            "order": i + 1, "why": _text(rng, 2, "the work"),
            "actions": ["Ask what your manager needs this week.", "Write down what you agreed."],
            "principles": [principles[i]], "pitfalls": [pitfalls[i + 20]], "sources": [_source(i)]})
    sizes = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        sizes.append(_dump(data / "scenarios" / f"scenario-{i:05d}.yaml", {
            "title": f"My manager keeps rewriting {topic} (case {i})",
            "summary": f"Find out what worries your manager about {topic} and trade visibility for room to work.",
            "situation": f"Your manager checks every detail of {topic}, work you have done many times.",
            "goal": f"Agree where you decide alone on {topic} and where your manager checks in.",
            "not_for": ["Your recent work had real quality problems.", "You are new to the task and still learning it.",
                        "The work is briefly high-stakes for your manager."],
            "moves": [m.format(t=topic) for m in MOVES],
            "scripts": {"opening": f"Can we take fifteen minutes on how we work on {topic}? {_text(rng, 1, topic)}",
                        "asking": f"When you go through {topic} line by line, what are you most worried about?",
                        "pushback": "That's fair. What if you see the totals every Tuesday, for a two-week trial?",
                        "closing": "So I own the wording, you sign off the totals, and I'll write that up today."},
            "pitfalls": rng.sample(pitfalls, 3),
            "signals": ["Your manager reviews the outline, not every draft.", "Requests for status drop to one a day.",
                        "New work arrives with shorter instructions.", "Your manager forwards your work unchanged."],
            "escalate": _text(rng, 5, topic),
            "follow_up": {"what": "Send a short note listing the agreed decisions and the review date.",
                          "by": "Within 24 hours"},
            "variations": [{"when": w, "do": _text(rng, 2, topic)}
                           for w in ("Remote", "New manager", "You are senior", "Your manager is under pressure")],
            "example": _text(rng, 7, topic),
            "time": {"prep_minutes": 20, "talk_minutes": 15}, "difficulty": rng.choice(["easy", "medium", "hard"]),
            "tags": ["trust", "communication", "one-on-ones"], "checklist": rng.choice(checklists),
            "principles": rng.sample(principles, 3), "sources": [_source(i), _source(i + 1), _source(i + 2)]}))
    return statistics.mean(sizes)


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall time of `repeat` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def stages(root: Path) -> dict[str, float]:
    """Seconds per stage of one cold (uncached) in-process run."""
    load._CACHE.clear()
    files, _ = load.record_files(root / "data")
    out: dict[str, float] = {}
    started = time.perf_counter()
    records = [r.record for r in (load.load_file(p, root) for p in files) if r.record]
    out["load (parse + walk)"] = time.perf_counter() - started
    started = time.perf_counter()
    clean = [r for r in records if not check_record(r)]
    out["schema"] = time.perf_counter() - started
    started = time.perf_counter()
    check_references(records)
    out["references"] = time.perf_counter() - started
    started = time.perf_counter()
    lint_steps(clean)
    for record in clean:
        lint_record(record)
    out["lint"] = time.perf_counter() - started
    return out


def cold_in_process(root: Path) -> Any:
    """One validation with an empty parse cache, as the first run of a process sees it."""
    load._CACHE.clear()
    return validate(root)


def cold_process(root: Path) -> subprocess.CompletedProcess[str]:
    """`playbook validate` in a fresh interpreter: startup, imports and all."""
    return subprocess.run([sys.executable, "-m", "playbook.cli", "--root", str(root), "validate"],
                          capture_output=True, text=True, check=False)


def report(label: str, root: Path, repeat: int) -> None:
    """Print the figures for one playbook."""
    cold, (rep, _) = best(lambda: cold_in_process(root), repeat)
    warm, _ = best(lambda: validate(root), repeat)
    process, result = best(lambda: cold_process(root), repeat)
    size = sum(p.stat().st_size for p in (root / "data").rglob("*.yaml"))
    print(f"{label}: {rep.files} files, {size / 1e6:.2f} MB, "
          f"{len(rep.errors)} error(s), {len(rep.warnings)} warning(s)")
    print(f"  in-process, cold cache   {cold:7.3f} s")
    print(f"  in-process, warm cache   {warm:7.3f} s  (unchanged files are not parsed again)")
    print(f"  cold process (CLI)       {process:7.3f} s  (exit {result.returncode})")
    for name, seconds in stages(root).items():
        print(f"    {name:<22} {seconds:7.3f} s")


def main() -> int:
    """Generate the playbook, time it, and time the shipped one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=1000, help="generated scenarios (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is shown (default 3)")
    parser.add_argument("--keep", type=Path, help="write the generated playbook here and keep it")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, PyYAML {yaml.__version__} (C loader: {hasattr(yaml, 'CSafeLoader')}); "
          f"importing the validator took {IMPORT_SECONDS:.3f} s")
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "playbook"
        if args.keep and root.exists():
            shutil.rmtree(root)
        started = time.perf_counter()
        mean = make_playbook(root, args.scenarios)
        seconds = time.perf_counter() - started
        print(f"generated {args.scenarios} scenarios (mean {mean / 1024:.1f} KB) in {seconds:.1f} s")
        report("generated", root, args.repeat)
        report("shipped", REPO, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
