"""Files of actual values (consuntivi): CSV (';' or ',', Italian numbers) or XLSX.

Columns, by header name (case and accents ignored): anno, obiettivo, indicatore,
consuntivo, unita. Each row is matched to an indicator of the Piano (same objective code,
same indicator name). Unknown indicators and unparseable numbers are reported row by row
on the report's `problems`, never silently dropped.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Callable

from .encoding import decode_text, nul_finding
from .errors import IngestError, InvalidDocument, NotAPerformanceDocument, UnreadableFile
from .italian import fmt_number
from .limits import DEFAULT_LIMITS, LimitExceeded, Limits, csv_field_exceeded, csv_rows_exceeded
from .model import ActualValue, Finding, FindingKind, Loc, Quantity, Report, Severity, SourceFormat
from .numbers import NumberError, parse_number, parse_quantity
from .textnorm import fold, is_synthetic

ProgressFn = Callable[[str, int, int], None]

_COLUMNS = {
    "anno": ("anno", "year"),
    "obiettivo": ("obiettivo", "codice obiettivo", "codice", "objective"),
    "indicatore": ("indicatore", "nome indicatore", "indicator"),
    "consuntivo": ("consuntivo", "valore", "valore consuntivo", "actual"),
    "unita": ("unita", "unita di misura", "unit"),
}


def _header_map(header: list[str], name: str) -> dict[str, int]:
    folded = [fold(h) for h in header]
    found: dict[str, int] = {}
    for key, aliases in _COLUMNS.items():
        for i, h in enumerate(folded):
            if h in aliases:
                found[key] = i
                break
    missing = [k for k in ("anno", "obiettivo", "indicatore", "consuntivo") if k not in found]
    if missing:
        raise NotAPerformanceDocument(
            "intestazione non riconosciuta: servono le colonne anno, obiettivo, indicatore, consuntivo (e unita); "
            f"mancano: {', '.join(missing)}",
            path=name,
        )
    return found


Rows = list[tuple[int, list[str]]]


def _rows_csv(data: bytes, name: str, limits: Limits) -> tuple[Rows, int]:
    """The non-empty rows with their line numbers, and how many NUL characters were removed.
    Rows and field sizes are bounded by `limits`; a malformed CSV is one line, never Python's."""
    decoded = decode_text(data, name, what="CSV di testo")
    text = decoded.text
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: Rows = []
    try:
        for row in reader:
            if any(len(c) > limits.max_csv_field_chars for c in row):
                raise csv_field_exceeded(reader.line_num, name, limits)
            if any(c.strip() for c in row):
                if len(rows) >= limits.max_csv_rows + 1:  # the header does not count
                    raise csv_rows_exceeded(len(rows), name, limits)
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise csv_field_exceeded(reader.line_num, name, limits) from None
        raise UnreadableFile(f"il CSV non è valido alla riga {reader.line_num} (virgolette non chiuse o caratteri non ammessi)",
                             path=name) from None
    return rows, decoded.nul_removed


def _rows_xlsx(data: bytes, name: str, limits: Limits) -> Rows:
    """The first sheet's non-empty rows (the archive's sizes were checked before, `limits`)."""
    from openpyxl import load_workbook  # only needed for spreadsheets

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise UnreadableFile(f"il foglio Excel non può essere letto ({type(exc).__name__})", path=name) from None
    try:
        sheet = book.worksheets[0]
        rows: Rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_xlsx_cell(v) for v in values]
            if any(len(c) > limits.max_csv_field_chars for c in cells):
                raise csv_field_exceeded(number, name, limits)
            if any(cells):
                if len(rows) >= limits.max_csv_rows + 1:
                    raise csv_rows_exceeded(len(rows), name, limits)
                rows.append((number, cells))
    except IngestError:
        raise
    except Exception as exc:  # a damaged sheet part: openpyxl raises many types
        raise UnreadableFile(f"il foglio Excel non può essere letto ({type(exc).__name__})", path=name) from None
    finally:
        book.close()
    return rows


def _xlsx_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # a spreadsheet number: write it the Italian way so one parser serves both formats
        text = format(Decimal(str(value)), "f")
        whole, _, frac = text.partition(".")
        return whole + ("," + frac if frac else "")
    return str(value).strip()


def _plan_index(plan: Report) -> dict[tuple[str, str], str]:
    index: dict[tuple[str, str], str] = {}
    for ind in plan.indicators():
        code = ind.operational_objective or ind.strategic_objective
        index[(code, fold(ind.name))] = ind.key
    return index


