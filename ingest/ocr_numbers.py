"""Numbers misread by OCR in the value cells of a scanned table, put right where it is safe.

Tesseract reads a lone '6 N.' as 'GN.', '0 N.' as 'ON.', '1 N.' as 'IN.' or 'l N.', loses the
point of 'N.' ('5N'), doubles it ('1N..'), reads a comma as ';' or a point as ':'. A value cell
is a number with a unit, an operator or an arithmetic sign, so in a cell that is mostly that
(never in a cell of words) the usual confusions are undone: letters that look like digits
where a digit must stand (next to another digit, or before the unit 'N.'), the unit's lost or
doubled point, stray punctuation at the ends. On a page read by OCR the table
parser gets each row with the value cells it could not read replaced by their repair, when
that reads (a cell that reads is never touched); each change is a finding ("numeri corretti
dopo la lettura OCR"), so the number is never silently trusted.
"""

from __future__ import annotations

import re

from .model import Finding, FindingKind, Loc, Severity
from .numbers import NumberError, parse_measures, parse_quantity, parse_target, parse_weight

# letters Tesseract returns for digits in small print
_DIGIT_LIKE = {
    "O": "0", "o": "0", "D": "0", "Q": "0",
    "I": "1", "l": "1", "i": "1", "L": "1", "!": "1",
    "Z": "2", "z": "2",
    "T": "7",  # a sans-serif 7
    "S": "5", "s": "5",
    "G": "6", "b": "6",
    "B": "8",
    "g": "9", "q": "9",
}
_CONFUSABLE = "".join(_DIGIT_LIKE)
# a target's operator read as one to three stray characters: 'SE 90,00 %', 'dia 75,00 %'
_GARBLED_OPERATOR = re.compile(r"^(?P<junk>[^\d\s(+\-−]{1,3})\s+(?P<rest>\d[\d.,]*\s*(?:N\.|%|€))$")
_OPERATOR = re.compile(r"^(>=|<=|=)\s*\d")
# a speck or the operator's own bars read again as a letter no digit looks like, between the
# operator and the number: '>=ESN.' ('>= 5 N.'), '>=E1N.'
_NO_DIGIT = "".join(c for c in "ABCDEFHJKMPRUVWXYacdefhjkmnprtuvwxy" if c not in _DIGIT_LIKE)
_OPERATOR_SPECK = re.compile(rf"^(>=|<=|=)\s*[{_NO_DIGIT}]{{1,2}}(?=[{re.escape(_CONFUSABLE)}\d])")
_VALUE_CHARS = set("0123456789.,%€N/()+-*<>=≥≤ ")
_UNIT_N = re.compile(r"(?<=[\d\s/(])N(?:\s*[.,:;]+|i\b)?(?![A-Za-z])|^N(?:\s*[.,:;]+|i\b)?(?![A-Za-z])")  # 'N', 'N,', 'N..', 'Ni'
_LOOKALIKE_RUN = re.compile(
    rf"(?<![A-Za-z])[{re.escape(_CONFUSABLE)}0-9][{re.escape(_CONFUSABLE)}0-9.,]*(?=\s*(?:N\b|N[.,:;i]|%|€|$|[\s/)*+-]))"
)


