"""The one parser: an Italian question (and the previous plan of the conversation) -> QuestionPlan.

Reading order: the Camera named, the section named, codes ('obiettivo 1.3', 'area 2'), names
of the store (objectives, indicators, table lines; with the glossary and typo matching), years,
then the words that ask (conditions, act, measure, subject) on what is left once the names are
taken out. A follow-up ('e nel 2018?', 'perché?', 'fammene la bozza') completes the previous
plan. No rule names a question of the test set: every rule is a phrasing of the domain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache, partial

from rapidfuzz import fuzz, process

from ingest.textnorm import fold

from . import cues
from .catalog import Catalog
from .filters import read_bound, read_condition
from .followup import complete, is_dangling, is_followup, leans_on_items
from .glossary import expand
from .lexicon import STOP, stem
from .model import Act, QuestionPlan, Ref
from .names import Match, NameIndex, another_name, best_matches, each_named, name_ref, prefer_kinds
from .normal import draft_section, normalise
from .places import leading_place, read_ente

_WORD = re.compile(r"[a-z0-9]+")
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}(?:[a-z]\b)?")


@dataclass
class _Word:
    start: int
    end: int
    text: str
    stem: str  # after typo mapping to the catalog's words


@dataclass
class _Reading:
    """The question being read: the folded text, with what has been understood blanked out."""

    text: str
    refs: list[Ref] = field(default_factory=list)
    candidates: list[Ref] = field(default_factory=list)
    tables: list[tuple[int, str]] = field(default_factory=list)  # (position, subject) of tables named
    understood: int = 0  # characters of the question explained by a name, a code or a year

    def take(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        found = list(pattern.finditer(self.text))
        for m in found:
            self.blank(m.start(), m.end())
        return found

    def blank(self, start: int, end: int) -> None:
        self.understood += len(self.text[start:end].strip())
        self.text = self.text[:start] + " " * (end - start) + self.text[end:]


class PlanParser:
    """Reads questions against one catalog (the store's names for one Ente)."""

    def __init__(self, catalog: Catalog | None = None):
        self.catalog = catalog or Catalog()
        self.index = NameIndex(self.catalog)

    @property
    def empty(self) -> QuestionPlan:
        return QuestionPlan(text="")

    def camera(self, text: str) -> tuple[str | None, str | None, bool]:
        """The Camera a question names (the store's name, or only the words of one the store
        does not hold) and whether it asks about the store itself ('quali Camere ci sono?'):
        read without the rest of the plan, to choose whose names to read the question with."""
        folded = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), fold(text))
        r = _Reading(folded)
        for m in cues.PLAN_RANGE.finditer(r.text):
            r.blank(m.start(1), m.end(1))
        ente, said = read_ente(r, self.catalog.enti)
        return ente, said, bool(cues.STORE.search(folded))

    def parse(self, text: str, previous: QuestionPlan | None = None) -> QuestionPlan:
        folded = self._spelled(_DOTTED.sub(lambda m: m.group(0).replace(".", ""), fold(text)))
        r = _Reading(folded)
        for m in cues.PLAN_RANGE.finditer(r.text):  # 'Piano 2019-2021' names a document, not years
            r.blank(m.start(1), m.end(1))
        ente, ente_said = read_ente(r, self.catalog.enti)
        for m in cues.DOCUMENT_TITLE.finditer(r.text):
            r.blank(m.start(1), m.end(1))
        condition, mismatch = read_condition(r)
        bound = read_bound(r)
        section = self._section(r)
        prefer = _preferred_kinds(folded, previous)
        self._tables(r)
        moved = tuple(m.group(0) for m in r.take(cues.TREND_VERB))
        self._codes(r)
        budget = condition in ("over_budget", "under_budget")  # only resource lines have a preventivo
        if not cues.NAMES_NOTHING.search(r.text):
            self._names(r, {"resource"} if budget else prefer, strict=bool(r.refs), only={"resource"} if budget else None)
        years = tuple(sorted({int(m.group(1)) for m in r.take(cues.YEAR)}))
        raw = _read_cues(r, text=text, years=years, ente=ente, ente_said=ente_said, section=section, folded=folded,
                         condition=condition, mismatch=mismatch, bound=bound, moved=moved)
        if previous is not None and (is_followup(folded, raw) or leans_on_items(folded, raw, previous)):
            raw = complete(previous, raw)
        elif previous is None and is_dangling(folded, raw):
            raw = raw.model_copy(update={"dangling": True})
        elif previous is not None and raw.act in ("draft", "export") and not raw.years and previous.years:
            raw = raw.model_copy(update={"years": previous.years})  # 'scrivi le azioni correttive': of the year discussed
        return normalise(raw)

    def _spelled(self, folded: str) -> str:
        """The words that ask, spelled right ('targhet' -> 'target', 'raggiungimeto'): a word
        no name of the store uses and close to a word of `cues.ASKING_WORDS`."""
        def fix(m: re.Match[str]) -> str:
            word = m.group(0)
            if len(word) < 5 or word in STOP or word in cues.ASKING_WORDS or stem(word) in self.index.idf:
                return word
            best = process.extractOne(word, cues.ASKING_WORDS, scorer=fuzz.ratio, score_cutoff=90)
            return best[0] if best and not _is_italian(word) else word
        return _WORD.sub(fix, folded)

    # -- scope -----------------------------------------------------------------------------

    def _section(self, r: _Reading) -> str | None:
        for m in r.take(cues.SECTION_NUMBER):
            if m.group(1) in ("1", "2", "3.3", "5"):
                return m.group(1)
            if m.group(1) in ("3", "3.1", "3.2", "4"):
                return "3.3"  # chapter 3 (and 4) of the outline: the chapter drafted from its tables
        return None

    def _tables(self, r: _Reading) -> None:
        for subject, pattern in cues.TABLE_TITLES:
            r.tables += [(m.start(), subject) for m in r.take(pattern)]
        if not any(s == "financial" for _, s in r.tables):
            r.tables += [(m.start(), "intervention") for m in r.take(cues.INTERVENTIONS_TABLE)]

    def _codes(self, r: _Reading) -> None:
        for m in cues.KPI_CODE.finditer(r.text):
            named = [Ref(kind=n.kind, code=n.code, name=n.name, said=m.group(1), by="code")
                     for n in self.catalog.by_alias(m.group(1))]
            if named:  # one indicator, or several printed with the same code: ask which
                r.blank(m.start(), m.end())
                (r.refs if len(named) == 1 else r.candidates).extend(named)
        for m in r.take(cues.AREA_NUMBER):
            code = m.group(1) or m.group(2)
            name = self.catalog.by_code("area", code)
            r.refs.append(Ref(kind="area", code=code, name=name.name if name else "", said=m.group(0),
                              known=name is not None or not self.catalog.names))
        for m in r.take(cues.CODE):
            code = m.group(1)
            name = self.catalog.objective(code)
            said_operational = re.search(r"operativ", r.text[max(0, m.start() - 30):m.start()])
            kind = name.kind if name else ("operational" if said_operational or code.count(".") >= 2 else "strategic")
            r.refs.append(Ref(kind=kind, code=code, name=name.name if name else "", said=code,  # type: ignore[arg-type]
                              known=name is not None or not self.catalog.names))

    def _names(self, r: _Reading, prefer: set[str], strict: bool, only: set[str] | None = None) -> None:
        """Names of the store in the question, greedily: the best name, then the best among the
        words left, up to three. Words of a chosen name are blanked out of the question."""
        words = self._words(r.text)
        opening = cues.OPENING_VERB.match(r.text)
        if opening:
            words = [w for w in words if w.start >= opening.end()]
        extra, glossary_kinds = expand(r.text)
        prefer = prefer | glossary_kinds
        said = {w.stem for w in words} | {s for _, added in extra for s in added}
        spent: set[str] = set()  # the words of the names chosen so far
        for _ in range(3):
            best = self._best(said, prefer, only)
            if best and r.refs and (len(best) > 1 or best[0].score < 0.6):
                # 'proventi e oneri correnti': the words after the second noun may qualify both (same kind)
                again = self._best(said | spent, prefer, only, keep=partial(another_name, said=frozenset(said), refs=tuple(r.refs)))
                best = again if len(again) == 1 else best
            if not best or (strict and best[0].score < 0.75) or (r.refs and best[0].score < 0.6):
                return
            if len(best) > 1 and not each_named(best):
                if not r.refs:
                    # 'gli indicatori di customer satisfaction': every indicator whose name holds the words
                    r.refs.extend(self._every_indicator(r.text, said, best))
                    r.candidates = [] if r.refs else [name_ref(m, "fuzzy") for m in best[:6]]
                return
            for chosen in best:
                spent |= chosen.matched
                r.refs.append(name_ref(chosen, "title"))
                # the words that called the glossary's words of this name belong to it as well
                # ('risultato d'esercizio' -> the avanzo line: 'risultato' no longer asks for achievement)
                called = {s for trigger, added in extra if added & chosen.matched for s in trigger}
                for w in words:
                    if w.stem in chosen.matched or w.stem in called:
                        r.blank(w.start, w.end)
                said -= chosen.matched
                # the glossary's words this name used are spent ('oneri del personale' -> Personale stays
                # for the next name when the name chosen was 'Totale oneri correnti')
                said -= {s for trigger, added in extra if added & chosen.matched or trigger <= chosen.matched for s in added}

    def _every_indicator(self, text: str, said: set[str], tied: list[Match], most: int = 8) -> list[Ref]:
        """The indicators whose names hold the words the tied names share, when the question asks
        about indicators in the plural; none when it does not, or fewer than two such names."""
        if not cues.INDICATORS_PLURAL.search(text):
            return []
        shared = frozenset.intersection(*(frozenset(m.matched) for m in tied))
        content = {s for s in said if s not in cues.CUE_STEMS and not s.isdigit()}
        pool = [m for m in self.index.match(said, content, said & cues.CUE_STEMS)
                if m.name.kind == "indicator" and shared and shared <= m.matched]
        return [name_ref(m, "title") for m in pool[:most]] if len(pool) > 1 else []

    def _best(self, said: set[str], prefer: set[str], only: set[str] | None, keep=None) -> list[Match]:
        content = {s for s in said if s not in cues.CUE_STEMS and not s.isdigit()}
        if not content:
            return []
        matches = [m for m in self.index.match(said, content, said & cues.CUE_STEMS) if keep is None or keep(m)]
        matches = prefer_kinds(matches, prefer) if only is None else [m for m in matches if m.name.kind in only]
        return best_matches(matches)

    def _words(self, text: str) -> list[_Word]:
        raw = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
        kept = [(s, e, w) for s, e, w in raw if w not in STOP and len(w) > 1]
        stems = self.index.normalise([stem(w) for _, _, w in kept])
        return [_Word(s, e, w, st) for (s, e, w), st in zip(kept, stems)]


