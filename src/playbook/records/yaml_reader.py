"""The located YAML reader: YAML 1.2 scalars, a line and column for every value, no duplicate keys, aliases or tags.

PyYAML's C parser streams events fast and keeps marks on every one; we build the data from that stream
ourselves, so that size limits, duplicate keys, aliases and tags outside YAML's core schema become located
diagnostics the moment they appear, before anything large or deep is built (no recursion, no expansion).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from playbook.core.diagnostics import ERROR, Diagnostic

Path_ = tuple[Any, ...]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


@dataclass(frozen=True)
class Limits:
    """How much one record file may hold, checked before (and while) it is parsed.

    The defaults are generous for real content (the largest shipped record is under 10 KB, nested 5 deep,
    with lists of a few dozen items) and small enough that a hostile file is refused in milliseconds.
    """

    max_bytes: int = 1024 * 1024  # per file
    max_depth: int = 32  # lists and mappings inside each other
    max_items: int = 1000  # per list
    max_keys: int = 200  # per mapping
    # Each value costs time and memory to check however short it is (`[a,a,a,...]`: half a million in 1 MiB).
    max_values: int = 10_000  # per file, every value, list and mapping counted
    max_records: int = 10_000  # record files in the playbook
    max_total_bytes: int = 32 * 1024 * 1024  # all record files together


DEFAULT_LIMITS = Limits()

# JavaScript reads playbook.json: a whole number beyond 2**53 would silently change there.
MAX_INT = 2**53 - 1

# YAML 1.2 core schema, the only scalar types a record holds; explicit tags must match them too.
_CORE = {
    _BOOL: (r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF", "true or false"),
    _NULL: (r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""], "null"),
    _INT: (r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789", "a whole number"),
    _FLOAT: (r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
             r"|\.(?:nan|NaN|NAN))$", "-+.0123456789", "a number"),
}
_CORE_RE = {tag: re.compile(pattern) for tag, (pattern, _, _) in _CORE.items()}

# Characters YAML does not allow in a stream (libyaml stops at them with no line or column of its own).
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Line breaks to YAML (libyaml reads 1.1, where NEL, U+2028 and U+2029 end a line) that no editor shows as one.
_HIDDEN_BREAKS = {"\x85": "next-line character (NEL)", "\u2028": "line separator", "\u2029": "paragraph separator"}
_HIDDEN_BREAK = re.compile("[\x85\u2028\u2029]")


class Yaml12Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The C loader with YAML 1.2 core-schema resolvers: `no`, `on`, `1:1` and `012` stay what they look like."""

    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}


for _tag, (_pattern, _first, _) in _CORE.items():
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
    # The file's text, so a rule can point at a word inside a value (text.spelling); empty when not kept.
    source: str = field(default="", repr=False, compare=False)

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
    def __init__(self, mark: tuple[int, int], message: str, rule: str, fieldpath: str = ""):
        super().__init__(message)
        (self.line, self.column), self.message, self.rule, self.field = mark, message, rule, fieldpath


def field_name(path: Path_) -> str:
    """`moves[2]`, `follow_up.by`: a field path as a reader writes it."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _mark(event: yaml.Event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _quote(value: str, width: int = 40) -> str:
    """A value for a message: quoted, and cut short, since it may be a megabyte long."""
    return repr(value) if len(value) <= width else repr(value[:width]) + "..."


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _int(value: str, mark: tuple[int, int], path: Path_) -> int:
    sign, digits = (value[0], value[1:]) if value[:1] in "+-" else ("", value)
    base = 16 if digits.startswith("0x") else 8 if digits.startswith("0o") else 10
    digits = (digits[2:] if base != 10 else digits).lstrip("0") or "0"
    # Checked on the digits, before int(): a 4,300-digit number cannot be converted, a huge one not printed.
    if len(digits) > {16: 14, 8: 18, 10: 16}[base] or int(digits, base) > MAX_INT:
        raise _Refused(mark, f"the number is too large ({len(digits)} digits); whole numbers go up to {MAX_INT:,}",
                       "yaml.number", field_name(path))
    number = int(digits, base)
    return -number if sign == "-" else number


def _scalar(event: yaml.ScalarEvent, tag: str, explicit: bool, path: Path_) -> Any:
    value = event.value
    if tag == _STR:
        return value
    if tag not in _CORE:
        raise _Refused(_mark(event), f"the tag {tag!r} is not allowed; write plain YAML values without '!' tags",
                       "yaml.tag", field_name(path))
    if explicit and not _CORE_RE[tag].match(value):
        raise _Refused(_mark(event), f"{_quote(value)} is not {_CORE[tag][2]}, as its tag {_short_tag(tag)} says; "
                                     f"fix the value or remove the tag", "yaml.tag", field_name(path))
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() == "true"
    if tag == _INT:
        return _int(value, _mark(event), path)
    low = value.lower()
    if low.endswith("inf"):
        return float("-inf") if low.startswith("-") else float("inf")
    if low.endswith("nan"):
        return float("nan")
    return float(value)


@dataclass(frozen=True)
class Tagged:
    """A value under a tag outside YAML's core schema (`!ENV`, `!!python/name:...`), read leniently (a settings file)."""

    tag: str
    value: Any


