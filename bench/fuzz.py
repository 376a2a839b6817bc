"""Fuzz `playbook validate`: mutated and generated records through the real CLI, looking for tracebacks and hangs.

Records are made from the examples under tests/examples (valid and invalid) by byte flips, truncation, control
characters, emoji, right-to-left, CJK and Cyrillic text, deep nesting, huge numbers, tags, aliases, duplicate keys
and random YAML structure, written in batches into a small playbook and checked with `playbook validate` in this
process (`playbook.cli.main`). A batch that fails is replayed file by file to name the culprit.

    python bench/fuzz.py [--count 10000] [--seed 1] [--batch 100] [--keep DIR]

It prints each distinct traceback (with one reproducer), every hang (a batch over --timeout seconds; a batch
stuck for good is dumped and stopped by faulthandler) and the time taken. tests/test_fuzz.py runs the same engine
on a smaller budget in every CI run.
"""
from __future__ import annotations

import argparse
import contextlib
import faulthandler
import io
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests")]

import yaml  # noqa: E402

from playbook.cli.main import main  # noqa: E402
from playbook.records.load import parse_text  # noqa: E402
from support import DIAGNOSTIC, INVALID, VALID  # noqa: E402

SUMMARY = re.compile(r"^\d+ file\(s\) checked: \d+ error\(s\), \d+ warning\(s\); validation (passed|failed)( \(.*\))?$")
KINDS = ["principles", "steps", "pitfalls", "checklists", "scenarios"]

# Text a stranger may paste: astral emoji, right-to-left with overrides, CJK, Cyrillic, combining marks, controls.
ALPHABETS = [
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:'\"-!?()[]{}#&*%@`|>",
    "📅🔥💬🤝👍🏽🧑‍💻🇫🇷\U0001f600\U0001d400\U00010348",
    "שלום עולם مرحبا بالعالم \u202e\u202d\u2066\u2067\u2069\u200f\u200e",
    "会议准备清单问题经理你好世界日本語のテキスト한국어",
    "Подготовьтесь к встрече спросите руководителя Ёё",
    "e\u0301a\u0308\u200b\u200d\ufeff\u00a0\u3000\u2028\u2029\x85",
    "".join(map(chr, range(0, 32))) + "\x7f\x9b",
]
CONTROLS = [chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 0x7F, 0x85, 0x9B, 0x2028, 0x2029, 0x202E, 0xFEFF,
                             0xFFFE, 0xFFFF)]
TAGS = ["!!int", "!!float", "!!bool", "!!null", "!!str", "!!binary", "!!timestamp", "!!set", "!!omap", "!!map",
        "!!seq", "!!python/object/apply:os.system", "!!python/name:os.system", "!foo", "!", "!<tag:yaml.org,2002:int>",
        "!<!bar>", "!e!x"]
SCALARS = ["abc", "0o9", "maybe", "1_000", "0x", "0xZZ", "1e999", "-1e999", ".nan", ".inf", "~", "null", "", "no", "1:1",
           "012", "0o17", "true", "2024-01-02", "12:30", "=", "<<", "- x", "? x", "@x", "`x", "%x", "|", ">", "'",
           '"', "*x", "&x", "{", "[", "]", "}", "#", ": ", " :x"]
FIELD_NAMES = ["title", "summary", "items", "text", "critical", "guards", "sections", "pause", "type", "when", "moves",
               "scripts", "opening", "principles", "pitfalls", "order", "actions", "why", "sources", "url", "year",
               "tags", "difficulty", "follow_up", "by", "time", "prep_minutes", "checklist", "see_also", "steps"]


@dataclass
class Case:
    """One fuzzed file: where it goes, its bytes, and which mutations made it."""

    rel: str
    data: bytes
    how: list[str]


@dataclass
class Finding:
    """A traceback, a wrong exit code, a malformed output line or a slow batch."""

    problem: str
    detail: str
    case: Case | None = None


@dataclass
class Result:
    files: int = 0
    batches: int = 0
    seconds: float = 0.0
    slowest: float = 0.0
    findings: list[Finding] = field(default_factory=list)