@lru_cache(maxsize=4096)
def _is_italian(word: str) -> bool:
    """An Italian word in its own right ('aggiunto' is not a typo of 'raggiunto'): wordfreq's
    Italian list, loaded only when a word looks like a typo."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "it") >= 2.0


def mentions_camera(text: str) -> bool:
    """The question names a Camera ('la Camera di Ferrara', 'CCIAA di Ravenna'): cheap to ask."""
    return any(leading_place(m.group(1)) or cues.ENTE_FOR_SURE.match(m.group(0)) for m in cues.ENTE.finditer(fold(text)))


def _preferred_kinds(folded: str, previous: QuestionPlan | None) -> set[str]:
    """The kinds of names the question's own nouns point to ('l'indicatore ...', 'dell'area ...')."""
    kinds: set[str] = set()
    for subject, pattern in cues.TREE_NOUNS:
        if pattern.search(folded):
            kinds |= {"indicator": {"indicator"}, "objective": {"strategic", "operational"},
                      "area": {"area"}, "ente": set()}[subject]
    for subject, pattern in cues.TABLES:
        if pattern.search(folded):
            kinds |= {"resource": {"resource"}, "financial": {"financial"}, "intervention": {"strategic", "area"}}[subject]
    if re.search(r"\bindicatori (?:della|del|dell'|dello|degli|delle|di)\b", folded):
        kinds |= {"strategic", "operational", "area"}  # 'gli indicatori della digitalizzazione': an objective's
    if previous is not None and cues.FOLLOWUP_START.search(folded):
        kinds |= previous.ref_kinds()
    return kinds


