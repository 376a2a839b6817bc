"""A playbook's settings, read once from mkdocs.yml and the environment, validated with located errors.

Everything a team changes lives in mkdocs.yml: the title (`site_name`), the addresses (`site_url`, `repo_url`,
`repo_name`, `edit_uri`) and, under `extra.playbook`, the settings declared in settings_schema.py (one JSON Schema,
with a description per key: the generator's words, the sheets' blanks, lint rules and limits, the owner of new
records, when a review is due, search words and the situations' groups). mkdocs.yml is read by the records' own
reader (records/yaml_reader.py: a line and column for every value) and checked by the records' own schema machinery, then
by the few checks a schema cannot say (settings_check.py). Addresses that mkdocs.yml leaves out come from the
environment (GitHub Actions sets GITHUB_REPOSITORY) or stay empty: none is ever made up.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from playbook.core.diagnostics import ERROR, ContentError, Diagnostic, Report
from playbook.core.settings_check import (CONFIG, PREFIX, check_language, check_raw_html, check_strings,
                                          schema_problems, theme_languages, without_tags)
from playbook.core.settings_schema import DEFAULT_MAX_AGE_DAYS, OWNER, PLAYBOOK_KEYS
from playbook.core.strings import DEFAULT_SHEET_FIELDS, Strings, merged
from playbook.records.yaml_reader import DEFAULT_LIMITS, Limits, Record, Tagged, parse_text
from playbook.records.content_limits import DEFAULT_CONTENT_LIMITS, ContentLimits

OWNER_RE = re.compile(OWNER)  # a person's or team's handle, as the record schema allows it in `owner:`
__all__ = ["CONFIG", "DEFAULT_MAX_AGE_DAYS", "OWNER_RE", "PLAYBOOK_KEYS", "Settings", "load_settings",
           "pages_address", "theme_languages"]


@dataclass(frozen=True)
class Settings:
    """What the generator needs to know about one playbook besides its records."""

    root: Path
    title: str = "Playbook"
    language: str = "en"
    site_url: str = ""
    repo_url: str = ""
    repo_name: str = ""
    edit_uri: str = ""
    docs_dir: str = "docs"  # the hand-written pages' folder, relative to the root (MkDocs' default)
    strings: Strings = field(default_factory=merged)
    sheet_fields: tuple[str, ...] = DEFAULT_SHEET_FIELDS
    lint: Mapping[str, Any] = field(default_factory=dict)
    limits: Limits = DEFAULT_LIMITS
    content: ContentLimits = DEFAULT_CONTENT_LIMITS  # text lengths and list sizes: defaults, profile, then limits
    owner: str = ""  # the handle `playbook new` writes as a new record's owner
    max_age_days: int = DEFAULT_MAX_AGE_DAYS  # a review older than this is due (extra.playbook.freshness)
    # Search (extra.playbook.search): words a query drops (None: theme.language's list) and reader word -> words.
    stop_words: tuple[str, ...] | None = None
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The situations' groups (extra.playbook.themes): tag -> heading, in order; empty: each scenario's first tag.
    themes: Mapping[str, str] = field(default_factory=dict)
    # Phrases naming the playbook's own subject, which `playbook leftovers` finds in a copy (extra.playbook).
    example_words: tuple[str, ...] = ()
    locations: Mapping[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def where(self, path: tuple[Any, ...]) -> tuple[int, int]:
        """Line and column in mkdocs.yml of an `extra.playbook` value (or of its nearest located parent)."""
        probe = tuple(path)
        while probe and probe not in self.locations:
            probe = probe[:-1]
        return self.locations.get(probe, (1, 1))


def _scalar_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else ""


def _text(value: Any, env: Mapping[str, str]) -> str:
    """A top-level string setting; `!ENV NAME` and `!ENV [NAME, ..., default]` are read as MkDocs reads them."""
    if not isinstance(value, Tagged):
        return _scalar_text(value)
    if value.tag != "!ENV":
        return ""
    if isinstance(value.value, str):
        return env.get(value.value, "")
    names = [_scalar_text(v) for v in value.value] if isinstance(value.value, list) else []
    for name in names[:-1]:
        if env.get(name):
            return env[name]
    return names[-1] if len(names) > 1 else env.get(names[0], "") if names else ""


def pages_address(repository: str) -> str:
    """The GitHub Pages address of OWNER/REPO."""
    owner, _, repo = repository.partition("/")
    if repo.lower() == f"{owner.lower()}.github.io":
        return f"https://{owner.lower()}.github.io/"
    return f"https://{owner.lower()}.github.io/{repo}/"


_READ: dict[tuple[Any, ...], Settings | ContentError] = {}
# mkdocs.yml holds more than a record (every string override in one mapping, a long nav), within the same bytes.
_CONFIG_LIMITS = replace(DEFAULT_LIMITS, max_keys=2_000, max_items=10_000, max_values=100_000)


def load_settings(root: Path, env: Mapping[str, str] | None = None) -> Settings:
    """Read root/mkdocs.yml and the environment; raises ContentError with located messages on bad settings.

    One build asks from several places (the hook, the macros, validation, exports): the file is read again only
    when it or the environment changed.
    """
    env = os.environ if env is None else env
    path = Path(root) / CONFIG
    try:
        info = path.lstat()
        stamp: tuple[Any, ...] = (info.st_mtime_ns, info.st_size, info.st_ino)
    except OSError:
        stamp = ()
    key = (str(path.resolve()), stamp, frozenset(env.items()))
    if key not in _READ:
        if len(_READ) > 8:
            _READ.clear()
        try:
            _READ[key] = _read_settings(Path(root), env)
        except ContentError as exc:
            _READ[key] = exc
    found = _READ[key]
    if isinstance(found, ContentError):
        raise found
    return found


def _problem(message: str, rule: str, line: int = 1, column: int = 1) -> Diagnostic:
    return Diagnostic(CONFIG, line, column, ERROR, message, rule)


def _parse(path: Path) -> tuple[Record, list[Diagnostic]]:
    """mkdocs.yml through the records' reader (leniently: MkDocs' own tags are kept for the keys that take them)."""
    empty = Record("", "", CONFIG, {})
    if path.is_symlink():
        return empty, [_problem("mkdocs.yml is a symbolic link; keep the settings file itself in the playbook",
                                "config.symlink")]
    if not path.is_file():
        return empty, []
    if path.stat().st_size > DEFAULT_LIMITS.max_bytes:
        return empty, [_problem(f"mkdocs.yml is over {DEFAULT_LIMITS.max_bytes:,} bytes; this is not a settings "
                                f"file", "config.too-large")]
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (UnicodeDecodeError, OSError) as exc:
        return empty, [_problem(f"cannot read the settings: {exc}", "config.syntax")]
    result = parse_text(text, CONFIG, "", "", _CONFIG_LIMITS, lenient=True)
    problems = []
    for d in result.diagnostics:
        if d.rule == "yaml.duplicate-key":
            problems.append(Diagnostic(CONFIG, d.line, d.column, ERROR, d.message, "config.duplicate-key", d.field))
        elif d.rule != "file.empty":  # no settings: every default
            problems.append(_problem(f"cannot read the settings: {d.message}", "config.syntax", d.line, d.column))
    return result.record or empty, problems


def _relative(source: Record) -> dict[tuple[Any, ...], tuple[int, int]]:
    """The locations under extra.playbook, by path below it (a key's own place at `(*path, "<key>")`)."""
    n = len(PREFIX)
    out = {path[n:]: at for path, at in source.locations.items() if path[:n] == PREFIX}
    out.update({(*path[n:], "<key>"): at for path, at in source.key_locations.items() if path[:n] == PREFIX})
    return out


def _read_settings(root: Path, env: Mapping[str, str]) -> Settings:
    source, problems = _parse(root / CONFIG)
    top = source.data
    title = _text(top.get("site_name"), env) or "Playbook"
    theme = top.get("theme")
    language = (_text(theme.get("language"), env) if isinstance(theme, dict) else "") or "en"
    repository = env.get("GITHUB_REPOSITORY", "")
    server = env.get("GITHUB_SERVER_URL") or "https://github.com"
    site_url = _text(top.get("site_url"), env) or env.get("PLAYBOOK_SITE_URL", "") or (
        pages_address(repository) if repository.count("/") == 1 else "")
    repo_url = _text(top.get("repo_url"), env) or (f"{server.rstrip('/')}/{repository}" if repository.count("/") == 1
                                                   else "")
    repo_name = _text(top.get("repo_name"), env) or (repository if repo_url and repository else "")
    edit_uri = _text(top.get("edit_uri"), env)
    docs_dir = (_text(top.get("docs_dir"), env) or "docs").rstrip("/")
    problems += check_raw_html(source, lambda value: _text(value, env))
    problems += check_language(root, source, language)
    if site_url and not site_url.endswith("/"):
        site_url += "/"

    extra = top.get("extra")
    raw: Any = extra.get("playbook") if isinstance(extra, dict) else None
    raw = without_tags(raw, PREFIX, source, problems)
    if isinstance(raw, dict):  # a key left empty (`strings:`) is a key not set
        raw = {key: value for key, value in raw.items() if value is not None}
    if raw is not None:
        problems += schema_problems(raw, source)
    raw = raw if isinstance(raw, dict) else {}
    strings = check_strings(raw.get("strings"), source, problems)
    lint = raw.get("lint") if isinstance(raw.get("lint"), dict) else {}
    locations = _relative(source)
    from playbook.records.lint import check_lint_settings, profile_limits  # lint knows its rules, limits, profiles

    problems += check_lint_settings(Settings(root=root, lint=lint, locations=locations))
    if problems:
        raise ContentError(Report(problems, files=0))
    limits = {key: int(value) for key, value in raw.get("limits", {}).items()}
    search = raw.get("search", {})
    stop_words = search.get("stop_words")
    return Settings(root=root, title=title, language=language, site_url=site_url, repo_url=repo_url,
                    repo_name=repo_name, edit_uri=edit_uri, docs_dir=docs_dir, strings=merged(strings),
                    sheet_fields=tuple(raw.get("sheet_fields", DEFAULT_SHEET_FIELDS)), lint=lint,
                    limits=Limits(**{k: v for k, v in limits.items() if k in Limits.__dataclass_fields__}),
                    content=ContentLimits(**{**profile_limits(lint),
                                             **{k: v for k, v in limits.items() if k not in Limits.__dataclass_fields__}}),
                    owner=raw.get("owner", ""),
                    max_age_days=int(raw.get("freshness", {}).get("max_age_days", DEFAULT_MAX_AGE_DAYS)),
                    stop_words=None if stop_words is None else tuple(w.lower() for w in stop_words),
                    synonyms={w.lower(): tuple(o.lower() for o in others)
                              for w, others in search.get("synonyms", {}).items()},
                    themes={tag: heading.strip() for tag, heading in raw.get("themes", {}).items()},
                    example_words=tuple(w.strip() for w in raw.get("example_words", ())), locations=locations)
