"""Chat: questions in Italian, answers with their verification badge, table and sources."""

import streamlit as st

from app_pages import shared
from assistant import ui_data
from assistant.chat import SUGGESTED, Session
from assistant.workspace import WorkspaceError

AUTO = "automatico"

ws = shared.workspace()
ente = shared.ente()
assistant = shared.assistant()
history: list = st.session_state.setdefault("chat_history", [])
# the plans of the conversation: 'e nel 2018?', 'perché?', 'fammene la bozza' complete the last one
session: Session = st.session_state.setdefault("chat_session", Session())

try:
    years = ws.years(ente)
except WorkspaceError:
    years = []
synthetic = ui_data.synthetic_years(ws, ente)

head, pick = st.columns([3, 1], vertical_alignment="bottom")
head.title("Chiedi all'assistente")
year_choice = pick.selectbox(
    "Anno di riferimento", [AUTO] + years, format_func=lambda y: y if y == AUTO else ui_data.year_label(y, synthetic),
    help="«automatico»: l'anno nominato nella domanda, altrimenti l'ultimo anno con una Relazione.",
)
st.caption(
    "Le risposte usano solo i documenti caricati: ogni numero ha la sua fonte (file e riga o pagina) "
    "ed è controllato prima di essere mostrato."
)

pending = None
if not history:
    st.markdown("**Non sai da dove cominciare? Prova una di queste domande:**")
    columns = st.columns(2)
    for i, question in enumerate(SUGGESTED):
        if columns[i % 2].button(question, key=f"suggested-{i}", width="stretch"):
            pending = question

for n, turn in enumerate(history):
    with st.chat_message("user"):
        st.markdown(turn["question"])
    with st.chat_message("assistant"):
        shared.render_answer(turn["answer"], synthetic, key=f"turn-{n}")

if history:
    left, right = st.columns([4, 1])
    with left.expander("Domande suggerite"):
        for i, question in enumerate(SUGGESTED):
            if st.button(question, key=f"suggested-more-{i}"):
                pending = question
    if right.button("Nuova conversazione", icon=":material/delete_sweep:"):
        history.clear()
        session.turns.clear()
        st.rerun()

prompt = st.chat_input("Scrivi una domanda sulla Relazione sulla performance…")
question = prompt or pending
if question:
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        with st.spinner("Cerco la risposta nei documenti…"):
            answer = assistant.ask(question, year=None if year_choice == AUTO else year_choice, ente=ente, session=session)
        shared.render_answer(answer, synthetic, key=f"turn-{len(history)}")
    first = not history
    history.append({"question": question, "answer": answer})
    if first:  # redraw without the suggestions above the first answer
        st.rerun()
