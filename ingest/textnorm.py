"""Italian text normalisation, light enough for any layer: folding names for matching
(indicators across a Piano, a Relazione and a CSV), content-word stems (questions, names,
causes) and the terms of the lexical index (BM25). The Snowball stemmer (PyStemmer, the C
build of Snowball's Italian algorithm) and the stopword list are imported at their first use."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

from .patterns import compiled

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "–": "-", "—": "-"})


def fold(text: str) -> str:
    """Lower case, accents removed, typographic apostrophes and dashes unified, spaces collapsed."""
    text = text.translate(_APOSTROPHES)
    if not text.isascii():  # ASCII has nothing to decompose (most names and cells)
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def similarity(a: str, b: str) -> float:
    """Share of the shorter name's words found in the other (0..1); 1.0 for equal names."""
    wa, wb = set(words(a)), set(words(b))
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def is_synthetic(name: str, head_text: str = "") -> bool:
    """A SYNTHETIC test document: said so in its file name or on its first page."""
    if "SINTETIC" in name.upper():
        return True
    # 'DOCUMENTO SINTETICO', or the word in capitals; not 'in forma sintetica' in prose
    return bool(re.search(r"\bdocumento sintetico\b", head_text, re.IGNORECASE) or re.search(r"\bSINTETIC[OA]\b", head_text))


# -- stems -----------------------------------------------------------------------------------

# stopwordsiso's Italian list (632 words) is built for general text and includes words that
# carry meaning in a Relazione ("Consiglio" camerale, Segretario "generale", "fine anno",
# "nuove iscrizioni", "pieno raggiungimento"); those are kept as terms.
_CONTENT_WORDS = frozenset(
    {
        "anno", "anni", "mesi", "giorni", "tempo", "fine", "consiglio", "generale", "nuovo", "nuovi",
        "pieno", "paese", "citta", "mondo", "persone", "gruppo", "registrazione", "titolo", "milioni",
        "miliardi", "scorso", "futuro",
    }
)
_APOSTROPHES_RE = compiled(r"['’‘`´]")
# numbers keep their inner separators ('4,5', '2.4.2', '19/05/2020' -> '19', '05', '2020')
_TOKEN_RE = compiled(r"[0-9]+(?:[.,][0-9]+)*|[a-z]+")
_THOUSANDS_RE = compiled(r"^[0-9]{1,3}(?:\.[0-9]{3})+$")
_stem_lock = threading.Lock()


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    import stopwordsiso

    return frozenset(fold(w) for w in stopwordsiso.stopwords("it")) - _CONTENT_WORDS


@lru_cache(maxsize=1)
def _stemmer():
    # PyStemmer, not the pure-Python snowballstemmer package: the same Snowball algorithm and
    # stems (checked on every word of the corpus and the tests), about 50x faster per word, and
    # its import does not load the 34 other languages' stemmers (cold start of `relazione ask`)
    import Stemmer

    return Stemmer.Stemmer("italian")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    with _stem_lock:  # the Snowball stemmer object keeps state between calls
        return _stemmer().stemWord(word)


def tokens(text: str) -> list[str]:
    """The lexical terms of `text`: folded, elisions split, stopwords dropped, stemmed.

    Accents are folded before stemming so that a query typed as 'perche'' or 'attivita''
    meets the document's 'perché' and 'attività'.
    """
    stop = stopwords()
    out: list[str] = []
    for token in _TOKEN_RE.findall(_APOSTROPHES_RE.sub(" ", fold(text))):
        if token[0].isdigit():
            out.append(token.replace(".", "") if _THOUSANDS_RE.match(token) else token)
        elif len(token) > 1 and token not in stop:
            out.append(stem(token))
    return out


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

_DOTTED = compiled(r"\b(?:[a-z]\.){2,}(?:[a-z]\b)?")


def split_words(text: str) -> list[str]:
    """Folded words, elisions split; dotted abbreviations joined ('R.I.' -> 'ri', 'I.E.R.' -> 'ier')."""
    folded = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), fold(text))
    return re.findall(r"[a-z0-9]+", folded.replace("'", " "))


def stems(text: str) -> list[str]:
    """The stems of the content words of `text`, in order (questions, names, causes)."""
    return [stem(w) for w in split_words(text) if w not in STOP]


def stem_set(*texts: str) -> frozenset[str]:
    return frozenset(s for t in texts for s in stems(t))
