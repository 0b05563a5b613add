"""Does a narrative passage explain an indicator's deviation? (used by the OIV check
'scostamento senza causa' of the workspace, and by answers and drafts that quote the cause)."""

from __future__ import annotations

import re
from functools import lru_cache

from .model import Indicator
from .textnorm import fold, stems

# words every indicator name uses: they say nothing about what a passage is about
_GENERIC_WORDS = ("indicatore indicatori percentuale numero progetto progetti attività attivate attivati risultato "
                  "risultati media grado livello valore totale imprese realizzati realizzate coinvolti coinvolte "
                  "utilizzo risorse tema")


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    """Stemmed at the first check, not at import (the stemmer loads then)."""
    return frozenset(stems(_GENERIC_WORDS))
_CAUSE_WORDS = ("a causa", "dovut", "per effetto", "in quanto", "poiche", "perche")


def cause_query(ind: Indicator) -> str:
    return f"{ind.name} causa motivo scostamento"


def explains(ind: Indicator, text: str) -> bool:
    """The passage shares most of the indicator's distinctive words (or names its objective)
    and speaks of a cause."""
    subject = {s for s in stems(ind.name) if len(s) > 2} - _generic()
    if not subject:
        return False
    code = ind.operational_objective or ind.strategic_objective
    about = len(subject & set(stems(text))) >= max(2, (2 * len(subject) + 2) // 3) or re.search(
        rf"\b{re.escape(code)}\b", text
    )
    return bool(about) and any(word in fold(text) for word in _CAUSE_WORDS)
