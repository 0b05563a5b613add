"""What several pages show: the SINTETICO mark, the Ente's short name, years and their
labels, percentages and sources as text, Markdown kept literal."""

from __future__ import annotations

import re
from decimal import Decimal

from ingest.italian import fmt_pct

from ..formats import SYNTHETIC
from ..workspace import Workspace, WorkspaceError

__all__ = ["SYNTHETIC", "ente_short", "md_escape", "pct_text", "source_text", "synthetic_years", "year_label"]


def synthetic_years(ws: Workspace, ente: str | None = None) -> set[int]:
    """Years whose numbers rest on a synthetic document (the scored report is synthetic)."""
    try:
        years = ws.years(ente)
    except WorkspaceError:
        return set()
    out = set()
    for year in years:
        try:
            if ws.view(year, ente).report.synthetic:
                out.add(year)
        except WorkspaceError:
            continue
    return out


def ente_short(ente: str) -> str:
    """'Camera di commercio di Forlì-Cesena' -> 'CCIAA di Forlì-Cesena' (fits the sidebar)."""
    return re.sub(r"^Camera di commercio[\w ,']*? di ", "CCIAA di ", ente, flags=re.IGNORECASE)


def year_label(year: int, synthetic: set[int]) -> str:
    return f"{year} ({SYNTHETIC})" if year in synthetic else str(year)


def pct_text(value: float | Decimal | None) -> str:
    return "—" if value is None else fmt_pct(Decimal(str(value)), 2)


def source_text(ref) -> str:
    return f"{ref.file}, {ref.label}" if ref is not None else ""


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>#|~$])")


def md_escape(text: str) -> str:
    """Text shown where Streamlit reads Markdown (st.table cells, labels) kept literal."""
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
