"""Caches carry no authority (issue 22): a pull request that commits a poisoned build cache publishes none of it.

The reproducer builds a small playbook once, takes the cache files that build wrote (wherever this version keeps
them), poisons them without touching their keys (a page with script, a record that never passed validation, a
checklist id that climbs out of site/, a hand-made "PDF" with a JavaScript action), commits them with `git add -f`
both where older versions read their cache (`.cache/`) and where this version would keep it if the cache folder were
inside the checkout, then clones the repository and validates and builds it as CI does.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from support import PLAYBOOKS, REPO, assemble, build, clean_env, make_playbook, run_playbook

pytestmark = pytest.mark.own_fixtures

MARK = "POISONED-CACHE-7f3a"
CHECKLIST = "weekly-update"


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=60)


def _one(folders: list[Path], pattern: str) -> Path:
    found = [p for folder in folders if folder.is_dir() for p in folder.rglob(pattern) if p.is_file()]
    assert len(found) == 1, f"{pattern}: {found}"
    return found[0]


def _poison_model(text: str) -> str:
    """The validated model with a record that fails the schema and a checklist whose id climbs out of site/."""
    head, *lines = text.splitlines()
    records = [json.loads(line) for line in lines]
    checklist = next(r for r in records if r[0] == "checklists" and r[1] == CHECKLIST)
    climbing = ["checklists", "../../../x", "data/checklists/../../../x.yaml", dict(checklist[3], title=MARK)]
    unchecked = ["scenarios", "never-validated", "data/scenarios/never-validated.yaml",
                 dict(next(r for r in records if r[0] == "scenarios")[3], title=f"<script>{MARK}</script>",
                      not_in_the_schema=True)]
    return "\n".join([head, *map(json.dumps, records + [climbing, unchecked])]) + "\n"


def _poison_pages(text: str) -> str:
    """Every cached record page with script in it, its key untouched."""
    head, *lines = text.splitlines()
    pages = []
    for line in lines:
        page = json.loads(line)
        page[2] = f"<script>alert('{MARK}')</script>" + page[2]
        pages.append(json.dumps(page))
    return "\n".join([head, *pages]) + "\n"


FAKE_PDF = (b"%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert('" + MARK.encode()
            + b"')) >> >> endobj\n%%EOF\n")


def _files(folder: Path, *skip: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and not any(p.is_relative_to(s) for s in skip)}


def test_a_committed_poisoned_cache_publishes_nothing(tmp_path: Path) -> None:
    origin = assemble(tmp_path / "origin", PLAYBOOKS / "mini")
    shutil.copy(REPO / ".gitignore", origin / ".gitignore")
    _git(origin, "init", "-q", "-b", "main")
    _git(origin, "add", ".")
    _git(origin, "commit", "-q", "-m", "a playbook")

    # The contributor builds once, on their own machine.
    home = tmp_path / "contributor-cache"
    first = build(origin, XDG_CACHE_HOME=str(home))
    assert first.returncode == 0, first.stderr
    where = [origin / ".cache", home]
    model, pages = _one(where, "model.json"), _one(where, "pages.json")
    sheet = _one(where, f"{CHECKLIST}/a4-*.pdf")
    assert sheet.parent.name == CHECKLIST
    poisoned = {"model.json": _poison_model(model.read_text(encoding="utf-8")).encode(),
                "pages.json": _poison_pages(pages.read_text(encoding="utf-8")).encode()}

    # The pull request commits the poisoned entries where the old build read them, and where this build would keep
    # its cache if the cache folder were inside the checkout (as XDG_CACHE_HOME=$PWD/.cache would make it).
    clone = tmp_path / "clone"
    inside = origin / ".cache" / "playbook" / f"clone-{hashlib.sha256(str(clone.resolve()).encode()).hexdigest()[:16]}"
    for folder in (origin / ".cache" / "playbook", inside):
        for name, data in poisoned.items():
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
    for folder in (origin / ".cache" / "exports" / CHECKLIST, inside / "sheets" / CHECKLIST):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / sheet.name).write_bytes(FAKE_PDF)
        (folder / sheet.name.replace("a4-", "letter-", 1)).write_bytes(FAKE_PDF)
    _git(origin, "add", "-f", ".cache")
    _git(origin, "commit", "-q", "-m", "a pull request")
    _git(tmp_path, "clone", "-q", str(origin), str(clone))
    assert (clone / ".cache" / "exports" / CHECKLIST / sheet.name).read_bytes() == FAKE_PDF

    # CI: a fresh machine (an empty cache), then one whose cache folder would be inside the checkout.
    for cache_home in (tmp_path / "ci-cache", clone / ".cache"):
        shutil.rmtree(clone / "site", ignore_errors=True)
        before = _files(tmp_path, clone / "site", tmp_path / "ci-cache", home)
        checked = run_playbook("validate", "--strict", root=clone, env=clean_env(XDG_CACHE_HOME=str(cache_home)))
        assert checked.returncode == 0, checked.stdout + checked.stderr
        built = build(clone, XDG_CACHE_HOME=str(cache_home))
        assert built.returncode == 0, built.stderr
        assert _files(tmp_path, clone / "site", tmp_path / "ci-cache", home) == before, \
            "the build wrote nothing outside site/ and its own cache folder"
        assert not (tmp_path / "x").exists() and not (clone / "x").exists()
        site = clone / "site"
        for path in site.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert MARK.encode() not in data, path
                assert path.suffix != ".pdf" or b"/JavaScript" not in data, path
        assert not (site / "scenarios" / "never-validated").exists()
        assert (site / "checklists" / CHECKLIST / f"{CHECKLIST}-a4.pdf").read_bytes().startswith(b"%PDF-")
        assert (site / "checklists" / CHECKLIST / f"{CHECKLIST}-a4.pdf").read_bytes() != FAKE_PDF
    assert (tmp_path / "ci-cache" / "playbook").is_dir(), "the build kept its cache under XDG_CACHE_HOME"


def test_the_cache_lives_outside_the_checkout(tmp_path: Path) -> None:
    from playbook.core.storage import cache_dir

    root = tmp_path / "playbook"
    root.mkdir()
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    folder = cache_dir(root, env)
    assert folder is not None and folder.parent == (tmp_path / "xdg" / "playbook").resolve()
    assert folder.name.startswith("playbook-") and cache_dir(tmp_path / "other", env) != folder
    assert cache_dir(root, {"XDG_CACHE_HOME": str(root / ".cache")}) is None, "never inside the checkout"
    # A relative XDG_CACHE_HOME is ignored, as the XDG spec asks: the cache goes to ~/.cache.
    ignored = cache_dir(root, {"XDG_CACHE_HOME": "relative/path"})
    assert ignored is not None and ignored.parent == (Path.home() / ".cache" / "playbook").resolve()


def test_a_cached_model_is_checked_again_when_read_back(tmp_path: Path) -> None:
    """Even in the user's own cache folder, a record no record file could have made drops the whole entry."""
    from playbook.records.pipeline import validated_playbook

    root = make_playbook(tmp_path / "pb")
    cache = tmp_path / "cache" / "model.json"
    validated_playbook(root, cache_file=cache)
    assert cache.is_file()
    text = cache.read_text(encoding="utf-8")
    head, *lines = text.splitlines()
    records = [json.loads(line) for line in lines]
    checklist = next(r for r in records if r[0] == "checklists")
    for poison in (["checklists", "../../../x", "data/checklists/../../../x.yaml", checklist[3]],
                   ["scenarios", "not-a-file", "data/scenarios/not-a-file.yaml", records[-1][3]],
                   ["checklists", checklist[1], "data/elsewhere.yaml", checklist[3]]):
        cache.write_text("\n".join([head, *map(json.dumps, records + [poison])]) + "\n", encoding="utf-8")
        pb = validated_playbook(root, cache_file=cache)
        assert sorted(r.path for r in pb.all()) == sorted(r[2] for r in records), poison[:3]


