"""Indicatori: the objective tree with achievement and band, the "sotto target" filter,
the findings an OIV would check, and the CSV of the indicators."""

import streamlit as st

from app_pages import shared
from assistant import ui_data
from assistant.workspace import WorkspaceError

# widths that fit the tree in the page: the long names get the room, the rest is short
TREE_COLUMNS = {
    "Livello": st.column_config.TextColumn(width="medium"),
    ui_data.TREE_ITEM: st.column_config.TextColumn(width="large"),
    "Peso": st.column_config.TextColumn(width="small"),
    "Consuntivo": st.column_config.TextColumn(width="small"),
    "Target": st.column_config.TextColumn(width="small"),
    "Raggiungimento": st.column_config.TextColumn(width="small"),
    "Valutazione": st.column_config.TextColumn(width="medium"),
    "Fonte": st.column_config.TextColumn(width="medium"),
}

ws = shared.workspace()
ente = shared.ente()
st.title("Indicatori e obiettivi")
try:
    years = ws.years(ente)
except WorkspaceError as exc:
    shared.show_error(exc)
    st.stop()
if not years:
    st.info("Nessuna Relazione né consuntivo in archivio: carica i documenti nella pagina Documenti.")
    st.stop()
synthetic = ui_data.synthetic_years(ws, ente)
default_year = shared.assistant().default_year(ente)

left, right = st.columns([1, 2], vertical_alignment="bottom")
year = left.selectbox("Anno", years, index=years.index(default_year) if default_year in years else len(years) - 1,
                      format_func=lambda y: ui_data.year_label(y, synthetic))
below_only = right.toggle("Solo indicatori sotto target", key="below_target",
                          help="Mostra solo gli indicatori che non hanno raggiunto il target e gli obiettivi a cui appartengono.")

view = ws.view(year, ente)
if view.report.synthetic:
    shared.synthetic_badge(f"{year}: dati SINTETICI")
    st.caption("I numeri di quest'anno vengono da documenti di prova (Piano e consuntivi sintetici), non da dati reali.")
if view.basis != "relazione":
    st.caption(f"Il {year} non ha una Relazione in archivio: il punteggio è calcolato dal Piano e dal file dei consuntivi.")

summary = ui_data.indicator_summary(view)
for column, (label, value) in zip(st.columns(len(summary)), summary.items()):
    column.metric(label, value)
st.markdown(f"Valutazione dell'Ente nel {year}: {ui_data.band_badge(view.objective_tree().evaluation)}")

records = view.indicator_records()
below = view.indicator_records(below_target=True)
blocks = ui_data.tree_blocks(view.objective_tree(), records, {r.key for r in below} if below_only else None)

st.subheader("Albero della performance")
st.caption("Area strategica → obiettivo strategico → obiettivo operativo → indicatore (▸), con peso, consuntivo, "
           f"target, grado di raggiungimento e fascia di valutazione ({ui_data.band_legend(ws.policy)}); "
           "ogni riga è colorata secondo la sua fascia. Passa sopra una cella per leggerla tutta.")
if below_only and not blocks:
    st.success(f"Nel {year} tutti gli indicatori hanno raggiunto il target.")
for block in blocks:
    with st.expander(block.heading, expanded=below_only):
        shared.table(block.rows, row_css=("Valutazione", ui_data.band_css), column_config=TREE_COLUMNS)

shown = below if below_only else records
st.download_button(
    f"Scarica gli indicatori in CSV ({len(shown)})", ui_data.indicator_csv_bytes(shown),
    file_name=f"indicatori-{year}{'-sotto-target' if below_only else ''}.csv", mime="text/csv",
    icon=":material/download:", disabled=not shown, help="Separatore ';' e virgola decimale, per Excel in italiano.",
)

st.subheader("Segnalazioni per l'OIV")
findings = view.finding_records()
if findings:
    st.caption("Controlli automatici: pesi, consuntivi ricalcolati dai valori misure, modifiche dichiarate nella "
               "sezione 5, differenze tra Piano e Relazione.")
    shared.table(ui_data.findings_table(findings), cell_css={"Gravità": ui_data.severity_css}, static=True)
else:
    st.success("Nessuna segnalazione per quest'anno.")