class _Repeated:
    """The place of a key written twice in a mapping: its value is read (and located) but not kept."""

    def __init__(self, key: str):
        self.key = key

    def __str__(self) -> str:
        return self.key


class _Builder:
    """Builds a record's data from the parser's events, without recursion, refusing what a record may not hold.

    Lenient (mkdocs.yml): other tags become Tagged values, and a repeated key is a problem noted while reading goes on.
    """

    def __init__(self, loader: yaml.Loader, limits: Limits, lenient: bool = False):
        self.loader = loader
        self.limits = limits
        self.lenient = lenient
        self.problems: list[_Refused] = []
        self.locations: dict[Path_, tuple[int, int]] = {}
        self.key_locations: dict[Path_, tuple[int, int]] = {}
        self.root: Any = None
        self.root_event: yaml.Event | None = None
        # One frame per open list or mapping: [container, path, key awaiting its value (mappings)].
        self.stack: list[list[Any]] = []
        self.values = 0

    def build(self) -> None:
        documents = 0
        get_event, node, ends = self.loader.get_event, self.node, (yaml.SequenceEndEvent, yaml.MappingEndEvent)
        while True:
            event = get_event()
            if isinstance(event, yaml.NodeEvent):
                node(event)
            elif isinstance(event, ends):
                self.stack.pop()
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Refused(_mark(event), "a record file holds one YAML document; remove the second '---' "
                                                 "and what follows, or move it to its own file", "yaml.syntax")
            elif isinstance(event, yaml.StreamEndEvent):
                return

    def node(self, event: yaml.NodeEvent) -> None:
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame[0], dict) and frame[2] is None:
            self.key(event, frame)
            return
        if frame is None:
            path: Path_ = ()
        elif isinstance(frame[0], list):
            if len(frame[0]) >= self.limits.max_items:
                raise _Refused(_mark(event), f"the list has more than {self.limits.max_items:,} items; split it up",
                               "yaml.too-many-items", field_name(frame[1]))
            path = (*frame[1], len(frame[0]))
        else:
            path = (*frame[1], frame[2])
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(_mark(event), "aliases (*name) are not allowed; write the value out in full", "yaml.alias",
                           field_name(path))
        self.values += 1
        if self.values > self.limits.max_values:
            raise _Refused(_mark(event), f"the file holds more than {self.limits.max_values:,} values; split it up "
                                         f"or shorten it", "yaml.too-many-values", field_name(path[:1]))
        self.locations[path] = _mark(event)
        tag = event.tag
        explicit = tag is not None and tag != "!"
        if isinstance(event, yaml.ScalarEvent):
            if not explicit:
                tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            lenient = self.lenient and tag != _STR and tag not in _CORE
            value: Any = Tagged(tag, event.value) if lenient else _scalar(event, tag, explicit, path)
        else:
            is_list = isinstance(event, yaml.SequenceStartEvent)
            if explicit and tag != (_SEQ if is_list else _MAP) and not self.lenient:
                raise _Refused(_mark(event), f"the tag {tag!r} is not allowed; write a plain "
                                             f"{'list' if is_list else 'mapping'}", "yaml.tag", field_name(path))
            if len(self.stack) >= self.limits.max_depth:
                # Named by its top-level field: the full path would be as deep as the nesting.
                raise _Refused(_mark(event), f"lists and mappings are nested more than {self.limits.max_depth} deep; "
                                             f"flatten the structure", "yaml.too-deep", field_name(path[:1]))
            container: list[Any] | dict[str, Any] = [] if is_list else {}
            value = Tagged(tag, container) if explicit and tag != (_SEQ if is_list else _MAP) else container
        if frame is None:
            self.root, self.root_event = value, event
        elif isinstance(frame[0], list):
            frame[0].append(value)
        else:
            if not isinstance(frame[2], _Repeated):
                frame[0][frame[2]] = value
            frame[2] = None
        if not isinstance(event, yaml.ScalarEvent):
            self.stack.append([container, path, None])

    def key(self, event: yaml.NodeEvent, frame: list[Any]) -> None:
        mapping, path = frame[0], frame[1]
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(_mark(event), "aliases (*name) are not allowed; write the value out in full", "yaml.alias",
                           field_name(path))
        tag = event.tag
        if isinstance(event, yaml.ScalarEvent) and (tag is None or tag == "!"):
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if not isinstance(event, yaml.ScalarEvent) or tag not in (_STR, *_CORE):
            raise _Refused(_mark(event), "mapping keys must be plain words", "yaml.key", field_name(path))
        if len(mapping) >= self.limits.max_keys:
            raise _Refused(_mark(event), f"the mapping has more than {self.limits.max_keys:,} keys; split it up",
                           "yaml.too-many-keys", field_name(path))
        key = event.value
        if key == "<<":
            raise _Refused(_mark(event), "merge keys (<<) are not allowed; write the fields out in full",
                           "yaml.alias", field_name(path))
        if key in mapping:
            first = self.key_locations[(*path, key)]
            repeated = _Refused(_mark(event), f"duplicate key {_quote(key)} (first defined at line {first[0]}); "
                                              f"{'merge the two into one' if self.lenient else 'remove one of them'}",
                                "yaml.duplicate-key", field_name((*path, key)))
            if not self.lenient:
                raise repeated
            self.problems.append(repeated)  # the first one is kept, as a record keeps nothing twice
            frame[2] = _Repeated(key)
            return
        self.key_locations[(*path, key)] = _mark(event)
        frame[2] = key


