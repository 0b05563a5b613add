"""The file ocrmypdf wrote, made to read like a digital PDF before the PDF reader sees it.

* Rulings: each scanned page's table rulings (found in its image by the OCR plugin) are drawn
  back as thin vector strokes, where the reader finds them as it finds a digital table's borders.
* Type size: ocrmypdf writes the invisible words of a line in a font size equal to the height
  of the line's ink above the baseline (the capitals and ascenders: about 0.72 of the size the
  text was printed in), stretching each word horizontally to its width in the image. Every
  measure a reader takes in units of the type size (a word space, a row gap, a heading) would
  then be off by that factor: a word space of the scan looks as wide as a gap between two cells.
  The invisible text gets the printed size back (`Tf` times 1/0.72) and a horizontal scaling
  divided by the same factor (`Tz`), so that every glyph keeps its place and its width.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from .rulings import pdf_strokes

# the height of capitals and ascenders above the baseline, in ems, in the faces documents are
# usually set in (Arial, Helvetica, Liberation Sans, DejaVu Sans: 0.72-0.73; Times 0.66)
INK_HEIGHT_EM = 0.72
_INVISIBLE = 3  # text rendering mode of an OCR layer: neither filled nor stroked
_SHOW = {"Tj", "TJ", "'", '"'}  # the operators that show text


def finish(path: Path, rulings: dict, pages: set[int]) -> bytes:
    """The OCR'd file at `path` with `rulings` (0-based page -> (rulings, image size)) drawn and
    the invisible text of `pages` (0-based) set in its printed size."""
    with pikepdf.open(path) as pdf:
        for index in pages:
            _printed_size(pdf, pdf.pages[index])
        for index, (found, (width, height)) in rulings.items():
            page = pdf.pages[index]
            if not found or int(page.obj.get("/Rotate", 0)) % 360:
                continue  # a page turned by ocrmypdf: its image and its box do not share axes
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            strokes = pdf_strokes(found, (x1 - x0) / width, (y1 - y0) / height, y1 - y0)
            # the page's own drawing is wrapped in q/Q so that no state it leaves moves the strokes
            page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
            page.contents_add(pdf.make_stream(b"\nQ\nq 1 0 0 1 %.2f %.2f cm\n" % (x0, y0) + strokes + b"\nQ\n"))
        buffer = io.BytesIO()
        pdf.save(buffer)
    return buffer.getvalue()


def _printed_size(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """The page's invisible text, in its own content or in the forms it draws, in printed size."""
    for _name, xobject in list(page.resources.get("/XObject", {}).items()):
        if xobject.get("/Subtype") == "/Form":
            rewritten = rescale_invisible_text(pikepdf.parse_content_stream(xobject))
            if rewritten is not None:
                xobject.write(pikepdf.unparse_content_stream(rewritten))
    rewritten = rescale_invisible_text(pikepdf.parse_content_stream(page))
    if rewritten is not None:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(rewritten))


def _num(value: float) -> pikepdf.Object:
    return pikepdf.Object.parse(b"%.4f" % value)


def rescale_invisible_text(instructions, factor: float = 1 / INK_HEIGHT_EM) -> list | None:
    """The instructions with each invisible text object's font size times `factor` and its
    horizontal scaling divided by it (glyph places and widths unchanged); None when the stream
    has no invisible text. The scaling in force after such an object is put back as it was."""
    out: list = []
    block: list | None = None
    mode, scaling, stack = 0, 100.0, []
    changed = False
    for operands, operator in instructions:
        op = str(operator)
        if op == "q":
            stack.append((mode, scaling))
        elif op == "Q" and stack:
            mode, scaling = stack.pop()
        elif op == "Tr":
            mode = int(operands[0])
        elif op == "Tz":
            scaling = float(operands[0])
        if op == "BT":
            block, shown, entry_scaling = [], set(), scaling
        elif op in _SHOW and block is not None:
            shown.add(mode)
        if block is None:
            out.append(pikepdf.ContentStreamInstruction(operands, operator))
            continue
        block.append((operands, operator))
        if op != "ET":
            continue
        if shown == {_INVISIBLE}:  # all the text it shows is invisible: an OCR layer
            changed = True
            out.extend(_rescaled(block, factor, entry_scaling))
            out.append(pikepdf.ContentStreamInstruction([_num(scaling)], pikepdf.Operator("Tz")))
        else:
            out.extend(pikepdf.ContentStreamInstruction(a, o) for a, o in block)
        block = None
    return out if changed else None


def _rescaled(block: list, factor: float, scaling: float) -> list:
    """One text object: every `Tf` size times `factor`, every `Tz` divided by it (a `Tz` is
    added after a `Tf` that comes before any in the object)."""
    out = []
    for operands, operator in block:
        op = str(operator)
        if op == "Tz":
            scaling = float(operands[0])
            operands = [_num(scaling / factor)]
        out.append(pikepdf.ContentStreamInstruction(operands, operator))
        if op == "Tf":
            out[-1] = pikepdf.ContentStreamInstruction([operands[0], _num(float(operands[1]) * factor)], operator)
            out.append(pikepdf.ContentStreamInstruction([_num(scaling / factor)], pikepdf.Operator("Tz")))
    return out
