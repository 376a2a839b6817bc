"""What bench/search_quality.py changes for its tuned engines: page markup for Pagefind, a lunr index, the queries.

Kept apart from the bench so the generator can take the parts that win: the markup here is what a record page
would carry, the synonym table is what a playbook would list in its settings.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import yaml

# Reader words -> the words the playbook uses. Written from how people talk about work, not from the eval misses:
# a playbook would keep this table in its settings, in its own language.
SYNONYMS: dict[str, list[str]] = {
    "boss": ["manager"],
    "bosses": ["managers"],
    "supervisor": ["manager"],
    "lead": ["manager"],
    "quit": ["leave", "resign"],
    "quitting": ["leaving", "resign"],
    "resignation": ["resign", "leaving"],
    "notice": ["resign", "leaving"],
    "pip": ["performance", "plan"],
    "fired": ["let", "go", "dismissed"],
    "sacked": ["fired", "dismissed"],
    "raise": ["pay"],
    "salary": ["pay"],
    "underpaid": ["pay"],
    "money": ["pay", "budget"],
    "promoted": ["promotion"],
    "layoffs": ["layoff"],
    "restructuring": ["reorg"],
    "reorganization": ["reorg"],
    "1:1": ["one-on-one"],
    "1on1": ["one-on-one"],
    "wfh": ["remote"],
    "rto": ["office"],
    "burnout": ["burning", "out"],
    "swamped": ["workload"],
    "overloaded": ["workload"],
    "drowning": ["workload"],
    "harassment": ["hr"],
    "favourite": ["favorite"],
    "favourites": ["favorites"],
    "criticised": ["criticized"],
}

# Words a reader's sentence is full of that say nothing about which play it wants (English, like lunr's list).
STOP_WORDS = frozenset("""
a about after again all am an and any are as at be because been before being but by can can't could did do does
doing don't for from get got had has have having he her here him his how i i'm if in into is it it's its just keep
keeps me more my myself no not now of off on one or our out own she should so some still than that the their them
then there they this to too up us very was we were what when where which while who why will with won't would you
your
""".split())

_WORD = re.compile(r"[\w:']+")
_ARTICLE = '<article class="md-content__inner md-typeset">'
_SECTION = re.compile(r'(<h2 id="(?P<id>[^"]+)")')


def expand(query: str, synonyms: dict[str, list[str]] = SYNONYMS) -> list[tuple[str, float]]:
    """The query's content words with their weights, reader words followed by the playbook's words for them."""
    terms: dict[str, float] = {}
    for word in _WORD.findall(query.lower()):
        word = word.strip("'")
        if not word or word in STOP_WORDS:
            continue
        terms[word] = max(terms.get(word, 0.0), 1.0)
        for other in synonyms.get(word, []):
            terms.setdefault(other, 0.8)  # a synonym counts a little less than the word the reader typed
    return list(terms.items())


def expanded_text(query: str, synonyms: dict[str, list[str]] = SYNONYMS) -> str:
    """The query with the playbook's words for the reader's words added, as one string for a single search."""
    words = query.split()
    for word in _WORD.findall(query.lower()):
        words += [w for w in synonyms.get(word.strip("'"), []) if w not in words]
    return " ".join(words)


def scenario_phrases(data: Path) -> dict[str, tuple[str, list[str]]]:
    """Each scenario's id -> its title and in_their_words phrases, read from data/scenarios/*.yaml."""
    found: dict[str, tuple[str, list[str]]] = {}
    for path in sorted((data / "scenarios").glob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found[path.stem] = (str(record.get("title", "")), [str(p) for p in record.get("in_their_words", []) or []])
    return found


def _mark_sections(article: str, ids: frozenset[str], weights: dict[str, float]) -> str:
    """Wrap each h2 section (the heading up to the next h2) listed in an element Pagefind skips or weighs so."""
    parts = _SECTION.split(article)
    out = [parts[0]]
    # split() with two groups yields [text, whole, id, text, whole, id, text, ...]
    for i in range(1, len(parts), 3):
        whole, section_id, rest = parts[i], parts[i + 1], parts[i + 2]
        if section_id in ids:
            out.append(f"<div data-pagefind-ignore>{whole}{rest}</div>")
        elif section_id in weights:
            out.append(f'<div data-pagefind-weight="{weights[section_id]}">{whole}{rest}</div>')
        else:
            out.append(whole + rest)
    return "".join(out)


def tune_pagefind_page(page: str, record: tuple[str, list[str]] | None, title_weight: float,
                       words_weight: float | None, ignore: frozenset[str], lead_weight: float = 1.0,
                       section_weights: dict[str, float] | None = None) -> str:
    """One built page marked up for Pagefind: the article is the body, and a scenario's words weigh most."""
    if _ARTICLE not in page:
        return page
    start = page.index(_ARTICLE)
    end = page.index("</article>", start)
    article = page[start:end]
    article = article.replace(_ARTICLE, _ARTICLE[:-1] + " data-pagefind-body>", 1)
    article = article.replace('<nav class="md-tags"', '<nav class="md-tags" data-pagefind-ignore', 1)
    article = article.replace(" data-search-exclude", " data-search-exclude data-pagefind-ignore")
    article = article.replace('<a class="headerlink"', '<a data-pagefind-ignore class="headerlink"')
    if record is not None:
        title, phrases = record
        article = article.replace('<h1 class="pb-title">',
                                  f'<h1 class="pb-title" data-pagefind-weight="{title_weight}">', 1)
        if words_weight is not None:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in phrases)
            words = f'<ul class="pb-their-words" data-pagefind-weight="{words_weight}">{items}</ul>'
            article = article.replace("</h1>", "</h1>" + words, 1)
        if lead_weight != 1.0:
            for cls in ("pb-summary", "pb-situation"):
                marked = f'<p class="{cls}" data-pagefind-weight="{lead_weight}">'
                article = article.replace(f'<p class="{cls}">', marked, 1)
        article = _mark_sections(article, ignore, section_weights or {})
    return page[:start] + article + page[end:]