def too_large(rel: str, size: int, limits: Limits) -> Diagnostic:
    """The error for a file over the size limit (at line 1: nothing of it is read)."""
    return Diagnostic(rel, 1, 1, ERROR, f"the file is {size:,} bytes, over the limit of {limits.max_bytes:,}; "
                                        f"split it or shorten it", "file.too-large")


def _empty(rel: str) -> LoadResult:
    return LoadResult(None, [Diagnostic(rel, 1, 1, ERROR, "the file is empty; add the record's fields "
                                                           "(see `playbook new`)", "file.empty")])


def _syntax(exc: yaml.MarkedYAMLError, rel: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    if exc.context:
        problem = f"{exc.context}, {problem}"
    if "found undefined tag handle" in problem:
        return Diagnostic(rel, line, column, ERROR,
                          f"YAML syntax: {problem}; write plain values without '*' aliases or '!' tags", "yaml.tag")
    return Diagnostic(rel, line, column, ERROR,
                      f"YAML syntax: {problem}; check indentation and quote text holding ': '", "yaml.syntax")


def parse_text(text: str, rel: str, kind: str, record_id: str, limits: Limits = DEFAULT_LIMITS, *,
               lenient: bool = False) -> LoadResult:
    """Parse one record's text into a Record, or diagnostics that say why not.

    Lenient reads a settings file (mkdocs.yml): other tags become Tagged values, and repeated keys are diagnostics
    beside the Record (the first value kept) rather than the end of reading.
    """
    size = len(text) if len(text) * 4 <= limits.max_bytes else len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        return LoadResult(None, [too_large(rel, size, limits)])
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return _empty(rel)
    bad = _NOT_YAML.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        return LoadResult(None, [Diagnostic(rel, line, column, ERROR,
                                            f"the control character {ascii(bad.group())} is not allowed in YAML; "
                                            f"delete it", "yaml.control-character")])
    brk = _HIDDEN_BREAK.search(text)
    if brk:
        line = text.count("\n", 0, brk.start()) + 1
        column = brk.start() - (text.rfind("\n", 0, brk.start()) + 1) + 1
        return LoadResult(None, [Diagnostic(rel, line, column, ERROR,
                                            f"a {_HIDDEN_BREAKS[brk.group()]} ({ascii(brk.group())}): YAML counts it "
                                            f"as a line break where editors show none, so it breaks one-line fields "
                                            f"and moves every line number after it; replace it with a space",
                                            "text.line-separator")])
    loader = Yaml12Loader(text)
    builder = _Builder(loader, limits, lenient)
    try:
        builder.build()
    except _Refused as exc:
        return LoadResult(None, [Diagnostic(rel, exc.line, exc.column, ERROR, exc.message, exc.rule, exc.field)])
    except yaml.MarkedYAMLError as exc:
        return LoadResult(None, [_syntax(exc, rel)])
    except yaml.YAMLError as exc:
        return LoadResult(None, [Diagnostic(rel, 1, 1, ERROR, f"YAML syntax: {exc}", "yaml.syntax")])
    finally:
        loader.dispose()
    root = builder.root_event
    if root is None or (isinstance(root, yaml.ScalarEvent) and builder.root is None and not root.value):
        return _empty(rel)
    if not isinstance(builder.root, dict):
        line, column = _mark(root)
        return LoadResult(None, [Diagnostic(rel, line, column, ERROR,
                                            "a record must be a mapping of fields (`title: ...`), not a single value or list",
                                            "schema.type")])
    repeated = [Diagnostic(rel, p.line, p.column, ERROR, p.message, p.rule, p.field) for p in builder.problems]
    return LoadResult(Record(kind, record_id, rel, builder.root, builder.locations, builder.key_locations,
                               text), repeated)
