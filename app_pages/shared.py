"""What every page shares: one Workspace and one Assistant per process, the first start,
the sidebar, and the small widgets repeated on several pages. Widgets and session state only:
what they show comes from `assistant.ui_data`."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from assistant import ui_data
from assistant.chat import Answer, Assistant, files_zip
from assistant.settings import Settings, get_settings
from assistant.workspace import Workspace, WorkspaceError, expand


@dataclass
class FirstStart:
    """Process-wide: whether the bundled corpus was loaded into an empty store already
    (one session loads it; another arriving meanwhile waits on the lock)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    done: bool = False


def _key(settings: Settings) -> str:
    # what identifies a store and an index; secrets are masked by pydantic in this dump
    return settings.model_dump_json()


@st.cache_resource(show_spinner=False)
def _workspace(key: str, _settings: Settings) -> Workspace:
    ws = Workspace(_settings)
    ws.warm_up()  # index and embedder load in the background: answers from the tables never wait
    return ws


@st.cache_resource(show_spinner=False)
def _assistant(key: str, _ws: Workspace) -> Assistant:
    return Assistant.from_settings(_ws)


@st.cache_resource(show_spinner=False)
def _first_start(key: str) -> FirstStart:
    return FirstStart()


def workspace() -> Workspace:
    settings = get_settings()
    return _workspace(_key(settings), settings)


def assistant() -> Assistant:
    settings = get_settings()
    return _assistant(_key(settings), workspace())


def first_start() -> None:
    """An empty store gets the bundled corpus, with a line per file and per stage."""
    ws = workspace()
    state = _first_start(_key(ws.settings))
    if state.done or ws.documents():
        state.done = True
        return
    if not state.lock.acquire(blocking=False):
        with st.spinner("Un'altra sessione sta caricando il corpus di esempio: attendi qualche secondo…"):
            state.lock.acquire()
    try:
        if state.done or ws.documents():
            return
        files = expand([ws.settings.corpus_dir])
        with st.status("Primo avvio: carico i documenti di esempio…", expanded=True) as status:
            st.write(f"L'archivio è vuoto: carico {len(files)} file da `{ws.settings.corpus_dir.name}/`.")
            failures = 0
            for path in files:
                ok, _ = ingest_with_progress(ws, path.name, path=path)
                failures += not ok
            label = "Documenti di esempio caricati" if not failures else f"Caricamento concluso con {failures} errori"
            status.update(label=label, state="complete" if not failures else "error", expanded=bool(failures))
        state.done = True
    finally:
        state.lock.release()


def ingest_with_progress(ws: Workspace, name: str, data: bytes | None = None, path: Path | None = None,
                         replace: bool = False) -> tuple[bool, str]:
    """Ingest one file (an upload's bytes, or a path) inside the current container: a line
    per stage, a progress bar, and the outcome (the CLI's line) or the CLI's error message,
    which is also returned. A new version that would lose data waits for a confirmation
    (`pending_versions` in the session, shown by the Documenti page)."""
    st.markdown(f"**{ui_data.md_escape(name)}**")  # a file name is text, never Markdown
    bar = st.progress(0.0, text="in coda")
    log = ui_data.ProgressLog()
    lines = st.empty()

    def progress(stage: str, done: int, total: int) -> None:
        event = log.update(stage, done, total)
        if event.new_stage:
            lines.caption(" → ".join(log.stages))
        bar.progress(event.fraction, text=event.text)

    try:
        outcome = (ws.ingest(path, progress) if path is not None
                   else ws.ingest_bytes(data, name, progress, replace=replace))
    except Exception as exc:  # every refusal is shown, never raised into the page
        bar.empty()
        message = ui_data.error_message(exc, name)
        comparison = ui_data.conflict_lines(exc)
        if comparison:  # a version that would lose data: the Documenti page asks
            st.session_state.setdefault("pending_versions", {})[name] = (data, comparison)
            st.warning(ui_data.md_escape(message))
            return False, message
        st.error(ui_data.md_escape(message))
        st.caption("Il file è stato rifiutato: l'archivio non è cambiato.")
        return False, message
    bar.progress(1.0, text="fatto")
    message = ui_data.ingest_summary(outcome)
    st.success(ui_data.md_escape(message))
    return True, message


def ente() -> str | None:
    """The Ente this session works on: the only one in the store, or the one chosen in the
    sidebar when there are several (every query then names it)."""
    enti = workspace().store.enti()
    if not enti:
        return None
    chosen = st.session_state.get("ente")
    return chosen if chosen in enti else enti[0]


def sidebar() -> None:
    ws = workspace()
    synthetic: set[int] = set()
    lines = []
    enti = ws.store.enti()
    if len(enti) > 1:
        with st.sidebar:
            st.selectbox("Ente", enti, key="ente", format_func=ui_data.ente_short,
                         help="L'archivio contiene documenti di più Camere di commercio: "
                              "ogni pagina mostra solo quelli dell'Ente scelto.")
    try:
        current = ente()
        if current is None:
            raise WorkspaceError("vuoto")
        years = ws.years(current)
        synthetic = ui_data.synthetic_years(ws, current)
    except WorkspaceError:
        lines.append("**Archivio:** vuoto")
    else:
        if len(enti) == 1:
            lines.append(f"**Ente:** {ui_data.md_escape(current)}")
        shown = ", ".join(f"{y} :orange-badge[{ui_data.SYNTHETIC}]" if y in synthetic else str(y) for y in years)
        lines.append(f"**Anni con dati:** {shown or '—'}")
    lines.append(f"**Modello linguistico:** {ws.settings.llm_label()}")
    with st.sidebar:
        st.markdown("  \n".join(lines))
        if synthetic:
            st.caption("SINTETICO: documento di prova, i suoi numeri non sono dati reali.")


