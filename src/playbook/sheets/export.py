"""Exports: each checklist as a one-page fillable PDF (A4 and US Letter), a Markdown task list and plain text.

PDFs come from one print template rendered by WeasyPrint (layout.py: the sheet of one checklist on one paper),
and cached by a hash of everything that shapes the sheet, so an unchanged checklist is never rendered twice; the
sheets a build or `playbook export` must render are shared between forked processes, one per CPU (workers.py).
`playbook export` keeps a manifest of what it wrote and refuses to overwrite any other file.
"""
from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import json
import os
import shutil
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from playbook import __version__
from playbook.core.diagnostics import BuildError, UsageError, printable
from playbook.records.load import MAX_ID_LENGTH, SLUG_RE
from playbook.records.model import Checklist, Playbook
from playbook.records.pipeline import validated_playbook
from playbook.core.settings import Settings, load_settings
from playbook.core.storage import fingerprint, make_folder, write_atomic
from playbook.sheets.workers import available_cpus, forked_map
# The print sheet itself (its papers, HTML and PDF); these names are importable from here as before.
from playbook.sheets.layout import (ASSETS, PAPERS, PT_PER_PX, TOLERANCE_PX, Paper, Renderer,  # noqa: F401
                                    asset_fetcher, build_date, checklist_data, page_address, papers_for, revision)

MANIFEST = ".playbook-export.json"


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~"})


