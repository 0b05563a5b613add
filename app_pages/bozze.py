"""Bozze: generate a section of the Relazione, edit it in place, re-verify every number on
edit, download it (Markdown, .docx) or export every chapter."""

import streamlit as st

from app_pages import shared
from assistant import ui_data
from assistant.workspace import WorkspaceError

ws = shared.workspace()
ente = shared.ente()
assistant = shared.assistant()
state = st.session_state

st.title("Bozze dei capitoli")
st.caption("La bozza è scritta dai numeri calcolati e dai passaggi dei documenti, con una nota per ogni numero. "
           "Modificala qui: ogni numero viene ricontrollato, e quelli che non corrispondono a un dato sono "
           "evidenziati in rosso.")
try:
    years = ws.years(ente)
    default_year = assistant.default_year(ente)
except WorkspaceError as exc:
    shared.show_error(exc)
    st.stop()
synthetic = ui_data.synthetic_years(ws, ente)


def recheck() -> None:
    draft = state.get("draft")
    if draft is not None:
        state["draft_check"] = assistant.reverify(draft, state["draft_text"])
        state["draft_checked_text"] = state["draft_text"]


with st.container(border=True):
    section_col, year_col, button_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    section = section_col.selectbox("Sezione", list(ui_data.SECTION_LABELS), format_func=ui_data.SECTION_LABELS.get)
    year = year_col.selectbox("Anno", years, index=years.index(default_year) if default_year in years else len(years) - 1,
                              format_func=lambda y: ui_data.year_label(y, synthetic))
    if button_col.button("Genera bozza", type="primary", icon=":material/edit_note:", width="stretch"):
        with st.spinner("Scrivo la bozza dai dati e dai documenti…"):
            draft = assistant.draft(section, year, ente)
        state["draft"] = draft
        state["draft_text"] = draft.markdown
        recheck()

draft = state.get("draft")
if draft is None:
    st.info("Scegli una sezione e un anno, poi premi «Genera bozza».")
else:
    check = state["draft_check"]
    edited = state["draft_text"] != draft.markdown
    stale = state["draft_text"] != state.get("draft_checked_text")
    badges = [f"**{draft.title}** – {draft.year}"]
    badges.append(":green-badge[:material/verified: verificata]" if check.verified
                  else ":red-badge[:material/warning: NON verificata]")
    if draft.synthetic:
        badges.append(f":orange-badge[:material/science: {ui_data.SYNTHETIC}]")
    if edited:
        badges.append(":gray-badge[modificata]")
    badges += ui_data.warning_badges(draft.warnings)
    st.markdown(" ".join(badges))
    for line in ui_data.warning_lines(draft.warnings):
        st.warning(line, icon=":material/report:")
    if stale:
        st.info("Il testo è cambiato dall'ultima verifica: premi «Verifica».")
    if not check.verified:
        st.error(ui_data.md_escape("Numeri o citazioni che non corrispondono ai dati: " + "; ".join(check.problems)))

    if draft.note:
        st.caption(draft.note)
    preview_tab, edit_tab = st.tabs(["Anteprima" + ("" if check.verified else " (numeri non verificati in rosso)"),
                                     "Modifica il testo"])
    with edit_tab:
        st.text_area("Testo della bozza (Markdown)", key="draft_text", height=480, on_change=recheck,
                     help="Le modifiche vengono verificate quando esci dal riquadro, o con «Verifica».")
        st.button("Verifica", icon=":material/fact_check:", on_click=recheck)
    with preview_tab:
        checked = state["draft_checked_text"]
        st.markdown(ui_data.answer_body(checked if check.verified else ui_data.highlight_unverified(checked, check)))

    st.markdown("**Scarica questa bozza**")
    text = ui_data.with_warning(state["draft_checked_text"], check)
    name = ui_data.chapter_name(draft.section, draft.title, draft.year)
    md_col, docx_col = st.columns(2)
    md_col.download_button("Markdown (.md)", text.encode("utf-8"), file_name=f"{name}.md", mime="text/markdown",
                           icon=":material/download:", width="stretch")
    if ui_data.docx_available():
        docx_col.download_button(
            "Word (.docx)", lambda text=text, name=name: ui_data.markdown_to_docx(text, name), file_name=f"{name}.docx",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            icon=":material/description:", width="stretch",
        )
    else:
        docx_col.caption("Word (.docx) non disponibile: pandoc non è installato.")
    if not check.verified:
        st.caption("Il file scaricato riporta in testa l'avviso dei numeri non verificati.")

st.divider()
st.markdown(f"**Esporta tutti i capitoli del {ui_data.year_label(year, synthetic)}**")
st.caption("Ogni capitolo com'è generato (senza le modifiche fatte qui), in Markdown"
           + (" e Word" if ui_data.docx_available() else "") + ", in un archivio .zip; "
           "un capitolo con numeri non verificati riporta l'avviso in testa.")
st.download_button(
    "Esporta tutti i capitoli (.zip)", lambda year=year: ui_data.export_zip(assistant, year, docx=ui_data.docx_available(), ente=ente)[1],
    file_name=f"relazione-{year}-capitoli.zip", mime="application/zip", icon=":material/folder_zip:",
)
