"""playbook.json: every record with its kind, id, URL and fields exactly as loaded, in a stable order."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from playbook import __version__
from playbook.records.load import Yaml12Loader
from playbook.records.pipeline import validated_playbook
from playbook.site.playbook_json import playbook_json
from support import make_playbook

pytestmark = pytest.mark.own_fixtures

ROCKET = "\U0001F680"  # outside the Basic Multilingual Plane: a surrogate pair in UTF-16 and in \u escapes


def _as_loaded(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)


def test_the_whole_playbook_as_data(tmp_path: Path) -> None:
    root = make_playbook(tmp_path)
    pb = validated_playbook(root)
    document = json.loads(playbook_json(pb, "https://acme.github.io/handbook/", "Incident reviews"))

    assert list(document) == ["schema_version", "generator", "title", "site_url", "records"]
    assert document["schema_version"] == 1
    assert document["generator"] == f"playbook {__version__}"
    assert document["title"] == "Incident reviews"
    assert document["site_url"] == "https://acme.github.io/handbook/"

    files = sorted((root / "data").glob("*/*.yaml"), key=lambda p: (p.parent.name, p.stem))
    assert [(r["kind"], r["id"]) for r in document["records"]] == [(p.parent.name, p.stem) for p in files]
    for record, path in zip(document["records"], files):
        assert list(record) == ["kind", "id", "url", "href", "fields"]
        assert record["url"] == f"{path.parent.name}/{path.stem}/"
        assert record["href"] == f"https://acme.github.io/handbook/{path.parent.name}/{path.stem}/"
        assert record["fields"] == _as_loaded(path)


def test_yaml_1_2_values_stay_as_written(tmp_path: Path) -> None:
    """`1:1` and `no` are strings in the records, so they are strings in the JSON too."""
    document = json.loads(playbook_json(validated_playbook(make_playbook(tmp_path)), "", "T"))
    checklist = next(r for r in document["records"] if r["kind"] == "checklists")
    assert checklist["fields"]["title"] == "Prepare for a 1:1"
    step = next(r for r in document["records"] if r["kind"] == "steps")
    assert step["fields"]["order"] == 1


def test_no_address_means_null_and_no_href(tmp_path: Path) -> None:
    document = json.loads(playbook_json(validated_playbook(make_playbook(tmp_path)), "", "T"))
    assert document["site_url"] is None
    assert all("href" not in r for r in document["records"])
    assert all(not r["url"].startswith(("/", "http")) for r in document["records"])


def test_an_address_without_a_trailing_slash_still_joins(tmp_path: Path) -> None:
    document = json.loads(playbook_json(validated_playbook(make_playbook(tmp_path)), "https://example.net/pb", "T"))
    assert document["site_url"] == "https://example.net/pb/"
    assert document["records"][0]["href"] == "https://example.net/pb/" + document["records"][0]["url"]


def test_text_outside_the_bmp_and_markup_round_trip(tmp_path: Path) -> None:
    root = make_playbook(tmp_path)
    principle = root / "data" / "principles" / "no-surprises.yaml"
    summary = f"Say it early {ROCKET}, even when it reads <script>alert(1)</script> or {{{{ 7*7 }}}}."
    text = principle.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("summary:"))
    principle.write_text(text.replace(old, "summary: " + json.dumps(summary, ensure_ascii=False)), encoding="utf-8")

    output = playbook_json(validated_playbook(root), "", f"Reviews {ROCKET}")
    assert ROCKET in output and "\\ud83d" not in output.lower()
    output.encode("utf-8")  # no lone surrogates
    document = json.loads(output)
    assert document["title"] == f"Reviews {ROCKET}"
    assert next(r for r in document["records"] if r["id"] == "no-surprises")["fields"]["summary"] == summary
