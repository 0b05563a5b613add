"""How the achievement is computed ('come si calcola il grado di raggiungimento?'): the scoring
rules in force (the policy of `ingest.scoring`), said in words, with its thresholds as facts
and the year's result of the Ente as the example."""

from __future__ import annotations

from .. import fact_ids as ids
from ..facts import Fact
from .base import Composed, Context, basis_note


def answer_method(ctx: Context) -> Composed:
    view, book, w = ctx.view, ctx.book, ctx.w
    policy = view.scorecard.policy
    high = book.add(Fact(id=str(ids.policy("achieved_from")), value=policy.achieved_from, unit="%", decimals=0,
                         label="Soglia della fascia «raggiunto» (impostazione del calcolo)"))
    low = book.add(Fact(id=str(ids.policy("partial_from")), value=policy.partial_from, unit="%", decimals=0,
                        label="Soglia della fascia «parzialmente raggiunto» (impostazione del calcolo)"))
    if policy.method == "binary":
        per_indicator = ("ogni indicatore vale il raggiungimento pieno se il consuntivo rispetta il target, "
                         "altrimenti zero (metodo binario)")
    else:
        per_indicator = ("ogni indicatore vale il rapporto tra consuntivo e target (per un target *al massimo*, "
                         "il rapporto inverso), senza superare il raggiungimento pieno; un target rispettato vale il "
                         "raggiungimento pieno, un target *uguale a* non rispettato vale zero (metodo proporzionale)")
    strategic = ("dei propri indicatori strategici (tabella 3.1), o, se non ne ha di misurati, dei propri obiettivi operativi"
                 if policy.strategic_basis == "indicators" else
                 "dei propri obiettivi operativi (tabella 3.2), o, se non ne ha di misurati, dei propri indicatori strategici")
    lines = [
        "Il grado di raggiungimento si calcola dal basso verso l'alto:",
        "",
        f"- **Indicatore**: {per_indicator}.",
        "- **Obiettivo operativo**: media dei raggiungimenti dei suoi indicatori, ponderata con i loro pesi.",
        f"- **Obiettivo strategico**: media ponderata {strategic}.",
        "- **Area strategica**: media ponderata dei suoi obiettivi strategici; **Ente**: media ponderata delle aree.",
        f"- **Valutazione**: *raggiunto* da {w.n(high)}, *parzialmente raggiunto* da {w.n(low)}, *non raggiunto* sotto.",
        "",
        "Le medie contano solo gli elementi con un valore (un indicatore senza consuntivo o senza target resta fuori "
        "e compare tra i rilievi); se i pesi non sommano al totale, la media li riporta in proporzione.",
    ]
    root = view.scorecard.root
    if root.achievement is not None and book.get(ids.node("ente", "ente", "achievement")):
        lines += ["", f"Con queste regole il grado di raggiungimento complessivo del {view.year}{basis_note(view)} "
                      f"è {w.n(ids.node('ente', 'ente', 'achievement'))} ({root.band})."]
    return Composed(intent="achievement", body="\n".join(lines))
