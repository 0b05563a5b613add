"""The chat: an answer's body with its footnote marks, its sources, the verification note
and the badges and lines of the numbers to check."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from .common import md_escape

if TYPE_CHECKING:
    from ..chat import Answer
    from ..handlers.base import Chart
    from ..writer import NumberWarning


_REF_RE = re.compile(r"\[\^([\w.-]+)\]")


_SUPERSCRIPT = str.maketrans("0123456789p", "⁰¹²³⁴⁵⁶⁷⁸⁹ᵖ")


def ref_marker(label: str) -> str:
    """'3' -> '⁽³⁾', 'p1' -> '⁽ᵖ¹⁾': plain text (no HTML), read as a footnote mark."""
    if re.fullmatch(r"p?\d+", label):
        return "⁽" + label.translate(_SUPERSCRIPT) + "⁾"
    return f" [{label}]"


def answer_body(markdown: str) -> str:
    """An answer's body for display: the footnote references `[^3]`, which Streamlit would
    print as they are, become superscript marks that the sources expander explains; a '$'
    (a language model may write one) is escaped so that it is not read as LaTeX."""
    return _REF_RE.sub(lambda m: ref_marker(m.group(1)), markdown).replace("$", "\\$")


def source_lines(sources) -> list[str]:
    """One Markdown line per footnote of an answer or draft: label, where, and what."""
    lines = []
    for s in sources:
        kind = "dato" if s.kind == "dato" else "passaggio"
        text = md_escape(" ".join(s.text.split()))
        lines.append(f"**{ref_marker(s.label).strip()}** *{kind} – {md_escape(s.where)}*  \n{text}")
    return lines


def verification_note(answer: "Answer") -> str:
    if answer.verified:
        return "Ogni numero della risposta corrisponde a un dato dei documenti (fonte nella nota)."
    return "Numeri non verificati: " + ", ".join(answer.unverified_numbers)


SCANNED_BADGE = "numeri letti da scansione"
FINDINGS_BADGE = "numeri con rilievi aperti"


def warning_badges(warnings: Iterable["NumberWarning"]) -> list[str]:
    """The orange badges of an answer or a draft whose numbers need checking, one per kind."""
    kinds = {w.kind for w in warnings}
    badges = []
    if "scan" in kinds:
        badges.append(f":orange-badge[:material/document_scanner: {SCANNED_BADGE}]")
    if "finding" in kinds:
        badges.append(f":orange-badge[:material/report: {FINDINGS_BADGE}]")
    return badges


def warning_lines(warnings: Iterable["NumberWarning"]) -> list[str]:
    """One line per kind of doubt: the numbers read by OCR, those an open finding concerns."""
    items = list(warnings)
    lines = [line for line in (scan_warning(w for w in items if w.kind == "scan"),
                               findings_warning(w for w in items if w.kind == "finding")) if line]
    return lines


def scan_warning(warnings: Iterable["NumberWarning"]) -> str | None:
    """One line for the numbers of an answer or a draft read by OCR from a scan, or None."""
    items = [w for w in warnings if w.kind == "scan"]
    if not items:
        return None
    places = "; ".join(dict.fromkeys(md_escape(w.where) for w in items))
    what = "1 numero letto" if len(items) == 1 else f"{len(items)} numeri letti"
    return f"{what} da scansione (OCR), da verificare sull'originale: {places}."


def findings_warning(warnings: Iterable["NumberWarning"]) -> str | None:
    """One line for the numbers an open finding concerns (each finding once), or None."""
    items = [w for w in warnings if w.kind == "finding"]
    if not items:
        return None
    numbers = len({w.fact for w in items})
    details = "; ".join(dict.fromkeys(md_escape(f"{w.detail} ({w.where})") for w in items))
    what = "1 numero toccato" if numbers == 1 else f"{numbers} numeri toccati"
    return f"{what} da rilievi aperti, da verificare: {details}"


def chart_rows(chart: "Chart") -> list[dict[str, object]]:
    """Long-form rows of an answer's chart: item, series (a year, or ''), value and the value
    as the answer writes it (the tooltip); items keep the answer's order."""
    order = list(dict.fromkeys(b.item for b in chart.bars))
    return [{"voce": b.item, "serie": b.series or chart.title, "valore": float(b.value), "testo": b.text,
             "ordine": order.index(b.item)} for b in chart.bars]


def chart_axis_title(chart: "Chart") -> str:
    return "euro" if chart.unit == "€" else "%"
