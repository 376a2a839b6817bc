"""Checking mkdocs.yml: the settings schema pass, then the few checks a schema cannot say, each a located error.

The schema pass goes through the records' own machinery (records/schema.located_errors), so a setting's mistake
reads like a record's: `mkdocs.yml:LINE:COL: error: extra.playbook.FIELD: what is wrong; how to fix it [config.x]`.
"""
from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from jsonschema.exceptions import ValidationError

from playbook.core.diagnostics import ERROR, Diagnostic
from playbook.core.settings_schema import SETTINGS_SCHEMA
from playbook.core.strings import DEFAULT_STRINGS, placeholders
from playbook.records.yaml_reader import Record, Tagged, field_name
from playbook.records.schema import Problem, ecma_regex, located_errors, schema_validator

CONFIG = "mkdocs.yml"
PREFIX = ("extra", "playbook")  # where the schema's settings sit in mkdocs.yml

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
_ONE_LINE = SETTINGS_SCHEMA["properties"]["strings"]["properties"]["kind.steps"]["pattern"]


def error(source: Record, path: tuple[Any, ...], message: str, rule: str, *, key: bool = False,
          field: str | None = None) -> Diagnostic:
    """A located error in mkdocs.yml at `path` (a full path from the top of the file)."""
    line, column = source.where(path, key=key)
    return Diagnostic(CONFIG, line, column, ERROR, message, rule, field_name(path) if field is None else field)


def did_you_mean(key: str, known: list[str]) -> str:
    """`did you mean 'x'?`, or the known keys when none is close."""
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"


def _nearest_message(error: ValidationError) -> tuple[str, int, bool] | None:
    """The `errorMessage` of the deepest schema around the failure, how deep its value sits, and whether it is a key.

    A word in a list of words fails on its own, but the list's sentence ("must be a list of single words") at the
    list's line is what helps; a map's key fails under `propertyNames` and is pointed at itself.
    """
    node: Any = SETTINGS_SCHEMA
    parts, depth, at_key, i = list(error.absolute_schema_path), 0, False, 0
    found = (node["errorMessage"], 0, False) if "errorMessage" in node else None
    while i < len(parts) and isinstance(node, dict):
        word = parts[i]
        if word in ("properties", "patternProperties") and i + 1 < len(parts):
            node, i, depth = node[word][parts[i + 1]], i + 2, depth + 1
        elif word in ("additionalProperties", "items"):
            node, i, depth = node[word], i + 1, depth + 1
        elif word == "propertyNames":
            node, i, at_key = node[word], i + 1, True
        else:
            break  # the keyword that failed
        if isinstance(node, dict) and "errorMessage" in node:
            found = (node["errorMessage"], depth, at_key)
    return found


def _explain(error: ValidationError) -> list[Problem]:
    """One schema failure of the settings as (message, rule, path, at the key)."""
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and error.validator_value is False:
        known = list(error.schema.get("properties", {}))
        noun = error.schema.get("x-unknown-key", "setting")
        return [(f"unknown {noun} {key!r}; {did_you_mean(key, known)}", "config.unknown-key", (*path, key), True)
                for key in error.instance if key not in known]
    found = _nearest_message(error)
    if found is None:
        return [(error.message, "config.type", path, False)]
    message, depth, at_key = found
    if at_key:
        return [(message.replace("{value}", repr(error.instance)), "config.type", (*path[:depth], error.instance),
                 True)]
    return [(message, "config.type", path[:depth], False)]


@lru_cache(maxsize=1)
def _validator() -> Any:
    return schema_validator(SETTINGS_SCHEMA)


def schema_problems(settings: Any, source: Record) -> list[Diagnostic]:
    """Every way `extra.playbook` breaks the settings schema, located in mkdocs.yml."""
    return located_errors(_validator(), settings, source, _explain, PREFIX)


