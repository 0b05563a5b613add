"""Numbers read by OCR are doubtful: the checks say so where a scanned page is involved.

The numbers of a scan are checked like any others, against what the document itself implies
(`checks`: weights summing to 100, CONSUNTIVO against VALORI MISURE under the algorithm, the
achievements printed in the overview; `totals`: totals and ratios; the table parser: Italian
number format, a row whose numbers cannot be read is a finding, never a silent drop). On a
scanned page a failing check is first of all a possible misreading: its finding says so, with
its page. One more finding names the pages read by OCR, so that the list of findings always
shows that the document's numbers come from a scan.
"""

from __future__ import annotations

from .model import Finding, FindingKind, Loc, Report, Severity

SCAN_NOTE = "Pagina letta da scansione (OCR): può essere un errore di lettura, da verificare sull'originale."


def on_scanned_page(report: Report, loc: Loc | None) -> bool:
    return loc is not None and loc.line is None and loc.page is not None and loc.page in report.ocr_pages


def mark_scanned(report: Report, findings: list[Finding]) -> list[Finding]:
    """`findings` with the scan note on those printed on a scanned page, plus the OCR finding."""
    if not report.ocr_pages:
        return findings
    out = [
        f.model_copy(update={"message": f"{f.message} {SCAN_NOTE}"}) if on_scanned_page(report, f.source) else f
        for f in findings
    ]
    out.append(
        Finding(
            kind=FindingKind.read_by_ocr,
            severity=Severity.info,
            message=(
                f"Il documento è una scansione: {_pages(report.ocr_pages)} lett{'a' if len(report.ocr_pages) == 1 else 'e'} "
                "con l'OCR. Ogni numero di queste pagine è da verificare sull'originale."
            ),
            source=Loc(page=report.ocr_pages[0]),
        )
    )
    return out


def _pages(pages: tuple[int, ...]) -> str:
    """'pagina 3', 'pagine 1-27', 'pagine 2, 5-7'."""
    spans: list[list[int]] = []
    for p in sorted(pages):
        if spans and p == spans[-1][1] + 1:
            spans[-1][1] = p
        else:
            spans.append([p, p])
    text = ", ".join(f"{a}-{b}" if b > a else str(a) for a, b in spans)
    return f"pagina {text}" if len(pages) == 1 else f"pagine {text}"
