"""The generator as a team gets it: `pip wheel` builds, a fresh venv installs the wheel, and init, validate and
build work from that install alone. Slow (one to three minutes): select it alone with `pytest -m package`."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from playbook import DISTRIBUTION, __version__
from playbook.records.schema_source import KINDS
from support import REPO, clean_env

pytestmark = pytest.mark.package

# What a clean clone does not hold: tools' and builds' output at the top, caches anywhere.
TOP_LEVEL_OUTPUT = {".git", ".venv", "node_modules", "site", "build", "dist", "exports", "test-results", ".cache"}
ANYWHERE = {"__pycache__", ".pytest_cache"}
STARTER = REPO / "src" / "playbook" / "starter"


def _clean_copy(dest: Path) -> Path:
    """The repository as a fresh clone would have it (with the working tree's edits), so building it writes no
    build/ or *.egg-info into the checkout."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        skip = {n for n in names if n in ANYWHERE or n.endswith(".egg-info")}
        return skip | (TOP_LEVEL_OUTPUT & set(names) if Path(folder) == REPO else set())

    shutil.copytree(REPO, dest, ignore=ignore, symlinks=True)
    return dest


def _run(command: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stdout + result.stderr
    return result


def test_the_wheel_installs_into_a_fresh_venv_and_makes_a_playbook(tmp_path: Path) -> None:
    started = time.perf_counter()
    # pip's own download cache (the test session points XDG_CACHE_HOME at a temporary folder for our build cache).
    env = {k: v for k, v in clean_env().items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))

    source = _clean_copy(tmp_path / "clone")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"), str(source)],
         tmp_path, env)
    wheels = sorted((tmp_path / "dist").glob("*.whl"))
    assert [w.name for w in wheels] == [f"{DISTRIBUTION.replace('-', '_')}-{__version__}-py3-none-any.whl"]

    # The wheel holds the package and its metadata only: none of our tests, records, pages or repository files.
    with zipfile.ZipFile(wheels[0]) as wheel:
        members = wheel.namelist()
        entry_points = wheel.read(f"{DISTRIBUTION.replace('-', '_')}-{__version__}.dist-info/entry_points.txt")
    tops = {m.split("/", 1)[0] for m in members}
    assert tops == {"playbook", f"{DISTRIBUTION.replace('-', '_')}-{__version__}.dist-info"}
    for ours in ("tests/", "data/", "content/", "macros/", "bench/", "schemas/", ".github/"):
        assert not [m for m in members if m.startswith(ours) or m.startswith(f"playbook/{ours}")], ours
    starter = {f"playbook/starter/{p.relative_to(STARTER).as_posix()}" for p in STARTER.rglob("*") if p.is_file()
               and "__pycache__" not in p.parts}
    assert starter <= set(members)  # dotfiles too: .gitignore, .github/workflows/*.yml
    assert not [m for m in members if m.startswith("playbook/starter/") and m.endswith(".py")]
    assert "[mkdocs.plugins]\nplaybook = playbook.site.plugin:PlaybookPlugin" in entry_points.decode()
    assert "[console_scripts]\nplaybook = playbook.cli.main:main" in entry_points.decode()

    # A fresh venv, the wheel and its dependencies from the package index (or pip's cache), nothing of ours.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path, env)
    bin_ = venv / ("Scripts" if os.name == "nt" else "bin")
    _run([str(bin_ / "python"), "-m", "pip", "install", "--quiet", str(wheels[0])], tmp_path, env, timeout=900)
    where = _run([str(bin_ / "python"), "-c", "import playbook; print(playbook.__file__)"], tmp_path, env)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout
    assert _run([str(bin_ / "playbook"), "--version"], tmp_path, env).stdout.strip() == f"playbook {__version__}"

    work = tmp_path / "work"
    work.mkdir()
    _run([str(bin_ / "playbook"), "init", "x"], work, env)
    root = work / "x"
    assert not [p for p in root.rglob("*") if p.suffix in (".py", ".pyc")]
    validated = _run([str(bin_ / "playbook"), "validate", "--strict"], root, env)
    assert "0 error(s), 0 warning(s); validation passed" in validated.stdout
    _run([str(bin_ / "mkdocs"), "build", "--strict"], root, env)

    site = root / "site"
    for kind in KINDS:
        records = sorted((root / "data" / kind).glob("*.yaml"))
        assert records, kind
        for record in records:
            assert (site / kind / record.stem / "index.html").is_file(), (kind, record.stem)
    for checklist in (root / "data" / "checklists").glob("*.yaml"):
        for paper in ("a4", "letter"):
            pdf = site / "checklists" / checklist.stem / f"{checklist.stem}-{paper}.pdf"
            assert len(PdfReader(pdf).pages) == 1, pdf
    print(f"\nwheel test: built, installed in a fresh venv, init + validate + build in "
          f"{time.perf_counter() - started:.0f} s")


def test_the_sdist_holds_the_source_and_builds_the_same_wheel(tmp_path: Path) -> None:
    """The source release (what the release workflow publishes beside the wheel) has the licence, the starter with
    its dotfiles and the plugin, and pip builds from it a wheel with exactly the members of one built from a clone."""
    import tarfile

    env = {k: v for k, v in clean_env().items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    source = _clean_copy(tmp_path / "clone")
    builder = tmp_path / "builder"
    _run([sys.executable, "-m", "venv", str(builder)], tmp_path, env)
    python = str(builder / ("Scripts" if os.name == "nt" else "bin") / "python")
    _run([python, "-m", "pip", "install", "--quiet", "setuptools>=77", "wheel"], tmp_path, env, timeout=900)
    _run([python, "-c", f"from setuptools import build_meta; build_meta.build_sdist({str(tmp_path / 'sdist')!r})"],
         source, env)
    sdists = sorted((tmp_path / "sdist").glob("*.tar.gz"))
    assert [s.name for s in sdists] == [f"{DISTRIBUTION.replace('-', '_')}-{__version__}.tar.gz"]
    prefix = sdists[0].name.removesuffix(".tar.gz")
    with tarfile.open(sdists[0]) as archive:
        names = {name.removeprefix(prefix + "/") for name in archive.getnames()}
    for needed in ("LICENSE", "pyproject.toml", "README.md", "src/playbook/__init__.py",
                   "src/playbook/site/plugin.py", "src/playbook/starter/.gitignore",
                   "src/playbook/starter/.github/workflows/ci.yml", "src/playbook/starter/mkdocs.yml"):
        assert needed in names, needed

    def members(wheel_source: Path, out: Path) -> set[str]:
        _run([python, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(wheel_source)], tmp_path, env)
        (wheel,) = out.glob("*.whl")
        with zipfile.ZipFile(wheel) as opened:
            return {m for m in opened.namelist() if ".dist-info/" not in m}

    from_sdist = members(sdists[0], tmp_path / "from-sdist")
    assert from_sdist == members(source, tmp_path / "from-clone")
    assert "playbook/site/plugin.py" in from_sdist and "playbook/starter/.github/workflows/ci.yml" in from_sdist
