"""The application service: ingest files into the store and index, and build year views.

A `YearView` is what every answer, draft and page rests on: for one Ente and one year, the
report whose numbers are scored (a Relazione, or a Piano's targets plus a file of actual
values), its scorecard, and the findings an OIV would check (including Piano vs
Relazione differences when both are in the store).
"""

from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from cachetools import LRUCache

from ingest.errors import IngestError, NotAPerformanceDocument
from ingest.files import expand as expand  # re-exported: the CLI and the app list files with it
from ingest.model import Finding, FindingKind, Report, Severity
from ingest.scoring import Scorecard, score_report
from ingest.versions import Comparison

from .chunks import chunk_report
from .settings import Settings, get_settings
from .store import DocumentInfo, IndexWriter, SaveResult, Store
from .versions import guard, pick_version
from .views import Extraction, IngestOutcome, WorkspaceError, YearView

if TYPE_CHECKING:
    from .retrieval import Hit, Retriever, SearchMode

__all__ = ["Extraction", "IngestOutcome", "Workspace", "WorkspaceError", "YearView", "expand"]

ProgressFn = Callable[[str, int, int], None]


def _pipeline():
    from ingest import pipeline  # with the readers: at the first file read, not to read the store
    return pipeline


_WRITE_LOCK = threading.RLock()
VIEWS = 32  # scored year views kept per Workspace


