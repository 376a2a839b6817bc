"""Hostile records and hostile files: never followed, never read past the limits, never a traceback, one line each.

Every record comes from a stranger's pull request, and so can any file committed next to it (a symbolic link
under data/ or in the export cache). Each test here is a reproducer from the hardening review (issue 11).
"""
from __future__ import annotations

import contextlib
import http.server
import io
import json
import os
import re
import shutil
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any, Iterator

import jsonschema_rs
import pytest

from playbook.sheets import export
from playbook.cli.main import main
from playbook.core.diagnostics import ERROR, ContentError, Diagnostic, Report, printable
from playbook.core.formats import FORMATS
from playbook.records.load import MAX_INT, Limits, load_file, parse_text
from playbook.records.pipeline import validated_playbook
from playbook.records.schema import check_record, ecma_regex
from playbook.records.schema_source import SCHEMAS
from playbook.core.settings import load_settings
from playbook.core.strings import DEFAULT_STRINGS
from playbook.records.text_safety import check_characters, title_key
from support import DIAGNOSTIC, PLAYBOOKS, VALID, assemble, build, diagnostic_lines, make_playbook, run_playbook

pytestmark = pytest.mark.own_fixtures

SYMLINK = "error: this is a symbolic link; records must be plain files in the repository, and links are never followed " \
          "[file.symlink]"
SUMMARY = re.compile(r"^\d+ file\(s\) checked: .*; validation (passed|failed)")


