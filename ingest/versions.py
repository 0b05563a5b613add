"""A new version of a document against the one in the store: what it would lose. Pure.

A file for an Ente, year and kind that already has a current version replaces it only when
it loses nothing: as many indicator rows (or actual values), every area, strategic and
operational objective, and no finding the current version does not have. Otherwise the
comparison says, in one line, what the new file lacks ("11 indicatori contro i 128 della
versione in archivio"), and the caller refuses it unless the user asks to replace.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .italian import fmt_number
from .model import Finding, Report, Severity
from .textnorm import fold

_LIST = 6


class Comparison(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    new_rows: int
    old_rows: int
    losses: tuple[str, ...] = ()  # what the new version lacks, one phrase each
    new_findings: tuple[str, ...] = ()  # findings the new version brings (their messages)

    @property
    def acceptable(self) -> bool:
        return not self.losses and not self.new_findings

    def summary(self) -> str:
        parts = list(self.losses)
        if self.new_findings:
            n = len(self.new_findings)
            parts.append(f"porta {'1 rilievo nuovo' if n == 1 else f'{n} rilievi nuovi'} ({self.new_findings[0]}"
                         + (" ..." if n > 1 else "") + ")")
        return "; ".join(parts)


def _codes(codes: list[str]) -> str:
    shown = ", ".join(codes[:_LIST])
    return shown + (f" e altri {len(codes) - _LIST}" if len(codes) > _LIST else "")


def finding_key(f: Finding) -> tuple:
    """A finding's identity across versions: what it is about, not where it was printed (a
    line moves when a page is added)."""
    return (f.kind, f.area, f.strategic_objective, f.operational_objective, fold(f.indicator or ""), f.printed, f.expected)


def compare_versions(new: Report, old: Report, new_findings: list[Finding], old_findings: list[Finding]) -> Comparison:
    """What `new` would lose against `old` (the current version of the same Ente, year, kind);
    the findings are each version's checks (warnings and errors count)."""
    losses: list[str] = []
    new_rows, old_rows = new.indicator_rows(), old.indicator_rows()
    if new_rows < old_rows:
        what = "consuntivi" if new.kind == "consuntivi" else "indicatori"
        losses.append(f"{fmt_number(new_rows)} {what} contro i {fmt_number(old_rows)} della versione in archivio")
    areas = [str(a.number) for a in old.areas if a.number not in {x.number for x in new.areas}]
    if areas:
        losses.append(f"mancano le aree {_codes(areas)} della versione in archivio")
    strategic = [s.code for s in old.strategic_objectives() if new.find_strategic(s.code) is None]
    if strategic:
        losses.append(f"mancano gli obiettivi strategici {_codes(strategic)} della versione in archivio")
    operational = [o.code for o in old.operational_objectives() if new.find_operational(o.code) is None]
    if operational:
        losses.append(f"mancano gli obiettivi operativi {_codes(operational)} della versione in archivio")
    actuals = {(a.objective, fold(a.indicator)) for a in new.actuals}
    lost_actuals = [a.objective for a in old.actuals if (a.objective, fold(a.indicator)) not in actuals]
    if lost_actuals and new_rows >= old_rows:
        losses.append(f"mancano i consuntivi degli obiettivi {_codes(list(dict.fromkeys(lost_actuals)))} della versione in archivio")
    known = {finding_key(f) for f in old_findings}
    brought = [
        f.message for f in new_findings
        if f.severity != Severity.info and finding_key(f) not in known
    ]
    return Comparison(new_rows=new_rows, old_rows=old_rows, losses=tuple(losses), new_findings=tuple(dict.fromkeys(brought)))
