"""End to end in a real browser: the real Streamlit server on a free loopback port, driven by
Playwright through Debian's headless Chromium (/usr/bin/chromium, installed by
scripts/test.sh; never `playwright install`). The server starts on an empty data directory,
so the first start loads the corpus. Screenshots of every page go to screenshots/ (ignored
by git)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import ROOT, SHARED_PDFS, _free_port, run_cli, stop_process, wait_until_up

pytestmark = [pytest.mark.browser, pytest.mark.model]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SHOTS = ROOT / "screenshots"
WAIT_MS = 180_000  # first start: parse the corpus and load the embedding model
QUESTION = "Quali obiettivi hanno cambiato target quest'anno?"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} manca: `bash scripts/test.sh` installa il pacchetto Debian chromium")
    data = tmp_path_factory.mktemp("browser") / "data"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELAZIONE_")}
    env.update(RELAZIONE_DATA_DIR=str(data), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    log_path = data.parent / "streamlit.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )

    def stop() -> None:
        stop_process(proc)

    url = f"http://127.0.0.1:{port}"
    wait_until_up(proc, f"{url}/_stcore/health", log_path, "streamlit", on_fail=stop)
    try:
        yield SimpleNamespace(url=url, data=data, log=log_path, stop=stop)
    finally:
        stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def new_page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1600}, locale="it-IT")
    page.set_default_timeout(WAIT_MS)
    return page


def shot(page, name: str) -> None:
    time.sleep(1)  # let charts and tables finish drawing
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def wait_idle(page) -> None:
    """Until the script run is over (Streamlit shows its 'running' widget meanwhile)."""
    time.sleep(0.5)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached")


def ask(page, question: str) -> str:
    """Ask in the chat; the text of the answer (the last assistant message) once it is drawn."""
    box = page.get_by_placeholder("Scrivi una domanda")
    box.fill(question)
    box.press("Enter")
    page.get_by_text(question).last.wait_for()
    wait_idle(page)
    answer = page.locator('[data-testid="stChatMessage"]').last
    answer.get_by_text("verificata").first.wait_for()
    answer.get_by_text("Fonti (").first.wait_for()  # drawn after the body: the answer is complete
    return answer.inner_text()


def test_first_start_then_ask_in_the_chat(server, browser):
    page = new_page(browser)
    page.goto(server.url)
    page.get_by_text("Documenti di esempio caricati").first.wait_for()
    page.get_by_text("Non sai da dove cominciare").first.wait_for()
    shot(page, "01-chat-primo-avvio")
    text = ask(page, QUESTION)
    assert "NON verificata" not in text
    assert "3.2.2.1" in text and "non riportata dalle tabelle" in text
    assert "senza spiegazione nella sezione 5" in text
    page.get_by_text("Fonti (").last.click()
    page.get_by_text("riga 535").first.wait_for()
    shot(page, "02-chat-risposta")
    assert "nessuno: risposte deterministiche" in page.locator('[data-testid="stSidebar"]').inner_text()
    page.close()


def test_an_encrypted_pdf_is_refused_with_the_cli_message(server, browser):
    encrypted = SHARED_PDFS / "password-example.pdf"
    cli = run_cli("ingest", str(encrypted), env={"RELAZIONE_DATA_DIR": str(server.data.parent / "cli")})
    page = new_page(browser)
    page.goto(f"{server.url}/documenti")
    page.get_by_text("Documenti in archivio").first.wait_for()
    # the uploader's own English ('Upload', '200MB per file') is replaced by Italian text
    button = page.locator('[data-testid="stFileUploaderDropzone"] button p')
    button.wait_for(state="attached")
    # the page's style sheet may arrive after the widget on a loaded machine: wait for it (or time out)
    page.wait_for_function(
        """() => { const e = document.querySelector('[data-testid="stFileUploaderDropzone"] button p');
                   return e !== null && getComputedStyle(e, '::after').content === '"Scegli i file"'; }""",
        timeout=60_000,
    )
    drawn = button.evaluate("e => [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content]")
    assert drawn == ["0px", '"Scegli i file"']
    page.locator('input[type="file"]').set_input_files(str(encrypted))
    error = page.get_by_text("protetto da password").first
    error.wait_for()
    assert error.inner_text().strip() == cli.stderr.strip()
    shot(page, "03-documenti-file-rifiutato")
    page.close()


def test_every_page_renders(server, browser):
    page = new_page(browser)
    page.goto(f"{server.url}/indicatori")
    page.get_by_text("Albero della performance").first.wait_for()
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="2020 (SINTETICO)").click()
    page.get_by_text("2020: dati SINTETICI").first.wait_for()
    page.get_by_text("Solo indicatori sotto target").click()
    page.get_by_text("Scarica gli indicatori in CSV (11)").first.wait_for()
    shot(page, "04-indicatori-sotto-target")

    page.goto(f"{server.url}/confronto")
    page.get_by_text("Raggiungimento per area strategica").first.wait_for()
    page.locator('[data-testid="stVegaLiteChart"]').nth(3).wait_for()
    shot(page, "05-confronto-anni")

    page.goto(f"{server.url}/bozze")
    page.get_by_role("button", name="Genera bozza").click()
    page.get_by_text("Scarica questa bozza").first.wait_for()
    assert page.get_by_text("NON verificata").count() == 0
    shot(page, "06-bozze")

    page.goto(f"{server.url}/documenti")
    page.get_by_text("Documenti in archivio").first.wait_for()
    shot(page, "07-documenti")
    page.close()


def test_two_sessions_at_once_leave_the_store_consistent(server, browser):
    """One session uploads the Relazione's PDF (parse, store, embed) while another asks."""
    uploader, chat = new_page(browser), new_page(browser)
    uploader.goto(f"{server.url}/documenti")
    chat.goto(server.url)
    uploader.get_by_text("Documenti in archivio").first.wait_for()
    chat.get_by_text("Non sai da dove cominciare").first.wait_for()
    uploader.locator('input[type="file"]').set_input_files(str(ROOT / "corpus" / "relazione-performance-2019-ravenna.pdf"))
    text = ask(chat, "Perché è stato eliminato il progetto Ultranet?")
    assert "Ultranet" in text
    uploader.get_by_text("la precedente, relazione-performance-2019-ravenna.txt, resta nello storico").first.wait_for()
    text = ask(chat, QUESTION)
    assert "non riportata dalle tabelle" in text and "(pag. 25)" in text  # now from the PDF, cited by page
    assert "3.2.2.1" in text and "1.3.1.1" in text
    uploader.close()
    chat.close()
    server.stop()

    from assistant.settings import Settings
    from assistant.workspace import Workspace

    ws = Workspace(Settings(data_dir=server.data))
    docs = {d.id: d.source_file for d in ws.documents()}
    assert sorted(docs.values()) == ["consuntivi-2020-ravenna-SINTETICO.csv",
                                     "piano-performance-2019-2021-ravenna-SINTETICO.txt",
                                     "relazione-performance-2019-ravenna.pdf"]
    chunks = ws.store.chunks()
    assert {c.id for c in chunks} == ws.index.chunk_ids()
    assert {c.document_id for c in chunks} <= set(docs)
