"""A development cache of ocrmypdf's work, so that the stages after OCR can be rerun in seconds.

`cached_ocr(directory)` replaces `ocrmypdf.ocr` while it is active: a call whose input file,
options, Tesseract version and OCR-side code (the plugin and the ruling finder, which change
the image Tesseract reads) were seen before writes the stored output and gives the plugin back
the rulings it found then; any other call runs ocrmypdf and stores both. Only for bench/ and
by hand (bench/ingest.py --ocr-cache DIR): the product never caches an OCR.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
import subprocess
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
# the code that decides what Tesseract sees: a change there is a new key
OCR_SIDE = ("ingest/readers/ocr_plugin.py", "ingest/readers/rulings.py", "ingest/readers/ocr_hocr.py")


@lru_cache(maxsize=1)
def tesseract_version() -> str:
    try:
        return subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=30).stdout.split("\n")[0]
    except (OSError, subprocess.SubprocessError):
        return "none"


def cache_key(data: bytes, options: dict) -> str:
    digest = hashlib.sha256(data)
    kept = {k: v for k, v in options.items() if k not in ("jobs", "progress_bar", "use_threads")}
    digest.update(json.dumps(kept, sort_keys=True, default=str).encode())
    digest.update(tesseract_version().encode())
    for name in OCR_SIDE:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:24]


@contextmanager
def cached_ocr(directory: Path) -> Iterator[dict]:
    """While active, `ocrmypdf.ocr` reads from and writes to `directory`; yields hit/miss counts."""
    import ocrmypdf

    from ingest.readers import ocr_plugin

    directory.mkdir(parents=True, exist_ok=True)
    real = ocrmypdf.ocr
    counts = {"hit": 0, "miss": 0}

    def ocr(input_file, output_file, **options):
        source = Path(input_file)
        key = cache_key(source.read_bytes(), options)
        pdf, found = directory / f"{key}.pdf", directory / f"{key}.rulings"
        if pdf.exists() and found.exists():
            counts["hit"] += 1
            shutil.copyfile(pdf, output_file)
            with ocr_plugin._lock:
                for page, value in pickle.loads(found.read_bytes()).items():
                    ocr_plugin._found[(str(source), page)] = value
            return ocrmypdf.ExitCode.ok
        counts["miss"] += 1
        result = real(input_file, output_file, **options)
        with ocr_plugin._lock:
            mine = {page: v for (name, page), v in ocr_plugin._found.items() if name == str(source)}
        found.write_bytes(pickle.dumps(mine))
        shutil.copyfile(output_file, pdf)
        return result

    ocrmypdf.ocr = ocr
    try:
        yield counts
    finally:
        ocrmypdf.ocr = real
