"""Load record files: YAML 1.2 scalars, a line and column for every value, no duplicate keys, aliases or tags.

PyYAML's C parser streams events fast and keeps marks on every one; we build the data from that stream
ourselves, so that size limits, duplicate keys, aliases and tags outside YAML's core schema become located
diagnostics the moment they appear, before anything large or deep is built (no recursion, no expansion).
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
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

# An id names a page folder and files such as `<id>-letter.pdf`, which must stay under 255 bytes everywhere.
MAX_ID_LENGTH = 100

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


class _Builder:
    """Builds a record's data from the parser's events, without recursion, refusing what a record may not hold."""

    def __init__(self, loader: yaml.Loader, limits: Limits):
        self.loader = loader
        self.limits = limits
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
            value: Any = _scalar(event, tag, explicit, path)
        else:
            is_list = isinstance(event, yaml.SequenceStartEvent)
            if explicit and tag != (_SEQ if is_list else _MAP):
                raise _Refused(_mark(event), f"the tag {tag!r} is not allowed; write a plain "
                                             f"{'list' if is_list else 'mapping'}", "yaml.tag", field_name(path))
            if len(self.stack) >= self.limits.max_depth:
                # Named by its top-level field: the full path would be as deep as the nesting.
                raise _Refused(_mark(event), f"lists and mappings are nested more than {self.limits.max_depth} deep; "
                                             f"flatten the structure", "yaml.too-deep", field_name(path[:1]))
            value = [] if is_list else {}
        if frame is None:
            self.root, self.root_event = value, event
        elif isinstance(frame[0], list):
            frame[0].append(value)
        else:
            frame[0][frame[2]] = value
            frame[2] = None
        if not isinstance(event, yaml.ScalarEvent):
            self.stack.append([value, path, None])

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
            raise _Refused(_mark(event), f"duplicate key {_quote(key)} (first defined at line {first[0]}); "
                                         f"remove one of them", "yaml.duplicate-key", field_name((*path, key)))
        self.key_locations[(*path, key)] = _mark(event)
        frame[2] = key


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


def _too_large(rel: str, size: int, limits: Limits) -> Diagnostic:
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


def parse_text(text: str, rel: str, kind: str, record_id: str, limits: Limits = DEFAULT_LIMITS) -> LoadResult:
    """Parse one record's text into a Record, or diagnostics that say why not."""
    size = len(text) if len(text) * 4 <= limits.max_bytes else len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        return LoadResult(None, [_too_large(rel, size, limits)])
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
    builder = _Builder(loader, limits)
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
    return LoadResult(Record(kind, record_id, rel, builder.root, builder.locations, builder.key_locations,
                               text), [])


_CACHE: dict[tuple[str, Limits], LoadResult] = {}  # the last version of each file: an edit replaces its entry
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _symlink(rel: str) -> Diagnostic:
    return Diagnostic(rel, 1, 1, ERROR, "this is a symbolic link; records must be plain files in the repository, "
                                        "and links are never followed", "file.symlink")


