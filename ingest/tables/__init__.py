"""Rows -> objective tree with typed indicators, and the other tables of a Relazione or Piano.

One module per kind of table: `performance` (3.1/3.2 indicators, a Relazione's or a Piano's),
`overview`, `resources`, `key_indicators`, `financial`, `interventions`, `tree`; `objectives`
holds the objective tree they add to, `schema` recognises a table by its header row, and
`parser` walks the block stream once, sending each row to its table's reader.
"""

from __future__ import annotations

from .parser import ParsedTables, parse_tables
from .patterns import section_number_of

__all__ = ["ParsedTables", "parse_tables", "section_number_of"]
