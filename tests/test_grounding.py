"""The verifier: numbers in Italian format are extracted and matched to facts."""

from __future__ import annotations

from decimal import Decimal

from assistant.facts import Fact, FactBook
from assistant.grounding import Citations, Passage, extract_numbers, fact_footnote, verify
from assistant.writer import Writer

D = Decimal


def book_of(*facts: Fact) -> FactBook:
    book = FactBook()
    book.extend(facts)
    return book


ACH = Fact(id="ente", value=D("87.7925"), unit="%", decimals=2, label="Raggiungimento dell'Ente")
INT = Fact(id="int", value=D("1838556"), unit="€", decimals=0, label="Interventi economici")
VAR = Fact(id="var", value=D("-5.0103"), unit="%", decimals=1, label="Variazione % dei proventi")
ACT = Fact(id="act", value=D("23532.93"), unit="%", decimals=2, label="Consuntivo stampato")


def test_extracts_italian_numbers_and_skips_references():
    text = ("Raggiungimento 92,15% e 1.838.556 €, calo del -5,0%; obiettivo 3.2.1, area 2, nel 2019, "
            "riga 273, righe 239, 241, pag. 5, art. 67, n. 93/2017, il 19/05/2020, ISO 9001, consuntivo 23.532,93 %.")
    found = [(m.text.strip(), m.value, m.unit) for m in extract_numbers(text)]
    assert found == [
        ("92,15%", D("92.15"), "%"),
        ("1.838.556 €", D(1838556), "€"),
        ("-5,0%", D("-5.0"), "%"),
        ("23.532,93 %", D("23532.93"), "%"),
    ]


def test_rounding_shown_by_the_text_is_allowed():
    book = book_of(ACH, INT, VAR, ACT)
    assert verify("L'Ente raggiunge l'87,79% (circa 88%).", book).verified
    assert verify("Interventi per 1.838.556 €; proventi in calo del 5,0%.", book).verified
    assert not verify("L'Ente raggiunge l'87,80%.", book).verified
    assert verify("L'Ente raggiunge l'87,80%.", book).unmatched == ["87,80%"]


def test_units_must_agree():
    book = book_of(INT)
    assert not verify("Interventi per 1.838.556%.", book).verified


def test_footnoted_number_must_equal_its_fact():
    book = book_of(ACH, INT)
    w = Writer(book)
    text = f"Raggiungimento {w.n(ACH)}, interventi {w.n(INT)}."
    assert w.verify(w.finish(text)).verified
    # 1.838.556 is a fact, but not the one footnote 1 cites
    swapped = text.replace("87,79%[^1]", "1.838.556 €[^1]")
    result = w.verify(w.finish(swapped))
    assert not result.verified and result.wrong_references == ["1.838.556 €[^1]"]


def test_footnotes_must_read_as_their_facts():
    book = book_of(ACH)
    w = Writer(book)
    markdown = w.finish(f"Raggiungimento {w.n(ACH)}.")
    assert fact_footnote(ACH, book) in markdown
    tampered = markdown.replace("Fonte: impostazione del calcolo", "Fonte: riga 12")
    assert not w.verify(tampered).verified
    assert not w.verify(markdown + "\n[^9]: 3 inventato.\n").verified


def test_quotes_must_be_verbatim():
    book = book_of()
    passage = Passage(text="Il tasso di disoccupazione è sceso dal 5,8% al 4,6%.", file="r.txt", label="riga 101")
    citations = Citations(passages={"p1": passage})
    good = "> «Il tasso di disoccupazione è sceso dal 5,8% al 4,6%.»[^p1]\n\n[^p1]: r.txt, riga 101"
    assert verify(good, book, citations).verified
    bad = good.replace("4,6%", "4,2%", 1)
    assert verify(bad, book, citations).bad_quotes


def test_invented_number_is_caught():
    book = book_of(ACH)
    result = verify("Raggiungimento 87,79%, con 42 progetti avviati.", book)
    assert result.unmatched == ["42"]


def test_places_must_be_where_cited_facts_or_passages_come_from():
    from ingest.records import SourceRef

    read = Fact(id="t", value=D(40), unit="N.", label="Target", source=SourceRef(file="r.txt", line=394, label="riga 394"))
    book = book_of(read)
    w = Writer(book)
    text = f"La tabella riporta {w.n(read)} (riga 394); la sezione 5 lo cambia ({w.at('riga 535')})."
    assert w.verify(w.finish(text)).verified
    moved = w.verify(w.finish(text.replace("(riga 394)", "(riga 395)")))
    assert not moved.verified and moved.bad_locations == ["riga 395"]
    assert not w.verify(w.finish(text + " Vedi anche righe 535, 612 e pag. 4.")).verified
    # a passage's place is known too
    passage = Passage(text="Il progetto è stato eliminato.", file="r.txt", label="riga 534")
    citations = Citations(passages={"p1": passage})
    assert verify("Come spiega la riga 534:\n> «Il progetto è stato eliminato.»[^p1]\n\n[^p1]: r.txt, riga 534", book, citations).verified
    assert not verify("Come spiega la riga 533:\n> «Il progetto è stato eliminato.»[^p1]\n\n[^p1]: r.txt, riga 534", book, citations).verified


def test_a_kept_books_facts_of_another_year_are_made_once():
    """Comparing two years imports the other year's facts under qualified ids; an unchanged
    copy of a kept book reuses them, and a doubt added later is seen in them."""
    from assistant.facts import Doubt

    kept = book_of(ACH, INT)
    first, second = FactBook(), FactBook()
    first.import_year(kept.copy(), 2019)
    second.import_year(kept.copy(), 2019)
    qualified = [fid for fid in (f.id for f in first) if fid.startswith("2019@")]
    assert sorted(qualified) == ["2019@ente", "2019@int"]
    assert first.get("2019@ente") is second.get("2019@ente")  # made once, shared
    assert first.get("2019@ente").label.endswith("[2019]") and first.get("2019@ente").value == ACH.value
    kept.doubt("ente", Doubt(kind="finding", note="rilievo aperto"))
    third = FactBook()
    third.import_year(kept.copy(), 2019)
    assert third.get("2019@ente").doubts and not first.get("2019@ente").doubts
