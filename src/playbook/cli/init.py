"""`playbook init DIR`: a new content-only playbook (settings, example records, pages, CI), like `mkdocs new`."""
from __future__ import annotations

import re
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from playbook import __version__
from playbook.core.diagnostics import BuildError
from playbook.records.schema_source import KINDS, schema_text

# The starter's two substitutions: the generator's version in requirements.txt, and today's date as the example
# records' review date (so a playbook started next year is not due for review on its first day). The files are
# copied as they are, never rendered, so no text in them can act as template source.
VERSION_MARKER = "@PLAYBOOK_VERSION@"
PINNED = "requirements.txt"
REVIEWED = re.compile(r"(?m)^reviewed: \d{4}-\d{2}-\d{2}$")


def _walk(node: Any, prefix: str, out: dict[str, str]) -> None:
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name == "__pycache__":
            continue
        if child.is_dir():
            _walk(child, f"{prefix}{child.name}/", out)
        else:
            out[f"{prefix}{child.name}"] = child.read_text(encoding="utf-8")


def starter_files(today: date | None = None) -> dict[str, str]:
    """Every file `init` writes, by path relative to the new playbook: the package's starter and the schemas."""
    out: dict[str, str] = {}
    _walk(files("playbook") / "starter", "", out)
    out[PINNED] = out[PINNED].replace(VERSION_MARKER, __version__)
    reviewed = f"reviewed: {(today or date.today()).isoformat()}"
    for rel in out:
        if rel.startswith("data/"):
            out[rel] = REVIEWED.sub(reviewed, out[rel])
    # The same JSON `playbook schemas --write` writes, so editors check records as they are typed.
    for kind in KINDS:
        out[f"schemas/{kind}.schema.json"] = schema_text(kind)
    return dict(sorted(out.items()))


def init_playbook(target: Path) -> list[str]:
    """Write a new playbook into target, made if missing; refuse one that is not an empty folder. Return its files."""
    if target.is_symlink() or target.exists():
        if not target.is_dir():
            raise BuildError(f"{target} exists and is not a folder; name a new or empty folder")
        if any(target.iterdir()):
            raise BuildError(f"{target} is not empty; name a new or empty folder (init never overwrites a file)")
    contents = starter_files()  # read all of it before writing any of it
    try:
        target.mkdir(parents=True, exist_ok=True)
        for rel, text in contents.items():
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    except OSError as exc:
        raise BuildError(f"cannot write {exc.filename or target}: {exc.strerror or exc}") from None
    return list(contents)
