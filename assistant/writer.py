"""Writing grounded Markdown: numbers come only from facts and carry a footnote to them."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from ingest.textnorm import stems

from .fact_ids import AnyId
from .facts import DERIVED_NOTE, SCANNED_NOTE, Fact, FactBook
from .grounding import Citations, Passage, Verification, extract_numbers, fact_footnote, verify

_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-ZÀ-Ý«\"(])")


def _head(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def excerpt(text: str, focus: str, limit: int) -> str:
    """The contiguous sentences of `text` around the one sharing most words with `focus`."""
    if len(text) <= limit:
        return text
    sentences = _SENTENCE_END.split(text)
    wanted = set(stems(focus))
    scores = [len(wanted & set(stems(s))) for s in sentences]
    best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    lo = hi = best
    while True:
        grown = False
        for candidate in (hi + 1, lo - 1):
            if 0 <= candidate < len(sentences):
                new_lo, new_hi = min(lo, candidate), max(hi, candidate)
                if len(" ".join(sentences[new_lo : new_hi + 1])) <= limit:
                    lo, hi, grown = new_lo, new_hi, True
        if not grown:
            break
    span = " ".join(sentences[lo : hi + 1])
    return span if span in text else _head(sentences[best], limit)


class SourceItem(BaseModel):
    """One footnote of an answer or draft, for display (the UI's sources expander)."""

    model_config = ConfigDict(frozen=True)

    label: str
    kind: str  # 'dato' | 'passaggio'
    text: str
    file: str | None = None
    line: int | None = None
    page: int | None = None
    where: str = ""


class FactOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    value: str  # as written (Italian)
    number: float
    unit: str
    source: str  # 'file, riga N' or the computation
    derived_from: list[str] = []


class NumberWarning(BaseModel):
    """A number the text uses that needs checking by a person, and why."""

    model_config = ConfigDict(frozen=True)

    number: str  # as written, with its footnote label: '1.150 N. [^3]'
    fact: str
    label: str  # what the number is
    where: str  # 'file, pag. 5' where it was read (several, for a computed number)
    reason: str  # the note written beside the number: 'letto da scansione: da verificare'
    kind: str = "scan"  # 'scan' (read by OCR) | 'finding' (an open finding concerns it)
    detail: str = ""  # the finding's own sentence, for a finding


class Writer:
    """Collects the facts and passages a text cites, numbering footnotes in order of use."""

    def __init__(self, book: FactBook):
        self.book = book
        self._fact_labels: dict[str, str] = {}
        self._passages: dict[str, Passage] = {}
        self._passage_keys: dict[tuple[str, str, str], str] = {}
        self._names: set[str] = set()
        self._places: set[str] = set()
        self._warnings: dict[str, NumberWarning] = {}
        self._notes: dict[str, str] = {}  # fact id -> footnote text (written once per answer)

    def _note(self, fact_id: str) -> str:
        note = self._notes.get(fact_id)
        if note is None:
            note = self._notes[fact_id] = fact_footnote(self.book[fact_id], self.book)
        return note

    def name(self, text: str | None) -> str:
        """A name from the documents (indicator, objective, table line), between « »."""
        if not text:
            return "«—»"
        self._names.add(text)
        return f"«{text}»"

    def label(self, text: str | None) -> str:
        """A name in a table cell or heading: between « » only when it holds what would read as a
        quantity ('entro 2 gg', 'progetto 20%'), plain otherwise ('Internazionalizzazione (D1)')."""
        if text and extract_numbers(text):
            return self.name(text)
        return text or ""

    def at(self, place: str) -> str:
        """A place in a document ('riga 532', 'pag. 5') the text names besides its facts' own."""
        self._places.add(place)
        return place

    def n(self, fact: Fact | AnyId | None, decimals: int | None = None, signed: bool = False, absolute: bool = False) -> str:
        """The fact's value written the Italian way, with its footnote reference."""
        if fact is None:
            return "[dato non disponibile]"
        f = fact if isinstance(fact, Fact) else self.book[fact]
        self.book.add(f)
        label = self._fact_labels.get(f.id)
        if label is None:
            label = str(len(self._fact_labels) + 1)
            self._fact_labels[f.id] = label
        written = f"{f.text(decimals, signed=signed, absolute=absolute)}[^{label}]"
        notes = self._doubt_notes(f, f"{f.text(decimals, signed=signed, absolute=absolute)} [^{label}]")
        if notes:
            written += "".join(f" ({note})" for note in notes)
        return written

    def _doubt_notes(self, f: Fact, number: str) -> list[str]:
        """Record a warning for each doubt behind `f` and return the notes to write beside it:
        the scan note, the finding's own note for a number a finding concerns, or one note for
        a number computed from numbers with open findings."""
        scanned: list[str] = []
        notes: dict[str, None] = {}
        for whose, doubt in self.book.doubts(f):
            if doubt.kind == "scan":
                scanned.append(doubt.where)
                notes[SCANNED_NOTE] = None
                continue
            note = doubt.note if whose.id == f.id else DERIVED_NOTE
            notes[note] = None
            self._warnings.setdefault(f"{f.id}|{doubt.detail}", NumberWarning(
                number=number, fact=f.id, label=f.label, where=doubt.where, reason=note, kind="finding",
                detail=doubt.detail,
            ))
        if scanned:
            self._warnings.setdefault(f.id, NumberWarning(
                number=number, fact=f.id, label=f.label, where="; ".join(dict.fromkeys(scanned)), reason=SCANNED_NOTE,
            ))
        return list(notes)

    def warnings(self) -> list[NumberWarning]:
        """The numbers written so far that a person must check (read from a scan, or concerned by
        an open finding), each with why."""
        return list(self._warnings.values())

    def quote(self, passage: Passage, limit: int = 600, focus: str | None = None) -> str:
        """A blockquote of a passage (or of its sentences that best answer `focus`), with its
        footnote reference. The quoted text is always a verbatim span of the passage."""
        key = (passage.file, passage.label, passage.text[:80])
        label = self._passage_keys.get(key)
        if label is None:
            label = f"p{len(self._passages) + 1}"
            self._passages[label] = passage
            self._passage_keys[key] = label
        text = " ".join(passage.text.split())
        quoted = excerpt(text, focus, limit) if focus else _head(text, limit)
        return f"> «{quoted}»[^{label}]" + (" (estratto)" if quoted != text else "")

    def cited_facts(self) -> list[Fact]:
        """The facts the text cites and, recursively, those they were computed from."""
        return self.book.with_origins(self._fact_labels)

    def citations(self) -> Citations:
        return Citations(
            facts={label: fid for fid, label in self._fact_labels.items()}, passages=dict(self._passages),
            names=frozenset(self._names), places=frozenset(self._places),
        )

    def footnotes(self) -> str:
        lines = [f"[^{label}]: {self._note(fid)}" for fid, label in self._fact_labels.items()]
        lines += [f"[^{label}]: {p.footnote()}" for label, p in self._passages.items()]
        return "\n".join(lines)

    def finish(self, body: str, heading: str = "Fonti") -> str:
        notes = self.footnotes()
        return body.rstrip() + (f"\n\n### {heading}\n\n{notes}\n" if notes else "\n")

    def verify(self, markdown: str) -> Verification:
        return verify(markdown, self.book, self.citations())

    def sources(self) -> list[SourceItem]:
        items = []
        for fid, label in self._fact_labels.items():
            f = self.book[fid]
            items.append(
                SourceItem(
                    label=label, kind="dato", text=self._note(fid),
                    file=f.source.file if f.source else None, line=f.source.line if f.source else None,
                    page=f.source.page if f.source else None, where=f.where() or "calcolo",
                )
            )
        for label, p in self._passages.items():
            line = page = None
            if p.label.startswith("riga"):
                line = int(p.label.split()[1].rstrip(","))
            elif p.label.startswith("pag."):
                page = int(p.label.split()[1])
            items.append(SourceItem(label=label, kind="passaggio", text=p.text, file=p.file, line=line, page=page,
                                    where=f"{p.file}, {p.label}"))
        return items

    def facts_out(self) -> list[FactOut]:
        out = []
        for fid in self._fact_labels:
            f = self.book[fid]
            out.append(
                FactOut(
                    id=f.id, label=f.label, value=f.text(), number=float(f.value), unit=f.unit,
                    source=f.where() or self._note(fid).split("Fonte: ", 1)[-1].rstrip("."),
                    derived_from=list(f.derived_from),
                )
            )
        return out
