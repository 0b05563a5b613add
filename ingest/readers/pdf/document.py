"""The page loop: each page read once, running lines found over the document, then each
page's tables and text in reading order, tables continued from page to page."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ...errors import UnreadableFile
from ...model import Loc, TableLayout, UnassignedRow
from .. import ocr
from ..blocks import Block, Row
from .cells import PageTable, Vocabulary, continues_word, vocabulary
from .columns import Columns, header_cells
from .geometry import Line, PageContent, group_lines, page_content
from .lattice import Grid, lattice_tables
from .running import running_lines, without_running
from .text import body_size, text_blocks
from .words import word_tables


@dataclass
class _Page:
    content: PageContent
    grids: list[Grid]
    body: float = 0.0
    lattice: list[PageTable] = field(default_factory=list)


@dataclass
class _Open:
    """The table the previous page ended in."""

    header: tuple[str, ...] | None
    layout_index: int
    top: bool = True  # at the top of a page (where a repeated header may stand)
    open_words: dict[int, str] = field(default_factory=dict)  # of its last row (`PageTable.open_words`)


@dataclass
class _Document:
    blocks: list[Block] = field(default_factory=list)
    layouts: list[TableLayout] = field(default_factory=list)
    open: _Open | None = None
    first_row: tuple[str, ...] | None = None  # of the last table
    columns: Columns | None = None  # of the last table read from word positions
    vocab: Vocabulary | None = None


def read_document(pdf, name: str, progress, scanned_ok: bool):
    """(blocks, table layouts, scanned page numbers, characters seen) of an open pdfplumber PDF."""
    from ...tables.schema import is_table_header

    pages: list[_Page] = []
    scanned: list[int] = []
    chars = 0
    total = len(pdf.pages)
    for number, page in enumerate(pdf.pages, start=1):
        try:
            if not scanned_ok and ocr.is_scanned_page(page):
                scanned.append(number)  # read after OCR
                content, lattice = PageContent(number, float(page.width), float(page.height), []), []
            else:
                content = page_content(page, number)
                lattice = lattice_tables(page, content)
        except UnreadableFile:
            raise
        except Exception as exc:
            raise UnreadableFile(f"la pagina {number} del PDF è danneggiata ({type(exc).__name__})", path=name) from None
        chars += content.nchars
        pages.append(_Page(content, lattice, body_size(content.words)))
        page.close()
        if progress:
            progress(number, total)
    if scanned:
        return [], [], scanned, chars

    def band_is_header(band: list[Line]) -> bool:
        cells = header_cells(band)
        return len(cells) >= 2 and is_table_header([c.text for c in cells])

    vocab = vocabulary([p.content.words for p in pages])
    for p in pages:
        p.content.vocab = vocab
        # a header row drawn alone in cells (vertical rules, a rule under it) heads rows drawn
        # without them: the whole table is read from word positions
        p.lattice = [t for t in (g.read(vocab) for g in p.grids) if not _header_alone(t, is_table_header)]
        p.content.words = _free_words(p)
    running = running_lines([p.content for p in pages], band_is_header)
    doc = _Document(vocab=vocab)
    for p in pages:
        without_running(p.content, running.get(p.content.number, []))
        _page_blocks(doc, p, is_table_header)
    return doc.blocks, doc.layouts, scanned, chars


def _header_alone(table: PageTable, is_header) -> bool:
    return len(table.rows) == 1 and is_header([c for c in table.rows[0][1] if c])


def _free_words(page: _Page):
    """The page's words outside its drawn tables."""
    boxes = [(t.top - 1, t.bottom + 1, t.x0 - 1, t.x1 + 1) for t in page.lattice]
    if not boxes:
        return page.content.words
    return [
        w for w in page.content.words
        if not any(top <= w.yc <= bottom and x0 <= w.xc <= x1 for top, bottom, x0, x1 in boxes)
    ]


