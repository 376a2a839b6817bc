"""ADOPTING.md followed literally on a copy of the repository, and playbooks of other teams built end to end.

The copy gets what "Use this template" gives a team; then, as the guide says, the title and the `extra.playbook`
settings are set in mkdocs.yml, data/ and content/ are replaced by tests/playbooks/incident-response's, and the
nav lists the pages there are.
Nothing of the shipped playbook (its words, titles or addresses) may survive in what the copy builds.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from playbook.records.load import Yaml12Loader
from support import ADDRESS_VARIABLES, PLAYBOOKS, REPO, assemble, build, run_playbook

INCIDENTS = PLAYBOOKS / "incident-response"
GERMAN = PLAYBOOKS / "de-gespraech"
# What a team gets from "Use this template" and the build reads (the engine itself is the installed package).
TEMPLATE = ("mkdocs.yml", "content", "macros", "overrides", "data", "schemas", "CONTRIBUTING.md", "ADOPTING.md",
            "README.md", "Makefile", "pyproject.toml")
# Pages the generator adds itself, from the repository's guides or from nothing.
GENERATED_PAGES = {"agenda.md": None, "contributing.md": "CONTRIBUTING.md", "adopting.md": "ADOPTING.md"}
# run_playbook adds to the caller's environment, so addresses a CI runner sets are blanked, not just left out.
NO_ADDRESS = {name: "" for name in ADDRESS_VARIABLES}
WORDS_OF_OURS = re.compile(r"managing[ -]up|manager", re.I)
TEXT_SUFFIXES = {".html", ".json", ".txt", ".md", ".xml"}
LINK = re.compile(r"""(?:href|src|action)=["']?(https?://[^"'\s>]+)""")


def _build(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` with no address unless `env` gives one; a traceback is never an answer."""
    result = build(root, **env)
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def _template_copy(dest: Path) -> Path:
    dest.mkdir()
    for name in TEMPLATE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        elif source.is_file():
            shutil.copy2(source, dest / name)
    return dest


def _set_top_level(config: str, key: str, value: str) -> str:
    """Change one top-level `key: value` line of mkdocs.yml, as a person would in an editor."""
    line = f"{key}: {json.dumps(value, ensure_ascii=False)}"
    # The value may run on over indented lines (a long one, as YAML writers fold it): they go too.
    changed, count = re.subn(rf"(?m)^{key}:.*(?:\n[ \t]+\S.*)*$", lambda _: line, config)
    return changed if count else f"{line}\n{config}"


def _list_existing_pages(config: str, root: Path) -> str:
    """Make the nav list the pages there are, as a person would: drop the lines whose page is gone (hand-written in
    content/, or made by the generator), and add a line, titled by its heading, for each hand-written page it lacks
    (the repository's playbook may have had fewer pages than the one adopted)."""
    def keep(page: str) -> bool:
        if (root / "content" / page).is_file():
            return True
        if page in GENERATED_PAGES:
            guide = GENERATED_PAGES[page]
            return guide is None or (root / guide).is_file()
        return False

    lines, listed, last = [], set(), -1
    for line in config.splitlines(keepends=True):
        entry = re.match(r"^\s*- (?:[^:\n]+: )?(\S+\.md)\s*$", line)
        if entry and not keep(entry.group(1)):
            continue
        if entry:
            listed.add(entry.group(1))
            last = len(lines)
        lines.append(line)
    added = []
    for page in sorted(p.relative_to(root / "content").as_posix() for p in (root / "content").rglob("*.md")):
        if page not in listed:
            heading = next((line[2:].strip() for line in (root / "content" / page).read_text(encoding="utf-8")
                            .splitlines() if line.startswith("# ")), page)
            added.append(f"  - {json.dumps(heading, ensure_ascii=False)}: {page}\n")
    return "".join(lines[:last + 1] + added + lines[last + 1:])


def _playbook_block(config: str) -> tuple[int, int]:
    """Where the `playbook:` block under `extra:` starts and ends, in lines (end == start when there is none)."""
    lines = config.splitlines(keepends=True)
    inside_extra = False
    for i, line in enumerate(lines):
        if re.match(r"^\S", line):
            inside_extra = line.startswith("extra:")
        elif inside_extra and line.startswith("  playbook:"):
            end = i + 1
            while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
                end += 1
            return i, end
    extra = next((i + 1 for i, line in enumerate(lines) if line.startswith("extra:")), len(lines))
    return extra, extra


def _replace_playbook_settings(config: str, settings: str) -> str:
    """Swap the shipped `extra.playbook` block for another playbook's (its text, indentation and all)."""
    start, end = _playbook_block(settings)
    ours = "".join(settings.splitlines(keepends=True)[start:end])
    lines = config.splitlines(keepends=True)
    start, end = _playbook_block(config)
    return "".join(lines[:start]) + ours + "".join(lines[end:])


def _adopt(root: Path, title: str, description: str) -> None:
    """ADOPTING.md, steps 2 to 4: name the playbook and set its settings, replace records and pages, fix the nav."""
    config = root / "mkdocs.yml"
    text = _set_top_level(config.read_text(encoding="utf-8"), "site_name", title)
    text = _set_top_level(text, "site_description", description)
    text = _replace_playbook_settings(text, (INCIDENTS / "mkdocs.yml").read_text(encoding="utf-8"))
    shutil.rmtree(root / "data")
    shutil.copytree(INCIDENTS / "data", root / "data")
    shutil.rmtree(root / "content")
    shutil.copytree(INCIDENTS / "content", root / "content")
    config.write_text(_list_existing_pages(text, root), encoding="utf-8")


def _titles(data: Path) -> set[str]:
    return {yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)["title"]
            for kind in ("scenarios", "checklists") for path in sorted((data / kind).glob("*.yaml"))}


def _shipped_titles() -> list[str]:
    """The repository's own scenario and checklist titles, less any the adopted playbook shares (when CI runs
    this suite with the incident playbook swapped in, the two are the same playbook)."""
    return sorted(_titles(REPO / "data") - _titles(INCIDENTS / "data"))


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def _texts(folder: Path) -> dict[str, str]:
    """Every built text (HTML unescaped, JSON decoded) and every PDF's text, by path."""
    out: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".pdf":
            out[path.relative_to(folder).as_posix()] = _pdf_text(path)
        elif path.suffix in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".json":
                text = json.dumps(json.loads(text), ensure_ascii=False)
            out[path.relative_to(folder).as_posix()] = html.unescape(text)
    return out


@pytest.fixture(scope="module")
def adopted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository as a template user gets it, adopted by an on-call team as ADOPTING.md says."""
    root = _template_copy(tmp_path_factory.mktemp("adopted") / "handbook")
    _adopt(root, "Incident reviews", "How our on-call team runs blameless incident reviews.")
    return root


@pytest.fixture(scope="module")
def adopted_site(adopted: Path) -> Path:
    result = _build(adopted)
    assert result.returncode == 0, result.stdout + result.stderr
    return adopted / "site"


@pytest.fixture(scope="module")
def adopted_exports(adopted: Path) -> Path:
    out = adopted / "exports"
    result = run_playbook("export", "--out", str(out), "--quiet", root=adopted, env=NO_ADDRESS)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.mark.own_fixtures
def test_the_guide_names_what_a_team_edits() -> None:
    guide = (REPO / "ADOPTING.md").read_text(encoding="utf-8")
    for needed in ("Use this template", "site_name", "extra.playbook", "strings", "sheet_fields", "lint", "data/",
                   "content/", "Settings → Pages", "GitHub Actions", "GITHUB_REPOSITORY", "PLAYBOOK_SITE_URL"):
        assert needed in guide, needed
    assert not WORDS_OF_OURS.search(guide), "ADOPTING.md is served as a page of every adopted playbook"
    assert "[ADOPTING.md](ADOPTING.md)" in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_adopted_playbook_validates(adopted: Path) -> None:
    result = run_playbook("validate", "--strict", root=adopted, env=NO_ADDRESS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_adopted_playbook_builds_and_exports(adopted: Path, adopted_site: Path, adopted_exports: Path) -> None:
    for kind, folder in (("scenarios", "scenarios"), ("checklists", "checklists"), ("principles", "principles"),
                         ("pitfalls", "pitfalls")):
        for record in (adopted / "data" / kind).glob("*.yaml"):
            assert (adopted_site / folder / record.stem / "index.html").is_file(), record
    for checklist in (adopted / "data" / "checklists").glob("*.yaml"):
        for name in (f"{checklist.stem}-a4.pdf", f"{checklist.stem}-letter.pdf", f"{checklist.stem}.md",
                     f"{checklist.stem}.txt"):
            assert (adopted_exports / name).is_file(), name
            assert (adopted_site / "checklists" / checklist.stem / name).is_file(), name
    document = json.loads((adopted_site / "playbook.json").read_text(encoding="utf-8"))
    assert document["title"] == "Incident reviews" and document["site_url"] is None
    assert {r["id"] for r in document["records"]} == {p.stem for p in (adopted / "data").glob("*/*.yaml")}
    assert "<title>Incident reviews</title>" in (adopted_site / "index.html").read_text(encoding="utf-8")


def test_nothing_of_the_shipped_playbook_survives(adopted_site: Path, adopted_exports: Path) -> None:
    titles = _shipped_titles()
    texts = {**{f"site/{k}": v for k, v in _texts(adopted_site).items()},
             **{f"exports/{k}": v for k, v in _texts(adopted_exports).items()}}
    assert any(name.endswith(".pdf") for name in texts)
    found = []
    for name, text in texts.items():
        words = sorted({m.group(0) for m in WORDS_OF_OURS.finditer(text)})
        if words:
            found.append(f"{name}: {words}")
        found += [f"{name}: title {title!r}" for title in titles if title in text]
    assert not found, "\n".join(found)


def test_no_address_appears_that_nobody_configured(adopted_site: Path, adopted_exports: Path) -> None:
    """No repository, no site address: no edit link, no repository link, no address line on any sheet."""
    found = []
    for name, text in _texts(adopted_site).items():
        for link in LINK.findall(text):
            if re.search(r"github\.(com|io)|managing-up", link):
                found.append(f"{name}: {link}")
    assert not found, "\n".join(found)
    for name, text in {**_texts(adopted_site / "checklists"), **_texts(adopted_exports)}.items():
        if name.endswith((".pdf", ".txt", ".md")) and not name.endswith("index.md"):
            assert "http" not in text and "Online:" not in text, name
    assert "edit/main" not in (adopted_site / "scenarios" / "i-run-my-first-review" / "index.html").read_text(
        encoding="utf-8")


@pytest.mark.own_fixtures
def test_addresses_come_from_the_github_environment(tmp_path: Path) -> None:
    root = assemble(tmp_path / "handbook", INCIDENTS)
    result = _build(root, GITHUB_REPOSITORY="acme/handbook")
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    for path in sorted((root / "data").glob("*/*.yaml")):
        page = (site / path.parent.name / path.stem / "index.html").read_text(encoding="utf-8")
        edit = f'href="https://github.com/acme/handbook/edit/main/data/{path.parent.name}/{path.stem}.yaml"'
        assert edit in page, path
    for checklist in sorted((root / "data" / "checklists").glob("*.yaml")):
        folder = site / "checklists" / checklist.stem
        address = f"https://acme.github.io/handbook/checklists/{checklist.stem}/"
        assert address in (folder / f"{checklist.stem}.txt").read_text(encoding="utf-8")
        for paper in ("a4", "letter"):
            assert "https://acme.github.io/handbook/" in _pdf_text(folder / f"{checklist.stem}-{paper}.pdf"), paper
    document = json.loads((site / "playbook.json").read_text(encoding="utf-8"))
    assert document["site_url"] == "https://acme.github.io/handbook/"
    assert all(r["href"] == "https://acme.github.io/handbook/" + r["url"] for r in document["records"])


@pytest.mark.own_fixtures
def test_the_other_team_playbooks_validate_strictly() -> None:
    for playbook in (INCIDENTS, GERMAN):
        result = run_playbook("validate", "--strict", root=playbook, env=NO_ADDRESS)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.own_fixtures
def test_the_incident_playbook_is_another_subject() -> None:
    """No steps, a question bank of 12+ prompts in one section, and not a word of ours."""
    data = INCIDENTS / "data"
    assert not list(data.glob("steps/*.yaml"))
    banks = [yaml.load(p.read_text(encoding="utf-8"), Loader=Yaml12Loader) for p in data.glob("checklists/*.yaml")]
    banks = [b for b in banks if b["type"] == "QUESTION-BANK"]
    assert any(len(s["items"]) >= 12 for b in banks for s in b["sections"])
    for path in sorted(INCIDENTS.rglob("*")):
        if path.is_file():
            assert not WORDS_OF_OURS.search(path.read_text(encoding="utf-8")), path


@pytest.mark.own_fixtures
def test_the_german_playbook_translates_every_string() -> None:
    """Every word the generator prints has a German label there, so no English default slips onto its pages."""
    from playbook.core.settings import load_settings
    from playbook.core.strings import DEFAULT_STRINGS

    config = yaml.load((GERMAN / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Yaml12Loader)
    assert config["theme"]["language"] == "de"
    german = config["extra"]["playbook"]["strings"]
    assert sorted(set(DEFAULT_STRINGS) - set(german)) == []
    settings = load_settings(GERMAN, env={})
    assert settings.sheet_fields == ("Datum", "Name", "Gesprächspartner")
    assert settings.strings("scenario.scripts") == "Was du sagen kannst"


@pytest.mark.own_fixtures
def test_a_german_playbook_speaks_german_on_pages_and_sheets(tmp_path: Path) -> None:
    root = assemble(tmp_path / "gespraech", GERMAN)
    result = _build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"

    def page(path: str) -> str:
        return html.unescape((site / path / "index.html").read_text(encoding="utf-8"))

    scenario = page("scenarios/ich-muss-kritik-ansprechen")
    assert '<html lang="de"' in scenario
    for label in ("Vorgehen", "Was du sagen kannst", "Einstieg", "Bei Widerspruch", "Woran du merkst",
                  "Nachbereitung", "Prinzipien dahinter"):
        assert label in scenario, label
    for english in ("What to say", "Moves", "Signs it worked", "If they push back"):
        assert english not in scenario, english
    checklist = page("checklists/feedbackgespraech-vorbereiten")
    for label in ("Häkchen löschen", "Mit meinen Häkchen kopieren", "Deine Häkchen bleiben nur in diesem Browser"):
        assert label in checklist, label
    assert "Reset ticks" not in checklist
    principle = page("principles/verhalten-statt-person")
    assert "Warum es gilt" in principle and "Why it holds" not in principle
    sheets = site / "checklists" / "feedbackgespraech-vorbereiten"
    for paper in ("a4", "letter"):
        text = _pdf_text(sheets / f"feedbackgespraech-vorbereiten-{paper}.pdf")
        for label in ("Datum", "Name", "Gesprächspartner", "Notizen", "Wann:", "Lies einen Punkt"):
            assert label in text, (paper, label)
        for english in ("Notes", "When to use", "Your name", "Manager"):
            assert english not in text, (paper, english)
    sheet = (sheets / "feedbackgespraech-vorbereiten.txt").read_text(encoding="utf-8")
    assert "Datum:" in sheet and "Gesprächspartner:" in sheet and "Notizen" in sheet
    assert _english_defaults_in(site) == []


def _english_defaults_in(site: Path) -> list[str]:
    """Each English default of the strings table still shown in a page's article text (German differs from it)."""
    from playbook.core.strings import DEFAULT_STRINGS

    german = yaml.load((GERMAN / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Yaml12Loader)["extra"]["playbook"]
    texts = {}
    for path in sorted(site.rglob("*.html")):
        article = re.search(r"<article\b.*?</article>", path.read_text(encoding="utf-8"), re.S)
        body = re.sub(r"<(script|style)\b.*?</\1>", " ", article.group(0) if article else "", flags=re.S)
        texts[path.relative_to(site).as_posix()] = html.unescape(re.sub(r"<[^>]+>", " ", body))
    found = []
    for key, english in DEFAULT_STRINGS.items():
        if german["strings"].get(key) == english:
            continue
        fragment = max((f.strip(" :,.") for f in re.split(r"\{[a-z_]+\}", english)), key=len)
        if len(fragment) < 4:
            continue
        pattern = re.compile(r"(?<![\w-])" + re.escape(fragment) + r"(?![\w-])")
        found += [f"{name}: {key} {fragment!r}" for name, text in texts.items() if pattern.search(text)]
    return found


@pytest.mark.own_fixtures
def test_an_unknown_string_key_is_a_located_error(tmp_path: Path) -> None:
    root = assemble(tmp_path / "gespraech", GERMAN)
    config = root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == "strings:") + 1
    lines.insert(at, '      scenario.movez: "Züge"\n')
    config.write_text("".join(lines), encoding="utf-8")
    located = f"mkdocs.yml:{at + 1}:7: error: "

    result = run_playbook("validate", root=root, env=NO_ADDRESS)
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if line.startswith("mkdocs.yml:")]
    assert len(problems) == 1 and problems[0].startswith(located), result.stdout
    assert "scenario.movez" in problems[0] and "scenario.moves" in problems[0]

    built = _build(root)
    assert built.returncode != 0
    assert located in built.stdout + built.stderr, built.stdout + built.stderr
