"""What in a repository still speaks of the example playbook it was copied from, or of kinds it does not have.

A team that adopts the generator replaces data/, content/ and the title, and may forget the scaffolding around
them: the issue forms, the pull-request template, the guides, the package's description. `playbook leftovers`
lists each line that still names the example's subject (managing up, "your manager", 1:1s, its own records and
sources), and each contributor form or template that asks for a kind of record the playbook has none of.
"""
from __future__ import annotations

import re
from pathlib import Path

from playbook.core.diagnostics import WARNING, Diagnostic
from playbook.records.schema_source import KINDS, SINGULAR

# The words of the example playbook (managing up) that no generic text needs: its subject, its recurring meeting,
# the ids and authors its examples named. Matched whole, in any case.
EXAMPLE_WORDS = re.compile(r"managing[- ]up|\b(?:your|my) (?:own )?(?:manager|boss)\b|\b1:1s?\b|micromanag\w*|"
                           r"hiding-bad-news|prepare-for-a-1-1|\bGabarro\b|\bKotter\b", re.I)
# The repository's own text around the records, where the example's words would outlive it.
SCAFFOLDING = ("README.md", "CONTRIBUTING.md", "ADOPTING.md", "pyproject.toml", "mkdocs.yml",
               ".github/PULL_REQUEST_TEMPLATE.md", ".github/ISSUE_TEMPLATE/*", ".github/CODEOWNERS", "schemas/*.json")
# Where contributors are asked for a record: these must not ask for a kind the playbook lacks.
FORMS = (".github/PULL_REQUEST_TEMPLATE.md", ".github/ISSUE_TEMPLATE/*")


def _files(root: Path, patterns: tuple[str, ...]) -> list[Path]:
    found: list[Path] = []
    for pattern in patterns:
        found += [p for p in sorted(root.glob(pattern)) if p.is_file() and not p.is_symlink() and p not in found]
    return found


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def leftovers(root: Path, *, guides: bool = True) -> list[Diagnostic]:
    """Every line of the scaffolding that names the example playbook, and every form asking for a missing kind.

    `guides=False` leaves out README.md and ADOPTING.md, which describe the example on purpose until replaced."""
    present = {kind for kind in KINDS if any((root / "data" / kind).glob("*.yaml"))}
    missing = [kind for kind in KINDS if kind not in present]
    # Asking for a record of a kind, not the word alone ("every step below"): its folder, its scaffold command, or a
    # request to propose, add or write one.
    kind_words = {kind: re.compile(rf"data/{kind}\b|\bnew {SINGULAR[kind]}\b|\b(?:propos|add|writ)(?:e|es|ing) (?:a|an|"
                                   rf"the|your|this|new) (?:new )?{SINGULAR[kind]}s?\b|\b{SINGULAR[kind]} (?:file|form)s?\b",
                                   re.I) for kind in missing}
    out: list[Diagnostic] = []
    skip = set() if guides else {"README.md", "ADOPTING.md"}
    for path in _files(root, SCAFFOLDING):
        rel = path.relative_to(root).as_posix()
        if rel in skip:
            continue
        for number, line in enumerate(_lines(path), 1):
            found = EXAMPLE_WORDS.search(line)
            if found:
                out.append(Diagnostic(rel, number, found.start() + 1, WARNING,
                                      f"{found.group(0)!r} speaks of the example playbook; write your own words or "
                                      f"make it generic", "example.words"))
    for path in _files(root, FORMS):
        rel = path.relative_to(root).as_posix()
        for number, line in enumerate(_lines(path), 1):
            for kind, pattern in kind_words.items():
                found = pattern.search(line)
                if found:
                    out.append(Diagnostic(rel, number, found.start() + 1, WARNING,
                                          f"asks for a {SINGULAR[kind]}, but this playbook has no {kind}; ask for "
                                          f"the kinds it has, or delete the form", "example.kind"))
                    break
    return sorted(out, key=lambda d: (d.file, d.line, d.column))
