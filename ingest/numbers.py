"""Italian numbers as printed in the tables: '1.150 N.', '92,15 %', '€ 6.901.084,00', '>= 0,50 %'.

Each number token is read as babel's strict Italian parse reads it (`parse_decimal`, it_IT,
strict=True; the tests hold the two equal on every token of a generated space): '.' groups
thousands and ',' is the decimal comma; Python's `Decimal` reads the digits; a token with a
'.' must be printed back the same way, so '1.15' or '11.50,0' is refused rather than guessed.
babel itself is not loaded: its whole Italian locale (a twentieth of a cold `relazione ask`)
for these two symbols. The split of a cell into operator, number token and unit is
hand-written, and the arithmetic of a VALORI MISURE expression goes through Python's own `ast`
(Decimal operands, + - * / and parentheses only).
"""

from __future__ import annotations

import ast
import re
from decimal import Decimal, DivisionByZero, InvalidOperation

from .italian import italian
from .model import Operator, Quantity, Target
from .patterns import compiled

# '1.150', '13.092.700,00', '100,', '-15,23', '0', '1150'
_NUM = r"[-−]?\d{1,3}(?:\.\d{3})+(?:,\d*)?|[-−]?\d+(?:,\d*)?"
_UNIT = r"N\.|%|€"
_QUANTITY_RE = compiled(rf"^(?:(?P<pre>€)\s*)?(?P<num>{_NUM})\s*(?P<unit>{_UNIT})?$")
_TARGET_RE = compiled(r"^(?P<op>>=|<=|=>|=<|≥|≤|=)?\s*(?P<rest>.+)$")
_WEIGHT_RE = compiled(rf"^(?P<num>{_NUM})\s*%?$")
_MEASURE_TOKEN_RE = compiled(rf"(?P<num>{_NUM})\s*(?P<unit>{_UNIT})?|(?P<op>[-+*/()])|(?P<space>\s+)")

_OPERATORS: dict[str, Operator] = {">=": ">=", "=>": ">=", "≥": ">=", "<=": "<=", "=<": "<=", "≤": "<=", "=": "="}


class NumberError(ValueError):
    """A cell that should hold a number does not."""


def normalise_unit(unit: str | None) -> str | None:
    return unit or None


def parse_number(token: str) -> tuple[Decimal, int]:
    """Parse one Italian number token; return the value and the digits after the comma (-1: none)."""
    text = token.strip().replace("−", "-")
    if not text:
        raise NumberError("cella vuota")
    value = _italian_decimal(text)
    if value is None:
        raise NumberError(f"numero non valido: {token!r}")
    decimals = len(text.split(",", 1)[1]) if "," in text else -1
    return value, decimals


