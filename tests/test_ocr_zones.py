"""What Tesseract is given and what its hOCR becomes: the page cut into zones along its rulings
(a text line never crosses a cell border), and the words of a line kept apart."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.readers.ocr_hocr import MAX_SHRINK, MIN_GAP, separate_words
from ingest.readers.rulings import Ruling, find_rulings, zones

DPI = 200


def _table_rulings() -> list[Ruling]:
    """A table 1000x600 px at (100, 300): three columns, the first merged over both rows, the
    last open at the bottom (its sides run past the table's last rule, as a merged column does
    when the table goes on over the next page)."""
    return [
        Ruling("h", 300, 100, 1100), Ruling("h", 600, 400, 1100), Ruling("h", 900, 100, 800),
        Ruling("v", 100, 300, 900), Ruling("v", 400, 300, 900), Ruling("v", 800, 300, 1200),
        Ruling("v", 1100, 300, 1200),
    ]


def _covering(zs, x, y):
    return [z for z in zs if z[0] <= x < z[0] + z[2] and z[1] <= y < z[1] + z[3]]


def test_zones_are_the_cells_and_the_page_around_them_without_overlap():
    size = (1400, 1300)
    zs = zones(_table_rulings(), size, DPI)
    # each cell is one zone, bounded by its rules (within the rules' few pixels)
    for x, y, (left, top, right, bottom) in [
        (250, 600, (100, 300, 400, 900)),  # the merged cell
        (600, 450, (400, 300, 800, 600)), (600, 750, (400, 600, 800, 900)),
        (950, 450, (800, 300, 1100, 600)),
    ]:
        (zone,) = _covering(zs, x, y)
        assert abs(zone[0] - left) <= 4 and abs(zone[1] - top) <= 4
        assert abs(zone[0] + zone[2] - right) <= 4 and abs(zone[1] + zone[3] - bottom) <= 4
    # no point in two zones; every point off the rules in one (text beside, above, below the
    # table and in the open column is read too)
    for x in range(0, size[0], 37):
        for y in range(0, size[1], 41):
            on_rule = any(
                (r.axis == "h" and abs(y - r.pos) <= 4 and r.start - 10 <= x <= r.end + 10)
                or (r.axis == "v" and abs(x - r.pos) <= 4 and r.start - 10 <= y <= r.end + 10)
                for r in _table_rulings()
            )
            assert len(_covering(zs, x, y)) <= 1 if on_rule else len(_covering(zs, x, y)) == 1, (x, y)
    assert _covering(zs, 950, 1000) and _covering(zs, 950, 1000) != _covering(zs, 600, 1000)


def test_a_page_without_rulings_is_one_zone():
    assert zones([], (800, 600), DPI) == [(0, 0, 800, 600)]


def _hocr(words: list[tuple[str, int, int]], x_size: float = 20.0) -> str:
    spans = "".join(
        f"<span class='ocrx_word' id='w{i}' title='bbox {x0} 100 {x1} 117; x_wconf 96'>{t}</span>\n"
        for i, (t, x0, x1) in enumerate(words)
    )
    return (f"<div class='ocr_page'>\n<span class='ocr_line' id='l1' title=\"bbox 0 100 900 117; baseline 0 0; "
            f"x_size {x_size}; x_descenders 5; x_ascenders 5\">\n{spans}</span>\n</div>")


def _boxes(hocr: str) -> list[tuple[int, int]]:
    import re

    return [(int(a), int(b)) for a, b in re.findall(r"ocrx_word' id='\w+' title='bbox (\d+) 100 (\d+) 117", hocr)]


def test_touching_word_boxes_get_a_gap_back():
    words = [("mediazione", 208, 314), ("e", 315, 325), ("arbitrato", 341, 419)]
    boxes = _boxes(separate_words(_hocr(words)))
    assert boxes[0][0] == 208 and boxes[1][0] - boxes[0][1] >= MIN_GAP * 20  # 'mediazione' ends earlier
    assert boxes[1:] == [(315, 325), (341, 419)]  # 'e' had room after it: untouched


def test_a_word_is_never_narrowed_by_more_than_a_quarter():
    words = [("di", 100, 108), ("Faenza", 108, 170)]
    (first, second) = _boxes(separate_words(_hocr(words)))
    assert first == (100, 100 + round((1 - MAX_SHRINK) * 8)) and second == (108, 170)


@pytest.mark.parametrize("words", [[("uno", 100, 150), ("due", 160, 200)], [("solo", 100, 150)]])
def test_words_already_apart_are_left_alone(words):
    text = _hocr(words)
    assert separate_words(text) == text


_CELLS = [  # (left rule, top of the first line, lines): neighbouring cells set at different heights
    (100, 150, ("Consolidamento", "dei servizi", "di mediazione", "e arbitrato")),
    (420, 185, ("Percentuale di", "soddisfazione", "customer")),
    (740, 165, ("N. risposte", "positive", "customer")),
    (1060, 200, ("342 N. /", "344 N.")),
]
_PITCH = 70  # pixels from a line to the next


def _cells_at_different_heights() -> bytes:
    """A scanned table row whose cells' lines are set at different heights (each cell's text is
    centred on its own rows), as an image-only PDF at 200 dpi."""
    image = Image.new("L", (1654, 700), 250)
    draw = ImageDraw.Draw(image)
    for x in (100, 420, 740, 1060, 1380):
        draw.line([(x, 100), (x, 600)], fill=20, width=3)
    for y in (100, 600):
        draw.line([(100, y), (1380, y)], fill=20, width=3)
    font = ImageFont.load_default(size=30)
    for left, top, lines in _CELLS:
        for i, line in enumerate(lines):
            draw.text((left + 10, top + _PITCH * i), line, fill=15, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=DPI)
    return buffer.getvalue()


@pytest.mark.slow  # OCR
def test_lines_of_neighbouring_cells_are_read_at_their_own_height():
    """Read as one block, Tesseract makes lines of pieces of neighbouring cells ('ei servizi',
    'ai dazi') placed at a height none of them has; read by zones, each line is its own."""
    from ingest.readers.ocr import ocr_pdf

    with pdfplumber.open(io.BytesIO(ocr_pdf(_cells_at_different_heights(), "celle.pdf", [1]))) as pdf:
        lines = pdf.pages[0].extract_text_lines(return_chars=False)
    read = [(line["text"], line["top"] * DPI / 72) for line in lines]
    for _left, top, printed in _CELLS:
        for i, text in enumerate(printed):
            found = [y for t, y in read if text in t]
            assert found, (text, read)
            assert min(abs(y - (top + _PITCH * i)) for y in found) < _PITCH / 3, (text, read)


def test_the_grid_page_gives_a_zone_per_cell():
    from test_ocr_repairs import _grid_page

    grey, xs, ys = _grid_page()
    zs = zones(find_rulings(grey, DPI), grey.shape[::-1], DPI)
    for x0, x1 in zip(xs, xs[1:]):
        for y0, y1 in zip(ys, ys[1:]):
            (zone,) = _covering(zs, (x0 + x1) // 2, (y0 + y1) // 2)
            assert zone[2] < x1 - x0 + 8 and zone[3] < y1 - y0 + 8
