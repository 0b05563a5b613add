"""Tesseract's hOCR made to keep the space it found between words.

Tesseract cuts a line into words where it sees a space, but the box it gives a word can run
a pixel or two past the word's ink, up to the next word: 'lavoro' ends where 'e' begins. The
OCR'd page then holds the two words with no gap between them, and a reader that puts a space
where there is a gap (as the PDF reader does: glyphs of one word touch) reads 'lavoroe'. Here
each word whose box comes closer to the next one than a fraction of the line's height is
narrowed on its right, by at most a quarter of its width, so that the gap is there again.
Only boxes change; the words, their order and their lines stay as Tesseract wrote them.
"""

from __future__ import annotations

import re
from pathlib import Path

# the least gap between two words, in units of the line's x_size (the height of a line's
# capitals and ascenders, in pixels): 0.15 of it is about 0.12 of the type size, the gap
# the PDF reader reads as a space
MIN_GAP = 0.15
MAX_SHRINK = 0.25  # never narrow a word by more than this share of its width

_LINE = re.compile(r"<span class='ocr_line'[^>]*title=\"([^\"]*)\"")
_WORD = re.compile(r"(<span class='ocrx_word'[^>]*title='bbox )(\d+) (\d+) (\d+) (\d+)")
_X_SIZE = re.compile(r"x_size ([\d.]+)")
_BBOX = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")


def separate_words(hocr: str) -> str:
    """The hOCR text with the words of each line kept apart by a gap (see the module)."""
    starts = [m.start() for m in _LINE.finditer(hocr)] + [len(hocr)]
    if len(starts) == 1:
        return hocr
    out = [hocr[: starts[0]]]
    for begin, end in zip(starts, starts[1:]):
        out.append(_separate_line(hocr[begin:end]))
    return "".join(out)


def _separate_line(line: str) -> str:
    title = _LINE.match(line)
    size = _X_SIZE.search(title.group(1)) if title else None
    if size:
        height = float(size.group(1))
    else:
        box = _BBOX.search(title.group(1)) if title else None
        height = float(int(box.group(4)) - int(box.group(2))) if box else 0.0
    gap = MIN_GAP * height
    words = list(_WORD.finditer(line))
    if len(words) < 2 or gap <= 0:
        return line
    rights = {}
    for this, after in zip(words, words[1:]):
        x0, x1, next_x0 = int(this.group(2)), int(this.group(4)), int(after.group(2))
        if next_x0 <= x0:  # not left to right (a line Tesseract turned): leave it
            continue
        short = gap - (next_x0 - x1)
        if short > 0:
            rights[this.start()] = max(x1 - round(short), x1 - int(MAX_SHRINK * (x1 - x0)))

    def narrowed(m: re.Match) -> str:
        right = rights.get(m.start())
        if right is None:
            return m.group(0)
        return f"{m.group(1)}{m.group(2)} {m.group(3)} {right} {m.group(5)}"

    return _WORD.sub(narrowed, line)


def separate_words_in_file(path: Path) -> None:
    """`separate_words` on an hOCR file, in place."""
    text = path.read_text(encoding="utf-8")
    fixed = separate_words(text)
    if fixed != text:
        path.write_text(fixed, encoding="utf-8")
