"""The generator's own words: every fixed label it puts on pages, sheets and exports, in English by default.

A playbook overrides any of them under `extra.playbook.strings` in mkdocs.yml (see settings.py); an unknown key
is a located error there. Values are plain text, escaped wherever they are shown, and `{name}` placeholders are
filled by `fill`, never by `str.format`, so a configured string cannot reach Python attributes.
"""
from __future__ import annotations

import re
from typing import Mapping

DEFAULT_STRINGS: dict[str, str] = {
    # Record kinds, as shown above a record's title and in the sources index.
    "kind.principles": "Principle",
    "kind.steps": "Step",
    "kind.pitfalls": "Pitfall",
    "kind.checklists": "Checklist",
    "kind.scenarios": "Scenario",
    "kind.question_bank": "Question bank",  # a checklist of type QUESTION-BANK
    # Scenario pages.
    "scenario.difficulty": "Difficulty",
    "scenario.prepare": "Prepare",
    "scenario.talk": "Talk",
    "scenario.checklist": "Checklist",
    "scenario.minutes": "{n} min",
    "scenario.situation": "When this happens",
    "scenario.goal": "Goal:",
    "scenario.moves": "Moves",
    "scenario.scripts": "What to say",
    "scenario.example": "Example",
    "scenario.pitfalls": "Pitfalls",
    "scenario.signals": "Signs it worked",
    "scenario.follow_up": "Follow up",
    "scenario.escalate": "When to escalate",
    "scenario.not_for": "When not to use this play",
    "scenario.variations": "Variations",
    "scenario.steps": "Steps it applies",
    "scenario.see_also": "Related plays",
    "scenario.principles": "Principles behind it",
    "scenario.in_their_words": "In readers' words",  # the label over a scenario's in_their_words phrases
    "script.opening": "Opening",
    "script.asking": "Asking",
    "script.pushback": "If they push back",
    "script.closing": "Closing",
    "difficulty.easy": "easy",
    "difficulty.medium": "medium",
    "difficulty.hard": "hard",
    # Principle pages.
    "principle.why": "Why it holds",
    "principle.looks_like": "What it looks like",
    "principle.steps": "Steps that apply it",
    "principle.no_steps": "No step applies this principle yet.",
    "principle.scenarios": "Scenarios that use it",
    "principle.no_scenarios": "No scenario uses this principle yet.",
    "principle.checklists": "Checklists that put it into practice",
    "principle.pitfalls": "Pitfalls that break it",
    # Step pages.
    "step.number": "Step {n} of {total}",
    "step.why": "Why now",
    "step.actions": "Actions",
    "step.principles": "Principles it serves",
    "step.pitfalls": "Pitfalls it guards against",
    "step.scenarios": "Plays that apply it",
    "step.path": "On the path",
    "step.previous": "Previous:",
    "step.next": "Next:",
    "step.whole_path": "The whole path",
    # Pitfall pages.
    "pitfall.myth": "A common myth",
    "pitfall.why_tempting": "Why it is tempting",
    "pitfall.why_it_fails": "Why it fails",
    "pitfall.instead": "What to do instead",
    "pitfall.warning_signs": "Warning signs",
    "pitfall.guarded_by": "Checklist items that guard against it",
    "pitfall.not_guarded": "No checklist item guards against it yet.",
    "pitfall.item_in": "{item} in {checklist}",
    "pitfall.where": "Where it comes up",
    "pitfall.principles": "Principles it breaks",
    # Checklist pages and the tickable widget.
    "checklist.heading": "The checklist",
    "checklist.heading_bank": "The questions",
    "checklist.scenarios": "Scenarios that use it",
    "checklist.principles": "Principles it puts into practice",
    "checklist.when": "When:",
    "checklist.critical": "(critical)",
    "checklist.reset": "Reset ticks",
    "checklist.copy": "Copy with my ticks",
    "checklist.pdf_a4": "PDF (A4)",
    "checklist.pdf_letter": "PDF (US Letter)",
    "checklist.markdown": "Markdown",
    "checklist.privacy": "Your ticks are kept in this browser only. Nothing is sent anywhere.",
    "checklist.open_page": "Open the checklist page",
    "checklist.cleared": "All ticks cleared.",
    "checklist.copied": "Copied as a Markdown task list.",
    "checklist.copy_failed": "Copy failed; select the list and copy it by hand.",
    "checklist.ticks_kept": "The ticks saved for this checklist could not be read. They are kept aside unchanged in "
                            "this browser; the boxes show what could be read.",
    "type.READ-DO": "Read each item, then do it, one at a time.",
    "type.DO-CONFIRM": "Do the work from memory, then stop and tick each item you have done.",
    "type.QUESTION-BANK": "Pick the prompts that fit; you need not use them all.",
    # Shared parts of every record page.
    "record.sources": "Sources",
    "record.myth_badge": "myth",
    "record.reviewed": "Reviewed {date}",
    "record.changed": "last changed {date}",
    # The what's new page (whats-new/) and the feeds (feed.xml, feed.json).
    "whats_new.title": "What's new",
    "whats_new.intro": "Records added or changed recently, newest first. Follow them in a feed reader: {atom} or "
                       "{json}.",
    "whats_new.intro_plain": "Records added or changed recently, newest first.",
    "whats_new.feed_atom": "Atom feed",
    "whats_new.feed_json": "JSON Feed",
    "whats_new.added": "new",
    "whats_new.changed": "updated",
    "whats_new.none": "No changes to list: this site was built without the history of its records.",
    "whats_new.empty": "No record has been added or changed yet.",
    "feed.entry_title": "{title} ({change})",
    # Index widgets.
    "index.find": "Find",
    "index.find_placeholder": "Title or situation",
    "index.tag": "Tag",
    "index.any_tag": "Any tag",
    "index.difficulty": "Difficulty",
    "index.any_difficulty": "Any difficulty",
    "index.count": "{n} scenarios",
    "index.count_one": "{n} scenario",
    "index.count_filtered": "{shown} of {n} scenarios",
    "index.scenario": "Scenario",
    "index.tags": "Tags",
    "index.time": "Time",
    "index.time_value": "{prep} min prep, {talk} min talk",
    "index.play": "Play:",
    "index.themes": "Themes",  # names the list of links to each group of situations
    "index.other_situations": "Other situations",  # the group of scenarios none of extra.playbook.themes' tags fit
    # The way in on a home page: a search box that opens the header's search (macro `search_box`).
    "home.search_label": "Describe what is happening",
    "home.search_placeholder": "In your own words",
    "home.search_button": "Search",
    "sources.used_in": "{kind}: {record}.",
    "medium.book": "book",
    "medium.article": "article",
    "medium.web article": "web article",
    "medium.study": "study",
    "medium.talk": "talk",
    "medium.podcast": "podcast",
    "medium.video": "video",
    # Printed sheets and text exports.
    "sheet.kicker": "Checklist",
    "sheet.kicker_bank": "Question bank",
    "sheet.when": "When to use:",
    "sheet.notes": "Notes",
    "sheet.online": "Online:",
    "sheet.footer": "{playbook} checklist, version {version}",
    "sheet.footer_bank": "{playbook} question bank, version {version}",
    "sheet.version": "version {version}, {date}",
    "sheet.reviewed": "reviewed {date}, version {version}",
    # The agenda page and its buttons.
    "agenda.title": "My next meeting",
    "agenda.add": "Add to my agenda",
    "agenda.add_done": "On your agenda: press again to remove",
    "agenda.intro": "Gather what you want to bring up: your own topics, lines from the plays, last time's open "
                    "actions. Reorder, tick off, then copy or print it as one page.",
    "agenda.privacy": "Your agendas are kept in this browser only. Nothing is sent anywhere.",
    "agenda.needs_js": "This page keeps your agenda in your browser and needs JavaScript. Turn JavaScript on "
                       "for this site to use it; every play and checklist still reads and prints without it.",
    "agenda.storage_off": "This browser does not let the page keep data (private mode or blocked storage): "
                          "entries last only until you close the page. Download them to keep them.",
    "agenda.not_saved": "Not added: this browser does not let the page keep data (private mode or blocked storage).",
    "agenda.group.topics": "My topics",
    "agenda.group.questions": "Questions to ask",
    "agenda.group.decisions": "Decisions I need",
    "agenda.group.carried": "Actions carried over",
    "agenda.empty_group": "Nothing here yet.",
    "agenda.new_topic": "Add my own topic",
    "agenda.topic": "Topic",
    "agenda.group": "Group",
    "agenda.add_topic": "Add",
    "agenda.move_up": "Move up",
    "agenda.move_down": "Move down",
    "agenda.edit": "Edit",
    "agenda.edit_label": "Entry text",
    "agenda.save": "Save",
    "agenda.cancel": "Cancel",
    "agenda.remove": "Remove",
    "agenda.from": "from {source}",
    "agenda.carried_from": "open since {date}",
    "agenda.tools": "Take it with you",
    "agenda.copy": "Copy as Markdown",
    "agenda.print": "Print one page",
    "agenda.start_next": "File ticked items",
    "agenda.start_hint": "Filing moves the ticked items to the past agendas under today's date; the rest stays, in "
                         "its groups and order, for next time.",
    "agenda.start_confirm": "File {done} under today's date and keep {open} for next time?",
    "agenda.file": "File",
    "agenda.download": "Download my agendas",
    "agenda.restore": "Restore from file",
    "agenda.file_name": "my-agendas-{date}.json",
    "agenda.history": "Past agendas",
    "agenda.history_empty": "No past agendas yet.",
    "agenda.history_item": "{date}: {n} done",
    "agenda.added": "Added to your agenda.",
    "agenda.added_to": "Added to {group}.",
    "agenda.removed": "Removed from your agenda.",
    "agenda.undo": "Undo",
    "agenda.undone": "Undone.",
    "agenda.open": "Open my agenda",
    "agenda.dismiss": "Dismiss",
    "agenda.moved": "Moved to position {n} of {total} in {group}.",
    "agenda.saved": "Saved.",
    "agenda.copied": "Copied as Markdown.",
    "agenda.copy_failed": "Copy failed; your browser refused the clipboard.",
    "agenda.started": "Filed {done} under {date}; {open} kept for next time.",
    "agenda.nothing_to_start": "Nothing to file: tick what was dealt with first.",
    "agenda.downloaded": "Downloaded {file}.",
    "agenda.restored": "Restored {entries} and {past} from the file.",
    "agenda.count_entries": "{n} entries",
    "agenda.count_entries_one": "{n} entry",
    "agenda.count_past": "{n} past agendas",
    "agenda.count_past_one": "{n} past agenda",
    "agenda.restore_unreadable": "That file is not readable as JSON, so nothing was changed.",
    "agenda.restore_foreign": "That file is not a download of your agendas (or it is damaged), so nothing was "
                              "changed.",
    "agenda.sheet_date": "Date",
    "agenda.blank_hint": "Or print this page: it is a blank agenda to fill in by hand.",
    "agenda.notes": "Notes",
    # What the agenda says when the saved data or the browser's storage is not as the page expects.
    "agenda.kept": "Part of the agenda saved in this browser could not be read by this page. The saved copy is kept "
                   "aside unchanged, and everything that could be read is shown here.",
    "agenda.kept_short": "Part of your saved agenda could not be read: it is kept aside unchanged. Open your agenda "
                         "to see it.",
    "agenda.kept_download": "Download the kept copy",
    "agenda.kept_delete": "Delete the kept copy",
    "agenda.kept_deleted": "The kept copy was deleted.",
    "agenda.kept_file_name": "my-agendas-kept-{date}.json",
    "agenda.storage_full": "This browser has no room left to save the agenda: changes last only until you close the "
                           "page. Download them to keep them.",
    "agenda.undo_gone": "Not undone: the agenda was changed in another tab or window since.",
    "agenda.restore_confirm": "Replace the agenda and past agendas saved in this browser with the ones in the file?",
    "agenda.replace": "Replace",
    "agenda.restore_too_big": "That file is too big to restore here (at most {entries} entries and {megabytes} MB), "
                              "so nothing was changed.",
    "agenda.restore_failed": "Not restored: this browser has no room left to save the file's agendas, so nothing "
                             "was changed.",
}
DEFAULT_SHEET_FIELDS: tuple[str, ...] = ("Date", "Name")

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def placeholders(text: str) -> set[str]:
    """The `{name}` placeholders a string uses."""
    return set(_PLACEHOLDER.findall(text))


def fill(text: str, **values: object) -> str:
    """Put values into a string's `{name}` placeholders (unknown names stay as written)."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


class Strings(dict):
    """The merged table; `t("key", n=3)` looks up and fills a string."""

    def __call__(self, key: str, **values: object) -> str:
        return fill(self[key], **values)


def merged(overrides: Mapping[str, str] | None = None) -> Strings:
    """The default table with a playbook's overrides applied (keys are checked by settings.py)."""
    table = Strings(DEFAULT_STRINGS)
    table.update(overrides or {})
    return table