def _read(path: Path, rel: str, limits: Limits) -> bytes | Diagnostic:
    """The file's bytes, read without following a link and never past the size limit."""
    if path.is_symlink():
        return _symlink(rel)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _symlink(rel)
        return Diagnostic(rel, 1, 1, ERROR, f"cannot read the file: {exc.strerror}", "file.read")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Diagnostic(rel, 1, 1, ERROR, "this is not a plain file; records must be plain files", "file.read")
        if info.st_size > limits.max_bytes:
            return _too_large(rel, info.st_size, limits)
        chunks, size = [], 0
        while size <= limits.max_bytes:
            chunk = os.read(fd, limits.max_bytes + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limits.max_bytes:  # it grew after fstat
            return _too_large(rel, size, limits)
        return b"".join(chunks)
    except OSError as exc:
        return Diagnostic(rel, 1, 1, ERROR, f"cannot read the file: {exc.strerror}", "file.read")
    finally:
        os.close(fd)


def load_file(path: Path, root: Path, limits: Limits = DEFAULT_LIMITS) -> LoadResult:
    """Load one record file; results are cached by content hash so an unchanged file is parsed once."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    kind = path.parent.name
    record_id = path.stem
    diags: list[Diagnostic] = []
    if path.is_symlink():
        return LoadResult(None, [_symlink(rel)])
    if path.suffix != ".yaml":
        return LoadResult(None, [Diagnostic(rel, 1, 1, ERROR,
                                            f"record files end in .yaml; rename it to {record_id}.yaml", "file.name")])
    if len(record_id) > MAX_ID_LENGTH:
        diags.append(Diagnostic(rel, 1, 1, ERROR, f"the id is {len(record_id)} characters long; shorten the file "
                                                  f"name to at most {MAX_ID_LENGTH} (ids name pages and files)",
                                "file.name"))
    elif not SLUG_RE.match(record_id):
        diags.append(Diagnostic(rel, 1, 1, ERROR,
                                f"file name {path.name!r} breaks the id rule: use lowercase words and digits joined by "
                                f"single hyphens, e.g. {_suggest_slug(record_id)}.yaml", "file.name"))
    raw = _read(path, rel, limits)
    if isinstance(raw, Diagnostic):
        return LoadResult(None, diags + [raw])
    digest = hashlib.sha256(raw).hexdigest()
    cached = _CACHE.get((rel, limits))
    if cached is None or cached.digest != digest:
        text, decode_diags = _decode(raw, rel)
        cached = LoadResult(None, decode_diags, digest) if text is None else parse_text(text, rel, kind, record_id,
                                                                                       limits)
        cached.digest = digest
        _CACHE[(rel, limits)] = cached
    return LoadResult(cached.record, diags + cached.diagnostics, digest)


def forget_parsed() -> None:
    """Drop the parse cache: a one-off build has no later edit to reuse it for, and frees the memory for pages."""
    _CACHE.clear()


def _suggest_slug(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "my-record"


def record_files(data_dir: Path) -> tuple[list[Path], list[Path]]:
    """The record files under data/, and stray files that sit where no record may (symbolic links among them).

    Links are listed, never followed: not into a folder, and not to a file (`/dev/zero`, or one outside the repository).
    """
    records: list[Path] = []
    strays: list[Path] = []
    if data_dir.is_symlink():
        return records, [data_dir]
    if not data_dir.is_dir():
        return records, strays
    folders: list[tuple[Path, tuple[str, ...]]] = [(data_dir, ())]
    while folders:
        folder, parts = folders.pop()
        try:
            with os.scandir(folder) as entries:
                listing = list(entries)
        except OSError:
            continue
        # A record sits exactly one folder down, in a kind's folder (strings here: a big playbook has many files).
        kind_folder = len(parts) == 1 and parts[0] in KINDS
        for entry in listing:
            name = entry.name
            if entry.is_symlink():
                strays.append(folder / name)
            elif entry.is_dir(follow_symlinks=False):
                folders.append((folder / name, parts + (name,)))
            elif name.startswith("."):
                continue
            elif name.endswith((".yaml", ".yml")):
                (records if kind_folder else strays).append(folder / name)
    return sorted(records), sorted(strays)


def content_files(docs_dir: Path) -> tuple[set[str], list[Path]]:
    """The hand-written pages' folder (the MkDocs docs_dir): its plain files, relative, and its symbolic links.

    MkDocs follows links there and publishes what they point at (a file or folder outside the repository, or
    anyone's home folder), so links are listed, never followed, and validation refuses them as under data/.
    """
    files: set[str] = set()
    links: list[Path] = []
    if docs_dir.is_symlink():
        return files, [docs_dir]
    folders: list[tuple[Path, str]] = [(docs_dir, "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as entries:
                listing = list(entries)
        except OSError:
            continue
        for entry in listing:
            if entry.is_symlink():
                links.append(folder / entry.name)
            elif entry.is_dir(follow_symlinks=False):
                folders.append((folder / entry.name, f"{prefix}{entry.name}/"))
            else:
                files.add(prefix + entry.name)
    return files, sorted(links)


def content_link_diagnostic(path: Path, root: Path) -> Diagnostic:
    """A symbolic link among the hand-written pages."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    return Diagnostic(rel, 1, 1, ERROR, "this is a symbolic link; pages must be plain files in the repository, and "
                                        "links are never followed (the site would publish what it points at)",
                      "file.symlink")


def within_totals(files: list[Path], root: Path, limits: Limits) -> tuple[list[Path], list[Diagnostic]]:
    """The record files to load, or none and one located error when there are too many or they are too large together.

    Checked on the sizes the file system reports, before a file is read: a playbook over either total is refused
    in milliseconds, and its records are not checked (each would cost time and memory the limit is there to cap).
    """
    if len(files) > limits.max_records:
        rel = files[limits.max_records].relative_to(root).as_posix()
        return [], [Diagnostic(rel, 1, 1, ERROR, f"the playbook has {len(files):,} record files, over the limit of "
                                                 f"{limits.max_records:,} (extra.playbook.limits.max_records); this is "
                                                 f"the first one past it", "file.too-many")]
    total = 0
    for path in files:
        try:
            size = os.lstat(path).st_size
        except OSError:
            continue  # reported when it is read
        if size > limits.max_bytes:
            continue  # refused on its own, never read
        total += size
        if total > limits.max_total_bytes:
            rel = path.relative_to(root).as_posix()
            return [], [Diagnostic(rel, 1, 1, ERROR, f"with this file the record files hold {total:,} bytes, over "
                                                     f"the limit of {limits.max_total_bytes:,} for all of them "
                                                     f"(extra.playbook.limits.max_total_bytes)",
                                   "file.total-too-large")]
    return files, []


def stray_diagnostic(path: Path, root: Path) -> Diagnostic:
    """A YAML file that is not in one of the five kind folders, or a symbolic link anywhere under data/."""
    rel = path.relative_to(root).as_posix()
    if path.is_symlink():
        return _symlink(rel)
    kinds = ", ".join(KINDS)
    return Diagnostic(rel, 1, 1, ERROR, f"records live in data/<kind>/<id>.yaml with kind one of {kinds}; move this file",
                      "file.place")
