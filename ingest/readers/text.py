"""Reader for text renderings (TXT/MD): tab-separated rows, markdown/HTML headings and bold."""

from __future__ import annotations

import re

from ..encoding import decode_text, nul_finding
from ..model import Finding, Layout, Loc, TableLayout
from .blocks import Block, BlockStream, Row, Text, clean_cell, clean_text
from .registry import PageProgress

_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
_BOLD_LINE_RE = re.compile(r"^\s*(?:\*\*|<b>)(?P<bold>.+?)(?:\*\*|</b>)\s*(?P<rest>.*)$")
_ITALIC_LINE_RE = re.compile(r"^\s*\*(?!\*)(?P<text>.+?)\*\s*$")
_RULE_RE = re.compile(r"^[\s|:+-]*-{3,}[\s|:+-]*$")
_ITEM_RE = re.compile(r"^\s*[-•]\s+(.*)$")

TEXT_STAGE = "lettura testo"


def decode(data: bytes, name: str) -> str:
    """UTF-8/16 (BOM or not), Latin-1/CP1252 (see `ingest.encoding`); NULs removed."""
    return decode_text(data, name).text


def read_text(data: bytes | str, name: str, progress: PageProgress | None = None) -> BlockStream:
    """Turn a text rendering (its bytes, or its text already decoded) into blocks; line numbers
    are 1-based, split on '\\n'. NUL bytes removed while decoding are a finding."""
    if progress:
        progress(0, 1, TEXT_STAGE)
    problems: tuple[Finding, ...] = ()
    if isinstance(data, str):
        text = data
    else:
        decoded = decode_text(data, name)
        text = decoded.text
        if decoded.nul_removed:
            problems = (nul_finding(decoded.nul_removed),)
    blocks: list[Block] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        block = _line_to_block(line, Loc(line=number))
        if block is not None:
            blocks.append(block)
    if progress:
        progress(1, 1, TEXT_STAGE)
    return BlockStream(tuple(blocks), problems=problems, layout=_layout(blocks))


def _layout(blocks: list[Block]) -> Layout:
    """Each run of tab-separated rows (no text line between them) is one table."""
    tables: list[TableLayout] = []
    run: list[Row] = []
    for block in blocks + [Text("", Loc())]:
        if isinstance(block, Row):
            run.append(block)
            continue
        if run:
            tables.append(TableLayout(
                number=len(tables) + 1, source=run[0].loc, strategy="tabs", rows=len(run),
                columns=max(len(r.cells) for r in run),
            ))
            run = []
    return Layout(reader="text", tables=tuple(tables))


def _line_to_block(line: str, loc: Loc) -> Block | None:
    if "\t" in line:
        if _RULE_RE.match(line.replace("\t", " ")):
            return None
        cells = tuple(clean_cell(c) for c in line.split("\t"))
        if not any(cells):
            return None
        bold = "<b>" in line or "**" in line
        return Row(cells, loc, bold=bold)
    if _RULE_RE.match(line):
        return None
    m = _HEADING_RE.match(line)
    if m:
        return Text(clean_text(m.group(2)), loc, kind="heading", level=len(m.group(1)))
    m = _BOLD_LINE_RE.match(line)
    if m:
        # '**3.1.1 Iniziative di semplificazione amministrativa** 25,0%'
        rest = clean_text(m["rest"])
        bold = clean_text(m["bold"])
        return Text(f"{bold} {rest}".strip(), loc, kind="bold")
    m = _ITALIC_LINE_RE.match(line)
    if m:
        return Text(clean_text(m["text"]), loc, kind="caption")
    m = _ITEM_RE.match(line)
    if m:
        return Text(clean_text(m.group(1)), loc, kind="item")
    return Text(clean_text(line), loc, kind="para")
