"""What in a repository still speaks of the example playbook it was copied from, or of kinds it does not have.

A team that adopts the generator replaces data/, content/ and the title, and may forget the scaffolding around
them: the issue forms, the pull-request template, the guides, the package's description. `playbook leftovers`
lists each line that still names the example's subject (the phrases its mkdocs.yml lists under
`extra.playbook.example_words`: its subject, its own record ids and sources), and each contributor form or template
that asks for a kind of record the playbook has none of. The generator itself knows no example's words.
"""
from __future__ import annotations

import re
from pathlib import Path

from playbook.core.diagnostics import WARNING, Diagnostic
from playbook.core.settings import Settings, load_settings
from playbook.records.schema_source import KINDS, SINGULAR

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


def example_words(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern matching any of the phrases whole (not inside a longer word), in any case; None for none."""
    if not phrases:
        return None
    alternatives = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.I)


def leftovers(root: Path, *, guides: bool = True, settings: Settings | None = None) -> list[Diagnostic]:
    """Every line of the scaffolding that names the example playbook (`extra.playbook.example_words`), and every
    form asking for a missing kind (raises ContentError when mkdocs.yml's settings are invalid).

    `guides=False` leaves out README.md and ADOPTING.md, which describe the example on purpose until replaced."""
    settings = settings or load_settings(root)
    words = example_words(settings.example_words)
    # The list's own lines in mkdocs.yml name the words on purpose.
    listed = {settings.where(("example_words", i))[0] for i in range(len(settings.example_words))}
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
            found = words.search(line) if words and not (rel == "mkdocs.yml" and number in listed) else None
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
