"""Normalising names for matching (indicators across a Piano, a Relazione and a CSV)."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "–": "-", "—": "-"})


def fold(text: str) -> str:
    """Lower case, accents removed, typographic apostrophes and dashes unified, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c))
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
