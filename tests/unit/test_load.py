"""The located YAML reader: every value has a line and column, YAML 1.2 scalars, and what a record may not hold
(a repeated key, an alias, a tag) is an error located where it stands, never a traceback or a silent change."""
from __future__ import annotations

import pytest

from playbook.core.diagnostics import ERROR
from playbook.records.load import parse_text

pytestmark = pytest.mark.own_fixtures

PATH = "data/scenarios/a-play.yaml"


def _read(text: str):
    return parse_text(text, PATH, "scenarios", "a-play")


def _only_error(text: str):
    result = _read(text)
    assert result.record is None, "the file must be refused"
    assert len(result.diagnostics) == 1, [d.text() for d in result.diagnostics]
    diagnostic = result.diagnostics[0]
    assert (diagnostic.file, diagnostic.severity) == (PATH, ERROR)
    return diagnostic


def test_every_value_and_key_has_its_line_and_column() -> None:
    record = _read("title: A play\nfollow_up:\n  what: Send the notes\n  by: Friday\nmoves:\n  - Ask first\n"
                   "  - Then listen\n").record
    assert record.data == {"title": "A play", "follow_up": {"what": "Send the notes", "by": "Friday"},
                           "moves": ["Ask first", "Then listen"]}
    assert record.where(("title",)) == (1, 8)
    assert record.where(("follow_up", "by")) == (4, 7)
    assert record.where(("follow_up", "by"), key=True) == (4, 3)
    assert record.where(("moves", 1)) == (7, 5)
    assert record.where(("moves", 9)) == (6, 3), "a path that is not there is placed at its nearest parent"


def test_yaml_1_1_booleans_and_sexagesimals_stay_what_they_look_like() -> None:
    data = _read("title: 'no'\nanswer: no\nswitch: on\nmeeting: 1:1\ncode: 012\nflag: true\n").record.data
    assert data == {"title": "no", "answer": "no", "switch": "on", "meeting": "1:1", "code": 12, "flag": True}


def test_a_repeated_key_is_refused_at_the_second_one() -> None:
    diagnostic = _only_error("title: First\nsummary: One line\ntitle: Second\n")
    assert (diagnostic.line, diagnostic.column, diagnostic.rule, diagnostic.field) == (3, 1, "yaml.duplicate-key", "title")
    assert "first defined at line 1" in diagnostic.message


def test_an_alias_is_refused_where_it_is_used() -> None:
    diagnostic = _only_error("title: &name A play\nsummary: *name\n")
    assert (diagnostic.line, diagnostic.column, diagnostic.rule, diagnostic.field) == (2, 10, "yaml.alias", "summary")
    assert diagnostic.text() == (f"{PATH}:2:10: error: summary: aliases (*name) are not allowed; write the value out "
                                 f"in full [yaml.alias]")


def test_a_python_tag_is_refused_and_never_run() -> None:
    diagnostic = _only_error("title: A play\nmoves:\n  - !!python/object/apply:os.system ['touch /tmp/owned']\n")
    assert (diagnostic.line, diagnostic.column, diagnostic.rule, diagnostic.field) == (3, 5, "yaml.tag", "moves[0]")
    assert "python/object/apply:os.system" in diagnostic.message and "not allowed" in diagnostic.message