def _group(t: str, folded: str) -> str | None:
    """'per area', 'per obiettivo': the answer broken down by these; not when the next word
    was taken by a name ('per area Competitività delle imprese' names one area)."""
    for group, pattern in cues.GROUP:
        for m in pattern.finditer(t):
            following = re.match(r"\s*\S+", folded[m.end():])
            if following and not t[m.end():m.end() + following.end()].strip():
                continue
            return group
    return None


def _read_cues(r: _Reading, **scope) -> QuestionPlan:
    folded = scope.pop("folded")
    condition, mismatch, bound = scope.pop("condition"), scope.pop("mismatch"), scope.pop("bound")
    moved = " ".join(scope.pop("moved"))  # 'migliorato', 'calati': taken out before the names
    t = r.text
    act = "check" if mismatch else _act(t, folded, r, condition, scope["years"])
    if moved and act in ("lookup", "rank", "list"):
        act = "compare"  # 'è peggiorato di più': the comparison of the years names the largest change
    rank = ("worst" if cues.RANK_WORST.search(t) else "best") if act == "rank" else None
    measure = "count" if cues.COUNT.search(t) else next((m for m, p in cues.MEASURES if p.search(t)), None)
    if measure is None and moved:  # 'è migliorato' asks how it went; 'è aumentato' by how much
        measure = "achievement" if re.search(r"migliorat|peggiorat", moved) else "change"
    group = _group(t, folded)
    # 'chi ha validato ...?', 'quando ...?' ask the narrative; 'chi ha fatto peggio tra le aree?' ranks
    narrative = bool(cues.NARRATIVE_ONLY.search(folded)) and act != "rank"
    store = bool(cues.STORE.search(t)) and not (r.refs or r.candidates or condition or measure == "count")
    subject = "store" if store else "narrative" if narrative else _subject(t, act, measure, r, condition)
    level = _level(folded, r.refs) if subject == "objective" else None
    down, up = bool(cues.TREND_DOWN.search(t + " " + moved)), bool(cues.TREND_UP.search(t + " " + moved))
    trend = ("down" if down else "up") if act == "compare" and down != up else None
    if condition == "target_changed" and subject is None and re.search(r"\btarget\b", folded):
        subject = "indicator"  # targets are the indicators'
    if bound is not None and measure is None:
        measure = bound.measure
    if act == "lookup" and (condition is not None or bound is not None) and not r.refs and measure != "count":
        act = "list"  # 'cosa è cambiato?', 'ci sono scostamenti?': the items that meet the condition
    section = scope["section"] or (draft_section(folded) if act in ("draft", "export") else None)
    if act == "lookup" and _is_list(t, subject, r.refs, group):
        act = "list"
    content = [w for w in _WORD.findall(folded) if w not in STOP and len(w) > 2] or ["?"]
    understood = 1 - len(_unexplained(t)) / len(content)  # names, codes, years and cue words
    confidence = understood if (measure or condition or r.refs or r.tables or act != "lookup") else min(understood, 0.3)
    return QuestionPlan.model_construct(  # validated by `normalise`, once 'value' has become a measure
        text=scope["text"], act=act, measure=measure, subject=subject, condition=condition, bound=bound, refs=tuple(r.refs),
        years=scope["years"], this_year=bool(cues.THIS_YEAR.search(folded)), ente=scope["ente"],
        ente_said=scope["ente_said"], section=section, rank=rank, trend=trend, negated=bool(cues.NEGATION.search(t)), group=group, level=level,
        candidates=tuple(r.candidates), confidence=round(max(0.0, confidence), 2),
        formats=tuple(f for f, p in cues.FORMATS if p.search(folded)),
    )


