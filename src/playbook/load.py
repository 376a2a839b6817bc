"""Load record files: YAML 1.2 scalars, a line and column for every value, no duplicate keys, aliases or tags.

PyYAML's C composer builds the node tree fast and keeps marks on every node; we walk it ourselves so that
duplicate keys, aliases and non-standard tags become located diagnostics instead of silent data.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import ERROR, Diagnostic
from .schema_source import KINDS, SLUG

Path_ = tuple[Any, ...]
SLUG_RE = re.compile(SLUG)

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class Yaml12Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The C loader with YAML 1.2 core-schema resolvers: `no`, `on`, `1:1` and `012` stay what they look like."""

    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}


for _tag, _pattern, _first in (
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (_INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (_FLOAT, r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+.0123456789"),
):
    Yaml12Loader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


@dataclass
class Record:
    """One loaded record file: its data and where every value stands."""

    kind: str
    id: str
    path: str
    data: dict[str, Any]
    locations: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_locations: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value (or key) at `path`, or of its nearest located parent."""
        table = self.key_locations if key else self.locations
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if key and probe in self.locations:
                return self.locations[probe]
            probe = probe[:-1]
        return self.locations.get((), (1, 1))


@dataclass
class LoadResult:
    record: Record | None
    diagnostics: list[Diagnostic]
    digest: str = ""


class _Refused(Exception):
    def __init__(self, line: int, column: int, message: str, rule: str, fieldpath: str = ""):
        super().__init__(message)
        self.line, self.column, self.message, self.rule, self.field = line, column, message, rule, fieldpath


def field_name(path: Path_) -> str:
    """`moves[2]`, `follow_up.by`: a field path as a reader writes it."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scalar(node: yaml.ScalarNode, path: Path_) -> Any:
    tag, value = node.tag, node.value
    if tag == _STR:
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() == "true"
    if tag == _INT:
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        return int(value)
    if tag == _FLOAT:
        low = value.lower()
        if low.endswith("inf"):
            return float("-inf") if low.startswith("-") else float("inf")
        if low.endswith("nan"):
            return float("nan")
        return float(value)
    raise _Refused(*_mark(node), f"the tag {tag!r} is not allowed; write plain YAML values without '!' tags",
                   "yaml.tag", field_name(path))


class _Walker:
    def __init__(self, record_path: str):
        self.path = record_path
        self.seen: set[int] = set()
        self.locations: dict[Path_, tuple[int, int]] = {}
        self.key_locations: dict[Path_, tuple[int, int]] = {}

    def walk(self, node: yaml.Node, path: Path_) -> Any:
        if id(node) in self.seen:
            raise _Refused(0, 0, "aliases (*name) are not allowed; write the value out in full", "yaml.alias",
                           field_name(path))
        self.seen.add(id(node))
        self.locations[path] = _mark(node)
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise _Refused(*_mark(node), f"the tag {node.tag!r} is not allowed; write a plain list",
                               "yaml.tag", field_name(path))
            return [self.walk(child, (*path, i)) for i, child in enumerate(node.value)]
        if node.tag != _MAP:
            raise _Refused(*_mark(node), f"the tag {node.tag!r} is not allowed; write a plain mapping",
                           "yaml.tag", field_name(path))
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if id(key_node) in self.seen:
                raise _Refused(0, 0, "aliases (*name) are not allowed; write the value out in full", "yaml.alias",
                               field_name(path))
            self.seen.add(id(key_node))
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (_STR, _INT, _BOOL, _NULL, _FLOAT):
                raise _Refused(*_mark(key_node), "mapping keys must be plain words", "yaml.key", field_name(path))
            key = str(key_node.value)
            if key == "<<":
                raise _Refused(*_mark(key_node), "merge keys (<<) are not allowed; write the fields out in full",
                               "yaml.alias", field_name(path))
            if key in out:
                first = self.key_locations[(*path, key)]
                raise _Refused(*_mark(key_node),
                               f"duplicate key {key!r} (first defined at line {first[0]}); remove one of them",
                               "yaml.duplicate-key", field_name((*path, key)))
            self.key_locations[(*path, key)] = _mark(key_node)
            out[key] = self.walk(value_node, (*path, key))
        return out


def _alias_mark(text: str) -> tuple[int, int]:
    """Where the first alias stands; only called on the error path."""
    for event in yaml.parse(text, Loader=Yaml12Loader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1, event.start_mark.column + 1
    return 1, 1


def _decode(raw: bytes, rel: str) -> tuple[str | None, list[Diagnostic]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [Diagnostic(rel, line, column, ERROR,
                                 f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8",
                                 "file.encoding")]
    return text, []


def parse_text(text: str, rel: str, kind: str, record_id: str) -> LoadResult:
    """Parse one record's text into a Record, or diagnostics that say why not."""
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return LoadResult(None, [Diagnostic(rel, 1, 1, ERROR,
                                            "the file is empty; add the record's fields (see `playbook new`)",
                                            "file.empty")])
    try:
        node = yaml.compose(text, Loader=Yaml12Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{exc.context}, {problem}"
        if "found undefined alias" in problem or "found undefined tag handle" in problem:
            rule = "yaml.alias" if "alias" in problem else "yaml.tag"
            message = f"YAML syntax: {problem}; write plain values without '*' aliases or '!' tags"
        else:
            rule = "yaml.syntax"
            message = f"YAML syntax: {problem}; check indentation and quote text holding ': '"
        return LoadResult(None, [Diagnostic(rel, line, column, ERROR, message, rule)])
    except yaml.YAMLError as exc:
        return LoadResult(None, [Diagnostic(rel, 1, 1, ERROR, f"YAML syntax: {exc}", "yaml.syntax")])
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL and not node.value):
        return LoadResult(None, [Diagnostic(rel, 1, 1, ERROR,
                                            "the file is empty; add the record's fields (see `playbook new`)",
                                            "file.empty")])
    walker = _Walker(rel)
    try:
        data = walker.walk(node, ())
    except _Refused as exc:
        line, column = (exc.line, exc.column) if exc.line else _alias_mark(text)
        return LoadResult(None, [Diagnostic(rel, line, column, ERROR, exc.message, exc.rule, exc.field)])
    if not isinstance(data, dict):
        line, column = _mark(node)
        return LoadResult(None, [Diagnostic(rel, line, column, ERROR,
                                            "a record must be a mapping of fields (`title: ...`), not a single value or list",
                                            "schema.type")])
    return LoadResult(Record(kind, record_id, rel, data, walker.locations, walker.key_locations), [])


_CACHE: dict[tuple[str, str], LoadResult] = {}


def load_file(path: Path, root: Path) -> LoadResult:
    """Load one record file; results are cached by content hash so an unchanged file is parsed once."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    kind = path.parent.name
    record_id = path.stem
    diags: list[Diagnostic] = []
    if path.suffix != ".yaml":
        return LoadResult(None, [Diagnostic(rel, 1, 1, ERROR,
                                            f"record files end in .yaml; rename it to {record_id}.yaml", "file.name")])
    if not SLUG_RE.match(record_id):
        diags.append(Diagnostic(rel, 1, 1, ERROR,
                                f"file name {path.name!r} breaks the id rule: use lowercase words and digits joined by "
                                f"single hyphens, e.g. {_suggest_slug(record_id)}.yaml", "file.name"))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return LoadResult(None, [Diagnostic(rel, 1, 1, ERROR, f"cannot read the file: {exc.strerror}", "file.read")])
    digest = hashlib.sha256(raw).hexdigest()
    cached = _CACHE.get((rel, digest))
    if cached is None:
        text, decode_diags = _decode(raw, rel)
        cached = LoadResult(None, decode_diags, digest) if text is None else parse_text(text, rel, kind, record_id)
        cached.digest = digest
        _CACHE[(rel, digest)] = cached
    return LoadResult(cached.record, diags + cached.diagnostics, digest)


def forget_parsed() -> None:
    """Drop the parse cache: a one-off build has no later edit to reuse it for, and frees the memory for pages."""
    _CACHE.clear()


def _suggest_slug(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "my-record"


def record_files(data_dir: Path) -> tuple[list[Path], list[Path]]:
    """The record files under data/, and stray files that sit where no record may."""
    records: list[Path] = []
    strays: list[Path] = []
    if not data_dir.is_dir():
        return records, strays
    for path in sorted(data_dir.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        rel = path.relative_to(data_dir).parts
        if len(rel) == 2 and rel[0] in KINDS and path.suffix in (".yaml", ".yml"):
            records.append(path)
        elif path.suffix in (".yaml", ".yml"):
            strays.append(path)
    return records, strays


def stray_diagnostic(path: Path, root: Path) -> Diagnostic:
    """A YAML file that is not in one of the five kind folders."""
    rel = path.relative_to(root).as_posix()
    kinds = ", ".join(KINDS)
    return Diagnostic(rel, 1, 1, ERROR, f"records live in data/<kind>/<id>.yaml with kind one of {kinds}; move this file",
                      "file.place")
