"""The assistant: reads a question into a plan, lets the handler the plan routes to answer it
from the year's facts, drafts and exports chapters, optionally lets a language model rewrite
(or read a question the rules could not), and verifies every text it returns."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cachetools import LRUCache

from ingest.textnorm import fold

from .answers import Answer, Draft, Session, files_zip
from .chapters import slug, to_docx, with_unverified_warning
from .disk_cache import DiskCache
from .doubts import attach_finding_doubts
from .facts import FactBook, build_facts, table_facts
from .grounding import Verification, verify
from .handlers.base import Attachment, Composed, Context, PassageSearch
from .handlers.changes import change_facts
from .handlers.documents import chapter_file
from .handlers.findings import finding_facts
from .handlers.registry import route
from .hygiene import escape_markup
from .plan import Catalog, PlanParser, QuestionPlan
from .plan.catalog import city
from .plan.parser import mentions_camera
from .retrieval import SearchFilters
from .store import DocumentGone
from .workspace import Workspace, WorkspaceError, YearView
from .writer import Writer

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

__all__ = ["Answer", "Assistant", "Draft", "SUGGESTED", "Session", "files_zip", "passage_search", "to_docx"]

DETERMINISTIC_NOTE = "Risposta deterministica: nessun modello linguistico configurato."
# (Ente, year) views and their facts, and plan parsers, kept per process; each is a few MB
CONTEXTS = 32

SUGGESTED = [
    "Quali obiettivi hanno cambiato target quest'anno?",
    "Qual è il grado di raggiungimento dell'Ente?",
    "Quali indicatori sono sotto target nel 2020 e perché?",
    "Confronta i proventi correnti del 2019 con gli anni precedenti",
    "Quanto è stato speso in interventi economici per obiettivo strategico?",
    "Ci sono anomalie nella Relazione 2019?",
    "Scrivi la bozza della sezione 2",
    "Perché è stato eliminato il progetto Ultranet?",
    "Quali indicatori sono peggiorati dal 2019 al 2020?",
    "Quanti indicatori hanno raggiunto il target nel 2020?",
]


@dataclass(frozen=True)
class _EnteDocuments:
    """One Ente's documents at one generation of that Ente (the store caches the list per
    generation: reading it costs two primary-key reads, whatever the size of the store)."""

    generation: str
    docs: tuple

    def years(self) -> list[int]:
        return sorted({d.year for d in self.docs if d.kind in ("relazione", "consuntivi")})

    def default_year(self) -> int:
        """'Quest'anno': the latest year with a Relazione, else the latest year with data."""
        relazioni = [d.year for d in self.docs if d.kind == "relazione"]
        if relazioni:
            return max(relazioni)
        years = self.years()
        if not years:
            raise WorkspaceError("nessuna Relazione né consuntivo nello store per questo Ente")
        return years[-1]


