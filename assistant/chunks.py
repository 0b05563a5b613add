"""Retrieval chunks: narrative paragraphs grouped within one section, never across sections.

Tables stay in the structured store; each table gets a one-line caption chunk so that a
question about it finds where it is. Every chunk carries its document's metadata.

A chunk is sized for the embedding model: all-MiniLM-L6-v2 reads at most 256 word pieces
and silently drops the rest, and Italian text averages about 2.8 characters per word piece
with its (English) vocabulary, so about 700 characters fit. Paragraphs are grouped up to
that size, and a longer paragraph is split at sentence boundaries (each piece keeps the
paragraph's line or page), so that no text is invisible to the dense search.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from ingest.model import Loc, Paragraph, Report

MAX_CHARS = 700  # a chunk grows paragraph by paragraph up to this size (see the module doc)


class Chunk(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str  # '<document_id>:<ordinal>'
    document_id: str
    ordinal: int
    text: str
    ente: str
    year: int
    kind: str
    section_number: str | None
    section_title: str
    section_path: tuple[str, ...]
    line: int | None = None
    page: int | None = None
    # the citation of where the chunk starts ('riga 97', 'pag. 3', in a Word file 'paragrafo
    # 12 (3 Obiettivi › 3.1 Strategici)'); None in chunks stored before it was kept
    place: str | None = None
    source_file: str
    sha256: str
    is_table_caption: bool = False

    def metadata(self) -> dict[str, str | int | bool]:
        """Flat metadata for Chroma (no None values)."""
        meta: dict[str, str | int | bool] = {
            "document_id": self.document_id,
            "ordinal": self.ordinal,
            "ente": self.ente,
            "year": self.year,
            "kind": self.kind,
            "section_number": self.section_number or "",
            "section_title": self.section_title,
            "section_path": " > ".join(self.section_path),
            "source_file": self.source_file,
            "sha256": self.sha256,
            "is_table_caption": self.is_table_caption,
        }
        if self.line is not None:
            meta["line"] = self.line
        if self.page is not None:
            meta["page"] = self.page
        return meta

    @property
    def loc(self) -> Loc:
        return Loc(line=self.line, page=self.page)

    @property
    def label(self) -> str:
        """Where the chunk starts, as a reader of its file finds it."""
        return self.place or self.loc.label()


def chunk_report(report: Report, document_id: str, max_chars: int = MAX_CHARS) -> list[Chunk]:
    chunks: list[Chunk] = []

    def add(text: str, number: str | None, title: str, path: tuple[str, ...], loc: Loc, caption: bool = False) -> None:
        chunks.append(
            Chunk(
                id=f"{document_id}:{len(chunks)}",
                document_id=document_id,
                ordinal=len(chunks),
                text=text,
                ente=report.ente,
                year=report.year,
                kind=report.kind,
                section_number=number,
                section_title=title,
                section_path=path,
                line=loc.line,
                page=loc.page,
                # where the chunk starts ('riga 101', not the lines a joined paragraph ran on to)
                place=loc.model_copy(update={"more_lines": (), "more_rows": ()}).label(),
                source_file=report.source_file,
                sha256=report.sha256,
                is_table_caption=caption,
            )
        )

    for section in report.sections:
        buffer: list[str] = []
        start: Loc | None = None
        for paragraph in _pieces(section.paragraphs, max_chars):
            if buffer and sum(len(t) + 1 for t in buffer) + len(paragraph.text) > max_chars:
                add("\n".join(buffer), section.number, section.title, section.path, start or section.source)
                buffer, start = [], None
            if start is None:
                start = paragraph.source
            buffer.append(paragraph.text)
        if buffer:
            add("\n".join(buffer), section.number, section.title, section.path, start or section.source)
    for table in report.tables:
        path = table.section_path or ((f"Sezione {table.section_number}",) if table.section_number else ("Tabelle",))
        add(table.caption, table.section_number, path[-1], path, table.source, caption=True)
    return chunks


def _pieces(paragraphs: tuple[Paragraph, ...], max_chars: int) -> list[Paragraph]:
    """Paragraphs, with any longer than `max_chars` split at sentence boundaries."""
    out: list[Paragraph] = []
    for paragraph in paragraphs:
        if len(paragraph.text) <= max_chars:
            out.append(paragraph)
            continue
        out += [Paragraph(text=piece, source=paragraph.source) for piece in _splitter(max_chars).split_text(paragraph.text)]
    return out


@lru_cache(maxsize=4)
def _splitter(max_chars: int):
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    # sentence ends first, then clauses, then words; punctuation stays with its sentence
    return RecursiveCharacterTextSplitter(
        chunk_size=max_chars,
        chunk_overlap=0,
        separators=[r"(?<=[.;:!?])\s+", r"(?<=,)\s+", r"\s+"],
        is_separator_regex=True,
        keep_separator="end",
    )
