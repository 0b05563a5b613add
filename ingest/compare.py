"""Piano vs Relazione of the same Ente and year: what changed, and whether section 5 says so."""

from __future__ import annotations

from .claims import Claim, extract_claims
from .italian import fmt_pct
from .model import Finding, FindingKind, Indicator, Report, Severity, Target
from .textnorm import fold, similarity


def _same_target(a: Target | None, b: Target | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.operator == b.operator and a.value == b.value and (a.unit or "") == (b.unit or "")


def _match(plan_ind: Indicator, candidates: list[Indicator]) -> Indicator | None:
    exact = [c for c in candidates if fold(c.name) == fold(plan_ind.name)]
    if exact:
        return exact[0]
    scored = sorted(((similarity(c.name, plan_ind.name), c) for c in candidates), key=lambda p: -p[0])
    return scored[0][1] if scored and scored[0][0] >= 0.85 else None


def _explains(claims: list[Claim], code: str, ind: Indicator | None = None, kind: str = "target") -> Claim | None:
    for claim in claims:
        if claim.kind != kind or claim.objective != code:
            continue
        if ind is None or similarity(claim.indicator or "", ind.name) >= 0.5:
            return claim
    return None


def compare_plan_report(plan: Report, report: Report) -> list[Finding]:  # long: one pass per level, findings side by side
    """Differences between a Piano's objectives for `report.year` and the Relazione's tables."""
    year = report.year
    claims = extract_claims(report.sections)
    out: list[Finding] = []
    plan_objs = {o.code: o for o in plan.operational_objectives()}
    rep_objs = {o.code: o for o in report.operational_objectives()}
    plan_strat = {s.code: s for s in plan.strategic_objectives()}
    rep_strat = {s.code: s for s in report.strategic_objectives()}

    for code, p_obj in plan_objs.items():
        r_obj = rep_objs.get(code)
        if r_obj is None:
            claim = _explains(claims, code, kind="remove")
            out.append(
                Finding(
                    kind=FindingKind.objective_removed_in_report,
                    severity=Severity.info if claim else Severity.warning,
                    message=(
                        f"L'obiettivo operativo {code} «{p_obj.title}» del Piano non compare nella Relazione"
                        + (": eliminazione dichiarata nella sezione 5." if claim else " e la sezione 5 non lo spiega.")
                    ),
                    plan_source=p_obj.source,
                    claim_source=claim.source if claim else None,
                    operational_objective=code,
                    expected=p_obj.title,
                )
            )
            continue
        if p_obj.weight_pct is not None and r_obj.weight_pct is not None and p_obj.weight_pct != r_obj.weight_pct:
            out.append(
                Finding(
                    kind=FindingKind.weight_changed,
                    severity=Severity.warning,
                    message=f"Il peso dell'obiettivo operativo {code} passa da {fmt_pct(p_obj.weight_pct)} "
                            f"nel Piano a {fmt_pct(r_obj.weight_pct)} nella Relazione.",
                    source=r_obj.source, plan_source=p_obj.source, operational_objective=code,
                    printed=fmt_pct(r_obj.weight_pct), expected=fmt_pct(p_obj.weight_pct),
                )
            )
        out += _compare_indicators(code, list(p_obj.indicators), list(r_obj.indicators), year, claims)
    for code, r_obj in rep_objs.items():
        if code not in plan_objs:
            out.append(
                Finding(
                    kind=FindingKind.objective_added_in_report, severity=Severity.warning,
                    message=f"L'obiettivo operativo {code} «{r_obj.title}» è nella Relazione ma non nel Piano.",
                    source=r_obj.source, operational_objective=code,
                )
            )
    for code, p_s in plan_strat.items():
        r_s = rep_strat.get(code)
        if r_s is None:
            continue
        if p_s.weight_pct is not None and r_s.weight_pct is not None and p_s.weight_pct != r_s.weight_pct:
            out.append(
                Finding(
                    kind=FindingKind.weight_changed, severity=Severity.warning,
                    message=f"Il peso dell'obiettivo strategico {code} passa da {fmt_pct(p_s.weight_pct)} "
                            f"nel Piano a {fmt_pct(r_s.weight_pct)} nella Relazione.",
                    source=r_s.source, plan_source=p_s.source, strategic_objective=code,
                    printed=fmt_pct(r_s.weight_pct), expected=fmt_pct(p_s.weight_pct),
                )
            )
        out += _compare_indicators(code, list(p_s.indicators), list(r_s.indicators), year, claims, strategic=True)
    return out


def _compare_indicators(
    code: str, planned: list[Indicator], reported: list[Indicator], year: int, claims: list[Claim], strategic: bool = False
) -> list[Finding]:
    out: list[Finding] = []
    scope = {"strategic_objective": code} if strategic else {"operational_objective": code}
    remaining = list(reported)
    for p in planned:
        r = _match(p, remaining)
        if r is None:
            out.append(
                Finding(
                    kind=FindingKind.indicator_removed_in_report, severity=Severity.warning,
                    message=f"L'indicatore «{p.name}» dell'obiettivo {code} è nel Piano ma non nella Relazione.",
                    plan_source=p.source, indicator=p.name, **scope,
                )
            )
            continue
        remaining.remove(r)
        planned_target = p.targets_by_year.get(year, p.target)
        if planned_target is not None and not _same_target(planned_target, r.target):
            claim = _explains(claims, code, r)
            explained = claim is not None and claim.new_target is not None and r.target is not None and (
                claim.new_target.replace(" ", "").lstrip("<>=") in r.target.raw.replace(" ", "")
            )
            out.append(
                Finding(
                    kind=FindingKind.target_changed_explained if explained else FindingKind.target_changed_unexplained,
                    severity=Severity.info if explained else Severity.warning,
                    message=(
                        f"Il target dell'indicatore «{r.name}» (obiettivo {code}) passa da {planned_target.raw} "
                        f"nel Piano a {r.target.raw if r.target else 'nessuno'} nella Relazione"
                        + (": modifica dichiarata nella sezione 5." if explained else " senza spiegazione nella sezione 5.")
                    ),
                    source=r.source, plan_source=p.source, claim_source=claim.source if claim else None,
                    indicator=r.name, printed=r.target.raw if r.target else None, expected=planned_target.raw, **scope,
                )
            )
        if p.weight_pct != r.weight_pct:
            out.append(
                Finding(
                    kind=FindingKind.weight_changed, severity=Severity.warning,
                    message=f"Il peso dell'indicatore «{r.name}» (obiettivo {code}) passa da {fmt_pct(p.weight_pct)} a {fmt_pct(r.weight_pct)}.",
                    source=r.source, plan_source=p.source, indicator=r.name,
                    printed=fmt_pct(r.weight_pct), expected=fmt_pct(p.weight_pct), **scope,
                )
            )
    for r in remaining:
        out.append(
            Finding(
                kind=FindingKind.indicator_added_in_report, severity=Severity.warning,
                message=f"L'indicatore «{r.name}» dell'obiettivo {code} è nella Relazione ma non nel Piano.",
                source=r.source, indicator=r.name, **scope,
            )
        )
    return out
