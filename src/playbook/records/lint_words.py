"""The English word tests the content lint rules share: words, verbs, vague and filler phrases, capitals, slugs."""
from __future__ import annotations

import re

from playbook.records.spelling import UK_TO_US

# Words that cannot open an imperative sentence: articles, pronouns, conjunctions, question words.
NOT_VERBS = frozenset("""
a an the my your our their his her its this that these those i you we they he she it me us them
if when while whether what how why who whom which where all each every no not any some both either neither
before after during then so and or but because although though since until unless once also only just
very really maybe perhaps there here is are was were be been am has have had do does did will would can could
should shall may might must yes ok okay please new first last next good bad great more most less least
one two three four five six seven eight nine ten twenty several many few
""".split())
VAGUE = (
    ("consider", r"\bconsider(s|ing)?\b"), ("think about", r"\bthink(ing)? about\b"), ("handle", r"\bhandl(e|es|ing)\b"),
    ("deal with", r"\bdeal(s|ing)? with\b"), ("look into", r"\blook(ing)? into\b"), ("make sure", r"\bmake sure\b"),
    ("ensure", r"\bensur(e|es|ing)\b"), ("as needed", r"\bas needed\b"), ("as appropriate", r"\bas appropriate\b"),
    ("etc.", r"\betc\b"), ("and so on", r"\band so on\b"),
)
FILLER = ("leverage", "synergy", "synergies", "circle back", "move the needle", "low-hanging fruit", "touch base",
          "paradigm", "best-in-class")
FILLER_RE = re.compile(rf"\b(?:{'|'.join(re.escape(phrase) for phrase in FILLER)})\b")
CHAIN_VERBS = frozenset("""ask agree book bring check close confirm decide email end follow give invite list name note offer
open plan prepare propose raise read recap record review say schedule send set share start summarise summarize tell thank
update write""".split())
# Words that open a command; a DO-CONFIRM item starting with one reads as an order unless it also names a state.
COMMAND_VERBS = CHAIN_VERBS | frozenset("""add avoid call choose collect compare copy draft explain find get go keep leave let
look make mark meet move pick print put remind reply repeat show stop take talk thank try turn use wait walk""".split())
# Says that something is done or so: a past participle or state word at the end, or early on after a noun ("Stop
# point agreed with them", "Call notes sent the same day": the first word is then a noun, not a command), or a form
# of "to be" or "to have" anywhere.
_DONE = (r"(\w+[^\We]ed|agreed|written|done|sent|chosen|known|given|taken|seen|shown|told|made|kept|set|read|"
         r"ready|clear|is|are|has|have)")
_NOT_AFTER = "".join(rf"(?<!\b{d} )" for d in "a an the this that your their my our his her its".split())  # "the signed form"
STATE_WORD = re.compile(rf"\b{_DONE}\b\s*$|^\s*\S+(\s+\S+){{0,2}} {_NOT_AFTER}{_DONE}\b|\b(is|are|has|have|was|were)\b",
                        re.I)
CLOSING = re.compile(r"\b(recap(?:s|ped)?|summari[sz](?:e|es|ed)|confirm(?:s|ed)?|read back)\b", re.I)
INVITES = re.compile(r"\b(ask(?:s|ed)?|invit(?:e|es|ed))\b", re.I)
DEADLINE = re.compile(
    r"\b(within|by|before|after|until|next|tomorrow|today|tonight|end of|same (?:day|morning|afternoon|evening)|"
    r"noon|this week|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d+|one|two|three|four|five|six|seven|ten|"
    r"hours?|days?|weeks?|months?)\b", re.I)
# Words of four or more characters in capitals (whole tokens of `words`, nothing but capitals and digits).
CAPITALS = re.compile(r"(?<![A-Za-z0-9:'’/-])[A-Z0-9][A-Z0-9:/-]{3,}(?![A-Za-z0-9:'’/-])")
# An acronym spelled out where it is first used: "Web Content Accessibility Guidelines (WCAG)".
DEFINED = re.compile(r"\((?P<acronym>[A-Z][A-Z0-9-]{1,15})\)")
# Words in capitals every playbook may use: the checklist types, and short ones (the rule flags only words of four
# or more characters).
KNOWN_CAPS = frozenset({"READ-DO", "DO-CONFIRM", "QUESTION-BANK", "HR", "OKR", "KPI", "CEO", "CTO", "VP", "PR", "1:1",
                        "Q1", "Q2", "Q3", "Q4", "I", "OK", "ETA", "PDF", "A4", "UK", "US", "EOD"})

_WORD = re.compile(r"[^\W_][\w:'’/-]*")


def words(text: str) -> list[str]:
    """The words of a text, in any script."""
    return _WORD.findall(text)


def first_word(text: str) -> str:
    """The first word, or the text itself when it holds none (quoted in messages)."""
    found = words(text)
    return found[0] if found else text.strip()[:20]


def starts_with_verb(text: str) -> bool:
    """A cheap imperative test: the first word is not an article, pronoun, question word or -ing/-ly form.

    Words outside the Latin script are not judged (the test knows only English)."""
    first = words(text)[:1]
    if not first:
        return False
    word = first[0].lower()
    if not word.isascii():
        return True
    if word in NOT_VERBS or word[0].isdigit():
        return False
    return not (word.endswith("ing") and len(word) > 5) and not word.endswith("ly")


def one_spelling(ident: str) -> str:
    """An id with its words in US spelling: ids never change, so a title respelled later still matches its id."""
    return "-".join(UK_TO_US.get(part, part) for part in ident.split("-"))


def slug(text: str) -> str:
    """The id a title gives: lowercase ASCII words joined by hyphens (`I'm` -> `im`)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "").replace("’", "")).strip("-")