def _act(t: str, folded: str, r: _Reading, condition: str | None, years: tuple[int, ...]) -> Act:
    if cues.EXPORT.search(t) and not cues.STORE.search(t):  # 'che file hai caricato?' asks the store
        return "export"
    if cues.DRAFT.search(t) and not cues.NARRATIVE_ONLY.search(folded):
        return "draft"
    if cues.CHECK.search(t):
        return "check"
    if cues.EXPLAIN.search(t):
        return "explain"
    if cues.RANK.search(t):
        return "rank"
    if (cues.COMPARE.search(t) and condition != "target_changed") or len(years) >= 2:
        return "compare"
    if cues.LIST.search(t):
        leaves = bool(r.refs) and all(ref.kind in ("indicator", "financial", "resource") for ref in r.refs)
        if not leaves or cues.TREE_PLURAL.search(t):
            return "list"  # 'quali sono le misure' of one indicator is that indicator
    return "lookup"


def _is_list(t: str, subject: str | None, refs: list[Ref], group: str | None) -> bool:
    """'indicatori dell'area 2', 'pesi delle aree', 'raggiungimento per area': several items."""
    if group is not None:
        return True
    if cues.COUNT.search(t):
        return False
    if cues.TABLE_PLURAL.search(t) and not refs and subject in ("resource", "financial", "intervention"):
        return True
    if not cues.TREE_PLURAL.search(t):
        return False
    natural = {"area": "area", "strategic": "objective", "operational": "objective", "indicator": "indicator",
               "financial": "financial", "resource": "resource"}
    return not refs or any(natural[ref.kind] != subject for ref in refs)


