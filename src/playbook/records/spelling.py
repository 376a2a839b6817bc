"""US and UK spellings of common words, for the lint rule `text.spelling` (one variety across a playbook)."""
from __future__ import annotations

import re
from typing import Iterator

VARIETIES = ("us", "uk")

# Stems whose -ize/-ise forms differ (organize/organise); every form below is a real word in only one variety.
_IZE = """apolog author capital categor critic emphas final general maxim memor minim mobil normal optim organ
priorit real recogn special standard summar util visual""".split()
_IZE_ENDINGS = ("ize", "izes", "ized", "izing", "ization", "izations")
# -or/-our (behavior/behaviour) with the endings whose UK form keeps the u. Left out on purpose: -ous and -ious words
# (humorous, laborious, vigorous) and honorary, which both varieties spell without it.
_OR = "behavior color endeavor favor flavor harbor honor humor labor neighbor rumor".split()
_OR_ENDINGS = ("", "s", "ed", "ing", "al", "ally", "ite", "ites", "able", "ably", "ful", "less", "hood", "hoods")
# Whole words (US, UK). Left out because one spelling is right in both varieties: program (software), license and
# practice (UK nouns, and verbs in both), focused, benefited, catalogue, theatre, draft, check, meter, grey, dialogue,
# learned, toward, analyses (plural of analysis), mum (quiet). A UK playbook in Oxford spelling (-ize) tunes it off.
_PAIRS = """
canceled cancelled  canceling cancelling  traveled travelled  traveling travelling  traveler traveller
travelers travellers  labeled labelled  labeling labelling  modeled modelled  modeling modelling
signaled signalled  signaling signalling  counselor counsellor  counselors counsellors  counseling counselling
fueled fuelled  fueling fuelling  leveled levelled  leveling levelling  totaled totalled
center centre  centers centres  centered centred  centering centring  fiber fibre  liter litre
judgment judgement  judgments judgements  fulfill fulfil  fulfills fulfils  fulfillment fulfilment
enroll enrol  enrolls enrols  enrollment enrolment  installment instalment  skillful skilful  willful wilful
defense defence  offense offence  aging ageing  skeptical sceptical  skeptic sceptic  cozy cosy
analyze analyse  analyzed analysed  analyzing analysing  paralyze paralyse  paralyzed paralysed
mold mould  plow plough  pajamas pyjamas  jewelry jewellery  maneuver manoeuvre  mustache moustache
estrogen oestrogen  pediatric paediatric
""".split()


def _table() -> dict[str, str]:
    us_uk: list[tuple[str, str]] = [(_PAIRS[i], _PAIRS[i + 1]) for i in range(0, len(_PAIRS), 2)]
    us_uk += [(stem + end, stem + end.replace("z", "s")) for stem in _IZE for end in _IZE_ENDINGS]
    us_uk += [(stem + end, stem[:-2] + "our" + end) for stem in _OR for end in _OR_ENDINGS]
    return dict(us_uk)


US_TO_UK = _table()
UK_TO_US = {uk: us for us, uk in US_TO_UK.items()}
_WORD = re.compile(r"[A-Za-z]+")


def other_variety(variety: str) -> dict[str, str]:
    """The words a playbook in `variety` should not use, each with the spelling it should."""
    return UK_TO_US if variety == "us" else US_TO_UK


def _same_case(word: str, suggestion: str) -> str:
    if word.isupper() and len(word) > 1:
        return suggestion.upper()
    return suggestion[0].upper() + suggestion[1:] if word[0].isupper() else suggestion


def misspellings(text: str, variety: str) -> Iterator[tuple[int, str, str]]:
    """(offset, word, suggested spelling) for each word of `text` spelled in the other variety."""
    wrong = other_variety(variety)
    for found in _WORD.finditer(text):
        suggestion = wrong.get(found.group().lower())
        if suggestion:
            yield found.start(), found.group(), _same_case(found.group(), suggestion)