def test_cached_pages_are_checked_again_when_read_back(tmp_path: Path) -> None:
    from playbook.site.render import PageCache, RecordPage

    path = tmp_path / "pages.json"
    good = RecordPage("scenarios/a-b.md", "<p>ok</p>", (("h", "H"),), {"title": "T"}, "data/scenarios/a-b.yaml", "T",
                      "k1")
    cache = PageCache(path)
    cache.put(good)
    cache.save()
    assert PageCache(path).get("scenarios/a-b.md", "k1") == good
    for bad in (dataclasses.replace(good, src_uri="../../x.md"), dataclasses.replace(good, source_path="../x.yaml"),
                dataclasses.replace(good, src_uri="other/a-b.md"), dataclasses.replace(good, html=["<script>"]),
                dataclasses.replace(good, toc=(("h",),))):
        cache = PageCache(path)
        cache.pages = {good.src_uri: good, bad.src_uri: bad}  # one bad line drops the whole file
        cache.dirty = True
        cache.save()
        assert PageCache(path).get("scenarios/a-b.md", "k1") is None, bad


def _ci_checks() -> dict[str, str]:
    """The step refusing tracked files that .gitignore names, in .ci/run and in the GitHub workflow, both before the
    tests run."""
    import yaml

    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    start = script.index("# Nothing built or cached belongs in the repository")
    end = script.index("\nfi\n", start) + 4
    assert end < script.index("\nmake test\n")
    steps = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))["jobs"]["check"]
    runs = [step.get("run", "") for step in steps["steps"]]
    (check,) = [i for i, run in enumerate(runs) if "git ls-files -ci --exclude-standard" in run]
    assert check < runs.index("make test")
    return {".ci/run": script[start:end], "ci.yml": runs[check]}


def test_ci_fails_with_one_line_when_a_tracked_file_matches_gitignore(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".cache" / "playbook").mkdir(parents=True)
    shutil.copy(REPO / ".gitignore", repo / ".gitignore")
    (repo / "README.md").write_text("hello\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "clean")
    checks = {where: ["bash", "-euo", "pipefail", "-c", code] for where, code in _ci_checks().items()}
    for where, check in checks.items():
        clean = subprocess.run(check, cwd=repo, capture_output=True, text=True, timeout=60)
        assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", ""), where

    (repo / ".cache" / "playbook" / "model.json").write_text("{}\n", encoding="utf-8")
    _git(repo, "add", "-f", ".cache")
    _git(repo, "commit", "-q", "-m", "a committed cache")
    for where, check in checks.items():
        dirty = subprocess.run(check, cwd=repo, capture_output=True, text=True, timeout=60)
        assert dirty.returncode == 1 and dirty.stdout == "", where
        assert dirty.stderr.splitlines() == ["error: tracked file(s) match .gitignore, remove them with "
                                             "`git rm -r --cached`: .cache/playbook/model.json"], where


def test_a_pipe_among_the_records_fails_the_build_instead_of_hanging_it(tmp_path: Path) -> None:
    """The model cache's key reads every record file: a named pipe there is named in the key, never read."""
    root = assemble(tmp_path / "pb", PLAYBOOKS / "mini")
    os.mkfifo(root / "data" / "scenarios" / "pipe.yaml")
    built = build(root)
    assert built.returncode != 0
    assert "data/scenarios/pipe.yaml:1:1: error: this is not a plain file; records must be plain files [file.read]" \
        in built.stderr
