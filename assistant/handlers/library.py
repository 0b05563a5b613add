"""What the store holds ('quali documenti ci sono?', 'in quali anni ci sono dati?', 'quali
Camere ci sono?'): the Ente's current documents, the years it can answer on and the other
Camere of the store."""

from __future__ import annotations

import re

from ingest.textnorm import fold

from ..plan.catalog import city
from .base import Composed, Context, Table
from .registry import handler, when

_ASKS_YEARS = re.compile(r"\bann[oi]\b|\brecent|\bultim|\baggiornat")
_KIND = {"relazione": "Relazione sulla performance", "piano": "Piano della performance", "consuntivi": "Consuntivi"}


@handler("library", when(subjects={"store"}))
def answer_library(ctx: Context) -> Composed:
    view, book, w = ctx.view, ctx.book, ctx.w
    docs = sorted(ctx.documents, key=lambda d: (d.year, d.kind))
    n = book.count("store:documents", len(docs), f"Documenti della {view.ente} nello store")
    lines = [(f"Nello store c'è {w.n(n)} documento" if len(docs) == 1 else f"Nello store ci sono {w.n(n)} documenti")
             + f" della {view.ente}:", ""]
    rows = []
    for d in docs:
        kind = _KIND.get(d.kind, d.kind)
        synthetic = " (documento SINTETICO)" if d.synthetic else ""
        inds = book.count(f"store:{d.id}:indicators", d.indicators, f"Indicatori letti da {d.source_file}")
        lines.append(f"- {kind} {d.year}{synthetic}: file {w.name(d.source_file)}, {w.n(inds)} indicatori, "
                     f"caricato il {d.ingested_at:%d/%m/%Y}.")
        rows.append([kind, str(d.year), w.label(d.source_file), w.n(inds), f"{d.ingested_at:%d/%m/%Y}"])
    if ctx.years:
        years = "Anni con dati di performance (Relazione o consuntivi): " + ", ".join(str(y) for y in ctx.years) + "."
        if _ASKS_YEARS.search(fold(ctx.plan.text)):  # 'a che anno arrivano i dati?': the years first
            latest = max(ctx.years)
            basis = next((_KIND[d.kind] for d in docs if d.year == latest and d.kind in ("relazione", "consuntivi")), "")
            lines = [f"I dati di performance più recenti sono del {latest}" + (f" ({basis})." if basis else ".") + " " + years, ""] + lines
        else:
            lines += ["", years]
    others = [city(e) for e in ctx.enti if e != view.ente]
    if others:
        lines.append("Altre Camere nello store: " + ", ".join(others) + ".")
    elif ctx.enti:
        lines.append(f"È l'unica Camera nello store ({city(view.ente)}).")
    table = Table(columns=["Documento", "Anno", "File", "Indicatori", "Caricato il"], rows=rows)
    return Composed(intent="library", body="\n".join(lines), table=table)
