"""The keyword router the question plan replaced (assistant/intents.py before the plan), kept
only as the baseline that bench/assistant.py measures the plan parser against, on the same
questions in the same run. Not used by the application."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ingest.textnorm import fold, stem

Intent = Literal[
    "target_changes", "below_target", "achievement", "indicator", "count", "financial",
    "interventions", "resources", "findings", "retrieval",
]

_STOP = {
    "il", "lo", "la", "i", "gli", "le", "un", "uno", "una", "di", "a", "da", "in", "con", "su", "per", "tra",
    "fra", "e", "o", "che", "chi", "cui", "del", "dello", "della", "dei", "degli", "delle", "al", "allo",
    "alla", "ai", "agli", "alle", "dal", "dallo", "dalla", "dai", "dagli", "dalle", "nel", "nello", "nella",
    "nei", "negli", "nelle", "sul", "sullo", "sulla", "sui", "sugli", "sulle", "e'", "è", "sono", "quale",
    "quali", "come", "cosa", "qual", "mi", "ci", "si", "ne", "non", "piu", "più", "anno", "anni",
}


def stems(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", fold(text).replace("'", " "))
    return [stem(w) for w in words if w not in _STOP]


def _s(*words: str) -> set[str]:
    return {stem(fold(w)) for w in words}


# (intent, stems that signal it, weight)
_SIGNALS: list[tuple[Intent, set[str], float]] = [
    ("target_changes", _s("cambiato", "cambiati", "cambiare", "cambio", "modificato", "modificati", "modifica",
                          "modifiche", "variato", "variazioni", "spostato", "spostamento", "eliminato",
                          "eliminazione", "rivisto", "differenze", "differenza", "diverso", "diversi"), 2.0),
    ("target_changes", _s("piano", "target"), 0.6),
    ("below_target", _s("sotto", "scostamento", "scostamenti", "raggiunto", "raggiunti", "mancato", "mancati",
                        "inferiore", "inferiori", "insufficiente", "deviazione", "deviazioni", "disallineamento"), 1.5),
    ("achievement", _s("raggiungimento", "performance", "risultato", "risultati", "valutazione", "punteggio",
                       "complessivo", "complessiva"), 1.2),
    ("indicator", _s("algoritmo", "misure", "misura", "formula", "calcolato", "consuntivo", "valore", "peso"), 1.0),
    ("financial", _s("proventi", "oneri", "bilancio", "diritto", "annuale", "segreteria", "avanzo", "disavanzo",
                     "gestione", "ammortamenti", "accantonamenti", "esercizio", "finanziaria", "straordinaria",
                     "precedenti", "andamento", "trend", "confronta", "confronto", "rispetto"), 1.3),
    ("interventions", _s("interventi", "intervento", "importi", "importo", "speso", "spesa", "liquidati",
                         "accantonati", "promozionali", "stanziati"), 1.4),
    ("resources", _s("preventivo", "risorse", "disponibili", "sostenute", "spese"), 1.0),
    ("findings", _s("anomalia", "anomalie", "incongruenza", "incongruenze", "errore", "errori", "rilievo",
                    "rilievi", "oiv", "incoerenze", "incoerenza", "controllare", "verifiche", "problemi",
                    "discrepanze", "discrepanza"), 2.0),
]


class Question(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    intent: Intent
    scores: dict[str, float]
    year: int | None = None
    years: tuple[int, ...] = ()
    this_year: bool = False
    codes: tuple[str, ...] = ()  # objective codes named in the question
    area: int | None = None
    wants_cause: bool = False
    how_went: bool = False  # 'com'è andato X?': an objective named by its title, or the narrative
    superlative: str | None = None  # 'peggiore' | 'migliore'


def parse_question(text: str) -> Question:
    tokens = stems(text)
    token_set = set(tokens)
    scores: dict[str, float] = {}
    for intent, signals, weight in _SIGNALS:
        hits = len(token_set & signals)
        if hits:
            scores[intent] = scores.get(intent, 0.0) + weight * hits
    folded = fold(text)
    # phrases that single words miss
    if re.search(r"sotto (il |al )?target|non (hanno |ha |sono )?(stat[oi] )?raggiunt|non raggiunt", folded):
        scores["below_target"] = scores.get("below_target", 0) + 3
    if re.search(r"(cambiat|modificat|variat|rivist)\w* (il |i |del |dei )?target|target (cambiat|modificat)", folded):
        scores["target_changes"] = scores.get("target_changes", 0) + 3
    # 'quanti/quante' count only what the tables hold ('quante persone' is for the narrative,
    # 'quanto è stato speso' for the amounts)
    if re.search(r"\bquant[ie]\b\s+(?:\w+\s+){0,2}?(indicator|obiettiv|aree\b|area\b|target|misur)", folded) or re.search(
        r"\bnumero (?:di |degli |dei )?(indicator|obiettiv|aree)", folded
    ):
        scores["count"] = scores.get("count", 0) + 3
    how_went = bool(re.search(r"\bcom(?:e|')\s*(?:e'?\s+|è\s+)?(?:andat|sono andat)", folded))
    if re.search(r"grado di raggiungimento", folded) or (
        how_went and re.search(r"\b(ente|camera|area|obiettiv|performance|risultat)", folded)
    ):
        scores["achievement"] = scores.get("achievement", 0) + 2
    if re.search(r"risultat\w* (?:d'|di |dell'|della )?(?:esercizio|gestione)|avanzo|disavanzo|chius\w* (?:l'|dell')?esercizio", folded):
        scores["financial"] = scores.get("financial", 0) + 3
    # the checks an OIV runs: printed actual against its measures, weights summing to 100
    if re.search(r"consuntiv\w* (?:\w+ ){0,3}(?:divers|non corrispond|non coerent|sbagliat)|(?:pes[oi]|pesi)\b.*\b(?:somm|total)\w*\b.*100", folded):
        scores["findings"] = scores.get("findings", 0) + 4
    if "interventi economici" in folded and "oneri" not in folded:
        scores["interventions"] = scores.get("interventions", 0) + 2
    years = tuple(int(y) for y in re.findall(r"\b(20\d{2})\b", text))
    codes = tuple(re.findall(r"\b(\d+(?:\.\d+)+)\b", text))
    area_m = re.search(r"\barea\s+(\d)\b", folded)
    wants_cause = bool(re.search(r"\bperch[eé']|\bcausa|\bmotiv|\bcome mai", folded))
    this_year = bool(re.search(r"quest['’ ]?anno|anno in corso|ultimo anno|anno corrente", folded))
    intent: Intent = "retrieval"
    if scores:
        best = max(scores.items(), key=lambda kv: kv[1])
        if best[1] >= 1.2:
            intent = best[0]  # type: ignore[assignment]
    if intent in ("retrieval", "indicator") and (codes or area_m) and ("achievement" in scores or re.search(r"\bpes[aio]", folded)):
        intent = "achievement"  # 'quanto pesa l'obiettivo 3.2.3?', 'peso dell'area 1': the tree has both
    if wants_cause and intent in ("target_changes", "findings") and not re.search(r"\bquali\b", folded):
        intent = "retrieval"  # 'perché è stato eliminato X?' asks for the reason the document gives
    if re.match(r"\s*(quando|chi|dove)\b", folded) and intent not in ("count",):
        intent = "retrieval"  # dates, people and places are in the narrative, not in the tables
    superlative = ("peggiore" if re.search(r"peggior|piu bass|più bass|minimo|ultimo posto", folded) else
                   "migliore" if re.search(r"miglior|piu alt|più alt|massimo", folded) else None)
    if intent == "retrieval" and superlative and re.search(r"\b(obiettiv|aree|area)", folded):
        intent = "achievement"  # 'qual è l'obiettivo migliore?': the ranking of the tree
    return Question(
        text=text, intent=intent, scores=scores, year=years[0] if len(years) == 1 else None, years=years,
        this_year=this_year, codes=codes, area=int(area_m.group(1)) if area_m else None, wants_cause=wants_cause,
        how_went=how_went, superlative=superlative,
    )
