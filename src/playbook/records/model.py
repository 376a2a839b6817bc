"""The model: plain typed objects built from valid records, with references resolved into a graph."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playbook.core.diagnostics import Report
from playbook.records.load import Record

SCRIPT_KEYS = ("opening", "asking", "pushback", "closing")


@dataclass(frozen=True)
class Source:
    title: str
    note: str
    author: str = ""
    year: int | None = None
    url: str = ""
    medium: str = ""


@dataclass(eq=False, repr=False)
class Base:
    kind: str
    id: str
    path: str
    title: str
    summary: str
    sources: list[Source]
    owner: str = ""
    reviewed: str = ""  # YYYY-MM-DD, or empty when the record names no review date
    # The record's fields exactly as loaded, for exports that hand the whole record on (playbook.json).
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The page address relative to the site root."""
        return f"{self.kind}/{self.id}/"

    def __repr__(self) -> str:
        # Records link to each other both ways; a field-by-field repr would walk the whole graph.
        return f"<{type(self).__name__} {self.id}>"


@dataclass(eq=False, repr=False)
class Principle(Base):
    why: str = ""
    looks_like: list[str] = field(default_factory=list)
    pitfalls: list[Pitfall] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    checklists: list[Checklist] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class Step(Base):
    order: int = 0
    why: str = ""
    actions: list[str] = field(default_factory=list)
    principles: list[Principle] = field(default_factory=list)
    pitfalls: list[Pitfall] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class Pitfall(Base):
    myth: bool = False
    why_tempting: str = ""
    why_it_fails: str = ""
    instead: str = ""
    warning_signs: list[str] = field(default_factory=list)
    principles: list[Principle] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    guarded_by: list[tuple[Checklist, Item]] = field(default_factory=list)


@dataclass
class Item:
    text: str
    critical: bool = False
    guards: list[Pitfall] = field(default_factory=list)


@dataclass
class Section:
    pause: str
    items: list[Item]


@dataclass(eq=False, repr=False)
class Checklist(Base):
    type: str = "READ-DO"
    when: str = ""
    sections: list[Section] = field(default_factory=list)
    principles: list[Principle] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]


@dataclass
class Variation:
    when: str
    do: str


@dataclass(eq=False, repr=False)
class Scenario(Base):
    situation: str = ""
    in_their_words: list[str] = field(default_factory=list)
    goal: str = ""
    not_for: list[str] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)
    scripts: dict[str, str] = field(default_factory=dict)
    pitfalls: list[Pitfall] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)
    escalate: str = ""
    follow_up_what: str = ""
    follow_up_by: str = ""
    variations: list[Variation] = field(default_factory=list)
    example: str = ""
    prep_minutes: int = 0
    talk_minutes: int = 0
    difficulty: str = "medium"
    tags: list[str] = field(default_factory=list)
    checklist: Checklist | None = None
    principles: list[Principle] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    see_also: list[Scenario] = field(default_factory=list)


@dataclass
class Playbook:
    root: Path
    principles: dict[str, Principle] = field(default_factory=dict)
    steps: dict[str, Step] = field(default_factory=dict)
    pitfalls: dict[str, Pitfall] = field(default_factory=dict)
    checklists: dict[str, Checklist] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    report: Report = field(default_factory=Report)

    def kind(self, kind: str) -> dict[str, Base]:
        return getattr(self, kind)

    def all(self) -> list[Base]:
        return [*self.principles.values(), *self.steps.values(), *self.pitfalls.values(),
                *self.checklists.values(), *self.scenarios.values()]

    @property
    def path(self) -> list[Step]:
        return sorted(self.steps.values(), key=lambda s: s.order)


def _sources(data: dict[str, Any]) -> list[Source]:
    return [Source(title=s["title"], note=s["note"], author=s.get("author", ""), year=s.get("year"),
                   url=s.get("url", ""), medium=s.get("medium", "")) for s in data.get("sources", [])]


def _base(record: Record) -> dict[str, Any]:
    d = record.data
    return {"kind": record.kind, "id": record.id, "path": record.path, "title": d["title"], "summary": d["summary"],
            "sources": _sources(d), "owner": d.get("owner", ""), "reviewed": d.get("reviewed", ""), "data": d}


