"""Confronto anni: the financial summary across years (charts and year-over-year changes)
and the achievement by area in each year with data."""

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import shared
from assistant import ui_data
from assistant.workspace import WorkspaceError

# d3 number locale: Italian grouping and decimal comma on the axes
ITALIAN = {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " €"]}}
FLOWS = [ui_data.GROUP_NAMES["proventi"], ui_data.GROUP_NAMES["oneri"]]

ws = shared.workspace()
ente = shared.ente()
st.title("Confronto tra gli anni")
try:
    series = ui_data.financial_series_for(ws, ente)
    points = ui_data.area_points_for(ws, ente)
except WorkspaceError as exc:
    shared.show_error(exc)
    st.stop()

st.subheader("Sintesi dei principali dati di bilancio")
if not series.points:
    st.info("Nessuna Relazione in archivio riporta la sintesi dei dati di bilancio.")
else:
    sources = ui_data.financial_sources(series)
    st.caption(f"Dalla tabella «Sintesi dei principali dati di bilancio» ({', '.join(sources)}), "
               f"anni {series.years[0]}–{series.years[-1]}. Oneri come importi (nella tabella sono negativi).")
    flows = pd.DataFrame(ui_data.chart_flows(series))
    results = pd.DataFrame(ui_data.chart_results(series))
    tooltip = [alt.Tooltip("voce:N", title="Voce"), alt.Tooltip("anno:N", title="Anno"),
               alt.Tooltip("importo:N", title="Importo"), alt.Tooltip("fonte:N", title="Fonte")]
    left, right = st.columns(2)
    with left:
        chart = alt.Chart(flows, title="Proventi e oneri correnti").mark_bar().encode(
            x=alt.X("anno:N", title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("gruppo:N", sort=FLOWS),
            y=alt.Y("valore:Q", title="euro", axis=alt.Axis(format=",.0f")),
            color=alt.Color("gruppo:N", title=None, sort=FLOWS,
                            scale=alt.Scale(domain=FLOWS, range=["#2e7d32", "#c62828"]),
                            legend=alt.Legend(orient="bottom")),
            tooltip=tooltip,
        ).configure(locale=ITALIAN)
        st.altair_chart(chart, width="stretch")
    with right:
        base = alt.Chart(results, title="Risultato della gestione e dell'esercizio")
        lines = base.mark_line(point=True).encode(
            x=alt.X("anno:N", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("valore:Q", title="euro", axis=alt.Axis(format=",.0f")),
            color=alt.Color("voce:N", title=None,
                            legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=0)),
            tooltip=tooltip,
        )
        zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="gray", strokeDash=[4, 4]).encode(y="y:Q")
        st.altair_chart((lines + zero).configure(locale=ITALIAN), width="stretch")

    components = pd.DataFrame(ui_data.chart_components(series))
    if not components.empty:
        chart = alt.Chart(components, title="Composizione di proventi e oneri").mark_bar().encode(
            x=alt.X("anno:N", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("valore:Q", title="euro", axis=alt.Axis(format=",.0f")),
            color=alt.Color("voce:N", title=None, legend=alt.Legend(orient="right", labelLimit=300)),
            column=alt.Column("gruppo:N", title=None, sort=FLOWS),
            tooltip=tooltip,
        ).properties(width=260).configure(locale=ITALIAN)
        st.altair_chart(chart)

    st.markdown("**Valori per anno**")
    shared.table(ui_data.financial_values_table(series), height="content")
    st.markdown("**Variazioni rispetto all'anno precedente**")
    st.caption("Variazione in euro e in percentuale sul valore assoluto dell'anno precedente: per gli oneri "
               "(negativi) un segno + è una riduzione della spesa.")
    shared.table(ui_data.financial_yoy_table(series), height="content")

st.subheader("Raggiungimento per area strategica")
years = sorted({p.year for p in points})
if not points:
    st.info("Nessun anno con dati in archivio.")
else:
    if any(p.synthetic for p in points):
        shared.synthetic_badge("anni marcati SINTETICO: documenti di prova")
    if len(years) < 2:
        st.caption("Un solo anno in archivio: carica altre Relazioni o consuntivi per il confronto.")
    rows = pd.DataFrame(ui_data.area_chart_rows(points))
    chart = alt.Chart(rows, title="Grado di raggiungimento (%)").mark_bar().encode(
        y=alt.Y("area:N", title=None, sort=None, axis=alt.Axis(labelLimit=400)),
        yOffset="anno:N",
        x=alt.X("raggiungimento:Q", title="%", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("anno:N", title="Anno", legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("area:N", title="Area"), alt.Tooltip("anno:N", title="Anno"),
                 alt.Tooltip("testo:N", title="Raggiungimento"), alt.Tooltip("valutazione:N", title="Valutazione")],
    ).configure(locale=ITALIAN)
    st.altair_chart(chart, width="stretch")
    shared.table(ui_data.area_table(points), height="content")