def synthetic_badge(text: str = ui_data.SYNTHETIC) -> None:
    st.badge(text, icon=":material/science:", color="orange",
             help="Documento di prova: i numeri non descrivono dati reali.")


def table(rows: list[dict], cell_css: dict | None = None, row_css: tuple | None = None, static: bool = False,
          **kwargs) -> None:
    """A read-only table of already formatted (Italian) text. `cell_css` maps a column to a
    function value -> CSS; `row_css` is (column, function value -> CSS) for whole rows;
    `static` prints every row with long text wrapped (st.table) instead of a scrolling grid."""
    if static:  # st.table reads its cells as Markdown
        rows = [{k: ui_data.md_escape(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows]
    frame = pd.DataFrame(rows)
    data = frame
    if (cell_css or row_css) and not frame.empty:
        data = frame.style
        if row_css:
            column, css = row_css
            data = data.apply(lambda row: [css(row[column])] * len(row), axis=1)
        for column, css in (cell_css or {}).items():
            data = data.map(css, subset=[column])
    if static:
        st.table(data, hide_index=True, **kwargs)
    else:
        st.dataframe(data, hide_index=True, width="stretch", **kwargs)


def render_attachments(answer: Answer, key: str) -> None:
    """A draft or export answered in the chat: its files, to download right there."""
    docx = ui_data.docx_available()
    for i, a in enumerate(answer.attachments):
        name = a.name.removesuffix(".md")
        md_col, docx_col = st.columns(2)
        md_col.download_button(f"{a.title} (.md)", a.markdown.encode("utf-8"), file_name=a.name, mime="text/markdown",
                               icon=":material/download:", width="stretch", key=f"{key}-md-{i}")
        if docx:
            docx_col.download_button(
                f"{a.title} (.docx)", lambda text=a.markdown, name=name: ui_data.markdown_to_docx(text, name),
                file_name=f"{name}.docx", icon=":material/description:", width="stretch", key=f"{key}-docx-{i}",
                mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
    if len(answer.attachments) > 1:
        folder = f"relazione-{answer.year}-capitoli"
        st.download_button("Tutti i capitoli (.zip)", files_zip(answer.attachments, folder), file_name=f"{folder}.zip",
                           mime="application/zip", icon=":material/folder_zip:", key=f"{key}-zip")


def render_answer(answer: Answer, synthetic_years: set[int], key: str = "answer") -> None:
    """An assistant's answer: verified badge, the text, its table, its sources."""
    badges = []
    if answer.verified:
        badges.append(":green-badge[:material/verified: verificata]")
    else:
        badges.append(":red-badge[:material/warning: NON verificata]")
    if answer.year in synthetic_years:
        badges.append(f":orange-badge[:material/science: {answer.year} {ui_data.SYNTHETIC}]")
    if answer.used_llm:
        badges.append(":blue-badge[riscritta dal modello linguistico]")
    badges += ui_data.warning_badges(answer.warnings)
    st.markdown(" ".join(badges), help=ui_data.verification_note(answer))
    if not answer.verified:
        st.warning(ui_data.verification_note(answer))
    for line in ui_data.warning_lines(answer.warnings):
        st.warning(line, icon=":material/report:")
    st.markdown(ui_data.answer_body(answer.answer))
    if answer.chart is not None:
        render_chart(answer.chart)
    if answer.table is not None and answer.table.rows:
        st.dataframe(pd.DataFrame(answer.table.plain(), columns=answer.table.columns), hide_index=True, width="stretch")
    if answer.attachments:
        render_attachments(answer, key)
    if answer.sources:
        with st.expander(f"Fonti ({len(answer.sources)})"):
            for line in ui_data.source_lines(answer.sources):
                st.markdown(line)
    if answer.note:
        st.caption(answer.note)


ITALIAN = {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " €"]}}


def render_chart(chart) -> None:
    """An answer's bars: one per item (per year, when it compares years), the 'raggiunto'
    threshold as a dashed line, the answer's own number in the tooltip."""
    import altair as alt

    rows = pd.DataFrame(ui_data.chart_rows(chart))
    several = rows["serie"].nunique() > 1
    bars = alt.Chart(rows, title=chart.title).mark_bar().encode(
        y=alt.Y("voce:N", title=None, sort=alt.EncodingSortField("ordine"), axis=alt.Axis(labelLimit=320)),
        x=alt.X("valore:Q", title=ui_data.chart_axis_title(chart), axis=alt.Axis(format=",.0f")),
        color=alt.Color("serie:N", title=None, legend=alt.Legend(orient="bottom") if several else None),
        yOffset=alt.YOffset("serie:N") if several else alt.Undefined,
        tooltip=[alt.Tooltip("voce:N", title="Voce"), alt.Tooltip("serie:N", title=" "), alt.Tooltip("testo:N", title="Valore")],
    )
    layers = bars
    if chart.threshold is not None:
        rule = alt.Chart(pd.DataFrame({"x": [float(chart.threshold)]})).mark_rule(color="gray", strokeDash=[4, 4]).encode(x="x:Q")
        layers = bars + rule
    height = max(120, 28 * len(rows))
    st.altair_chart(layers.properties(height=height).configure(locale=ITALIAN), width="stretch")


def show_error(exc: BaseException) -> None:
    st.warning(ui_data.md_escape(str(exc).capitalize() + "."))
