"""A playbook's settings, read once from mkdocs.yml and the environment, validated with located errors.

Everything a team changes lives in mkdocs.yml: the title (`site_name`), the addresses (`site_url`, `repo_url`,
`repo_name`, `edit_uri`) and, under `extra.playbook`, the generator's words (`strings`), the blanks printed at the
top of each sheet (`sheet_fields`), lint rules and limits (`lint`, `limits`), the handle new records name as their
`owner`, after how many days a record's review is due (`freshness.max_age_days`), the words search drops or adds
to a reader's query (`search.stop_words`, `search.synonyms`) and the headings situations are grouped under
(`themes`). Addresses that mkdocs.yml leaves out come from the environment (GitHub Actions sets
GITHUB_REPOSITORY) or stay empty: none is ever made up.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from .diagnostics import ERROR, ContentError, Diagnostic, Report
from .load import DEFAULT_LIMITS, Limits
from .schema_source import DEFAULT_CONTENT_LIMITS, ContentLimits, limit_names
from .strings import DEFAULT_SHEET_FIELDS, DEFAULT_STRINGS, Strings, merged, placeholders

CONFIG = "mkdocs.yml"
PLAYBOOK_KEYS = ("strings", "sheet_fields", "lint", "limits", "owner", "freshness", "search", "themes")
# A person's or team's handle, as the record schema allows it in `owner:` (schema_source.COMMON).
OWNER_RE = re.compile(r"^@?[A-Za-z0-9][A-Za-z0-9._/-]{0,79}$")
DEFAULT_MAX_AGE_DAYS = 365
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    locations: Mapping[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def where(self, path: tuple[Any, ...]) -> tuple[int, int]:
        """Line and column in mkdocs.yml of an `extra.playbook` value (or of its nearest located parent)."""
        probe = tuple(path)
        while probe and probe not in self.locations:
            probe = probe[:-1]
        return self.locations.get(probe, (1, 1))


def _text(node: yaml.Node | None, env: Mapping[str, str]) -> str:
    """A top-level string setting; `!ENV [NAME, default]` is read as MkDocs reads it."""
    if node is None:
        return ""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "!ENV":
            return env.get(node.value, "")
        return node.value if node.tag in ("tag:yaml.org,2002:str",) or not node.tag.startswith("!") else ""
    if isinstance(node, yaml.SequenceNode) and node.tag == "!ENV":
        names = [child.value for child in node.value if isinstance(child, yaml.ScalarNode)]
        for name in names[:-1]:
            if env.get(name):
                return env[name]
        return names[-1] if len(names) > 1 else env.get(names[0], "") if names else ""
    return ""


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value
    return None


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Problems:
    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def add(self, where: tuple[int, int], field_path: str, message: str, rule: str) -> None:
        self.items.append(Diagnostic(CONFIG, where[0], where[1], ERROR, message, rule, field_path))


def _plain(node: yaml.Node, path: tuple[Any, ...], locations: dict, problems: _Problems) -> Any:
    """A YAML node as plain data, with a location for every value; tags other than the core ones are refused."""
    locations[path] = _mark(node)
    dotted = "extra.playbook" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    if isinstance(node, yaml.ScalarNode):
        if node.tag.startswith("!") and node.tag != "!":
            problems.add(_mark(node), dotted, f"the tag {node.tag!r} is not allowed here; write a plain value", "config.tag")
            return None
        if not node.style and node.value in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return node.value.lower() == "true"
        if not node.style and node.value.lstrip("-").isdigit() and len(node.value) < 12:
            return int(node.value)
        if not node.style and node.value in ("", "~", "null", "Null", "NULL"):
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_plain(child, (*path, i), locations, problems) for i, child in enumerate(node.value)]
    out: dict[str, Any] = {}
    for key_node, value in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        if key in out:  # YAML would keep the last one silently: a second `lint:` must not hide the first
            line, _ = locations[(*path, key, "<key>")]
            problems.add(_mark(key_node), f"{dotted}.{key}",
                         f"duplicate key {key!r} (first defined at line {line}); merge the two into one",
                         "config.duplicate-key")
            continue
        locations[(*path, key, "<key>")] = _mark(key_node)
        out[key] = _plain(value, (*path, key), locations, problems)
    return out


def _unknown(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"


def pages_address(repository: str) -> str:
    """The GitHub Pages address of OWNER/REPO."""
    owner, _, repo = repository.partition("/")
    if repo.lower() == f"{owner.lower()}.github.io":
        return f"https://{owner.lower()}.github.io/"
    return f"https://{owner.lower()}.github.io/{repo}/"


# The theme prints these as HTML (MkDocs' convention: `{{ config.site_name }}` is not escaped, also inside
# attributes), so markup in them would be live on every page: refused here, with its line, rather than escaped
# (escaping would show `&amp;` where the theme does escape, as in the logo's tooltip).
RAW_HTML_SETTINGS = ("site_name", "site_description", "site_author", "repo_name")
_MARKUP = re.compile(r"[<>\"]|&(?=[#A-Za-z])")
# A language tag as BCP 47 writes it (`en`, `pt-BR`, `zh-Hant`): the theme loads a template by this name, and
# sheets carry it as their `lang`.
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# The agenda is saved as JSON under this name: `.html` would make the saved file a web page that runs its text.
_AGENDA_FILE = re.compile(r"^[^./\\:*?\"<>|\x00-\x1f\x7f][^/\\:*?\"<>|\x00-\x1f\x7f]*\.json$")


def _check_raw_html(top: yaml.Node | None, env: Mapping[str, str], problems: _Problems) -> None:
    for key in RAW_HTML_SETTINGS:
        node = _get(top, key)
        found = _MARKUP.search(_text(node, env))
        if node is not None and found:
            problems.add(_mark(node), key, f"{found.group()!r} is markup, and the theme prints {key} as HTML on "
                         f"every page; write it as plain text (spell '&' as 'and', drop '<', '>' and '\"')",
                         "config.markup")


def theme_languages(root: Path, theme: yaml.Node | None) -> set[str] | None:
    """The languages Material has words for (its own and the playbook's custom_dir), or None for another theme."""
    name = _text(_get(theme, "name"), {}) if isinstance(theme, yaml.MappingNode) else _text(theme, {})
    if name != "material":
        return None
    try:
        from importlib.resources import files

        folders = [Path(str(files("material") / "templates" / "partials" / "languages"))]
    except (ImportError, TypeError):
        return None
    custom = _text(_get(theme, "custom_dir"), {})
    if custom:
        folders.append(root / custom / "partials" / "languages")
    return {p.stem for folder in folders if folder.is_dir() for p in folder.glob("*.html")}


def _check_language(root: Path, theme: yaml.Node | None, language: str, problems: _Problems) -> None:
    node = _get(theme, "language")
    if node is None:
        return
    known = theme_languages(root, theme)
    if not _LANGUAGE.match(language):
        problems.add(_mark(node), "theme.language", f"{language!r} is not a language tag; write one such as en, "
                     f"de or pt-BR", "config.language")
    elif known is not None and language not in known:
        close = [k for k in sorted(known) if k.lower() == language.lower()] or difflib.get_close_matches(
            language, sorted(known), n=2, cutoff=0.6)
        hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else "see the theme's list of languages"
        problems.add(_mark(node), "theme.language", f"the theme has no words for the language {language!r}; {hint}",
                     "config.language")


def _check_strings(raw: Any, problems: _Problems, locations: dict) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.add(locations[("strings",)], "extra.playbook.strings", "must be a mapping of string keys to text",
                     "config.type")
        return {}
    out: dict[str, str] = {}
    for key, value in raw.items():
        where = locations.get(("strings", key, "<key>"), (1, 1))
        if key not in DEFAULT_STRINGS:
            problems.add(where, f"extra.playbook.strings.{key}", f"unknown string key {key!r}; "
                         f"{_unknown(key, sorted(DEFAULT_STRINGS))}", "config.unknown-key")
        elif not isinstance(value, str) or not value.strip() or "\n" in value:
            problems.add(locations.get(("strings", key), where), f"extra.playbook.strings.{key}",
                         "must be one line of text", "config.type")
        elif key in ("agenda.file_name", "agenda.kept_file_name") and not _AGENDA_FILE.match(value):
            problems.add(locations.get(("strings", key), where), f"extra.playbook.strings.{key}",
                         "must be a file name ending in .json, with no folder in it (the agenda is saved as JSON; "
                         "a name ending in .html would make the saved file a web page)", "config.file-name")
        elif not placeholders(value) <= placeholders(DEFAULT_STRINGS[key]):
            extra = sorted(placeholders(value) - placeholders(DEFAULT_STRINGS[key]))
            allowed = ", ".join("{" + p + "}" for p in sorted(placeholders(DEFAULT_STRINGS[key]))) or "none"
            problems.add(locations.get(("strings", key), where), f"extra.playbook.strings.{key}",
                         f"unknown placeholder {{{extra[0]}}}; this string may use: {allowed}", "config.placeholder")
        else:
            out[key] = value
    return out


def _check_fields(raw: Any, problems: _Problems, locations: dict) -> tuple[str, ...]:
    if raw is None:
        return DEFAULT_SHEET_FIELDS
    ok = isinstance(raw, list) and len(raw) <= 4 and all(isinstance(v, str) and 0 < len(v) <= 40 and "\n" not in v
                                                         for v in raw)
    if not ok:
        problems.add(locations.get(("sheet_fields",), (1, 1)), "extra.playbook.sheet_fields",
                     "must be a list of at most 4 short labels, e.g. [Date, Name]", "config.type")
        return DEFAULT_SHEET_FIELDS
    return tuple(raw)


def _check_limits(raw: Any, problems: _Problems, locations: dict) -> dict[str, int]:
    """The limits a playbook sets: a file's size and nesting (load.Limits) and its content (ContentLimits)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.add(locations.get(("limits",), (1, 1)), "extra.playbook.limits", "must be a mapping of limits",
                     "config.type")
        return {}
    known = [*Limits.__dataclass_fields__, *limit_names()]
    values: dict[str, int] = {}
    for key, value in raw.items():
        if key not in known:
            problems.add(locations.get(("limits", key, "<key>"), (1, 1)), f"extra.playbook.limits.{key}",
                         f"unknown limit {key!r}; {_unknown(key, known)}", "config.unknown-key")
        elif not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 1 << 30:
            problems.add(locations.get(("limits", key), (1, 1)), f"extra.playbook.limits.{key}",
                         "must be a whole number from 1 to 1073741824", "config.type")
        else:
            values[key] = value
    return values


def _check_owner(raw: Any, problems: _Problems, locations: dict) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str) or not OWNER_RE.match(raw):
        problems.add(locations.get(("owner",), (1, 1)), "extra.playbook.owner",
                     "must be a person's or team's handle (letters, digits, . _ / -; an optional leading @), "
                     "e.g. docs-team or @my-org/editors", "config.type")
        return ""
    return raw


def _check_freshness(raw: Any, problems: _Problems, locations: dict) -> int:
    if raw is None:
        return DEFAULT_MAX_AGE_DAYS
    if not isinstance(raw, dict):
        problems.add(locations.get(("freshness",), (1, 1)), "extra.playbook.freshness",
                     "must be a mapping, e.g. {max_age_days: 365}", "config.type")
        return DEFAULT_MAX_AGE_DAYS
    days = DEFAULT_MAX_AGE_DAYS
    for key, value in raw.items():
        if key != "max_age_days":
            problems.add(locations.get(("freshness", key, "<key>"), (1, 1)), f"extra.playbook.freshness.{key}",
                         f"unknown setting {key!r}; {_unknown(key, ['max_age_days'])}", "config.unknown-key")
        elif not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 36_500:
            problems.add(locations.get(("freshness", key), (1, 1)), "extra.playbook.freshness.max_age_days",
                         "must be a whole number of days from 1 to 36500", "config.type")
        else:
            days = value
    return days


_SEARCH_WORD = re.compile(r"^[^\s<>&\"]{1,40}$")


def _words(raw: Any, where: tuple[int, int], name: str, problems: _Problems) -> tuple[str, ...] | None:
    if not isinstance(raw, list) or not all(isinstance(w, str) and _SEARCH_WORD.match(w) for w in raw):
        problems.add(where, name, "must be a list of single words (no spaces, at most 40 characters each), "
                     "e.g. [outage, incident]", "config.type")
        return None
    return tuple(w.lower() for w in raw)


def _check_search(raw: Any, problems: _Problems, locations: dict) -> tuple[tuple[str, ...] | None, dict]:
    """extra.playbook.search: `stop_words` (a list of words) and `synonyms` (a reader's word -> words to add)."""
    if raw is None:
        return None, {}
    if not isinstance(raw, dict):
        problems.add(locations.get(("search",), (1, 1)), "extra.playbook.search",
                     "must be a mapping, e.g. {synonyms: {bug: [defect]}}", "config.type")
        return None, {}
    stop_words: tuple[str, ...] | None = None
    synonyms: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        where = locations.get(("search", key), locations.get(("search", key, "<key>"), (1, 1)))
        if key == "stop_words":
            stop_words = _words(value, where, "extra.playbook.search.stop_words", problems)
        elif key == "synonyms":
            if not isinstance(value, dict):
                problems.add(where, "extra.playbook.search.synonyms",
                             "must be a mapping of a reader's word to the playbook's words, e.g. {bug: [defect]}",
                             "config.type")
                continue
            for word, others in value.items():
                name = f"extra.playbook.search.synonyms.{word}"
                if not isinstance(word, str) or not _SEARCH_WORD.match(word):
                    problems.add(locations.get(("search", key, word, "<key>"), where), name,
                                 "a synonym's key must be a single word (no spaces, at most 40 characters)",
                                 "config.type")
                    continue
                found = _words(others, locations.get(("search", key, word), where), name, problems)
                if found is not None:
                    synonyms[word.lower()] = found
        else:
            problems.add(locations.get(("search", key, "<key>"), (1, 1)), f"extra.playbook.search.{key}",
                         f"unknown setting {key!r}; {_unknown(key, ['stop_words', 'synonyms'])}", "config.unknown-key")
    return stop_words, synonyms


_TAG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # a tag as the record schema allows it (schema_source.SLUG)


def _check_themes(raw: Any, problems: _Problems, locations: dict) -> dict[str, str]:
    """extra.playbook.themes: a tag -> the heading its scenarios are listed under (several tags may share one)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.add(locations.get(("themes",), (1, 1)), "extra.playbook.themes",
                     "must be a mapping of a tag to the heading of its group, e.g. {workload: Too much to do}",
                     "config.type")
        return {}
    themes: dict[str, str] = {}
    for tag, heading in raw.items():
        where = locations.get(("themes", tag, "<key>"), (1, 1))
        if not isinstance(tag, str) or not _TAG.match(tag):
            problems.add(where, f"extra.playbook.themes.{tag}", f"{tag!r} is not a tag; write a tag as scenarios "
                         "do: lowercase words joined by hyphens, e.g. one-on-ones", "config.type")
        elif not isinstance(heading, str) or not heading.strip() or "\n" in heading or len(heading) > 80:
            problems.add(locations.get(("themes", tag), where), f"extra.playbook.themes.{tag}",
                         "must be a heading of one line of text (at most 80 characters)", "config.type")
        else:
            themes[tag] = heading.strip()
    return themes


_READ: dict[tuple[Any, ...], Settings | ContentError] = {}


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


def _read_settings(root: Path, env: Mapping[str, str]) -> Settings:
    path = root / CONFIG
    top: yaml.Node | None = None
    problems = _Problems()
    if path.is_symlink():
        problems.add((1, 1), "", "mkdocs.yml is a symbolic link; keep the settings file itself in the playbook",
                     "config.symlink")
    elif path.is_file() and path.stat().st_size > DEFAULT_LIMITS.max_bytes:
        problems.add((1, 1), "", f"mkdocs.yml is over {DEFAULT_LIMITS.max_bytes:,} bytes; this is not a settings file",
                     "config.too-large")
    elif path.is_file():
        try:
            top = yaml.compose(path.read_text(encoding="utf-8"), Loader=_SafeBase)
        except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
            mark = getattr(exc, "problem_mark", None)
            where = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problems.add(where, "", f"cannot read the settings: {getattr(exc, 'problem', None) or exc}", "config.syntax")
    title = _text(_get(top, "site_name"), env) or "Playbook"
    theme = _get(top, "theme")
    language = _text(_get(theme, "language"), env) or "en"
    repository = env.get("GITHUB_REPOSITORY", "")
    server = env.get("GITHUB_SERVER_URL") or "https://github.com"
    site_url = _text(_get(top, "site_url"), env) or env.get("PLAYBOOK_SITE_URL", "") or (
        pages_address(repository) if repository.count("/") == 1 else "")
    repo_url = _text(_get(top, "repo_url"), env) or (f"{server.rstrip('/')}/{repository}" if repository.count("/") == 1
                                                     else "")
    repo_name = _text(_get(top, "repo_name"), env) or (repository if repo_url and repository else "")
    edit_uri = _text(_get(top, "edit_uri"), env)
    docs_dir = (_text(_get(top, "docs_dir"), env) or "docs").rstrip("/")
    _check_raw_html(top, env, problems)
    _check_language(root, theme, language, problems)
    if site_url and not site_url.endswith("/"):
        site_url += "/"

    locations: dict[tuple[Any, ...], tuple[int, int]] = {}
    node = _get(_get(top, "extra"), "playbook")
    raw: dict[str, Any] = {}
    if node is not None:
        value = _plain(node, (), locations, problems)
        if isinstance(value, dict):
            raw = value
            for key in raw:
                if key not in PLAYBOOK_KEYS:
                    problems.add(locations[(key, "<key>")], f"extra.playbook.{key}",
                                 f"unknown setting {key!r}; {_unknown(key, list(PLAYBOOK_KEYS))}", "config.unknown-key")
        elif value is not None:
            problems.add(_mark(node), "extra.playbook", "must be a mapping of settings", "config.type")
    strings = merged(_check_strings(raw.get("strings"), problems, locations))
    sheet_fields = _check_fields(raw.get("sheet_fields"), problems, locations)
    limits, file_limits = _check_limits(raw.get("limits"), problems, locations), Limits.__dataclass_fields__
    from .lint import check_lint_settings, profile_limits  # lint knows its rules, their limits and its profiles

    search = _check_search(raw.get("search"), problems, locations)

    settings = Settings(root=root, title=title, language=language, site_url=site_url, repo_url=repo_url,
                        repo_name=repo_name, edit_uri=edit_uri, docs_dir=docs_dir, strings=strings,
                        sheet_fields=sheet_fields,
                        lint=raw.get("lint") or {}, limits=Limits(**{k: v for k, v in limits.items() if k in file_limits}),
                        content=ContentLimits(**{**profile_limits(raw.get("lint")),
                                                 **{k: v for k, v in limits.items() if k not in file_limits}}),
                        owner=_check_owner(raw.get("owner"), problems, locations),
                        max_age_days=_check_freshness(raw.get("freshness"), problems, locations),
                        stop_words=search[0], synonyms=search[1],
                        themes=_check_themes(raw.get("themes"), problems, locations),
                        locations=locations)
    problems.items.extend(check_lint_settings(settings))
    if problems.items:
        raise ContentError(Report(problems.items, files=0))
    return settings