def looks_like_value(cell: str) -> bool:
    """A cell that is (mostly) a number with its unit or operator, e.g. '>= GN.' or '5O0N.'."""
    text = cell.strip()
    if not text or not any(c.isdigit() for c in text) and not re.search(r"N[.,:;i]*$|N\.|%|€", text):
        return False
    letters = [c for c in text if c.isalpha() and c != "N"]
    words = re.findall(r"[A-Za-zÀ-ÿ]{3,}", re.sub(r"N(?=[.,:;]|$)", " ", text))  # the unit 'N.' is no word's end
    return not words and len(letters) <= max(2, len(text) // 4)


def repair_value(cell: str) -> str:
    """The cell with the usual OCR confusions of a value cell undone (unchanged if not one)."""
    if not looks_like_value(cell):
        return cell
    text = " ".join(cell.split())
    text = re.sub(r"^[|'‘’`]+|[|'‘’`]+$|\s+[-–]$", "", text).strip()  # a rule's remains, a speck
    text = re.sub(r"(?<=[\d%€.])\s+[a-zà-ù]$", "", text)  # a lone letter after the value: '25% z'
    text = _OPERATOR_SPECK.sub(r"\1 ", text)
    text = re.sub(r"(?<=\d);(?=\d)", ",", text)  # '98;56' -> '98,56'
    text = re.sub(r"(?<=[\d.]):(?=\d)|(?<=\d)\.:", lambda m: "." if m.group(0) == ":" else ".", text)
    text = re.sub(r"(?<=\d)\.(?=\s*(?:%|€))", "", text)  # '93,62. %' -> '93,62 %'
    text = _LOOKALIKE_RUN.sub(_digits, text)
    text = re.sub(r"(?<=\d)\.(?=\s*N)", "", text)  # '342. N.' -> '342 N.'
    text = re.sub(r"(?<=\d)[a-z](?=N\b|N\.)", "", text)  # '8nN.' -> '8N.'
    # a quantity straight after another is never printed: the '1' between them was a '/'
    text = re.sub(r"(N\.|[%€])\s+1(?=\d)", r"\1 / ", text)
    text = _UNIT_N.sub("N.", text)
    text = re.sub(r"(?<=\d)(?=N\.|%|€)", " ", text)  # '5N.' -> '5 N.'
    text = re.sub(r"^[.,:;'`]+|\s*[,:;'`$«»\"]+$|(?<=[%€.])\s*[.,:;'`$]+$", "", text).strip()
    return text


def _digits(match: re.Match) -> str:
    """Lookalike letters as digits, in a run that holds a digit already or is one character
    before the unit ('GN.' -> '6 N.'); 'SS N.' (perhaps '>= 5 N.') is left for a person."""
    run = match.group(0)
    if len(run.rstrip(".,")) > 1 and not any(c.isdigit() for c in run):
        return run
    return "".join(_DIGIT_LIKE.get(c, c) for c in run)


def repair_cells(cells: list[str], operator: str | None = None) -> list[str] | None:
    """The row's cells with each value cell that cannot be read replaced by its repair, when
    the repair can be read; None when no cell changed. A cell that reads is never touched.

    `operator` is the target operator the document prints most: a target whose operator came
    back as a few stray letters ('SE 90,00 %') gets that one, and the finding says so.
    """
    fixed = list(cells)
    for i, cell in enumerate(cells):
        if not cell or _reads(cell):
            continue
        repaired = repair_value(cell)
        if operator and not _reads(repaired) and (m := _GARBLED_OPERATOR.match(repaired)):
            repaired = f"{operator} {repair_value(m['rest'])}"
        if repaired != cell and _reads(repaired):
            fixed[i] = repaired
        elif (code := repair_kpi_code(cell)) != cell:
            fixed[i] = code
    return fixed if fixed != cells else None


# a KPI code ('EC05.1': letters, digits, a point, digits) with digits read as letters: 'ECOS.1'
_KPI_LOOKALIKE = re.compile(rf"^(?P<prefix>[A-Z]{{2}})(?P<number>[{re.escape(_CONFUSABLE)}0-9]{{1,3}})\.(?P<part>\d{{1,3}})$")


def repair_kpi_code(cell: str) -> str:
    """'ECOS.1' -> 'EC05.1': after a two-letter prefix, the letters that look like digits where
    the code's number stands (the part after the point read as digits); anything else unchanged."""
    m = _KPI_LOOKALIKE.match(cell.strip())
    if not m or m["number"].isdigit():
        return cell
    return f"{m['prefix']}{''.join(_DIGIT_LIKE.get(c, c) for c in m['number'])}.{m['part']}"


def printed_operator(cell: str) -> str | None:
    """The operator a target cell starts with, when it is printed and read ('>= 90,00 %')."""
    m = _OPERATOR.match(cell.strip())
    return m[1] if m else None


def _reads(cell: str) -> bool:
    """A weight, a quantity, a target or a VALORI MISURE expression the table parser reads."""
    for parse in (parse_weight, parse_quantity, parse_target, parse_measures):
        try:
            parse(cell)
            return True
        except NumberError:
            continue
    return False


def repaired_finding(cells: list[str], fixed: list[str], loc: Loc) -> Finding:
    """What the repair changed in a row, as a finding on its page."""
    changes = [(a, b) for a, b in zip(cells, fixed) if a != b]
    said = "; ".join(f"«{a}» letto come «{b}»" for a, b in changes)
    return Finding(
        kind=FindingKind.ocr_number_repaired,
        severity=Severity.warning,
        message=f"Numeri corretti dopo la lettura OCR: {said}. Da verificare sull'originale.",
        source=loc,
        printed=" | ".join(a for a, _ in changes),
        expected=" | ".join(b for _, b in changes),
    )


def unreadable_finding(cell: str, loc: Loc) -> Finding:
    """A value of a scanned page that could not be read: the row is kept without it."""
    return Finding(
        kind=FindingKind.unparseable_number,
        severity=Severity.warning,
        message=f"Valore illeggibile nella scansione: «{cell}». L'indicatore è caricato senza questo valore: da leggere sull'originale.",
        source=loc,
        printed=cell,
    )