class Workspace:
    def __init__(self, settings: Settings | None = None, index: IndexWriter | None | str = "auto"):
        self.settings = settings or get_settings()
        self._index_arg = index
        # scored views by (Ente's generation, Ente, year, policy): pages and answers share them
        self._views: LRUCache[tuple, YearView] = LRUCache(VIEWS)
        self._views_lock = threading.Lock()
        self._index: IndexWriter | None = None
        self._index_open = False
        self._index_lock = threading.Lock()

    @cached_property
    def store(self) -> Store:
        return Store(self.settings.sqlalchemy_url)

    @property
    def index(self) -> IndexWriter | None:
        """The retrieval index, opened at its first use: chromadb (and, at the first embedding,
        the model) are imported only then. Threads asking meanwhile wait for the one opening it."""
        with self._index_lock:
            if not self._index_open:
                if self._index_arg == "auto":
                    from .index import open_index

                    self._index = open_index(self.settings)
                else:
                    self._index = self._index_arg  # type: ignore[assignment]
                self._index_open = True
            return self._index

    def warm_up(self) -> threading.Thread:
        """Open the index and load the embedding model in a background thread (the app starts
        it with the process). A search that comes first waits for them (the index's lock and
        the model's, `assistant.index.load_embedder`); an answer from the tables never does."""

        def run() -> None:
            try:
                embedder = getattr(self.index, "embedder", None)
                if embedder is not None:
                    embedder.model  # noqa: B018 - loads the model once per process
            except Exception:  # a broken index or model is reported by the search that needs it
                pass

        thread = threading.Thread(target=run, name="relazione-warm-up", daemon=True)
        thread.start()
        return thread

    @property
    def policy(self):
        return self.settings.policy()

    # -- ingestion ------------------------------------------------------------------------

    def _plan_for_actuals(self, data: bytes, name: str) -> Report | None:
        """The Piano in the store that the file of actual values belongs to."""
        plans = [r for _, r in sorted(self.store.reports(kind="piano"), key=lambda p: p[0].ingested_at, reverse=True)]
        for plan in plans:
            try:
                _pipeline().read_report(data, name, plan=plan, limits=self.limits, allow_partial=True)
            except NotAPerformanceDocument:
                continue
            return plan
        return plans[0] if plans else None

    @property
    def limits(self):
        return self.settings.limits()

    def parse(self, path: Path, progress: ProgressFn | None = None, plan: Report | None = None,
              allow_partial: bool = False, use_store: bool = True) -> Report:
        return self.parse_bytes(_pipeline().file_bytes(path, self.limits), path.name, progress, plan, allow_partial, use_store)

    def parse_bytes(self, data: bytes, name: str, progress: ProgressFn | None = None, plan: Report | None = None,
                    allow_partial: bool = False, use_store: bool = True) -> Report:
        """Read and validate one file; a Relazione is also checked against its Piano (`plan`, or
        the stored one that covers its year unless not `use_store`): complete, or refused unless
        `allow_partial`."""
        if plan is None and _pipeline().needs_plan(name):
            plan = self._plan_for_actuals(data, name)
        report = _pipeline().read_report(data, name, plan=plan, progress=progress, limits=self.limits, allow_partial=allow_partial)
        if report.kind == "relazione":
            stored = plan if plan is not None and plan.kind == "piano" else (
                self._stored_plan(report) if use_store else None)
            report = _pipeline().check_against_plan(report, stored, allow_partial=allow_partial)
        return report

    def _stored_plan(self, report: Report) -> Report | None:
        try:
            return self.plan_for(report.ente, report.year)
        except Exception:  # an unreadable store is reported by the save that follows
            return None

    def ingest(self, path: Path, progress: ProgressFn | None = None, allow_partial: bool = False,
               replace: bool = False) -> IngestOutcome:
        return self.ingest_bytes(_pipeline().file_bytes(path, self.limits), path.name, progress, label=str(path),
                                 allow_partial=allow_partial, replace=replace)

    def ingest_bytes(
        self, data: bytes, name: str, progress: ProgressFn | None = None, label: str | None = None,
        allow_partial: bool = False, replace: bool = False,
    ) -> IngestOutcome:
        """Parse and store one file's content (an upload, say) as one transaction with its index
        entries. Writes are serialised within the process; reads go on meanwhile."""
        report = self.parse_bytes(data, name, progress, allow_partial=allow_partial)
        return self.ingest_report(report, progress, label=label or name, replace=replace)

    def ingest_report(self, report: Report, progress: ProgressFn | None = None, label: str = "",
                      replace: bool = False) -> IngestOutcome:
        """Store a report as the current version of its Ente, year and kind, and index it (see
        `Store.save`); one that would lose data is refused (`VersionConflict`) unless `replace`."""
        index = self.index
        compared: list[Comparison] = []
        with _WRITE_LOCK:
            if index is not None:
                self.store.reconcile(index, report)  # this document's slot only
            result: SaveResult = self.store.save(
                report, lambda doc_id: chunk_report(report, doc_id), index, progress=progress,
                guard=guard(Path(label or report.source_file).name, report, replace, compared),
            )
        return IngestOutcome(
            path=label or report.source_file, document=result.document, replaced=result.replaced,
            chunks=result.chunks, problems=len(report.problems), read_warnings=report.read_warnings,
            unchanged=result.unchanged, comparison=compared[0] if compared else None)

    def remove(self, ref: str) -> DocumentInfo:
        """Remove a version (a current one by name; any by id or sha256)."""
        doc = self.store.find(ref) or self.store.find(ref, history=True)
        if doc is None:
            raise WorkspaceError(f"nessun documento corrisponde a {ref!r} (usa sha256, nome file o id)")
        with _WRITE_LOCK:
            return self.store.remove(doc.id, self.index)

    def restore(self, ref: str, progress: ProgressFn | None = None) -> SaveResult:
        """Make an earlier version (by id, sha256 or file name) current again."""
        doc = pick_version(self.store.documents(history=True), ref)
        if doc is None:
            raise WorkspaceError(f"nessuna versione corrisponde a {ref!r} (usa sha256 o id: relazione documents --history)")
        with _WRITE_LOCK:
            return self.store.restore(doc.id, self.index, progress)

    def documents(self, history: bool = False) -> list[DocumentInfo]:
        """The current documents, or with `history` every version."""
        return self.store.documents(history=history)

    # -- retrieval ------------------------------------------------------------------------

    @cached_property
    def retriever(self) -> Retriever:
        from .retrieval import Retriever  # a lexical or hybrid search's, not the other commands'

        s = self.settings
        # the index is opened when a dense search first needs it, not for a lexical one
        return Retriever(
            self.store, lambda: self.index, rrf_k=s.rrf_k, dense_weight=s.dense_weight,  # type: ignore[arg-type, return-value]
            lexical_weight=s.lexical_weight,
        )

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        year: int | None = None,
        section: str | None = None,
        kind: str | None = None,
        ente: str | None = None,
        mode: SearchMode = "hybrid",
    ) -> list[Hit]:
        """Passages of one Ente's documents that answer `query`, best first, with their citation."""
        from .retrieval import RetrievalError, SearchFilters

        filters = SearchFilters(ente=self.ente(ente), year=year, kind=kind, section=section)
        try:
            return self.retriever.search(query, k, filters, mode)
        except RetrievalError as exc:
            raise WorkspaceError(str(exc)) from None

    # -- views ----------------------------------------------------------------------------

    def ente(self, ente: str | None = None) -> str:
        enti = self.store.enti()
        if ente:
            exact = [e for e in enti if e.lower() == ente.lower()]
            matches = exact or [e for e in enti if ente.lower() in e.lower()]
            if not matches:
                raise WorkspaceError(f"nessun documento per l'Ente {ente!r}")
            if len(matches) > 1:
                raise WorkspaceError(f"più Enti corrispondono a {ente!r}: {', '.join(matches)}")
            return matches[0]
        if not enti:
            raise WorkspaceError("lo store è vuoto: carica prima una Relazione o un Piano della performance")
        if len(enti) > 1:
            raise WorkspaceError(f"lo store contiene più Enti ({', '.join(enti)}): indica quale (opzione --ente)")
        return enti[0]

    def years(self, ente: str | None = None) -> list[int]:
        ente = self.ente(ente)
        years: set[int] = set()
        for doc in self.store.documents(ente):
            if doc.kind in ("relazione", "consuntivi"):
                years.add(doc.year)
        return sorted(years)

    def latest(self, ente: str, kind: str, year: int | None = None) -> Report | None:
        docs = [d for d in self.store.documents(ente) if d.kind == kind and (year is None or d.year == year)]
        if not docs:
            return None
        return self.store.report(max(docs, key=lambda d: d.ingested_at).id)

    def plan_for(self, ente: str, year: int) -> Report | None:
        plans = [
            (d, self.store.report(d.id)) for d in self.store.documents(ente) if d.kind == "piano"
        ]
        covering = [(d, r) for d, r in plans if year in r.plan_years]
        if not covering:
            return None
        return max(covering, key=lambda p: p[0].ingested_at)[1]

    def view(self, year: int | None = None, ente: str | None = None) -> YearView:
        ente = self.ente(ente)
        years = self.years(ente)
        if not years:
            raise WorkspaceError("nessuna Relazione né consuntivo nello store per questo Ente")
        if year is None:
            year = years[-1]
        if year not in years:
            raise WorkspaceError(
                f"nessun dato per il {year}: anni disponibili {', '.join(str(y) for y in years)}"
            )
        key = (self.store.generation(ente), ente, year, self.policy)
        with self._views_lock:
            cached = self._views.get(key)
        if cached is None:
            cached = self._view(ente, year)
            with self._views_lock:
                self._views[key] = cached
        return cached

    def _view(self, ente: str, year: int) -> YearView:
        # the checks are imported when a view is built, not to list documents
        from ingest.checks import check_report
        from ingest.compare import compare_plan_report
        from ingest.yearview import year_report

        plan = self.plan_for(ente, year)
        relazione = self.latest(ente, "relazione", year)
        if relazione is not None:
            report, basis = relazione, "relazione"
        else:
            actuals = self.latest(ente, "consuntivi", year)
            if actuals is None or plan is None:
                raise WorkspaceError(f"per il {year} servono la Relazione, oppure il Piano e i consuntivi")
            report, basis = year_report(plan, actuals), "piano+consuntivi"
        card = score_report(report, self.policy)
        findings = check_report(report, self.policy, card)
        if relazione is not None and plan is not None:
            findings += compare_plan_report(plan, relazione)
        findings += self._unexplained_deviations(ente, year, report, card)
        return YearView(
            ente=ente, year=year, basis=basis, report=report, scorecard=card, findings=tuple(findings),
            plan=plan, relazione=relazione,
        )

    def _unexplained_deviations(self, ente: str, year: int, report: Report, card: Scorecard) -> list[Finding]:
        """Indicators below target that no narrative passage of the same year explains (lexical
        search: no embedding model needed)."""
        from ingest.causes import cause_query, explains

        from .retrieval import SearchFilters

        out: list[Finding] = []
        for ind in report.indicators():
            if card.indicators[ind.key].met is not False:
                continue
            hits = self.retriever.search(cause_query(ind), 5, SearchFilters(ente=ente, year=year), "lexical")
            if any(explains(ind, h.text) for h in hits):
                continue
            code = ind.operational_objective or ind.strategic_objective
            out.append(
                Finding(
                    kind=FindingKind.below_target_without_cause, severity=Severity.warning,
                    message=(f"«{ind.name}» (obiettivo {code}) è sotto target ({ind.actual.raw} contro {ind.target.raw}) "
                             f"e nessun documento del {year} ne indica la causa."),
                    source=ind.actual_source or ind.source, strategic_objective=ind.strategic_objective,
                    operational_objective=ind.operational_objective, indicator=ind.name,
                    printed=ind.actual.raw, expected=ind.target.raw,
                )
            )
        return out

    # -- extraction without writing -------------------------------------------------------

    def extract(self, path: Path, plan_path: Path | None = None, progress: ProgressFn | None = None,
                allow_partial: bool = False) -> Extraction:
        from ingest.checks import check_report
        from ingest.compare import compare_plan_report
        from ingest.yearview import year_report

        plan = self.parse(plan_path, allow_partial=True, use_store=False) if plan_path else None
        report = self.parse(path, progress, plan=plan, allow_partial=allow_partial, use_store=False)
        if report.kind == "consuntivi":
            plan = plan or self._plan_for_actuals(path.read_bytes(), path.name)
            if plan is None:
                raise IngestError("per i consuntivi serve il Piano (--plan FILE)", path=str(path))
            scored = year_report(plan, report)
        else:
            scored = report
        card = score_report(scored, self.policy)
        findings = check_report(scored, self.policy, card)
        if report.kind == "relazione" and plan is not None:
            findings += compare_plan_report(plan, report)
        view = YearView(
            ente=scored.ente, year=scored.year, basis=report.kind, report=scored, scorecard=card,
            findings=tuple(findings), plan=plan, relazione=report if report.kind == "relazione" else None,
        )
        return Extraction(
            document={
                "ente": report.ente, "year": report.year, "kind": report.kind, "title": report.title,
                "source_file": report.source_file, "sha256": report.sha256, "synthetic": report.synthetic,
                "plan_years": list(report.plan_years), "ocr_pages": list(report.ocr_pages),
            },
            indicators=view.indicator_records(),
            objectives=view.objective_tree(),
            findings=view.finding_records(),
            layout=report.layout,
        )
