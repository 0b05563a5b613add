"""Narrative sections with their heading path, from the text blocks the table parser left.

The heading path follows the document's numbering ('3.' > '3.1 - ...'), not the markup
level, which the renderings use inconsistently. Unnumbered headings become sub-sections of
the numbered section they sit in, except top-level ones (Premessa, SOMMARIO, ALLEGATO).
A paragraph cut by a page break (no closing punctuation, next one starting in lower case
or with a digit) is joined back.
"""

from __future__ import annotations

import re

from .model import Loc, Paragraph, Section
from .readers.blocks import BlockStream, Text
from .tables import section_number_of

_TOP_LEVEL_RE = re.compile(r"^(premessa|sommario|allegat[oi]\b|indice\b)", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.;:!?)»”\"]$")


class _Acc:
    def __init__(self, number: str | None, path: tuple[str, ...], loc: Loc):
        self.number = number
        self.path = path
        self.loc = loc
        self.paragraphs: list[Paragraph] = []


def build_sections(stream: BlockStream, consumed: frozenset[int]) -> tuple[Section, ...]:
    numbered: list[tuple[str, str]] = []  # (number, heading) stack
    sub: str | None = None
    top: str | None = None
    sections: list[_Acc] = []
    current: _Acc | None = None

    def open_section(loc: Loc) -> _Acc:
        path = ((top,) if top and not numbered else ()) + tuple(h for _, h in numbered) + ((sub,) if sub else ())
        acc = _Acc(numbered[-1][0] if numbered else None, path, loc)
        sections.append(acc)
        return acc

    for index, block in enumerate(stream.blocks):
        if not isinstance(block, Text) or index in consumed:
            continue
        number = section_number_of(block)
        if number is not None:
            while numbered and not number.startswith(numbered[-1][0] + "."):
                numbered.pop()
            numbered.append((number, block.text))
            sub, top, current = None, None, None
            continue
        if block.kind == "heading" or (block.kind == "bold" and len(block.text) < 120):
            if _TOP_LEVEL_RE.match(block.text) or (block.kind == "heading" and block.level <= 2 and not numbered):
                numbered, sub, top = [], None, block.text
            else:
                sub = block.text
            current = None
            continue
        if block.kind == "caption":
            continue  # table captions live with their tables
        if current is None:
            current = open_section(block.loc)
        _append(current, block)
    return tuple(
        Section(
            number=acc.number,
            title=acc.path[-1] if acc.path else "Documento",
            path=acc.path or ("Documento",),
            paragraphs=tuple(acc.paragraphs),
            source=acc.loc,
        )
        for acc in sections
        if acc.paragraphs
    )


def _append(acc: _Acc, block: Text) -> None:
    text = block.text
    if acc.paragraphs:
        last = acc.paragraphs[-1]
        if not _SENTENCE_END_RE.search(last.text) and text[:1] and (text[0].islower() or text[0].isdigit()):
            # the first part's place (line, page, or a Word paragraph and its headings)
            merged = last.source.model_copy(
                update={"more_lines": last.source.more_lines + ((block.loc.line,) if block.loc.line else ())}
            )
            acc.paragraphs[-1] = Paragraph(text=f"{last.text} {text}", source=merged)
            return
    if block.kind == "item":
        text = f"- {text}"
    acc.paragraphs.append(Paragraph(text=text, source=block.loc))
