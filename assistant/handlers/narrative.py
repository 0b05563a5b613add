"""Questions the tables cannot answer: the narrative, quoted. The answer opens with the
sentence of the best passage that answers, then the other passages, each once."""

from __future__ import annotations

import re
from collections import Counter

from ingest.model import Indicator

from ..plan.cues import CUE_STEMS
from ..plan.lexicon import stem_set
from .base import Composed, Context
from .indicators import indicator_sentence
from .registry import handler, when

# words every document of an Ente holds (its name and kind, the title page, the names of its
# parts): they tell no passage apart and name no topic
ENTE_WORDS = ("camera commercio industria artigianato agricoltura ente cciaa relazione piano documento performance "
              "sezione capitolo paragrafo pagina allegato trova trovo")


@handler("retrieval", when(acts={"explain"}, conditions={"target_changed"}), when(subjects={"narrative"}))
def answer_retrieval(ctx: Context) -> Composed:
    if ctx.search is None:
        return Composed(intent="retrieval", body="La ricerca nel testo non è disponibile (indice non aperto).")
    plan, w = ctx.plan, ctx.w
    words = [plan.text] + [r.name for r in plan.refs if r.name]
    if plan.condition == "target_changed":
        words.append("modifica target eliminazione spostamento")
    passages = ctx.search(" ".join(words), 3, ctx.filters())
    if not passages:
        return Composed(intent="retrieval", body="Non ho trovato passaggi del documento che rispondano alla domanda.")
    # a 'why' question is answered by the sentence that gives a cause
    focus = " ".join(words) + (" a causa dovuto per effetto motivo" if plan.act == "explain" else "")
    common = stem_set(f"{ctx.view.ente} {ENTE_WORDS}")
    asked = _content(plan.text) - common
    sharing = [p for p in passages if asked & stem_set(p.text)]
    if asked and not sharing:
        # nearest by meaning but sharing no word: say so rather than quote it as the answer
        lines = ["Nel testo dei documenti non trovo un passaggio che ne parli."]
        named = _indicators_naming(ctx, asked)
        if named:
            lines += ["", f"Ne parlano le tabelle del {ctx.view.year}:"]
            lines += [f"- {indicator_sentence(ctx, ind)}" for ind in named]
        elif (near := [p for p in passages if stem_set(p.text) - common]):
            passages = near  # not the title page: it names the Camera and nothing else
            lines[0] += (f" Il più vicino per significato ({w.label(passages[0].section) or 'testo'}, "
                         f"{w.at(passages[0].label)}):")
            lines += ["", w.quote(passages[0], limit=250, focus=focus)]
        return Composed(intent="retrieval", body="\n".join(lines))
    best, rest = (sharing or passages)[0], []
    for p in sharing or passages:
        if p is best:
            continue
        if p.text != best.text and all(p.text != q.text for q in rest):
            rest.append(p)
    lines = [f"Secondo il documento ({w.label(best.section) or 'testo'}, {w.at(best.label)}):", "",
             w.quote(best, limit=350, focus=focus)]
    if rest:
        lines += ["", "Altri passaggi pertinenti:", ""]
        heading = None
        for p in rest:  # passages of the same place under one heading
            if (p.section, p.label) != heading:
                heading = (p.section, p.label)
                lines.append(f"**{w.label(p.section)}** ({w.at(p.label)}):")
            lines += [w.quote(p, focus=focus), ""]
    return Composed(intent="retrieval", body="\n".join(lines).strip())


def _indicators_naming(ctx: Context, asked: frozenset[str], most: int = 4) -> list[Indicator]:
    """The indicators of the year whose names hold a word of the question that few names hold
    ('smart' in «Percentuale contratti smart avviati»): a topic the tables measure and the text
    never discusses. None when the word is common to many names ('percentuale', 'imprese')."""
    indicators = ctx.view.report.indicators()
    stems = {ind.key: stem_set(ind.name) for ind in indicators}
    spread = Counter(s for names in stems.values() for s in names)
    rare = {s for s in asked if 0 < spread[s] <= most}
    return [ind for ind in indicators if rare & stems[ind.key]][:most]


def _content(question: str) -> frozenset[str]:
    """The question's own words (not those that ask: 'quanti', 'dove si parla di'), and its
    acronyms even when they also ask ('l'OIV', 'il RASL': written in capitals, they name)."""
    acronyms = stem_set(" ".join(re.findall(r"\b[A-Z]{2,6}\b", question)))
    own = {s for s in stem_set(question) if s not in CUE_STEMS and len(s) > 3 and not s.isdigit()}
    return frozenset(own | acronyms)