class Assistant:
    def __init__(self, workspace: Workspace, search: PassageSearch | None = None, model: "BaseChatModel | None" = None):
        self.workspace = workspace
        self.search = search
        self.model = model
        self.rewriter = None
        if model is not None:
            from .llm import Rewriter

            self.rewriter = Rewriter(model)
        self._cache: LRUCache[tuple, tuple[YearView, FactBook]] = LRUCache(CONTEXTS)
        self._parsers: LRUCache[tuple, PlanParser] = LRUCache(CONTEXTS)
        self._documents: LRUCache[str, _EnteDocuments] = LRUCache(CONTEXTS)
        self._lock = threading.Lock()
        # views, facts and catalogs also outlive the process (each `relazione ask` is one)
        self._disk = DiskCache(workspace.settings.data_dir / "cache")

    @classmethod
    def from_settings(cls, workspace: Workspace | None = None) -> "Assistant":
        ws = workspace or Workspace()
        if not ws.settings.llm:  # no model configured: the model layer is not even imported
            return cls(ws, search=passage_search(ws))
        from .llm import chat_model

        return cls(ws, search=passage_search(ws), model=chat_model(ws.settings))

    @property
    def llm_label(self) -> str:
        return self.workspace.settings.llm_label()

    # -- context ------------------------------------------------------------------------------

    def enti(self) -> list[str]:
        return self.workspace.store.enti()

    def documents(self, ente: str) -> _EnteDocuments:
        """The documents of `ente`: one primary-key read of its generation, the list read again
        only when that Ente changed."""
        store = self.workspace.store
        generation = store.generation(ente)
        with self._lock:
            cached = self._documents.get(ente)
        if cached is None or cached.generation != generation:
            cached = _EnteDocuments(generation, tuple(store.documents(ente)))
            with self._lock:
                self._documents[ente] = cached
        return cached

    def _resolve(self, ente: str | None, enti: list[str] | None = None) -> str:
        if ente and ente in (enti if enti is not None else self.enti()):
            return ente
        return self.workspace.ente(ente)  # a part of the name ('Forlì'), or the errors in Italian

    def default_year(self, ente: str | None = None) -> int:
        """'Quest'anno': the latest year with a Relazione, else the latest year with data."""
        return self.documents(self._resolve(ente)).default_year()

    def context(self, year: int | None = None, ente: str | None = None) -> tuple[YearView, FactBook]:
        """The view of a year and its facts (cached per generation of the Ente; a copy of the book)."""
        ente = self._resolve(ente)
        return self._context(year, ente, self.documents(ente))

    def _context(self, year: int | None, ente: str, docs: _EnteDocuments) -> tuple[YearView, FactBook]:
        year = year or docs.default_year()
        key = (docs.generation, ente, year, self.workspace.policy)
        with self._lock:
            cached = self._cache.get(key)
        if cached is None:
            slot = (ente, year, self.workspace.policy)
            cached = self._disk.get("context", slot, (docs.generation,))
            if cached is None:
                cached = self._build_context(year, ente)
                self._disk.put("context", slot, (docs.generation,), cached)
            with self._lock:  # an older generation's entry is never asked again: the LRU drops it
                self._cache[key] = cached
        view, book = cached
        return view, book.copy()

    def _build_context(self, year: int, ente: str) -> tuple[YearView, FactBook]:
        view = self.workspace.view(year, ente)
        tree_file = view.plan.source_file if (view.basis != "relazione" and view.plan) else None
        book = build_facts(view.report, view.scorecard, tree_file)
        if view.relazione is not None and view.relazione is not view.report:
            table_facts(book, view.relazione)
        change_facts(book, view)
        finding_facts(book, view)
        attach_finding_doubts(book, view.findings, view.relazione or view.report)
        return view, book

    def parser(self, ente: str | None) -> PlanParser:
        """The plan parser over the store's names for `ente` (and every Ente's name); with no
        Ente, over the names of the Enti only."""
        return self._parser(ente, self.enti(), self.documents(ente) if ente else None)

    def _parser(self, ente: str | None, enti: list[str], docs: _EnteDocuments | None) -> PlanParser:
        store = self.workspace.store
        key = (docs.generation if docs else None, tuple(enti), ente)
        with self._lock:
            parser = self._parsers.get(key)
        if parser is None:
            catalog = self._disk.get("catalog", (ente,), (docs.generation, tuple(enti))) if docs else None
            if catalog is None:
                reports = [store.report(d.id) for d in docs.docs if d.kind in ("relazione", "piano")] if docs else []
                catalog = Catalog.from_reports(reports, enti=enti, years=docs.years() if docs else [])
                if docs:
                    self._disk.put("catalog", (ente,), (docs.generation, tuple(enti)), catalog)
            parser = PlanParser(catalog)
            with self._lock:
                self._parsers[key] = parser
        return parser

    # -- answers ------------------------------------------------------------------------------

    def plan(self, question: str, ente: str | None = None, session: Session | None = None) -> QuestionPlan:
        """How the question is read, against the names of its Ente (no answer)."""
        previous = session.last if session else None
        return self.parser(ente).parse(question, previous)

    def replay(self, history: list[str], ente: str | None = None) -> Session:
        """The conversation of `history` (earlier questions), read again without answering."""
        session = Session()
        enti = self.enti()
        for question in history:
            try:
                resolved = self._ente(question, ente, session.last, enti)
            except WorkspaceError:
                continue
            session.add(self.parser(resolved).parse(question, session.last))
        return session

    def ask(self, question: str, year: int | None = None, ente: str | None = None,
            session: Session | None = None) -> Answer:
        """Answer a question (completing the conversation's last plan when it is a follow-up);
        the answer's plan is added to `session`."""
        try:
            with self.workspace.store.pinned():  # one view of the store per question
                answer = self._ask(question, year, ente, session)
        except DocumentGone:  # removed by another session while this question read the store
            with self.workspace.store.pinned():
                answer = self._ask(question, year, ente, session)
        if session is not None:
            session.add(answer.plan)
        return answer

    def _ask(self, question: str, year: int | None, ente: str | None, session: Session | None) -> Answer:
        previous = session.last if session else None
        enti = self.enti()
        try:
            ente = self._ente(question, ente, previous, enti)
        except WorkspaceError as exc:
            return Answer(question=question, intent="clarify", answer=str(exc), verified=True)
        docs = self.documents(ente)
        parser = self._parser(ente, enti, docs)
        plan = parser.parse(question, previous)
        plan = self._model_plan(plan, parser)
        try:
            view, book = self._context(self._view_year(plan, year, docs), ente, docs)
        except WorkspaceError as exc:
            return Answer(question=question, intent=route(plan).name, answer=str(exc).capitalize() + ".",
                          verified=True, plan=plan)
        w = Writer(book)
        handler = route(plan)
        ctx = Context(plan=plan, view=view, book=book, w=w, search=self.search,
                      other_year=lambda y: self._other_year(y, ente), draft=lambda s, y: self.draft(s, y, ente),
                      years=tuple(docs.years()), documents=tuple(docs.docs), enti=tuple(enti))
        composed = handler.answer(ctx)
        if len(enti) > 1 and composed.intent not in ("library", "clarify") and fold(city(view.ente)) not in fold(composed.body[:200]):
            # several Camere in the store: the answer says which one it is about
            composed = composed.model_copy(update={"body": f"{view.ente} – {composed.body}"})
        return self._finish(question, composed, view, w, plan)

    def _ente(self, question: str, ente: str | None, previous: QuestionPlan | None, enti: list[str]) -> str:
        """The Ente asked about: the Camera the question names, else the option (the app's
        selector, `--ente`), else the only one in the store, else the one of the conversation.
        Several and none named: a short question back."""
        if not enti:
            return self.workspace.ente(None)  # raises: the store is empty
        names = self._parser(None, enti, None)
        named, said, store = names.camera(question) if len(enti) > 1 or mentions_camera(question) else (None, None, False)
        if named:
            return named
        if said:
            raise WorkspaceError(f"Nello store non ci sono documenti della Camera di {said}. "
                                 f"Camere disponibili: {', '.join(city(e) for e in enti)}.")
        if ente:
            return self._resolve(ente, enti)
        if len(enti) == 1:
            return enti[0]
        if previous is not None and previous.ente:
            return previous.ente
        if store:  # 'quali Camere ci sono?': the answer lists them all
            return enti[0]
        raise WorkspaceError(f"Di quale Camera? Nello store ci sono {', '.join(city(e) for e in enti)}: "
                             f"ripeti la domanda nominandola (ad esempio «la Camera di {city(enti[0])}»).")

    def _view_year(self, plan: QuestionPlan, year: int | None, docs: _EnteDocuments) -> int:
        """The year whose view answers the plan."""
        years = docs.years()
        default = year or docs.default_year()
        named = [y for y in plan.years if y in years]
        tables = plan.subject in ("resource", "intervention")
        if plan.subject == "financial" or (tables and (plan.act in ("check", "compare") or (plan.years and not named))):
            return default  # the summary of the latest Relazione holds the earlier years as columns
        if plan.subject == "narrative":
            return named[-1] if named else default
        if plan.act == "compare" and plan.years and plan.subject in ("ente", "area", "objective", "indicator"):
            if len(named) >= 2:
                return max(named)
            if len(named) == 1:
                return max(years) if named[0] < max(years) else named[0]
        if plan.act == "compare" and plan.trend and not plan.years and len(years) >= 2 and default == min(years):
            return max(years)  # 'è peggiorato?': the default year has no year before it to compare with
        if plan.condition == "target_changed" and plan.years and not named:
            return max(years)  # the targets of a later year of the Piano, read from the latest view
        if plan.years:
            if named:
                return named[-1]
            if plan.measure == "target" and (plan.refs or plan.subject in ("indicator", "objective", "area")):
                return max(years)  # a target of a later year of the Piano
            return plan.years[-1]  # the view says plainly that the store has no data for it
        return default

    def _other_year(self, year: int, ente: str) -> tuple[YearView, FactBook] | None:
        try:
            return self.context(year, ente)
        except WorkspaceError:
            return None

    def _model_plan(self, plan: QuestionPlan, parser: PlanParser) -> QuestionPlan:
        """With a language model configured, a plan the rules read with little confidence is
        read again by the model (validated; the numbers still come from the handlers)."""
        if self.model is None or plan.confidence >= 0.5 or plan.followup:
            return plan
        from .plan.llm import model_plan

        return model_plan(self.model, plan, parser.catalog) or plan

    def _finish(self, question: str, composed: Composed, view: YearView, w: Writer, plan: QuestionPlan) -> Answer:
        body, used_llm, note = composed.body, False, None
        if self.rewriter is not None and composed.intent not in ("draft", "export", "clarify"):
            rewrite = self.rewriter.rewrite(f"Domanda dell'utente: {question}\nRiscrivi la risposta.", body, w)
            body, used_llm, note = rewrite.body, rewrite.used_llm, rewrite.note
        body, footnotes = escape_markup(body), escape_markup(w.footnotes())
        check = w.verify(body + ("\n\n" + footnotes if footnotes else ""))
        attachments = list(composed.attachments)
        if composed.file_title is not None:
            text = with_unverified_warning(w.finish(body), check.verified, check.problems)
            attachments.append(Attachment(name=chapter_file(plan.section or "all", composed.file_title, view.year),
                                          title=composed.file_title, markdown=text, verified=check.verified))
        return Answer(
            question=question, intent=composed.intent, ente=view.ente, year=view.year, answer=body, footnotes=footnotes,
            verified=check.verified, unverified_numbers=check.problems, warnings=w.warnings(), sources=w.sources(),
            facts=w.facts_out(), table=composed.table, chart=composed.chart, attachments=attachments, plan=plan, used_llm=used_llm,
            note=note or (None if self.rewriter else DETERMINISTIC_NOTE),
        )

    # -- drafts -------------------------------------------------------------------------------

    def draft(self, section: str, year: int | None = None, ente: str | None = None) -> Draft:
        # drafting is not loaded to answer a question
        from .drafts import ORDER, SECTIONS, draft_text, draft_title

        if section != "all" and section not in SECTIONS:
            raise WorkspaceError(f"sezione sconosciuta: {section} (sezioni: {', '.join(ORDER)}, all)")
        view, book = self.context(year, ente)
        w = Writer(book)
        body = draft_text(section, view, book, w, self.search)
        used_llm, note = False, None
        if self.rewriter is not None:
            rewrite = self.rewriter.rewrite(
                "Riscrivi questa bozza di capitolo della Relazione sulla performance in prosa scorrevole, "
                "mantenendo titoli, tabelle, citazioni, numeri e note.", body, w,
            )
            body, used_llm, note = rewrite.body, rewrite.used_llm, rewrite.note
        markdown = escape_markup(w.finish(body))
        check = w.verify(markdown)
        return Draft(
            section=section, title=draft_title(section), ente=view.ente, year=view.year, markdown=markdown,
            verified=check.verified, unverified_numbers=check.unmatched + check.wrong_references, problems=check.problems,
            warnings=w.warnings(), sources=w.sources(), citations=w.citations(), facts=w.cited_facts(),
            used_llm=used_llm, note=note, synthetic=view.report.synthetic,
        )

    def reverify(self, draft: Draft, markdown: str) -> Verification:
        """Verify an edited draft against the same facts and passages: the view's facts and
        those the draft computed (variations, shares, counts)."""
        _, book = self.context(draft.year, draft.ente)
        book.extend(draft.facts)
        return verify(markdown, book, draft.citations)

    def export(self, year: int | None, out_dir: Path, ente: str | None = None, docx: bool = True) -> list[Path]:
        """Every chapter as Markdown (and .docx when pandoc is available); unverified drafts
        are written with a visible warning at the top, never silently."""
        from .drafts import ORDER

        out_dir.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        for index, section in enumerate(ORDER, start=1):
            draft = self.draft(section, year, ente)
            path = out_dir / f"{index:02d}-{slug(draft.title)}.md"
            path.write_text(with_unverified_warning(draft.markdown, draft.verified, draft.problems), encoding="utf-8")
            written.append(path)
            if docx and (converted := to_docx(path)) is not None:
                written.append(converted)
        return written


def passage_search(ws: Workspace) -> PassageSearch:
    """Hybrid retrieval over the store's narrative, as quotable passages (table captions are
    descriptions written by the product, not document text, so they are never quoted)."""
    from ingest.model import Loc

    from .grounding import Passage

    def search(query: str, k: int, filters: SearchFilters) -> list[Passage]:
        hits = ws.search(query, k + 3, **filters.model_dump())
        passages = [
            Passage(text=h.text, file=h.source, label=h.place or Loc(line=h.line, page=h.page).label(),
                    section=" > ".join(h.section_path))
            for h in hits if not h.table_caption
        ]
        return passages[:k]

    return search

