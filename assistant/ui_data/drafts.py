"""The Bozze page: the sections to choose from, the unverified numbers in red, the file
names and downloads (.md, .docx, the .zip of every chapter)."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from ..chapters import with_unverified_warning
from ..drafts import ORDER, SECTIONS
from ..grounding import Verification, extract_numbers
from ..handlers.documents import chapter_file
from ..hygiene import escape_markup

if TYPE_CHECKING:
    from ..chat import Assistant


ALL_SECTIONS = "all"
SECTION_LABELS: dict[str, str] = {**{s: SECTIONS[s] for s in ORDER}, ALL_SECTIONS: "Tutte le sezioni (bozza completa)"}


_FOOTNOTE_LINE = re.compile(r"^\[\^[\w.-]+\]:")
_QUOTE_LINE = re.compile(r"^\s*>\s*«")
_NAME = re.compile(r"«([^«»]+)»")


def highlight_unverified(markdown: str, check: Verification) -> str:
    """The text with every number and place the verifier rejected marked in red (Streamlit Markdown).
    Numbers are found as the verifier finds them: not in quoted passages, not inside
    «names», not in the footnotes (which are left as they are)."""
    wanted = set(check.unmatched) | {w.strip() for w in check.wrong_references}
    places = set(check.bad_locations)
    out = []
    in_notes = False
    for line in markdown.split("\n"):
        in_notes = in_notes or bool(_FOOTNOTE_LINE.match(line))
        if in_notes or not (wanted or places) or _QUOTE_LINE.match(line):
            out.append(line)
            continue
        for place in places:
            line = re.sub(rf"\b{re.escape(place)}\b", f":red-background[**{place}**]", line)
        masked = _NAME.sub(lambda m: "«" + re.sub(r"\d", "#", m.group(1)) + "»", line)  # same length
        spans = [m for m in extract_numbers(masked) if m.text.strip() in wanted]
        for m in sorted(spans, key=lambda m: m.start, reverse=True):
            token = line[m.start:m.end]
            lead = token[: len(token) - len(token.lstrip())]
            line = line[: m.start] + f"{lead}:red-background[**{token.strip()}**]" + line[m.end:]
        out.append(line)
    return "\n".join(out)


def with_warning(markdown: str, check: Verification) -> str:
    """What is downloaded: an unverified text says so at the top (never exported silently)."""
    markdown = escape_markup(markdown)  # an edited draft: document text stays text
    return with_unverified_warning(markdown, check.verified, check.problems)


def chapter_name(section: str, title: str, year: int) -> str:
    """The chapter's file name without extension (the app adds .md, .docx)."""
    return chapter_file(section, title, year).removesuffix(".md")


def zip_files(paths: Iterable[Path], folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in paths:
            zf.write(p, f"{folder}/{p.name}")
    return buffer.getvalue()


def export_zip(
    assistant: "Assistant", year: int | None, docx: bool = True, ente: str | None = None
) -> tuple[str, bytes]:
    """Every chapter of the year as .md (and .docx where pandoc works), zipped: the same
    files `relazione export` writes. Returns (file name, bytes)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = assistant.export(year, Path(tmp), ente=ente, docx=docx)
        year = year or assistant.default_year(ente)
        folder = f"relazione-{year}-capitoli"
        return f"{folder}.zip", zip_files(paths, folder)