def without_tags(value: Any, path: tuple[Any, ...], source: Record, problems: list[Diagnostic]) -> Any:
    """The settings with every `!tag` value reported and dropped (`!ENV` belongs to MkDocs' own keys, not these)."""
    if isinstance(value, Tagged):
        problems.append(error(source, path, f"the tag {value.tag!r} is not allowed here; write a plain value",
                              "config.tag"))
        return None
    if isinstance(value, dict):
        kept = {k: without_tags(v, (*path, k), source, problems) for k, v in value.items()}
        return {k: v for k, v in kept.items() if not isinstance(value[k], Tagged)}
    if isinstance(value, list):
        return [without_tags(v, (*path, i), source, problems) for i, v in enumerate(value)]
    return value


def check_strings(raw: Any, source: Record, problems: list[Diagnostic]) -> dict[str, str]:
    """The string overrides that pass what the schema cannot say: agenda file names and {placeholders}."""
    out: dict[str, str] = {}
    if not isinstance(raw, dict):
        return out
    for key, value in raw.items():
        if key not in DEFAULT_STRINGS or not isinstance(value, str) or not ecma_regex(_ONE_LINE).search(value):
            continue  # the schema pass said so
        path = (*PREFIX, "strings", key)
        if key in ("agenda.file_name", "agenda.kept_file_name") and not _AGENDA_FILE.match(value):
            problems.append(error(source, path, "must be a file name ending in .json, with no folder in it (the "
                                  "agenda is saved as JSON; a name ending in .html would make the saved file a web "
                                  "page)", "config.file-name"))
        elif not placeholders(value) <= placeholders(DEFAULT_STRINGS[key]):
            extra = sorted(placeholders(value) - placeholders(DEFAULT_STRINGS[key]))
            allowed = ", ".join("{" + p + "}" for p in sorted(placeholders(DEFAULT_STRINGS[key]))) or "none"
            problems.append(error(source, path, f"unknown placeholder {{{extra[0]}}}; this string may use: {allowed}",
                                  "config.placeholder"))
        else:
            out[key] = value
    return out


def check_raw_html(source: Record, text: Callable[[Any], str]) -> list[Diagnostic]:
    """Markup in the settings the theme prints as HTML."""
    out = []
    for key in RAW_HTML_SETTINGS:
        found = _MARKUP.search(text(source.data.get(key))) if key in source.data else None
        if found:
            out.append(error(source, (key,), f"{found.group()!r} is markup, and the theme prints {key} as HTML on "
                             f"every page; write it as plain text (spell '&' as 'and', drop '<', '>' and '\"')",
                             "config.markup"))
    return out


def theme_languages(root: Path, theme: Any) -> set[str] | None:
    """The languages Material has words for (its own and the playbook's custom_dir), or None for another theme."""
    name = theme.get("name") if isinstance(theme, dict) else theme
    if name != "material":
        return None
    try:
        from importlib.resources import files

        folders = [Path(str(files("material") / "templates" / "partials" / "languages"))]
    except (ImportError, TypeError):
        return None
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    if isinstance(custom, str) and custom:
        folders.append(root / custom / "partials" / "languages")
    return {p.stem for folder in folders if folder.is_dir() for p in folder.glob("*.html")}


def check_language(root: Path, source: Record, language: str) -> list[Diagnostic]:
    """theme.language: a language tag the theme has words for."""
    theme = source.data.get("theme")
    if not isinstance(theme, dict) or "language" not in theme:
        return []
    path = ("theme", "language")
    if not _LANGUAGE.match(language):
        return [error(source, path, f"{language!r} is not a language tag; write one such as en, de or pt-BR",
                      "config.language")]
    known = theme_languages(root, theme)
    if known is None or language in known:
        return []
    close = [k for k in sorted(known) if k.lower() == language.lower()] or difflib.get_close_matches(
        language, sorted(known), n=2, cutoff=0.6)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else "see the theme's list of languages"
    return [error(source, path, f"the theme has no words for the language {language!r}; {hint}", "config.language")]
