"""Output hygiene: what comes from a document is written as text, never run or rendered.

* `csv_cell`: a CSV cell that starts with = + - @ (or a tab or carriage return) and is not a
  number is prefixed with an apostrophe, the OWASP rule against CSV injection (Excel and
  LibreOffice would run it as a formula).
* `escape_markup`: document text inside Markdown (answers, drafts, exported chapters) cannot
  open an HTML tag (`<script>`, `<img>`, `<!--`) or a Markdown image (`![x](http://...)`,
  fetched by any viewer): '<' before a tag name becomes '&lt;', '![' becomes '!\\['. Both
  render as the characters the document printed; the verifier reads them back the same way
  (`grounding._norm`). A '<' before a space, a digit or '=' ('<= 10 N.') is left alone.
"""

from __future__ import annotations

import html
import re

from ingest.numbers import NumberError, parse_number

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
_IMAGE_OPEN = re.compile(r"!\[")
_ESCAPED = re.compile(r"\\([\[\]])")


def csv_cell(value: object) -> object:
    """A cell safe for a spreadsheet: text that would start a formula gets a leading apostrophe."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    try:
        number, _ = parse_number(value.replace("−", "-"))
    except (NumberError, ValueError, ArithmeticError):
        number = None
    if number is not None and number.is_finite() and value.strip() == value and "e" not in value.lower():
        return value  # '-5,00', '+3': a number, read as one
    return "'" + value


def escape_markup(markdown: str) -> str:
    """Markdown whose document text cannot become HTML or a fetched image."""
    return _IMAGE_OPEN.sub(r"!\\[", _TAG_OPEN.sub("&lt;", markdown))


def as_rendered(text: str) -> str:
    """The characters a reader sees of an escaped text (what `escape_markup` kept literal)."""
    return html.unescape(_ESCAPED.sub(r"\1", text))