def _md(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def _footer(checklist: Checklist, settings: Settings) -> str:
    key = "sheet.footer_bank" if checklist.type == "QUESTION-BANK" else "sheet.footer"
    return settings.strings(key, playbook=settings.title, version=revision(checklist))


def to_markdown(checklist: Checklist, settings: Settings) -> str:
    """A GitHub task list: one heading per pause point, every item a `- [ ]` line."""
    t = settings.strings
    critical = _md(t("checklist.critical"))
    lines = [f"# {_md(checklist.title)}", "", _md(checklist.summary), "",
             f"**{checklist.type}**: {_md(t('type.' + checklist.type))}  ", f"**{_md(t('sheet.when'))}** {_md(checklist.when)}", ""]
    for section in checklist.sections:
        lines += [f"## {_md(section.pause)}", ""]
        for item in section.items:
            lines.append(f"- [ ] **{_md(item.text)}** {critical}" if item.critical else f"- [ ] {_md(item.text)}")
        lines.append("")
    address = page_address(checklist, settings.site_url)
    where = f": <{address}>" if address else ""
    lines += [f"## {_md(t('sheet.notes'))}", "", "", "---", "", f"{_md(_footer(checklist, settings))}{where}", ""]
    return "\n".join(lines)


def to_text(checklist: Checklist, settings: Settings) -> str:
    """The same checklist as plain text, with `[ ]` boxes."""
    t = settings.strings
    blanks = "   ".join(f"{name}: {'_' * (12 if i == 0 else 20)}" for i, name in enumerate(settings.sheet_fields))
    lines = [checklist.title, "=" * len(checklist.title), "", checklist.summary, "",
             f"{checklist.type}: {t('type.' + checklist.type)}", f"{t('sheet.when')} {checklist.when}", ""]
    if blanks:
        lines += [blanks, ""]
    for section in checklist.sections:
        lines += [section.pause, "-" * len(section.pause)]
        lines += [f"[ ] {item.text}" + (f" {t('checklist.critical')}" if item.critical else "") for item in section.items]
        lines.append("")
    address = page_address(checklist, settings.site_url)
    notes = t("sheet.notes")
    lines += [notes, "-" * len(notes), *["_" * 60] * 4, "", _footer(checklist, settings) + (f": {address}" if address else ""), ""]
    return "\n".join(lines)


def sheet_key(checklist: Checklist, paper: Paper, settings: Settings) -> str:
    """The cache key of one PDF: everything that changes the sheet. The checklist's data, the paper's geometry, the
    playbook's title, address, language, words and sheet fields, the dates printed on it, and (storage.fingerprint)
    the generator's code, templates and stylesheet and the versions of WeasyPrint and the libraries under it."""
    return fingerprint("sheet", checklist_data(checklist), dataclasses.asdict(paper), settings.title,
                       settings.site_url, settings.language, dict(settings.strings), list(settings.sheet_fields),
                       checklist.reviewed, build_date())


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _folder(folder: Path, base: Path | None = None) -> None:
    """Make folder a real directory; below base (a folder we own), a link in the way is replaced, never followed."""
    try:
        make_folder(folder, base)
    except OSError as exc:
        raise BuildError(f"cannot create the folder {_shown(folder)}: {exc.strerror or exc}") from None


def _shown(path: Path) -> str:
    return printable(path.as_posix())


def _write(path: Path, data: bytes, base: Path | None = None) -> None:
    """storage.write_atomic (never half a file, never through a link, never outside base), failing as BuildError."""
    try:
        write_atomic(path, data, base)
    except OSError as exc:
        raise BuildError(f"cannot write {_shown(path)}: {exc.strerror or exc}") from None


def _read_plain(path: Path) -> bytes | None:
    """A regular file's bytes, never through a symbolic link; None when it is missing, a link or not a file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read()
    finally:
        os.close(fd)


def _cached_sheet(cache_dir: Path, checklist: Checklist, paper: Paper, key: str) -> Path:
    return cache_dir / checklist.id / f"{paper.key}-{key[:24]}.pdf"


def _checked_ids(pb: Playbook) -> None:
    """Every checklist id names a folder and files: one that is not a plain slug (a model from anywhere but the
    loader) is refused before anything is written."""
    for checklist in pb.checklists.values():
        if not (isinstance(checklist.id, str) and len(checklist.id) <= MAX_ID_LENGTH and SLUG_RE.match(checklist.id)):
            raise BuildError(f"refusing to export the checklist id {printable(repr(checklist.id))}: "
                             f"ids are lowercase words joined by hyphens")


def sheets_cached(pb: Playbook, cache_dir: Path | None, settings: Settings) -> bool:
    """Whether every checklist's PDFs are in the cache, so site_exports renders nothing (and imports no WeasyPrint)."""
    if cache_dir is None:
        return not pb.checklists
    try:
        _checked_ids(pb)
    except BuildError:
        return False  # site_exports says why
    for checklist in pb.checklists.values():
        for paper in PAPERS.values():
            data = _read_plain(_cached_sheet(cache_dir, checklist, paper, sheet_key(checklist, paper, settings)))
            if data is None or not data.startswith(b"%PDF-"):
                return False
    return True


def site_exports(pb: Playbook, site_dir: Path, cache_dir: Path | None, *, settings: Settings | None = None,
                 workers: int = 1) -> list[Path]:
    """Write checklists/<id>/<id>-a4.pdf, -letter.pdf, .md and .txt under site_dir, PDFs through cache_dir (None:
    no cache). Nothing is written outside site_dir and cache_dir.

    With workers > 1, the sheets missing from the cache are rendered by that many processes (forked, where safe).
    """
    settings = settings or load_settings(pb.root)
    _checked_ids(pb)
    written: list[Path] = []
    # Inside the playbook, every folder down to the cache is ours: a committed link there is replaced.
    cache_base = pb.root if cache_dir is not None and cache_dir.is_relative_to(pb.root) else cache_dir
    sheets: dict[tuple[str, str], bytes] = {}
    missing: list[tuple[Checklist, Paper, Path | None]] = []
    for checklist in pb.checklists.values():
        for paper in PAPERS.values():
            cached = None if cache_dir is None else _cached_sheet(cache_dir, checklist, paper,
                                                                  sheet_key(checklist, paper, settings))
            # Only a plain file that is a PDF is taken from the cache: a link there (to any local file) is
            # never read or published, it is replaced by a fresh render.
            data = None if cached is None else _read_plain(cached)
            if data is None or not data.startswith(b"%PDF-"):
                missing.append((checklist, paper, cached))
            else:
                sheets[checklist.id, paper.key] = data
    if missing:
        renderer = Renderer(settings)  # before any fork: the workers inherit WeasyPrint, fonts and stylesheet
        jobs: dict[str, list[tuple[Checklist, Paper, Path]]] = {}
        for job in missing:  # a checklist's papers together: they share one layout
            jobs.setdefault(job[0].id, []).append(job)
        rendered = forked_map(lambda group: renderer.pdfs(group[0][0], [paper for _, paper, _ in group]),
                              list(jobs.values()), workers)
        for group, pdfs in zip(jobs.values(), rendered):
            for (checklist, paper, cached), data in zip(group, pdfs):
                sheets[checklist.id, paper.key] = data
                if cached is None:
                    continue
                _folder(cached.parent, cache_base)
                for stale in cached.parent.glob(f"{paper.key}-*.pdf"):
                    if stale.is_symlink() or stale.is_file():
                        stale.unlink()
                _write(cached, data, cache_base)
    for checklist in pb.checklists.values():
        folder = site_dir / "checklists" / checklist.id
        for paper in PAPERS.values():
            target = folder / f"{checklist.id}-{paper.key}.pdf"
            _write(target, sheets[checklist.id, paper.key], site_dir)
            written.append(target)
        for suffix, make in ((".md", to_markdown), (".txt", to_text)):
            target = folder / f"{checklist.id}{suffix}"
            _write(target, make(checklist, settings).encode("utf-8"), site_dir)
            written.append(target)
    return written


@dataclass
class _Target:
    rel: str
    key: str
    data: bytes | None  # a PDF's is made later, with the checklist's other papers
    label: str
    checklist_id: str
    paper: Paper | None = None


class _Manifest:
    """What `playbook export` wrote into a folder, with each file's hash, so it never overwrites anything else."""

    def __init__(self, out: Path):
        self.path = out / MANIFEST
        self.files: dict[str, dict[str, str]] = {}
        if os.path.lexists(self.path):
            raw = _read_plain(self.path)
            try:
                if raw is None:
                    raise ValueError("it is a folder, a link or unreadable")
                data = json.loads(raw.decode("utf-8"))
                self.files = {k: dict(v) for k, v in data["files"].items()}
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise BuildError(f"{_shown(self.path)} is not a playbook export manifest ({printable(str(exc))}); "
                                 f"choose another --out folder") from None

    def problem(self, out: Path, rel: str) -> str | None:
        """Why writing rel would destroy someone's file, or None when it is ours and untouched."""
        path = out / rel
        if not os.path.lexists(path):
            return None
        entry = self.files.get(rel)
        if entry is None:
            return f"{_shown(path)}: it exists and was not written by `playbook export`"
        if os.path.islink(path):
            return f"{_shown(path)}: it is a symbolic link, and `playbook export` never writes through one"
        data = _read_plain(path)
        if data is None or _sha256(data) != entry.get("sha256"):
            return f"{_shown(path)}: it was changed since `playbook export` wrote it"
        return None

    def record(self, rel: str, data: bytes, key: str) -> None:
        self.files[rel] = {"sha256": _sha256(data), "key": key}
        text = json.dumps({"generator": f"playbook {__version__}", "files": dict(sorted(self.files.items()))},
                          indent=1) + "\n"
        _write(self.path, text.encode("utf-8"))


class _Progress:
    """A one-line progress bar on stderr, drawn only on a terminal."""

    WIDTH = 24

    def __init__(self, total: int, stream: TextIO, enabled: bool):
        self.total, self.stream, self.enabled, self.done = total, stream, enabled, 0
        # One column short of the terminal: a line that wraps would defeat the carriage return.
        self.columns = shutil.get_terminal_size().columns - 1

    def step(self, label: str) -> None:
        if not self.enabled:
            return
        filled = self.WIDTH * self.done // self.total
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done + 1}/{self.total} {label}"
        self.stream.write("\r" + line[:self.columns].ljust(self.columns))
        self.stream.flush()
        self.done += 1

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * self.columns + "\r")
            self.stream.flush()


