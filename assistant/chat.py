"""The assistant: routes a question to a deterministic answer or to retrieval, drafts
sections, optionally lets a language model rewrite, and verifies every text it returns."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Callable

from cachetools import LRUCache
from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, ConfigDict

from .doubts import attach_finding_doubts
from .drafts import ORDER, SECTIONS, render_section
from .facts import Fact, FactBook, build_facts, table_facts
from .grounding import Citations, Verification, verify
from .hygiene import escape_markup
from .intents import parse_question
from .llm import Rewriter
from .queries import (
    Composed,
    PassageSearch,
    Table,
    answer_achievement,
    answer_below_target,
    answer_count,
    answer_financial,
    answer_findings,
    answer_indicator,
    answer_interventions,
    answer_resources,
    answer_target_changes,
    change_facts,
    find_indicators,
    find_indicators_by_words,
    finding_facts,
    retrieval_answer,
    topic_codes,
)
from .workspace import Workspace, WorkspaceError, YearView
from .writer import FactOut, NumberWarning, SourceItem, Writer

SCANNED_HEADER = (
    "> Attenzione: i numeri con la nota (letto da scansione: da verificare) vengono da pagine acquisite "
    "da scanner e lette con l'OCR: vanno confrontati con l'originale prima di usare la bozza.\n\n"
)
FINDINGS_HEADER = (
    "> Attenzione: i numeri con la nota (rilievo aperto: ...) o (calcolato da dati con rilievi aperti: da verificare) "
    "sono toccati da un rilievo ancora aperto (`relazione findings`): vanno controllati prima di usare la bozza.\n\n"
)
DETERMINISTIC_NOTE = "Risposta deterministica: nessun modello linguistico configurato."
# (Ente, year) views and their facts kept per process; each is a few MB
CONTEXTS = 32
# questions about many indicators at once, even when they also name one
LIST_INTENTS = ("target_changes", "below_target", "findings", "count")


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True)

    question: str
    intent: str
    ente: str | None = None
    year: int | None = None
    answer: str  # Markdown body; numbers carry footnote references [^n]
    footnotes: str = ""
    verified: bool
    unverified_numbers: list[str] = []
    # numbers to check by hand, each with why ('letto da scansione: da verificare')
    warnings: list[NumberWarning] = []
    sources: list[SourceItem] = []
    facts: list[FactOut] = []
    table: Table | None = None
    used_llm: bool = False
    note: str | None = None

    def markdown(self) -> str:
        return self.answer.rstrip() + (f"\n\n### Fonti\n\n{self.footnotes}\n" if self.footnotes else "\n")


class Draft(BaseModel):
    model_config = ConfigDict(frozen=True)

    section: str
    title: str
    ente: str
    year: int
    markdown: str  # body and sources appendix
    verified: bool
    unverified_numbers: list[str] = []
    problems: list[str] = []
    warnings: list[NumberWarning] = []
    sources: list[SourceItem] = []
    citations: Citations
    facts: list[Fact] = []  # what the footnotes cite (and what those were computed from)
    used_llm: bool = False
    note: str | None = None
    synthetic: bool = False


SUGGESTED = [
    "Quali obiettivi hanno cambiato target quest'anno?",
    "Qual è il grado di raggiungimento dell'Ente?",
    "Quali indicatori sono sotto target nel 2020 e perché?",
    "Confronta i proventi correnti del 2019 con gli anni precedenti",
    "Quanto è stato speso in interventi economici per obiettivo strategico?",
    "Ci sono anomalie nella Relazione 2019?",
    "Come è andata l'occupazione in provincia?",
    "Perché è stato eliminato il progetto Ultranet?",
]


class Assistant:
    def __init__(
        self,
        workspace: Workspace,
        search: PassageSearch | None = None,
        model: BaseChatModel | None = None,
    ):
        self.workspace = workspace
        self.search = search
        self.rewriter = Rewriter(model) if model is not None else None
        self._cache: LRUCache[tuple, tuple[YearView, FactBook]] = LRUCache(CONTEXTS)
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, workspace: Workspace | None = None) -> "Assistant":
        from .llm import chat_model

        ws = workspace or Workspace()
        return cls(ws, search=passage_search(ws), model=chat_model(ws.settings))

    @property
    def llm_label(self) -> str:
        return self.workspace.settings.llm_label()

    # -- context ------------------------------------------------------------------------------

    def default_year(self, ente: str | None = None) -> int:
        """'Quest'anno': the latest year with a Relazione, else the latest year with data."""
        ente = self.workspace.ente(ente)
        docs = self.workspace.store.documents(ente)
        relazioni = [d.year for d in docs if d.kind == "relazione"]
        if relazioni:
            return max(relazioni)
        years = self.workspace.years(ente)
        if not years:
            raise WorkspaceError("nessuna Relazione né consuntivo nello store per questo Ente")
        return years[-1]

    def context(self, year: int | None = None, ente: str | None = None) -> tuple[YearView, FactBook]:
        ente = self.workspace.ente(ente)
        year = year or self.default_year(ente)
        key = (self.workspace.store.generation(ente), ente, year, self.workspace.policy)
        with self._lock:
            cached = self._cache.get(key)
        if cached is None:
            view = self.workspace.view(year, ente)
            tree_file = view.plan.source_file if (view.basis != "relazione" and view.plan) else None
            book = build_facts(view.report, view.scorecard, tree_file)
            if view.relazione is not None and view.relazione is not view.report:
                table_facts(book, view.relazione)
            change_facts(book, view)
            finding_facts(book, view)
            attach_finding_doubts(book, view.findings, view.relazione or view.report)
            cached = (view, book)
            with self._lock:  # an older generation's entry is never asked again: the LRU drops it
                self._cache[key] = cached
        view, book = cached
        copy = FactBook()
        copy.extend(book)
        return view, copy

    # -- answers ------------------------------------------------------------------------------

    def ask(self, question: str, year: int | None = None, ente: str | None = None) -> Answer:
        q = parse_question(question)
        try:
            resolved_ente = self.workspace.ente(ente)
            wanted = q.year or year
            if q.intent == "target_changes" and wanted is None:
                wanted = self.default_year(resolved_ente)
            if q.intent == "financial" and wanted not in self.workspace.years(resolved_ente):
                wanted = None  # years named are columns of the financial table of the latest Relazione
            view, book = self.context(wanted, resolved_ente)
        except WorkspaceError as exc:
            return Answer(question=question, intent=q.intent, answer=str(exc).capitalize() + ".", verified=True)
        w = Writer(book)
        composed = self._compose(q, view, book, w)
        return self._finish(question, composed, view, w)

    def _compose(self, q, view: YearView, book: FactBook, w: Writer) -> Composed:
        matches = find_indicators(q.text, view.report)
        strong = find_indicators(q.text, view.report, minimum=0.8)
        intent = q.intent
        if strong and intent not in LIST_INTENTS:
            return answer_indicator(q, view, book, w, strong)  # an indicator named in full
        if matches and intent in ("indicator", "retrieval") and (intent == "indicator" or strong):
            return answer_indicator(q, view, book, w, matches)
        if intent in ("indicator", "retrieval") and re.search(r"\bindicator", q.text.lower()):
            # 'l'indicatore sulla customer satisfaction': a few words of a long name
            loose = find_indicators_by_words(q.text, view.report)
            if 0 < len(loose) <= 5:
                return answer_indicator(q, view, book, w, loose)
        if intent == "retrieval" and q.how_went and topic_codes(q.text, [(n.code, n.title) for n in view.scorecard.nodes("strategic")]):
            intent = "achievement"  # 'com'è andato il turismo?': an objective named by its title
        handlers: dict[str, Callable[[], Composed]] = {
            "target_changes": lambda: answer_target_changes(q, view, book, w),
            "below_target": lambda: answer_below_target(q, view, book, w, self.search),
            "achievement": lambda: answer_achievement(q, view, book, w),
            "count": lambda: answer_count(q, view, book, w),
            "financial": lambda: answer_financial(q, view, book, w),
            "interventions": lambda: answer_interventions(q, view, book, w),
            "resources": lambda: answer_resources(q, view, book, w),
            "findings": lambda: answer_findings(q, view, book, w),
        }
        if intent in handlers:
            return handlers[intent]()
        return retrieval_answer(q, view, w, self.search, view.ente)

    def _finish(self, question: str, composed: Composed, view: YearView, w: Writer) -> Answer:
        body, used_llm, note = composed.body, False, None
        if self.rewriter is not None:
            rewrite = self.rewriter.rewrite(f"Domanda dell'utente: {question}\nRiscrivi la risposta.", body, w)
            body, used_llm, note = rewrite.body, rewrite.used_llm, rewrite.note
        body, footnotes = escape_markup(body), escape_markup(w.footnotes())
        check = w.verify(body + ("\n\n" + footnotes if footnotes else ""))
        return Answer(
            question=question, intent=composed.intent, ente=view.ente, year=view.year, answer=body, footnotes=footnotes,
            verified=check.verified, unverified_numbers=check.problems, warnings=w.warnings(), sources=w.sources(), facts=w.facts_out(),
            table=composed.table, used_llm=used_llm, note=note or (None if self.rewriter else DETERMINISTIC_NOTE),
        )

    # -- drafts -------------------------------------------------------------------------------

    def draft(self, section: str, year: int | None = None, ente: str | None = None) -> Draft:
        sections = ORDER if section == "all" else [section]
        for s in sections:
            if s not in SECTIONS:
                raise WorkspaceError(f"sezione sconosciuta: {section} (sezioni: {', '.join(ORDER)}, all)")
        view, book = self.context(year, ente)
        w = Writer(book)
        bodies = [render_section(s, view, book, w, self.search) for s in sections]
        body = _tidy("\n\n".join(bodies))
        kinds = {warning.kind for warning in w.warnings()}
        header = (self._header(view) + (SCANNED_HEADER if "scan" in kinds else "")
                  + (FINDINGS_HEADER if "finding" in kinds else ""))
        body = header + body
        used_llm, note = False, None
        if self.rewriter is not None:
            rewrite = self.rewriter.rewrite(
                "Riscrivi questa bozza di capitolo della Relazione sulla performance in prosa scorrevole, "
                "mantenendo titoli, tabelle, citazioni, numeri e note.", body, w,
            )
            body, used_llm, note = rewrite.body, rewrite.used_llm, rewrite.note
        markdown = escape_markup(w.finish(body))
        check = w.verify(markdown)
        title = SECTIONS[section] if section != "all" else "Bozza della Relazione sulla performance"
        return Draft(
            section=section, title=title, ente=view.ente, year=view.year, markdown=markdown, verified=check.verified,
            unverified_numbers=check.unmatched + check.wrong_references, problems=check.problems, warnings=w.warnings(),
            sources=w.sources(),
            citations=w.citations(), facts=w.cited_facts(), used_llm=used_llm, note=note,
            synthetic=view.report.synthetic,
        )

    @staticmethod
    def _header(view: YearView) -> str:
        if view.basis == "relazione":
            return ""
        warning = (" I documenti di partenza sono SINTETICI (di prova): la bozza non descrive dati reali."
                   if view.report.synthetic else "")
        return (f"> Bozza per il {view.year} costruita dal Piano della performance e dal file dei consuntivi "
                f"(non da una Relazione già approvata).{warning}\n\n")

    def reverify(self, draft: Draft, markdown: str) -> Verification:
        """Verify an edited draft against the same facts and passages: the view's facts and
        those the draft computed (variations, shares, counts)."""
        _, book = self.context(draft.year, draft.ente)
        book.extend(draft.facts)
        return verify(markdown, book, draft.citations)

    def export(self, year: int | None, out_dir: Path, ente: str | None = None, docx: bool = True) -> list[Path]:
        """Every chapter as Markdown (and .docx when pandoc is available); unverified drafts
        are written with a visible warning at the top, never silently."""
        out_dir.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        for index, section in enumerate(ORDER, start=1):
            draft = self.draft(section, year, ente)
            text = draft.markdown
            if not draft.verified:
                text = ("> ATTENZIONE: questa bozza contiene numeri non verificati: "
                        + "; ".join(draft.problems) + "\n\n" + text)
            slug = re.sub(r"[^a-z0-9]+", "-", draft.title.lower()).strip("-")
            path = out_dir / f"{index:02d}-{slug}.md"
            path.write_text(text, encoding="utf-8")
            written.append(path)
            if docx:
                converted = to_docx(path)
                if converted is not None:
                    written.append(converted)
        return written


def passage_search(ws: Workspace) -> PassageSearch:
    """Hybrid retrieval over the store's narrative, as quotable passages (table captions are
    descriptions written by the product, not document text, so they are never quoted)."""
    from ingest.model import Loc

    from .grounding import Passage

    def search(query: str, k: int, filters: dict) -> list[Passage]:
        hits = ws.search(query, k + 3, **filters)
        passages = [
            Passage(text=h.text, file=h.source, label=Loc(line=h.line, page=h.page).label(),
                    section=" > ".join(h.section_path))
            for h in hits if not h.table_caption
        ]
        return passages[:k]

    return search


def _tidy(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def to_docx(markdown_path: Path) -> Path | None:
    """Markdown -> .docx through pandoc (the pypandoc_binary package), when available."""
    try:
        import pypandoc

        pypandoc.get_pandoc_version()
    except (ImportError, OSError):
        return None
    target = markdown_path.with_suffix(".docx")
    pypandoc.convert_file(str(markdown_path), "docx", format="markdown", outputfile=str(target))
    return target
