"""Where things are printed (`Loc`), and how a reader read a file's tables (`Layout`).

Part of the shared typed model (`ingest.model` re-exports these): a place is a line of a text
file, a PDF page, or a Word file's table row or paragraph under its headings; a layout names
the reader and, per table, the strategy that read it and the rows it could not put in columns.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Loc(_Model):
    """Where something was printed: a 1-based line of a text file, a PDF page, or in a Word
    file a table and its row, or a paragraph, under a heading path."""

    line: int | None = None
    page: int | None = None
    # continuation lines of a wrapped row (text files only)
    more_lines: tuple[int, ...] = ()
    # Word files: 1-based table and row (rows a wrapped row went on to), paragraph of the body
    table: int | None = None
    row: int | None = None
    more_rows: tuple[int, ...] = ()
    paragraph: int | None = None
    headings: tuple[str, ...] = ()  # the headings the place stands under, outermost first

    @property
    def lines(self) -> tuple[int, ...]:
        return ((self.line,) if self.line is not None else ()) + self.more_lines

    @property
    def rows(self) -> tuple[int, ...]:
        return ((self.row,) if self.row is not None else ()) + self.more_rows

    def label(self) -> str:
        """Italian citation label: 'riga 178', 'righe 239, 241', 'pag. 5'; in a Word file
        'tabella 5, riga 3', 'tabella 5, righe 3, 4', 'paragrafo 12', followed by the headings
        the place stands under ('tabella 5, riga 3 (3 Obiettivi › 3.1 Strategici)')."""
        if self.line is not None:
            if self.more_lines:
                return "righe " + ", ".join(str(n) for n in self.lines)
            return f"riga {self.line}"
        if self.page is not None:
            return f"pag. {self.page}"
        if self.table is not None:
            if self.more_rows:
                where = f"tabella {self.table}, righe " + ", ".join(str(n) for n in self.rows)
            else:
                where = f"tabella {self.table}, riga {self.row}" if self.row is not None else f"tabella {self.table}"
        elif self.paragraph is not None:
            where = f"paragrafo {self.paragraph}"
        else:
            return "posizione non nota"
        return f"{where} ({' › '.join(self.headings)})" if self.headings else where


TableStrategy = Literal["cells", "rules", "words", "tabs"]


class UnassignedRow(_Model):
    """A table row whose text could not be put one piece per column (it straddles columns)."""

    source: Loc
    row: int  # 1-based row of its table
    printed: str


class TableLayout(_Model):
    """How one table was read: drawn or Word cells, rows cut at rules (columns from word
    positions), word positions alone, or tab-separated text lines."""

    number: int  # 1-based, in reading order
    source: Loc  # where it starts
    strategy: TableStrategy
    rows: int
    columns: int
    pages: tuple[int, ...] = ()
    unassigned: tuple[UnassignedRow, ...] = ()


STRATEGY_LABELS: dict[str, str] = {
    "cells": "celle (bordi disegnati o celle del documento)",
    "rules": "righe tracciate, colonne dalle posizioni delle parole",
    "words": "posizioni delle parole",
    "tabs": "colonne separate da tabulazioni",
}


class Layout(_Model):
    """The reader that read a file and how it read each table."""

    reader: str
    tables: tuple[TableLayout, ...] = ()


