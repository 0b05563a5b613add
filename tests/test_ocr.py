"""Scanned PDFs: which pages go through OCR, page progress, the OCR'd text read like a digital
page, and a clear line when Tesseract is missing. (Accuracy on the 27-page scan: test_ocr_golden.)"""

from __future__ import annotations

import io

import pikepdf
import pytest
from PIL import Image

from conftest import RELAZIONE_PDF, SHARED_PDFS, run_cli

SCAN_2_PAGES = SHARED_PDFS / "scanned-relazione-pages.pdf"


def _image_pdf(image: Image.Image, dpi: int) -> bytes:
    """A one-page PDF holding only `image`, as a scanner writes it."""
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=dpi)
    return buffer.getvalue()


def _mixed_pdf(tmp_path) -> bytes:
    """Two digital pages of the Relazione followed by one scanned page."""
    out = pikepdf.new()
    with pikepdf.open(RELAZIONE_PDF) as digital, pikepdf.open(SCAN_2_PAGES) as scan:
        out.pages.extend(digital.pages[:2])
        out.pages.append(scan.pages[0])
        buffer = io.BytesIO()
        out.save(buffer)
    return buffer.getvalue()


def test_scanned_pages_are_told_from_digital_ones():
    import pdfplumber

    from ingest.readers.ocr import is_scanned_page

    with pdfplumber.open(SCAN_2_PAGES) as pdf:
        assert [is_scanned_page(p) for p in pdf.pages] == [True, True]
    with pdfplumber.open(RELAZIONE_PDF) as pdf:
        assert not any(is_scanned_page(p) for p in pdf.pages[:5])
    with pdfplumber.open(io.BytesIO(_image_pdf(Image.new("L", (1654, 2339), 255), 200))) as pdf:
        assert is_scanned_page(pdf.pages[0])  # an image over the whole page, even a white one
    blank = pikepdf.new()
    blank.add_blank_page()
    buffer = io.BytesIO()
    blank.save(buffer)
    with pdfplumber.open(io.BytesIO(buffer.getvalue())) as pdf:
        assert not is_scanned_page(pdf.pages[0])  # no image at all: nothing to read


def test_scan_is_read_through_ocr_with_page_progress():
    from ingest.progress import OCR_STAGE, progress_text
    from ingest.readers.blocks import Text
    from ingest.readers.pdf import read_pdf

    calls: list[tuple[str, int, int]] = []
    stream = read_pdf(SCAN_2_PAGES.read_bytes(), SCAN_2_PAGES.name, lambda d, t, s="lettura pagine": calls.append((s, d, t)))
    assert stream.ocr_pages == (1, 2) and stream.pages == 2
    ocr_calls = [c for c in calls if c[0] == OCR_STAGE]
    assert ocr_calls == [(OCR_STAGE, 0, 2), (OCR_STAGE, 1, 2), (OCR_STAGE, 2, 2)]
    assert calls.index(ocr_calls[-1]) < calls.index(("lettura pagine", 2, 2), calls.index(ocr_calls[-1]))
    text = " ".join(b.text for b in stream.blocks if isinstance(b, Text))
    assert "Area strategica 1" in text
    assert {b.loc.page for b in stream.blocks} == {1, 2}
    assert progress_text(OCR_STAGE, 7, 27) == "riconoscimento testo (OCR): pagina 7 di 27"


def test_only_the_scanned_pages_of_a_mixed_file_are_ocrd(tmp_path):
    import pdfplumber

    from ingest.readers.pdf import read_pdf

    data = _mixed_pdf(tmp_path)
    stream = read_pdf(data, "misto.pdf")
    assert stream.ocr_pages == (3,)
    with pdfplumber.open(RELAZIONE_PDF) as pdf:
        first_line = pdf.pages[0].extract_text_lines()[0]["text"]
    page1 = " ".join(b.text for b in stream.blocks if b.loc.page == 1)
    assert first_line in page1  # digital pages keep their own text layer
    assert any(b.loc.page == 3 for b in stream.blocks)


@pytest.mark.parametrize("env,packages", [
    ({"PATH": "/nonexistent"}, "tesseract-ocr e tesseract-ocr-ita"),
    ({"TESSDATA_PREFIX": "/nonexistent"}, "tesseract-ocr-ita"),
])
def test_missing_tesseract_is_one_clear_line(tmp_path, env, packages):
    result = run_cli("extract", str(SCAN_2_PAGES), env=env)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.returncode != 0 and len(lines) == 1, result.stderr
    assert lines[0].startswith("Errore: ") and "scansione" in lines[0]
    assert f"installa i pacchetti {packages} (" in lines[0], lines[0]
    assert "Traceback" not in result.stderr


def _path_without(tmp_path, *hidden: str) -> str:
    """A PATH holding every command of this one except `hidden` (links in one directory)."""
    import os
    from pathlib import Path

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for folder in os.environ["PATH"].split(os.pathsep):
        for exe in Path(folder).glob("*") if Path(folder).is_dir() else ():
            link = bin_dir / exe.name
            if exe.name not in hidden and not link.exists() and os.access(exe, os.X_OK):
                link.symlink_to(exe.resolve())
    return str(bin_dir)


@pytest.mark.parametrize("hidden,env,missing", [
    ((), {}, ""),
    (("tesseract", "gs"), {}, "tesseract-ocr tesseract-ocr-ita ghostscript"),
    ((), {"TESSDATA_PREFIX": "/nonexistent"}, "tesseract-ocr-ita"),
])
def test_set_up_installs_the_debian_packages_ocr_needs_when_missing(tmp_path, hidden, env, missing):
    """What scripts/install-system-packages.sh (run by setup.sh, so by the README's two commands)
    would ask apt-get for, found the way it finds them: the packages the OCR reader names."""
    import os
    import subprocess

    from conftest import ROOT
    from ingest.readers.ocr import PACKAGES

    path = _path_without(tmp_path, *hidden) if hidden else os.environ["PATH"]
    script = ROOT / "scripts" / "install-system-packages.sh"
    result = subprocess.run(["bash", str(script), "--check"], capture_output=True, text=True,
                            env={**os.environ, **env, "PATH": path}, check=True)
    assert result.stdout.strip() == missing
    assert set(PACKAGES.values()) <= set("tesseract-ocr tesseract-ocr-ita ghostscript".split())
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert "bash scripts/install-system-packages.sh\n" in setup  # before the venv: the app needs them too
    for command in ("run.sh", "test.sh"):
        assert "bash scripts/setup.sh" in (ROOT / "scripts" / command).read_text(encoding="utf-8")
