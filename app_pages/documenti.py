"""Documenti: upload (with progress per stage), list and remove the stored documents."""

import streamlit as st

from app_pages import shared
from assistant import ui_data
from assistant.workspace import WorkspaceError

ws = shared.workspace()
done: set = st.session_state.setdefault("uploaded_ids", set())
results: list = st.session_state.setdefault("upload_results", [])

st.title("Documenti")
st.caption(
    "Carica una Relazione o un Piano della performance (PDF, TXT o MD) oppure un file di consuntivi (CSV o XLSX, "
    "dopo il Piano a cui si riferisce). Un file per un Ente, anno e tipo già in archivio diventa la nuova versione "
    "se non perde dati; altrimenti si chiede conferma. Le versioni precedenti restano nello storico. "
    "Un file che non si può usare viene rifiutato e l'archivio resta com'era."
)

st.html(ui_data.uploader_css(ui_data.UPLOAD_TYPES, st.get_option("server.maxUploadSize")))
uploads = st.file_uploader(
    "Carica documenti", type=list(ui_data.UPLOAD_TYPES), accept_multiple_files=True,
    help="Relazione sulla performance, Piano della performance, consuntivi degli indicatori",
)
new = [u for u in uploads or [] if u.file_id not in done]
if new:
    results.clear()
    with st.status(f"Carico {len(new)} file…", expanded=True) as status:
        failures = 0
        for upload in new:
            done.add(upload.file_id)
            ok, message = shared.ingest_with_progress(ws, upload.name, data=upload.getvalue())
            results.append((ok, message))
            failures += not ok
        status.update(
            label="Caricamento completato" if not failures else f"File non caricati: {failures} su {len(new)}",
            state="complete" if not failures else "error", expanded=True,
        )
elif results:  # the outcome of the last upload stays visible
    for ok, message in results:
        (st.success if ok else st.error)(ui_data.md_escape(message))

pending: dict = st.session_state.setdefault("pending_versions", {})
for name, (data, lines) in list(pending.items()):
    with st.container(border=True):
        st.markdown(f"**{ui_data.md_escape(name)}** toglierebbe dati alla versione in archivio:")
        st.markdown("\n".join(f"- {ui_data.md_escape(line)}" for line in lines))
        replace, keep = st.columns(2)
        if replace.button("Sostituisci comunque", key=f"replace:{name}", icon=":material/swap_horiz:"):
            del pending[name]
            ok, message = shared.ingest_with_progress(ws, name, data=data, replace=True)
            results[:] = [(ok, message)]
            st.rerun()
        if keep.button("Mantieni la versione in archivio", key=f"keep:{name}"):
            del pending[name]
            st.rerun()

removed = st.session_state.pop("removed_message", None)
if removed:
    st.success(ui_data.md_escape(removed))

st.subheader("Documenti in archivio")
docs = ws.documents()
if not docs:
    st.info("L'archivio è vuoto: carica una Relazione o un Piano della performance.")
else:
    if any(d.synthetic for d in docs):
        shared.synthetic_badge("SINTETICO = documento di prova")
    shared.table(ui_data.documents_table(docs), static=True)

    with st.expander("Versioni precedenti"):
        history = ws.documents(history=True)
        shared.table(ui_data.versions_table(history), static=True)
        earlier = {d.id: ui_data.document_label(d) + f" – {d.ingested_at:%d/%m/%Y %H:%M}" for d in history if not d.current}
        if earlier:
            chosen = st.selectbox("Versione da rendere corrente", list(earlier), format_func=earlier.get, key="restore_choice")
            if st.button("Rendi corrente", icon=":material/restore:"):
                try:
                    restored = ws.restore(chosen)
                except WorkspaceError as exc:
                    st.error(ui_data.md_escape(str(exc)))
                else:
                    st.session_state["removed_message"] = f"Ripristinata: {ui_data.document_label(restored.document)}"
                    st.rerun()

    with st.expander("Rimuovi un documento"):
        labels = {d.id: ui_data.document_label(d) for d in docs}
        doc_id = st.selectbox("Documento da rimuovere", list(labels), format_func=labels.get, key="remove_choice")
        st.caption("Il documento viene tolto dall'archivio e dall'indice di ricerca.")
        if st.button("Rimuovi", icon=":material/delete:", type="primary"):
            try:
                gone = ws.remove(doc_id)
            except WorkspaceError as exc:
                st.error(ui_data.md_escape(ui_data.error_message(exc, labels[doc_id])))
            else:
                st.session_state["removed_message"] = f"Rimosso: {ui_data.document_label(gone)}"
                st.rerun()
