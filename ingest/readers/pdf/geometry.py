"""What one PDF page holds, read once: its words (with font size and style), its ruling
lines and its shaded boxes. Every table strategy and the text blocks work from this."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cells import Vocabulary

# letters of one word are closer than this (points); words and cells are further apart
WORD_X_TOLERANCE = 1.5
# a rule is a line, or a box thinner than this (points): browsers draw borders as thin boxes
RULE_MAX_THICKNESS = 2.5
# a box no larger than this (points) is a dot of a dotted or dashed rule when others follow it
DOT_MAX_SIZE = 1.2


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False
    italic: bool = False

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Line:
    """Words on one baseline, left to right."""

    words: list[Word]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)

    @property
    def text(self) -> str:
        return join_words(self.words)

    def segments(self) -> list[list[Word]]:
        """Runs of words separated by no more than a word space: the line's cells, when the
        line crosses a table."""
        return split_segments(self.words)


@dataclass(frozen=True)
class Box:
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    words: list[Word]
    hrules: list[Box] = field(default_factory=list)  # horizontal rules
    vrules: list[Box] = field(default_factory=list)  # vertical rules
    shades: list[Box] = field(default_factory=list)  # filled boxes (shaded rows or cells)
    rule_objects: list[dict] = field(default_factory=list)  # the same rules, for pdfplumber's table finder
    # header bands found among the page's lines ((id of the line list, line index) -> lines)
    anchors: dict[tuple[int, int], int] = field(default_factory=dict, repr=False)
    nchars: int = 0
    vocab: Vocabulary | None = None  # the document's words (set once every page is read)

    @property
    def body_size(self) -> float:
        sizes = [round(w.size, 1) for w in self.words]
        return statistics.mode(sizes) if sizes else 0.0


def is_bold(fontname: str) -> bool:
    name = fontname.split("+", 1)[-1].lower()
    return "bold" in name or "black" in name or "heavy" in name or name.endswith(("-bd", ",bold"))


def is_italic(fontname: str) -> bool:
    name = fontname.lower()
    return "italic" in name or "oblique" in name


def page_content(page, number: int) -> PageContent:
    """Read a pdfplumber page once: words, rules and shaded boxes."""
    raw = page.extract_words(
        x_tolerance=WORD_X_TOLERANCE, y_tolerance=3, keep_blank_chars=False, extra_attrs=["fontname", "size"]
    )
    words = [
        Word(w["text"], float(w["x0"]), float(w["x1"]), float(w["top"]), float(w["bottom"]), float(w["size"]),
             is_bold(w["fontname"]), is_italic(w["fontname"]))
        for w in raw
        if w["text"].strip()
    ]
    content = PageContent(number, float(page.width), float(page.height), words, nchars=len(page.chars))
    for obj in page.lines:
        _add_rule(content, obj, obj)
    dots: list[Box] = []
    for rect in page.rects:
        box = _box(rect)
        if max(box.width, box.height) <= DOT_MAX_SIZE:
            dots.append(box)
        elif min(box.width, box.height) <= RULE_MAX_THICKNESS:
            _add_rule(content, rect, rect)
        else:
            if rect.get("fill") and not _is_white(rect.get("non_stroking_color")):
                content.shades.append(box)
            if rect.get("stroke"):
                for edge in _rect_edges(rect):
                    _add_rule(content, edge, edge)
    for rule in dotted_rules(dots):
        line = _line_object(rule)
        _add_rule(content, line, line)
    return content


def dotted_rules(dots: list[Box]) -> list[Box]:
    """Dotted or dashed rules, drawn as rows (or columns) of tiny boxes, as one rule each: a
    run of at least four boxes on one line, each no further from the next than twice its size."""
    rules: list[Box] = []
    for horizontal in (True, False):
        key = (lambda b: (round(b.top, 1), b.x0)) if horizontal else (lambda b: (round(b.x0, 1), b.top))
        run: list[Box] = []
        for box in sorted(dots, key=key) + [None]:  # type: ignore[list-item]
            if run and box is not None:
                last = run[-1]
                size = max(last.width, last.height)
                same = abs(box.top - last.top) <= 0.2 if horizontal else abs(box.x0 - last.x0) <= 0.2
                gap = box.x0 - last.x1 if horizontal else box.top - last.bottom
                if same and -0.01 <= gap <= 2 * size + 0.01:
                    run.append(box)
                    continue
            if len(run) >= 4:
                rules.append(Box(min(b.x0 for b in run), max(b.x1 for b in run), min(b.top for b in run), max(b.bottom for b in run)))
            run = [box] if box is not None else []
    return rules


def _line_object(box: Box) -> dict:
    return {"object_type": "line", "x0": box.x0, "x1": box.x1, "top": box.top, "bottom": box.bottom,
            "doctop": box.top, "width": box.width, "height": box.height,
            "orientation": "h" if box.width >= box.height else "v"}


def _box(obj: dict) -> Box:
    return Box(float(obj["x0"]), float(obj["x1"]), float(obj["top"]), float(obj["bottom"]))


def _add_rule(content: PageContent, obj: dict, raw: dict) -> None:
    box = _box(obj)
    if box.width >= box.height:
        content.hrules.append(box)
    else:
        content.vrules.append(box)
    content.rule_objects.append(raw)


def _rect_edges(rect: dict) -> list[dict]:
    x0, x1, top, bottom = (float(rect[k]) for k in ("x0", "x1", "top", "bottom"))
    edge = {"object_type": "line", "doctop": rect.get("doctop", top)}
    return [
        {**edge, "x0": x0, "x1": x1, "top": top, "bottom": top, "width": x1 - x0, "height": 0.0, "orientation": "h"},
        {**edge, "x0": x0, "x1": x1, "top": bottom, "bottom": bottom, "width": x1 - x0, "height": 0.0, "orientation": "h"},
        {**edge, "x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top, "orientation": "v"},
        {**edge, "x0": x1, "x1": x1, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top, "orientation": "v"},
    ]


def _is_white(color) -> bool:
    if color is None:
        return False
    values = color if isinstance(color, (tuple, list)) else (color,)
    try:
        nums = [float(v) for v in values]
    except (TypeError, ValueError):
        return False
    if len(nums) == 4:  # CMYK
        return all(v <= 0.02 for v in nums)
    return all(v >= 0.98 for v in nums)


def group_lines(words: list[Word]) -> list[Line]:
    """Words into lines: a word joins the line whose first word's top is within half its size."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (round(w.top, 1), w.x0)):
        if lines:
            last = lines[-1]
            first = last.words[0]
            if abs(word.top - first.top) <= 0.5 * min(word.size, first.size):
                last.words.append(word)
                continue
        lines.append(Line([word]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def join_words(words: list[Word]) -> str:
    """Words of one line with a space where there is a gap: a change of font inside a word
    ('strutturali' + bold ')') adds none."""
    out = ""
    previous: Word | None = None
    for word in words:
        if previous is not None and word.x0 - previous.x1 > 0.12 * min(word.size, previous.size):
            out += " "
        out += word.text
        previous = word
    return out


def split_segments(words: list[Word]) -> list[list[Word]]:
    """Words of one line cut where the gap is wider than a word space (0.45 of the font size)."""
    segments: list[list[Word]] = []
    for word in words:
        if segments:
            prev = segments[-1][-1]
            if word.x0 - prev.x1 <= 0.45 * max(word.size, prev.size):
                segments[-1].append(word)
                continue
        segments.append([word])
    return segments
