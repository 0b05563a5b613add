"""Text outside the tables: lines grouped into headings (larger type), bold lines, captions
(oblique) and paragraphs; a wide gap, an indented line or a change of style starts a block."""

from __future__ import annotations

from collections import Counter

from ...model import Loc
from ..blocks import Block, Text, clean_text, join_wrapped
from .geometry import Line, Word


def body_size(words: list[Word]) -> float:
    """The most common font size on the page, counted by characters."""
    sizes: Counter[float] = Counter()
    for w in words:
        sizes[round(w.size, 1)] += len(w.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _style(line: Line, body: float) -> tuple[str, int]:
    size = max(round(w.size, 1) for w in line.words)
    if body and size >= body * 1.8:
        return "heading", 1
    if body and size >= body * 1.3:
        return "heading", 2
    if all(w.bold for w in line.words):
        return "bold", 0
    if all(w.italic for w in line.words):
        return "caption", 0
    return "para", 0


def text_blocks(lines: list[Line], body: float, loc: Loc) -> list[tuple[float, Block]]:
    """Consecutive lines of the same style make one block; a wide gap starts a new one."""
    out: list[tuple[float, Block]] = []
    current: list[Line] = []
    current_style: tuple[str, int] = ("para", 0)

    def flush() -> None:
        if not current:
            return
        kind, level = current_style
        text = clean_text(join_wrapped([ln.text for ln in current]))
        if text:
            out.append((current[0].top, Text(text, loc, kind=kind, level=level)))  # type: ignore[arg-type]

    previous: Line | None = None
    for line in lines:
        style = _style(line, body)
        height = line.bottom - line.top
        gap = line.top - previous.bottom if previous else 0.0
        starts_item = line.x0 > (current[0].x0 + 2) if current else False
        if current and (style != current_style or gap > height * 0.9 or starts_item or style[0] == "heading"):
            flush()
            current = []
        if not current:
            current_style = style
        current.append(line)
        previous = line
    flush()
    return out
