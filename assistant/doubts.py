"""Open findings make the numbers they concern doubtful: each such fact carries a `Doubt`.

A finding names what it is about (an indicator and its objective, an objective, an area, or
just where it was printed); `attach_finding_doubts` finds the facts of the book it concerns
and attaches the finding to them. The `Writer` then writes a note beside every number with a
doubt behind it (its own, or of a number it was computed from) and lists it in `warnings`,
so that an answer "verificata" never hides a doubtful source. Only findings that put a
number in doubt count (warnings and errors of the kinds below); an explained change, a
confirmed claim or a change from the Piano without explanation (the number is right, its
explanation is missing) does not.
"""

from __future__ import annotations

from typing import Iterable

from ingest.model import Finding, FindingKind, Report, Severity
from ingest.numbers import NumberError, parse_quantity
from ingest.textnorm import fold

from . import fact_ids as ids
from .fact_ids import try_parse
from .facts import Doubt, FactBook

# kind -> (note beside the number, which facts of an indicator it concerns)
_NOTES: dict[FindingKind, tuple[str, tuple[str, ...]]] = {
    FindingKind.consuntivo_mismatch: ("consuntivo diverso dai valori misure", ("actual",)),
    FindingKind.measure_unit_mismatch: ("unità della misura diversa da quella del consuntivo", ("actual",)),
    FindingKind.printed_achievement_mismatch: ("raggiungimento stampato diverso da quello calcolato", ("achievement",)),
    FindingKind.narrative_claim_not_in_tables: ("modifica dichiarata nel testo ma non nelle tabelle", ("target",)),
    FindingKind.weights_not_100: ("pesi che non sommano al cento per cento", ("weight",)),
    FindingKind.total_mismatch: ("totale diverso dalle sue righe", ()),
    FindingKind.unparseable_number: ("numero non leggibile", ("actual", "target")),
    FindingKind.row_not_parsed: ("riga non letta", ()),
    FindingKind.duplicate_row: ("riga ripetuta nel documento", ("weight", "actual", "target", "measure")),
    FindingKind.implausible_value: ("valore fuori scala per la sua unità", ("weight", "actual", "target", "measure")),
}


def doubt_note(kind: FindingKind) -> str | None:
    """The note written beside a number an open finding of this kind concerns (no digits)."""
    entry = _NOTES.get(kind)
    return f"rilievo aperto: {entry[0]}" if entry else None


def attach_finding_doubts(book: FactBook, findings: Iterable[Finding], report: Report, file: str | None = None) -> int:
    """Attach each open finding to the facts it concerns; return how many facts got a doubt."""
    touched: set[str] = set()
    for finding in findings:
        note = doubt_note(finding.kind)
        if note is None or finding.severity == Severity.info:
            continue
        where = f"{file or report.source_file}, {finding.source.label()}" if finding.source else (file or report.source_file)
        doubt = Doubt(kind="finding", note=note, detail=finding.message, where=where)
        for fact_id in concerned_facts(book, finding, report):
            book.doubt(fact_id, doubt)
            touched.add(fact_id)
    return len(touched)


def concerned_facts(book: FactBook, finding: Finding, report: Report) -> list[str]:
    """The ids of the facts of `book` that `finding` is about."""
    fields = _NOTES[finding.kind][1] if finding.kind in _NOTES else ()
    if finding.indicator:
        keys = _indicator_keys(report, finding)
        if keys:
            return [f.id for f in book if _field_of(f.id, keys) in fields]
    code = finding.operational_objective or finding.strategic_objective
    if finding.kind == FindingKind.weights_not_100:
        return _weight_level(book, code, finding.area)
    if code:
        level = "operational" if finding.operational_objective else "strategic"
        return [fid for fid in (str(ids.node(level, code, "achievement")),) if fid in book] + _overview(book, code)
    if finding.area is not None:
        area = str(finding.area)
        return [fid for fid in (str(ids.node("area", area, "achievement")),) if fid in book] + _overview(book, area)
    return _at_source(book, finding)


def _indicator_keys(report: Report, finding: Finding) -> set[str]:
    name = fold(finding.indicator or "")
    code = finding.operational_objective or finding.strategic_objective
    return {
        ind.key for ind in report.indicators()
        if fold(ind.name) == name and (code is None or code in (ind.operational_objective, ind.strategic_objective))
    }


def _field_of(fact_id: str, keys: set[str]) -> str | None:
    """'3.2/1.2.1/3#measure0' -> 'measure' when the key is one of `keys`."""
    fid = try_parse(fact_id)
    if fid is None or fid.kind != "indicator" or fid.at is not None or fid.name not in keys:
        return None
    return fid.field.rstrip("0123456789") if fid.field.startswith("measure") else fid.field


def _weight_level(book: FactBook, code: str | None, area: int | None) -> list[str]:
    """Weights that do not sum to 100 at a level: the weights of that level and the weighted
    mean computed with them."""
    typed = [(f, fid) for f in book if (fid := try_parse(f.id)) is not None]
    weights = [(f, fid.name.partition(":")) for f, fid in typed if fid.kind in ("node", "indicator") and fid.field == "weight" and fid.at is None]
    if code:
        parent = [str(ids.node("operational", code, "achievement")), str(ids.node("strategic", code, "achievement"))]
        children = [f.id for f, (level, _, c) in weights
                    if (len(f.scope) > 1 and f.scope[1] == code) or (level == "operational" and c.startswith(code + "."))]
    elif area is not None:
        parent = [str(ids.node("area", str(area), "achievement"))]
        children = [f.id for f, (level, _, c) in weights if level == "strategic" and c.startswith(f"{area}.")]
    else:
        parent = [f.id for f, fid in typed if fid.kind == "node" and fid.name.startswith("ente:") and fid.field == "achievement"]
        children = [f.id for f, (level, _, _) in weights if level == "area"]
    return [fid for fid in parent if fid in book] + children


def _overview(book: FactBook, code: str) -> list[str]:
    """The printed overview rows of `code` (ids 'overview:<table>:<level>:<code>')."""
    return [f.id for f in book if (fid := try_parse(f.id)) is not None and fid.kind == "overview" and fid.name.endswith(f":{code}")]


def _at_source(book: FactBook, finding: Finding) -> list[str]:
    """Read facts printed where the finding was: on the same line of a text file, or on the
    same page with the value the finding prints (a page holds many numbers)."""
    if finding.source is None:
        return []
    printed = _value(finding.printed)
    out = []
    for f in book:
        if f.source is None or f.operation != "read" or _kind(f.id) == "finding":
            continue
        if finding.source.line is not None:
            if finding.source.line in (f.source.lines or [f.source.line]):
                out.append(f.id)
        elif f.source.page == finding.source.page and printed is not None and f.value == printed:
            out.append(f.id)
    return out


def _value(raw: str | None):
    if not raw:
        return None
    try:
        return parse_quantity(raw.replace("%", " %").replace("  ", " ").strip()).value
    except NumberError:
        return None


def _kind(fact_id: str) -> str | None:
    fid = try_parse(fact_id)
    return fid.kind if fid else None
