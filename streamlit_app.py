"""Relazione assistant: the Streamlit app (widgets and session state only).

`streamlit run streamlit_app.py` (or `bash scripts/run.sh`). On the first start with an empty
store the bundled corpus is loaded, then the chat opens. Pages live in `app_pages/`; what
they show is built by `assistant.ui_data`.
"""

import streamlit as st

from app_pages import shared

st.set_page_config(page_title="Assistente Relazione sulla performance", page_icon=":material/analytics:", layout="wide")

shared.first_start()
page = st.navigation([
    st.Page("app_pages/chat.py", title="Chat", icon=":material/chat:", default=True),
    st.Page("app_pages/documenti.py", title="Documenti", icon=":material/folder_open:"),
    st.Page("app_pages/indicatori.py", title="Indicatori", icon=":material/account_tree:"),
    st.Page("app_pages/confronto.py", title="Confronto anni", icon=":material/bar_chart:"),
    st.Page("app_pages/bozze.py", title="Bozze", icon=":material/edit_document:"),
])
with st.sidebar:
    st.markdown("### Relazione sulla performance")
    st.caption("Assistente per la Struttura Tecnica di Supporto e l'OIV")
shared.sidebar()
page.run()
