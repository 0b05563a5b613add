"""Drafts and exports asked in plain words, and the short question back when a name fits
several items or none."""

from __future__ import annotations

from .. import fact_ids as ids
from ..chapters import slug, with_unverified_warning
from .base import Attachment, Composed, Context
from .registry import handler, when

ORDER = ["1", "2", "3.3", "scostamenti", "5"]


def chapter_file(section: str, title: str, year: int) -> str:
    """'02-2-analisi-del-contesto-e-delle-risorse-2019.md' (numbered in the Relazione's order)."""
    index = ORDER.index(section) + 1 if section in ORDER else 0
    return (f"{index:02d}-" if index else "") + f"{slug(title)}-{year}.md"


@handler("draft", when(acts={"draft"}))
def answer_draft(ctx: Context) -> Composed:
    """The chapter as `relazione draft` writes it, verified with the answer and offered as a file."""
    from ..drafts import SECTIONS, draft_text, draft_title

    section = ctx.plan.section or "all"
    if section not in SECTIONS and section != "all":
        section = "all"
    body = draft_text(section, ctx.view, ctx.book, ctx.w, ctx.search)
    return Composed(intent="draft", body=body, file_title=draft_title(section))


@handler("export", when(acts={"export"}))
def answer_export(ctx: Context) -> Composed:
    """Every chapter asked, drafted and verified, as Markdown files (the CLI also writes .docx)."""
    section = ctx.plan.section or "all"
    sections = ORDER if section == "all" else [section]
    year = ctx.view.year
    files, lines = [], []
    docx = "docx" in ctx.plan.formats
    for s in sections:
        draft = ctx.draft(s, year)
        text = with_unverified_warning(draft.markdown, draft.verified, draft.problems)
        name = chapter_file(s, draft.title, year)
        files.append(Attachment(name=name, title=draft.title, markdown=text, verified=draft.verified))
        status = "verificato" if draft.verified else "**con numeri non verificati**"
        also = f" (e {name[:-3]}.docx)" if docx else ""
        lines.append(f"- `{name}`{also} — {draft.title}, {status}")
    what = "il capitolo" if len(files) == 1 else f"i {len(files)} capitoli"
    head = (f"Ecco {what} del {year} in Markdown" + (" e Word (.docx)" if docx else "")
            + (", pronto da scaricare:" if len(files) == 1 else ", pronti da scaricare:"))
    return Composed(intent="export", body="\n".join([head, ""] + lines), attachments=files)


@handler("clarify", when(dangling=True), when(candidates=True), when(unknown_refs=True))
def answer_clarify(ctx: Context) -> Composed:
    """A short question back: the question a follow-up leans on, the candidates a name fits,
    or what the store holds instead of a code it does not know. Never a guess."""
    plan, w, view = ctx.plan, ctx.w, ctx.view
    if plan.dangling:
        return Composed(intent="clarify", body=(
            "La domanda completa una domanda precedente, ma questa conversazione non ne ha: ripetila per intero, "
            f"per esempio: qual è il grado di raggiungimento dell'Ente nel {view.year}? "
            "(Da riga di comando, `--session FILE` tiene la conversazione tra una domanda e l'altra.)"))
    if plan.candidates:
        lines = [f"Quale intendi? Il nome corrisponde a più voci (valori del {view.year}):", ""]
        for ref in plan.candidates[:6]:
            lines.append(f"- {_label(ref, w)}{_value(ref, ctx)}")
        lines += ["", "Ripeti la domanda con il nome completo o con il codice dell'obiettivo."]
        return Composed(intent="clarify", body="\n".join(lines))
    unknown = [r for r in plan.refs if not r.known]
    what = ", ".join(("l'area " if r.kind == "area" else "l'obiettivo ") + r.code for r in unknown)
    level = "area" if unknown[0].kind == "area" else "strategic"
    nodes = view.scorecard.nodes(level)  # type: ignore[arg-type]
    listed = "; ".join(f"{n.code} {w.label(n.title)}" for n in nodes)
    kind = "Le aree strategiche" if level == "area" else "Gli obiettivi strategici"
    return Composed(intent="clarify", body=f"Non trovo {what} nei documenti del {view.year}. {kind} sono: {listed}.")


def _value(ref, ctx: Context) -> str:
    """The candidate's main number, so the question back already informs."""
    if ref.kind == "indicator":
        fact = ctx.book.get(ids.indicator(ref.code, "actual"))
        return f": consuntivo {ctx.w.n(fact)}" if fact else ""
    if ref.kind in ("area", "strategic", "operational"):
        fact = ctx.book.get(ids.node(ref.kind, ref.code, "achievement"))
        return f": raggiungimento {ctx.w.n(fact)}" if fact else ""
    return ""


def _label(ref, w) -> str:
    if ref.kind == "indicator":
        return f"indicatore {w.name(ref.name)} (obiettivo {ref.objective})"
    if ref.kind in ("strategic", "operational"):
        kind = "obiettivo strategico" if ref.kind == "strategic" else "obiettivo operativo"
        return f"{kind} {ref.code} {w.name(ref.name)}"
    if ref.kind == "area":
        return f"area {ref.code} {w.name(ref.name)}"
    return f"{w.name(ref.name)} ({'sintesi di bilancio' if ref.kind == 'financial' else 'risorse e spese'})"
