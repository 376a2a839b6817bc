"""The one way to the validated playbook (records/pipeline.py): the same model whether it was validated now, kept in
memory or read back from the disk cache; an edit is seen on the next call; a poisoned cache entry is not believed."""
from __future__ import annotations

from pathlib import Path

import pytest

from playbook.core.diagnostics import ContentError
from playbook.core.settings import load_settings
from playbook.records.model import Playbook
from playbook.records.pipeline import validated_playbook
from support import PLAYBOOKS, assemble, make_playbook
from test_cache_trust import CHECKLIST, MARK, _poison_model

pytestmark = pytest.mark.own_fixtures

PRINCIPLE = "data/principles/no-surprises.yaml"


def _summary(pb: Playbook) -> list[tuple[str, str, str, str]]:
    """What a reader sees of each record, and its whole data."""
    return sorted((r.kind, r.id, r.title, repr(sorted(r.data.items()))) for r in pb.all())


def _retitle(root: Path, title: str) -> None:
    path = root / PRINCIPLE
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("title: "))
    path.write_text(text.replace(old, f"title: {title}"), encoding="utf-8")


def test_the_same_model_with_and_without_the_caches(tmp_path: Path) -> None:
    root = make_playbook(tmp_path / "pb")
    cache = tmp_path / "cache" / "model.json"
    plain = validated_playbook(root)
    written = validated_playbook(root, cache_file=cache)
    assert cache.is_file(), "a clean playbook is kept on disk"
    read_back = validated_playbook(root, cache_file=cache)
    kept = validated_playbook(root, load_settings(root), reuse=True)
    assert validated_playbook(root, load_settings(root), reuse=True) is kept, "unchanged: the model in memory"
    assert _summary(plain) == _summary(written) == _summary(read_back) == _summary(kept)
    assert len(_summary(plain)) == 6


def test_an_edited_record_is_seen_on_the_next_call_with_reuse(tmp_path: Path) -> None:
    root = make_playbook(tmp_path / "pb")
    cache = tmp_path / "cache" / "model.json"
    first = validated_playbook(root, cache_file=cache, reuse=True)
    assert first.principles["no-surprises"].title == "No surprises"
    _retitle(root, "Bad news travels early, from you")
    again = validated_playbook(root, cache_file=cache, reuse=True)
    assert again.principles["no-surprises"].title == "Bad news travels early, from you"
    # recheck=False trusts the kept model without looking (the pages of one build); the next recheck catches up.
    _retitle(root, "No surprises for the manager")
    assert validated_playbook(root, cache_file=cache, reuse=True, recheck=False) is again
    assert validated_playbook(root, reuse=True).principles["no-surprises"].title == "No surprises for the manager"
    # A record broken since the last call is an error, not the model kept from before.
    _retitle(root, "")
    with pytest.raises(ContentError) as raised:
        validated_playbook(root, cache_file=cache, reuse=True)
    assert any(d.file == PRINCIPLE and d.field == "title" for d in raised.value.report.errors)


def test_a_poisoned_disk_cache_entry_is_not_trusted(tmp_path: Path) -> None:
    root = assemble(tmp_path / "pb", PLAYBOOKS / "mini")
    cache = tmp_path / "cache" / "model.json"
    clean = _summary(validated_playbook(root, cache_file=cache))
    cache.write_text(_poison_model(cache.read_text(encoding="utf-8")), encoding="utf-8")
    pb = validated_playbook(root, cache_file=cache)
    assert _summary(pb) == clean
    assert "never-validated" not in pb.scenarios and CHECKLIST in pb.checklists
    assert not [r for r in pb.all() if MARK in r.title]
