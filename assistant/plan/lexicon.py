"""Words of a question: folded, split, stemmed; the building blocks of the plan parser and of
every lexical comparison the answers make (excerpts, causes, names)."""

from __future__ import annotations

import re

from ingest.textnorm import fold

from ..retrieval import stem

# articles, prepositions and question words: they never tell two names apart
STOP = frozenset({
    "il", "lo", "la", "i", "gli", "le", "un", "uno", "una", "di", "a", "da", "in", "con", "su", "per", "tra",
    "fra", "e", "o", "che", "chi", "cui", "del", "dello", "della", "dei", "degli", "delle", "al", "allo",
    "alla", "ai", "agli", "alle", "dal", "dallo", "dalla", "dai", "dagli", "dalle", "nel", "nello", "nella",
    "nei", "negli", "nelle", "sul", "sullo", "sulla", "sui", "sugli", "sulle", "e'", "è", "sono", "quale",
    "quali", "come", "cosa", "qual", "mi", "ci", "si", "ne", "non", "piu", "più", "anno", "anni", "l", "d",
    "dell", "all", "nell", "sull", "dall", "un'", "ed", "ad", "stato", "stata", "stati", "state", "essere",
    "ha", "hanno", "ho", "sia", "era", "erano", "questo", "questa", "quest", "quello", "quella", "suo", "sua",
    "loro", "molto", "tutto", "tutti", "tutte", "anche", "mentre", "invece", "pero", "poi", "gia", "ora",
    "perche", "perché", "poiche", "dice", "dimmi", "c", "mai", "se", "sapere", "vuole", "puoi", "potresti",
})

_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}(?:[a-z]\b)?")


def words(text: str) -> list[str]:
    """Folded words; dotted abbreviations joined ('R.I.' -> 'ri', 'I.E.R.' -> 'ier')."""
    folded = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), fold(text))
    return re.findall(r"[a-z0-9]+", folded.replace("'", " "))


def stems(text: str) -> list[str]:
    """The stems of the content words of `text`, in order."""
    return [stem(w) for w in words(text) if w not in STOP]


def stem_set(*texts: str) -> frozenset[str]:
    return frozenset(s for t in texts for s in stems(t))
