"""Damaged copies of the corpus Relazione (its text rendering), made in the tests: the copies a
new user brought in issue 12. Shared by the reading tests (tests/test_hostile_input.py) and the
store tests (tests/test_versions.py)."""

from __future__ import annotations

import re

from hypothesis import strategies as st

from conftest import RELAZIONE_TXT

TEXT = RELAZIONE_TXT.read_text(encoding="utf-8")
LINES = TEXT.split("\n")
TABLE_ROWS = [i for i, line in enumerate(LINES) if "\t" in line]
NASTY = ["", "NaN", "inf", "1e308", "-1E+400", "1899", "abc", "0", "-0,0", "100,00 %", "1.150 N.", ">= 3 N.",
         "<script>x</script>", "=SUM(A1)", "\x00", "9" * 40, "€", "%", "N."]


@st.composite
def mutated(draw) -> str:
    """The corpus text after one to four random mutations: cut, lines dropped or repeated,
    cells swapped or replaced by nasty values, years changed, characters inserted."""
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cut", "drop", "duplicate", "swap", "cell", "year", "bytes"]))
        if kind == "cut":
            lines = lines[: draw(st.integers(0, len(lines)))]
        elif kind == "drop" and lines:
            start = draw(st.integers(0, len(lines) - 1))
            del lines[start : start + draw(st.integers(1, 40))]
        elif kind == "duplicate" and lines:
            start = draw(st.integers(0, len(lines) - 1))
            block = lines[start : start + draw(st.integers(1, 40))]
            at = draw(st.integers(0, len(lines)))
            lines[at:at] = block
        elif kind in ("swap", "cell"):
            rows = [i for i in TABLE_ROWS if i < len(lines) and "\t" in lines[i]]
            if not rows:
                continue
            i = draw(st.sampled_from(rows))
            cells = lines[i].split("\t")
            a = draw(st.integers(0, len(cells) - 1))
            if kind == "swap":
                b = draw(st.integers(0, len(cells) - 1))
                cells[a], cells[b] = cells[b], cells[a]
            else:
                cells[a] = draw(st.sampled_from(NASTY) | st.text(max_size=12))
            lines[i] = "\t".join(cells)
        elif kind == "year":
            old, new = draw(st.sampled_from(["2019", "2018", "2020"])), draw(st.sampled_from(["1899", "2150", "0", "20199"]))
            lines = [line.replace(old, new) for line in lines]
        elif kind == "bytes" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = lines[i][: len(lines[i]) // 2] + draw(st.text(max_size=8)) + lines[i][len(lines[i]) // 2 :]
    return "\n".join(lines)


def cut(fraction: float, text: str = TEXT) -> str:
    """The first `fraction` of the text (a truncated download)."""
    return text[: int(len(text) * fraction)]


def number_cells_as_text(text: str = TEXT) -> str:
    """Every actual and target cell of the indicator tables written in words."""
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            line = "\t".join(
                re.sub(r"^(>=|<=)?\s*[\d.,]+\s*(N\.|%)$", "non disponibile", c.strip()) for c in line.split("\t")
            )
        out.append(line)
    return "\n".join(out)


def columns_swapped(text: str = TEXT) -> str:
    """The second and third columns of every table row of four or more cells swapped."""

    def swap(line: str) -> str:
        cells = line.split("\t")
        if len(cells) > 3:
            cells[1], cells[2] = cells[2], cells[1]
        return "\t".join(cells)

    return "\n".join(swap(line) for line in text.split("\n"))


def duplicated_table(report, text: str = TEXT) -> str:
    """The first indicator table of `report` (the text's parse) printed twice."""
    lines = text.split("\n")
    first = report.indicators()[0].source.line - 1
    start = end = first
    while "\t" in lines[end] or not lines[end].strip():
        end += 1
    return "\n".join(lines[:end] + lines[start:end] + lines[end:])


def fake_row(report, text: str = TEXT) -> tuple[str, object]:
    """A made-up indicator row ("Riga aggiunta") added after the first indicator of section 3.1,
    with that indicator's cells (so its objective's weights sum to 200%); and that indicator."""
    ind = next(i for i in report.indicators() if i.section == "3.1")
    lines = text.split("\n")
    lines.insert(ind.source.line, lines[ind.source.line - 1].replace(ind.name, "Riga aggiunta"))
    return "\n".join(lines), ind