def read_actuals(  # long: one pass over the rows, each refusal next to the cell it reads
    data: bytes,
    name: str,
    fmt: SourceFormat,
    digest: str,
    *,
    plan: Report | None,
    progress: ProgressFn | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Report:
    nul_removed = 0
    if fmt == "xlsx":
        rows = _rows_xlsx(data, name, limits)
    else:
        rows, nul_removed = _rows_csv(data, name, limits)
    if not rows:
        raise UnreadableFile("il file non contiene righe", path=name)
    (_, header), body = rows[0], rows[1:]
    cols = _header_map(header, name)
    if plan is None:
        raise IngestError(
            "per leggere i consuntivi serve il Piano della performance con i target dell'anno: caricalo prima",
            path=name,
        )
    index = _plan_index(plan)
    _check_rows_against_plan(len(body), len(index), name)
    problems: list[Finding] = []
    if nul_removed:
        problems.append(nul_finding(nul_removed))
    values: list[ActualValue] = []
    years: set[int] = set()
    for done, (line, cells) in enumerate(body, start=1):
        if progress:
            progress("righe consuntivi", done, len(body))
        loc = Loc(line=line)

        def cell(key: str, cells: list[str] = cells) -> str:
            i = cols.get(key)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        code, indicator = cell("obiettivo"), cell("indicatore")
        try:
            year_value, _ = parse_number(cell("anno"))
            if not year_value.is_finite() or year_value != year_value.to_integral_value():
                raise NumberError("anno non intero")
            year = int(year_value)
        except NumberError:
            problems.append(_problem(FindingKind.unparseable_number, loc, f"anno non valido: {_quote(cell('anno'))}", indicator))
            continue
        raw_value, unit = cell("consuntivo"), cell("unita")
        try:
            quantity = parse_quantity(f"{raw_value} {unit}".strip())
        except NumberError:
            try:
                number, decimals = parse_number(raw_value)
                if not number.is_finite():  # 'NaN', 'inf': no value can be scored from it
                    raise InvalidDocument(f"dati impossibili: valore impossibile {_quote(raw_value)} ({loc.label()})", path=name)
                quantity = Quantity(value=number, unit=unit or None, raw=f"{raw_value} {unit}".strip(), decimals=decimals)
            except NumberError:
                problems.append(
                    _problem(FindingKind.unparseable_number, loc, f"consuntivo non leggibile: {_quote(raw_value)}", indicator)
                )
                continue
        if (code, fold(indicator)) not in index:
            problems.append(
                _problem(
                    FindingKind.unknown_indicator, loc,
                    f"indicatore non presente nel Piano per l'obiettivo {_quote(code)}: {_quote(indicator)}", indicator,
                )
            )
            continue
        years.add(year)
        values.append(ActualValue(year=year, objective=code, indicator=indicator, value=quantity, source=loc))
    if not values:
        raise NotAPerformanceDocument(
            "nessuna riga corrisponde agli indicatori del Piano: " + "; ".join(p.message for p in problems[:3]),
            path=name,
        )
    if len(years) > 1:
        raise IngestError(f"il file contiene consuntivi di più anni ({sorted(years)}): uno per file", path=name)
    year = years.pop()
    return Report(
        ente=plan.ente,
        year=year,
        kind="consuntivi",
        title=f"Consuntivi {year} – {plan.ente}",
        source_file=name.rsplit("/", 1)[-1],
        sha256=digest,
        source_format=fmt,
        synthetic=is_synthetic(name),
        actuals=tuple(values),
        problems=tuple(problems),
    )


# A file of actual values holds one year: one row per indicator of its Piano. Twice as many
# rows (and a few spare, for repeated or unknown rows, each a finding) cannot be such a file,
# and it is refused before any of its cells is parsed (a 50 MB CSV within the row limit would
# otherwise take minutes).
_ROWS_PER_INDICATOR = 2
_SPARE_ROWS = 50
_QUOTED = 60  # characters of a cell quoted in a message


def _check_rows_against_plan(rows: int, indicators: int, name: str) -> None:
    if rows > _ROWS_PER_INDICATOR * indicators + _SPARE_ROWS:
        raise LimitExceeded(
            f"il file ha {fmt_number(rows, 0)} righe, ma il Piano ha {fmt_number(indicators, 0)} indicatori "
            "(una riga per indicatore): non è un file di consuntivi di un anno",
            path=name,
        )


def _quote(cell: str) -> str:
    """A cell quoted in a one-line message, shortened (a cell can hold thousands of characters)."""
    return repr(cell if len(cell) <= _QUOTED else cell[:_QUOTED] + "…")


def _problem(kind: FindingKind, loc: Loc, message: str, indicator: str | None) -> Finding:
    return Finding(kind=kind, severity=Severity.warning, message=message, source=loc, indicator=indicator or None)