def _page_blocks(doc: _Document, page: _Page, is_header) -> None:
    content = page.content
    loc = Loc(page=content.number)
    lines = group_lines(content.words)
    found, text_lines, doc.columns = word_tables(content, lines, is_header, doc.columns, doc.open is not None)
    placed: list[tuple[float, int, object]] = [(t.top, 0, t) for t in page.lattice + found]
    placed += [(top, 1, block) for top, block in text_blocks(text_lines, page.body, loc)]
    placed.sort(key=lambda item: (round(item[0], 1), item[1]))
    continuing, doc.open = doc.open, None
    for index, (_, _, item) in enumerate(placed):
        if not isinstance(item, PageTable):
            doc.blocks.append(item)  # type: ignore[arg-type]
            continue
        if index == 0 and continuing is not None:
            _add_table(doc, item, content.number, continuing, is_header)
        elif item.continues and doc.layouts:  # the same table after a paragraph: same record
            _add_table(doc, item, content.number, _Open(doc.first_row, len(doc.layouts) - 1, top=False), is_header)
        else:
            _add_table(doc, item, content.number, None, is_header)
        if index == len(placed) - 1:  # the page ends in this table: it may go on
            doc.open = _Open(doc.first_row, len(doc.layouts) - 1, open_words=item.open_words)


def _add_table(doc: _Document, table: PageTable, page: int, continuing: _Open | None, is_header) -> None:
    """Emit a table's rows. At the top of a page that goes on with the previous page's table,
    a row that repeats the table's first row (its header, printed again on each page) is not
    data, and the layout record is the same table's."""
    loc = Loc(page=page)
    rows = list(table.rows)
    first = rows[0][1] if rows else None
    repeated = continuing is not None and continuing.top and first is not None and _same(first, continuing.header)
    if repeated:
        doc.blocks.append(Row(first, loc, repeated=True))  # type: ignore[arg-type]
        rows = rows[1:]
    elif continuing is not None and first is not None and is_header([c for c in first if c]):
        continuing = None  # another table starts at the top of the page
    if continuing is None:
        doc.first_row = first
    elif continuing.top and rows:
        rows[0] = (rows[0][0], _join_cut_words(doc, continuing, rows[0][1]))
    offset = len(table.rows) - len(rows)
    for k, (_, cells) in enumerate(rows):
        doc.blocks.append(Row(cells, loc, spanned=table.spanned.get(k + offset, ())))
    shift = 1 if repeated else 0
    unassigned = tuple(UnassignedRow(source=loc, row=n - shift, printed=text) for n, text in table.unassigned if n > shift)
    if continuing is not None and 0 <= continuing.layout_index < len(doc.layouts):
        old = doc.layouts[continuing.layout_index]
        doc.layouts[continuing.layout_index] = old.model_copy(update={
            "rows": old.rows + len(rows),
            "pages": tuple(sorted(set(old.pages) | {page})),
            "unassigned": old.unassigned + unassigned,
        })
        return
    doc.layouts.append(TableLayout(
        number=len(doc.layouts) + 1, source=loc, strategy=table.strategy, rows=len(rows),
        columns=table.columns, pages=(page,), unassigned=unassigned,
    ))


def _join_cut_words(doc: _Document, continuing: _Open, cells: tuple[str, ...]) -> tuple[str, ...]:
    """A word the page end cut in a cell of the previous page's last row goes on at the start
    of the same cell in the first row overleaf: its rest is moved back to it (the parser joins
    the two halves of the row with a space, as between two words)."""
    rows = (i for i in range(len(doc.blocks) - 1, -1, -1) if isinstance(doc.blocks[i], Row) and not doc.blocks[i].repeated)  # type: ignore[union-attr]
    last = next(rows, None)
    if last is None or not continuing.open_words:
        return cells
    before = doc.blocks[last]
    assert isinstance(before, Row)
    above, below = list(before.cells), list(cells)
    for column, word in continuing.open_words.items():
        if column >= min(len(above), len(below)) or not below[column] or not above[column].endswith(word):
            continue
        rest = below[column].split(" ", 1)
        if continues_word(word, rest[0], doc.vocab):
            above[column] += rest[0]
            below[column] = rest[1] if len(rest) > 1 else ""
    if above != list(before.cells):
        doc.blocks[last] = replace(before, cells=tuple(above))
    return tuple(below)


def _same(cells: tuple[str, ...], header: tuple[str, ...] | None) -> bool:
    if header is None:
        return False
    return [c for c in cells if c] == [c for c in header if c]