def build(records: list[Record], root: Path, report: Report | None = None) -> Playbook:
    """Resolve valid records into the model; every reference is known to exist."""
    pb = Playbook(root=root, report=report or Report())
    by_kind: dict[str, list[Record]] = {}
    for record in sorted(records, key=lambda r: r.id):
        by_kind.setdefault(record.kind, []).append(record)
    for r in by_kind.get("principles", []):
        d = r.data
        pb.principles[r.id] = Principle(**_base(r), why=d["why"], looks_like=list(d["looks_like"]))
    for r in by_kind.get("pitfalls", []):
        d = r.data
        pb.pitfalls[r.id] = Pitfall(**_base(r), myth=bool(d.get("myth", False)), why_tempting=d["why_tempting"],
                                    why_it_fails=d["why_it_fails"], instead=d["instead"],
                                    warning_signs=list(d["warning_signs"]))
    for r in by_kind.get("steps", []):
        d = r.data
        pb.steps[r.id] = Step(**_base(r), order=d["order"], why=d["why"], actions=list(d["actions"]),
                              principles=[pb.principles[i] for i in d["principles"]],
                              pitfalls=[pb.pitfalls[i] for i in d.get("pitfalls", [])])
    for r in by_kind.get("checklists", []):
        d = r.data
        sections = []
        for s in d["sections"]:
            items = []
            for raw in s["items"]:
                if isinstance(raw, str):
                    items.append(Item(raw))
                else:
                    items.append(Item(raw["text"], bool(raw.get("critical")),
                                      [pb.pitfalls[i] for i in raw.get("guards", [])]))
            sections.append(Section(s["pause"], items))
        pb.checklists[r.id] = Checklist(**_base(r), type=d["type"], when=d["when"], sections=sections,
                                        principles=[pb.principles[i] for i in d.get("principles", [])])
    for r in by_kind.get("scenarios", []):
        d = r.data
        pb.scenarios[r.id] = Scenario(
            **_base(r), situation=d["situation"],
            in_their_words=list(d.get("in_their_words", [])), goal=d["goal"], not_for=list(d["not_for"]), moves=list(d["moves"]),
            scripts={k: d["scripts"][k] for k in SCRIPT_KEYS if k in d["scripts"]},
            pitfalls=[pb.pitfalls[i] for i in d["pitfalls"]], signals=list(d["signals"]), escalate=d["escalate"],
            follow_up_what=d["follow_up"]["what"], follow_up_by=d["follow_up"]["by"],
            variations=[Variation(v["when"], v["do"]) for v in d.get("variations", [])],
            example=d.get("example", ""), prep_minutes=d["time"]["prep_minutes"],
            talk_minutes=d["time"]["talk_minutes"], difficulty=d["difficulty"], tags=list(d["tags"]),
            checklist=pb.checklists.get(d["checklist"]) if "checklist" in d else None,
            principles=[pb.principles[i] for i in d["principles"]],
            steps=[pb.steps[i] for i in d.get("steps", [])])
    for r in by_kind.get("scenarios", []):
        pb.scenarios[r.id].see_also = [pb.scenarios[i] for i in r.data.get("see_also", [])]
    _backlinks(pb, by_kind)
    return pb


def _backlinks(pb: Playbook, by_kind: dict[str, list[Record]]) -> None:
    for r in by_kind.get("principles", []):
        principle = pb.principles[r.id]
        principle.pitfalls = [pb.pitfalls[i] for i in r.data.get("pitfalls", [])]
        for pitfall in principle.pitfalls:
            pitfall.principles.append(principle)
    for step in pb.path:
        for p in step.principles:
            p.steps.append(step)
        for pit in step.pitfalls:
            pit.steps.append(step)
    for checklist in pb.checklists.values():
        for p in checklist.principles:
            p.checklists.append(checklist)
        for item in checklist.items:
            for pit in item.guards:
                pit.guarded_by.append((checklist, item))
    for scenario in pb.scenarios.values():
        for p in scenario.principles:
            p.scenarios.append(scenario)
        for pit in scenario.pitfalls:
            pit.scenarios.append(scenario)
        if scenario.checklist:
            scenario.checklist.scenarios.append(scenario)
        for step in scenario.steps:
            step.scenarios.append(scenario)
