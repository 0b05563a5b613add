"""A zoo of layouts of the corpus Relazione, to test the readers on what Camere really publish.

The corpus text (corpus/relazione-performance-2019-ravenna.txt) is read by the product's own
readers (scripts/layout_document.py) and printed again in other layouts: HTML with its CSS
printed to PDF by Debian's Chromium (`--print-to-pdf`), a Word file built with python-docx
(scripts/layout_docx.py) and that file exported to PDF by LibreOffice (`soffice --headless
--convert-to pdf`, Debian's libreoffice-writer-nogui).

    .venv/bin/python scripts/make_layouts.py OUT_DIR [--only NAME ...] [--held-out] [--variety N --seed S]

The layouts the tests read are in LAYOUTS; --held-out makes instead the few kept apart for an
honest measure on layouts the reader was not developed against (HELD_OUT: never tune on them);
--variety N --seed S draws N layouts at random from the ways Camere print tables
(scripts/layout_variety.py), to score the same way.
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from layout_document import CANONICAL, Document, Paragraph, Table, heading_rows, load, merged_rows  # noqa: E402

CORPUS = ROOT / "corpus" / "relazione-performance-2019-ravenna.txt"
CHROMIUM = "/usr/bin/chromium"
RUNNING = "Camera di commercio di Ravenna – Relazione sulla performance 2019"


@dataclass(frozen=True)
class Style:
    """How one layout prints the document."""

    css: str  # the table and page CSS
    performance: str = "as_printed"  # as_printed | headings | merged
    order: tuple[str, ...] = CANONICAL
    landscape_tables: bool = False  # narrative in portrait, wide tables on landscape pages
    running: bool = False  # running header and footer (report title, 'pag. N di M')
    repeat_header: bool = True  # header rows repeated on each page (thead)
    headers: tuple[tuple[str, str], ...] = ()  # header wording by role, other than the corpus's
    rotate: bool = False  # landscape pages stored as portrait pages turned by /Rotate


BASE = (
    "body{font-family:'Liberation Sans',Arial,sans-serif;font-size:9pt}"
    " table{border-collapse:collapse;width:100%;margin:6pt 0 10pt}"
    " td,th{vertical-align:top;text-align:left;padding:2pt 3pt} th{font-weight:bold}"
)
RUNNING_CSS = (
    "@page{@top-center{content:'" + RUNNING + "';font-size:7pt;font-family:'Liberation Sans'}"
    "@bottom-right{content:'pag. ' counter(page) ' di ' counter(pages);font-size:7pt;font-family:'Liberation Sans'}}"
)

LAYOUTS: dict[str, Style] = {
    # portrait, horizontal rules only, objectives as heading rows, narrow number columns
    "portrait-rules": Style(
        "@page{size:A4 portrait;margin:16mm 10mm} body{font-size:7pt} td,th{border-bottom:0.6pt solid #444}"
        " td.v{width:34pt;overflow-wrap:anywhere}",
        performance="headings", running=True,
    ),
    # landscape, no rules and no shading, rows as the text prints them
    "landscape-plain": Style("@page{size:A4 landscape;margin:14mm} body{font-size:8pt} td,th{padding:3pt 4pt}"),
    # Word-style full grid, objectives merged over their indicators, header repeated on each page
    "merged-grid": Style(
        "@page{size:A4 landscape;margin:12mm} body{font-size:7.5pt} td,th{border:0.5pt solid #000;vertical-align:middle}"
        " th{background:#e8e8e8}",
        performance="merged",
    ),
    # merged objective cells with rules between rows only (no vertical rules)
    "merged-rules": Style(
        "@page{size:A4 landscape;margin:12mm} body{font-size:7.5pt} td,th{border-top:0.5pt solid #333;border-bottom:0.5pt solid #333;vertical-align:middle}",
        performance="merged",
    ),
    # narrative on portrait pages, tables on landscape pages, running header and footer
    "mixed-orientation": Style(
        "@page{size:A4 portrait;margin:18mm 12mm} @page wide{size:A4 landscape;margin:14mm 12mm} body{font-size:8pt}"
        " div.wide{page:wide} td,th{border:0.4pt solid #777} tr:nth-child(even) td{background:#f0f0f0}",
        performance="headings", landscape_tables=True, running=True,
    ),
}

HELD_OUT: dict[str, Style] = {
    # other column order (target before the measures), serif type, shaded header, full grid
    "heldout-order-serif": Style(
        "@page{size:A4 landscape;margin:12mm} body{font-family:'Liberation Serif',serif;font-size:8.5pt}"
        " td,th{border:0.5pt solid #000} th{background:#d9e2f3}",
        performance="headings",
        order=("name", "weight", "kpi", "descr", "algorithm", "target", "measures", "actual"),
    ),
    # vertical rules only, small type, narrow page, running lines
    "heldout-small-vrules": Style(
        "@page{size:A4 portrait;margin:10mm 8mm} body{font-size:6.5pt} td,th{border-left:0.4pt solid #000;border-right:0.4pt solid #000;padding:1.5pt 2pt}",
        performance="headings", running=True,
    ),
}


def render_html(doc: Document, style: Style) -> str:
    parts = [f"<!doctype html><html lang='it'><head><meta charset='utf-8'><title>{html.escape(doc.title)}</title>"]
    parts.append(f"<style>{BASE} {RUNNING_CSS if style.running else ''} {style.css}</style></head><body>")
    for item in doc.items:
        if isinstance(item, Paragraph):
            parts.append(_paragraph(item))
        else:
            parts.append(_table(doc, item, style))
    parts.append("</body></html>")
    return "\n".join(parts)


def _paragraph(p: Paragraph) -> str:
    text = html.escape(p.text)
    if p.kind == "heading":
        level = min(max(p.level, 1), 4)
        return f"<h{level}>{text}</h{level}>"
    if p.kind == "bold":
        return f"<p><b>{text}</b></p>"
    if p.kind == "caption":
        return f"<p><i>{text}</i></p>"
    if p.kind == "item":
        return f"<ul><li>{text}</li></ul>"
    return f"<p>{text}</p>"


def _table(doc: Document, table: Table, style: Style) -> str:
    if table.section and style.performance == "headings":
        body = _heading_table(doc, table, style)
    elif table.section and style.performance == "merged":
        body = _merged_table(doc, table, style)
    else:
        body = _printed_table(table, style)
    wide = style.landscape_tables and max(len(r) for r in table.rows) >= 6
    return f"<div class='wide'>{body}</div>" if wide else body


def _cell(text: str, tag: str = "td", extra: str = "") -> str:
    # the text's '**' pairs (EC27's algorithm) are bold type in a printed Relazione, as in the
    # corpus PDF: not printed as asterisks
    return f"<{tag}{extra}>{html.escape(text.replace('**', ''))}</{tag}>"


def _head(cells: list[str], style: Style) -> str:
    row = "<tr>" + "".join(_cell(c, "th") for c in cells) + "</tr>"
    return f"<thead>{row}</thead>" if style.repeat_header else row


def _printed_table(table: Table, style: Style) -> str:
    width = max(len(r) for r in table.rows)
    rows = [r + [""] * (width - len(r)) for r in table.rows]
    out = ["<table>", _head(rows[0], style), "<tbody>"]
    for row in rows[1:]:
        out.append("<tr>" + "".join(_cell(c) for c in row) + "</tr>")
    return "".join(out + ["</tbody></table>"])


def _value_class(role: str) -> str:
    return " class='v'" if role in ("measures", "actual", "target") else ""


def _heading_table(doc: Document, table: Table, style: Style) -> str:
    rows = heading_rows(doc.report, table, style.order, dict(style.headers))
    width = len(rows[0][1])
    out = ["<table>", _head(rows[0][1], style), "<tbody>"]
    for kind, cells in rows[1:]:
        if kind == "heading":
            title, weight = cells
            out.append(f"<tr><td colspan='{width - 1}'><b>{html.escape(title)}</b></td>{_cell(weight)}</tr>")
        else:
            roles = list(style.order) + ["objective_weight"]
            out.append("<tr>" + "".join(_cell(c, extra=_value_class(r)) for c, r in zip(cells, roles)) + "</tr>")
    return "".join(out + ["</tbody></table>"])


def _merged_table(doc: Document, table: Table, style: Style) -> str:
    header, rows = merged_rows(doc.report, table, style.order, dict(style.headers))
    out = ["<table>", _head(header, style), "<tbody>"]
    for row in rows:
        cells = []
        for text, span in row:
            if span == 0:
                continue
            extra = f" rowspan='{span}'" if span > 1 else ""
            cells.append(_cell(text, extra=extra))
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(out + ["</tbody></table>"])


def print_pdf(html_path: Path, pdf_path: Path) -> None:
    """HTML to PDF through headless Chromium."""
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} manca: installa il pacchetto Debian chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}", html_path.as_uri()],
            check=True, capture_output=True, timeout=180,
        )


def export_pdf(docx_path: Path, out_dir: Path) -> Path:
    """A Word file to PDF through LibreOffice (its own profile, so that runs do not collide)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("soffice manca: installa il pacchetto Debian libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--convert-to", "pdf",
             "--outdir", str(out_dir), str(docx_path)],
            check=True, capture_output=True, timeout=300,
        )
    return out_dir / (docx_path.stem + ".pdf")


