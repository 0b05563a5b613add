"""Italian numbers as printed in the tables: '1.150 N.', '92,15 %', '€ 6.901.084,00', '>= 0,50 %'.

Each number token is parsed by babel (`parse_decimal`, locale it_IT, strict), which checks
the thousands grouping. What is hand-written here is only the split of a cell into
operator, number token and unit, and the arithmetic of a VALORI MISURE expression, which
goes through Python's own `ast` (Decimal operands, + - * / and parentheses only).
"""

from __future__ import annotations

import ast
import re
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel.numbers import NumberFormatError, parse_decimal

from .model import Operator, Quantity, Target

LOCALE = "it_IT"


@lru_cache(maxsize=1)
def _locale() -> Locale:
    """babel parses a locale name at every call: the Locale once (a tenth of a view's checks)."""
    return Locale.parse(LOCALE)


# '1.150', '13.092.700,00', '100,', '-15,23', '0', '1150'
_NUM = r"[-−]?\d{1,3}(?:\.\d{3})+(?:,\d*)?|[-−]?\d+(?:,\d*)?"
_UNIT = r"N\.|%|€"
_QUANTITY_RE = re.compile(rf"^(?:(?P<pre>€)\s*)?(?P<num>{_NUM})\s*(?P<unit>{_UNIT})?$")
_TARGET_RE = re.compile(r"^(?P<op>>=|<=|=>|=<|≥|≤|=)?\s*(?P<rest>.+)$")
_WEIGHT_RE = re.compile(rf"^(?P<num>{_NUM})\s*%?$")
_MEASURE_TOKEN_RE = re.compile(rf"(?P<num>{_NUM})\s*(?P<unit>{_UNIT})?|(?P<op>[-+*/()])|(?P<space>\s+)")

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
    try:
        value = parse_decimal(text, locale=_locale(), strict=True)
    except NumberFormatError as exc:
        raise NumberError(f"numero non valido: {token!r}") from exc
    decimals = len(text.split(",", 1)[1]) if "," in text else -1
    return value, decimals


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
