"""Names in a question, resolved against the store's own names.

Each name of the catalog is a bag of stems weighted by rarity (a word most names share, such
as 'percentuale' or 'imprese', weighs little). A name is matched by how much of it the question
says (coverage of the name) and how much of the question's own content it explains (coverage of
the question); their harmonic mean ranks the names. Typos and missing accents are mapped to the
nearest word of the names (rapidfuzz); a domain glossary adds the words a document would use
('costi del personale' -> Personale, 'PID' <-> 'Punto Impresa Digitale').

Several names that fit equally well are returned as candidates: the caller asks which one,
never picks one at random. A name and its own descendants (strategic objective 1.3 and its
operational objective 1.3.1 with the same title) are one answer: the parent.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .catalog import Catalog, Name
from .lexicon import STOP, stem, words
from .model import Ref

# parenthesised administrative tails of titles: '(D1)', '(progetto 20%)', '(art. 67 co.3 ccnl 21/05/2018)'
_ADMIN = re.compile(r"\((?:[A-Z]\d?(?:-[A-Z])?|progetto[^)]*|art[^)]*|Art[^)]*)\)")
_FUZZY_MIN_LEN = 6
_FUZZY_CUTOFF = 87
# what Italian adds to a stem to make a noun of a verb or an adjective ('evas-ione', 'pagament-o',
# 'valutat-ore'), as left by the stemmer
_DERIVATIONS = frozenset({"ion", "zion", "sion", "ment", "tor", "ator", "tric", "ur", "ital", "ivit"})


@dataclass(frozen=True)
class Match:
    name: Name
    score: float  # harmonic mean of the two coverages
    name_cover: float  # share of the name's weight the question says
    query_cover: float  # share of the question's content the name explains
    matched: frozenset[str] = field(default_factory=frozenset)  # the stems that matched


@dataclass
class _Entry:
    name: Name
    stems: frozenset[str]
    weight: float


class NameIndex:
    """The catalog's names, ready to be matched against a question's stems."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.entries: list[_Entry] = []
        docs: list[frozenset[str]] = []
        for n in catalog.names:
            st = frozenset(stem(w) for w in words(_ADMIN.sub(" ", n.name)) if w not in STOP and len(w) > 1)
            docs.append(st)
        df: dict[str, int] = {}
        for st in docs:
            for s in st:
                df[s] = df.get(s, 0) + 1
        total = max(len(docs), 1)
        # numbers in names ('entro 30 gg', '2018/2017') are rarely said: they weigh little
        self.idf = {s: (0.5 if s.isdigit() else math.log(1 + total / c)) for s, c in df.items()}
        self.vocabulary = sorted(self.idf)
        self.unknown_weight = math.log(1 + total / 2)  # a word no name uses: as telling as a rare one
        self.rare = math.log(1 + total / 5)  # a word at most five names use
        for n, st in zip(catalog.names, docs):
            if st:
                self.entries.append(_Entry(n, st, sum(self.idf[s] for s in st)))

    def weight(self, s: str) -> float:
        return self.idf.get(s, self.unknown_weight)

    def normalise(self, stems_: list[str]) -> list[str]:
        """Each stem, or the catalog word it is a typo of ('sopraluog' -> 'sopralluog')."""
        out = []
        for s in stems_:
            if s in self.idf or len(s) < _FUZZY_MIN_LEN or s.isdigit():
                out.append(s)
                continue
            best = process.extractOne(s, self.vocabulary, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
            out.append(best[0] if best else self._same_root(s))
        return out

    def _same_root(self, s: str) -> str:
        """The catalog word of the same family ('evasion' -> 'evas', from 'evasione' and
        'evase'): a catalog word that `s` extends by a derivational suffix only."""
        roots = [v for v in self.vocabulary if len(v) >= 4 and s.startswith(v) and s[len(v):] in _DERIVATIONS]
        return max(roots, key=len) if roots else s

    def match(self, said: set[str], content: set[str], asking: set[str] = frozenset()) -> list[Match]:  # type: ignore[assignment]
        """Names the question's stems (`said`) name, best first. `content` is what the question
        says beyond the words that ask: the part a name must explain. A word that asks
        ('variazione', 'spese') and is also in a name the content points to becomes content:
        a name without it then explains less of the question."""
        hits = [(e, e.stems & said) for e in self.entries]
        hits = [(e, h) for e, h in hits if h & content]
        named = set().union(*(h for _, h in hits)) if hits else set()
        content = set(content) | (set(asking) & named)
        content_weight = sum(self.weight(s) for s in content) or 1.0
        out = []
        for e, hit in hits:
            name_cover = sum(self.idf[s] for s in hit) / e.weight
            query_cover = sum(self.weight(s) for s in hit & content) / content_weight
            if not self._accepted(name_cover, query_cover, hit):
                continue
            score = 2 * name_cover * query_cover / (name_cover + query_cover) if query_cover else 0.0
            out.append(Match(e.name, score, name_cover, query_cover, frozenset(hit)))
        out.sort(key=lambda m: (-m.score, -m.name_cover, _KIND_ORDER.index(m.name.kind)))
        return out


    def _accepted(self, name_cover: float, query_cover: float, hit: frozenset[str]) -> bool:
        """A name counts as said when most of it is said, or when the question's content is all
        in it and the words in common are telling (two words, or one rare word)."""
        if name_cover >= 0.45 and query_cover >= 0.3:
            return True
        rare = max(self.idf[s] for s in hit) >= self.rare
        return query_cover >= 0.75 and (len(hit) >= 2 or name_cover >= 0.3 or rare)


_KIND_ORDER = ["area", "strategic", "operational", "indicator", "financial", "resource"]


def best_matches(matches: list[Match], margin: float = 0.08) -> list[Match]:
    """The names that fit as well as the best one: a single name, or the candidates to ask about."""
    if not matches:
        return []
    top = matches[0]
    if top.name_cover < 0.9:
        # the question says a part of the name: every name holding all of it is as likely
        close = [m for m in matches if m.query_cover >= top.query_cover - 1e-9 and m.name_cover >= 0.2]
    else:
        close = [m for m in matches if m.score >= top.score - margin]
    # a parent and its own descendants (objectives, their indicators) with the same words: the parent
    codes = {m.name.code for m in close if m.name.kind in ("strategic", "operational")}
    close = [m for m in close if not (
        (m.name.kind in ("strategic", "operational") and any(m.name.code.startswith(c + ".") for c in codes))
        or (m.name.kind == "indicator" and any(m.name.parent == c or m.name.parent.startswith(c + ".") for c in codes)))]
    # a name said in full beats names said in part
    full = [m for m in close if m.name_cover >= 0.999]
    if full and len(full) < len(close):
        close = full
    return close


def name_ref(m: Match, by: str) -> Ref:
    return Ref(kind=m.name.kind, code=m.name.code, name=m.name.name, by=by, score=round(m.score, 3))  # type: ignore[arg-type]


def another_name(m: Match, said: frozenset[str], refs: tuple[Ref, ...]) -> bool:
    """A name of the same kind as those chosen, not one of them, called by a word still unspent."""
    return bool(m.matched & said) and any(m.name.kind == f.kind for f in refs) and all(m.name.code != f.code for f in refs)


def each_named(tied: list[Match]) -> bool:
    """Names that tie, each called by a word of its own ('il diritto annuale e i diritti di
    segreteria'): the question names them all, not one it leaves to guess."""
    if len(tied) > 3:
        return False
    return all(m.matched - set().union(*(o.matched for o in tied if o is not m)) for m in tied)


def prefer_kinds(matches: list[Match], kinds: set[str]) -> list[Match]:
    """The names of the kinds the question's nouns point to ('l'indicatore sulla customer
    satisfaction' is an indicator, not the objective with those words), if any fits."""
    if not matches or not kinds:
        return matches
    return [m for m in matches if m.name.kind in kinds] or matches


# -- the words that ask ---------------------------------------------------------------------------