def _select(pb: Playbook, ids: list[str] | None) -> list[Checklist]:
    if not ids:
        if not pb.checklists:
            raise UsageError(f"no checklists found under {pb.root / 'data' / 'checklists'}")
        return list(pb.checklists.values())
    chosen = []
    for checklist_id in dict.fromkeys(ids):
        if checklist_id not in pb.checklists:
            close = difflib.get_close_matches(checklist_id, sorted(pb.checklists), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"known checklists: {', '.join(sorted(pb.checklists))}"
            raise UsageError(f"unknown checklist {checklist_id!r}; {hint}")
        chosen.append(pb.checklists[checklist_id])
    return chosen


def export_command(root: Path, out: Path, formats: list[str], paper: str, ids: list[str] | None, quiet: bool) -> int:
    """`playbook export`: write the chosen checklists into out, never over a file this command did not write."""
    started = time.perf_counter()
    pb = validated_playbook(root)
    checklists = _select(pb, ids)
    settings = load_settings(root)

    @functools.cache
    def renderer() -> Renderer:
        return Renderer(settings)

    targets: list[_Target] = []
    for checklist in checklists:
        if "pdf" in formats:
            for p in papers_for(paper):
                targets.append(_Target(f"{checklist.id}-{p.key}.pdf", sheet_key(checklist, p, settings), None,
                                       f"{checklist.id} ({p.name})", checklist.id, p))
        for fmt, make in (("md", to_markdown), ("txt", to_text)):
            if fmt in formats:
                data = make(checklist, settings).encode("utf-8")
                targets.append(_Target(f"{checklist.id}.{fmt}", _sha256(data), data, f"{checklist.id} ({fmt})",
                                       checklist.id))

    def files(group: list[_Target]) -> list[bytes]:
        """One checklist's files; its PDFs made together, as they share one layout."""
        papers = [target.paper for target in group if target.paper]
        pdfs = iter(renderer().pdfs(pb.checklists[group[0].checklist_id], papers) if papers else [])
        return [next(pdfs) if target.paper else target.data for target in group]

    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {_shown(out)} is not a folder; name a folder (it is created if missing)")
    manifest = _Manifest(out)
    problems = [p for p in (manifest.problem(out, t.rel) for t in targets) if p]
    if problems:
        raise BuildError("refusing to overwrite " + "; ".join(problems) + ". Move the file(s) away or choose "
                         "another --out folder.")
    todo = [t for t in targets if not (os.path.lexists(out / t.rel) and manifest.files[t.rel].get("key") == t.key)]
    groups: dict[str, list[_Target]] = {}  # each checklist's files are made by one process
    for target in todo:
        groups.setdefault(target.checklist_id, []).append(target)
    progress = _Progress(len(todo), sys.stderr, not quiet and len(todo) > 1 and sys.stderr.isatty())
    sheets = any(target.paper for target in todo)
    if sheets:
        renderer()  # before any fork: the workers inherit WeasyPrint, fonts and stylesheet
    made = forked_map(files, list(groups.values()), available_cpus() if sheets else 1)
    try:
        for group in groups.values():
            progress.step(group[0].label)
            for target, data in zip(group, next(made)):
                if target is not group[0]:
                    progress.step(target.label)
                _write(out / target.rel, data, out)
                manifest.record(target.rel, data, target.key)
    finally:
        made.close()
        progress.close()
    unchanged = len(targets) - len(todo)
    where = out.as_posix().rstrip("/") + "/"
    took = f"in {time.perf_counter() - started:.1f} s"
    if todo:
        note = f", {unchanged} unchanged" if unchanged else ""
        print(f"wrote {len(todo)} file(s) to {where} for {len(checklists)} checklist(s){note} {took}")
    else:
        print(f"nothing to write: {unchanged} file(s) up to date in {where} {took}")
    return 0
