"""Compiled regular expressions kept between processes (ingest/patterns.py): the Pattern built
from a kept program is the one `re.compile` builds; a damaged, foreign or unwritable book only
costs a plain compile."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import patterns

ROOT = Path(__file__).resolve().parents[1]

TRICKY = [
    (r"\b(?:quant[ie])\s+(?:\w+\s+){0,2}?(?:indicator\w*|obb?iettiv\w*)\b", 0),
    (r"(?P<op>>=|<=|=)?\s*(?P<num>[-−]?\d{1,3}(?:\.\d{3})+(?:,\d*)?)", 0),
    (r"(?<![\d.,/])(\d{1,2}(?:\.\d{1,2}){1,4})(?![\d,/%]|\.\d)", 0),
    (r"^(\w+) \1$", re.MULTILINE),
    (r"sintetic[oa]", re.IGNORECASE),
    (r"a.b", re.DOTALL | re.VERBOSE),
]
TEXTS = ["Quanti indicatori sono sotto target?", ">= 1.150,50 N.", "obiettivo 3.2.1 del 2019", "aa aa\nbb cc",
         "DOCUMENTO SINTETICO", "a\nb", "quante   aree   obiettivi", ""]


@pytest.fixture
def book(tmp_path, monkeypatch):
    path = tmp_path / "__pycache__" / "patterns.test.marshal"
    monkeypatch.setattr(patterns, "_BOOK", path)
    monkeypatch.setattr(patterns, "_programs", None)
    monkeypatch.setattr(patterns, "_added", False)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return path


def _fresh(monkeypatch) -> None:
    """As a new process: nothing read yet."""
    monkeypatch.setattr(patterns, "_programs", None)
    monkeypatch.setattr(patterns, "_added", False)


def _same(a: re.Pattern, b: re.Pattern) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    assert a == b  # the engine's program, compared op by op
    for text in TEXTS:
        assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)]
        assert [m.groups() for m in a.finditer(text)] == [m.groups() for m in b.finditer(text)]


def test_a_kept_program_builds_the_pattern_re_compile_builds(book, monkeypatch):
    first = [patterns.compiled(p, f) for p, f in TRICKY]
    patterns._save()
    assert book.exists()
    _fresh(monkeypatch)
    with monkeypatch.context() as unparsed:
        unparsed.setattr(patterns._parser, "parse", None)  # a kept program needs no parsing
        kept = [patterns.compiled(p, f) for p, f in TRICKY]
    for (p, f), a, b in zip(TRICKY, first, kept):
        _same(a, re.compile(p, f))
        _same(b, re.compile(p, f))


def test_every_pattern_of_the_app_is_the_one_re_compile_builds():
    import assistant.grounding
    import assistant.plan.cues
    import ingest.claims

    seen = 0
    for module in (assistant.plan.cues, assistant.grounding, ingest.claims):
        for value in vars(module).values():
            for pattern in ([value] if isinstance(value, re.Pattern) else
                            [v for _, v in value] if isinstance(value, list) and value and isinstance(value[0], tuple)
                            and isinstance(value[0][1], re.Pattern) else []):
                _same(pattern, re.compile(pattern.pattern, pattern.flags & ~re.UNICODE))
                seen += 1
    assert seen > 90


def test_a_damaged_or_foreign_book_is_ignored_and_rewritten(book, monkeypatch):
    patterns.compiled(*TRICKY[0])
    patterns._save()
    data = bytearray(book.read_bytes())
    data[-5] ^= 0xFF  # a flipped byte: the checksum no longer holds
    book.write_bytes(bytes(data))
    _fresh(monkeypatch)
    assert patterns._load() == {}
    _same(patterns.compiled(*TRICKY[0]), re.compile(*TRICKY[0]))
    patterns._save()
    _fresh(monkeypatch)
    assert (TRICKY[0][0], TRICKY[0][1]) in patterns._load()

    monkeypatch.setattr(patterns, "_stamp", lambda: "another Python")  # written by another interpreter
    assert patterns._load() == {}


def test_an_unwritable_book_costs_only_the_compile(book, monkeypatch, tmp_path):
    (tmp_path / "read-only").write_text("")  # a file where the folder should be: nothing can be written
    monkeypatch.setattr(patterns, "_BOOK", tmp_path / "read-only" / "patterns.marshal")
    _same(patterns.compiled(*TRICKY[1]), re.compile(*TRICKY[1]))
    patterns._save()  # no error
    assert list(tmp_path.iterdir()) == [tmp_path / "read-only"]


def test_a_bad_pattern_raises_as_re_does(book):
    with pytest.raises(re.error):
        patterns.compiled(r"(unclosed")


@pytest.mark.slow  # two processes
def test_the_next_process_reads_what_the_first_kept(tmp_path):
    code = ("import sys; from pathlib import Path; from ingest import patterns;"
            "patterns._BOOK = Path(sys.argv[1]); sys.dont_write_bytecode = False;"
            "p = patterns.compiled(r'(?P<n>\\d+) N\\.'); print(len(patterns._programs), p.search('vale 12 N.')['n'])")
    first = subprocess.run([sys.executable, "-c", code, str(tmp_path / "book")], capture_output=True, text=True,
                           cwd=ROOT, check=True)
    second = subprocess.run([sys.executable, "-c", code, str(tmp_path / "book")], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert first.stdout.split() == ["1", "12"]  # compiled, then kept at exit
    assert second.stdout.split() == ["1", "12"]  # read from the book (one program in it)
    assert (tmp_path / "book").stat().st_size > 0
