"""The verifier: every number written in Italian format must match a fact.

Texts the assistant writes (answers, drafts, a language model's rewrites) are Markdown whose
numbers carry a footnote reference to the fact they state, `87,79%[^3]`, and end with the
footnotes themselves, one per fact or quoted passage. Verification:

* a number followed by a footnote reference must equal that fact, at the precision the text
  shows (ROUND_HALF_UP): changing any such number is caught;
* a number without a reference must equal some fact (any unit-compatible fact, at the shown
  precision): an invented number is caught;
* a quoted passage (`> «...»[^q1]`) must appear verbatim in the passage it cites;
* each footnote must read exactly as the fact or passage it defines (value and citation);
* a place written in the text ('(riga 360)', 'righe 239, 241', 'pag. 5') must be one the text
  was given: where a cited fact or passage comes from, or a place the writer recorded. Places
  are checked against the text's sources as a set, not bound to the sentence they sit in: a
  place swapped for another place the same text cites is not caught.

Not numbers for this purpose: objective codes (1.2.1), years, dates, and what follows
'riga', 'pag.', 'sezione', 'area', 'art.', 'n.' and the like.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from ingest.numbers import NumberError, parse_number
from ingest.patterns import compiled

from .facts import Fact, FactBook
from .hygiene import as_rendered

# every answer is verified: the same few hundred numbers are parsed again and again (Babel's
# parser is the cost of a verification); a number's text always parses the same
_parse_number = lru_cache(maxsize=8192)(parse_number)

_NUMBER_RE = compiled(
    r"(?<![\w.,/^-])(?P<sign>[-−+]\s?)?(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\w/]|[.,]\d)"
    r"(?P<unit>\s?(?:%|€|N\.|punti percentuali))?"
    r"(?P<ref>\[\^(?P<label>[\w.-]+)\])?"
)
_EURO_BEFORE_RE = compiled(r"€\s?$")
# words right before which a number is a reference, not a quantity ('riga 273', 'righe 239, 241')
_REFERENCE_WORDS = compiled(
    r"\b(?:riga|righe|pag\.|pagg\.|pagina|pagine|sezione|sezioni|paragrafo|paragrafi|capitolo|"
    r"area|aree|allegato|art\.|artt\.|articolo|comma|co\.|lett\.|D\.Lgs\.|D\.M\.|legge|decreto|"
    r"obiettivo|obiettivi|ccnl)\s*(?:\d[\d.,]*\s*(?:,|e|-|–)\s*)*$",
    re.IGNORECASE,
)
# standards and acts named by an acronym: 'ISO 9001', 'UE 2016/679', 'DPR 445'
_ACRONYM_BEFORE = compiled(r"\b(?:ISO|UNI|EN|UE|CE|DPR|DL|DM|Dlgs|EMAS)\s*$")
_LAW_NUMBER = compiled(r"\bnn?\.\s*$")  # 'n. 93/2017' (lower case: 'N.' after a number is a unit)
_HEADING_START = compiled(r"^\s*#+\s*$")  # '## 3.3 Valutazione...': the section's number
_ENUM_START = compiled(r"(?:^|\|)\s*$")  # '| 1) Diritto Annuale |': an item's number
_CODE_RE = compiled(r"^\d+(?:\.\d+)+$")
_QUOTE_RE = compiled(r"^>\s*«(?P<quote>.+?)»\s*(?:\[\^(?P<label>[\w.-]+)\])?")
_NAME_RE = compiled(r"«([^«»]+)»")
# a place in a document written in the text: 'riga 360', 'righe 239, 241', 'pag. 5'
_LOCATION_RE = compiled(
    r"\b(?P<kind>riga|righe|pag\.|pagg\.|pagina|pagine)\s*(?P<nums>\d+(?:\s*(?:,|e|-|–)\s*\d+)*)",
    re.IGNORECASE,
)
_FOOTNOTE_DEF_RE = compiled(r"^\[\^(?P<label>[\w.-]+)\]:\s?(?P<text>.*)$")


class Mention(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    value: Decimal
    decimals: int
    unit: str
    start: int
    end: int
    label: str | None = None  # footnote reference right after the number


class Verification(BaseModel):
    model_config = ConfigDict(frozen=True)

    verified: bool
    mentions: int
    unmatched: list[str]  # the numbers (as written) that match no fact
    wrong_references: list[str] = []  # numbers that differ from the fact their footnote cites
    bad_quotes: list[str] = []
    bad_footnotes: list[str] = []
    bad_locations: list[str] = []  # places ('riga 361') that no cited fact or passage comes from

    @property
    def problems(self) -> list[str]:
        return self.unmatched + self.wrong_references + self.bad_quotes + self.bad_footnotes + self.bad_locations


def _is_year(token: str, unit: str) -> bool:
    return not unit and re.fullmatch(r"(19|20)\d{2}", token) is not None


def extract_numbers(text: str) -> list[Mention]:
    """Numbers written in the text, with their unit and footnote reference, skipping codes,
    years, dates and references (see the module doc)."""
    mentions: list[Mention] = []
    for m in _NUMBER_RE.finditer(text):
        token = m["num"]
        unit = (m["unit"] or "").strip()
        before = text[max(0, m.start() - 40) : m.start()]
        if _CODE_RE.match(token) and not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
            continue
        if _ENUM_START.search(before) and text[m.end("num") : m.end("num") + 1] == ")":
            continue
        if _is_year(token, unit) or _HEADING_START.match(before) or any(
                r.search(before) for r in (_REFERENCE_WORDS, _LAW_NUMBER, _ACRONYM_BEFORE)):
            continue
        if not unit and _EURO_BEFORE_RE.search(before):
            unit = "€"
        try:
            value, decimals = _parse_number(token)
        except NumberError:
            continue
        if m["sign"] and m["sign"].strip() in ("-", "−"):
            value = -value
        if unit == "punti percentuali":
            unit = "pp"
        mentions.append(
            Mention(text=m.group(0), value=value, decimals=max(decimals, 0), unit=unit, start=m.start(), end=m.end(), label=m["label"])
        )
    return mentions


def locations(text: str) -> list[tuple[str, set[tuple[str, int]]]]:
    """The places written in a text, each as written and as a set of (kind, number), kind 'riga'
    or 'pag'."""
    out = []
    for m in _LOCATION_RE.finditer(text):
        kind = "riga" if m["kind"].lower().startswith("rig") else "pag"
        out.append((m.group(0), {(kind, int(n)) for n in re.findall(r"\d+", m["nums"])}))
    return out


def _rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def matches(mention: Mention, fact: Fact) -> bool:
    """Same number at the precision the text shows; the sign may be said in words."""
    if mention.unit == "%" and fact.unit not in ("%", "pp"):
        return False
    if mention.unit == "pp" and fact.unit not in ("pp", "%"):
        return False
    if mention.unit == "€" and fact.unit not in ("€", ""):
        return False
    if mention.unit == "N." and fact.unit not in ("N.", ""):
        return False
    shown = _rounded(fact.value, mention.decimals)
    return shown == mention.value or abs(shown) == abs(mention.value)


class Citations(BaseModel):
    """What the footnotes of a text stand for: label -> fact id, or -> quoted passage."""

    model_config = ConfigDict(frozen=True)

    facts: dict[str, str] = {}
    passages: dict[str, "Passage"] = {}
    names: frozenset[str] = frozenset()  # document names written between « » (indicators, objectives...)
    places: frozenset[str] = frozenset()  # places the writer wrote besides its facts' ('riga 532')

    def known_places(self, book: FactBook) -> set[tuple[str, int]]:
        """Every place the text may name: the writer's, its passages', and where its cited facts
        (and the facts they were computed from) come from."""
        labels = set(self.places) | {p.label for p in self.passages.values()}
        labels |= {f.source.label for f in book.with_origins(self.facts.values()) if f.source is not None}
        return {place for label in labels for _, found in locations(label) for place in found}


class Passage(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    file: str
    label: str  # 'riga 97', 'pag. 3'
    section: str = ""

    def footnote(self) -> str:
        where = f"{self.file}, {self.label}"
        return f"{where}" + (f" ({self.section})" if self.section else "")


def fact_footnote(fact: Fact, book: FactBook) -> str:
    """The canonical footnote text of a fact: its value, what it is, where it comes from."""
    if fact.source is not None:
        origin = f"{fact.source.file}, {fact.source.label}"
    elif fact.derived_from:
        parts = []
        for fid in fact.derived_from:
            f = book.get(fid)
            if f is None:
                continue
            value = f"{f.name} {f.text()}" if f.name else f.text()
            parts.append(f"{value} ({f.source.file}, {f.source.label})" if f.source else value)
        origin = _OPERATION_WORDS.get(fact.operation, "calcolato da") + " " + "; ".join(parts)
    else:
        origin = _NO_SOURCE.get(fact.operation, "impostazione del calcolo")
    return f"{fact.text()} — {fact.label}. Fonte: {origin}."


_NO_SOURCE = {
    "count": "conteggio sulle tabelle degli indicatori",
    "ratio": "ricalcolo del controllo sui valori stampati",
    "read": "impostazione del calcolo",
}


_OPERATION_WORDS = {
    "difference": "differenza tra",
    "pct_change": "variazione percentuale tra",
    "share": "quota di",
    "weighted_mean": "media ponderata di",
    "achievement": "calcolato da consuntivo e target:",
    "count": "conteggio su",
    "sum": "somma di",
    "ratio": "rapporto tra",
}


def split_footnotes(markdown: str) -> tuple[str, dict[str, tuple[int, str]]]:
    """Body text and footnote definitions (label -> (line index, text))."""
    body_lines: list[str] = []
    notes: dict[str, tuple[int, str]] = {}
    for i, line in enumerate(markdown.split("\n")):
        m = _FOOTNOTE_DEF_RE.match(line)
        if m:
            notes[m["label"]] = (i, m["text"])
        else:
            body_lines.append(line)
    return "\n".join(body_lines), notes


def _norm(text: str) -> str:
    """Text as a reader sees it: markup escapes undone (`hygiene.escape_markup`), spaces and
    apostrophes normalised."""
    return " ".join(as_rendered(text).replace("’", "'").split())


def verify(markdown: str, book: FactBook, citations: Citations | None = None) -> Verification:
    citations = citations or Citations()
    body, notes = split_footnotes(markdown)
    unmatched: list[str] = []
    wrong: list[str] = []
    bad_quotes: list[str] = []
    bad_notes: list[str] = []
    bad_places: list[str] = []
    mentions = 0
    all_facts = list(book)
    names = {_norm(n) for n in citations.names}
    places = citations.known_places(book)
    for line in body.split("\n"):
        q = _QUOTE_RE.match(line.strip())
        if q:
            passage = citations.passages.get(q["label"] or "")
            if passage is None or _norm(q["quote"]) not in _norm(passage.text):
                bad_quotes.append(q["quote"][:80])
            continue
        # «names» are the document's own words: they must be names the text was given, and
        # their digits ('entro 2 gg', 'progetto 20%') are not quantities
        for name in _NAME_RE.finditer(line):
            if _norm(name.group(1)) not in names:
                bad_quotes.append(f"«{name.group(1)[:80]}»")
        line = _NAME_RE.sub(lambda m: "«" + re.sub(r"\d", "#", m.group(1)) + "»", line)
        bad_places += [written for written, found in locations(line) if not found <= places]
        for mention in extract_numbers(line):
            mentions += 1
            if mention.label is not None:
                fact_id = citations.facts.get(mention.label)
                fact = book.get(fact_id) if fact_id else None
                if fact is None or not matches(mention, fact):
                    wrong.append(mention.text)
                continue
            if not any(matches(mention, fact) for fact in all_facts):
                unmatched.append(mention.text.strip())
    for label, (_, text) in notes.items():
        if label in citations.facts:
            fact = book.get(citations.facts[label])
            if fact is None or _norm(text) != _norm(fact_footnote(fact, book)):
                bad_notes.append(label)
        elif label in citations.passages:
            if _norm(text) != _norm(citations.passages[label].footnote()):
                bad_notes.append(label)
        else:
            bad_notes.append(label)
    used = set(re.findall(r"\[\^([\w.-]+)\](?!:)", body))
    bad_notes += sorted(label for label in used if label not in notes)
    verified = not (unmatched or wrong or bad_quotes or bad_notes or bad_places)
    return Verification(
        verified=verified, mentions=mentions, unmatched=unmatched, wrong_references=wrong,
        bad_quotes=bad_quotes, bad_footnotes=bad_notes, bad_locations=bad_places,
    )
