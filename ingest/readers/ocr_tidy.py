"""The text of OCR'd pages cleared of what a scan adds and print never has.

Dust and noise on a scan come back from Tesseract as stray marks: a lone '.', ':', '‘' or
'—' between words, an opening quote glued to a word, a point after a lowercase word in the
middle of a table cell. Spacing around '/' is lost or halved ('netto/ Immob'), and a '/'
between words can come back as 'I' or '|'. These are undone on the pages read by OCR only;
the words themselves are left as read (a misread word stays a misread word, and the numbers
are `ingest.ocr_numbers`' business).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .blocks import Block, BlockStream, Row, Text
from .ocr_codes import restore_codes

_LONE_MARK = re.compile(r"(?<!\S)[.,:;‘’'`_|—~•·»«]+(?!\S)")  # a token made of marks only ('-' and '–' are kept: they separate)
_OPENING_QUOTE = re.compile(r"(?<!\S)[‘`'](?=[A-Za-zÀ-ÿ]{2,})(?![^\s]*[’'])")
# 'digitalizzazione I Risorse', 'economici IN. risposte', 'strutturali) ! Proventi'
_LETTER_SLASH = re.compile(r"(?<=[a-zà-ù)]) (?:[I|!] (?=[A-Za-zÀ-ÿ])|I(?=N\. ))")
# 'efficienza. dei', 'dello: sviluppo', '(progetto 20%). in' (not 'art. 67', 'N. imprese')
_POINT_IN_CELL = re.compile(r"(?:(?<=[a-zà-ù]{3})|(?<=\)))[.:](?= [a-zà-ù])")
_GLUED_POINT = re.compile(r"(?<=[a-zà-ù]{3})\.(?=[a-zà-ù]{3})")  # 'Progetti.realizzati'
_GLUED_DASH = re.compile(r"(?<!\S)—(?=\S)")
_TRAILING_POINT = re.compile(r"(?<=[a-zà-ù]{3})\s?\.$")  # a cell ending 'mentor.'
_WORD_DIGIT = re.compile(r"(?<=[a-zà-ù]{3})(?=\d)")  # 'Area1-Competitività': no Italian word ends in a digit
_UNDERSCORE = re.compile(r"(?<=\w)_(?=\s)|(?<=\s)_(?=\w)")


def tidy_text(text: str) -> str:
    """A paragraph or heading: stray marks and glued opening quotes removed."""
    text = _OPENING_QUOTE.sub("", text)
    text = _LONE_MARK.sub(" ", text)
    text = _UNDERSCORE.sub("", text)
    return " ".join(text.split())


def tidy_cell(text: str) -> str:
    """A table cell: as `tidy_text`, and the spacing of '/' between words made even, a '/' read
    as 'I' or '|' between lowercase words, points after lowercase words inside the cell."""
    if not text:
        return text
    text = tidy_text(text)
    text = _LETTER_SLASH.sub(" / ", text)
    text = _WORD_DIGIT.sub(" ", text)
    text = _POINT_IN_CELL.sub("", text)
    text = _GLUED_DASH.sub("", text)
    text = " ".join(_GLUED_POINT.sub(" ", w) if _plain_word(w) else w for w in text.split(" "))
    text = _TRAILING_POINT.sub("", text)
    return _even_slashes(text)


def _plain_word(token: str) -> bool:
    """Not an address ('www.ra.camcom.gov.it', 'info@...'), where points belong."""
    return "@" not in token and token.count(".") <= 1 and not token.lower().startswith(("www", "http"))


def _even_slashes(text: str) -> str:
    """'netto/ Immob', 'netto /Immob', 'positivo /.N.' -> 'netto / Immob', 'positivo / N.';
    'iniziative/progetti' (no space on either side) stays."""
    text = re.sub(r"/[.,:;](?=\s*[A-Za-zÀ-ÿ])", "/ ", text)
    return re.sub(r"(?<=\S)\s*/\s*(?=\S)", lambda m: " / " if " " in m.group(0) else m.group(0), text)


def tidy_stream(stream: BlockStream, pages: tuple[int, ...]) -> BlockStream:
    """The stream with the blocks of `pages` (read by OCR) tidied, and the objective codes OCR
    garbled there given back from the document's other mentions (`ocr_codes`)."""
    wanted = set(pages)
    blocks: list[Block] = []
    for block in stream.blocks:
        if block.loc.page not in wanted:
            blocks.append(block)
        elif isinstance(block, Row):
            blocks.append(replace(block, cells=tuple(tidy_cell(c) for c in block.cells)))
        elif isinstance(block, Text):
            text = tidy_text(block.text)
            if text:
                blocks.append(replace(block, text=text))
    return restore_codes(replace(stream, blocks=tuple(blocks)), wanted)