def _seeds() -> list[tuple[str, str]]:
    """(kind, text) of every example record; invalid cases go where their header says."""
    seeds = [(p.parent.name, p.read_text(encoding="utf-8")) for p in sorted(VALID.glob("*/*.yaml"))]
    for p in sorted(INVALID.glob("*.yaml")):
        text = p.read_text(encoding="utf-8")
        where = re.search(r"^# path: data/(\w+)/", text, re.M)
        seeds.append((where.group(1) if where and where.group(1) in KINDS else "scenarios", text))
    return seeds


class Fuzzer:
    """Makes fuzzed record files from a seeded random source: the same seed gives the same files."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.seeds = _seeds()
        self.data = [(k, parse_text(t, "x.yaml", k, "x").record) for k, t in self.seeds[:5]]

    # Text and values -----------------------------------------------------------------------------------------
    def text(self, longest: int = 40) -> str:
        r = self.rng
        alphabet = r.choice(ALPHABETS[:-1]) if r.random() < 0.9 else ALPHABETS[-1]
        word = "".join(r.choice(alphabet) for _ in range(r.randint(0, longest)))
        return r.choice(["", "Ask ", "Write ", "Confirm ", "Спросите ", "询问 "]) + word

    def number(self) -> str:
        r = self.rng
        digits = r.choice([1, 3, 17, 300, 4301, 5000])
        return r.choice([
            str(r.randint(-10**6, 10**6)), "9" * digits, "-" + "9" * digits, "0x" + "f" * r.choice([1, 14, 3600]),
            "0o" + "7" * r.choice([1, 19, 500]), f"{r.random()}e{r.randint(-400, 400)}", str(2**53), str(-2**53 - 1),
            "1" + "0" * r.choice([15, 16, 400]) + ".5"])

    def value(self, depth: int = 0) -> Any:
        r = self.rng
        pick = r.random()
        if depth > 3 or pick < 0.45:
            return r.choice([self.text(), self.text(200), r.randint(-5, 200), r.random() * 1e6, True, False, None,
                             float("inf"), float("nan"), 2**r.choice([52, 53, 63, 70]), r.choice(SCALARS)])
        if pick < 0.75:
            return [self.value(depth + 1) for _ in range(r.randint(0, 6))]
        return {r.choice(FIELD_NAMES + [self.text(8)]): self.value(depth + 1) for _ in range(r.randint(0, 5))}

    # Structure: change a record's data, then dump it -----------------------------------------------------------
    def _paths(self, node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        yield path
        if len(path) > 20:  # a list nested by an earlier mutation: no need to walk all of it
            return
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in items:
            yield from self._paths(child, (*path, key))

    def structured(self) -> tuple[str, str, list[str]]:
        r = self.rng
        kind, record = r.choice(self.data)
        data = yaml.safe_load(yaml.safe_dump(record.data))  # a deep copy
        how = []
        for _ in range(r.randint(1, 4)):
            path = r.choice(list(self._paths(data))[1:])
            parent = data
            for part in path[:-1]:
                parent = parent[part]
            action = r.choice(["replace", "replace", "delete", "add", "unicode", "nest"])
            how.append(f"{action} {'.'.join(map(str, path))}")
            if action == "delete":
                del parent[path[-1]]
            elif action == "add" and isinstance(parent, dict):
                parent[r.choice(FIELD_NAMES + [self.text(10)])] = self.value()
            elif action == "unicode":
                alphabet = r.choice(ALPHABETS[2:5])
                parent[path[-1]] = "".join(r.choice(alphabet) for _ in range(r.randint(1, 60)))
            elif action == "nest":
                value: Any = self.text(10)
                for _ in range(r.choice([5, 40, 250, 600])):
                    value = [value]
                parent[path[-1]] = value
            else:
                parent[path[-1]] = self.value()
        try:
            text = yaml.dump(data, allow_unicode=r.random() < 0.7, sort_keys=False, width=r.choice([40, 80, 10**6]),
                             default_flow_style=r.choice([False, None, True]))
        except (yaml.YAMLError, RecursionError, ValueError) as exc:  # PyYAML cannot write every value it is given
            text = f"title: {type(exc).__name__}\n"
        return kind, text, how

    def translated(self) -> tuple[str, str, list[str]]:
        """A valid record with every sentence in one non-Latin script: reaches content lint, which reads words."""
        r = self.rng
        kind, record = r.choice(self.data)
        alphabet = r.choice(ALPHABETS[1:5])

        def tr(node: Any) -> Any:
            if isinstance(node, dict):
                return {k: tr(v) for k, v in node.items()}
            if isinstance(node, list):
                return [tr(v) for v in node]
            if isinstance(node, str) and " " in node:  # sentences; ids, enums and addresses hold no space
                return " ".join("".join(r.choice(alphabet.replace(" ", "")) for _ in range(r.randint(1, 9)))
                                for _ in range(r.randint(1, 8)))
            return node

        text = yaml.dump(tr(record.data), allow_unicode=True, sort_keys=False, width=10**6)
        return kind, text, [f"translate {kind}"]

    # Text mutations --------------------------------------------------------------------------------------------
    def mutate(self, text: str) -> tuple[str, list[str]]:
        r = self.rng
        lines = text.split("\n")
        how = []
        for _ in range(r.randint(1, 3)):
            i = r.randrange(len(lines)) if lines else 0
            action = r.choice(["control", "unicode", "deep", "number", "tag", "alias", "duplicate", "delete", "indent",
                               "swap", "scalar", "merge", "document", "flow-deep", "long-list", "many-keys"])
            how.append(action)
            line = lines[i] if lines else ""
            key, sep, _ = line.partition(": ")
            head = f"{key}: " if sep else (line[: len(line) - len(line.lstrip())] + "- " if line.lstrip().startswith(
                "- ") else "")
            if action == "control":
                at = r.randint(0, len(line))
                lines[i:i + 1] = [line[:at] + r.choice(CONTROLS) + line[at:]]
            elif action == "unicode":
                lines[i:i + 1] = [head + self.text(60).replace("\n", " ")]
            elif action == "deep":
                n = r.choice([10, 33, 250, 500, 2000])
                lines[i:i + 1] = [head + "[" * n + "x" + "]" * n]
            elif action == "flow-deep":
                n = r.choice([20, 40, 300])
                lines[i:i + 1] = [head.rstrip()] + [" " * (2 * d + 2) + "-" for d in range(n)] if head else [line]
            elif action == "number":
                lines[i:i + 1] = [head + self.number()]
            elif action == "tag":
                lines[i:i + 1] = [head + r.choice(TAGS) + " " + r.choice(SCALARS + ["[a]", "{a: 1}", "12"])]
            elif action == "alias":
                lines[i:i + 1] = [head + "&a " + line[len(head):], f"zz{i}: *a"]
            elif action == "merge":
                lines.append(r.choice(["<<: *a", "<<: {title: x}", "? [a]\n: 1", "*a : 1"]))
            elif action == "duplicate":
                lines.insert(i, line)
            elif action == "delete":
                del lines[i:i + r.randint(1, 5)]
            elif action == "indent":
                lines[i:i + 1] = [" " * r.choice([1, 3, 7]) + line]
            elif action == "swap" and len(lines) > 1:
                j = r.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
            elif action == "scalar":
                lines[i:i + 1] = [head + r.choice(SCALARS)]
            elif action == "document":
                lines.insert(i, r.choice(["---", "...", "%YAML 1.1", "%TAG ! tag:x,2000:", "--- |"]))
            elif action == "long-list":
                lines[i:i + 1] = [head + "[" + ", ".join(["a"] * r.choice([999, 1001, 5000])) + "]"]
            elif action == "many-keys":
                lines[i:i + 1] = [head + "{" + ", ".join(f"k{n}: 1" for n in range(r.choice([150, 201, 3000]))) + "}"]
        return "\n".join(lines), how

    def bytes_mutate(self, data: bytes) -> tuple[bytes, list[str]]:
        r = self.rng
        if not data:
            return data, []
        buf = bytearray(data)
        action = r.choice(["flip", "truncate", "splice", "latin-1", "grow"])
        if action == "flip":
            for _ in range(r.randint(1, 8)):
                buf[r.randrange(len(buf))] ^= 1 << r.randrange(8)
        elif action == "truncate":
            del buf[r.randrange(len(buf)):]
        elif action == "splice":
            at = r.randrange(len(buf))
            buf[at:at] = bytes(r.randrange(256) for _ in range(r.randint(1, 6)))
        elif action == "latin-1":
            buf += "\nnote: Renée\n".encode("latin-1")
        else:
            buf += b"\nnote: " + b"x" * r.choice([10**5, 1024 * 1024 + 1, 3 * 1024 * 1024]) + b"\n"
        return bytes(buf), [action]

    def name(self, i: int) -> str:
        r = self.rng
        stem = f"fuzz-{i}"
        roll = r.random()
        if roll < 0.03:
            stem = f"fuzz-{i}-" + r.choice(["\x1b[31mred", "line\nbreak", "tab\there", "\u202egnp", "Фаззинг", "日本",
                                             "📅", "UPPER", "%41,b:c", "x" * 120])
        suffix = ".yml" if roll > 0.99 else ".yaml"
        return stem + suffix

    def case(self, i: int) -> Case:
        """The i-th fuzzed file."""
        r = self.rng
        roll = r.random()
        if roll < 0.1:
            kind, text, how = self.translated()
            return Case(f"data/{kind}/{self.name(i)}", text.encode("utf-8", "surrogatepass"), how)
        if roll < 0.4:
            kind, text, how = self.structured()
        else:
            kind, text = r.choice(self.seeds)
            how = []
        if r.random() < 0.8 or not how:
            text, more = self.mutate(text)
            how += more
        data = text.encode("utf-8", "surrogatepass")
        if r.random() < 0.25:
            data, more = self.bytes_mutate(data)
            how += more
        if r.random() < 0.03:
            kind = r.choice(KINDS + ["misc", "scenarios/deeper"])
        return Case(f"data/{kind}/{self.name(i)}", data, how)


# Running ---------------------------------------------------------------------------------------------------------
def _playbook(root: Path, cases: list[Case]) -> None:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(VALID, root / "data")
    for case in cases:
        path = root / case.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.data)


def validate_in_process(root: Path) -> tuple[int | None, str, str, str]:
    """Exit code, stdout, stderr and traceback (if any) of `playbook --root ROOT validate`, run in this process."""
    out, err = io.StringIO(), io.StringIO()
    code: int | None = None
    crash = ""
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--root", str(root), "validate"])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        except Exception:  # noqa: BLE001 - any exception is the finding
            crash = traceback.format_exc()
    return code, out.getvalue(), err.getvalue(), crash


def check_output(code: int | None, stdout: str, stderr: str, crash: str) -> list[str]:
    """What is wrong with one run: a traceback, an exit code other than 0 or 1, or a line of the wrong shape."""
    problems = []
    if crash or "Traceback" in stdout + stderr:
        problems.append("traceback: " + (crash or stdout + stderr))
    if code not in (0, 1):
        problems.append(f"exit {code}: {stderr.strip()[-300:]}")
    lines = stdout.splitlines()
    for line in lines:
        if not (DIAGNOSTIC.match(line) or SUMMARY.match(line)):
            problems.append(f"line: {line[:300]!r}")
    if not lines or not SUMMARY.match(lines[-1]):
        problems.append("line: no summary line at the end")
    return problems


def _cause(detail: str) -> str:
    """A traceback's cause, for grouping: its last frame and exception line."""
    if not detail.startswith("traceback: "):
        return detail.split(":", 1)[0]
    lines = [ln for ln in detail.splitlines() if ln.strip()]
    frames = [ln.strip() for ln in lines if ln.strip().startswith("File ")]
    return f"{frames[-1] if frames else '?'} -> {lines[-1].strip()}"


