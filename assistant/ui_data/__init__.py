"""What the Streamlit pages show, shaped without Streamlit.

The pages (`streamlit_app.py`, `app_pages/`) hold widgets and session state only; every
table, chart series, label, file and message they display is built here from the
workspace's typed records, so that it can be tested without a browser. Numbers are written
the Italian way (`ingest.italian`): 1.838.556 €, 92,15%, +7,8%.

One module per page (`documents`, `indicators`, `comparison`, `chat`, `drafts`) and what
several share (`common`); what the command line writes too lives in `assistant.formats`
and `assistant.chapters`. The pages reach all of it as `ui_data.<name>`.
"""

from __future__ import annotations

from ..chapters import docx_available, markdown_to_docx
from ..formats import SYNTHETIC, error_message, indicator_csv, ingest_summary, quantity_text
from .chat import (
    FINDINGS_BADGE,
    SCANNED_BADGE,
    answer_body,
    chart_axis_title,
    chart_rows,
    findings_warning,
    ref_marker,
    scan_warning,
    source_lines,
    verification_note,
    warning_badges,
    warning_lines,
)
from .common import ente_short, md_escape, pct_text, source_text, synthetic_years, year_label
from .comparison import (
    GROUP_NAMES,
    GROUPS,
    AreaPoint,
    FinancialPoint,
    FinancialSeries,
    area_chart_rows,
    area_points,
    area_points_for,
    area_table,
    chart_components,
    chart_flows,
    chart_results,
    eur_text,
    financial_series,
    financial_series_for,
    financial_sources,
    financial_values_table,
    financial_yoy_table,
    pct_change,
    signed_pct_text,
)
from .documents import (
    KIND_LABELS,
    UPLOAD_TYPES,
    ProgressLog,
    StageEvent,
    conflict_lines,
    document_label,
    documents_table,
    uploader_css,
    versions_table,
)
from .drafts import (
    ALL_SECTIONS,
    SECTION_LABELS,
    chapter_name,
    export_zip,
    highlight_unverified,
    with_warning,
    zip_files,
)
from .indicators import (
    BAND_BACKGROUNDS,
    BAND_COLORS,
    FINDING_LABELS,
    LEVEL_LABELS,
    OPERATORS,
    SEVERITY_BACKGROUNDS,
    SEVERITY_LABELS,
    TREE_ITEM,
    AreaBlock,
    band_badge,
    band_css,
    band_label,
    band_legend,
    findings_table,
    indicator_csv_bytes,
    indicator_summary,
    severity_css,
    target_text,
    tree_blocks,
)

__all__ = [
    "ALL_SECTIONS", "AreaBlock", "AreaPoint", "BAND_BACKGROUNDS", "BAND_COLORS", "FINDINGS_BADGE", "FINDING_LABELS",
    "FinancialPoint", "FinancialSeries", "GROUPS", "GROUP_NAMES", "KIND_LABELS", "LEVEL_LABELS", "OPERATORS",
    "ProgressLog", "SCANNED_BADGE", "SECTION_LABELS", "SEVERITY_BACKGROUNDS", "SEVERITY_LABELS", "SYNTHETIC",
    "StageEvent", "TREE_ITEM", "UPLOAD_TYPES", "answer_body", "area_chart_rows", "chart_axis_title", "chart_rows", "area_points", "area_points_for",
    "area_table", "band_badge", "band_css", "band_label", "band_legend", "chapter_name", "chart_components",
    "chart_flows", "chart_results", "conflict_lines", "document_label", "documents_table", "docx_available", "ente_short",
    "error_message", "eur_text", "export_zip", "financial_series", "financial_series_for", "financial_sources",
    "financial_values_table", "financial_yoy_table", "findings_table", "findings_warning", "highlight_unverified",
    "indicator_csv", "indicator_csv_bytes", "indicator_summary", "ingest_summary", "markdown_to_docx", "md_escape",
    "pct_change", "pct_text", "quantity_text", "ref_marker", "scan_warning", "severity_css", "signed_pct_text",
    "source_lines", "source_text", "synthetic_years", "target_text", "tree_blocks", "uploader_css", "versions_table",
    "verification_note", "warning_badges", "warning_lines", "with_warning", "year_label", "zip_files",
]
