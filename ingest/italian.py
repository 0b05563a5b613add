"""Italian number formatting: 1.838.556 · 92,15 · -5,0.

Python's own format specification groups the digits ('1,838,556.00'); the two symbols are
then swapped. That is all the Italian locale holds for numbers: babel, which the tests use as
the reference (tests/test_numbers.py), loads the whole locale (300 KB of data, a twentieth of
a cold `relazione ask`) to print the same string.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

_TO_ITALIAN = str.maketrans(",.", ".,")


def italian(grouped: str) -> str:
    """'1,150.5' (Python's grouping) -> '1.150,5'."""
    return grouped.translate(_TO_ITALIAN)


@lru_cache(maxsize=65536)  # formatting is the costliest step of writing an answer's numbers
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
    d = d.quantize(Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1), rounding=ROUND_HALF_UP)
    text = italian(format(d, f",.{max(decimals, 0)}f"))  # exact: d has exactly these decimals
    return "0" + text[2:] if text.startswith("-0") and d == 0 else text


def fmt_pct(value: Decimal | int | float, decimals: int = 2) -> str:
    """'92,15%'."""
    return fmt_number(value, decimals) + "%"


def fmt_eur(value: Decimal | int | float, decimals: int = 0) -> str:
    """'1.838.556 €'."""
    return fmt_number(value, decimals) + " €"
