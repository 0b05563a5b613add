"""Chapters as files: the name of a chapter's file, the warning an unverified text carries
at its top (never exported silently), and the .docx through pandoc when it is available.
Used by `relazione export`, by `Assistant.export` and by the app's downloads."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

UNVERIFIED_WARNING = "> ATTENZIONE: questa bozza contiene numeri non verificati: "


def slug(title: str) -> str:
    """'2.1 Il contesto esterno' -> '2-1-il-contesto-esterno' (a file name; 'bozza' if empty)."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "bozza"


def with_unverified_warning(markdown: str, verified: bool, problems: list[str]) -> str:
    """The text as written to a file: an unverified one says so, and why, on top."""
    if verified:
        return markdown
    return UNVERIFIED_WARNING + "; ".join(problems) + "\n\n" + markdown


def docx_available() -> bool:
    """Whether pandoc (the pypandoc_binary package) can be used; pypandoc is imported only here."""
    try:
        import pypandoc

        pypandoc.get_pandoc_version()
    except (ImportError, OSError):
        return False
    return True


def to_docx(markdown_path: Path) -> Path | None:
    """Markdown file -> .docx next to it through pandoc, or None when pandoc is unavailable."""
    if not docx_available():
        return None
    import pypandoc

    target = markdown_path.with_suffix(".docx")
    pypandoc.convert_file(str(markdown_path), "docx", format="markdown", outputfile=str(target))
    return target


def markdown_to_docx(markdown: str, name: str) -> bytes | None:
    """The .docx of a Markdown text (None when pandoc is unavailable)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.md"
        path.write_text(markdown, encoding="utf-8")
        converted = to_docx(path)
        return converted.read_bytes() if converted is not None else None
