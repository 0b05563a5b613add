"""Extraction speed and memory on the bundled Relazione, against a bare pdfplumber pass.

Prints, for the corpus text and PDF: median wall time of `read_report` (read + tables +
sections + metadata) and of scoring plus checks; the ratio of the PDF extract to a bare
pdfplumber pass (open + extract_tables + extract_text on every page) timed in the same
run; and the peak Python memory (tracemalloc) of each.

Goals: PDF extract <= 1.5x the bare pass; text extract < 0.5 s.

    .venv/bin/python bench/ingest.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import pdfplumber

# This script shares its name with the `ingest` package: import the package, not itself.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from ingest.checks import check_report
from ingest.pipeline import read_report
from ingest.scoring import score_report

ROOT = Path(__file__).resolve().parents[1]
TXT = ROOT / "corpus" / "relazione-performance-2019-ravenna.txt"
PDF = ROOT / "corpus" / "relazione-performance-2019-ravenna.pdf"


def bare_pass(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.extract_text()
            page.close()


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median seconds over `repeat` runs, and peak traced memory (MiB) of one run."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    txt, pdf = TXT.read_bytes(), PDF.read_bytes()

    bare_t, bare_m = timed(lambda: bare_pass(pdf), args.repeat)
    pdf_t, pdf_m = timed(lambda: read_report(pdf, PDF.name), args.repeat)
    txt_t, txt_m = timed(lambda: read_report(txt, TXT.name), args.repeat)
    report = read_report(txt, TXT.name)
    score_t, _ = timed(lambda: check_report(report, card=score_report(report)), args.repeat)

    print(f"bare pdfplumber pass (baseline)  {bare_t * 1000:8.1f} ms   peak {bare_m:6.1f} MiB")
    print(f"PDF extract                      {pdf_t * 1000:8.1f} ms   peak {pdf_m:6.1f} MiB   "
          f"ratio {pdf_t / bare_t:.2f}x (goal <= 1.50x)")
    print(f"text extract                     {txt_t * 1000:8.1f} ms   peak {txt_m:6.1f} MiB   "
          f"({txt_t / bare_t:.3f}x the bare PDF pass; goal < 500 ms)")
    print(f"scoring + checks (128 rows)      {score_t * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