def cli(*args: str) -> tuple[int, str, str]:
    """`playbook ARGS...` in this process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def scenario_text() -> str:
    """The valid example play that every field of the schema appears in."""
    return (VALID / "scenarios" / "my-manager-micromanages.yaml").read_text(encoding="utf-8")


# Symbolic links -----------------------------------------------------------------------------------------------------
def test_symlinks_under_data_are_reported_and_never_followed(tmp_path: Path) -> None:
    """Links to /dev/zero, to a file or folder outside, dangling or looping: each a located error, none read."""
    root = make_playbook(tmp_path / "playbook")
    secret = tmp_path / "secret.yaml"
    secret.write_text(scenario_text().replace("title: ", "title: TOP-SECRET ", 1), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "scenarios").mkdir(parents=True)
    (elsewhere / "scenarios" / "leak.yaml").write_text("title: [TOP-SECRET\n", encoding="utf-8")
    links = {"data/scenarios/zero.yaml": Path("/dev/zero"), "data/scenarios/outside.yaml": secret,
             "data/pitfalls/dangling.yaml": tmp_path / "missing.yaml", "data/steps/loop.yaml": Path("loop.yaml"),
             "data/linked": elsewhere, "data/checklists/.hidden.yaml": secret, "data/notes.txt": secret}
    for rel, target in links.items():
        (root / rel).symlink_to(target)
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    assert diagnostic_lines(result.stdout) == [f"{rel}:1:1: {SYMLINK}" for rel in sorted(links)]
    assert "TOP-SECRET" not in result.stdout + result.stderr
    with pytest.raises(ContentError):  # the site's change check stats links without following them
        validated_playbook(root, reuse=True)


def test_a_linked_data_folder_is_refused(tmp_path: Path) -> None:
    """data/ itself pointing elsewhere (say, at /) is not walked."""
    make_playbook(tmp_path / "real")
    (tmp_path / "playbook").mkdir()
    (tmp_path / "playbook" / "data").symlink_to(tmp_path / "real" / "data")
    code, out, _ = cli("--root", str(tmp_path / "playbook"), "validate")
    assert (code, diagnostic_lines(out)) == (1, [f"data:1:1: {SYMLINK}"])


def test_load_file_never_opens_a_link(tmp_path: Path) -> None:
    """The library call refuses a link too, whoever calls it."""
    (tmp_path / "scenarios").mkdir()
    link = tmp_path / "scenarios" / "zero.yaml"
    link.symlink_to("/dev/zero")
    result = load_file(link, tmp_path)
    assert result.record is None and [d.rule for d in result.diagnostics] == ["file.symlink"]


# Limits -----------------------------------------------------------------------------------------------------------
def test_huge_files_are_refused_before_they_are_read(tmp_path: Path) -> None:
    """A 55 MB file and a million keys: refused by size in well under a second, without reading them."""
    root = make_playbook(tmp_path)
    (root / "data/scenarios/huge.yaml").write_bytes(b"title: " + b"x" * (55 * 1024 * 1024) + b"\n")
    (root / "data/scenarios/keys.yaml").write_bytes(b"".join(b"k%d: 1\n" % i for i in range(1_000_000)))
    size = (root / "data/scenarios/keys.yaml").stat().st_size
    tracemalloc.start()
    started = time.perf_counter()
    code, out, _ = cli("--root", str(root), "validate")
    took = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 1 and took < 1.0 and peak < 20 * 1024 * 1024, (took, peak)
    assert diagnostic_lines(out) == [
        "data/scenarios/huge.yaml:1:1: error: the file is 57,671,688 bytes, over the limit of 1,048,576; split it or "
        "shorten it [file.too-large]",
        f"data/scenarios/keys.yaml:1:1: error: the file is {size:,} bytes, over the limit of 1,048,576; split it or "
        f"shorten it [file.too-large]",
    ]


def test_limits_stop_the_parse_early() -> None:
    """Past the size limit, a million keys or items stop at the first one over: nothing more is built."""
    keys = "".join(f"k{i}: 1\n" for i in range(1_000_000))
    items = "a:\n" + "".join("- 1\n" for _ in range(1_000_000))
    for text, rule in ((keys, "yaml.too-many-keys"), (items, "yaml.too-many-items")):
        started = time.perf_counter()
        result = parse_text(text, "x.yaml", "scenarios", "x", Limits(max_bytes=10**9))
        assert time.perf_counter() - started < 1.0
        assert [d.rule for d in result.diagnostics] == [rule]


@pytest.mark.parametrize("limits, text, expect", [
    (Limits(max_depth=3), "a: [[[x]]]\n", "x.yaml:1:6: error: a: lists and mappings are nested more than 3 deep; "
                                          "flatten the structure [yaml.too-deep]"),
    (Limits(max_depth=3), "a: [[x]]\n", None),
    (Limits(max_items=2), "a: [1, 2, 3]\n", "x.yaml:1:11: error: a: the list has more than 2 items; split it up "
                                            "[yaml.too-many-items]"),
    (Limits(max_keys=2), "a: 1\nb: {c: 1, d: 2, e: 3}\n", "x.yaml:2:17: error: b: the mapping has more than 2 keys; "
                                                          "split it up [yaml.too-many-keys]"),
    (Limits(max_bytes=10), "title: Twelve\n", "x.yaml:1:1: error: the file is 14 bytes, over the limit of 10; "
                                              "split it or shorten it [file.too-large]"),
])
def test_limits_are_settings(limits: Limits, text: str, expect: str | None) -> None:
    """Each limit is a field of one Limits value that callers (the playbook's settings) pass down."""
    result = parse_text(text, "x.yaml", "scenarios", "x", limits)
    assert [d.text() for d in result.diagnostics] == ([expect] if expect else [])


def test_limits_reach_load_file_and_its_cache(tmp_path: Path) -> None:
    """The parse cache is keyed by the limits too: the same file under tighter limits is checked again."""
    (tmp_path / "scenarios").mkdir()
    path = tmp_path / "scenarios" / "x.yaml"
    path.write_text("a: [[[x]]]\n", encoding="utf-8")
    assert load_file(path, tmp_path).record is not None
    assert [d.rule for d in load_file(path, tmp_path, Limits(max_depth=2)).diagnostics] == ["yaml.too-deep"]


def test_nesting_never_recurses() -> None:
    """500 flow or block levels: refused at the depth limit, no RecursionError; 100,000 stop libyaml's scanner."""
    flow = "a: " + "[" * 500 + "]" * 500 + "\n"
    block = "a:\n" + "".join(" " * (2 * d + 2) + "-\n" for d in range(500))
    for text in (flow, block):
        result = parse_text(text, "x.yaml", "scenarios", "x")
        assert [d.rule for d in result.diagnostics] == ["yaml.too-deep"]
    result = parse_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "x.yaml", "scenarios", "x")
    assert [d.text() for d in result.diagnostics] == [
        "x.yaml:1:1003: error: YAML syntax: while increasing flow level, exceeded maximum nesting depth; check "
        "indentation and quote text holding ': ' [yaml.syntax]"]


# Tags and numbers -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, expect", [
    ("!!int 12", 12), ("!!float 1", 1.0), ("!!float .inf", float("inf")), ("!!bool false", False), ("!!null ''", None),
    ("!!str 12", "12"), ("!<tag:yaml.org,2002:int> 7", 7), (f"{MAX_INT}", MAX_INT),
    (f"-{MAX_INT}", -MAX_INT), ("0x1F", 31), ("0o17", 15), ("1e999", float("inf")),
])
def test_core_tags_with_fitting_values_load(value: str, expect: Any) -> None:
    result = parse_text(f"a: {value}\n", "x.yaml", "scenarios", "x")
    assert result.record is not None and result.record.data == {"a": expect}


