"""Bytes of a text or CSV file -> text, whatever encoding an office PC wrote it in.

UTF-8 with or without BOM, UTF-16 with or without BOM (Excel's "Unicode text"), and the
Western single-byte encodings (Latin-1, CP1252, ISO 8859-15) are read. The BOM decides when
there is one; UTF-16 without BOM is told by its zero bytes; UTF-8 is tried strictly; anything
else is detected by charset-normalizer among the Western encodings (an Italian document), and
Latin-1 is read as CP1252 (its superset for the printable characters: '€', '’'). NUL bytes
(a damaged copy, a bad export) are removed and counted, so that the caller can say so; a
file that is mostly NULs or control characters is not text and is refused.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

from .errors import UnreadableFile
from .model import Finding, FindingKind, Severity

_WESTERN = ["cp1252", "iso8859_15", "latin_1"]
# more NULs than this share of the bytes (UTF-16 aside): a binary file, not text with a few stray NULs
_NUL_SHARE = 0.01
_SAMPLE = 4096


class Decoded(NamedTuple):
    text: str
    encoding: str
    nul_removed: int  # NUL characters removed from the text


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the zero bytes fall on one parity (ASCII-range text)."""
    sample = data[: _SAMPLE - _SAMPLE % 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sum(1 for i in range(0, len(sample), 2) if sample[i] == 0)
    odd = sum(1 for i in range(1, len(sample), 2) if sample[i] == 0)
    if odd > 0.4 * pairs and even < 0.05 * pairs:
        return "utf-16-le"
    if even > 0.4 * pairs and odd < 0.05 * pairs:
        return "utf-16-be"
    return None


def _encoding_of(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return _utf16_without_bom(data)


def _single_byte(data: bytes) -> str | None:
    """UTF-8 when it decodes strictly, else what charset-normalizer finds among the Western
    encodings (Latin-1 read as CP1252, which prints 0x80-0x9F as '€', '’'...)."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only for files that are not UTF-8

    best = from_bytes(data, cp_isolation=_WESTERN).best()
    if best is None:
        return None
    encoding = best.encoding
    if encoding == "latin_1":
        try:
            data.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return encoding
    return encoding


def decode_text(data: bytes, name: str, what: str = "testo") -> Decoded:
    """The text of `data`, or `UnreadableFile` in one line when it is empty or not text."""
    if not data.strip(b" \t\r\n\x00"):
        raise UnreadableFile("il file è vuoto", path=name)
    encoding = _encoding_of(data)
    nul_bytes = 0
    if encoding is None:
        nul_bytes = data.count(b"\x00")
        if nul_bytes > _NUL_SHARE * len(data):
            raise UnreadableFile(f"il file non è un {what} (contiene dati binari)", path=name)
        data = data.replace(b"\x00", b"")
        encoding = _single_byte(data)
        if encoding is None:
            raise UnreadableFile(f"il file non è un {what} leggibile (codifica sconosciuta)", path=name)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise UnreadableFile(f"il file non è un {what} leggibile (non è {encoding.upper()} valido)", path=name) from None
    nul_chars = text.count("\x00")
    text = text.replace("\x00", "")
    controls = sum(1 for c in text[:_SAMPLE] if ord(c) < 32 and c not in "\t\r\n\f\v")
    if controls > 0.05 * min(len(text), _SAMPLE):
        raise UnreadableFile(f"il file non è un {what} (contiene dati binari)", path=name)
    return Decoded(text=text, encoding=encoding, nul_removed=nul_bytes + nul_chars)


def nul_finding(count: int) -> Finding:
    """What a report says when NUL characters were removed from its file."""
    return Finding(
        kind=FindingKind.nul_bytes_removed, severity=Severity.warning,
        message=f"Il file conteneva {count} caratteri NUL (byte zero), rimossi prima della lettura: "
                "può essere una copia danneggiata, da confrontare con l'originale.",
    )
