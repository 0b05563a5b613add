"""Relazione assistant: the Streamlit app (widgets and session state only)."""

import streamlit as st

from assistant.workspace import Workspace, WorkspaceError

st.set_page_config(page_title="Relazione sulla performance", layout="wide")
st.title("Assistente per la Relazione sulla performance")


@st.cache_resource
def workspace() -> Workspace:
    return Workspace()


ws = workspace()
if not ws.documents():
    with st.status("Primo avvio: carico il corpus di esempio…", expanded=True) as status:
        from assistant.workspace import expand

        for path in expand([ws.settings.corpus_dir]):
            st.write(f"Carico {path.name}…")
            try:
                ws.ingest(path)
            except Exception as exc:  # shown, not hidden
                st.error(f"{path.name}: {exc}")
        status.update(label="Corpus caricato", state="complete")
try:
    view = ws.view()
    st.metric(f"Raggiungimento Ente {view.year}", f"{view.scorecard.root.pct}%".replace(".", ","))
    st.dataframe([r.model_dump(include={"strategic_objective", "operational_objective", "indicator", "achievement"}) for r in view.indicator_records()])
except WorkspaceError as exc:
    st.warning(str(exc))