@pytest.mark.parametrize("value, rule", [
    ("!!int abc", "yaml.tag"), ("!!float abc", "yaml.tag"), ("!!int 0o9", "yaml.tag"), ("!!bool maybe", "yaml.tag"),
    ("!!null x", "yaml.tag"), ("!!int 1_000", "yaml.tag"), ("!!int ''", "yaml.tag"), ("!!int 1e999", "yaml.tag"),
    ("!<tag:yaml.org,2002:int> x", "yaml.tag"), ("!!binary aGk=", "yaml.tag"), ("!!timestamp 2024-01-02", "yaml.tag"),
    ("!!set {a}", "yaml.tag"), ("!!omap [a: 1]", "yaml.tag"), ("!!map [1]", "yaml.tag"), ("!!seq {a: 1}", "yaml.tag"),
    ("!!python/name:os.system", "yaml.tag"), ("!include x", "yaml.tag"), ("!<!x> y", "yaml.tag"),
    ("9" * 4301, "yaml.number"), ("-" + "9" * 20, "yaml.number"), ("0x" + "f" * 3600, "yaml.number"),
    ("0o" + "7" * 30, "yaml.number"), (str(MAX_INT + 1), "yaml.number"), ("!!int " + "9" * 5000, "yaml.number"),
])
def test_bad_tags_and_numbers_are_located(value: str, rule: str) -> None:
    """Every refusal is one located line; a giant number is described by its digit count, never printed."""
    result = parse_text(f"title: x\na: {value}\n", "x.yaml", "scenarios", "x")
    (diag,) = result.diagnostics
    assert (diag.rule, diag.line, diag.column) == (rule, 2, 4)
    assert len(diag.text()) < 200 and "\n" not in diag.text()


# Messages ---------------------------------------------------------------------------------------------------------
HOSTILE_NAMES = ["esc\x1b[2J\x1b[31m", "new\nline", "cr\rx", "bidi\u202egnp", "nul\x7f", "nbsp\u00a0x", "tab\tx",
                 "sep\u2028x"]


def test_hostile_file_names_and_values_are_printed_escaped(tmp_path: Path) -> None:
    """Control characters, ESC and bidi overrides in names and values never reach the output raw, in any format."""
    root = make_playbook(tmp_path)
    for i, name in enumerate(HOSTILE_NAMES):
        (root / "data/scenarios" / f"{name}.yaml").write_text(
            scenario_text().replace("difficulty: medium", f'difficulty: "\\e[31m{i}\\u202e\\r\\n"')
            .replace("title: ", f"title: Copy {i} of ", 1), encoding="utf-8")  # its own title (record.duplicate-title)
    (root / "data/scenarios/ctrl.yaml").write_text("title: a\x1bb\n", encoding="utf-8")
    code, out, _ = cli("--root", str(root), "validate")
    assert code == 1
    lines = out.splitlines()
    assert all(DIAGNOSTIC.match(line) or SUMMARY.match(line) for line in lines), lines
    # Per file: its name, the value's enum and the value's bidi override (text.bidi-control); plus ctrl.yaml.
    assert len(diagnostic_lines(out)) == 3 * len(HOSTILE_NAMES) + 1
    assert "data/scenarios/esc\\x1b[2J\\x1b[31m.yaml:1:1: error: file name 'esc\\x1b[2J\\x1b[31m.yaml' breaks" in out
    assert "data/scenarios/ctrl.yaml:1:9: error: the control character '\\x1b' is not allowed in YAML" in out
    assert "difficulty: '\\x1b[31m3\\u202e\\r\\n' is not one of: easy, medium, hard" in out
    code, gh, _ = cli("--root", str(root), "validate", "--format", "github")
    code, js, _ = cli("--root", str(root), "validate", "--format", "json")
    for output in (out, gh, js):
        assert not [c for c in output if not c.isprintable() and c != "\n"], output
    assert all(line.startswith("::") or SUMMARY.match(line) for line in gh.splitlines())
    assert {d["file"] for d in json.loads(js)["diagnostics"]} >= {f"data/scenarios/{n}.yaml" for n in HOSTILE_NAMES}