def tune_pagefind_site(site: Path, data: Path, title_weight: float = 10.0, words_weight: float = 8.0,
                       words: bool = True, ignore: frozenset[str] = frozenset({"not-for", "sources"}),
                       lead_weight: float = 1.0, section_weights: dict[str, float] | None = None,
                       more_words: dict[str, list[str]] | None = None) -> int:
    """Mark up every page of a built site copy for Pagefind; returns the number of scenario pages marked up."""
    records = scenario_phrases(data)
    for scenario, phrases in (more_words or {}).items():
        title, words = records[scenario]
        records[scenario] = (title, words + phrases)
    tuned = 0
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).parts
        record = records.get(rel[1]) if len(rel) == 3 and rel[0] == "scenarios" else None
        text = path.read_text(encoding="utf-8")
        new = tune_pagefind_page(text, record, title_weight, words_weight if words else None, ignore, lead_weight,
                                 section_weights)
        if new != text:
            path.write_text(new, encoding="utf-8")
        tuned += record is not None
    return tuned


def tune_lunr_index(site: Path, data: Path, words_boost: float = 50.0) -> None:
    """Rewrite Material's search_index.json: stemming on, tags boosted like text, in_their_words as a boosted field."""
    path = site / "search" / "search_index.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    index["config"]["pipeline"] = ["stopWordFilter", "stemmer"]
    fields = index["config"]["fields"]
    fields["title"] = {"boost": 10.0}
    fields["tags"] = {"boost": 1.0}
    fields["words"] = {"boost": words_boost}
    records = scenario_phrases(data)
    for doc in index["docs"]:
        match = re.fullmatch(r"scenarios/([a-z0-9-]+)/", doc["location"])
        if match and match.group(1) in records:
            doc["words"] = " ".join(records[match.group(1)][1])
    path.write_text(json.dumps(index), encoding="utf-8")
