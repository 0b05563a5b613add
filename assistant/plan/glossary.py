"""A domain glossary: the words staff use for what the documents print otherwise.

Each entry adds the document's words to a question that uses the colloquial ones (both ways
for an abbreviation and its expansion), and may say which table the words point to. These are
words of the Relazione sulla performance of any Camera di commercio (the Unioncamere schema:
bilancio lines, the risorse table, national systems such as SDI or the Registro Imprese), not
of one document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.patterns import compiled

from .lexicon import stem_set
from .model import RefKind


@dataclass(frozen=True)
class Alias:
    pattern: re.Pattern[str]
    adds: str  # words of the document's own names
    prefer: RefKind | None = None  # the table these words belong to


def _a(pattern: str, adds: str, prefer: RefKind | None = None) -> Alias:
    return Alias(compiled(pattern), adds, prefer)


GLOSSARY: tuple[Alias, ...] = (
    # abbreviations of national systems and programmes, both ways
    _a(r"\bpid\b", "punto impresa digitale"),
    _a(r"punto impresa digitale", "pid"),
    _a(r"\brasl\b", "registro alternanza scuola lavoro"),
    _a(r"alternanza scuola.lavoro", "asl rasl"),
    _a(r"\bsdi\b", "sistema interscambio"),
    _a(r"sistema di interscambio", "sdi"),
    _a(r"registro (?:delle )?imprese", "ri"),
    _a(r"\bocc\b|sovraindebitament", "organismo composizione crisi sovraindebitamento"),
    _a(r"\bsuap\b", "sportello unico attivita produttive"),
    _a(r"\bier\b", "report ier"),
    _a(r"tempi (?:medi )?di pagamento|pagamenti? (?:puntual|in ritardo)|\bpag\w* (?:a[il]? |de[il]? |i )?fornitor\w*"
       r"|\bpagat\w* (?:le |l')?fattur\w*|\bfattur\w* (?:\w+ ){0,2}pagat\w*", "tempestivita pagamenti"),
    _a(r"lavoro agile|smart.?working|telelavoro", "smart"),
    _a(r"tempi (?:medi )?di attesa", "tempi medi attesa sportelli"),
    # how staff say the indicators' usual measures
    _a(r"\btass[oi] di\b|\bquota di\b|\bin percentuale\b", "percentuale"),
    # the bilancio (Sintesi dei principali dati di bilancio)
    _a(r"\b(?:cost[oi]|costat\w*|oneri|spesa storica)\b[^.?!]{0,25}\bpersonale\b|\bpersonale\b[^.?!]{0,15}\bcostat\w*",
       "personale", "financial"),
    _a(r"risultato (?:d'|di |dell')?\s*esercizio|\bavanzo\b|\bdisavanzo\b|\butile\b|\bperdita\b|chius\w* in (?:attivo|passivo)",
       "disavanzo avanzo economico esercizio", "financial"),
    _a(r"\bentrate\b|\bricavi\b", "proventi", "financial"),
    _a(r"\buscite\b|costi correnti|spese correnti", "oneri correnti", "financial"),
    _a(r"diritto camerale", "diritto annuale", "financial"),
    _a(r"gestione corrente", "risultato gestione corrente", "financial"),
    # the risorse table (Risorse disponibili e spese sostenute)
    _a(r"spes\w* promozional\w*", "spese promozionali", "resource"),
    _a(r"risorse (?:totali|complessive)", "totale risorse", "resource"),
)


def expand(folded: str) -> tuple[list[tuple[frozenset[str], frozenset[str]]], set[str]]:
    """The glossary's words for `folded`, as (stems of the words that called them, stems they
    add), and the tables they name."""
    adds, prefer = [], set()
    for alias in GLOSSARY:
        for m in alias.pattern.finditer(folded):
            adds.append((stem_set(m.group(0)), stem_set(alias.adds)))
            if alias.prefer:
                prefer.add(alias.prefer)
    return adds, prefer
