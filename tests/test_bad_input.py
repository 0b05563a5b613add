"""Bad input gets one clear line on stderr, a non-zero exit, and leaves the store as it was."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter

from conftest import RELAZIONE_PDF, RELAZIONE_TXT, SHARED_PDFS, run_cli

EXPECTED = {
    "password-example.pdf": "protetto da password",
    "empty.pdf": "vuoto",
    "malformed-from-issue-932.pdf": "nessuna tabella di indicatori",
    "image_structure.pdf": "nessuna tabella di indicatori",
    "issue-33-lorem-ipsum.pdf": "nessuna tabella di indicatori",
    "senate-expenditures.pdf": "nessuna tabella di indicatori",
    "ca-warn-report.pdf": "nessuna tabella di indicatori",
    "federal-register-2020-17221.pdf": "nessuna tabella di indicatori",
    # read through OCR: two pages of a Relazione's tables are not a whole Relazione
    "scanned-relazione-pages.pdf": "Relazione incompleta",
}


def _made_up(tmp: Path) -> dict[str, tuple[Path, str]]:
    files: dict[str, tuple[Path, str]] = {}
    data = RELAZIONE_PDF.read_bytes()
    (tmp / "troncato.pdf").write_bytes(data[: len(data) // 2])
    files["truncated"] = (tmp / "troncato.pdf", "troncato")
    (tmp / "casuale.pdf").write_bytes(os.urandom(4096))
    files["random"] = (tmp / "casuale.pdf", "non è un PDF")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    (tmp / "immagine.pdf").write_bytes(buffer.getvalue())
    files["image"] = (tmp / "immagine.pdf", "non è un PDF")
    (tmp / "vuoto.txt").write_bytes(b"")
    files["empty_txt"] = (tmp / "vuoto.txt", "vuoto")
    (tmp / "note.txt").write_text("Appunti della riunione.\n\nNessuna tabella qui.\n", encoding="utf-8")
    files["prose_txt"] = (tmp / "note.txt", "nessuna tabella di indicatori")
    (tmp / "binario.txt").write_bytes(b"\x00\x01\x02" * 100)
    files["binary_txt"] = (tmp / "binario.txt", "non è un testo")
    (tmp / "relazione.odt").write_bytes(b"PK\x03\x04")
    files["unsupported"] = (tmp / "relazione.odt", "formato non supportato")
    # scans go through OCR first: a blank page, a photo, a scanned page that is not a Relazione
    (tmp / "bianca.pdf").write_bytes(_image_pdf(Image.new("L", (1654, 2339), 255), 200))
    files["blank_scan"] = (tmp / "bianca.pdf", "la scansione non contiene testo leggibile")
    (tmp / "foto.pdf").write_bytes(_image_pdf(_photo(), 100))
    files["photo_scan"] = (tmp / "foto.pdf", "la scansione non contiene testo leggibile")
    (tmp / "lorem.pdf").write_bytes(_image_pdf(_scan_of(SHARED_PDFS / "issue-33-lorem-ipsum.pdf"), 150))
    files["other_scan"] = (tmp / "lorem.pdf", "nessuna tabella di indicatori")
    return files


def _image_pdf(image: Image.Image, dpi: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=dpi)
    return buffer.getvalue()


def _photo() -> Image.Image:
    """Smooth colours and shapes, no writing: what a phone photo of an object gives."""
    image = Image.linear_gradient("L").resize((1170, 827)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(6):
        draw.ellipse((100 + i * 150, 200 + (i % 2) * 150, 260 + i * 150, 420 + (i % 2) * 150), fill=(40 * i, 200 - 30 * i, 90))
    return image.filter(ImageFilter.GaussianBlur(3))


def _scan_of(pdf_path: Path) -> Image.Image:
    """The first page of a digital PDF as a greyscale scan (150 dpi)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf_path)
    try:
        return doc[0].render(scale=150 / 72).to_pil().convert("L")
    finally:
        doc.close()


def _state(data_dir: Path) -> tuple:
    from assistant.store import Store

    store = Store(f"sqlite:///{data_dir / 'relazione.db'}")
    docs = [(d.id, d.sha256, d.ingested_at) for d in store.documents()]
    chunks = [c.id for c in store.chunks()]
    store.engine.dispose()
    return docs, chunks


@pytest.fixture(scope="module")
def populated(tmp_path_factory) -> Path:
    """A data dir holding the Relazione (store only: bad files never reach the index)."""
    from assistant.chunks import chunk_report
    from assistant.store import Store
    from ingest.pipeline import read_path

    d = tmp_path_factory.mktemp("bad") / "data"
    store = Store(f"sqlite:///{d / 'relazione.db'}")
    report = read_path(RELAZIONE_TXT)
    store.save(report, lambda doc_id: chunk_report(report, doc_id), None)
    store.engine.dispose()
    return d


CASES = [(name, SHARED_PDFS / name, text) for name, text in EXPECTED.items()]


@pytest.mark.parametrize("name,path,message", CASES, ids=[c[0] for c in CASES])
def test_shared_pdfs_are_refused(populated, name, path, message):
    _check_refused(populated, path, message)


@pytest.mark.parametrize("case", [
    "truncated", "random", "image", "empty_txt", "prose_txt", "binary_txt", "unsupported", "blank_scan", "photo_scan", "other_scan",
])
def test_made_up_bad_files_are_refused(populated, tmp_path, case):
    path, message = _made_up(tmp_path)[case]
    _check_refused(populated, path, message)


def _check_refused(data_dir: Path, path: Path, message: str) -> None:
    before = _state(data_dir)
    result = run_cli("ingest", str(path), env={"RELAZIONE_DATA_DIR": str(data_dir)})
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.returncode != 0
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Errore: ") and message in lines[0], lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert _state(data_dir) == before


def test_extract_refuses_the_same_way(tmp_path):
    result = run_cli("extract", str(SHARED_PDFS / "password-example.pdf"))
    assert result.returncode != 0
    assert result.stderr.strip().startswith("Errore: ") and "protetto da password" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_file(populated):
    result = run_cli("ingest", "/nonexistent/relazione.pdf", env={"RELAZIONE_DATA_DIR": str(populated)})
    assert result.returncode != 0 and "file non trovato" in result.stderr
