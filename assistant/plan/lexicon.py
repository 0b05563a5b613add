"""Words of a question: folded, split, stemmed; the building blocks of the plan parser and of
every lexical comparison the answers make (excerpts, causes, names). One copy, in the light
`ingest.textnorm` (the causes check of the workspace uses it too); named here for the parser."""

from __future__ import annotations

from ingest.textnorm import STOP, split_words as words, stem, stem_set, stems

__all__ = ["STOP", "stem", "stem_set", "stems", "words"]
