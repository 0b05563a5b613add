"""Layouts of the corpus Relazione drawn at random (with a seed) from the ways Camere print their
tables: type faces and sizes, portrait or landscape pages (landscape pages possibly stored as
turned portrait pages), full grids, rules between rows, vertical rules only, no rules, shaded
rows or headers, objectives as heading rows or merged cells, value columns in any order and
header wording, narrow value columns, headers repeated on each page or not, running lines.

Never tune the reader on one of these: they stand for the layouts nobody has seen yet. Used by
scripts/make_layouts.py --variety N --seed S.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from layout_document import CANONICAL

FONTS = ("'Liberation Sans'", "'Liberation Serif'", "'DejaVu Sans'", "'Liberation Sans Narrow'", "'Nimbus Roman'")
BORDERS = {
    "grid": "td,th{border:0.5pt solid #000}",
    "rows": "td,th{border-bottom:0.5pt solid #444}",
    "rows-both": "td,th{border-top:0.4pt solid #333;border-bottom:0.4pt solid #333}",
    "vrules": "td,th{border-left:0.4pt solid #000;border-right:0.4pt solid #000}",
    "none": "",
    "zebra": "tbody tr:nth-child(even) td{background:#e4e4e4}",
    "box": "table{border:0.8pt solid #000} td,th{border-bottom:0.3pt dotted #666}",
}
HEADER_LOOKS = ("", "th{background:#d9e2f3}", "th{background:#404040;color:#fff}", "th{border-bottom:1.2pt solid #000}")
WORDING = {  # header wordings Relazioni use, by column role
    "weight": ("PESO", "Peso", "Peso %"),
    "kpi": ("CODICE", "Codice KPI", "KPI"),
    "name": ("INDICATORE", "Indicatore", "Indicatori di performance"),
    "descr": ("DESCRIZIONE", "Descrizione"),
    "algorithm": ("ALGORITMO", "Algoritmo di calcolo", "Formula"),
    "measures": ("VALORI MISURE", "Misure", "Valori delle misure"),
    "actual": ("CONSUNTIVO", "Consuntivo 2019", "Valore raggiunto"),
    "target": ("TARGET", "Target 2019", "Valore atteso"),
}


def variety(seed: int, count: int, style: Callable[..., object]) -> dict[str, object]:
    """`count` layouts drawn with `seed`, by name ('variety-<seed>-<n>'); `style` builds one
    (make_layouts.Style)."""
    rng = random.Random(seed)
    out: dict[str, object] = {}
    for n in range(1, count + 1):
        landscape = rng.random() < 0.5
        size = rng.choice((6.5, 7.0, 7.5, 8.0, 8.5, 9.0))
        borders = rng.choice(sorted(BORDERS))
        css = (
            f"@page{{size:A4 {'landscape' if landscape else 'portrait'};margin:{rng.choice((10, 12, 15, 18))}mm}}"
            f" body{{font-family:{rng.choice(FONTS)};font-size:{size}pt}}"
            f" td,th{{padding:{rng.choice(('1.5pt 2pt', '2pt 3pt', '3pt 4pt'))};vertical-align:{rng.choice(('top', 'middle'))}}}"
            f" {BORDERS[borders]} {rng.choice(HEADER_LOOKS)}"
        )
        if rng.random() < 0.3:
            css += f" td.v{{width:{rng.choice((30, 34, 40))}pt;overflow-wrap:anywhere}}"
        order = list(CANONICAL)
        if rng.random() < 0.5:
            rng.shuffle(order)
        out[f"variety-{seed}-{n}"] = style(
            css,
            performance=rng.choice(("as_printed", "headings", "merged")),
            order=tuple(order),
            landscape_tables=not landscape and rng.random() < 0.4,
            running=rng.random() < 0.5,
            repeat_header=rng.random() < 0.7,
            headers=tuple((role, rng.choice(words)) for role, words in WORDING.items()),
            rotate=rng.random() < 0.3,
        )
    return out


def turn_landscape_pages(pdf_path: Path) -> None:
    """Store each landscape page as a portrait page whose content is drawn turned, with /Rotate
    90 so that a viewer shows it as before (as scanners and some exporters write them)."""
    import pikepdf

    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            width, height = x1 - x0, y1 - y0
            if width <= height:
                continue
            page.contents_add(pdf.make_stream(f"q 0 1 -1 0 {height:.2f} 0 cm".encode()), prepend=True)
            page.contents_add(pdf.make_stream(b"Q"))
            page.mediabox = pikepdf.Array([0, 0, height, width])
            if "/CropBox" in page.obj:
                del page.obj["/CropBox"]
            page.obj["/Rotate"] = 90
        pdf.save(pdf_path)