def run(count: int, seed: int, batch: int = 100, timeout: float = 5.0, work: Path | None = None,
        log: Any = None) -> Result:
    """Fuzz `count` files in batches; every finding comes with the file that caused it."""
    fuzzer = Fuzzer(seed)
    result = Result()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="playbook-fuzz-") as tmp:
        root = (work or Path(tmp)) / "playbook"
        for first in range(0, count, batch):
            cases = [fuzzer.case(i) for i in range(first, min(first + batch, count))]
            _playbook(root, cases)
            t0 = time.perf_counter()
            code, stdout, stderr, crash = validate_in_process(root)
            took = time.perf_counter() - t0
            result.batches += 1
            result.files += len(cases)
            result.slowest = max(result.slowest, took)
            problems = check_output(code, stdout, stderr, crash)
            if took > timeout:
                problems.append(f"slow: the batch took {took:.1f} s")
            if problems:
                result.findings += _isolate(root, cases, timeout) or [Finding(p, p) for p in problems]
            if log:
                log(f"{result.files}/{count} files, {len(result.findings)} finding(s), "
                    f"{time.perf_counter() - started:.0f} s")
    result.seconds = time.perf_counter() - started
    return result


def _isolate(root: Path, cases: list[Case], timeout: float) -> list[Finding]:
    """Replay a failing batch one file at a time, so each finding names its reproducer."""
    found = []
    for case in cases:
        _playbook(root, [case])
        t0 = time.perf_counter()
        code, stdout, stderr, crash = validate_in_process(root)
        took = time.perf_counter() - t0
        problems = check_output(code, stdout, stderr, crash)
        if took > timeout:
            problems.append(f"slow: {took:.1f} s")
        found += [Finding(_cause(p), p, case) for p in problems]
    return found