def make(
    out_dir: Path, names: list[str] | None = None, held_out: bool = False, variety: tuple[int, int] | None = None
) -> list[Path]:
    """Write the layouts (all, or `names`) into `out_dir`; returns the files written. With
    `variety` (count, seed), that many layouts drawn at random instead (layout_variety.py)."""
    from layout_docx import DOCX_LAYOUTS, write_docx
    from layout_variety import turn_landscape_pages, variety as draw

    out_dir.mkdir(parents=True, exist_ok=True)
    doc = load(CORPUS)
    styles: dict[str, Style] = HELD_OUT if held_out else LAYOUTS
    docx_styles = {k: v for k, v in DOCX_LAYOUTS.items() if k.startswith("heldout") == held_out}
    if variety is not None:
        styles, docx_styles = draw(variety[1], variety[0], Style), {}  # type: ignore[assignment]
    written: list[Path] = []
    for name, style in styles.items():
        if names and name not in names:
            continue
        html_path = out_dir / f"{name}.html"
        html_path.write_text(render_html(doc, style), encoding="utf-8")
        pdf_path = out_dir / f"{name}.pdf"
        print_pdf(html_path, pdf_path)
        html_path.unlink()
        if style.rotate:
            turn_landscape_pages(pdf_path)
        written.append(pdf_path)
    for name, docx_style in docx_styles.items():
        if names and name not in names and f"{name}-libreoffice" not in names:
            continue
        docx_path = out_dir / f"{name}.docx"
        write_docx(doc, docx_style, docx_path)
        written.append(docx_path)
        exported = export_pdf(docx_path, out_dir)
        written.append(exported.rename(out_dir / f"{name}-libreoffice.pdf"))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--held-out", action="store_true")
    parser.add_argument("--variety", type=int, default=None, metavar="N", help="N layouts drawn at random")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    variety = (args.variety, args.seed) if args.variety else None
    for path in make(args.out_dir, args.only, args.held_out, variety):
        print(path)


if __name__ == "__main__":
    main()
