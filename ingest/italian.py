"""Italian number formatting (babel): 1.838.556 · 92,15 · -5,0."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

from babel.numbers import format_decimal

LOCALE = "it_IT"


@lru_cache(maxsize=65536)  # babel's formatting is the costliest step of writing an answer
def fmt_number(value: Decimal | int | float, decimals: int = 0) -> str:
    """Fixed decimals, Italian grouping: fmt_number(Decimal('1838556'), 0) -> '1.838.556'."""
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if not d.is_finite():
        return "n.d."  # never stored (ingest/validate.py refuses it); written, never a crash
    with localcontext() as ctx:
        # quantize needs every digit of the result: 1e308 has 309 of them
        ctx.prec = max(28, d.adjusted() + decimals + 2)
        return _fmt_finite(d, decimals)


def _fmt_finite(d: Decimal, decimals: int) -> str:
    if decimals > 0:
        d = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        pattern = "#,##0." + "0" * decimals
    else:
        d = d.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        pattern = "#,##0"
    text = format_decimal(d, format=pattern, locale=LOCALE)
    return "0" + text[2:] if text.startswith("-0") and d == 0 else text


def fmt_pct(value: Decimal | int | float, decimals: int = 2) -> str:
    """'92,15%'."""
    return fmt_number(value, decimals) + "%"


def fmt_eur(value: Decimal | int | float, decimals: int = 0) -> str:
    """'1.838.556 €'."""
    return fmt_number(value, decimals) + " €"