def _italian_decimal(text: str) -> Decimal | None:
    """The value of an Italian number token, or None (babel's strict it_IT parse, see above)."""
    try:
        value = Decimal(text.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None
    if "." in text:  # the grouping must be the one the number is printed with
        if text.strip("0123456789.,-"):  # '1.e30', '1.1_50': never printed so (nor expanded digit by digit)
            return None
        if _printed(value) not in (text, _without_trailing_zeros(text)):
            return None
    return value


def _without_trailing_zeros(text: str) -> str:
    """'1.150,50' -> '1.150,5', '1.150,00' -> '1.150'; '1.150,' stays (babel's rule)."""
    integer, _, fraction = text.partition(",")
    if not fraction:
        return text
    fraction = fraction.rstrip("0")
    return integer + "," + fraction if fraction else integer


def _printed(value: Decimal) -> str:
    """'1.150,5' for 1150.50: grouped, with the decimals the value has (trailing zeros off)."""
    if not value.is_finite():
        return str(value)
    integer, _, fraction = format(value, ",f").partition(".")
    fraction = fraction.rstrip("0")
    return italian(integer + ("." + fraction if fraction else ""))


def parse_quantity(cell: str) -> Quantity:
    """'1.150 N.' -> 1150 N.; '€ 6.901.084,00' -> 6901084.00 €; '92,15%' -> 92.15 %."""
    text = " ".join(cell.split())
    m = _QUANTITY_RE.match(text)
    if not m:
        raise NumberError(f"valore non riconosciuto: {cell!r}")
    value, decimals = parse_number(m["num"])
    unit = m["unit"] or m["pre"]
    return Quantity(value=value, unit=unit, raw=text, decimals=decimals)


def is_quantity(cell: str) -> bool:
    try:
        parse_quantity(cell)
    except NumberError:
        return False
    return True


def parse_weight(cell: str) -> Decimal:
    """'25, %' -> 25; '16,7 %' -> 16.7; '100,0%' -> 100.0."""
    text = " ".join(cell.split())
    m = _WEIGHT_RE.match(text)
    if not m:
        raise NumberError(f"peso non riconosciuto: {cell!r}")
    value, _ = parse_number(m["num"])
    if not Decimal(0) <= value <= Decimal(100):
        raise NumberError(f"peso fuori scala: {cell!r}")
    return value


def is_weight(cell: str) -> bool:
    text = " ".join(cell.split())
    if not text.endswith("%") and "," not in text:
        return False  # a bare integer is a count, not a weight
    try:
        parse_weight(text)
    except NumberError:
        return False
    return True


def parse_target(cell: str) -> Target:
    """'>= 200 N.' -> (>=, 200, N.); '0 N.' -> (=, 0, N.), the operator being implicit."""
    text = " ".join(cell.split())
    m = _TARGET_RE.match(text)
    if not m:
        raise NumberError(f"target non riconosciuto: {cell!r}")
    q = parse_quantity(m["rest"])
    op = m["op"]
    return Target(
        operator=_OPERATORS[op] if op else "=",
        value=q.value,
        unit=q.unit,
        raw=text,
        decimals=q.decimals,
        implicit_operator=op is None,
    )


def is_target(cell: str) -> bool:
    try:
        parse_target(cell)
    except NumberError:
        return False
    return True


class Measures:
    """A VALORI MISURE cell: its quantities (numbers with a unit) and its arithmetic.

    '(( 560 N. - 167 N. ) / 167 N. ) * 100' has three measures; the unit-less '100' is a
    formula constant, kept in the expression but not listed as a measure.
    """

    def __init__(self, raw: str, quantities: list[Quantity], expression: str, constants: list[Decimal]):
        self.raw = raw
        self.quantities = quantities
        self.expression = expression  # python syntax over names q0, q1... and c0, c1...
        self.constants = constants

    @property
    def is_ratio(self) -> bool:
        return "/" in self.expression

    @property
    def multiplies_by_100(self) -> bool:
        return any(c == 100 for c in self.constants) and "*" in self.expression

    def evaluate(self) -> Decimal:
        names = {f"q{i}": q.value for i, q in enumerate(self.quantities)}
        names |= {f"c{i}": c for i, c in enumerate(self.constants)}
        return _eval_decimal(self.expression, names)


def parse_measures(cell: str) -> Measures:
    text = " ".join(cell.split())
    if not text:
        raise NumberError("valori misure vuoti")
    quantities: list[Quantity] = []
    constants: list[Decimal] = []
    parts: list[str] = []
    pos = 0
    while pos < len(text):
        m = _MEASURE_TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            raise NumberError(f"valori misure non riconosciuti: {cell!r}")
        pos = m.end()
        if m["space"]:
            continue
        if m["op"]:
            parts.append(m["op"])
            continue
        value, decimals = parse_number(m["num"])
        if m["unit"]:
            parts.append(f"q{len(quantities)}")
            quantities.append(
                Quantity(value=value, unit=m["unit"], raw=m.group(0).strip(), decimals=decimals)
            )
        else:
            parts.append(f"c{len(constants)}")
            constants.append(value)
    if not quantities:
        raise NumberError(f"nessuna misura con unità: {cell!r}")
    expression = " ".join(parts)
    try:
        ast.parse(expression, mode="eval")
    except SyntaxError as exc:
        raise NumberError(f"valori misure non riconosciuti: {cell!r}") from exc
    return Measures(text, quantities, expression, constants)


def is_measures(cell: str) -> bool:
    try:
        parse_measures(cell)
    except NumberError:
        return False
    return True


def _eval_decimal(expression: str, names: dict[str, Decimal]) -> Decimal:
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as exc:
        raise NumberError(f"espressione non valida: {expression!r}") from exc

    def ev(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            value = ev(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp):
            left, right = ev(node.left), ev(node.right)
            try:
                if isinstance(node.op, ast.Add):
                    return left + right
                if isinstance(node.op, ast.Sub):
                    return left - right
                if isinstance(node.op, ast.Mult):
                    return left * right
                if isinstance(node.op, ast.Div):
                    return left / right
            except (DivisionByZero, InvalidOperation) as exc:
                raise NumberError("divisione per zero") from exc
        raise NumberError(f"espressione non ammessa: {expression!r}")

    return ev(tree)


def strip_markup(text: str) -> str:
    """Remove <b>, ** and similar markers from a cell."""
    text = re.sub(r"</?b>|\*\*", "", text)
    return text
