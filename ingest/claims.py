"""Changes during the year claimed in the narrative (section 5), checked against the tables.

The Unioncamere outline has section 5 list the changes made to the Piano during the year:
indicators moved between objectives, objectives removed, targets changed. The phrasing
varies, so each kind of claim is recognised by a few Italian patterns; the indicator named
in the claim is then found in the tables by word overlap within the objectives involved.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .model import Finding, FindingKind, Indicator, Loc, Report, Section, Severity
from .numbers import NumberError, parse_number
from .patterns import compiled
from .textnorm import similarity

_CODE = r"(?P<{name}>\d+(?:\.\d+)+)\.?"
_APOS = "['’]"

_MOVE_RE = compiled(
    rf"spostamento dell{_APOS}indicatore:?\s+(?P<ind>.+?)\s+dall{_APOS}obiettivo(?: operativo)?:?\s*"
    + _CODE.format(name="src")
    + rf".*?\s+all{_APOS}obiettivo(?: operativo)?:?\s*"
    + _CODE.format(name="dst"),
    re.IGNORECASE,
)
_REMOVE_RE = compiled(
    rf"(?:eliminazione|soppressione|cancellazione) dell{_APOS}obiettivo(?: operativo)?:?\s*"
    + _CODE.format(name="code")
    + r"\s+(?P<title>[^,;]+)",
    re.IGNORECASE,
)
_OP = r"(?:=>|>=|<=|=<|=|≥|≤)"
_NUM = r"\d[\d.]*(?:,\d+)?"
_TARGET_FROM_TO_RE = compiled(
    r"obiettivo\s+" + _CODE.format(name="code")
    + rf"\s*(?P<title>.*?)\s+(?:dell{_APOS}|l{_APOS})indicatore:?\s+(?P<ind>.+?)\s+"
    rf"(?:portato|modificato|ridotto|aumentato)\s+da\s*(?P<old>{_OP}?\s*{_NUM})\s*a\s*(?P<new>{_OP}?\s*{_NUM})",
    re.IGNORECASE,
)
_TARGET_SET_RE = compiled(
    r"obiettivo\s+" + _CODE.format(name="code")
    + rf"\s*(?P<title>.*?)\s+(?:dell{_APOS}|l{_APOS})indicatore:?\s+"
    rf"(?P<ind>.+?)(?:\s*(?P<old>{_OP}\s*{_NUM}))?\s+(?=inserimento|con |e modifica|modifica)"
    rf"(?P<rest>[^;]*?)modifica del target a\s*(?P<new>{_OP}?\s*{_NUM})",
    re.IGNORECASE,
)
_DESCRIPTION_RE = compiled(r"inserimento nella descrizione[^\"“]*[\"“](?P<desc>[^\"”]+)[\"”]", re.IGNORECASE)


class Claim(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    kind: Literal["move", "remove", "target"]
    text: str
    source: Loc
    indicator: str | None = None
    objective: str | None = None  # remove/target: the objective; move: the destination
    from_objective: str | None = None
    old_target: str | None = None
    new_target: str | None = None
    new_description: str | None = None


def _value(text: str | None) -> Decimal | None:
    if not text:
        return None
    token = re.sub(r"[<>=\s]", "", text).rstrip(".")
    try:
        return parse_number(token)[0]
    except NumberError:
        return None


def _clean_target(text: str | None) -> str | None:
    if not text:
        return None
    text = " ".join(text.split()).replace("=>", ">=").replace("=<", "<=").rstrip(".,")
    return re.sub(r"^([<>]?=)\s*", r"\1 ", text)


def extract_claims(sections: tuple[Section, ...]) -> list[Claim]:
    """Claims found in section 5 (or any section titled on measurement and evaluation)."""
    claims: list[Claim] = []
    for section in sections:
        if not (section.number == "5" or "MISURAZIONE E VALUTAZIONE" in section.title.upper()):
            continue
        for paragraph in section.paragraphs:
            # list items arrive one per paragraph (text) or run together (PDF): split on '; ' or
            # '. ' before a lower-case word (not the dot closing a code such as '1.3.1.1.'),
            # never on the ' - ' inside an indicator name
            for item in re.split(r"(?:;|(?<!\d)\.)\s+-?\s*(?=[a-zà-ù]{3,}\b)", paragraph.text.lstrip("- ")):
                claims.extend(_claims_in(item.strip(), paragraph.source))
    return claims


def _claims_in(text: str, loc: Loc) -> list[Claim]:
    found: list[Claim] = []
    if m := _MOVE_RE.search(text):
        found.append(
            Claim(kind="move", text=text, source=loc, indicator=m["ind"].strip(" :"), objective=m["dst"], from_objective=m["src"])
        )
    if m := _REMOVE_RE.search(text):
        found.append(Claim(kind="remove", text=text, source=loc, objective=m["code"], indicator=None, new_target=None,
                           old_target=None, new_description=m["title"].strip()))
    m = _TARGET_FROM_TO_RE.search(text) or _TARGET_SET_RE.search(text)
    if m:
        description = _DESCRIPTION_RE.search(text)
        found.append(
            Claim(
                kind="target", text=text, source=loc, objective=m["code"], indicator=m["ind"].strip(" :"),
                old_target=_clean_target(m["old"]), new_target=_clean_target(m["new"]),
                new_description=description["desc"] if description else None,
            )
        )
    return found


def _best(indicators: list[Indicator], name: str) -> Indicator | None:
    scored = sorted(((similarity(i.name, name), i) for i in indicators), key=lambda p: -p[0])
    if scored and scored[0][0] >= 0.5:
        return scored[0][1]
    return None


def _under(report: Report, codes: set[str]) -> list[Indicator]:
    return [i for i in report.indicators() if (i.operational_objective or i.strategic_objective) in codes]


def check_claims(report: Report, claims: list[Claim]) -> list[Finding]:  # long: one finding per claim kind, messages side by side
    """Each claim becomes a finding: confirmed by the tables, or not shown by them."""
    findings: list[Finding] = []
    codes = {o.code for o in report.operational_objectives()} | {s.code for s in report.strategic_objectives()}
    for claim in claims:
        if claim.kind == "remove":
            present = claim.objective in codes
            obj = report.find_operational(claim.objective or "")
            findings.append(
                Finding(
                    kind=FindingKind.narrative_claim_not_in_tables if present else FindingKind.narrative_claim_confirmed,
                    severity=Severity.warning if present else Severity.info,
                    message=(
                        f"La sezione 5 dichiara eliminato l'obiettivo {claim.objective}, ma le tabelle lo riportano ancora."
                        if present
                        else f"Eliminazione dell'obiettivo {claim.objective} dichiarata nella sezione 5: le tabelle non lo riportano più (coerente)."
                    ),
                    source=obj.source if obj else None,
                    operational_objective=claim.objective,
                    claim_source=claim.source,
                    expected="obiettivo eliminato",
                    printed="presente nelle tabelle" if present else "assente dalle tabelle",
                )
            )
        elif claim.kind == "move":
            candidates = _under(report, {claim.objective or "", claim.from_objective or ""})
            ind = _best(candidates, claim.indicator or "") or _best(report.indicators(), claim.indicator or "")
            where = (ind.operational_objective or ind.strategic_objective) if ind else None
            ok = where == claim.objective
            findings.append(
                Finding(
                    kind=FindingKind.narrative_claim_confirmed if ok else FindingKind.narrative_claim_not_in_tables,
                    severity=Severity.info if ok else Severity.warning,
                    message=(
                        f"Spostamento dell'indicatore «{ind.name if ind else claim.indicator}» da {claim.from_objective} "
                        f"a {claim.objective} dichiarato nella sezione 5: "
                        + ("le tabelle lo riportano sotto il nuovo obiettivo (coerente)." if ok else
                           (f"le tabelle lo riportano ancora sotto {where}." if ind else "l'indicatore non si trova nelle tabelle."))
                    ),
                    source=ind.source if ind else None,
                    operational_objective=where,
                    indicator=ind.name if ind else claim.indicator,
                    claim_source=claim.source,
                    expected=f"{claim.from_objective} -> {claim.objective}",
                    printed=where,
                )
            )
        else:
            candidates = _under(report, {claim.objective or ""})
            ind = _best(candidates, claim.indicator or "")
            claimed = _value(claim.new_target)
            problems: list[str] = []
            if ind is None:
                problems.append("l'indicatore non si trova sotto quell'obiettivo")
            else:
                if ind.target is None or claimed is None or ind.target.value != claimed:
                    problems.append(f"la tabella riporta il target {ind.target.raw if ind.target else 'mancante'}")
                if claim.new_description and claim.new_description.lower() not in (
                    f"{ind.name} {ind.algorithm or ''}".lower()
                ):
                    problems.append(f"la descrizione non contiene «{claim.new_description}»")
            ok = not problems
            findings.append(
                Finding(
                    kind=FindingKind.narrative_claim_confirmed if ok else FindingKind.narrative_claim_not_in_tables,
                    severity=Severity.info if ok else Severity.warning,
                    message=(
                        f"Modifica del target dell'indicatore «{ind.name if ind else claim.indicator}» "
                        f"(obiettivo {claim.objective}) a {claim.new_target} dichiarata nella sezione 5: "
                        + ("confermata dalle tabelle." if ok else "; ".join(problems).rstrip(".") + ".")
                    ),
                    source=ind.source if ind else None,
                    operational_objective=claim.objective,
                    indicator=ind.name if ind else claim.indicator,
                    claim_source=claim.source,
                    expected=claim.new_target,
                    printed=ind.target.raw if ind and ind.target else None,
                )
            )
    return findings