def test_every_format_writes_one_line_per_problem() -> None:
    """A message holding line breaks, ESC and a bidi override is still one line, escaped, in text and github."""
    report = Report([Diagnostic("data/a,b:c\x1b.yaml", 2, 3, ERROR, "x\ny\x1b[2J\u202e%", "r.x", "f\r")], files=1)
    assert FORMATS["text"](report, False).splitlines()[0] == \
        "data/a,b:c\\x1b.yaml:2:3: error: f\\r: x\\ny\\x1b[2J\\u202e% [r.x]"
    assert FORMATS["github"](report, False).splitlines()[0] == \
        "::error file=data/a%2Cb%3Ac\\x1b.yaml,line=2,col=3::f%0D: x%0Ay\\x1b[2J\\u202e%25 [r.x]"
    assert json.loads(FORMATS["json"](report, False))["diagnostics"][0]["message"] == "x\ny\x1b[2J\u202e%"
    assert printable("plain 📅 日本 é") == "plain 📅 日本 é"


# Schema: the Python fallback reads patterns as jsonschema-rs does ----------------------------------------------------
def _patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for child in node.values():
            yield from _patterns(child)
    elif isinstance(node, list):
        for child in node:
            yield from _patterns(child)


@pytest.mark.parametrize("pattern", sorted({p for s in SCHEMAS.values() for p in _patterns(s)}))
def test_fallback_patterns_agree_with_jsonschema_rs(pattern: str) -> None:
    fast = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
    samples = ["a", "a\n", "\n", "a\r", "a\r\n", "a-b", "a-b\n", "a--b", "A", "https://x.org/a", "https://x.org/a\n",
               "http://x y", "x\ny", "", " a", "a\u2028", "a\x85"]
    for text in samples:
        assert fast.is_valid(text) == bool(ecma_regex(pattern).search(text)), (pattern, text)