def report(result: Result, keep: Path | None = None) -> str:
    """A summary: counts, time, and one reproducer per distinct cause."""
    by_cause: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_cause.setdefault(f.problem, []).append(f)
    tracebacks = sum(1 for f in result.findings if f.detail.startswith("traceback"))
    hangs = sum(1 for f in result.findings if f.detail.startswith("slow"))
    lines = [f"{result.files} files in {result.batches} batches, {result.seconds:.1f} s "
             f"({result.files / max(result.seconds, 1e-9):.0f} files/s, slowest batch {result.slowest:.2f} s): "
             f"{tracebacks} traceback(s), {hangs} hang(s), {len(result.findings) - tracebacks - hangs} other finding(s), "
             f"{len(by_cause)} distinct cause(s)"]
    for n, (cause, findings) in enumerate(sorted(by_cause.items(), key=lambda kv: -len(kv[1]))):
        example = findings[0]
        lines.append(f"- {len(findings)} x {cause}")
        if example.case:
            lines.append(f"  e.g. {example.case.rel!r} made by {', '.join(example.case.how)}")
            if keep:
                keep.mkdir(parents=True, exist_ok=True)
                (keep / f"cause-{n}.yaml").write_bytes(example.case.data)
                (keep / f"cause-{n}.txt").write_text(example.detail, encoding="utf-8")
        if example.detail.startswith("traceback"):
            lines += ["    " + ln for ln in example.detail.splitlines()[-6:]]
    return "\n".join(lines)


def _main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="files to fuzz (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--batch", type=int, default=100, help="files per `playbook validate` run (default 100)")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds a batch may take (default 5)")
    parser.add_argument("--keep", type=Path, help="write one reproducer per cause into this folder")
    args = parser.parse_args()
    # A batch stuck for good (an endless loop) is dumped with every thread's stack, and the run stops.
    faulthandler.dump_traceback_later(max(60.0, args.timeout * 12), repeat=False, exit=True)
    result = run(args.count, args.seed, args.batch, args.timeout,
                 log=lambda msg: (faulthandler.dump_traceback_later(max(60.0, args.timeout * 12), exit=True),
                                  print(msg, file=sys.stderr, end="\r" if sys.stderr.isatty() else "\n")))
    faulthandler.cancel_dump_traceback_later()
    print(file=sys.stderr)
    print(report(result, args.keep))
    return 1 if result.findings else 0


if __name__ == "__main__":
    sys.exit(_main())