def _subject(t: str, act: str, measure: str | None, r: _Reading, condition: str | None) -> str | None:
    refs = r.refs
    nouns = [(m.start(), s) for s, p in cues.TREE_NOUNS if (m := p.search(t))]
    if act == "check" and cues.FINDING.search(t) and not any(s in ("indicator", "objective", "area") for _, s in nouns):
        return "finding"
    tables = r.tables + [(m.start(), s) for s, p in cues.TABLES if (m := p.search(t))]
    if any(ref.kind in ("financial", "resource") for ref in refs) and not tables:
        return "financial" if refs[0].kind == "financial" else "resource"
    if tables:
        if act == "check":
            return min(tables)[1]
        ordered = [s for s, _ in cues.TABLES if s in {s for _, s in tables}]
        if ordered[0] != "intervention" or not any(ref.kind == "financial" for ref in refs):
            return ordered[0]
        return "financial"
    if cues.SUMMARY.search(t) and not (refs or condition or _unexplained(t)) and act not in ("draft", "export", "check"):
        return "ente"  # 'riassumi la relazione 2019': the year at a glance
    if measure == "algorithm" and cues.ACHIEVEMENT_WORD.search(t) and not refs:
        return "ente"  # 'come si calcola il raggiungimento (di un indicatore)?', 'le soglie di valutazione': the rules
    if nouns:
        noun = min(nouns)[1]
        if noun != "ente" or measure in ("achievement", "weight", "algorithm") or (not refs and condition is None and act in ("rank", "compare")):
            return noun
    if refs:
        return {"area": "area", "strategic": "objective", "operational": "objective", "indicator": "indicator",
                "financial": "financial", "resource": "resource"}[refs[0].kind]
    if r.candidates:
        return {"area": "area", "strategic": "objective", "operational": "objective", "indicator": "indicator",
                "financial": "financial", "resource": "resource"}[r.candidates[0].kind]
    if measure in ("achievement", "weight") and condition is None and not _unexplained(t):
        return "ente"  # 'com'è andata?' about nothing else: the Ente ('l'occupazione' is the narrative's)
    if condition is not None or measure == "count" or act in ("draft", "export"):
        return None
    if act == "check":
        return "finding"
    return "narrative"


def _level(folded: str, refs: list[Ref]) -> str | None:
    """'gli obiettivi operativi', 'l'obiettivo strategico peggiore': the level asked about when
    no objective is named (a named one has its own level)."""
    m = cues.OBJECTIVE_LEVEL.search(folded)
    if any(ref.kind == "operational" for ref in refs):
        return None
    if any(ref.kind == "strategic" for ref in refs):  # 'gli obiettivi operativi dell'obiettivo 1.1': its children
        return "operational" if m and m.group(1).startswith("operativ") else None
    return ("operational" if m.group(1).startswith("operativ") else "strategic") if m else None


def _unexplained(t: str) -> list[str]:
    """Content words no name, code, year or cue explained."""
    covered = [m.span() for p in cues.ALL for m in p.finditer(t)]
    return [m.group(0) for m in _WORD.finditer(t) if m.group(0) not in STOP and len(m.group(0)) > 2
            and not m.group(0).isdigit() and stem(m.group(0)) not in cues.CUE_STEMS
            and not any(a <= m.start() < b for a, b in covered)]