def test_fallback_refuses_a_trailing_line_break(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without jsonschema-rs, a one-line field ending in "\\n" is still refused."""
    from playbook.records import schema

    text = scenario_text().replace("title: ", 'title: "', 1).replace("\nsummary:", '\\n"\nsummary:', 1)
    record = parse_text(text, "x.yaml", "scenarios", "x").record
    assert record is not None and record.data["title"].endswith("\n")
    monkeypatch.setattr(schema, "_fast_validator", lambda kind, limits=None: None)
    assert [d.rule for d in check_record(record)] == ["schema.one-line"]


# Export: misuse and links -----------------------------------------------------------------------------------------
def _export(root: Path, out: Path | str, *extra: str) -> tuple[int, str, str]:
    return cli("--root", str(root), "export", "--out", str(out), "--format", "md", "--format", "txt", *extra)


@pytest.mark.parametrize("setup, code", [
    ("/dev/null", 2), ("file", 2), ("manifest-folder", 1), ("manifest-link", 1), ("under-a-file", 1),
    ("proc", 1), ("long-id", 2), ("target-folder", 1),
])
def test_export_misuse_is_one_line(tmp_path: Path, setup: str, code: int) -> None:
    """Each misuse gives `playbook: error: ...` on one line and exit 1 or 2, never a traceback."""
    root = make_playbook(tmp_path / "playbook")
    out: Path | str = tmp_path / "out"
    extra: list[str] = []
    if setup == "/dev/null":
        out = "/dev/null"
    elif setup == "file":
        Path(out).write_text("mine\n", encoding="utf-8")
    elif setup == "manifest-folder":
        (Path(out) / export.MANIFEST).mkdir(parents=True)
    elif setup == "manifest-link":
        Path(out).mkdir()
        (Path(out) / export.MANIFEST).symlink_to("/etc/passwd")
    elif setup == "under-a-file":
        (tmp_path / "afile").write_text("x", encoding="utf-8")
        out = tmp_path / "afile" / "out"
    elif setup == "proc":
        out = "/proc/self/no-such-folder/out"
    elif setup == "long-id":
        extra = ["--id", "a" * 300]
    elif setup == "target-folder":
        (Path(out) / "prepare-for-a-1-1.md").mkdir(parents=True)
    result_code, stdout, stderr = _export(root, out, *extra)
    assert result_code == code
    assert stderr.count("\n") == 1 and stderr.startswith("playbook: error: "), stderr


def test_export_never_writes_through_links(tmp_path: Path) -> None:
    """Planted `.x.tmp` links are never written through; a link in place of an export is refused, not followed."""
    root = make_playbook(tmp_path / "playbook")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for name in ("prepare-for-a-1-1.md", "prepare-for-a-1-1.txt", export.MANIFEST):
        (out / f".{name}.tmp").symlink_to(victim)
    code, stdout, _ = _export(root, out)
    assert code == 0 and victim.read_text(encoding="utf-8") == "precious\n"
    for name in ("prepare-for-a-1-1.md", "prepare-for-a-1-1.txt", export.MANIFEST):
        path = out / name
        assert path.is_file() and not path.is_symlink()
        assert path.stat().st_mode & 0o444 == 0o444 & ~_umask(), "exports are as readable as any new file"
    (out / "prepare-for-a-1-1.md").unlink()
    (out / "prepare-for-a-1-1.md").symlink_to(victim)
    code, _, stderr = _export(root, out)
    assert code == 1 and "prepare-for-a-1-1.md: it is a symbolic link" in stderr
    assert victim.read_text(encoding="utf-8") == "precious\n"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class FakeRenderer:
    """Stands in for WeasyPrint: a site_exports test is about files, not sheets."""

    renders: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any):
        pass

    def pdfs(self, checklist: Any, papers: Any) -> list[bytes]:
        FakeRenderer.renders.extend(f"{checklist.id}-{paper.key}" for paper in papers)
        return [b"%PDF-1.7 fresh " + checklist.id.encode() for _ in papers]


def test_site_exports_never_publish_or_write_through_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A committed cache of links (to a file, a folder, or the whole .cache) is replaced, never read or published."""
    monkeypatch.setattr(export, "Renderer", FakeRenderer)
    root = make_playbook(tmp_path / "playbook")
    pb = validated_playbook(root)
    settings = load_settings(root)
    (checklist,) = pb.checklists.values()
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF-1.7 TOP-SECRET")
    outside = tmp_path / "outside"
    outside.mkdir()
    cache = root / ".cache" / "exports"
    site = tmp_path / "site"

    def published() -> bytes:
        return (site / "checklists" / checklist.id / f"{checklist.id}-a4.pdf").read_bytes()

    # 1. A cached sheet that is a link to a local file.
    key = export.sheet_key(checklist, export.PAPERS["a4"], settings)
    entry = cache / checklist.id / f"a4-{key[:24]}.pdf"
    entry.parent.mkdir(parents=True)
    entry.symlink_to(secret)
    export.site_exports(pb, site, cache, settings=settings)
    assert published() == b"%PDF-1.7 fresh " + checklist.id.encode()
    assert entry.is_file() and not entry.is_symlink() and secret.read_bytes() == b"%PDF-1.7 TOP-SECRET"

    # 2. The checklist's cache folder, then the whole .cache, pointing outside; and a published file that is a link.
    for link in (cache / checklist.id, root / ".cache"):
        if (root / ".cache").is_symlink():
            (root / ".cache").unlink()
        shutil.rmtree(root / ".cache", ignore_errors=True)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(outside, target_is_directory=True)
        target = site / "checklists" / checklist.id / f"{checklist.id}-letter.pdf"
        target.unlink()
        target.symlink_to(secret)
        FakeRenderer.renders.clear()
        export.site_exports(pb, site, cache, settings=settings)
        assert sorted(FakeRenderer.renders) == [f"{checklist.id}-a4", f"{checklist.id}-letter"]
        assert list(outside.iterdir()) == [] and not link.is_symlink()
        assert secret.read_bytes() == b"%PDF-1.7 TOP-SECRET" and not target.is_symlink()

    # 3. A plain file in the cache that is not a PDF is not published either.
    for entry in (cache / checklist.id).glob("*.pdf"):
        entry.write_bytes(b"<script>alert(1)</script>")
    export.site_exports(pb, site, cache, settings=settings)
    assert published().startswith(b"%PDF-")


# WeasyPrint fetches nothing but the package's own assets ----------------------------------------------------------
@pytest.fixture
def local_server() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"p { color: red }")

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def test_print_sheets_fetch_only_package_assets(local_server: tuple[str, list[str]], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A template asking for file:///etc/passwd or a local address gets nothing; the package's own CSS is served."""
    base, hits = local_server
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    hostile = f"""<html><head><link rel="stylesheet" href="{base}/x.css">
      <link rel="stylesheet" href="file:///etc/passwd"><link rel="attachment" href="{secret.as_uri()}"></head>
      <body><img src="file:///etc/passwd"><img src="{base}/img.png"><object data="{secret.as_uri()}"></object>
      <img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'
        xmlns:xlink='http://www.w3.org/1999/xlink'%3E%3Cimage xlink:href='{base}/svg.png'/%3E%3C/svg%3E">
      <footer>x</footer></body></html>"""
    root = make_playbook(tmp_path / "playbook")
    (checklist,) = validated_playbook(root).checklists.values()
    renderer = export.Renderer(load_settings(root))
    monkeypatch.setattr(renderer, "html", lambda *args, **kwargs: hostile)
    document, options = renderer._document(checklist, export.PAPERS["a4"])
    pdf = document.write_pdf()
    assert hits == [] and b"TOP-SECRET" not in pdf and b"root:" not in pdf
    fetcher = export.asset_fetcher()
    for url in ("file:///etc/passwd", secret.as_uri(), f"{base}/", "file://localhost/etc/passwd",
                (export.ASSETS / ".." / "load.py").as_uri(), "ftp://127.0.0.1/x"):
        with pytest.raises(ValueError):
            fetcher(url)
    assert hits == []
    assert fetcher((export.ASSETS / "print.css").as_uri()).read().startswith(b"/*")


def test_new_refuses_a_symlinked_kind_folder(tmp_path: Path) -> None:
    """`playbook new` never writes through a data/<kind> link into a folder outside the playbook."""
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "pb"
    (root / "data").mkdir(parents=True)
    (root / "data" / "scenarios").symlink_to(outside, target_is_directory=True)
    result = run_playbook("new", "scenario", "my-play", root=root)
    assert result.returncode == 1
    assert result.stderr == ("playbook: error: data/scenarios is a symbolic link; records must live in the playbook "
                             "itself, so replace the link with a real folder\n")
    assert not list(outside.iterdir())


def test_step_summary_escapes_file_names(tmp_path: Path) -> None:
    """A file name with a line break or a table pipe stays one escaped row of the GitHub job summary."""
    root = make_playbook(tmp_path / "pb")
    (root / "data" / "scenarios" / "bad|na\nme.yaml").write_text("title: [\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    result = run_playbook("validate", "--format", "github", root=root, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1
    rows = [line for line in summary.read_text(encoding="utf-8").splitlines() if line.startswith("| `data/")]
    assert rows and all(r.count(" | ") == 4 for r in rows), rows
    assert any("bad\\|na\\nme.yaml" in r for r in rows), rows


# Trust the sources (issue 22): settings words, hand-written pages, ids and titles -----------------------------------
PAYLOAD = '</title><script>alert("s")</script><img src=x onerror=alert(1)>'


def _mini(tmp_path: Path) -> Path:
    return assemble(tmp_path / "pb", PLAYBOOKS / "mini")


def _set(root: Path, old: str, new: str) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_settings_word_is_escaped_on_every_page(tmp_path: Path) -> None:
    """Markup in any of the generator's words (the agenda's title among them) is shown as text, never run."""
    root = _mini(tmp_path)
    words = {key: f"{value} {PAYLOAD}" for key, value in DEFAULT_STRINGS.items() if key not in ("agenda.file_name", "agenda.kept_file_name")}
    lines = "".join(f"      {key}: {json.dumps(value)}\n" for key, value in words.items())
    _set(root, "  playbook:\n", "  playbook:\n    strings:\n" + lines)
    result = build(root)
    assert result.returncode == 0, result.stderr
    pages = sorted((root / "site").rglob("*.html")) + sorted((root / "site").rglob("*.xml"))
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<img src=x" not in text and "<script>alert" not in text, page.relative_to(root)
    agenda = (root / "site" / "agenda" / "index.html").read_text(encoding="utf-8")
    assert "<title>My next meeting &lt;/title&gt;&lt;script&gt;alert(&#34;s&#34;)" in agenda.replace("&quot;", "&#34;")


def test_markup_in_the_site_name_is_refused_with_its_line(tmp_path: Path) -> None:
    """The theme prints site_name (and site_description, site_author, repo_name) as HTML: markup is a located error."""
    root = _mini(tmp_path)
    _set(root, "site_name: Mini playbook", "site_name: Mini <img src=x onerror=alert(1)> playbook")
    _set(root, "site_description: Two records", 'site_description: Two "quoted" records')
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    assert diagnostic_lines(result.stdout) == [
        "mkdocs.yml:2:12: error: site_name: '<' is markup, and the theme prints site_name as HTML on every page; write "
        "it as plain text (spell '&' as 'and', drop '<', '>' and '\"') [config.markup]",
        "mkdocs.yml:3:19: error: site_description: '\"' is markup, and the theme prints site_description as HTML on "
        "every page; write it as plain text (spell '&' as 'and', drop '<', '>' and '\"') [config.markup]",
    ]
    built = build(root)
    assert built.returncode != 0 and diagnostic_lines(result.stdout)[0] in built.stderr
    assert "Traceback" not in built.stderr and not (root / "site" / "index.html").exists()


@pytest.mark.parametrize("name", ["Tips & tricks", "R&D playbook"])
def test_a_plain_ampersand_in_the_site_name_is_text(tmp_path: Path, name: str) -> None:
    """'&' followed by a space is shown as written; one that starts a character reference ('&D', '&#') is refused."""
    root = _mini(tmp_path)
    _set(root, "site_name: Mini playbook", f"site_name: {name}")
    result = run_playbook("validate", root=root)
    assert (result.returncode, bool(diagnostic_lines(result.stdout))) == ((0, False) if "& " in name else (1, True))


def _line_of(root: Path, text: str) -> int:
    """The line of mkdocs.yml that holds `text` (a diagnostic's line, whatever else the file holds)."""
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    return config[:config.index(text)].count("\n") + 1


def test_a_junk_theme_language_is_a_located_error_not_a_traceback(tmp_path: Path) -> None:
    root = _mini(tmp_path)
    _set(root, "  language: en\n", "  language: pt-br\n")
    line = _line_of(root, "  language: pt-br\n")
    result = run_playbook("validate", root=root)
    assert diagnostic_lines(result.stdout) == [
        f"mkdocs.yml:{line}:13: error: theme.language: the theme has no words for the language 'pt-br'; did you mean "
        "'pt-BR'? [config.language]"]
    _set(root, "  language: pt-br\n", "  language: <english>\n")
    result = run_playbook("validate", root=root)
    assert diagnostic_lines(result.stdout) == [
        f"mkdocs.yml:{line}:13: error: theme.language: '<english>' is not a language tag; write one such as en, de or "
        "pt-BR [config.language]"]
    built = build(root)
    assert built.returncode != 0 and diagnostic_lines(result.stdout)[0] in built.stderr
    assert "Traceback" not in built.stderr and "TemplateNotFound" not in built.stderr


@pytest.mark.parametrize("key", ["agenda.file_name", "agenda.kept_file_name"])
@pytest.mark.parametrize("name", ["agenda-{date}.html", "../agenda.json", "agenda", ".json"])
def test_the_agenda_file_name_must_be_a_json_file_name(tmp_path: Path, name: str, key: str) -> None:
    """The saved agenda is JSON: a name ending in .html would make it a web page that runs the agenda's text."""
    root = _mini(tmp_path)
    _set(root, "  playbook:\n", f"  playbook:\n    strings:\n      {key}: {json.dumps(name)}\n")
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    assert diagnostic_lines(result.stdout) == [
        f"mkdocs.yml:{_line_of(root, f'      {key}: ')}:{len(key) + 9}: error: extra.playbook.strings.{key}: must be a file name ending in .json, "
        "with no folder in it (the agenda is saved as JSON; a name ending in .html would make the saved file a web "
        "page) [config.file-name]"]


def test_symlinks_under_content_are_refused_and_never_published(tmp_path: Path) -> None:
    """A link among the hand-written pages (to a file or a folder outside) fails validate and the build, also when
    the build takes its model from the cache; what the links point at is never published."""
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.md").write_text("# The secret page\n\nSECRET-TOKEN\n", encoding="utf-8")
    (outside / "folder" / "notes.md").write_text("# Notes\n\nSECRET-NOTES\n", encoding="utf-8")
    root = _mini(tmp_path)
    assert build(root).returncode == 0  # fills the build cache: the next build skips validating unchanged records
    (root / "content" / "secret.md").symlink_to(outside / "secret.md")
    (root / "content" / "pitfalls" / "more").symlink_to(outside / "folder", target_is_directory=True)
    link = ("error: this is a symbolic link; pages must be plain files in the repository, and links are never "
            "followed (the site would publish what it points at) [file.symlink]")
    expected = [f"content/pitfalls/more:1:1: {link}", f"content/secret.md:1:1: {link}"]
    result = run_playbook("validate", root=root)
    assert result.returncode == 1 and diagnostic_lines(result.stdout) == expected
    shutil.rmtree(root / "site")
    built = build(root)
    assert built.returncode != 0 and all(line in built.stderr for line in expected), built.stderr
    published = [p for p in (root / "site").rglob("*") if p.is_file()] if (root / "site").exists() else []
    assert not any(b"SECRET" in p.read_bytes() for p in published)


def test_a_record_at_a_landing_or_hand_written_pages_address_is_refused(tmp_path: Path) -> None:
    """A record whose page would replace a hand-written page (or be replaced by it) is a located error."""
    root = _mini(tmp_path)
    (root / "content" / "scenarios" / "a-deadline-will-slip.md").write_text("# Mine\n", encoding="utf-8")
    (root / "content" / "checklists" / "weekly-update").mkdir()
    (root / "content" / "checklists" / "weekly-update" / "weekly-update-a4.pdf").write_bytes(b"%PDF-1.4\n")
    result = run_playbook("validate", root=root)
    assert result.returncode == 1
    assert diagnostic_lines(result.stdout) == [
        "data/checklists/weekly-update.yaml:1:1: error: content/checklists/weekly-update/weekly-update-a4.pdf is "
        "already at this record's address (checklists/weekly-update/); rename the record or move that page "
        "[record.id-reserved]",
        "data/scenarios/a-deadline-will-slip.yaml:1:1: error: content/scenarios/a-deadline-will-slip.md is already "
        "at this record's address (scenarios/a-deadline-will-slip/); rename the record or move that page "
        "[record.id-reserved]",
    ]


@pytest.mark.parametrize("title", [
    "نقدم خطة جديدة\u200f اليوم",  # Arabic with a right-to-left mark
    "מה לעשות כשהתאריך \u2067v2.0\u2069 זז",  # Hebrew with an isolated left-to-right word
    "می\u200cخواهم زودتر بگویم",  # Persian: a zero-width non-joiner inside a word
    "Tell the team \U0001f469\u200d\U0001f4bb early",  # an emoji joined by a zero-width joiner
])
def test_right_to_left_text_and_joiners_that_do_work_stay_welcome(tmp_path: Path, title: str) -> None:
    root = make_playbook(tmp_path / "pb")
    scenario = root / "data" / "scenarios" / "my-manager-micromanages.yaml"
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(re.sub(r"(?m)^title: .*$", "title: " + json.dumps(title, ensure_ascii=False), text, count=1),
                        encoding="utf-8")
    result = run_playbook("validate", root=root)
    assert (result.returncode, diagnostic_lines(result.stdout)) == (0, [])


@pytest.mark.parametrize(("title", "rule"), [
    ("Cancel the \u202egniteem", "text.bidi-control"),
    ("Cancel the meeting\u2066", None),  # an isolate is allowed (and pops at the end of the paragraph)
    ("\u200dCancel the meeting", "text.invisible"),  # a joiner that joins nothing
    ("Cancel the\u00ad meeting", "text.invisible"),  # a soft hyphen, invisible in a one-line title
    ("Cancel the\u2060 meeting", "text.invisible"),  # a word joiner
    ("Cancel the meeting\ufeff", "text.invisible"),
])
def test_invisible_and_direction_characters_in_titles(title: str, rule: str | None) -> None:
    text = scenario_text().replace("title: ", "title: " + json.dumps(title) + "\nx_title: ", 1)
    record = parse_text(text, "data/scenarios/x.yaml", "scenarios", "x").record
    assert record is not None and record.data["title"] == title
    assert [d.rule for d in check_characters(record)] == ([rule] if rule else [])


def test_titles_are_compared_as_readers_see_them() -> None:
    same = ["Cancel the meeting", "cancel the meeting", "CANCEL  THE MEETING", "Cancel the\u200b meeting",
            "Cancel the\u00ad meeting", "Ｃａｎｃｅｌ the meeting", "Cancel the meeting\u200d"]
    assert {title_key(t) for t in same} == {"cancel the meeting"}
    assert title_key("Cancel the meetings") != title_key("Cancel the meeting")


def test_zero_width_characters_in_ids_are_refused(tmp_path: Path) -> None:
    """An id with a hidden character, as a file name or as a reference, is a located error (ids are ASCII slugs)."""
    root = make_playbook(tmp_path / "pb")
    text = scenario_text().replace("title: ", "title: Copy of ", 1)
    (root / "data" / "scenarios" / "warn\u200b-early.yaml").write_text(text, encoding="utf-8")
    scenario = root / "data" / "scenarios" / "my-manager-micromanages.yaml"
    scenario.write_text(scenario_text().replace("  - no-surprises\n", '  - "no-surprises\\u200b"\n', 1),
                        encoding="utf-8")
    result = run_playbook("validate", root=root)
    lines = diagnostic_lines(result.stdout)
    assert result.returncode == 1
    assert "error: principles[0]: 'no-surprises\\u200b' is not a valid id: use lowercase words and digits joined by " \
           "single hyphens [schema.id]" in lines[1]
    assert lines[2] == ("data/scenarios/warn\\u200b-early.yaml:1:1: error: file name 'warn\\u200b-early.yaml' breaks "
                        "the id rule: use lowercase words and digits joined by single hyphens, e.g. warn-early.yaml "
                        "[file.name]")
